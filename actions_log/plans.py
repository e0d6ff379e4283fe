"""Progress of an action plan: its actions by status, its milestones and its indicators.

Everything here is arithmetic on rows already loaded, with the day of reckoning passed in (`on`),
so that the public plan page, the admin and the tests all agree and the tests can fix the date.
`load_plan_progress` loads a plan's rows in a fixed number of queries, whatever its size.

An indicator's progress is how far its latest reading has moved from the baseline towards the
target, as a percentage (0% at the baseline, 100% at the target; below 0 is worse than the
baseline, above 100 beats the target), in whichever direction `higher_is_better` says is good.
It is on track when that is at least as far as a straight line from the plan's start (at the
baseline) to the target date (at the target) had reached on the day of the reading.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Prefetch

from .models import OPEN_STATUSES, Action, ActionOwner, ActionStatus

PERCENT_PLACES = Decimal("0.1")


# Actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """How many actions are in each status, and how many of the open ones are overdue."""

    open: int = 0
    in_progress: int = 0
    completed: int = 0
    not_required: int = 0
    overdue: int = 0

    @property
    def total(self):
        return self.open + self.in_progress + self.completed + self.not_required

    @property
    def still_open(self):
        return self.open + self.in_progress

    @property
    def percent_completed(self):
        """Completed actions as a share of those still required (None when there are none)."""
        required = self.total - self.not_required
        if not required:
            return None
        return _percent(Decimal(self.completed), Decimal(required))

    def __add__(self, other):
        return StatusCounts(
            open=self.open + other.open,
            in_progress=self.in_progress + other.in_progress,
            completed=self.completed + other.completed,
            not_required=self.not_required + other.not_required,
            overdue=self.overdue + other.overdue,
        )


def count_statuses(actions, on):
    """StatusCounts of `actions` on the day `on` (overdue: open or in progress, due before it)."""
    tally = dict.fromkeys(ActionStatus.values, 0)
    overdue = 0
    for action in actions:
        tally[action.status] = tally.get(action.status, 0) + 1
        overdue += action.is_overdue(on)
    return StatusCounts(
        open=tally[ActionStatus.OPEN],
        in_progress=tally[ActionStatus.IN_PROGRESS],
        completed=tally[ActionStatus.COMPLETED],
        not_required=tally[ActionStatus.NOT_REQUIRED],
        overdue=overdue,
    )


def status_counts_by_priority(plan, on):
    """{priority id or None: StatusCounts} for a plan's actions, counted by the database in one
    query (for lists of plans, where loading every action would be wasteful)."""
    rows = (
        Action.objects.filter(plan=plan)
        .with_due()
        .values("priority_id")
        .annotate(
            open=models.Count("pk", filter=models.Q(status=ActionStatus.OPEN)),
            in_progress=models.Count("pk", filter=models.Q(status=ActionStatus.IN_PROGRESS)),
            completed=models.Count("pk", filter=models.Q(status=ActionStatus.COMPLETED)),
            not_required=models.Count("pk", filter=models.Q(status=ActionStatus.NOT_REQUIRED)),
            overdue=models.Count("pk", filter=models.Q(status__in=OPEN_STATUSES, due_on__lt=on)),
        )
        .order_by()
    )
    return {row.pop("priority_id"): StatusCounts(**row) for row in rows}


# Milestones -----------------------------------------------------------------------------


class MilestoneState(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    ACHIEVED_LATE = "achieved_late", "Achieved late"
    MISSED = "missed", "Missed"
    DUE = "due", "Not yet due"


def milestone_state(milestone, on):
    if milestone.achieved_on:
        if milestone.achieved_on > milestone.due_on:
            return MilestoneState.ACHIEVED_LATE
        return MilestoneState.ACHIEVED
    if milestone.due_on < on:
        return MilestoneState.MISSED
    return MilestoneState.DUE


@dataclass(frozen=True)
class MilestoneCounts:
    achieved: int = 0
    missed: int = 0
    due: int = 0

    @property
    def total(self):
        return self.achieved + self.missed + self.due


def count_milestones(milestones, on):
    states = [milestone_state(milestone, on) for milestone in milestones]
    return MilestoneCounts(
        achieved=sum(
            state in (MilestoneState.ACHIEVED, MilestoneState.ACHIEVED_LATE) for state in states
        ),
        missed=states.count(MilestoneState.MISSED),
        due=states.count(MilestoneState.DUE),
    )


# Indicators -----------------------------------------------------------------------------


class IndicatorState(models.TextChoices):
    ACHIEVED = "achieved", "Target met"
    ON_TRACK = "on_track", "On track"
    OFF_TRACK = "off_track", "Off track"
    MISSED = "missed", "Target missed"
    NOT_MEASURED = "not_measured", "Not yet measured"
    NO_TARGET_DATE = "no_target_date", "No target date"
    CANNOT_ASSESS = "cannot_assess", "Cannot be assessed"


class IndicatorDefinitionError(ValueError):
    """The indicator's baseline, target and direction contradict one another."""


