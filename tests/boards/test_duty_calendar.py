"""The iCalendar feed of duties (/duties/calendar.ics): windows as all-day events, deadlines on
their day, public duties only, and never an exempt item's title."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from boards.duties import DutyFrequency
from boards.obligation_status import link_obligation
from boards.obligations import generate_obligations
from tests.boards.test_duties_support import (
    HWB_TITLE,
    SRP_TITLE,
    agenda_item,
    board,
    make_duty,
    meeting,
)

D = datetime.date
EXEMPT_TITLE = "Care home contract: provider finances"


@pytest.fixture
def hwb(board_index):
    return board(board_index, HWB_TITLE, "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, SRP_TITLE, "SRP")


@pytest.fixture
def rsab(board_index):
    return board(board_index, "Safeguarding Adults Board", "RSAB")


@pytest.fixture
def annual_report(hwb, srp, rsab):
    duty = make_duty(
        "Safeguarding Adults Board annual report",
        from_boards=[rsab],
        to_boards=[hwb, srp],
        presented_by="The independent chair",
    )
    generate_obligations(duty, until=D(2017, 12, 31))
    return duty


def read_feed(client, **params):
    response = client.get(reverse("duties_calendar"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content), response.content.decode()


def events_of(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_each_window_is_an_all_day_event_spanning_it(client, annual_report):
    calendar, text = read_feed(client)
    events = events_of(calendar)
    assert len(events) == 4  # two years, two receiving boards
    event = events[
        "Safeguarding Adults Board annual report to Health and Wellbeing Board "
        "(September to November 2016)"
    ]
    assert event.decoded("DTSTART") == D(2016, 9, 1)
    assert event.decoded("DTEND") == D(2016, 12, 1)  # the day after the window's last day
    assert "VALUE=DATE" in text
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "Presented by: The independent chair" in str(event["DESCRIPTION"])
    assert "Status: Missed." in str(event["DESCRIPTION"])
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert len(uids) == 4


def test_a_deadline_is_an_event_on_its_day(client, hwb, rsab):
    duty = make_duty(
        "Mid-point update",
        from_boards=[rsab],
        to_boards=[hwb],
        frequency=DutyFrequency.ONCE,
        start=None,
        end=D(2027, 12, 31),
    )
    generate_obligations(duty, until=D(2027, 12, 31))
    calendar, text = read_feed(client)
    event = events_of(calendar)["Deadline: Mid-point update to Health and Wellbeing Board"]
    assert event.decoded("DTSTART") == D(2027, 12, 31)
    assert event.decoded("DTEND") == D(2028, 1, 1)


def test_only_public_duties_are_in_the_feed(client, hwb, rsab, annual_report):
    secret = make_duty("Private briefing", from_boards=[rsab], to_boards=[hwb])
    secret.is_public = False
    secret.save()
    generate_obligations(secret, until=D(2016, 12, 31))
    calendar, text = read_feed(client)
    assert "Private briefing" not in text
    assert len(events_of(calendar)) == 4


def test_the_board_filter_keeps_that_boards_events(client, hwb, annual_report):
    calendar, text = read_feed(client, board=hwb.slug)
    assert len(events_of(calendar)) == 2
    assert all("Health and Wellbeing Board" in summary for summary in events_of(calendar))
    assert str(calendar["X-WR-CALNAME"]) == "Health and Wellbeing Board: duties between boards"


def test_an_unknown_board_gives_an_empty_calendar(client, annual_report):
    calendar, text = read_feed(client, board="no-such-board")
    assert events_of(calendar) == {}


def test_an_exempt_item_is_never_named(client, srp, annual_report):
    october = meeting(srp, D(2016, 10, 12))
    item = agenda_item(
        october,
        None,
        EXEMPT_TITLE,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive.",
    )
    obligation = annual_report.obligations.get(receiver=srp, window_end__year=2016)
    link_obligation(obligation, item, today=D(2016, 10, 1))
    calendar, text = read_feed(client)
    unfolded = text.replace("\r\n ", "")
    assert "Care home contract" not in unfolded
    event = events_of(calendar)[
        "Safeguarding Adults Board annual report to Safer Rotherham Partnership "
        "(September to November 2016)"
    ]
    assert "an item considered in private" in str(event["DESCRIPTION"])
