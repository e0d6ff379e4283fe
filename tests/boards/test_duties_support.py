"""Builders shared by the duties tests (no tests here): boards, duties, meetings and minutes."""

import datetime
import itertools

from boards.duties import Duty, DutyFrequency, DutyParty, PartyRole
from boards.factories import BoardPageFactory
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import MinuteItem
from tests.meetings.minutes_helpers import publish_minutes

_numbers = itertools.count(1)

HWB_TITLE = "Health and Wellbeing Board"
SRP_TITLE = "Safer Rotherham Partnership"


def board(board_index, title, short_name=""):
    return BoardPageFactory(
        parent=board_index, title=title, short_name=short_name or title[:3].upper()
    )


def make_duty(
    title="Safeguarding Adults Board annual report",
    *,
    from_boards=(),
    to_boards=(),
    to_bodies=(),
    from_bodies=(),
    frequency=DutyFrequency.ANNUAL,
    start=datetime.date(2016, 9, 1),
    end=datetime.date(2016, 11, 30),
    **fields,
):
    """A saved duty with its parties, as the admin would save it."""
    duty = Duty(
        title=title,
        slug=f"duty-{next(_numbers)}",
        what=fields.pop("what", "An annual report with a position statement."),
        frequency=frequency,
        first_window_start=start,
        first_window_end=end,
        **fields,
    )
    parties = [DutyParty(role=PartyRole.FROM, board=b) for b in from_boards]
    parties += [DutyParty(role=PartyRole.FROM, body_name=n) for n in from_bodies]
    parties += [DutyParty(role=PartyRole.TO, board=b) for b in to_boards]
    parties += [DutyParty(role=PartyRole.TO, body_name=n) for n in to_bodies]
    duty.parties = parties
    duty.save()
    return duty


def meeting(parent, day, hour=10, **fields):
    """A meeting of `parent` on `day` (a date), published (live) unless said otherwise."""
    return MeetingPageFactory(
        parent=parent,
        title=f"{parent.title}, {day.day} {day:%B %Y}",
        slug=f"{day:%Y-%m-%d}-{next(_numbers)}",
        start=london(day.year, day.month, day.day, hour),
        **fields,
    )


def agenda_item(of_meeting, number, title, **fields):
    return AgendaItemFactory(meeting=of_meeting, number=number, title=title, **fields)


def minutes_for(of_meeting, minutes):
    """Published minutes of `of_meeting`: [(number, heading, agenda item or None)]."""
    return publish_minutes(
        of_meeting,
        [
            MinuteItem(number=number, heading=heading, agenda_item=item)
            for number, heading, item in minutes
        ],
    )