def _percent(part, whole):
    return (part / whole * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def plain_number(value):
    """'35' for Decimal('35.00'), '9.5' for Decimal('9.50'): a figure as a person writes it."""
    value = _decimal(value)
    if value == value.to_integral():
        return f"{value:.0f}"
    return f"{value.normalize():f}"


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def target_met(value, target, higher_is_better):
    value, target = _decimal(value), _decimal(target)
    return value >= target if higher_is_better else value <= target


def check_direction(baseline, target, higher_is_better):
    """Raise IndicatorDefinitionError if moving from baseline to target would be getting worse."""
    if baseline is None or target is None:
        return
    baseline, target = _decimal(baseline), _decimal(target)
    figures = f"the target ({plain_number(target)})", f"the baseline ({plain_number(baseline)})"
    if higher_is_better and target < baseline:
        raise IndicatorDefinitionError(f"Higher is better, but {figures[0]} is below {figures[1]}.")
    if not higher_is_better and target > baseline:
        raise IndicatorDefinitionError(f"Lower is better, but {figures[0]} is above {figures[1]}.")


def percent_of_way(baseline, target, value, higher_is_better=True):
    """How far `value` has come from `baseline` towards `target`, in per cent (one decimal place).

    0 at the baseline and 100 at the target; negative when worse than the baseline, over 100 when
    the target is beaten. A target equal to the baseline gives 100 when met and 0 when not.
    None when the baseline, target or value is missing; IndicatorDefinitionError when the target
    lies on the wrong side of the baseline for `higher_is_better`.
    """
    if baseline is None or target is None or value is None:
        return None
    check_direction(baseline, target, higher_is_better)
    baseline, target, value = _decimal(baseline), _decimal(target), _decimal(value)
    if target == baseline:
        return Decimal(100) if target_met(value, target, higher_is_better) else Decimal(0)
    return _percent(value - baseline, target - baseline)


def expected_percent(start, target_date, on):
    """Where a straight line from `start` (0%) to `target_date` (100%) stands on the day `on`,
    kept between 0 and 100; None without both dates or when the target date is not after the
    start."""
    if start is None or target_date is None or target_date <= start:
        return None
    elapsed = Decimal((on - start).days)
    span = Decimal((target_date - start).days)
    return min(max(_percent(elapsed, span), Decimal(0)), Decimal(100))


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator's latest reading and how it stands against the target."""

    indicator: object
    latest: object = None
    percent: Decimal | None = None
    expected: Decimal | None = None
    state: str = IndicatorState.NOT_MEASURED
    reason: str = ""

    @property
    def state_label(self):
        return IndicatorState(self.state).label

    @property
    def bar_percent(self):
        """The progress clamped to 0-100, for a bar that cannot run off either end."""
        if self.percent is None:
            return 0
        return int(min(max(self.percent, Decimal(0)), Decimal(100)))


def indicator_progress(indicator, readings, start, on):
    """IndicatorProgress of `indicator` from its `readings` (any order), judged on the day `on`.

    `start` is when the plan began, taken as the day of the baseline for the straight-line
    trajectory. A target already met is met, whatever the date; a target date that has passed
    without meeting it is missed; otherwise the latest reading is on track when its progress is at
    least where the trajectory stood on the day it was measured (the day of the reading, not
    today, so that an old reading is judged on what was expected of it).
    """
    readings = sorted(readings, key=lambda reading: (reading.measured_on, reading.pk or 0))
    latest = readings[-1] if readings else None
    baseline, target = indicator.baseline, indicator.target
    higher = indicator.higher_is_better
    if latest is None:
        return IndicatorProgress(indicator, state=IndicatorState.NOT_MEASURED)
    if baseline is None or target is None:
        missing = "baseline" if baseline is None else "target"
        return IndicatorProgress(
            indicator,
            latest=latest,
            state=IndicatorState.CANNOT_ASSESS,
            reason=f"The indicator has no {missing}.",
        )
    try:
        percent = percent_of_way(baseline, target, latest.value, higher)
    except IndicatorDefinitionError as error:
        return IndicatorProgress(
            indicator, latest=latest, state=IndicatorState.CANNOT_ASSESS, reason=str(error)
        )

    start = start or readings[0].measured_on
    expected = expected_percent(start, indicator.target_date, latest.measured_on)
    if target_met(latest.value, target, higher):
        state = IndicatorState.ACHIEVED
    elif indicator.target_date is None:
        state = IndicatorState.NO_TARGET_DATE
    elif indicator.target_date < on:
        state = IndicatorState.MISSED
    elif expected is None:
        # The reading's date cannot be placed on the line (a target date on or before the
        # start): only the target itself can be judged.
        state = IndicatorState.OFF_TRACK
    else:
        state = IndicatorState.ON_TRACK if percent >= expected else IndicatorState.OFF_TRACK
    return IndicatorProgress(
        indicator, latest=latest, percent=percent, expected=expected, state=state
    )


@dataclass(frozen=True)
class IndicatorCounts:
    on_track: int = 0
    off_track: int = 0
    not_measured: int = 0

    @property
    def total(self):
        return self.on_track + self.off_track + self.not_measured


GOOD_STATES = (IndicatorState.ACHIEVED, IndicatorState.ON_TRACK)
BAD_STATES = (IndicatorState.OFF_TRACK, IndicatorState.MISSED)


def count_indicators(progresses):
    states = [progress.state for progress in progresses]
    return IndicatorCounts(
        on_track=sum(state in GOOD_STATES for state in states),
        off_track=sum(state in BAD_STATES for state in states),
        not_measured=len(states) - sum(state in GOOD_STATES + BAD_STATES for state in states),
    )


# A whole plan ---------------------------------------------------------------------------


@dataclass
class PriorityProgress:
    """A priority (or, with `priority` None, what sits under no priority) and its progress."""

    priority: object
    actions: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    counts: StatusCounts = field(default_factory=StatusCounts)
    milestone_counts: MilestoneCounts = field(default_factory=MilestoneCounts)

    @property
    def is_empty(self):
        return not (self.actions or self.milestones or self.indicators)


@dataclass
class PlanYear:
    """A year of the plan (1, 2, 3…; None for priorities that belong to no one year)."""

    number: int | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    priorities: list


@dataclass
class PlanProgress:
    plan: object
    on: datetime.date
    priorities: list
    unprioritised: PriorityProgress
    counts: StatusCounts
    milestone_counts: MilestoneCounts
    indicator_counts: IndicatorCounts

    @property
    def years(self):
        """The priorities grouped by the year of the plan they belong to, in order."""
        by_year = {}
        for progress in self.priorities:
            by_year.setdefault(progress.priority.plan_year, []).append(progress)
        numbers = sorted(number for number in by_year if number is not None)
        if None in by_year:
            numbers.append(None)
        return [
            PlanYear(number, *plan_year_bounds(self.plan, number), priorities=by_year[number])
            for number in numbers
        ]


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plan_year_bounds(plan, number):
    """The first and last day of year `number` of the plan (None without a start date)."""
    if number is None or plan.starts_on is None:
        return None, None
    first = _add_years(plan.starts_on, number - 1)
    last = _add_years(plan.starts_on, number) - datetime.timedelta(days=1)
    if plan.ends_on and last > plan.ends_on:
        last = plan.ends_on
    return first, last


def build_plan_progress(plan, priorities, actions, milestones, indicators, on):
    """PlanProgress from rows already loaded: `indicators` must have their readings prefetched."""
    by_priority = {priority.pk: PriorityProgress(priority) for priority in priorities}
    unprioritised = PriorityProgress(None)

    def bucket(priority_id):
        return by_priority.get(priority_id, unprioritised)

    for action in actions:
        bucket(action.priority_id).actions.append(action)
    for milestone in milestones:
        bucket(milestone.priority_id).milestones.append(milestone)
    progresses = []
    for indicator in indicators:
        progress = indicator_progress(indicator, indicator.readings.all(), plan.starts_on, on)
        progresses.append(progress)
        bucket(indicator.priority_id).indicators.append(progress)

    for progress in [*by_priority.values(), unprioritised]:
        progress.actions.sort(key=lambda action: (action.due() or datetime.date.max, action.pk))
        progress.milestones.sort(key=lambda milestone: (milestone.due_on, milestone.pk))
        progress.counts = count_statuses(progress.actions, on)
        progress.milestone_counts = count_milestones(progress.milestones, on)

    return PlanProgress(
        plan=plan,
        on=on,
        priorities=list(by_priority.values()),
        unprioritised=unprioritised,
        counts=count_statuses(actions, on),
        milestone_counts=count_milestones(milestones, on),
        indicator_counts=count_indicators(progresses),
    )


def plan_actions(plan):
    """The plan's actions with their due dates and owners (two queries)."""
    owners = ActionOwner.objects.select_related("person").order_by("sort_order", "pk")
    return (
        Action.objects.filter(plan=plan)
        .with_due()
        .prefetch_related(Prefetch("owners", queryset=owners))
        .order_by("pk")
    )


def load_plan_progress(plan, on, actions=None):
    """Load the plan's priorities, actions, milestones and indicators (with readings) and work
    out its progress: six queries, however large the plan. `actions` narrows the actions (for
    example to those the public may see)."""
    from .models import PlanIndicator

    actions = plan_actions(plan) if actions is None else actions
    priorities = plan.priorities.order_by("sort_order", "number", "pk")
    indicators = (
        PlanIndicator.objects.filter(plan=plan)
        .prefetch_related("readings")
        .order_by("sort_order", "pk")
    )
    return build_plan_progress(
        plan,
        list(priorities),
        list(actions),
        list(plan.milestones.order_by("due_on", "pk")),
        list(indicators),
        on,
    )
