"""Action plans in the admin: one form for the plan, its priorities, milestones and indicators
with their readings; bad input explained on the field; officers kept to their boards."""

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from actions_log.models import ActionPlan, IndicatorReading, PlanIndicator, PlanPriority

from .admin_builders import board_officer
from .plan_builders import build_plan, make_plan

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_actions_log_actionplan:add")
LIST = reverse("wagtailsnippets_actions_log_actionplan:list")


def edit_url(plan):
    return reverse("wagtailsnippets_actions_log_actionplan:edit", args=(plan.pk,))


@pytest.fixture
def board(board_index):
    from boards.factories import BoardPageFactory

    return BoardPageFactory(
        parent=board_index, title="Mental Health Partnership Board", short_name="MHPB"
    )


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.gov.uk", "pw")
    client.force_login(user)
    return client


def _date(value):
    return value.isoformat() if value else ""


def form_data(plan, change_indicator=None, add_reading=None):
    """The edit form as the browser would post it for `plan`, with optional changes."""
    priorities = [
        {
            "id": p.pk,
            "number": p.number,
            "plan_year": p.plan_year or "",
            "title": p.title,
            "description": p.description,
            "ORDER": order,
        }
        for order, p in enumerate(plan.priorities.order_by("sort_order", "pk"))
    ]
    milestones = [
        {
            "id": m.pk,
            "title": m.title,
            "priority": m.priority_id or "",
            "due_on": _date(m.due_on),
            "achieved_on": _date(m.achieved_on),
            "ORDER": order,
        }
        for order, m in enumerate(plan.milestones.order_by("sort_order", "pk"))
    ]
    indicators = []
    for order, i in enumerate(PlanIndicator.objects.filter(plan=plan).order_by("sort_order", "pk")):
        readings = [
            {
                "id": r.pk,
                "measured_on": _date(r.measured_on),
                "value": str(r.value),
                "note": r.note,
                "ORDER": n,
            }
            for n, r in enumerate(i.readings.order_by("measured_on"))
        ]
        row = {
            "id": i.pk,
            "name": i.name,
            "unit": i.unit,
            "priority": i.priority_id or "",
            "baseline": str(i.baseline),
            "target": str(i.target),
            "target_date": _date(i.target_date),
            "higher_is_better": "on" if i.higher_is_better else "",
            "ORDER": order,
        }
        if change_indicator and change_indicator[0] == i.pk:
            row.update(change_indicator[1])
        initial = len(readings)
        if add_reading and add_reading[0] == i.pk:
            readings.append({**add_reading[1], "ORDER": len(readings)})
        row["readings"] = inline_formset(readings, initial=initial)
        indicators.append(row)
    data = {
        "board": plan.board_id,
        "title": plan.title,
        "slug": plan.slug,
        "summary": plan.summary,
        "source_document": plan.source_document,
        "starts_on": _date(plan.starts_on),
        "ends_on": _date(plan.ends_on),
        "is_public": "on" if plan.is_public else "",
        "priorities": inline_formset(priorities, initial=len(priorities)),
        "milestones": inline_formset(milestones, initial=len(milestones)),
        "indicators": inline_formset(indicators, initial=len(indicators)),
    }
    flat = nested_form_data(data)
    return {key: value for key, value in flat.items() if value != ""}


