"""The status of an obligation, derived from the records and explained in plain English.

Nothing here is stored except the history: the status follows from the window, the receiving
board's meetings, the agenda item linked to the obligation and that meeting's minutes. In order of
precedence:

- waived: an officer recorded why it no longer applies;
- met: the linked item's meeting has published (live) minutes, or, for a body that is not a board
  here, an officer recorded when it was met;
- planned: an agenda item of the receiving board inside the window is linked;
- missed: the window has closed and it was not met;
- at risk: the receiving board has no meeting (left) in the window, or the window closes within
  four weeks and nothing is planned;
- due: the window is open;
- not yet due.

`obligation_statuses` works out every status in a fixed number of queries, however many
obligations it is given. `record_status_changes` stores a change whenever the status differs from
the last one recorded; `link_obligation`, `waive`, `record_met` and their undoings change the
records and record the change with the user who made it. The history is never deleted.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from meetings.dates import format_date
from meetings.minutes_record import minute_anchor

from .duties import Obligation, ObligationStatus, ObligationStatusChange

AT_RISK_WITHIN = datetime.timedelta(weeks=4)
OPEN_STATUSES = (ObligationStatus.NOT_YET_DUE, ObligationStatus.DUE, ObligationStatus.AT_RISK)
CALLED_OFF_WORDS = {"cancelled": "cancelled", "postponed": "postponed", "moved": "moved"}


@dataclass
class StatusResult:
    """An obligation's status with its reason and the records it was derived from.

    `agenda_item`, `meeting` and `minutes` are the linked item, its meeting and the meeting's
    minutes page (when published). The item may be exempt and the meeting unpublished: a public
    page must check `agenda_item.is_exempt` and `meeting.live` before showing a title, or use
    `public_item_title`. `minutes_url` points at the minute (e.g. ".../minutes/#minute-45").
    """

    obligation_id: int
    status: str
    reason: str
    agenda_item: object = None
    meeting: object = None
    minutes: object = None
    minutes_url: str = ""
    meeting_url: str = ""
    minute_number: int | None = None
    next_meeting_on: datetime.date | None = None

    @property
    def label(self):
        return ObligationStatus(self.status).label

    @property
    def is_open(self):
        """Still to be met: not yet due, due or at risk (not planned, met, missed or waived)."""
        return self.status in OPEN_STATUSES

    @property
    def public_item_title(self):
        """The linked item's title if the public may see it (meeting published, item not exempt)."""
        item, meeting = self.agenda_item, self.meeting
        if item is None or meeting is None or not meeting.live or item.is_exempt:
            return ""
        return item.title


# Words ---------------------------------------------------------------------------------------


def day_month_year(day):
    """'16 November 2016'."""
    return f"{day.day} {day:%B %Y}"


def date_range(start, end):
    """'1 September and 30 November 2027', or '1 December 2026 and 28 February 2027'."""
    if start.year == end.year:
        return f"{start.day} {start:%B} and {day_month_year(end)}"
    return f"{day_month_year(start)} and {day_month_year(end)}"


def window_text(obligation):
    """'1 September to 30 November 2016', or 'by 31 December 2027' for a plain deadline."""
    start, end = obligation.window_start, obligation.window_end
    if start is None:
        return f"by {day_month_year(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {day_month_year(end)}"
    return f"{day_month_year(start)} to {day_month_year(end)}"


def the(name):
    """'the Health and Wellbeing Board' (names that already start with 'The' are left alone)."""
    return name if name[:4].lower() == "the " else f"the {name}"


def item_label(item):
    return f"item {item.display_number}" if item.display_number else f"the item '{item.title}'"


def local_day(moment):
    return timezone.localtime(moment).date()


# Loading ------------------------------------------------------------------------------------


