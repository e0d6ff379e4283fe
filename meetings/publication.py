"""The statutory publication rule for agendas (Local Government Act 1972, Part VA).

An agenda and its reports must be open to inspection at least five *clear days* before the
meeting. Clear days leave out the day of publication, the day of the meeting, weekends and
England's bank holidays. A later agenda needs the chair's reason for urgency, recorded with it.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

REQUIRED_CLEAR_DAYS = 5


@lru_cache(maxsize=64)
def _bank_holidays(year):
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day):
    return day in _bank_holidays(day.year)


def is_working_day(day):
    return day.weekday() < 5 and not is_bank_holiday(day)


def clear_days_between(published_on, meeting_on):
    """Working days strictly between the day of publication and the day of the meeting."""
    count = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        if is_working_day(day):
            count += 1
        day += datetime.timedelta(days=1)
    return count


def publish_by(meeting_on, required=REQUIRED_CLEAR_DAYS):
    """The last day on which an agenda can be published and still give `required` clear days."""
    day = meeting_on
    found = 0
    while found < required:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day - datetime.timedelta(days=1)


def publication_problem(meeting, at=None, urgency_reason=None):
    """Why `meeting`'s agenda may not be published at `at` (default now), or None if it may.

    Only the first publication is tested: corrections to a published agenda are allowed, and
    shown as updates.
    """
    if meeting.first_published_at:
        return None
    reason = meeting.urgency_reason if urgency_reason is None else urgency_reason
    if reason and reason.strip():
        return None
    published_on = timezone.localdate(at or timezone.now())
    meeting_on = timezone.localdate(meeting.start)
    days = clear_days_between(published_on, meeting_on)
    if days >= REQUIRED_CLEAR_DAYS:
        return None
    deadline = publish_by(meeting_on)
    return (
        f"This agenda would be published only {days} clear day{'s' if days != 1 else ''} "
        f"before the meeting; the law requires {REQUIRED_CLEAR_DAYS} (the last day to publish "
        f"was {deadline:%A} {deadline.day} {deadline:%B %Y}). Record the chair's reason for "
        "urgency to publish it."
    )
