"""The statutory publication rule for agendas (Local Government Act 1972, Part VA).

An agenda and its reports must be open to inspection at least five *clear days* before the
meeting. Clear days leave out the day of publication, the day of the meeting, weekends and
England's bank holidays. A later agenda needs the chair's reason for urgency, recorded with it.

Days are always counted in Europe/London: a meeting starting at 00:30 BST is stored as 23:30 UTC
the evening before, but it is still held on its own local day.
"""

import datetime
import zoneinfo
from functools import lru_cache

import holidays
from django.utils import timezone

from .dates import format_date

REQUIRED_CLEAR_DAYS = 5
LONDON = zoneinfo.ZoneInfo("Europe/London")

# A meeting with one of these statuses will not be held, so there is no agenda to give notice of:
# publishing the notice that it is off can never be "late".
_NOT_TAKING_PLACE = {"cancelled", "postponed", "moved"}


@lru_cache(maxsize=64)
def _bank_holidays(year):
    # England's list includes substitute days ("Boxing Day (observed)") and one-off holidays such
    # as the 2023 coronation, which is why the library is used rather than a hand-kept list.
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day):
    return day in _bank_holidays(day.year)


def is_working_day(day):
    return day.weekday() < 5 and not is_bank_holiday(day)


def london_date(value):
    """The Europe/London calendar day of an aware datetime (dates are returned unchanged)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, LONDON)
        return value.astimezone(LONDON).date()
    return value


def clear_days_between(published_on, meeting_on):
    """Working days strictly between the day of publication and the day of the meeting."""
    published_on, meeting_on = london_date(published_on), london_date(meeting_on)
    count = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        if is_working_day(day):
            count += 1
        day += datetime.timedelta(days=1)
    return count


def publish_by(meeting_on, required=REQUIRED_CLEAR_DAYS):
    """The last day on which an agenda can be published and still give `required` clear days."""
    day = london_date(meeting_on)
    found = 0
    while found < required:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day - datetime.timedelta(days=1)


def publication_time(page, now=None):
    """When publishing `page` takes effect: now, or its scheduled go-live time if later."""
    now = now or timezone.now()
    go_live_at = getattr(page, "go_live_at", None)
    return go_live_at if go_live_at and go_live_at > now else now


def publication_problem(meeting, at=None, urgency_reason=None):
    """Why `meeting`'s agenda may not be published at `at` (default now), or None if it may.

    `urgency_reason`, when given, is used instead of the reason recorded on the meeting (an
    approver can give it while approving). Only the first publication is tested: corrections to a
    published agenda are allowed, and shown as updates.
    """
    if meeting.first_published_at or not meeting.start:
        return None
    if getattr(meeting, "status", None) in _NOT_TAKING_PLACE:
        return None
    reason = meeting.urgency_reason if urgency_reason is None else urgency_reason
    if reason and reason.strip():
        return None
    published_on = london_date(at or timezone.now())
    meeting_on = london_date(meeting.start)
    if meeting_on <= published_on:
        when = "is today" if meeting_on == published_on else f"was on {format_date(meeting_on)}"
        return (
            f"This meeting {when}, so its agenda cannot give the {REQUIRED_CLEAR_DAYS} clear "
            "days' notice the law requires. Record the chair's reason for urgency to publish it."
        )
    days = clear_days_between(published_on, meeting_on)
    if days >= REQUIRED_CLEAR_DAYS:
        return None
    deadline = publish_by(meeting_on)
    return (
        f"This agenda would be published only {days} clear day{'s' if days != 1 else ''} "
        f"before the meeting on {format_date(meeting_on)}; the law requires "
        f"{REQUIRED_CLEAR_DAYS} (the last day to publish was {format_date(deadline)}). "
        "Record the chair's reason for urgency to publish it."
    )
