"""The arithmetic of plan progress, on fixed dates: no database, so every figure is worked out
from the rows given."""

import datetime
from decimal import Decimal

import pytest

from actions_log.models import (
    Action,
    ActionPlan,
    ActionStatus,
    IndicatorReading,
    PlanIndicator,
    PlanMilestone,
)
from actions_log.plans import (
    IndicatorDefinitionError,
    IndicatorState,
    MilestoneState,
    count_indicators,
    count_milestones,
    count_statuses,
    expected_percent,
    indicator_progress,
    milestone_state,
    percent_of_way,
    plan_year_bounds,
)

D = datetime.date
START = D(2026, 4, 1)
TARGET_DATE = D(2028, 3, 31)


def action(status, due, pk=None):
    made = Action(status=status, due_date=due, raised_on=D(2026, 4, 1), pk=pk)
    made.due_on = due  # as `with_due()` annotates it
    return made


def indicator(baseline, target, higher_is_better=True, target_date=TARGET_DATE):
    return PlanIndicator(
        name="Indicator",
        baseline=None if baseline is None else Decimal(str(baseline)),
        target=None if target is None else Decimal(str(target)),
        higher_is_better=higher_is_better,
        target_date=target_date,
    )


def reading(day, value):
    return IndicatorReading(measured_on=day, value=Decimal(str(value)))


# Actions ------------------------------------------------------------------------------


def test_counts_by_status_and_overdue_on_a_given_day():
    on = D(2026, 11, 26)
    actions = [
        action(ActionStatus.OPEN, D(2026, 11, 25)),  # overdue
        action(ActionStatus.OPEN, D(2026, 11, 26)),  # due today: not overdue
        action(ActionStatus.IN_PROGRESS, D(2026, 10, 1)),  # overdue
        action(ActionStatus.IN_PROGRESS, None),  # no due date: never overdue
        action(ActionStatus.COMPLETED, D(2026, 6, 30)),  # done, not overdue
        action(ActionStatus.NOT_REQUIRED, D(2026, 5, 1)),
    ]
    counts = count_statuses(actions, on)
    assert (counts.open, counts.in_progress, counts.completed, counts.not_required) == (2, 2, 1, 1)
    assert counts.overdue == 2
    assert counts.total == 6
    assert counts.still_open == 4
    # One completed out of the five still required.
    assert counts.percent_completed == Decimal("20.0")

    # A day later the action due today is overdue too; a day earlier, only the October one.
    assert count_statuses(actions, D(2026, 11, 27)).overdue == 3
    assert count_statuses(actions, D(2026, 11, 25)).overdue == 1


def test_counts_add_up_and_an_empty_list_has_no_percentage():
    empty = count_statuses([], D(2026, 1, 1))
    assert empty.total == 0
    assert empty.percent_completed is None
    only_dropped = count_statuses([action(ActionStatus.NOT_REQUIRED, None)], D(2026, 1, 1))
    assert only_dropped.percent_completed is None
    both = count_statuses([action(ActionStatus.OPEN, D(2026, 1, 1))], D(2026, 2, 1)) + only_dropped
    assert (both.total, both.overdue, both.not_required) == (2, 1, 1)


# Milestones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "achieved", "state"),
    [
        (D(2026, 6, 30), D(2026, 5, 11), MilestoneState.ACHIEVED),
        (D(2026, 6, 30), D(2026, 6, 30), MilestoneState.ACHIEVED),
        (D(2026, 6, 30), D(2026, 7, 1), MilestoneState.ACHIEVED_LATE),
        (D(2026, 10, 1), None, MilestoneState.MISSED),
        (D(2026, 11, 26), None, MilestoneState.DUE),  # due today: not yet missed
        (D(2027, 1, 1), None, MilestoneState.DUE),
    ],
)
def test_milestone_state(due, achieved, state):
    milestone = PlanMilestone(title="Milestone", due_on=due, achieved_on=achieved)
    assert milestone_state(milestone, D(2026, 11, 26)) == state


def test_milestone_counts():
    on = D(2026, 11, 26)
    milestones = [
        PlanMilestone(due_on=D(2026, 6, 30), achieved_on=D(2026, 5, 11)),
        PlanMilestone(due_on=D(2026, 6, 30), achieved_on=D(2026, 8, 1)),
        PlanMilestone(due_on=D(2026, 10, 1)),
        PlanMilestone(due_on=D(2027, 10, 14)),
    ]
    counts = count_milestones(milestones, on)
    assert (counts.achieved, counts.missed, counts.due, counts.total) == (2, 1, 1, 4)


