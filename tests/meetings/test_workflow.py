"""Agenda approval: democratic services approve; a late agenda needs the chair's urgency reason."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, Workflow, WorkflowState

from boards.factories import BoardPageFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from meetings.factories import AgendaItemFactory, MeetingPageFactory
from meetings.models import MeetingPage
from meetings.workflows import (
    AGENDA_WORKFLOW_NAME,
    APPROVE_AS_URGENT,
    AgendaApprovalTask,
    ensure_agenda_workflow,
)
from tests.meetings.admin_form_data import meeting_form_data

REASON = "The Better Care Fund plan must be signed off before the national deadline."


def days_from_now(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def workflow(board_index):
    return ensure_agenda_workflow(board_index)


@pytest.fixture
def board(board_index):
    return BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", "officer@example.gov.uk", "pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("member", "member@example.gov.uk", "pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    return user


def draft_meeting(board, start, officer):
    meeting = MeetingPageFactory(
        parent=board, live=False, start=start, end=start + datetime.timedelta(hours=2)
    )
    AgendaItemFactory(meeting=meeting, title="Better Care Fund", number=1)
    meeting.save_revision(user=officer)
    return MeetingPage.objects.get(pk=meeting.pk)


def submit(meeting, officer):
    workflow = meeting.get_workflow()
    assert workflow.name == AGENDA_WORKFLOW_NAME
    workflow.start(meeting, officer)
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    task_state = meeting.current_workflow_task_state.specific
    return meeting, task_state, task_state.task.specific


@pytest.fixture
def late_meeting(workflow, board, officer):
    return draft_meeting(board, days_from_now(2), officer)


@pytest.fixture
def timely_meeting(workflow, board, officer):
    return draft_meeting(board, days_from_now(30), officer)


def reload(meeting):
    return MeetingPage.objects.get(pk=meeting.pk)


# The workflow itself ----------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_creates_the_agenda_workflow_for_democratic_services():
    workflow = Workflow.objects.get(name=AGENDA_WORKFLOW_NAME)
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, AgendaApprovalTask)
    assert [g.name for g in task.groups.all()] == [DEMOCRATIC_SERVICES_GROUP]


def test_ensure_agenda_workflow_links_the_boards_index_and_is_idempotent(board_index, board):
    first = ensure_agenda_workflow()
    second = ensure_agenda_workflow(board_index)
    assert first.pk == second.pk
    assert Workflow.objects.filter(name=AGENDA_WORKFLOW_NAME).count() == 1
    assert AgendaApprovalTask.objects.count() == 1
    assert first.workflow_tasks.count() == 1
    assert board_index.get_workflow().pk == first.pk
    meeting = MeetingPageFactory(parent=board)
    assert meeting.get_workflow().pk == first.pk


def test_late_agenda_offers_only_approve_as_urgent(late_meeting, officer):
    meeting, _, task = submit(late_meeting, officer)
    names = [name for name, _label, _modal in task.get_actions(meeting, officer)]
    assert "approve" not in names
    assert APPROVE_AS_URGENT in names
    assert "reject" in names
    assert task.get_form_for_action(APPROVE_AS_URGENT)().fields["urgency_reason"].required


def test_timely_agenda_offers_plain_approve(timely_meeting, officer):
    meeting, _, task = submit(timely_meeting, officer)
    names = [name for name, _label, _modal in task.get_actions(meeting, officer)]
    assert "approve" in names
    assert APPROVE_AS_URGENT not in names


def test_board_members_cannot_approve(timely_meeting, officer, member):
    meeting, _, task = submit(timely_meeting, officer)
    assert task.get_actions(meeting, member) == []


def test_plain_approve_of_a_late_agenda_is_refused(late_meeting, officer):
    meeting, task_state, task = submit(late_meeting, officer)
    task.on_action(task_state, officer, "approve")
    meeting = reload(meeting)
    assert not meeting.live
    assert meeting.first_published_at is None
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert meeting.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_approve_as_urgent_without_a_reason_is_refused(late_meeting, officer):
    meeting, task_state, task = submit(late_meeting, officer)
    task.on_action(task_state, officer, APPROVE_AS_URGENT, urgency_reason="  ", comment="")
    assert not reload(meeting).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_approve_as_urgent_publishes_with_the_reason(late_meeting, officer):
    meeting, task_state, task = submit(late_meeting, officer)
    task.on_action(task_state, officer, APPROVE_AS_URGENT, urgency_reason=REASON, comment="")
    meeting = reload(meeting)
    assert meeting.live
    assert meeting.urgency_reason == REASON
    assert meeting.first_published_at is not None
    assert meeting.live_revision.content["urgency_reason"] == REASON
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert REASON in task_state.comment


def test_timely_approve_publishes(timely_meeting, officer):
    meeting, task_state, task = submit(timely_meeting, officer)
    task.on_action(task_state, officer, "approve", comment="")
    meeting = reload(meeting)
    assert meeting.live
    assert meeting.first_published_at is not None
    assert meeting.urgency_reason == ""
    assert meeting.agenda_published_at == meeting.first_published_at


def test_a_reason_already_in_the_draft_allows_plain_approve(workflow, board, officer):
    meeting = MeetingPageFactory(parent=board, live=False, start=days_from_now(1))
    meeting.urgency_reason = REASON
    meeting.save_revision(user=officer)
    meeting, task_state, task = submit(reload(meeting), officer)
    assert "approve" in [name for name, _l, _m in task.get_actions(meeting, officer)]
    task.on_action(task_state, officer, "approve", comment="")
    assert reload(meeting).live
    assert reload(meeting).urgency_reason == REASON


def test_other_pages_under_the_boards_get_plain_group_approval(workflow, board, officer):
    board.save_revision(user=officer)
    workflow.start(board, officer)
    task_state = board.current_workflow_task_state.specific
    task = task_state.task.specific
    names = [name for name, _l, _m in task.get_actions(board, officer)]
    assert "approve" in names
    assert APPROVE_AS_URGENT not in names


# Through the admin ------------------------------------------------------------------------


def action_url(meeting, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=(meeting.pk, action, task_state.pk))


def test_admin_refuses_plain_approve_of_a_late_agenda(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    response = client.post(action_url(meeting, "approve", task_state), {"comment": ""})
    # The admin turns the refusal (PermissionDenied) into a redirect to the dashboard.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not reload(meeting).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_admin_refuses_approve_as_urgent_without_a_reason(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    url = action_url(meeting, APPROVE_AS_URGENT, task_state)
    response = client.post(
        url, {"urgency_reason": "", "comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    assert response.json()["step"] == "action"
    assert "Give the chair&#x27;s reason for urgency" in response.json()["html"]
    assert not reload(meeting).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_admin_approve_as_urgent_form_asks_for_the_reason(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    response = client.get(action_url(meeting, APPROVE_AS_URGENT, task_state))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "The chair&#x27;s reason for urgency" in html
    assert 'name="urgency_reason"' in html


def test_admin_approve_as_urgent_publishes_and_shows_the_reason(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    response = client.post(
        action_url(meeting, APPROVE_AS_URGENT, task_state),
        {"urgency_reason": REASON, "comment": "Chair agreed by email"},
    )
    assert response.status_code == 302
    meeting = reload(meeting)
    assert meeting.live
    assert meeting.urgency_reason == REASON
    assert meeting.first_published_at is not None
    task_state.refresh_from_db()
    assert task_state.comment == "Chair agreed by email"
    client.logout()
    public = client.get(meeting.url)
    assert public.status_code == 200
    assert REASON in public.content.decode()


def test_admin_approves_a_timely_agenda(client, timely_meeting, officer):
    meeting, task_state, _ = submit(timely_meeting, officer)
    client.force_login(officer)
    response = client.post(action_url(meeting, "approve", task_state), {"comment": ""})
    assert response.status_code == 302
    meeting = reload(meeting)
    assert meeting.live
    assert meeting.first_published_at is not None


def test_board_member_cannot_use_the_approval_url(client, timely_meeting, officer, member):
    meeting, task_state, _ = submit(timely_meeting, officer)
    client.force_login(member)
    response = client.post(action_url(meeting, "approve", task_state), {"comment": ""})
    assert response.status_code in (302, 403)
    assert not reload(meeting).live


# Publishing directly from the editor -----------------------------------------------------


def edit_url(meeting):
    return reverse("wagtailadmin_pages:edit", args=(meeting.pk,))


def test_direct_publish_of_a_late_agenda_is_refused_and_the_draft_kept(
    client, late_meeting, officer
):
    client.force_login(officer)
    data = meeting_form_data(late_meeting, venue="Rotherham Town Hall, Moorgate Street")
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(late_meeting), data, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(late_meeting)
    assert "clear day" in response.content.decode()
    meeting = reload(late_meeting)
    assert not meeting.live
    assert meeting.first_published_at is None
    assert meeting.get_latest_revision_as_object().venue == "Rotherham Town Hall, Moorgate Street"


def test_direct_publish_of_a_late_agenda_with_a_reason(client, late_meeting, officer):
    client.force_login(officer)
    data = meeting_form_data(late_meeting, urgency_reason=REASON)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(late_meeting), data)
    assert response.status_code == 302
    meeting = reload(late_meeting)
    assert meeting.live
    assert meeting.urgency_reason == REASON


def test_direct_publish_of_a_timely_agenda(client, timely_meeting, officer):
    client.force_login(officer)
    data = meeting_form_data(timely_meeting)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(timely_meeting), data)
    assert response.status_code == 302
    assert reload(timely_meeting).live


def test_scheduled_publishing_is_judged_at_the_go_live_time(client, timely_meeting, officer):
    # On time if published now, but scheduled for two days before the meeting.
    client.force_login(officer)
    go_live = timely_meeting.start - datetime.timedelta(days=2)
    data = meeting_form_data(timely_meeting, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(timely_meeting), data, follow=True)
    assert "clear day" in response.content.decode()
    meeting = reload(timely_meeting)
    assert not meeting.live
    assert not meeting.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_bulk_publish_refuses_a_late_agenda(client, late_meeting, timely_meeting, officer):
    client.force_login(officer)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    url += f"?id={late_meeting.pk}&id={timely_meeting.pk}"
    response = client.post(url, follow=True)
    assert late_meeting.title in response.content.decode()
    assert not reload(late_meeting).live
    # Nothing in the selection is published, so nobody is misled about what went out.
    assert not reload(timely_meeting).live


def test_bulk_publish_of_a_board_with_its_drafts_refuses_a_late_agenda(
    client, board, late_meeting, officer
):
    client.force_login(officer)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(url + f"?id={board.pk}", {"include_descendants": "on"})
    assert not reload(late_meeting).live
    # Without the drafts below it, the board page itself may be published.
    client.post(url + f"?id={board.pk}")
    assert not reload(late_meeting).live
    assert board.revisions.exists()


def test_bulk_publish_of_timely_agendas_goes_ahead(client, timely_meeting, officer):
    client.force_login(officer)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(url + f"?id={timely_meeting.pk}")
    assert response.status_code == 302
    assert reload(timely_meeting).live


# After publication ------------------------------------------------------------------------


def test_changes_after_publication_are_new_revisions_shown_as_updates(
    client, timely_meeting, officer
):
    meeting, task_state, task = submit(timely_meeting, officer)
    task.on_action(task_state, officer, "approve", comment="")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    MeetingPage.objects.filter(pk=meeting.pk).update(
        first_published_at=an_hour_ago, last_published_at=an_hour_ago
    )
    meeting = reload(meeting)
    assert meeting.agenda_updated_at is None
    assert "Updated on" not in client.get(meeting.url).content.decode()
    revisions_before = meeting.revisions.count()

    client.force_login(officer)
    data = meeting_form_data(meeting, venue="Riverside House, Main Street, Rotherham")
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(meeting), data)
    assert response.status_code == 302

    meeting = reload(meeting)
    assert meeting.revisions.count() == revisions_before + 1
    assert meeting.venue == "Riverside House, Main Street, Rotherham"
    assert meeting.first_published_at == an_hour_ago
    assert meeting.last_published_at > an_hour_ago
    assert meeting.agenda_updated_at == meeting.last_published_at
    client.logout()
    html = client.get(meeting.url).content.decode()
    assert "Agenda published on" in html
    assert "Updated on" in html
    # The first version is still there to compare with.
    first = meeting.revisions.order_by("created_at").first().as_object()
    assert first.venue != meeting.venue


# Approving from the editor's action menu ---------------------------------------------------


def test_editor_menu_offers_approve_as_urgent_for_a_late_agenda(client, late_meeting, officer):
    submit(late_meeting, officer)
    client.force_login(officer)
    html = client.get(edit_url(late_meeting)).content.decode()
    assert "Approve as urgent" in html
    assert f"/{APPROVE_AS_URGENT}/" in html
    assert "/approve/" not in html


def test_editor_menu_offers_plain_approve_for_a_timely_agenda(client, timely_meeting, officer):
    submit(timely_meeting, officer)
    client.force_login(officer)
    html = client.get(edit_url(timely_meeting)).content.decode()
    assert "/approve/" in html
    assert "Approve as urgent" not in html


def test_editor_approve_as_urgent_saves_edits_and_publishes(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    data = meeting_form_data(meeting, status_note="Agenda issued late; see reason for urgency.")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = APPROVE_AS_URGENT
    data["workflow-action-extra-data"] = json.dumps({"urgency_reason": REASON, "comment": ""})
    response = client.post(edit_url(meeting), data)
    assert response.status_code == 302
    meeting = reload(meeting)
    assert meeting.live
    assert meeting.urgency_reason == REASON
    assert meeting.status_note == "Agenda issued late; see reason for urgency."


def test_editor_plain_approve_of_a_late_agenda_publishes_nothing(client, late_meeting, officer):
    meeting, task_state, _ = submit(late_meeting, officer)
    client.force_login(officer)
    data = meeting_form_data(meeting)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps({"comment": ""})
    client.post(edit_url(meeting), data)
    assert not reload(meeting).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_approval_is_judged_at_the_scheduled_go_live_time(workflow, board, officer):
    start = days_from_now(30)
    meeting = MeetingPageFactory(parent=board, live=False, start=start)
    meeting.go_live_at = start - datetime.timedelta(days=2)
    meeting.save_revision(user=officer)
    meeting, task_state, task = submit(reload(meeting), officer)
    names = [name for name, _l, _m in task.get_actions(meeting, officer)]
    assert APPROVE_AS_URGENT in names
    assert "approve" not in names


def test_publishing_a_late_new_meeting_from_the_add_form_keeps_it_as_a_draft(
    client, workflow, board, officer
):
    client.force_login(officer)
    start = days_from_now(1)
    unsaved = MeetingPage(start=start, end=start + datetime.timedelta(hours=2), venue="Town Hall")
    data = meeting_form_data(
        unsaved,
        items=[
            {
                "ORDER": 1,
                "number": 1,
                "title": "Apologies for absence",
                "kind": "apologies",
                "section": "procedural",
                "papers": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
            }
        ],
    )
    data["action-publish"] = "action-publish"
    url = reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", board.pk))
    response = client.post(url, data, follow=True)
    created = MeetingPage.objects.child_of(board).get(start=start)
    assert response.redirect_chain[-1][0] == edit_url(created)
    assert "clear day" in response.content.decode()
    assert not created.live
    assert created.get_latest_revision_as_object().agenda_items.get().title == (
        "Apologies for absence"
    )
    client.logout()
    assert client.get(created.url).status_code == 404
