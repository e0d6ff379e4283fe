"""iCalendar feeds of meetings (all boards, one board) and a meeting's "add to calendar" file.

Subscribers' calendar programs match events by UID and apply a change only when SEQUENCE rises,
so UIDs never change and `record_calendar_change` (run on every publish) raises SEQUENCE when the
time, place or status of a meeting changes. Called-off meetings stay in the feeds as
STATUS:CANCELLED: dropping them would leave the old booking in subscribers' calendars.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur
from wagtail.models import Page

from boards.models import BoardPage

from .dates import format_meeting_datetime
from .models import AgendaItem, MeetingCalendarState, MeetingPage, MeetingStatus

LONDON = ZoneInfo("Europe/London")
CONTENT_TYPE = "text/calendar; charset=utf-8"
DEFAULT_DURATION = datetime.timedelta(hours=2)
REFRESH_INTERVAL = datetime.timedelta(hours=1)
DEFAULT_UID_DOMAIN = "boards.rotherham.gov.uk"

CALLED_OFF_NOTICES = {
    MeetingStatus.CANCELLED: ("Cancelled", "This meeting has been cancelled."),
    MeetingStatus.POSTPONED: ("Postponed", "This meeting has been postponed."),
    MeetingStatus.MOVED: ("Moved", "This meeting has been moved."),
}


# Views -----------------------------------------------------------------------


def all_boards_calendar_response(request, board_index):
    """Every published, public meeting of every published board."""
    boards = {board.path: board for board in BoardPage.objects.child_of(board_index).live()}
    # A meeting under a draft board is left out, as its board is; one under a restricted board
    # is already excluded by `public()`, which covers descendants of restricted pages.
    pairs = []
    for meeting in feed_meetings().descendant_of(board_index):
        board = boards.get(meeting.path[: -Page.steplen])
        if board is not None:
            pairs.append((meeting, board))
    calendar = new_calendar(
        name=f"{settings.WAGTAIL_SITE_NAME}: meetings",
        description=f"Meetings of the partnership boards of {settings.COUNCIL_NAME}.",
    )
    add_events(calendar, pairs, request)
    return calendar_response(calendar, "partnership-boards-meetings.ics", attachment=False)


def board_calendar_response(request, board):
    """Every published, public meeting of one board."""
    calendar = new_calendar(
        name=f"{board.title} meetings",
        description=f"Meetings of the {board.title}, {settings.COUNCIL_NAME}.",
    )
    add_events(calendar, [(meeting, board) for meeting in feed_meetings().child_of(board)], request)
    return calendar_response(calendar, f"{file_stem(board)}-meetings.ics", attachment=False)


def meeting_calendar_response(request, meeting):
    """One meeting as a file to open in a calendar program ("add to calendar").

    Wagtail's routing has already checked that the meeting is live and that this visitor may see
    it, so it is not filtered again here.
    """
    board = BoardPage.objects.get(path=meeting.path[: -Page.steplen])
    calendar = new_calendar(name=board.title)
    add_events(calendar, [(meeting, board)], request)
    filename = f"{file_stem(board)}-{meeting.start.astimezone(LONDON):%Y-%m-%d}.ics"
    return calendar_response(calendar, filename, attachment=True)


def calendar_response(calendar, filename, attachment):
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def file_stem(board):
    return slugify(board.short_name) or slugify(board.title) or "meeting"


# Queries ---------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    """The little of an agenda item an event shows: its number and title, and whether it is exempt.

    Read as plain rows rather than AgendaItem instances because the all-boards feed holds
    thousands of items and building cluster models for them costs more than the rest of the feed.
    """

    number: int | None
    sub_item: str
    title: str
    is_exempt: bool
    exempt_paragraph: int | None

    def line(self):
        """'10(a). Better Care Fund', as `AgendaItem.display_number` numbers it."""
        if self.number is None:
            line = self.title
        elif self.sub_item:
            line = f"{self.number}({self.sub_item}). {self.title}"
        else:
            line = f"{self.number}. {self.title}"
        if self.is_exempt:
            paragraph = f"paragraph {self.exempt_paragraph} of " if self.exempt_paragraph else ""
            line += f" (exempt under {paragraph}Schedule 12A: papers not public)"
        return line


def calendar_items_by_meeting(meeting_ids):
    """{meeting id: [CalendarItem, ...]} in agenda order, in one query.

    Only what the description shows is read: summaries, reasons and papers never reach a feed.
    """
    rows = (
        AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        .order_by("meeting_id", "sort_order", "pk")
        .values_list("meeting_id", "number", "sub_item", "title", "is_exempt", "exempt_paragraph")
    )
    items = defaultdict(list)
    for meeting_id, *fields in rows:
        items[meeting_id].append(CalendarItem(*fields))
    return items


def feed_meetings():
    """Published meetings the public may see, with all an event needs in a fixed number of queries.

    Restricted pages (and their descendants) are left out; meetings held in private are not
    restricted pages and stay in, since the public is entitled to know they take place.
    """
    return (
        MeetingPage.objects.live()
        .public()
        .select_related("calendar_state", "moved_to")
        .order_by("start", "pk")
    )


def calendar_state_of(meeting):
    try:
        return meeting.calendar_state
    except MeetingCalendarState.DoesNotExist:
        return None


# Building the calendar -------------------------------------------------------


def new_calendar(name, description=""):
    calendar = Calendar()
    calendar.add("PRODID", f"-//{settings.COUNCIL_NAME}//Partnership boards//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    if description:
        calendar.add("X-WR-CALDESC", description)
    calendar.add("X-WR-TIMEZONE", LONDON.key)
    # RFC 7986 requires the VALUE parameter; Outlook reads the older X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    calendar.add_component(london_timezone())
    return calendar


def london_timezone():
    """The VTIMEZONE for Europe/London as the UK's standing rule since 1996.

    icalendar's `Timezone.from_tzid` would list every change as RDATEs and puts the start of
    British Summer Time at 02:00, the local time after the change, where RFC 5545 expects 01:00
    (the local time before it); yearly RRULEs are what calendar programs, Outlook included,
    read most reliably.
    """
    zone = Timezone()
    zone.add("TZID", LONDON.key)
    zone.add("X-LIC-LOCATION", LONDON.key)
    for part, name, offset_from, offset_to, onset in (
        (TimezoneDaylight(), "BST", 0, 1, datetime.datetime(1996, 3, 31, 1)),
        (TimezoneStandard(), "GMT", 1, 0, datetime.datetime(1996, 10, 27, 2)),
    ):
        part.add("TZNAME", name)
        part.add("TZOFFSETFROM", datetime.timedelta(hours=offset_from))
        part.add("TZOFFSETTO", datetime.timedelta(hours=offset_to))
        part.add("DTSTART", onset)
        part.add("RRULE", vRecur(freq="YEARLY", bymonth=onset.month, byday="-1SU"))
        zone.add_component(part)
    return zone


def add_events(calendar, meetings_and_boards, request):
    now = timezone.now()
    items = calendar_items_by_meeting([meeting.pk for meeting, _ in meetings_and_boards])
    for meeting, board in meetings_and_boards:
        calendar.add_component(meeting_event(meeting, board, items[meeting.pk], request, now))


def meeting_event(meeting, board, items, request, now):
    state = calendar_state_of(meeting)
    url = meeting.get_full_url(request)
    # A meeting published before states were kept (or loaded in bulk) has none: its last
    # publication is the next best stamp, and keeps the feed the same from one request to the next.
    stamp = state.changed_at if state else (meeting.last_published_at or now)
    event = Event.new(
        uid=event_uid(meeting),
        stamp=stamp.astimezone(datetime.UTC),
        sequence=state.sequence if state else 0,
        start=meeting.start.astimezone(LONDON),
        end=effective_end(meeting).astimezone(LONDON),
        summary=event_summary(meeting, board),
        location=one_line_venue(meeting.venue),
        description=event_description(meeting, items, url, request),
        status=event_status(meeting),
        url=url,
        last_modified=(
            meeting.last_published_at.astimezone(datetime.UTC)
            if meeting.last_published_at
            else None
        ),
    )
    return event


def uid_domain():
    return getattr(settings, "CALENDAR_UID_DOMAIN", None) or DEFAULT_UID_DOMAIN


def event_uid(meeting):
    """Globally unique and fixed for the life of the meeting, whatever else changes.

    Taken from a setting rather than the site's address so that moving the site to another host
    does not duplicate every meeting in subscribers' calendars.
    """
    return f"meeting-{meeting.pk}@{uid_domain()}"


def effective_end(meeting):
    return meeting.end or meeting.start + DEFAULT_DURATION


def event_status(meeting):
    return "CANCELLED" if meeting.status in CALLED_OFF_NOTICES else "CONFIRMED"


def event_summary(meeting, board):
    title = meeting.title
    if board.title not in title and board.short_name not in title:
        title = f"{board.title}: {title}"
    notice = CALLED_OFF_NOTICES.get(meeting.status)
    return f"{notice[0]}: {title}" if notice else title


def one_line_venue(venue):
    return ", ".join(part.strip().rstrip(",") for part in venue.splitlines() if part.strip())


def event_description(meeting, items, url, request):
    """Status notice, the agenda's item titles and the meeting's address.

    Only titles: an exempt item is named with its Schedule 12A note and nothing else, and a
    meeting held in private lists only its non-exempt items.
    """
    paragraphs = []
    notice = CALLED_OFF_NOTICES.get(meeting.status)
    if notice:
        paragraphs.append(called_off_text(meeting, notice[1], request))
    if meeting.is_private:
        paragraphs.append("This meeting is held in private.")
    lines = [item.line() for item in items if not (item.is_exempt and meeting.is_private)]
    if lines:
        paragraphs.append("Agenda:\n" + "\n".join(lines))
    if url:
        paragraphs.append(f"Agenda and papers: {url}")
    return "\n\n".join(paragraphs)


def called_off_text(meeting, sentence, request):
    lines = [sentence]
    replacement = meeting.moved_to if meeting.status == MeetingStatus.MOVED else None
    # A replacement still in draft is not announced yet: its date stays out of the feed.
    if replacement is not None and replacement.live:
        lines = [f"This meeting has been moved to {format_meeting_datetime(replacement.start)}."]
        replacement_url = replacement.get_full_url(request)
        if replacement_url:
            lines.append(f"Details of that meeting: {replacement_url}")
    if meeting.status_note.strip():
        lines.append(meeting.status_note.strip())
    return "\n".join(lines)


# Sequence numbers ------------------------------------------------------------


def calendar_fingerprint(meeting):
    """A digest of what a subscriber's calendar shows of the booking: time, place and status.

    Scheduled and held read the same (both CONFIRMED), so marking a meeting as held afterwards
    does not count as a change.
    """
    status = meeting.status if meeting.status in CALLED_OFF_NOTICES else "confirmed"
    facts = [
        meeting.start.astimezone(datetime.UTC).isoformat(),
        effective_end(meeting).astimezone(datetime.UTC).isoformat(),
        one_line_venue(meeting.venue),
        status,
        meeting.moved_to_id if meeting.status == MeetingStatus.MOVED else None,
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def record_calendar_change(meeting):
    """Raise the meeting's SEQUENCE if this publication changed its time, place or status.

    Called on every publish; republishing without such a change leaves the state alone, and the
    first publication starts at sequence 0.
    """
    fingerprint = calendar_fingerprint(meeting)
    with transaction.atomic():
        state, created = MeetingCalendarState.objects.select_for_update().get_or_create(
            meeting_id=meeting.pk,
            defaults={"fingerprint": fingerprint, "sequence": 0, "changed_at": timezone.now()},
        )
        if created or state.fingerprint == fingerprint:
            return state
        if not state.fingerprint:
            # A state made before any fingerprint was taken: nothing to compare, so no change.
            state.fingerprint = fingerprint
            state.save(update_fields=["fingerprint"])
            return state
        state.sequence += 1
        state.fingerprint = fingerprint
        state.changed_at = timezone.now()
        state.save(update_fields=["sequence", "fingerprint", "changed_at"])
    return state