def test_the_editor_shows_the_plan_priorities_milestones_and_indicators_with_readings(
    admin_client_logged_in, board
):
    plan, _ = build_plan(board)
    response = admin_client_logged_in.get(edit_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("The plan", "Priorities", "Milestones", "Indicators (KPIs)", "Readings"):
        assert heading in html
    assert 'name="indicators-0-readings-0-value"' in html
    assert admin_client_logged_in.get(ADD).status_code == 200


def test_a_milestone_or_indicator_can_only_belong_to_a_priority_of_its_own_plan(
    admin_client_logged_in, board
):
    plan, objects = build_plan(board)
    other = make_plan(board, slug="other-plan", title="Other plan")
    stranger = PlanPriority.objects.create(plan=other, number=9, title="A stranger priority")
    html = admin_client_logged_in.get(edit_url(plan)).content.decode()
    assert "A stranger priority" not in html
    assert "Hear people" in html

    # Posting another plan's priority anyway is refused, and nothing changes.
    waits = objects["waits"]
    data = form_data(plan, change_indicator=(waits.pk, {"priority": stranger.pk}))
    response = admin_client_logged_in.post(edit_url(plan), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    waits.refresh_from_db()
    assert waits.priority_id == objects["access"].pk


def test_a_target_on_the_wrong_side_of_the_baseline_is_explained_and_nothing_is_lost(
    admin_client_logged_in, board
):
    plan, objects = build_plan(board)
    carers = objects["carers_offered"]  # higher is better, 35% to 60%
    revisions = Revision.objects.count()
    data = form_data(plan, change_indicator=(carers.pk, {"target": "30"}))
    response = admin_client_logged_in.post(edit_url(plan), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Higher is better, but the target (30) is below the baseline (35)." in html
    # What the officer typed is still in the form.
    assert 'value="30"' in html
    carers.refresh_from_db()
    assert str(carers.target) == "60.00"
    assert Revision.objects.count() == revisions


def test_a_target_equal_to_the_baseline_is_refused(admin_client_logged_in, board):
    plan, objects = build_plan(board)
    carers = objects["carers_offered"]
    data = form_data(plan, change_indicator=(carers.pk, {"target": "35"}))
    response = admin_client_logged_in.post(edit_url(plan), data)
    assert "The target is the same as the baseline" in response.content.decode()


def test_an_end_before_the_start_is_refused(admin_client_logged_in, board):
    plan, _ = build_plan(board)
    data = form_data(plan)
    data["ends_on"] = "2025-01-01"
    response = admin_client_logged_in.post(edit_url(plan), data)
    assert response.status_code == 200
    assert "A plan cannot end before it starts" in response.content.decode()


def test_a_new_reading_is_saved_as_a_revision_in_the_history(admin_client_logged_in, board):
    plan, objects = build_plan(board)
    waits = objects["waits"]
    data = form_data(
        plan, add_reading=(waits.pk, {"measured_on": "2026-12-31", "value": "31", "note": "Q3"})
    )
    response = admin_client_logged_in.post(edit_url(plan), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = IndicatorReading.objects.filter(indicator=waits).order_by("measured_on").last()
    assert (str(latest.value), latest.note) == ("31.00", "Q3")
    assert IndicatorReading.objects.filter(indicator=waits).count() == 3
    plan.refresh_from_db()
    assert plan.latest_revision is not None
    history = reverse("wagtailsnippets_actions_log_actionplan:history", args=(plan.pk,))
    assert "Edited" in admin_client_logged_in.get(history).content.decode()


def test_an_officer_sees_and_edits_only_their_boards_plans(client, django_user_model, board_index):
    from django.contrib.auth.models import Permission

    from boards.factories import BoardPageFactory

    mhpb = BoardPageFactory(parent=board_index, title="MHPB", short_name="MHPB")
    hwb = BoardPageFactory(parent=board_index, title="HWB", short_name="HWB")
    theirs = make_plan(mhpb, slug="theirs", title="Their plan")
    not_theirs = make_plan(hwb, slug="not-theirs", title="Someone else's plan")
    user = board_officer(django_user_model, mhpb)
    user.groups.first().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="actions_log", codename__endswith="_actionplan"
        )
    )
    client.force_login(user)

    listing = client.get(LIST).content.decode()
    assert "Their plan" in listing
    assert "Someone else&#x27;s plan" not in listing and "Someone else's plan" not in listing
    assert client.get(edit_url(theirs)).status_code == 200
    assert client.get(edit_url(not_theirs)).status_code == 404
    add_form = client.get(ADD).content.decode()
    assert f'<option value="{mhpb.pk}"' in add_form
    assert f'<option value="{hwb.pk}"' not in add_form
    assert ActionPlan.objects.count() == 2