class StatusContext:
    """Everything the statuses of a set of obligations depend on, loaded in a few queries."""

    def __init__(self, obligations, today, request=None, history_for=()):
        from meetings.minutes import MinuteItem, MinutesPage
        from meetings.models import AgendaItem

        self.today = today
        self.request = request
        item_ids = {o.agenda_item_id for o in obligations if o.agenda_item_id}
        self.items = {}
        self.minutes = {}
        self.minute_numbers = {}
        if item_ids:
            self.items = {
                item.pk: item
                for item in AgendaItem.objects.filter(pk__in=item_ids).select_related("meeting")
            }
            # The meetings' minutes pages (select_related would leave their Page fields deferred).
            self.minutes = {
                minutes.meeting_id: minutes
                for minutes in MinutesPage.objects.filter(
                    meeting_id__in={item.meeting_id for item in self.items.values()}
                )
            }
            rows = (
                MinuteItem.objects.filter(agenda_item_id__in=item_ids, minutes__live=True)
                .order_by("minutes_id", "sort_order", "pk")
                .values_list("agenda_item_id", "minutes__meeting_id", "number")
            )
            for item_id, meeting_id, number in rows:
                item = self.items.get(item_id)
                if item is not None and item.meeting_id == meeting_id:
                    self.minute_numbers.setdefault(item_id, number)
        self.boards = self._load_boards(obligations)
        self.meeting_days = self._load_meeting_days()
        wanted = set(history_for) | {
            o.pk for o in obligations if not o.agenda_item_id and o.evidence_date
        }
        self.last_status = last_recorded_statuses(wanted) if wanted else {}
        self._root_paths = None

    def _load_boards(self, obligations):
        from .models import BoardPage

        board_ids = {o.receiver_id for o in obligations if o.receiver_id}
        if not board_ids:
            return {}
        return {
            board.pk: board
            for board in BoardPage.objects.filter(pk__in=board_ids).only(
                "title", "path", "depth", "live"
            )
        }

    def _load_meeting_days(self):
        """{board id: sorted days of its meetings from today on}: one query for every board.

        Only meetings that are going ahead count (not cancelled, postponed or moved); the past
        ones do not matter: a closed window is met or missed whatever meetings it had.
        """
        from meetings.models import CALLED_OFF, MeetingPage

        if not self.boards:
            return {}
        by_path = {board.path: board.pk for board in self.boards.values()}
        children = Q()
        for board in self.boards.values():
            children |= Q(path__startswith=board.path, depth=board.depth + 1)
        first = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time.min))
        days = {pk: [] for pk in self.boards}
        rows = (
            MeetingPage.objects.filter(children, start__gte=first)
            .exclude(status__in=CALLED_OFF)
            .values_list("path", "start")
        )
        steplen = MeetingPage.steplen
        for path, start in rows:
            board_id = by_path.get(path[:-steplen])
            if board_id is not None:
                days[board_id].append(local_day(start))
        for values in days.values():
            values.sort()
        return days

    def page_url(self, page):
        """A page's URL without a query per page: the site root paths are read once."""
        if page is None or not page.live:
            return ""
        if self.request is not None:
            return page.get_url(request=self.request) or ""
        if self._root_paths is None:
            from wagtail.models import Site

            self._root_paths = Site.get_site_root_paths()
        page._wagtail_cached_site_root_paths = self._root_paths
        return page.get_url() or ""


def last_recorded_statuses(obligation_ids=None):
    """{obligation id: the status last recorded for it} in one query (None: every obligation)."""
    latest = (
        ObligationStatusChange.objects.filter(obligation=OuterRef("pk"))
        .order_by("-changed_at", "-pk")
        .values("status")[:1]
    )
    queryset = Obligation.objects.all()
    if obligation_ids is not None:
        ids = set(obligation_ids)
        if len(ids) <= 500:
            queryset = queryset.filter(pk__in=ids)
        rows = queryset.annotate(last=Subquery(latest)).values_list("pk", "last")
        return {pk: status for pk, status in rows if pk in ids and status}
    rows = queryset.annotate(last=Subquery(latest)).values_list("pk", "last")
    return {pk: status for pk, status in rows if status}


# Deriving ------------------------------------------------------------------------------------


def _called_off(meeting):
    return meeting is not None and meeting.status in CALLED_OFF_WORDS


