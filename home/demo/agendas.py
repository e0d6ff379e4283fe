"""Building and syncing meeting pages with their agendas, shared by past and future meetings."""

from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from meetings.models import AgendaItem, AgendaPaper, MeetingPage, StandardItem

from .sync import rows, sync_page

ITEM_FIELDS = (
    "number",
    "sub_item",
    "title",
    "kind",
    "section",
    "presenter_text",
    "summary",
    "is_verbal",
    "is_exempt",
    "exempt_paragraph",
    "public_interest_reason",
    "previous_meeting_id",
    "sort_order",
)
PAPER_FIELDS = ("document_id", "title", "page_start", "page_end", "sort_order")


@dataclass
class ItemSpec:
    """An agenda item the demo wants, with its presenters (people) and papers."""

    title: str
    section: str
    number: int | None = None
    sub_item: str = ""
    kind: str = StandardItem.BUSINESS
    presenter_text: str = ""
    summary: str = ""
    is_verbal: bool = False
    is_exempt: bool = False
    exempt_paragraph: int | None = None
    public_interest_reason: str = ""
    previous_meeting: MeetingPage | None = None
    presenters: list = field(default_factory=list)
    # [(document, title, page_start, page_end)]
    papers: list = field(default_factory=list)

    def build(self, sort_order):
        item = AgendaItem(
            number=self.number,
            sub_item=self.sub_item,
            title=self.title,
            kind=self.kind,
            section=self.section,
            presenter_text=self.presenter_text,
            summary=self.summary,
            is_verbal=self.is_verbal,
            is_exempt=self.is_exempt,
            exempt_paragraph=self.exempt_paragraph,
            public_interest_reason=self.public_interest_reason,
            previous_meeting=self.previous_meeting,
            sort_order=sort_order,
        )
        item.presenters = list(self.presenters)
        item.papers = [
            AgendaPaper(
                document=document,
                title=title,
                page_start=page_start,
                page_end=page_end,
                sort_order=order,
            )
            for order, (document, title, page_start, page_end) in enumerate(self.papers)
        ]
        return item


def agenda_state(page):
    """A comparable picture of a meeting's agenda, from the database or from memory alike."""
    picture = []
    for item in page.agenda_items.all():
        values = rows([item], ITEM_FIELDS)[0]
        presenters = tuple(sorted(person.pk for person in item.presenters.all()))
        papers = tuple(rows(item.papers.all(), PAPER_FIELDS))
        picture.append((values, presenters, papers))
    return picture


def meeting_title(board, start):
    """'Health and Wellbeing Board, 8 March 2017', as the meeting form names meetings."""
    local = timezone.localtime(start)
    return f"{board.title}, {local.day} {local:%B %Y}"


def meeting_slug(start):
    """'2017-03-08': the day of the meeting (a date, or a datetime in UK time)."""
    day = timezone.localtime(start) if hasattr(start, "hour") else start
    return f"{day:%Y-%m-%d}"


def sync_meeting(board, start, end, venue, items, summary, **fields):
    """Create or update the meeting of `board` at `start` with exactly the agenda `items`."""

    def apply(page):
        page.agenda_items = [spec.build(order) for order, spec in enumerate(items)]

    values = {
        "title": meeting_title(board, start),
        "start": start,
        "end": end,
        "venue": venue,
        **fields,
    }
    return sync_page(
        board,
        MeetingPage,
        meeting_slug(start),
        values,
        summary,
        "meeting",
        state=agenda_state,
        apply=apply,
    )


def set_publication_time(page, when):
    """Record that the agenda was published at `when`, which predates this database.

    The page is published for real (a revision, the publish signal); only the two publication
    timestamps are moved back, on the page and in its live revision so a revert keeps them.
    """
    if page.first_published_at == when and page.last_published_at == when:
        return False
    MeetingPage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.first_published_at = page.last_published_at = when
    revision = page.live_revision
    if revision is not None:
        encoded = DjangoJSONEncoder().default(when)
        revision.content["first_published_at"] = encoded
        revision.content["last_published_at"] = encoded
        revision.save(update_fields=["content"])
    return True
