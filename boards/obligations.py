"""Generating a duty's obligations: one per period and per receiving board or body.

A recurring duty's windows are its first window shifted by whole months (twelve for an annual
duty, six for twice a year, three for quarterly, N for every N months), always counted from the
first window, never from the previous one, so a day clamped in a short month comes back: a window
ending 29 February 2016 ends on 28 February 2017 and on 29 February 2020. A window that ends on
the last day of a month keeps ending on the last day ("Quarter to 31 December", not "30
December"). A duty that happens once yields one obligation; an event-driven duty one per event,
its window running from the event for `interval_months` (three months if not set).

Generation is idempotent: obligations are found by duty, receiver and window end and only missing
ones are created. Obligations that no longer fit the duty (it was edited) are removed only when
nothing has happened to them; any with history, a link, a waiver or a forward-programme item are
kept, so nothing recorded is ever lost.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from .duties import (
    FREQUENCY_MONTHS,
    Duty,
    DutyFrequency,
    ForwardPlanItem,
    Obligation,
    ObligationStatusChange,
    PartyRole,
    check_parties,
)

__all__ = [
    "EnsureReport",
    "Period",
    "check_parties",
    "duty_periods",
    "ensure_obligations",
    "generate_obligations",
    "period_label",
    "shift_months",
]

EVENT_WINDOW_MONTHS = 3  # an event-driven duty's window when interval_months is not set


def _last_day(year, month):
    return calendar.monthrange(year, month)[1]


def is_month_end(day):
    return day.day == _last_day(day.year, day.month)


def shift_months(day, months, *, keep_month_end=False):
    """`day` moved by whole `months`, its day clamped to the length of the month it lands in.

    shift_months(29 Feb 2016, 12) is 28 Feb 2017; shift_months(31 Jan 2017, 1) is 28 Feb 2017.
    With keep_month_end, a month's last day lands on the last day (30 June + 6 = 31 December).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _last_day(year, month)
    if keep_month_end and is_month_end(day):
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(day.day, last))


def _day_month(day):
    return f"{day.day} {day:%B}"


def _day_month_year(day):
    return f"{day.day} {day:%B %Y}"


def period_label(start, end, *, frequency=None):
    """How people name a period: "September to November 2016", "2016-17", "Quarter to 30 June
    2027", "October 2016 to March 2017", "By 31 December 2027"."""
    if frequency == DutyFrequency.QUARTERLY:
        return f"Quarter to {_day_month_year(end)}"
    if start is None:
        return f"By {_day_month_year(end)}"
    whole_months = start.day == 1 and is_month_end(end)
    if whole_months and (start.month, end.month, end.year) == (4, 3, start.year + 1):
        return f"{start.year}-{str(end.year)[-2:]}"  # a financial year
    if whole_months and (start.month, end.month, end.year) == (1, 12, start.year):
        return str(start.year)
    if whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return f"{end:%B %Y}"
        if start.year == end.year:
            return f"{start:%B} to {end:%B %Y}"
        return f"{start:%B %Y} to {end:%B %Y}"
    if start.year == end.year:
        return f"{_day_month(start)} to {_day_month_year(end)}"
    return f"{_day_month_year(start)} to {_day_month_year(end)}"


@dataclass(frozen=True)
class Period:
    """One period of a duty: its window, its label and, for an event-driven duty, the event."""

    start: datetime.date | None
    end: datetime.date
    label: str
    event: object = None


def _step_months(duty):
    if duty.frequency == DutyFrequency.EVERY_N_MONTHS:
        return duty.interval_months or 0
    return FREQUENCY_MONTHS.get(duty.frequency, 0)


def _within_duty(duty, end):
    return duty.last_period_end is None or end <= duty.last_period_end


def duty_periods(duty, *, until, events=None):
    """The periods of `duty` whose window opens on or before `until`, oldest first.

    `events` (DutyEvent rows) are read from the duty when not given. Raises ValidationError for a
    window that ends before it starts.
    """
    duty.clean()
    frequency = duty.frequency
    if frequency == DutyFrequency.ON_EVENT:
        months = duty.interval_months or EVENT_WINDOW_MONTHS
        events = list(duty.events.all()) if events is None else events
        periods = []
        for event in sorted(events, key=lambda e: (e.happened_on, e.pk or 0)):
            end = shift_months(event.happened_on, months)
            if not _within_duty(duty, event.happened_on):
                continue
            label = f"{event.description} ({_day_month_year(event.happened_on)})"
            if len(label) > 100:
                label = label[:99] + "…"
            periods.append(Period(event.happened_on, end, label, event))
        return periods

    first_start, first_end = duty.first_window_start, duty.first_window_end
    if frequency == DutyFrequency.ONCE:
        opens = first_start or first_end
        if opens > until:
            return []
        return [Period(first_start, first_end, period_label(first_start, first_end))]

    step = _step_months(duty)
    if step <= 0:
        raise ValidationError({"interval_months": "Say how many months apart the periods are."})
    periods = []
    index = 0
    while True:
        end = shift_months(first_end, step * index, keep_month_end=True)
        if first_start is not None:
            start = shift_months(first_start, step * index, keep_month_end=True)
        else:
            # A plain deadline: the period runs from the day after the previous deadline.
            previous = shift_months(first_end, step * (index - 1), keep_month_end=True)
            start = previous + datetime.timedelta(days=1)
        if start > until or not _within_duty(duty, end):
            break
        periods.append(Period(start, end, period_label(start, end, frequency=frequency)))
        index += 1
    return periods