def derive_status(obligation, context):
    """The StatusResult of one obligation, from what `context` loaded."""
    today = context.today
    o = obligation
    result = StatusResult(o.pk, ObligationStatus.NOT_YET_DUE, "")
    if o.waived_reason.strip():
        result.status, result.reason = ObligationStatus.WAIVED, f"Waived: {o.waived_reason.strip()}"
        return result

    item = context.items.get(o.agenda_item_id) if o.agenda_item_id else None
    meeting = item.meeting if item is not None else None
    if item is not None:
        result.agenda_item, result.meeting = item, meeting
        result.meeting_url = context.page_url(meeting)
        minutes = context.minutes.get(meeting.pk)
        if minutes is not None and minutes.live and not _called_off(meeting):
            number = context.minute_numbers.get(item.pk)
            day = day_month_year(local_day(meeting.start))
            result.status = ObligationStatus.MET
            result.minutes, result.minute_number = minutes, number
            url = context.page_url(minutes)
            if number is not None:
                result.reason = f"Met by minute {number} of {day}"
                result.minutes_url = f"{url}#{minute_anchor(number)}" if url else ""
            else:
                result.reason = f"Met at the meeting of {day} ({item_label(item)})"
                result.minutes_url = url
            return result

    if o.met_on:
        result.status, result.reason = ObligationStatus.MET, f"Met on {day_month_year(o.met_on)}"
        return result

    if item is None and o.evidence_date and context.last_status.get(o.pk) == ObligationStatus.MET:
        # The meeting that met it has been deleted: the evidence kept with the obligation stands.
        result.status = ObligationStatus.MET
        result.reason = (
            f"Met on {day_month_year(o.evidence_date)} ({o.evidence_title}); the meeting's page "
            "has since been removed"
        )
        return result

    if item is not None and not _called_off(meeting):
        day = local_day(meeting.start)
        result.status = ObligationStatus.PLANNED
        if day >= today:
            result.reason = f"Planned for {item_label(item)} of {format_date(day)}"
        else:
            result.reason = (
                f"Taken as {item_label(item)} of {format_date(day)}; the minutes are not "
                "published yet"
            )
        return result

    called_off = ""
    if _called_off(meeting):
        called_off = (
            f"the meeting of {format_date(local_day(meeting.start))} it was planned for was "
            f"{CALLED_OFF_WORDS[meeting.status]}"
        )

    start, end = o.window_start, o.window_end
    if today > end:
        result.status = ObligationStatus.MISSED
        if start is None:
            result.reason = f"The deadline of {day_month_year(end)} passed and it was not met"
        else:
            result.reason = f"Window closed on {day_month_year(end)} and it was not met"
        if called_off:
            result.reason += f": {called_off}"
        return result

    is_open = start is None or start <= today
    closes_soon = end - today <= AT_RISK_WITHIN
    board = context.boards.get(o.receiver_id) if o.receiver_id else None
    left = []
    if board is not None:
        first = max(today, start) if start else today
        days = context.meeting_days.get(board.pk, [])
        left = [day for day in days if first <= day <= end]
        schedule_known = any(day > end for day in days)
        result.next_meeting_on = left[0] if left else None
        if not left and (schedule_known or closes_soon):
            result.status = ObligationStatus.AT_RISK
            if called_off:
                result.reason = f"{called_off[0].upper()}{called_off[1:]} and " + (
                    f"no other meeting of {the(board.title)} is left in the window"
                )
            elif is_open:
                result.reason = (
                    f"No meeting of {the(board.title)} is left in the window, which closes on "
                    f"{day_month_year(end)}"
                )
            else:
                result.reason = (
                    f"No meeting of {the(board.title)} falls between {date_range(start, end)}"
                )
            return result
    if called_off:
        result.status = ObligationStatus.AT_RISK
        result.reason = f"{called_off[0].upper()}{called_off[1:]}"
        return result
    if closes_soon:
        result.status = ObligationStatus.AT_RISK
        result.reason = f"Window closes on {day_month_year(end)} and nothing is planned"
        return result

    if is_open:
        result.status = ObligationStatus.DUE
        if start is None:
            result.reason = f"Due by {day_month_year(end)}"
        else:
            result.reason = f"Window open until {day_month_year(end)}"
        if board is not None:
            if left:
                result.reason += f"; {the(board.title)} next meets on {format_date(left[0])}"
            else:
                result.reason += f"; no meeting of {the(board.title)} is scheduled in it yet"
        return result

    result.status = ObligationStatus.NOT_YET_DUE
    result.reason = f"Window opens on {day_month_year(start)}"
    return result


