"""An action plan built in code for the plan page, progress and admin tests.

Two priorities in year 1 and one in year 2, actions of every status (one overdue on the tests'
day, 26 November 2026), milestones achieved, missed and to come, and indicators on track, off
track and not yet measured. Owners have contact details the public must never see.
"""

import datetime
from decimal import Decimal

from actions_log.models import (
    Action,
    ActionOwner,
    ActionPlan,
    ActionSource,
    ActionStatus,
    IndicatorReading,
    PlanIndicator,
    PlanMilestone,
    PlanPriority,
)
from boards.factories import PersonFactory

D = datetime.date
ON = D(2026, 11, 26)
OWNER_EMAIL = "casey.owner@example.org"
OWNER_PHONE = "01632 960999"


def make_plan(board, slug="test-delivery-plan", is_public=True, **fields):
    return ActionPlan.objects.create(
        board=board,
        slug=slug,
        title=fields.pop("title", "Test strategy delivery plan"),
        summary=fields.pop("summary", "How the test strategy will be delivered."),
        source_document="Test Strategy 2026-2029",
        starts_on=D(2026, 4, 1),
        ends_on=D(2029, 3, 31),
        is_public=is_public,
        **fields,
    )


def plan_action(plan, priority, text, owners, due, status=ActionStatus.OPEN, **fields):
    action = Action.objects.create(
        board=plan.board,
        plan=plan,
        priority=priority,
        source=ActionSource.ACTION_PLAN,
        text=text,
        raised_on=D(2026, 4, 1),
        due_date=due,
        status=status,
        **fields,
    )
    for order, person in enumerate(owners):
        ActionOwner.objects.create(action=action, person=person, sort_order=order)
    return action


def indicator(plan, priority, name, baseline, target, target_date, readings=(), **fields):
    made = PlanIndicator.objects.create(
        plan=plan,
        priority=priority,
        name=name,
        baseline=Decimal(baseline),
        target=Decimal(target),
        target_date=target_date,
        **fields,
    )
    for day, value in readings:
        IndicatorReading.objects.create(indicator=made, measured_on=day, value=Decimal(value))
    return made


def build_plan(board, **fields):
    """The test plan; returns (plan, {name: object}) for the tests to look things up."""
    plan = make_plan(board, **fields)
    casey = PersonFactory(
        given_name="Casey",
        family_name="Owner",
        organisation="Test ICB",
        email=OWNER_EMAIL,
        phone=OWNER_PHONE,
    )
    robin = PersonFactory(given_name="Robin", family_name="Second", organisation="RMBC")
    voice = PlanPriority.objects.create(plan=plan, number=1, title="Hear people", plan_year=1)
    access = PlanPriority.objects.create(plan=plan, number=2, title="Cut waits", plan_year=1)
    carers = PlanPriority.objects.create(plan=plan, number=3, title="Back carers", plan_year=2)
    objects = {
        "plan": plan,
        "casey": casey,
        "robin": robin,
        "voice": voice,
        "access": access,
        "carers": carers,
        "done": plan_action(
            plan,
            voice,
            "Hold the first meeting",
            [casey, robin],
            D(2026, 6, 30),
            ActionStatus.COMPLETED,
            completed_on=D(2026, 5, 11),
        ),
        "late": plan_action(
            plan, access, "Open in the evenings", [casey], D(2026, 10, 1), ActionStatus.IN_PROGRESS
        ),
        "later": plan_action(plan, carers, "Write a carers' pack", [robin], D(2027, 9, 30)),
        "dropped": plan_action(
            plan, carers, "Rent a bus", [robin], D(2027, 1, 1), ActionStatus.NOT_REQUIRED
        ),
        "request": plan_action(
            plan, None, "Scrutiny request: loneliness data", [casey], D(2027, 3, 11)
        ),
        "met": PlanMilestone.objects.create(
            plan=plan,
            priority=voice,
            title="First meeting held",
            due_on=D(2026, 6, 30),
            achieved_on=D(2026, 5, 11),
        ),
        "missed": PlanMilestone.objects.create(
            plan=plan, priority=access, title="Evening sessions running", due_on=D(2026, 10, 1)
        ),
        "to_come": PlanMilestone.objects.create(
            plan=plan, priority=None, title="Mid-point update given", due_on=D(2027, 10, 14)
        ),
        "waits": indicator(
            plan,
            access,
            "Median wait for an assessment",
            "42",
            "28",
            D(2027, 9, 30),
            readings=[(D(2026, 6, 30), "40"), (D(2026, 9, 30), "35")],
            unit="days",
            higher_is_better=False,
        ),
        "carers_offered": indicator(
            plan,
            carers,
            "Carers offered an assessment",
            "35",
            "60",
            D(2028, 3, 31),
            readings=[(D(2026, 9, 30), "38")],
            unit="%",
        ),
        "trained": indicator(plan, voice, "Staff trained", "10", "80", D(2029, 3, 31), unit="%"),
    }
    return plan, objects


def grow(plan, objects, actions=40, owners_each=3, milestones=20, indicators=10, readings=5):
    """Make the plan much bigger, to show its page costs no more queries."""
    people = [PersonFactory() for _ in range(owners_each)]
    priorities = [objects["voice"], objects["access"], objects["carers"]]
    for number in range(actions):
        plan_action(
            plan,
            priorities[number % 3],
            f"Extra action {number}",
            people,
            D(2026, 12, 1) + datetime.timedelta(days=number),
            ActionStatus.IN_PROGRESS if number % 2 else ActionStatus.OPEN,
        )
    for number in range(milestones):
        PlanMilestone.objects.create(
            plan=plan,
            priority=priorities[number % 3],
            title=f"Extra milestone {number}",
            due_on=D(2026, 7, 1) + datetime.timedelta(days=30 * number),
        )
    for number in range(indicators):
        indicator(
            plan,
            priorities[number % 3],
            f"Extra indicator {number}",
            "0",
            "100",
            D(2028, 3, 31),
            readings=[
                (D(2026, 4, 30) + datetime.timedelta(days=30 * r), str(10 * r))
                for r in range(readings)
            ],
        )
