"""The public page of a board's action plan: `/boards/<board>/plans/<slug>/`.

The board page routes here (`BoardPage.plans`), so Wagtail has already checked that the board is
live and that the reader may see it. The page shows only plans marked public and, of their
actions, only those the public may see (`Action.objects.public()`); owners appear by name and
organisation, never with contact details. It costs the same few queries however large the plan:
the plan, its priorities, actions, owners, milestones, indicators and readings, one query each.
"""

from dataclasses import dataclass

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from home.templatetags.public_site import page_frame
from meetings.dates import format_date

from .models import ActionPlan, ActionStatus
from .plans import (
    IndicatorState,
    MilestoneState,
    load_plan_progress,
    milestone_state,
    plain_number,
    plan_actions,
)

# The same colours as the board's public action log (actions_log.public).
STATUS_TAG_CLASSES = {
    ActionStatus.OPEN: "govuk-tag--blue",
    ActionStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ActionStatus.COMPLETED: "govuk-tag--green",
    ActionStatus.NOT_REQUIRED: "govuk-tag--grey",
}
MILESTONE_TAG_CLASSES = {
    MilestoneState.ACHIEVED: "govuk-tag--green",
    MilestoneState.ACHIEVED_LATE: "govuk-tag--green",
    MilestoneState.MISSED: "govuk-tag--red",
    MilestoneState.DUE: "govuk-tag--grey",
}
INDICATOR_TAG_CLASSES = {
    IndicatorState.ACHIEVED: "govuk-tag--green",
    IndicatorState.ON_TRACK: "govuk-tag--green",
    IndicatorState.OFF_TRACK: "govuk-tag--orange",
    IndicatorState.MISSED: "govuk-tag--red",
    IndicatorState.NOT_MEASURED: "govuk-tag--grey",
    IndicatorState.NO_TARGET_DATE: "govuk-tag--grey",
    IndicatorState.CANNOT_ASSESS: "govuk-tag--grey",
}


def paragraphs(text):
    """Plain text split at blank lines, for `govuk-body` paragraphs."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def today():
    """The day progress is reckoned on: today in the UK (a seam for the tests)."""
    return timezone.localdate()


def public_plan(board, slug):
    """The board's plan with this slug if the public may see it, else None."""
    return ActionPlan.objects.filter(board=board, slug=slug, is_public=True).first()


def month_year(day):
    return f"{day:%B %Y}" if day else ""


def format_amount(value, unit=""):
    """'42 days', '35%', '9.5 people': a reading as a person would write it."""
    if value is None:
        return ""
    number = plain_number(value)
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


def format_percent(value):
    if value is None:
        return ""
    return f"{format_amount(value)}%"


# Rows -----------------------------------------------------------------------------------


@dataclass
class ActionRow:
    text: str
    owners: list
    due_label: str
    status_label: str
    status_class: str
    is_overdue: bool
    completed_label: str


def action_row(action, on):
    due = action.due()
    if due:
        due_label = format_date(due)
    elif action.due_by_next_meeting:
        due_label = "By the next meeting"
    else:
        due_label = "No date set"
    owners = [
        ", ".join(part for part in (owner.person.full_name, owner.person.organisation) if part)
        for owner in action.owners.all()
    ]
    completed = action.status == ActionStatus.COMPLETED and action.completed_on
    return ActionRow(
        text=action.text,
        owners=owners,
        due_label=due_label,
        status_label=ActionStatus(action.status).label,
        status_class=STATUS_TAG_CLASSES.get(action.status, ""),
        is_overdue=action.is_overdue(on),
        completed_label=format_date(action.completed_on) if completed else "",
    )


@dataclass
class MilestoneRow:
    title: str
    due_label: str
    state_label: str
    state_class: str
    achieved_label: str


def milestone_row(milestone, on):
    state = milestone_state(milestone, on)
    return MilestoneRow(
        title=milestone.title,
        due_label=format_date(milestone.due_on),
        state_label=MilestoneState(state).label,
        state_class=MILESTONE_TAG_CLASSES[state],
        achieved_label=format_date(milestone.achieved_on) if milestone.achieved_on else "",
    )


@dataclass
class IndicatorRow:
    name: str
    direction: str
    baseline: str
    target: str
    target_date: str
    latest: str
    latest_date: str
    latest_note: str
    progress: str
    expected: str
    state_label: str
    state_class: str
    reason: str


