"""The five-clear-days rule: weekends, England's bank holidays, Christmas, Europe/London."""

import datetime
import zoneinfo

import pytest

from meetings.factories import london
from meetings.models import MeetingPage
from meetings.publication import (
    clear_days_between,
    is_bank_holiday,
    is_working_day,
    publication_problem,
    publication_time,
    publish_by,
)

# MeetingPage() looks up its content type, so unsaved meetings still need the database.
pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def meeting_on(day, hour=10, minute=0, **fields):
    return MeetingPage(
        title="Health and Wellbeing Board",
        start=london(day.year, day.month, day.day, hour, minute),
        venue="Rotherham Town Hall",
        **fields,
    )


def at_noon(day):
    return london(day.year, day.month, day.day, 12)


def test_a_plain_working_week():
    # Publishing Wednesday 1 March 2017 for Wednesday 8 March: Thu, Fri, Mon, Tue are clear.
    assert clear_days_between(D(2017, 3, 1), D(2017, 3, 8)) == 4
    assert clear_days_between(D(2017, 2, 28), D(2017, 3, 8)) == 5


def test_weekends_are_not_clear_days():
    # Friday to the following Monday: only the weekend in between.
    assert clear_days_between(D(2017, 3, 3), D(2017, 3, 6)) == 0
    assert not is_working_day(D(2017, 3, 4))
    assert not is_working_day(D(2017, 3, 5))


def test_the_day_of_publication_and_the_day_of_the_meeting_do_not_count():
    assert clear_days_between(D(2017, 3, 7), D(2017, 3, 8)) == 0
    assert clear_days_between(D(2017, 3, 6), D(2017, 3, 8)) == 1


def test_easter_2017_bank_holidays_are_not_clear_days():
    assert is_bank_holiday(D(2017, 4, 14))  # Good Friday
    assert is_bank_holiday(D(2017, 4, 17))  # Easter Monday
    # Tue 11 April for Wed 19 April: Wed 12, Thu 13 and Tue 18 only (not 14, 15, 16, 17).
    assert clear_days_between(D(2017, 4, 11), D(2017, 4, 19)) == 3
    assert publish_by(D(2017, 4, 19)) == D(2017, 4, 9)


def test_the_christmas_period_2026():
    # 25 December (Friday), Boxing Day substitute on Monday 28, New Year's Day (Friday).
    for day in (D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)):
        assert is_bank_holiday(day), day
    assert not is_bank_holiday(D(2026, 12, 29))
    # Tue 22 December for Mon 4 January: 23, 24, 29, 30, 31 December are the only clear days.
    assert clear_days_between(D(2026, 12, 22), D(2027, 1, 4)) == 5
    assert clear_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 4
    assert publish_by(D(2027, 1, 4)) == D(2026, 12, 22)

    meeting = meeting_on(D(2027, 1, 4))
    assert publication_problem(meeting, at=at_noon(D(2026, 12, 22))) is None
    problem = publication_problem(meeting, at=at_noon(D(2026, 12, 23)))
    assert "only 4 clear days" in problem
    assert "Monday 4 January 2027" in problem
    assert "Tuesday 22 December 2026" in problem


def test_exactly_five_clear_days_is_on_time_and_four_is_late():
    meeting = meeting_on(D(2017, 3, 8))
    assert publication_problem(meeting, at=at_noon(D(2017, 2, 28))) is None
    problem = publication_problem(meeting, at=at_noon(D(2017, 3, 1)))
    assert problem.startswith("This agenda would be published only 4 clear days")
    assert "Tuesday 28 February 2017" in problem
    assert "reason for urgency" in problem


def test_a_meeting_on_the_day_after_publication():
    meeting = meeting_on(D(2017, 3, 8))
    problem = publication_problem(meeting, at=at_noon(D(2017, 3, 7)))
    assert "only 0 clear days" in problem


def test_a_meeting_on_the_day_of_publication_or_in_the_past():
    meeting = meeting_on(D(2017, 3, 8))
    assert "is today" in publication_problem(meeting, at=london(2017, 3, 8, 8))
    assert "was on Wednesday 8 March 2017" in publication_problem(
        meeting, at=at_noon(D(2017, 3, 9))
    )