def obligation_statuses(obligations, *, today=None, request=None):
    """{obligation pk: StatusResult} for `obligations` (a queryset or any iterable of them).

    A fixed number of queries whatever the number of obligations: the linked items with their
    meetings, the meetings' minutes pages, the minute numbers, the receiving boards, all their
    meetings from `today` on (one query for every board) and, where needed, the last recorded
    statuses.
    `today` defaults to today in the UK; `request`, if given, is used to work out page URLs for
    its site (as Wagtail's `page.get_url(request)` does).
    """
    obligations = list(obligations)
    today = today or timezone.localdate()
    context = StatusContext(obligations, today, request)
    return {o.pk: derive_status(o, context) for o in obligations}


def obligation_status(obligation, *, today=None, request=None):
    """The StatusResult of one obligation."""
    return obligation_statuses([obligation], today=today, request=request)[obligation.pk]


# Recording -----------------------------------------------------------------------------------


def _evidence_from_minutes(obligation, result):
    """Bring the evidence copy up to date with the minute that met the obligation."""
    item, meeting = result.agenda_item, result.meeting
    title = item.title
    if result.minute_number is not None:
        title = f"Minute {result.minute_number}: {item.title}"
    values = {
        "evidence_title": title[:500],
        "evidence_date": local_day(meeting.start),
        "evidence_url": (result.minutes_url or result.meeting_url)[:500],
    }
    changed = False
    for name, value in values.items():
        if getattr(obligation, name) != value:
            setattr(obligation, name, value)
            changed = True
    return changed


def record_status_changes(today=None, *, obligations=None, user=None):
    """Store a status change for every obligation whose status differs from the last recorded.

    Safe to run daily: an obligation whose status has not changed gets nothing. When an
    obligation becomes met by a minute, its evidence copy is brought up to date with the minute,
    so the record survives the meeting's page. Returns the changes created.
    """
    today = today or timezone.localdate()
    queryset = Obligation.objects.all() if obligations is None else obligations
    obligations = list(queryset)
    if not obligations:
        return []
    pks = [o.pk for o in obligations]
    context = StatusContext(obligations, today, history_for=pks)
    now = timezone.now()
    changes, evidence = [], []
    for obligation in obligations:
        result = derive_status(obligation, context)
        if context.last_status.get(obligation.pk) == result.status:
            continue
        changes.append(
            ObligationStatusChange(
                obligation=obligation,
                status=result.status,
                reason=result.reason,
                changed_at=now,
                user=user,
            )
        )
        met_by_item = result.status == ObligationStatus.MET and result.agenda_item is not None
        if met_by_item and _evidence_from_minutes(obligation, result):
            evidence.append(obligation)
    with transaction.atomic():
        ObligationStatusChange.objects.bulk_create(changes)
        if evidence:
            Obligation.objects.bulk_update(
                evidence, ["evidence_title", "evidence_date", "evidence_url"]
            )
    return changes


def _record(obligation, *, user=None, today=None, note=""):
    """Record the obligation's status now, after an officer changed its records."""
    result = obligation_status(obligation, today=today)
    met_by_item = result.status == ObligationStatus.MET and result.agenda_item is not None
    if met_by_item and _evidence_from_minutes(obligation, result):
        obligation.save(update_fields=["evidence_title", "evidence_date", "evidence_url"])
    reason = result.reason + (f". {note}" if note else "")
    ObligationStatusChange.objects.create(
        obligation=obligation, status=result.status, reason=reason, user=user
    )
    return result


# What officers do ----------------------------------------------------------------------------


