"""Loading the demo site: boards, people, the 2016-17 HWB meetings and minutes, future meetings
and sign-ins.

Each step finds what the one before created, so the order matters: the boards need the people
for their memberships, the meetings need the boards, the papers and the presenters, and the
minutes need the meetings' agendas and the people who attended.
"""

from django.db import transaction

from home.models import HomePage

from .accessibility import sync_accessibility_statement
from .action_plans import sync_action_plans
from .agenda_2017 import sync_hwb_2016_17
from .boards import HWB_SLUG, sync_board_index, sync_boards
from .duties import sync_duties
from .future import mark_past_meetings_held, sync_future_meetings
from .memberships import board_seats, demo_member
from .minutes_2017 import sync_hwb_minutes_2016_17
from .papers import march_2017_papers
from .people import People
from .recording import sync_demo_recording
from .sync import Summary
from .users import sync_demo_users


class DemoDataError(Exception):
    """The demo data cannot be loaded into this database."""


def _ensure_agenda_workflow(board_index, summary):
    """Put the boards under the agenda approval workflow, when that feature is installed."""
    try:
        from meetings.workflows import ensure_agenda_workflow
    except ImportError:
        summary.notes.append("Agenda approval workflow: not available, skipped.")
        return
    ensure_agenda_workflow(board_index=board_index)
    summary.notes.append("Agenda approval workflow: assigned to the boards index.")


@transaction.atomic
def load_demo_data():
    """Create or update everything; returns (Summary, {username: user}, password)."""
    home = HomePage.objects.first()
    if home is None:
        raise DemoDataError("There is no home page: run `manage.py migrate` first.")

    summary = Summary()
    board_index = sync_board_index(home, summary)
    sync_accessibility_statement(home, summary)

    people = People(summary)
    seats = board_seats(people)
    boards = sync_boards(board_index, lambda slug: seats[slug], summary)
    _ensure_agenda_workflow(board_index, summary)

    hwb = boards[HWB_SLUG]
    chair = next(seat.person for seat in seats[HWB_SLUG] if seat.role == "chair")
    known_people = [seat.person for seat in seats[HWB_SLUG]] + [
        people.get(attendee.name) for attendee in _presenters_of_january()
    ]
    papers = march_2017_papers(summary)
    meetings = sync_hwb_2016_17(hwb, papers, people, known_people, chair, summary)
    sync_hwb_minutes_2016_17(meetings, people, summary)
    sync_demo_recording(meetings, summary)

    mark_past_meetings_held(boards, summary)
    sync_future_meetings(boards, summary)
    sync_action_plans(boards, people, summary)

    users, password = sync_demo_users(demo_member(people), summary)
    sync_duties(boards, summary)
    people.record_summary()
    return summary, users, password


def _presenters_of_january():
    from .pack import minutes_attendance

    return [attendee for attendee in minutes_attendance() if attendee.group == "presenter"]