# Indicators: the percentage of the way from baseline to target ------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "value", "higher", "expected"),
    [
        (120, 200, 120, True, "0.0"),
        (120, 200, 160, True, "50.0"),
        (120, 200, 200, True, "100.0"),
        (120, 200, 220, True, "125.0"),  # beats the target
        (120, 200, 100, True, "-25.0"),  # worse than the baseline
        (42, 28, 35, False, "50.0"),  # lower is better: days waiting
        (42, 28, 28, False, "100.0"),
        (42, 28, 45.5, False, "-25.0"),
        (35, 60, 38, True, "12.0"),
        (68, 90, 75, True, "31.8"),  # 7/22, rounded half up
        (0, 3, 1, True, "33.3"),
        (0, 3, 2, True, "66.7"),
    ],
)
def test_percent_of_way(baseline, target, value, higher, expected):
    assert percent_of_way(baseline, target, value, higher) == Decimal(expected)


def test_percent_of_way_when_the_target_is_the_baseline():
    # "Keep it at 95%": met or not.
    assert percent_of_way(95, 95, 96, True) == Decimal(100)
    assert percent_of_way(95, 95, 94, True) == Decimal(0)
    assert percent_of_way(5, 5, 4, False) == Decimal(100)
    assert percent_of_way(5, 5, 6, False) == Decimal(0)


def test_percent_of_way_needs_all_three_values():
    assert percent_of_way(None, 10, 5) is None
    assert percent_of_way(0, None, 5) is None
    assert percent_of_way(0, 10, None) is None


@pytest.mark.parametrize(("baseline", "target", "higher"), [(50, 40, True), (40, 50, False)])
def test_a_target_on_the_wrong_side_of_the_baseline_is_refused_with_a_reason(
    baseline, target, higher
):
    with pytest.raises(IndicatorDefinitionError, match="baseline"):
        percent_of_way(baseline, target, 45, higher)


def test_expected_percent_is_a_straight_line_from_start_to_target_date():
    start, target_date = D(2026, 4, 1), D(2027, 4, 1)  # 365 days
    assert expected_percent(start, target_date, start) == Decimal(0)
    assert expected_percent(start, target_date, D(2026, 9, 30)) == Decimal("49.9")  # 182/365
    assert expected_percent(start, target_date, target_date) == Decimal(100)
    assert expected_percent(start, target_date, D(2028, 1, 1)) == Decimal(100)  # capped
    assert expected_percent(start, target_date, D(2026, 1, 1)) == Decimal(0)  # floored
    assert expected_percent(None, target_date, start) is None
    assert expected_percent(start, None, start) is None
    assert expected_percent(start, start, start) is None


# Indicators: on track or off track ----------------------------------------------------


def test_on_track_when_progress_keeps_up_with_the_line_on_the_day_of_the_reading():
    # 2026-04-01 to 2028-03-31 is 730 days; 2026-09-30 is day 182: 24.9% of the way expected.
    crisis = indicator(68, 90)
    progress = indicator_progress(
        crisis, [reading(D(2026, 6, 30), 70), reading(D(2026, 9, 30), 75)], START, D(2026, 11, 26)
    )
    assert progress.latest.value == Decimal(75)
    assert progress.percent == Decimal("31.8")
    assert progress.expected == Decimal("24.9")
    assert progress.state == IndicatorState.ON_TRACK

    enablement = indicator(120, 200)
    progress = indicator_progress(
        enablement, [reading(D(2026, 9, 30), 131)], START, D(2026, 11, 26)
    )
    assert progress.percent == Decimal("13.8")
    assert progress.state == IndicatorState.OFF_TRACK


def test_the_latest_reading_counts_whatever_order_the_readings_come_in():
    waits = indicator(42, 28, higher_is_better=False, target_date=D(2027, 9, 30))
    readings = [reading(D(2026, 9, 30), 35), reading(D(2026, 6, 30), 40)]
    progress = indicator_progress(waits, readings, START, D(2026, 11, 26))
    assert progress.latest.measured_on == D(2026, 9, 30)
    assert progress.percent == Decimal("50.0")
    assert progress.state == IndicatorState.ON_TRACK


