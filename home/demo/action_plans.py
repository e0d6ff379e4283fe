"""The Mental Health Partnership Board's delivery plan for the Adult Social Care Mental Health
Strategy 2026-2029 (DOMAIN.md §6), and the Health Select Commission's follow-up requests.

The strategy's six priorities are placed in the years of the plan its themes give them (year 1:
voice, prevention, delays, access; year 2: service improvement, carers; year 3: partnership,
workforce), each with SMART actions, milestones and indicators. Owners are the demo's invented
people (the board's co-chairs, the ICB's commissioner and the HWB's voluntary sector member), so
no real person is given work they were never given. Every indicator's baseline, target and
reading is an illustrative figure for the demo, not a published one.

Like the rest of the loader it is idempotent: the plan is found by board and slug, its priorities
by number, milestones by title, indicators by name, readings by date, actions by their
`import_key` and owners by person. Rows are updated in place (so an action keeps its priority)
and a revision is saved, with a log entry for the admin history, only when something changed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

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

from .pack import Name
from .sync import rows, update_fields

MHPB_SLUG = "mental-health-partnership-board"
PLAN_SLUG = "mental-health-strategy-2026-2029"
PLAN_START = datetime.date(2026, 4, 1)
PLAN_END = datetime.date(2029, 3, 31)
# The Health Select Commission meeting at which the demo has it ask for its follow-ups (the
# second Thursday of March 2026, its usual day).
HSC_REQUESTS_ON = datetime.date(2026, 3, 12)
ILLUSTRATIVE = "Illustrative figure for the demo"

D = datetime.date

PLAN_FIELDS = {
    "title": "Adult Social Care Mental Health Strategy 2026-2029 delivery plan",
    "summary": (
        "How the council and its partners will deliver the Adult Social Care Mental Health "
        "Strategy 2026-2029: the strategy's six priorities by year, SMART actions with named "
        "owners, milestones and key performance indicators, and the follow-up information the "
        "Health Select Commission asked for.\n\n"
        "This is demonstration content. The owners are invented people, and every indicator's "
        "baseline, target and reading is an illustrative figure, not a published statistic."
    ),
    "source_document": "Adult Social Care Mental Health Strategy 2026-2029",
    "starts_on": PLAN_START,
    "ends_on": PLAN_END,
    "is_public": True,
}

# Owners, by the names the demo gives them in home/demo/memberships.py.
REEVE = Name("", "Jordan", "Reeve")  # lived experience co-chair
PATEL = Name("", "Asha", "Patel")  # lived experience co-chair (carers' forum)
MARSH = Name("", "Helen", "Marsh")  # ICB head of mental health commissioning
MORGAN = Name("", "Alex", "Morgan")  # HWB voluntary and community sector member


@dataclass(frozen=True)
class PrioritySpec:
    number: int
    title: str
    plan_year: int
    description: str


@dataclass(frozen=True)
class ActionSpec:
    key: str
    priority: int | None
    text: str
    owners: tuple
    due: datetime.date
    status: str = ActionStatus.OPEN
    completed_on: datetime.date | None = None
    raised_on: datetime.date = PLAN_START


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    priority: int | None
    due_on: datetime.date
    achieved_on: datetime.date | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    priority: int
    unit: str
    baseline: str
    target: str
    target_date: datetime.date
    higher_is_better: bool = True
    readings: tuple = ()


@dataclass(frozen=True)
class UpdateSpec:
    action: str
    created_at: datetime.datetime
    author: Name
    text: str
    status: str = ""
    is_internal: bool = False


PRIORITIES = [
    PrioritySpec(
        1,
        "Establish the Mental Health Partnership Board",
        1,
        "Year 1 theme: voice. A partnership board with lived-experience co-chairs, modelled on "
        "the Learning Disability and Autism Partnership Board, oversees the strategy; in year 3 "
        "it reviews how the partnership works.",
    ),
    PrioritySpec(
        2,
        "Expand the mental health enablement offer",
        1,
        "Year 1 theme: prevention. Short-term enablement that helps people stay well and "
        "connected in their communities before they reach crisis.",
    ),
    PrioritySpec(
        3,
        "Improve access and cut waiting times",
        1,
        "Year 1 themes: delays and access. One way in for referrals, shorter waits for an "
        "assessment and fewer delayed discharges.",
    ),
    PrioritySpec(
        4,
        "Support carers and families",
        2,
        "Year 2 theme: carers. Carers' assessments offered as a matter of course, and "
        "information written with carers.",
    ),
    PrioritySpec(
        5,
        "Strengthen crisis pathways",
        2,
        "Year 2 theme: service improvement. Faster crisis response and a joint crisis and "
        "suicide prevention pathway.",
    ),
    PrioritySpec(
        6,
        "Develop the workforce",
        3,
        "Year 3 theme: workforce. Trauma-informed, strengths-based practice and a fully staffed "
        "Approved Mental Health Professional team.",
    ),
]

ACTIONS = [
    ActionSpec(
        "1.1",
        1,
        "Hold the first meeting of the Mental Health Partnership Board, with its "
        "lived-experience co-chairs, by 30 June 2026.",
        (REEVE, PATEL),
        D(2026, 6, 30),
        ActionStatus.COMPLETED,
        D(2026, 5, 11),
    ),
    ActionSpec(
        "1.2",
        1,
        "Agree the board's terms of reference and membership, modelled on the Learning "
        "Disability and Autism Partnership Board, by 31 July 2026.",
        (REEVE, MARSH),
        D(2026, 7, 31),
        ActionStatus.COMPLETED,
        D(2026, 5, 11),
    ),
    ActionSpec(
        "1.3",
        1,
        "Recruit at least 40 people with lived experience to a reference group that reviews "
        "every paper before the board sees it, by 31 March 2027.",
        (REEVE, PATEL),
        D(2027, 3, 31),
        ActionStatus.IN_PROGRESS,
    ),
    ActionSpec(
        "1.4",
        1,
        "Review how the partnership works, with members and the reference group, and report "
        "the findings to the Health and Wellbeing Board by 31 January 2029.",
        (REEVE, MARSH),
        D(2029, 1, 31),
    ),
    ActionSpec(
        "2.1",
        2,
        "Open the enablement service on two evenings a week from 1 October 2026.",
        (MARSH,),
        D(2026, 10, 1),
        ActionStatus.IN_PROGRESS,
    ),
    ActionSpec(
        "2.2",
        2,
        "Publish a directory of community support that helps people stay well (peer support, "
        "walking and men's groups) by 31 January 2027.",
        (MORGAN, MARSH),
        D(2027, 1, 31),
    ),
    ActionSpec(
        "2.3",
        2,
        "Increase the adults supported by the enablement service each quarter from 120 to 200 "
        "by 31 March 2028.",
        (MARSH,),
        D(2028, 3, 31),
        ActionStatus.IN_PROGRESS,
    ),
    ActionSpec(
        "3.1",
        3,
        "Open a single point of access for adult social care mental health referrals by 31 "
        "December 2026.",
        (MARSH,),
        D(2026, 12, 31),
        ActionStatus.IN_PROGRESS,
    ),
    ActionSpec(
        "3.2",
        3,
        "Cut the median wait from referral to first assessment from 42 to 28 days by 30 "
        "September 2027.",
        (MARSH,),
        D(2027, 9, 30),
        ActionStatus.IN_PROGRESS,
    ),
    ActionSpec(
        "3.3",
        3,
        "Agree a discharge protocol with the mental health trust (RDaSH) to reduce delayed "
        "discharges from mental health beds by 30 November 2026.",
        (MARSH,),
        D(2026, 11, 30),
    ),
    ActionSpec(
        "4.1",
        4,
        "Offer a carer's assessment to every carer of a person the service supports, raising "
        "the share offered from 35% to 60% by 31 March 2028.",
        (PATEL, MARSH),
        D(2028, 3, 31),
    ),
    ActionSpec(
        "4.2",
        4,
        "Write an information pack for carers and families with the carers' forum by 30 "
        "September 2027.",
        (PATEL,),
        D(2027, 9, 30),
    ),
    ActionSpec(
        "5.1",
        5,
        "See 90% of crisis referrals within four hours by 31 March 2028 (68% at the start).",
        (MARSH,),
        D(2028, 3, 31),
    ),
    ActionSpec(
        "5.2",
        5,
        "Agree a joint crisis and suicide prevention pathway with partners by 31 December 2027.",
        (MARSH, REEVE),
        D(2027, 12, 31),
    ),
    ActionSpec(
        "6.1",
        6,
        "Train 80% of adult social care mental health staff in trauma-informed, strengths-based "
        "practice by 31 March 2029.",
        (MARSH,),
        D(2029, 3, 31),
    ),
    ActionSpec(
        "6.2",
        6,
        "Reduce vacancies in the Approved Mental Health Professional team to no more than two "
        "by 30 September 2028.",
        (MARSH,),
        D(2028, 9, 30),
    ),
    # The Health Select Commission's follow-up requests (DOMAIN.md §6): tracked as actions of the
    # plan under no one priority.
    ActionSpec(
        "hsc-1",
        None,
        "Health Select Commission request: present the strategy's delivery action plan, with "
        "its SMART objectives and key performance indicators.",
        (MARSH, REEVE),
        D(2026, 12, 10),
        ActionStatus.IN_PROGRESS,
        raised_on=HSC_REQUESTS_ON,
    ),
    ActionSpec(
        "hsc-2",
        None,
        "Health Select Commission request: a mid-point update on the delivery of the strategy "
        "(mid-to-late 2027).",
        (REEVE, PATEL),
        D(2027, 10, 14),
        raised_on=HSC_REQUESTS_ON,
    ),
    ActionSpec(
        "hsc-3",
        None,
        "Health Select Commission request: data on loneliness among adults who use mental "
        "health services.",
        (MARSH, MORGAN),
        D(2027, 3, 11),
        raised_on=HSC_REQUESTS_ON,
    ),
    ActionSpec(
        "hsc-4",
        None,
        "Health Select Commission request: figures on male suicide, which the Commission asked "
        "for “at a later date”.",
        (MARSH,),
        D(2027, 6, 10),
        raised_on=HSC_REQUESTS_ON,
    ),
]

MILESTONES = [
    MilestoneSpec(
        "First meeting of the Mental Health Partnership Board", 1, D(2026, 6, 30), D(2026, 5, 11)
    ),
    MilestoneSpec(
        "Delivery action plan with SMART objectives and KPIs agreed by the board",
        None,
        D(2026, 9, 30),
        D(2026, 8, 10),
    ),
    MilestoneSpec("Evening enablement sessions running", 2, D(2026, 10, 1)),
    MilestoneSpec("Single point of access open to referrals", 3, D(2026, 12, 31)),
    MilestoneSpec("Carers' information pack published", 4, D(2027, 9, 30)),
    MilestoneSpec("Mid-point update given to the Health Select Commission", None, D(2027, 10, 14)),
    MilestoneSpec("Joint crisis and suicide prevention pathway agreed", 5, D(2027, 12, 31)),
    MilestoneSpec("Workforce development reviewed at the end of the strategy", 6, D(2029, 3, 31)),
]

Q1, Q2 = D(2026, 6, 30), D(2026, 9, 30)

INDICATORS = [
    IndicatorSpec(
        "People with lived experience in the board's reference group",
        1,
        "people",
        "0",
        "40",
        D(2027, 3, 31),
        readings=((Q1, "9"), (Q2, "22")),
    ),
    IndicatorSpec(
        "Adults supported by the enablement service in the quarter",
        2,
        "people",
        "120",
        "200",
        D(2028, 3, 31),
        readings=((Q1, "126"), (Q2, "131")),
    ),
    IndicatorSpec(
        "Median wait from referral to first assessment",
        3,
        "days",
        "42",
        "28",
        D(2027, 9, 30),
        higher_is_better=False,
        readings=((Q1, "40"), (Q2, "35")),
    ),
    IndicatorSpec(
        "Delayed discharges from mental health beds (weekly average)",
        3,
        "people",
        "9",
        "5",
        D(2027, 3, 31),
        higher_is_better=False,
        readings=((Q2, "9.5"),),
    ),
    IndicatorSpec(
        "Carers offered a carer's assessment",
        4,
        "%",
        "35",
        "60",
        D(2028, 3, 31),
        readings=((Q2, "38"),),
    ),
    IndicatorSpec(
        "Crisis referrals seen within four hours",
        5,
        "%",
        "68",
        "90",
        D(2028, 3, 31),
        readings=((Q2, "75"),),
    ),
    IndicatorSpec(
        "Staff trained in trauma-informed practice",
        6,
        "%",
        "10",
        "80",
        D(2029, 3, 31),
    ),
]


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


UPDATES = [
    UpdateSpec(
        "2.1",
        _at(D(2026, 9, 14)),
        MARSH,
        "Two support workers for the evening sessions are being recruited; the sessions will "
        "start once they are in post.",
        ActionStatus.IN_PROGRESS,
    ),
    UpdateSpec(
        "2.1",
        _at(D(2026, 10, 5)),
        MARSH,
        "Recruitment panel on 20 October; interim cover from the day service was considered and "
        "ruled out because of its own vacancies.",
        is_internal=True,
    ),
    UpdateSpec(
        "hsc-1",
        _at(D(2026, 11, 2)),
        MARSH,
        "The plan agreed by the board in August is on the Commission's agenda for 10 December.",
        ActionStatus.IN_PROGRESS,
    ),
]


# Syncing ------------------------------------------------------------------------------------


def import_key(spec):
    return f"demo-plan:{PLAN_SLUG}:{spec.key}"


def _number(priority):
    return priority.number if priority is not None else None


def _plan_state(plan, priorities, milestones, indicators):
    """A comparable picture of the plan and its children, independent of primary keys."""
    return (
        rows([plan], ("board_id", "slug", *PLAN_FIELDS)),
        rows(priorities, ("number", "title", "plan_year", "description", "sort_order")),
        [(m.title, _number(m.priority), m.due_on, m.achieved_on, m.sort_order) for m in milestones],
        [
            (
                i.name,
                _number(i.priority),
                i.unit,
                i.baseline,
                i.target,
                i.target_date,
                i.higher_is_better,
                i.sort_order,
                rows(i.readings.all(), ("measured_on", "value", "note", "sort_order")),
            )
            for i in indicators
        ],
    )


def _desired_priorities(plan):
    existing = {p.number: p for p in plan.priorities.all()} if plan.pk else {}
    wanted = []
    for order, spec in enumerate(PRIORITIES):
        priority = existing.get(spec.number) or PlanPriority(number=spec.number)
        update_fields(
            priority,
            {
                "title": spec.title,
                "plan_year": spec.plan_year,
                "description": spec.description,
                "sort_order": order,
            },
        )
        wanted.append(priority)
    return wanted


def _desired_milestones(plan, priority_of):
    existing = {m.title: m for m in plan.milestones.all()} if plan.pk else {}
    wanted = []
    for order, spec in enumerate(MILESTONES):
        milestone = existing.get(spec.title) or PlanMilestone(title=spec.title)
        milestone.priority = priority_of(spec.priority)
        update_fields(
            milestone,
            {"due_on": spec.due_on, "achieved_on": spec.achieved_on, "sort_order": order},
        )
        wanted.append(milestone)
    return wanted


def _desired_indicators(plan, priority_of):
    existing = {i.name: i for i in plan.indicators.all()} if plan.pk else {}
    wanted = []
    for order, spec in enumerate(INDICATORS):
        indicator = existing.get(spec.name) or PlanIndicator(name=spec.name)
        indicator.priority = priority_of(spec.priority)
        update_fields(
            indicator,
            {
                "unit": spec.unit,
                "baseline": Decimal(spec.baseline),
                "target": Decimal(spec.target),
                "target_date": spec.target_date,
                "higher_is_better": spec.higher_is_better,
                "sort_order": order,
            },
        )
        readings = {r.measured_on: r for r in indicator.readings.all()} if indicator.pk else {}
        wanted_readings = []
        for reading_order, (day, value) in enumerate(spec.readings):
            reading = readings.get(day) or IndicatorReading(measured_on=day)
            update_fields(
                reading,
                {"value": Decimal(value), "note": ILLUSTRATIVE, "sort_order": reading_order},
            )
            wanted_readings.append(reading)
        indicator.readings = wanted_readings
        wanted.append(indicator)
    return wanted


def sync_plan(board, summary):
    """The delivery plan with its priorities, milestones and indicators; returns (plan, {number:
    priority})."""
    plan = ActionPlan.objects.filter(board=board, slug=PLAN_SLUG).first()
    created = plan is None
    before = None
    if created:
        plan = ActionPlan(board=board, slug=PLAN_SLUG)
    else:
        before = _plan_state(
            plan, plan.priorities.all(), plan.milestones.all(), plan.indicators.all()
        )

    update_fields(plan, PLAN_FIELDS)
    priorities = _desired_priorities(plan)
    by_number = {priority.number: priority for priority in priorities}

    def priority_of(number):
        return by_number.get(number)

    milestones = _desired_milestones(plan, priority_of)
    indicators = _desired_indicators(plan, priority_of)
    changed = created or _plan_state(plan, priorities, milestones, indicators) != before
    if changed:
        # Priorities first, so that milestones and indicators can point at saved rows.
        plan.priorities = priorities
        plan.save()
        plan.milestones = milestones
        plan.indicators = indicators
        plan.save()
        plan.save_revision(log_action="wagtail.create" if created else "wagtail.edit")
    summary.record("action plan", created=created, updated=changed and not created)
    return plan, {priority.number: priority for priority in plan.priorities.all()}


def _action_state(action):
    return (
        rows(
            [action],
            (
                "board_id",
                "plan_id",
                "priority_id",
                "source",
                "text",
                "raised_on",
                "due_date",
                "status",
                "completed_on",
            ),
        ),
        [(owner.person_id, owner.sort_order) for owner in action.owners.all()],
    )


def sync_plan_action(spec, plan, priorities, people, summary):
    key = import_key(spec)
    action = Action.objects.filter(board=plan.board, import_key=key).first()
    created = action is None
    before = None
    if created:
        action = Action(board=plan.board, import_key=key)
    else:
        before = _action_state(action)

    priority = priorities.get(spec.priority)
    update_fields(
        action,
        {
            "plan_id": plan.pk,
            "priority_id": priority.pk if priority else None,
            "source": ActionSource.ACTION_PLAN,
            "text": spec.text,
            "raised_on": spec.raised_on,
            "due_date": spec.due,
            "due_by_next_meeting": False,
            "status": spec.status,
            "completed_on": spec.completed_on,
        },
    )
    existing = {owner.person_id: owner for owner in action.owners.all()} if action.pk else {}
    owners = []
    for order, name in enumerate(spec.owners):
        person = people.get(name)
        owner = existing.get(person.pk) or ActionOwner(person=person)
        owner.sort_order = order
        owners.append(owner)
    action.owners = owners

    changed = created or _action_state(action) != before
    if changed:
        action.save()
        action.save_revision(log_action="wagtail.create" if created else "wagtail.edit")
    summary.record("plan action", created=created, updated=changed and not created)
    return action


def sync_updates(actions, people, summary):
    for spec in UPDATES:
        action = actions[spec.action]
        author = people.get(spec.author)
        values = {
            "created_at": spec.created_at,
            "author_name": author.full_name,
            "status": spec.status,
            "is_internal": spec.is_internal,
        }
        update = ActionUpdate.objects.filter(action=action, text=spec.text).first()
        if update is None:
            ActionUpdate.objects.create(action=action, text=spec.text, **values)
            summary.record("action update", created=True)
            continue
        changed = update_fields(update, values)
        if changed:
            update.save()
        summary.record("action update", updated=changed)


def sync_action_plans(boards, people, summary):
    """The MHPB's delivery plan for the mental health strategy, with its actions and updates."""
    board = boards[MHPB_SLUG]
    plan, priorities = sync_plan(board, summary)
    actions = {
        spec.key: sync_plan_action(spec, plan, priorities, people, summary) for spec in ACTIONS
    }
    sync_updates(actions, people, summary)
    summary.notes.append(
        f"Action plan: “{plan.title}” for the {board.title}, with {len(PRIORITIES)} priorities, "
        f"{len(ACTIONS)} actions (the Health Select Commission's four follow-up requests among "
        f"them), {len(MILESTONES)} milestones and {len(INDICATORS)} indicators. The indicators' "
        "baselines, targets and readings are illustrative figures, not published statistics."
    )
    return plan
