"""What the home page shows: the next meetings of every board and the latest agendas."""

from django.utils import timezone

from boards.models import BoardPage
from meetings.models import MeetingPage
from meetings.views import meeting_row

from .templatetags.public_site import page_frame

UPCOMING_MEETINGS_ON_HOME = 10
LATEST_AGENDAS_ON_HOME = 5


def _parent_path(page):
    return page.path[: -page.steplen]


def home_context(page, request):
    """Upcoming meetings, latest published agendas and the boards, in a fixed number of queries.

    A meeting's board is its parent page; rather than ask for each meeting's parent, the boards
    are loaded once and matched by tree path.
    """
    boards = list(BoardPage.objects.live().descendant_of(page).order_by("title"))
    board_by_path = {board.path: board for board in boards}

    def rows(meetings):
        found = []
        for meeting in meetings:
            board = board_by_path.get(_parent_path(meeting))
            if board is not None:  # a meeting of an unpublished board is not listed
                found.append(meeting_row(meeting, request, board=board))
        return found

    live_meetings = MeetingPage.objects.live().descendant_of(page)
    upcoming = live_meetings.filter(start__gte=timezone.now()).order_by("start", "pk")
    latest = live_meetings.exclude(first_published_at=None).order_by("-first_published_at", "-pk")

    links = page_frame(page, request)["links"]
    boards_url = links["boards_url"]
    return {
        "upcoming_meetings": rows(upcoming[:UPCOMING_MEETINGS_ON_HOME]),
        "latest_agendas": rows(latest[:LATEST_AGENDAS_ON_HOME]),
        "boards": [
            {
                "title": board.title,
                "short_name": board.short_name,
                "summary": board.summary,
                "url": board.get_url(request),
            }
            for board in boards
        ],
        "boards_url": boards_url,
        "all_boards_calendar_url": f"{boards_url}calendar.ics" if boards_url else "",
    }
