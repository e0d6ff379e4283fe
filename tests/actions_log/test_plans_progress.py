"""Plan progress loaded from the database, and the demo's delivery plan for the Mental Health
Partnership Board (idempotent, revisioned)."""

import pytest
from wagtail.models import ModelLogEntry, Revision

from actions_log.models import (
    Action,
    ActionOwner,
    ActionPlan,
    ActionSource,
    ActionStatus,
    ActionUpdate,
    IndicatorReading,
    PlanIndicator,
    PlanMilestone,
    PlanPriority,
)
from actions_log.plans import (
    IndicatorState,
    StatusCounts,
    count_statuses,
    load_plan_progress,
    status_counts_by_priority,
)
from boards.factories import BoardPageFactory
from home.demo import action_plans
from home.demo.people import People
from home.demo.sync import Summary

from .plan_builders import ON, build_plan, grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(board_index):
    return BoardPageFactory(parent=board_index, slug="mental-health-partnership-board")


def test_progress_groups_the_plan_by_priority_and_year(board):
    plan, objects = build_plan(board)
    progress = load_plan_progress(plan, ON)
    assert progress.counts == StatusCounts(
        open=2, in_progress=1, completed=1, not_required=1, overdue=1
    )
    by_title = {p.priority.title: p for p in progress.priorities}
    assert [a.text for a in by_title["Cut waits"].actions] == ["Open in the evenings"]
    assert by_title["Cut waits"].counts.overdue == 1
    assert [m.title for m in by_title["Cut waits"].milestones] == ["Evening sessions running"]
    assert [i.state for i in by_title["Cut waits"].indicators] == [IndicatorState.ON_TRACK]
    assert [a.text for a in progress.unprioritised.actions] == ["Scrutiny request: loneliness data"]
    assert [m.title for m in progress.unprioritised.milestones] == ["Mid-point update given"]
    assert [
        (year.number, [p.priority.number for p in year.priorities]) for year in progress.years
    ] == [
        (1, [1, 2]),
        (2, [3]),
    ]


def test_a_plan_loads_in_six_queries_however_large(board, django_assert_num_queries):
    plan, objects = build_plan(board)
    grow(plan, objects)
    with django_assert_num_queries(6):
        progress = load_plan_progress(plan, ON)
        assert progress.counts.total == 45
        # Owners were fetched with the actions: reading them costs nothing more.
        assert all(
            owner.person.full_name
            for a in progress.priorities[0].actions
            for owner in a.owners.all()
        )


def test_the_database_counts_agree_with_counting_in_python(board):
    plan, objects = build_plan(board)
    grow(plan, objects, actions=12)
    by_priority = status_counts_by_priority(plan, ON)
    progress = load_plan_progress(plan, ON)
    for priority_progress in progress.priorities:
        expected = count_statuses(priority_progress.actions, ON)
        assert by_priority[priority_progress.priority.pk] == expected
    assert by_priority[None] == progress.unprioritised.counts
    assert sum(by_priority.values(), StatusCounts()) == progress.counts


# The demo plan --------------------------------------------------------------------------


def load_demo_plan(board):
    summary = Summary()
    people = People(summary)
    plan = action_plans.sync_action_plans({action_plans.MHPB_SLUG: board}, people, summary)
    return plan, summary


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            ActionPlan,
            PlanPriority,
            PlanMilestone,
            PlanIndicator,
            IndicatorReading,
            Action,
            ActionOwner,
            ActionUpdate,
            Revision,
            ModelLogEntry,
        )
    }


def test_the_demo_plan_has_the_strategys_priorities_by_year_and_the_commissions_requests(board):
    plan, summary = load_demo_plan(board)
    assert plan.title == "Adult Social Care Mental Health Strategy 2026-2029 delivery plan"
    assert plan.is_public
    assert "illustrative" in plan.summary
    priorities = list(plan.priorities.order_by("number").values_list("title", "plan_year"))
    assert priorities == [
        ("Establish the Mental Health Partnership Board", 1),
        ("Expand the mental health enablement offer", 1),
        ("Improve access and cut waiting times", 1),
        ("Support carers and families", 2),
        ("Strengthen crisis pathways", 2),
        ("Develop the workforce", 3),
    ]
    requests = Action.objects.filter(plan=plan, priority__isnull=True).order_by("due_date")
    texts = [action.text for action in requests]
    assert len(texts) == 4
    for words in ("delivery action plan", "mid-point update", "loneliness", "male suicide"):
        assert any(words in text for text in texts), words
    assert all(action.owners.exists() and action.due_date for action in requests)
    mid_point = next(a for a in requests if "mid-point" in a.text)
    assert mid_point.due_date.year == 2027 and mid_point.due_date.month >= 6
    # Every priority has actions with owners, a milestone and an indicator with a target.
    for priority in plan.priorities.all():
        assert priority.actions.exists()
        assert all(action.owners.exists() for action in priority.actions.all())
        assert priority.milestones.exists()
        assert priority.indicators.filter(target__isnull=False, target_date__isnull=False).exists()
    assert all(r.note.startswith("Illustrative") for r in IndicatorReading.objects.all())
    assert any("illustrative" in note for note in summary.notes)
    # Plan actions pass the model's own checks (due after raised, completed after raised).
    for action in Action.objects.filter(plan=plan):
        action.full_clean()
    # Owners are the demo's invented people.
    owners = {o.person.full_name for o in ActionOwner.objects.select_related("person")}
    assert owners == {"Jordan Reeve", "Asha Patel", "Helen Marsh", "Alex Morgan"}


def test_loading_the_demo_plan_again_changes_nothing(board):
    load_demo_plan(board)
    before = counts()
    action_ids = sorted(Action.objects.values_list("pk", "priority_id"))
    _, summary = load_demo_plan(board)
    assert counts() == before
    assert sorted(Action.objects.values_list("pk", "priority_id")) == action_ids
    assert summary.created == {}
    assert summary.updated == {}


def test_the_demo_plan_is_revisioned_and_logged_and_repaired_in_place(board):
    plan, _ = load_demo_plan(board)
    assert plan.latest_revision is not None
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1 + len(
        action_plans.ACTIONS
    )
    action = Action.objects.get(import_key__endswith=":3.3")
    priority_id = action.priority_id
    revisions = Revision.objects.count()

    # Someone edits the plan and an action; loading again puts back what the demo says, in
    # place, with one new revision each.
    PlanPriority.objects.filter(plan=plan, number=6).update(title="Something else")
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.COMPLETED)
    ActionOwner.objects.filter(action=action).delete()
    _, summary = load_demo_plan(board)
    assert summary.updated["action plan"] == 1
    assert summary.updated["plan action"] == 1
    assert Revision.objects.count() == revisions + 2
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert action.priority_id == priority_id
    assert [o.person.full_name for o in action.owners.all()] == ["Helen Marsh"]
    assert plan.priorities.get(number=6).title == "Develop the workforce"
    assert ModelLogEntry.objects.filter(action="wagtail.edit").count() == 2
    assert action.source == ActionSource.ACTION_PLAN
