"""iCalendar feeds and "add to calendar" files, parsed back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from boards.factories import BoardPageFactory
from meetings.calendars import record_calendar_change
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.models import AgendaItem, MeetingCalendarState, MeetingStatus

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        short_name="HWB",
        slug="health-and-wellbeing-board",
    )


@pytest.fixture
def march_meeting(hwb):
    meeting = MeetingPageFactory(
        parent=hwb,
        title="Health and Wellbeing Board, 8 March 2017",
        slug="2017-03-08",
        start=london(2017, 3, 8, 10),
        end=None,
        venue="Rotherham Town Hall,\nMoorgate Street\n\nRotherham S60 2TH",
    )
    AgendaItemFactory(meeting=meeting, number=1, title="Apologies for absence")
    AgendaItemFactory(meeting=meeting, number=10, sub_item="a", title="Better Care Fund")
    AgendaItemFactory(
        meeting=meeting,
        number=14,
        title="Care home contract negotiations",
        summary="Confidential figures from the Oakwood provider",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercial prejudice to the council's negotiating position",
    )
    return meeting


def calendar_url(page):
    return page.get_url() + "calendar.ics"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def publish(meeting, **changes):
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.save_revision().publish()
    meeting.refresh_from_db()
    return MeetingCalendarState.objects.get(meeting=meeting)


# The "add to calendar" file ------------------------------------------------------


def test_meeting_file_describes_the_meeting(client, march_meeting):
    march_meeting.last_published_at = datetime.datetime(2017, 2, 28, 9, 15, tzinfo=UTC)
    march_meeting.save()

    response, calendar = fetch(client, calendar_url(march_meeting))

    assert response["Content-Disposition"] == 'attachment; filename="hwb-2017-03-08.ics"'
    event = only_event(calendar)
    assert str(event["UID"]) == f"meeting-{march_meeting.pk}@boards.rotherham.gov.uk"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.start == datetime.datetime(2017, 3, 8, 10, tzinfo=LONDON)
    assert event.start.utcoffset() == datetime.timedelta(0)
    # No end given: two hours is assumed.
    assert event.end == datetime.datetime(2017, 3, 8, 12, tzinfo=LONDON)
    assert str(event["SUMMARY"]) == "Health and Wellbeing Board, 8 March 2017"
    assert str(event["LOCATION"]) == "Rotherham Town Hall, Moorgate Street, Rotherham S60 2TH"
    assert str(event["URL"]) == march_meeting.get_full_url()
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    # Never published through the workflow, so no calendar state: stamped with its publication.
    assert b"DTSTAMP:20170228T091500Z" in response.content
    assert event.stamp == datetime.datetime(2017, 2, 28, 9, 15, tzinfo=UTC)


def test_calendar_properties_and_timezone(client, march_meeting):
    _, calendar = fetch(client, calendar_url(march_meeting))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Partnership boards" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Health and Wellbeing Board"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert calendar.get_missing_tzids() == set()
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    # The VTIMEZONE comes before the events that refer to it.
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]


def test_vtimezone_agrees_with_the_tz_database(client, march_meeting):
    _, calendar = fetch(client, calendar_url(march_meeting))
    # Build a time zone from the VTIMEZONE itself, not from its name.
    zone = calendar.timezones[0].to_tz(lookup_tzid=False)

    for year in range(2016, 2041):
        for month, last_day in ((3, 31), (10, 31)):
            day = max(
                datetime.date(year, month, d)
                for d in range(25, last_day + 1)
                if datetime.date(year, month, d).weekday() == 6
            )
            # Every hour either side of the change, as instants in UTC.
            for hour in range(-2, 5):
                instant = datetime.datetime(day.year, day.month, day.day, tzinfo=UTC)
                instant += datetime.timedelta(hours=hour, minutes=30)
                assert (
                    instant.astimezone(zone).utcoffset() == instant.astimezone(LONDON).utcoffset()
                ), instant
        midsummer = datetime.datetime(year, 7, 1, 12, tzinfo=UTC)
        assert midsummer.astimezone(zone).utcoffset() == datetime.timedelta(hours=1)


def test_summer_meeting_is_in_british_summer_time(client, hwb):
    meeting = MeetingPageFactory(parent=hwb, start=london(2030, 7, 10, 14), end=None)

    response, calendar = fetch(client, calendar_url(meeting))

    assert b"DTSTART;TZID=Europe/London:20300710T140000" in response.content
    event = only_event(calendar)
    assert event.start.utcoffset() == datetime.timedelta(hours=1)
    assert event.start.astimezone(UTC) == datetime.datetime(2030, 7, 10, 13, tzinfo=UTC)
    assert response["Content-Disposition"] == 'attachment; filename="hwb-2030-07-10.ics"'


def test_exempt_item_is_named_but_not_described(client, march_meeting):
    _, calendar = fetch(client, calendar_url(march_meeting))
    description = str(only_event(calendar)["DESCRIPTION"])

    assert "1. Apologies for absence" in description
    assert "10(a). Better Care Fund" in description
    assert "14. Care home contract negotiations" in description
    assert "exempt under paragraph 3 of Schedule 12A" in description
    assert "Oakwood" not in description
    assert "Commercial prejudice" not in description
    assert march_meeting.get_full_url() in description


def test_private_meeting_appears_without_exempt_items(client, march_meeting):
    march_meeting.is_private = True
    march_meeting.save()

    _, calendar = fetch(client, calendar_url(march_meeting.get_parent()))
    description = str(only_event(calendar)["DESCRIPTION"])

    assert "held in private" in description
    assert "Better Care Fund" in description
    assert "Care home contract negotiations" not in description
    assert "Oakwood" not in description


# Feeds ---------------------------------------------------------------------------


def test_board_feed_keeps_called_off_meetings(client, hwb):
    replacement = MeetingPageFactory(parent=hwb, start=london(2030, 3, 15, 10))
    meetings = {
        "scheduled": MeetingPageFactory(parent=hwb, status=MeetingStatus.SCHEDULED),
        "held": MeetingPageFactory(parent=hwb, status=MeetingStatus.HELD),
        "cancelled": MeetingPageFactory(
            parent=hwb, status=MeetingStatus.CANCELLED, status_note="Not quorate."
        ),
        "postponed": MeetingPageFactory(parent=hwb, status=MeetingStatus.POSTPONED),
        "moved": MeetingPageFactory(
            parent=hwb, status=MeetingStatus.MOVED, moved_to=replacement, title="Moved meeting"
        ),
    }

    response, calendar = fetch(client, calendar_url(hwb))

    assert response["Content-Disposition"] == 'inline; filename="hwb-meetings.ics"'
    assert str(calendar["X-WR-CALNAME"]) == "Health and Wellbeing Board meetings"
    events = events_by_uid(calendar)
    assert len(events) == 6

    def event(key):
        return events[f"meeting-{meetings[key].pk}@boards.rotherham.gov.uk"]

    assert str(event("scheduled")["STATUS"]) == "CONFIRMED"
    assert str(event("held")["STATUS"]) == "CONFIRMED"
    for key in ("cancelled", "postponed", "moved"):
        assert str(event(key)["STATUS"]) == "CANCELLED", key
    assert str(event("cancelled")["SUMMARY"]).startswith("Cancelled: ")
    assert "Not quorate." in str(event("cancelled")["DESCRIPTION"])
    assert "postponed" in str(event("postponed")["DESCRIPTION"])
    moved = event("moved")
    assert str(moved["SUMMARY"]) == "Moved: Health and Wellbeing Board: Moved meeting"
    assert "moved to Friday 15 March 2030, 10am" in str(moved["DESCRIPTION"])
    assert replacement.get_full_url() in str(moved["DESCRIPTION"])
    # In order of date, whatever the status.
    starts = [e.start for e in calendar.walk("VEVENT")]
    assert starts == sorted(starts)


def test_move_to_a_draft_meeting_does_not_announce_its_date(client, hwb):
    draft = MeetingPageFactory(parent=hwb, start=london(2030, 4, 2, 10), live=False)
    moved = MeetingPageFactory(
        parent=hwb, status=MeetingStatus.MOVED, moved_to=draft, status_note="New date to follow."
    )

    _, calendar = fetch(client, calendar_url(moved))
    event = only_event(calendar)

    assert str(event["STATUS"]) == "CANCELLED"
    description = str(event["DESCRIPTION"])
    assert "This meeting has been moved.\nNew date to follow." in description
    assert "2 April 2030" not in description
    assert draft.slug not in description


def test_feeds_leave_out_drafts_and_restricted_pages(client, board_index, hwb):
    other = BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership")
    public = MeetingPageFactory(parent=hwb)
    other_public = MeetingPageFactory(parent=other)
    draft = MeetingPageFactory(parent=hwb, live=False)
    restricted = MeetingPageFactory(parent=hwb)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    restricted_board = BoardPageFactory(parent=board_index)
    hidden = MeetingPageFactory(parent=restricted_board)
    PageViewRestriction.objects.create(page=restricted_board, restriction_type="login")
    draft_board = BoardPageFactory(parent=board_index, live=False)
    under_draft_board = MeetingPageFactory(parent=draft_board)

    _, board_calendar = fetch(client, calendar_url(hwb))
    response, all_calendar = fetch(client, calendar_url(board_index))

    def uids(calendar):
        return {uid.split("@")[0] for uid in events_by_uid(calendar)}

    assert uids(board_calendar) == {f"meeting-{public.pk}"}
    assert uids(all_calendar) == {f"meeting-{public.pk}", f"meeting-{other_public.pk}"}
    for left_out in (draft, restricted, hidden, under_draft_board):
        assert f"meeting-{left_out.pk}@".encode() not in response.content
    assert response["Content-Disposition"] == ('inline; filename="partnership-boards-meetings.ics"')
    summaries = {str(e["SUMMARY"]) for e in all_calendar.walk("VEVENT")}
    assert f"Safer Rotherham Partnership: {other_public.title}" in summaries


def test_unknown_board_is_not_found(client, board_index, hwb):
    assert client.get("/boards/no-such-board/calendar.ics").status_code == 404
    assert client.get(hwb.get_url() + "no-such-meeting/calendar.ics").status_code == 404


def make_meetings(board, count, items_each):
    """`count` meetings with calendar states and agenda items (one exempt), and one moved."""
    for _ in range(count):
        meeting = MeetingPageFactory(parent=board)
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                sort_order=number,
                number=number,
                title=f"Item {number}",
                is_exempt=number == 2,
                exempt_paragraph=3 if number == 2 else None,
            )
            for number in range(1, items_each + 1)
        )
        record_calendar_change(meeting)
    moved = MeetingPageFactory(parent=board, status=MeetingStatus.MOVED, moved_to=meeting)
    record_calendar_change(moved)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(Calendar.from_ical(response.content).walk("VEVENT"))


def test_feed_queries_do_not_grow_with_meetings_or_items(client, board_index):
    small = BoardPageFactory(parent=board_index)
    make_meetings(small, 3, 3)
    small_board = count_queries(client, calendar_url(small))
    small_all = count_queries(client, calendar_url(board_index))

    large = BoardPageFactory(parent=board_index)
    make_meetings(large, 30, 40)
    large_board = count_queries(client, calendar_url(large))
    large_all = count_queries(client, calendar_url(board_index))

    # (queries, events): the same queries for 4 events with 3 items as for 35 with 40.
    assert (small_board[1], large_board[1], small_all[1], large_all[1]) == (4, 31, 4, 35)
    assert large_board[0] == small_board[0]
    assert large_all[0] == small_all[0]


# Sequence numbers ----------------------------------------------------------------


def sequence_in_feed(client, meeting):
    _, calendar = fetch(client, calendar_url(meeting))
    event = only_event(calendar)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@boards.rotherham.gov.uk"
    return event["SEQUENCE"], event.stamp


def test_sequence_rises_when_time_place_or_status_change(client, march_meeting):
    state = publish(march_meeting)
    assert state.sequence == 0
    first_changed = state.changed_at
    assert sequence_in_feed(client, march_meeting) == (0, first_changed.replace(microsecond=0))

    state = publish(march_meeting, title="Health and Wellbeing Board (rearranged agenda)")
    assert (state.sequence, state.changed_at) == (0, first_changed)
    assert sequence_in_feed(client, march_meeting)[0] == 0

    state = publish(march_meeting, start=london(2017, 3, 8, 14))
    assert state.sequence == 1
    assert state.changed_at > first_changed
    assert sequence_in_feed(client, march_meeting) == (1, state.changed_at.replace(microsecond=0))

    state = publish(march_meeting, venue="Oak House\nBramley")
    assert state.sequence == 2

    state = publish(march_meeting, status=MeetingStatus.CANCELLED)
    assert state.sequence == 3
    assert sequence_in_feed(client, march_meeting)[0] == 3

    state = publish(march_meeting)
    assert state.sequence == 3


def test_end_and_move_count_as_changes_but_held_does_not(march_meeting, hwb):
    replacement = MeetingPageFactory(parent=hwb, start=london(2017, 3, 22, 10))
    assert record_calendar_change(march_meeting).sequence == 0
    # The assumed end is the same as an explicit two hours.
    march_meeting.end = london(2017, 3, 8, 12)
    assert record_calendar_change(march_meeting).sequence == 0
    march_meeting.end = london(2017, 3, 8, 13)
    assert record_calendar_change(march_meeting).sequence == 1
    march_meeting.status = MeetingStatus.HELD
    assert record_calendar_change(march_meeting).sequence == 1
    march_meeting.status = MeetingStatus.MOVED
    march_meeting.moved_to = replacement
    assert record_calendar_change(march_meeting).sequence == 2
    # Moved somewhere else: told only in the status note.
    march_meeting.moved_to = None
    march_meeting.status_note = "Moved to a date to be confirmed."
    assert record_calendar_change(march_meeting).sequence == 3
    assert MeetingCalendarState.objects.get(meeting=march_meeting).sequence == 3


def test_uid_survives_edits_and_differs_between_meetings(client, march_meeting, hwb):
    other = MeetingPageFactory(parent=hwb)
    before = set(events_by_uid(fetch(client, calendar_url(hwb))[1]))

    publish(march_meeting, title="Renamed", slug="renamed", start=london(2017, 3, 9, 10))
    after = set(events_by_uid(fetch(client, calendar_url(hwb))[1]))

    assert before == after
    assert len(after) == 2
    assert f"meeting-{other.pk}@boards.rotherham.gov.uk" in after


def test_uid_domain_comes_from_settings(client, settings, march_meeting):
    settings.CALENDAR_UID_DOMAIN = "meetings.example.gov.uk"
    _, calendar = fetch(client, calendar_url(march_meeting))
    assert str(only_event(calendar)["UID"]) == f"meeting-{march_meeting.pk}@meetings.example.gov.uk"