def link_problems(obligation, agenda_item):
    """Why linking `agenda_item` to `obligation` needs a reason: [] when it fits.

    Raises ValidationError outright for an item of a meeting that was called off.
    """
    meeting = agenda_item.meeting
    day = local_day(meeting.start)
    if _called_off(meeting):
        raise ValidationError(
            f"The meeting of {format_date(day)} was {CALLED_OFF_WORDS[meeting.status]}: link an "
            "item of a meeting that takes place."
        )
    board = meeting.get_parent()
    problems = []
    label = f"{item_label(agenda_item)[0].upper()}{item_label(agenda_item)[1:]}"
    if board.pk != obligation.receiver_id:
        problems.append(
            f"{label} of {format_date(day)} is business of {the(board.title)}, not of "
            f"{the(obligation.receiver_name)}."
        )
    start, end = obligation.window_start, obligation.window_end
    if (start and day < start) or day > end:
        problems.append(
            f"The meeting of {format_date(day)} is outside the window ({window_text(obligation)})."
        )
    return problems


def link_obligation(obligation, agenda_item, *, reason="", user=None, today=None):
    """Record that `agenda_item` meets (or will meet) `obligation`; returns its StatusResult.

    The item must be business of the receiving board in a meeting inside the window; otherwise
    the officer must give a reason, which is kept with the link (`link_reason`). A copy of the
    evidence (title, date, address) is kept with the obligation, and the change is recorded.
    Raises ValidationError with the problems and what to do when there is no reason.
    """
    reason = (reason or "").strip()
    problems = link_problems(obligation, agenda_item)
    if problems and not reason:
        raise ValidationError(problems + ["Give the reason to link it anyway."])
    meeting = agenda_item.meeting
    obligation.agenda_item = agenda_item
    obligation.link_reason = reason
    obligation.evidence_title = agenda_item.title[:500]
    obligation.evidence_date = local_day(meeting.start)
    obligation.evidence_url = (meeting.url or "")[:500] if meeting.live else ""
    obligation.save(
        update_fields=[
            "agenda_item",
            "link_reason",
            "evidence_title",
            "evidence_date",
            "evidence_url",
        ]
    )
    note = f"Linked with the reason: {reason}" if reason else ""
    return _record(obligation, user=user, today=today, note=note)


def unlink_obligation(obligation, *, user=None, today=None):
    """Remove a wrong link. The history keeps what was linked before."""
    if not obligation.agenda_item_id and not obligation.evidence_title:
        return obligation_status(obligation, today=today)
    previous = obligation.evidence_title
    obligation.agenda_item = None
    obligation.link_reason = ""
    obligation.evidence_title = ""
    obligation.evidence_date = None
    obligation.evidence_url = ""
    obligation.save(
        update_fields=[
            "agenda_item",
            "link_reason",
            "evidence_title",
            "evidence_date",
            "evidence_url",
        ]
    )
    return _record(obligation, user=user, today=today, note=f"Unlinked from '{previous}'")


def waive(obligation, reason, user, *, today=None):
    """Waive an obligation; the reason is required and shown with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason the obligation is waived: it is shown with it.")
    obligation.waived_reason = reason
    obligation.waived_by = user
    obligation.waived_at = timezone.now()
    obligation.save(update_fields=["waived_reason", "waived_by", "waived_at"])
    return _record(obligation, user=user, today=today)


def reinstate(obligation, user, *, today=None):
    """Undo a waiver; the history keeps the waiver and its reason."""
    obligation.waived_reason = ""
    obligation.waived_by = None
    obligation.waived_at = None
    obligation.save(update_fields=["waived_reason", "waived_by", "waived_at"])
    return _record(obligation, user=user, today=today, note="Waiver withdrawn")


def record_met(obligation, *, met_on, evidence_note, user=None, today=None):
    """Record that an obligation to a body that is not a board here was met, with the evidence."""
    today = today or timezone.localdate()
    evidence_note = (evidence_note or "").strip()
    errors = {}
    if met_on is None:
        errors["met_on"] = "Give the date it was met."
    elif met_on > today:
        errors["met_on"] = "The date it was met cannot be in the future."
    if not evidence_note:
        errors["evidence_note"] = "Say what shows it was met (e.g. the report and where it is)."
    if errors:
        raise ValidationError(errors)
    obligation.met_on = met_on
    obligation.evidence_note = evidence_note
    obligation.save(update_fields=["met_on", "evidence_note"])
    return _record(obligation, user=user, today=today)
