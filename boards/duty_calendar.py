"""The iCalendar feed of duties between boards: /duties/calendar.ics (?board=<slug> for one board).

Each obligation of a public duty is an all-day event: spanning its window (DTEND is the day
after the window's last day, as RFC 5545 counts all-day events), or on the day of its deadline
when the duty has a deadline only. The UID follows the obligation, so an edited duty moves the
event in subscribers' calendars rather than duplicating it. The description gives the duty, who
presents it, the source and the status with its reason, written for the public: an exempt item is
"an item considered in private", and no agenda item title is given at all.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from meetings.calendars import calendar_response, new_calendar, uid_domain

from .duty_listing import (
    Visibility,
    involving,
    public_boards,
    public_obligations,
    public_row,
)
from .obligation_status import obligation_statuses

ONE_DAY = datetime.timedelta(days=1)


def obligation_uid(obligation):
    return f"duty-obligation-{obligation.pk}@{uid_domain()}"


def event_summary(obligation):
    if obligation.window_start is None:
        return f"Deadline: {obligation.duty.title} to {obligation.receiver_name}"
    return f"{obligation.duty.title} to {obligation.receiver_name} ({obligation.period_label})"


def event_description(row, page_url):
    duty = row.obligation.duty
    lines = [duty.what.strip()]
    if duty.presented_by:
        lines.append(f"Presented by: {duty.presented_by}")
    if duty.source_document:
        source = duty.source_document
        if duty.source_clause:
            source += f", {duty.source_clause}"
        lines.append(f"Source: {source}")
    if duty.legal_basis:
        lines.append(f"Legal basis: {duty.legal_basis}")
    lines.append(f"Window: {row.window}")
    lines.append(f"Status: {row.status_label}. {row.reason_sentence}")
    if page_url:
        lines.append(f"Duties between boards: {page_url}")
    return "\n".join(line for line in lines if line)


def obligation_event(row, page_url):
    obligation = row.obligation
    start = obligation.window_start or obligation.window_end
    stamp = obligation.created_at.astimezone(datetime.UTC)
    return Event.new(
        uid=obligation_uid(obligation),
        stamp=stamp,
        start=start,
        end=obligation.window_end + ONE_DAY,
        summary=event_summary(obligation),
        description=event_description(row, page_url),
        url=page_url or None,
        # A window is not time spent: it should not show the subscriber as busy for months.
        transparency="TRANSPARENT",
    )


def duties_calendar(request):
    """Every obligation of every public duty, or those involving the board `?board=<slug>`.

    A board the public may not see, or no such board, gives an empty calendar rather than an
    error, so that a subscription never breaks.
    """
    today = timezone.localdate()
    obligations = public_obligations()
    name = f"{settings.WAGTAIL_SITE_NAME}: duties between boards"
    boards = {board.pk: board for board in public_boards().only("title", "slug", "path", "live")}
    slug = (request.GET.get("board") or "").strip()
    if slug:
        board = next((b for b in boards.values() if b.slug == slug), None)
        if board is None:
            obligations = obligations.none()
        else:
            obligations = involving(obligations, board)
            name = f"{board.title}: duties between boards"
    obligations = list(
        obligations.select_related("duty").order_by("window_end", "duty__title", "pk")
    )
    for obligation in obligations:
        if obligation.receiver_id in boards:
            obligation.receiver = boards[obligation.receiver_id]
    statuses = obligation_statuses(obligations, today=today, request=request)
    visibility = Visibility()
    calendar = new_calendar(
        name=name,
        description=(
            f"Windows and deadlines of the duties between the partnership boards of "
            f"{settings.COUNCIL_NAME}."
        ),
    )
    path = reverse("duties")
    for obligation in obligations:
        row = public_row(obligation, statuses[obligation.pk], visibility)
        year = obligation.window_end.year
        page_url = request.build_absolute_uri(f"{path}?year={year}#obligation-{obligation.pk}")
        calendar.add_component(obligation_event(row, page_url))
    return calendar_response(calendar, "duties-between-boards.ics", attachment=False)