def test_a_reading_worse_than_the_baseline_is_off_track():
    delays = indicator(9, 5, higher_is_better=False, target_date=D(2027, 3, 31))
    progress = indicator_progress(delays, [reading(D(2026, 9, 30), 9.5)], START, D(2026, 11, 26))
    assert progress.percent == Decimal("-12.5")
    assert progress.bar_percent == 0
    assert progress.state == IndicatorState.OFF_TRACK


def test_a_met_target_is_achieved_even_after_the_target_date():
    waits = indicator(42, 28, higher_is_better=False, target_date=D(2027, 9, 30))
    progress = indicator_progress(waits, [reading(D(2027, 6, 30), 27)], START, D(2028, 1, 1))
    assert progress.state == IndicatorState.ACHIEVED
    assert progress.bar_percent == 100


def test_a_target_date_passed_without_meeting_the_target_is_missed():
    waits = indicator(42, 28, higher_is_better=False, target_date=D(2027, 9, 30))
    readings = [reading(D(2027, 9, 1), 30)]
    # Before the target date the same reading is judged against the line…
    assert indicator_progress(waits, readings, START, D(2027, 9, 30)).state in (
        IndicatorState.ON_TRACK,
        IndicatorState.OFF_TRACK,
    )
    # …and the day after it, it has missed.
    assert indicator_progress(waits, readings, START, D(2027, 10, 1)).state == (
        IndicatorState.MISSED
    )


def test_indicators_that_cannot_be_judged_say_why():
    no_readings = indicator_progress(indicator(10, 80), [], START, D(2026, 11, 26))
    assert no_readings.state == IndicatorState.NOT_MEASURED
    assert no_readings.percent is None

    no_target = indicator_progress(
        indicator(10, None), [reading(D(2026, 9, 30), 20)], START, D(2026, 11, 26)
    )
    assert no_target.state == IndicatorState.CANNOT_ASSESS
    assert "target" in no_target.reason

    contradictory = indicator_progress(
        indicator(50, 40, higher_is_better=True), [reading(D(2026, 9, 30), 45)], START, START
    )
    assert contradictory.state == IndicatorState.CANNOT_ASSESS
    assert "below the baseline" in contradictory.reason

    undated = indicator_progress(
        indicator(10, 80, target_date=None), [reading(D(2026, 9, 30), 20)], START, START
    )
    assert undated.state == IndicatorState.NO_TARGET_DATE
    assert undated.percent == Decimal("14.3")


def test_without_a_plan_start_the_first_reading_starts_the_line():
    # First reading 2026-04-01, target 2027-04-01: on 2026-10-01 (183 days) 50.1% is expected.
    measure = indicator(0, 100, target_date=D(2027, 4, 1))
    readings = [reading(D(2026, 4, 1), 0), reading(D(2026, 10, 1), 50)]
    progress = indicator_progress(measure, readings, None, D(2026, 11, 26))
    assert progress.expected == Decimal("50.1")
    assert progress.state == IndicatorState.OFF_TRACK


def test_indicator_counts():
    on = D(2026, 11, 26)
    progresses = [
        indicator_progress(indicator(68, 90), [reading(D(2026, 9, 30), 75)], START, on),
        indicator_progress(indicator(120, 200), [reading(D(2026, 9, 30), 131)], START, on),
        indicator_progress(indicator(0, 10), [reading(D(2026, 9, 30), 10)], START, on),
        indicator_progress(indicator(10, 80), [], START, on),
    ]
    counts = count_indicators(progresses)
    assert (counts.on_track, counts.off_track, counts.not_measured) == (2, 1, 1)


# Years of a plan ----------------------------------------------------------------------


def test_plan_years_run_from_the_start_date_and_stop_at_the_end():
    plan = ActionPlan(starts_on=D(2026, 4, 1), ends_on=D(2029, 3, 31))
    assert plan_year_bounds(plan, 1) == (D(2026, 4, 1), D(2027, 3, 31))
    assert plan_year_bounds(plan, 3) == (D(2028, 4, 1), D(2029, 3, 31))
    short = ActionPlan(starts_on=D(2026, 4, 1), ends_on=D(2027, 12, 31))
    assert plan_year_bounds(short, 2) == (D(2027, 4, 1), D(2027, 12, 31))
    assert plan_year_bounds(ActionPlan(), 1) == (None, None)
    assert plan_year_bounds(plan, None) == (None, None)