def _receivers(parties):
    """(board or None, body name) for each party the duty runs to, in the parties' order."""
    receivers = []
    for party in parties:
        if party.role != PartyRole.TO:
            continue
        if party.board_id:
            receivers.append((party.board, ""))
        else:
            receivers.append((None, party.body_name.strip()))
    return receivers


def _has_history(obligation):
    return bool(
        obligation.agenda_item_id
        or obligation.waived_reason
        or obligation.met_on
        or obligation.at_risk_notified_at
        or obligation.evidence_title
        or obligation.has_changes
        or obligation.has_plan_items
    )


def generate_obligations(duty, *, until):
    """Create the obligations of `duty` for every period opening on or before `until`.

    One per period and per board or body the duty runs to; get-or-create by duty, receiver and
    window end, so running it again changes nothing. Labels and window starts are brought up to
    date. Returns the duty's obligations for those periods, oldest first, then in the order of
    its parties. Raises ValidationError (and creates nothing) for a duty from a board to itself,
    a duty with nobody to run to, or a window that ends before it starts.
    """
    parties = list(duty.parties.select_related("board").all())
    check_parties(duty, parties)
    periods = duty_periods(duty, until=until)
    receivers = _receivers(parties)

    with transaction.atomic():
        # One generation per duty at a time, so two runs cannot both create the same rows.
        Duty.objects.select_for_update().filter(pk=duty.pk).first()
        existing = list(
            Obligation.objects.filter(duty=duty).annotate(
                has_changes=Exists(
                    ObligationStatusChange.objects.filter(obligation=OuterRef("pk"))
                ),
                has_plan_items=Exists(ForwardPlanItem.objects.filter(obligation=OuterRef("pk"))),
            )
        )
        by_key = {(o.receiver_id, o.receiver_body, o.window_end): o for o in existing}
        by_event = {(o.receiver_id, o.receiver_body, o.event_id): o for o in existing if o.event_id}

        wanted, to_create, to_update = [], [], []
        for period in periods:
            for board, body in receivers:
                board_id = board.pk if board else None
                found = None
                if period.event is not None:
                    found = by_event.get((board_id, body, period.event.pk))
                found = found or by_key.get((board_id, body, period.end))
                if found is None:
                    found = Obligation(
                        duty=duty,
                        receiver=board,
                        receiver_body=body,
                        period_label=period.label,
                        window_start=period.start,
                        window_end=period.end,
                        event=period.event,
                    )
                    by_key[(board_id, body, period.end)] = found
                    to_create.append(found)
                elif (found.period_label, found.window_start, found.window_end) != (
                    period.label,
                    period.start,
                    period.end,
                ):
                    found.period_label = period.label
                    found.window_start = period.start
                    found.window_end = period.end
                    to_update.append(found)
                if found not in wanted:
                    wanted.append(found)

        Obligation.objects.bulk_create(to_create)
        if to_update:
            Obligation.objects.bulk_update(
                to_update, ["period_label", "window_start", "window_end"]
            )
        _remove_stale(duty, existing, wanted, until)
    return wanted


def _remove_stale(duty, existing, wanted, until):
    """Delete obligations the duty no longer yields, unless anything has happened to them.

    Obligations of periods beyond `until` are left alone: a run with a shorter horizon must not
    undo a longer one.
    """
    keep = {o.pk for o in wanted}
    stale = [
        o.pk
        for o in existing
        if o.pk not in keep and (o.window_start or o.window_end) <= until and not _has_history(o)
    ]
    if stale:
        Obligation.objects.filter(pk__in=stale).delete()


@dataclass
class EnsureReport:
    """What `ensure_obligations` did."""

    duties: int = 0
    obligations: int = 0
    refused: list = None

    def __post_init__(self):
        self.refused = self.refused or []


def ensure_obligations(*, until, duties=None):
    """Generate the obligations of every duty (or of `duties`) up to `until`.

    A duty that cannot yield obligations (e.g. from a board to itself) is skipped and reported
    in `refused` as (duty, messages), so one bad duty does not stop the others.
    """
    report = EnsureReport()
    queryset = Duty.objects.all() if duties is None else duties
    for duty in queryset:
        try:
            obligations = generate_obligations(duty, until=until)
        except ValidationError as error:
            report.refused.append((duty, error.messages))
            continue
        report.duties += 1
        report.obligations += len(obligations)
    return report