def test_an_urgency_reason_allows_late_publication():
    meeting = meeting_on(D(2017, 3, 8))
    late = at_noon(D(2017, 3, 6))
    assert publication_problem(meeting, at=late)
    assert publication_problem(meeting, at=late, urgency_reason="   ") is not None
    assert publication_problem(meeting, at=late, urgency_reason="Better Care Fund deadline") is None
    meeting.urgency_reason = "Better Care Fund deadline"
    assert publication_problem(meeting, at=late) is None


def test_a_published_agenda_may_be_corrected_at_any_time():
    meeting = meeting_on(D(2017, 3, 8), first_published_at=at_noon(D(2017, 2, 20)))
    assert publication_problem(meeting, at=at_noon(D(2017, 3, 7))) is None


def test_notice_that_a_meeting_is_cancelled_is_never_late():
    meeting = meeting_on(D(2017, 3, 8), status="cancelled")
    assert publication_problem(meeting, at=at_noon(D(2017, 3, 7))) is None


def test_a_meeting_at_half_past_midnight_bst_counts_as_its_own_london_day():
    # 00:30 BST on Wednesday 14 June 2017 is 23:30 UTC on Tuesday 13 June.
    start = london(2017, 6, 14, 0, 30)
    assert start.astimezone(UTC).date() == D(2017, 6, 13)
    meeting = MeetingPage(title="Late sitting", start=start, venue="Town Hall")
    # Published Wednesday 7 June: Thu 8, Fri 9, Mon 12 and Tue 13 are clear, so it is late.
    assert "only 4 clear days" in publication_problem(meeting, at=at_noon(D(2017, 6, 7)))
    # Published Tuesday 6 June it is on time (had the UTC date been used it would not be).
    assert publication_problem(meeting, at=at_noon(D(2017, 6, 6))) is None


def test_the_moment_of_publication_is_also_read_in_london():
    meeting = meeting_on(D(2017, 6, 14))
    # 23:30 UTC on Tuesday 6 June is already Wednesday 7 June in London: too late.
    wednesday_in_london = datetime.datetime(2017, 6, 6, 23, 30, tzinfo=UTC)
    assert publication_problem(meeting, at=wednesday_in_london) is not None
    tuesday_in_london = datetime.datetime(2017, 6, 6, 22, 30, tzinfo=UTC)
    assert publication_problem(meeting, at=tuesday_in_london) is None


@pytest.mark.parametrize(
    ("published", "meeting", "expected"),
    [
        (D(2023, 5, 2), D(2023, 5, 10), 4),  # 8 May 2023, the coronation, was a bank holiday
        (D(2022, 9, 12), D(2022, 9, 20), 4),  # 19 September 2022, the state funeral
        (D(2017, 8, 25), D(2017, 9, 1), 3),  # late summer bank holiday, Monday 28 August
    ],
)
def test_one_off_and_summer_bank_holidays(published, meeting, expected):
    assert clear_days_between(published, meeting) == expected


def test_dates_in_another_zone_are_converted_not_truncated():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    # 08:00 on Wednesday 8 March 2017 in Tokyo is still 23:00 on Tuesday 7 March in London.
    meeting = MeetingPage(
        title="x", start=datetime.datetime(2017, 3, 8, 8, 0, tzinfo=tokyo), venue="Town Hall"
    )
    assert publication_problem(meeting, at=at_noon(D(2017, 2, 28))) is not None
    assert publication_problem(meeting, at=at_noon(D(2017, 2, 27))) is None


def test_publication_takes_effect_now_or_at_the_scheduled_time():
    now = london(2017, 2, 20, 9)
    meeting = meeting_on(D(2017, 3, 8))
    assert publication_time(meeting, now=now) == now
    meeting.go_live_at = london(2017, 3, 6, 9)
    assert publication_time(meeting, now=now) == meeting.go_live_at
    meeting.go_live_at = london(2017, 2, 1, 9)  # in the past: publishing happens now
    assert publication_time(meeting, now=now) == now
