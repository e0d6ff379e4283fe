"""RSS and Atom feeds of decisions, for all boards and for each board.

Feeds follow Django's syndication framework: `get_object` works out the scope (all boards or one
public board) and loads the latest decisions once, already presented with their addresses, so the
`item_*` hooks only read attributes. The feed instances are shared between requests, which is why
the request travels inside the scope object rather than being kept on the feed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from boards.models import BoardPage

from .decisions import decision_ids, load_decisions, present, public_decisions

FEED_LENGTH = 50


@dataclass
class FeedScope:
    """What one request's feed covers: a board (or all boards) and its latest decisions."""

    board: BoardPage | None
    decisions: list


def latest_decisions(request, board=None):
    """The latest public decisions, most recently published minutes first.

    Ordered by when the minutes were first published, not by meeting date, so that minutes
    published late still reach subscribers at the top of the feed.
    """
    decisions = public_decisions()
    if board is not None:
        decisions = decisions.filter(minute__minutes__board=board)
    ids = decision_ids(
        decisions.order_by(
            "-minute__minutes__first_published_at",
            "-minute__minutes__meeting__start",
            "minute__minutes__meeting",
            "minute__number",
            "number",
            "pk",
        )
    )[:FEED_LENGTH]
    return [present(resolution, request) for resolution in load_decisions(ids)]


class DecisionRssFeed(Feed):
    """Decisions as RSS 2.0: all boards, or one board given by its slug."""

    feed_type = Rss201rev2Feed
    author_name = settings.COUNCIL_NAME

    def get_object(self, request, board_slug=None):
        board = None
        if board_slug is not None:
            # A live board open to the public; one with no decisions yet still has a feed.
            board = BoardPage.objects.live().public().filter(slug=board_slug).first()
            if board is None:
                raise Http404("No such board.")
        return FeedScope(board=board, decisions=latest_decisions(request, board))

    def title(self, obj):
        if obj.board is not None:
            return f"Decisions of the {obj.board.title}"
        return "Decisions of Rotherham's partnership boards"

    def link(self, obj):
        register = reverse("decision_register")
        return f"{register}?board={obj.board.slug}" if obj.board is not None else register

    def description(self, obj):
        return (
            "Resolutions in the published minutes of "
            f"{'the ' + obj.board.title if obj.board is not None else 'the partnership boards'}, "
            "with the status of their minutes."
        )

    def items(self, obj):
        return obj.decisions

    def item_title(self, item):
        return item.citation

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.url

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.topics]


class DecisionAtomFeed(DecisionRssFeed):
    """The same decisions as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