def progress_in_words(percent):
    """'55% of the way from the baseline to the target', or what a negative figure means."""
    if percent is None:
        return ""
    if percent < 0:
        return (
            f"Further from the target than at the baseline, by {format_percent(-percent)} of "
            f"the distance between them"
        )
    return f"{format_percent(percent)} of the way from the baseline to the target"


def indicator_row(progress):
    indicator = progress.indicator
    latest = progress.latest
    progress_text = progress_in_words(progress.percent)
    expected = ""
    if progress.expected is not None and progress.state in (
        IndicatorState.ON_TRACK,
        IndicatorState.OFF_TRACK,
    ):
        expected = (
            f"A steady path to the target would have been {format_percent(progress.expected)} "
            f"of the way by then."
        )
    return IndicatorRow(
        name=indicator.name,
        direction="Higher is better" if indicator.higher_is_better else "Lower is better",
        baseline=format_amount(indicator.baseline, indicator.unit) or "Not set",
        target=format_amount(indicator.target, indicator.unit) or "Not set",
        target_date=format_date(indicator.target_date) if indicator.target_date else "",
        latest=format_amount(latest.value, indicator.unit) if latest else "",
        latest_date=format_date(latest.measured_on) if latest else "",
        latest_note=latest.note if latest else "",
        progress=progress_text,
        expected=expected,
        state_label=progress.state_label,
        state_class=INDICATOR_TAG_CLASSES[progress.state],
        reason=progress.reason,
    )


@dataclass
class SectionView:
    """A priority (or the part of the plan under no priority) ready for the template."""

    anchor: str
    heading: str
    caption_suffix: str
    description: list
    counts: object
    milestone_counts: object
    actions: list
    milestones: list
    indicators: list


def section_view(progress, on):
    priority = progress.priority
    if priority is None:
        anchor, heading, description = "across-the-plan", "Across the plan", ""
        caption_suffix = "across the plan"
    else:
        anchor = f"priority-{priority.number}"
        heading = f"Priority {priority.number}: {priority.title}"
        description = priority.description
        caption_suffix = f"for priority {priority.number}"
    return SectionView(
        anchor=anchor,
        heading=heading,
        caption_suffix=caption_suffix,
        description=paragraphs(description),
        counts=progress.counts,
        milestone_counts=progress.milestone_counts,
        actions=[action_row(action, on) for action in progress.actions],
        milestones=[milestone_row(milestone, on) for milestone in progress.milestones],
        indicators=[indicator_row(indicator) for indicator in progress.indicators],
    )


def year_heading(year):
    if year.number is None:
        return "Throughout the plan"
    if year.starts_on:
        return f"Year {year.number}: {month_year(year.starts_on)} to {month_year(year.ends_on)}"
    return f"Year {year.number}"


def plan_context(plan, board, request, on):
    progress = load_plan_progress(plan, on, actions=plan_actions(plan).public())
    years = [
        {
            "anchor": f"year-{year.number}" if year.number else "throughout",
            "heading": year_heading(year),
            "sections": [section_view(priority, on) for priority in year.priorities],
        }
        for year in progress.years
    ]
    unprioritised = progress.unprioritised
    frame = page_frame(board, request)
    board_url = board.get_url(request)
    return {
        "page": board,
        "board": board,
        "plan": plan,
        "summary": paragraphs(plan.summary),
        "breadcrumbs": [
            *frame["breadcrumbs"],
            {"title": board.title, "url": board_url},
        ],
        "board_url": board_url,
        "period": (
            f"{month_year(plan.starts_on)} to {month_year(plan.ends_on)}"
            if plan.starts_on and plan.ends_on
            else ""
        ),
        "as_at": format_date(on),
        "counts": progress.counts,
        "milestone_counts": progress.milestone_counts,
        "indicator_counts": progress.indicator_counts,
        "years": years,
        "across": None if unprioritised.is_empty else section_view(unprioritised, on),
    }


def public_plan_links(board, request=None):
    """[{"title", "url"}] of the board's public plans, for the board page to link to (one
    query)."""
    board_url = board.get_url(request) or ""
    return [
        {"title": title, "url": f"{board_url}plans/{slug}/"}
        for title, slug in ActionPlan.objects.filter(board=board, is_public=True)
        .order_by("title")
        .values_list("title", "slug")
    ]


def plan_response(request, board, slug):
    """The public page of the board's plan `slug`; 404 unless it exists and is public."""
    if not board.live:
        raise Http404("The board is not published.")
    plan = public_plan(board, slug)
    if plan is None:
        raise Http404("There is no published action plan at this address.")
    context = plan_context(plan, board, request, today())
    return TemplateResponse(request, "actions_log/action_plan.html", context)
