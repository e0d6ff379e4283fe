"""The life of minutes: draft, published through the workflow as draft minutes not yet approved,
approved as a correct record by a later meeting's published minutes, and corrected by revision."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import WorkflowState

from boards.factories import BoardPageFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinuteItem, MinutesPage, MinutesStatus, Resolution
from meetings.workflows import AGENDA_WORKFLOW_NAME, ensure_agenda_workflow
from tests.meetings.minutes_helpers import draft_minutes, edit_url, page_form_data, publish_minutes


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index, title="Health and Wellbeing Board", short_name="HWB"
    )


@pytest.fixture
def november(board):
    return MeetingPageFactory(parent=board, start=london(2016, 11, 16))


@pytest.fixture
def january(board):
    return MeetingPageFactory(parent=board, start=london(2017, 1, 11))


@pytest.fixture
def officer(django_user_model, db):
    user = django_user_model.objects.create_user("officer", password="pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


@pytest.fixture
def member(django_user_model, db):
    user = django_user_model.objects.create_user("member", password="pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    return user


@pytest.fixture
def workflow(board_index):
    return ensure_agenda_workflow(board_index)


def reload(minutes):
    return MinutesPage.objects.get(pk=minutes.pk)


def approving(minutes_page):
    return [MinuteItem(heading="MINUTES OF THE PREVIOUS MEETING", approves=minutes_page)]


def test_minutes_are_numbered_approved_and_cited(board, november, january):
    first = publish_minutes(
        november,
        [
            MinuteItem(
                number=36,
                heading="HEALTH AND WELLBEING STRATEGY",
                resolutions=[Resolution(text="That it be noted."), Resolution(text="Second.")],
            )
        ],
    )
    assert (first.meeting_id, first.board_id) == (november.pk, board.pk)
    strategy = first.minute_items.get()
    assert [r.number for r in strategy.resolutions.all()] == [1, 2]
    assert first.status == "unapproved"

    second = publish_minutes(
        january,
        [
            MinuteItem(
                heading="MINUTES OF THE PREVIOUS MEETING",
                narrative="Minute No. 36(2), it was noted that work was taking place.",
                approves=first,
            )
        ],
    )
    minute = second.minute_items.get()
    assert minute.number == 37
    assert first.status == "approved"
    assert MinutesPage.objects.with_approval().get(pk=first.pk).is_approved
    citation = minute.citations.get()
    assert (citation.cited, citation.resolution_number) == (strategy, 2)


# Draft -> draft minutes, not yet approved (through the workflow) ----------------------------


def test_draft_minutes_are_not_live(november, officer):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")], user=officer)
    assert not minutes.live
    assert minutes.status == MinutesStatus.DRAFT
    assert minutes.status_label == "Draft, not published"


def test_the_agenda_workflow_covers_minutes(workflow, november):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    assert minutes.get_workflow().name == AGENDA_WORKFLOW_NAME


def test_approving_minutes_in_the_workflow_publishes_them_unapproved(workflow, november, officer):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")], user=officer)
    workflow.start(minutes, officer)
    minutes = reload(minutes)
    task_state = minutes.current_workflow_task_state.specific
    task = task_state.task.specific
    names = {name for name, _label, _modal in task.get_actions(minutes, officer)}
    # A plain group approval: the clear-days rule is for agendas only.
    assert names == {"reject", "approve"}
    task.on_action(task_state, officer, "approve", comment="")

    minutes = reload(minutes)
    assert minutes.live
    assert minutes.status == MinutesStatus.UNAPPROVED
    assert minutes.status_label == "Draft minutes, not yet approved"
    assert minutes.minute_items.get().number == 1


def test_board_members_cannot_approve_minutes(workflow, november, officer, member):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")], user=officer)
    workflow.start(minutes, officer)
    minutes = reload(minutes)
    task = minutes.current_workflow_task_state.task.specific
    assert task.get_actions(minutes, member) == []


def test_minutes_submitted_and_approved_in_the_admin(client, workflow, november, officer):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")], user=officer)
    client.force_login(officer)
    data = page_form_data(client.get(edit_url(minutes)))
    data["minute_items-0-narrative"] = "The plan was considered."
    data["action-submit"] = "action-submit"
    response = client.post(edit_url(minutes), data)
    assert response.status_code == 302
    minutes = reload(minutes)
    assert minutes.workflow_in_progress
    assert not minutes.live

    task_state = minutes.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(minutes.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    minutes = reload(minutes)
    assert minutes.live
    assert minutes.current_workflow_state is None
    assert WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(minutes.pk)
    ).status == (WorkflowState.STATUS_APPROVED)
    assert minutes.minute_items.get().narrative == "The plan was considered."
    assert minutes.status == MinutesStatus.UNAPPROVED


# Approved as a correct record by the later meeting -------------------------------------------


def test_approval_is_linked_both_ways(november, january):
    earlier = publish_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    assert earlier.approving_minute() is None
    later = publish_minutes(january, approving(earlier))
    minute = later.minute_items.get()
    # From the later minute to the minutes it approved...
    assert minute.approves == earlier
    # ...and from the earlier minutes to the minute that approved them.
    assert earlier.approving_minute() == minute
    assert earlier.approving_minute().minutes.meeting == january
    assert earlier.status == MinutesStatus.APPROVED
    assert earlier.status_label == "Approved as a correct record"
    assert list(earlier.approvals.all()) == [minute]


def test_draft_later_minutes_do_not_approve(november, january):
    earlier = publish_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    draft_minutes(january, approving(earlier))
    assert earlier.status == MinutesStatus.UNAPPROVED
    assert earlier.approving_minute() is None
    assert not MinutesPage.objects.with_approval().get(pk=earlier.pk).is_approved


def test_unpublishing_the_approving_minutes_withdraws_the_approval(november, january):
    earlier = publish_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    later = publish_minutes(january, approving(earlier))
    assert reload(earlier).status == MinutesStatus.APPROVED
    later.unpublish()
    assert reload(earlier).status == MinutesStatus.UNAPPROVED


def test_approval_through_the_workflow(workflow, november, january, officer):
    earlier = publish_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    later = draft_minutes(january, approving(earlier), user=officer)
    workflow.start(later, officer)
    later = reload(later)
    assert earlier.status == MinutesStatus.UNAPPROVED  # submitted is not yet approved
    task_state = later.current_workflow_task_state.specific
    task_state.task.specific.on_action(task_state, officer, "approve", comment="")
    assert reload(later).live
    assert reload(earlier).status == MinutesStatus.APPROVED
    statuses = {
        page.pk: page.is_approved
        for page in MinutesPage.objects.with_approval().filter(pk__in=[earlier.pk, later.pk])
    }
    assert statuses == {earlier.pk: True, later.pk: False}


def test_the_previous_minutes_minute_offers_approval_on_save(client, officer, november, january):
    """Saved in the editor, the 'minutes of the previous meeting' minute links those minutes."""
    from meetings.factories import AgendaItemFactory
    from meetings.models import StandardItem
    from tests.meetings.minutes_helpers import add_url, minute_row, minutes_form_data

    earlier = publish_minutes(november, [MinuteItem(number=47, heading="BETTER CARE FUND")])
    item = AgendaItemFactory(
        meeting=january,
        title="Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        previous_meeting=november,
    )
    client.force_login(officer)
    rows = [minute_row("MINUTES OF THE PREVIOUS MEETING", 1, agenda_item=item)]
    data = minutes_form_data(rows, **{"action-publish": "action-publish"})
    assert client.post(add_url(january), data).status_code == 302
    later = MinutesPage.objects.get(meeting=january)
    assert later.minute_items.get().approves == earlier
    assert reload(earlier).status == MinutesStatus.APPROVED


# Corrections -----------------------------------------------------------------------------------


def test_a_correction_after_publication_is_a_new_revision(november):
    with freeze_time("2016-11-21 09:00:00"):
        minutes = publish_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
        # Published twice in quick succession is one publication, not a correction.
        minutes.save_revision().publish()
        assert reload(minutes).corrected_at is None
    first_revision = reload(minutes).live_revision

    with freeze_time("2016-11-28 14:30:00"):
        minutes = reload(minutes)
        item = minutes.minute_items.get()
        item.narrative = "Corrected: the plan was approved, not deferred."
        minutes.minute_items = [item]
        minutes.save_revision().publish()

    minutes = reload(minutes)
    assert minutes.corrected_at == timezone.make_aware(datetime.datetime(2016, 11, 28, 14, 30))
    assert minutes.first_published_at == timezone.make_aware(datetime.datetime(2016, 11, 21, 9))
    assert minutes.live_revision != first_revision
    # The minutes as first published are kept.
    original = first_revision.as_object().minute_items.get()
    assert original.narrative == ""
    assert minutes.minute_items.get().narrative.startswith("Corrected")


def test_unpublished_minutes_have_no_correction(november):
    minutes = draft_minutes(november, [MinuteItem(heading="BETTER CARE FUND")])
    assert minutes.corrected_at is None


def test_approval_never_fails_because_other_minutes_changed_meanwhile(
    workflow, board, november, january, officer
):
    """The editor checked the sequence when the draft was saved; publishing does not re-judge it
    against minutes published since, so the approver never meets a server error."""
    earlier = publish_minutes(november, [MinuteItem(number=47, heading="BETTER CARE FUND")])
    draft = draft_minutes(january, [MinuteItem(heading="CARERS STRATEGY")], user=officer)
    workflow.start(draft, officer)
    # Meanwhile, minutes of a later meeting are loaded starting at 48 (the draft's number).
    publish_minutes(
        MeetingPageFactory(parent=board, start=london(2017, 3, 8)),
        [MinuteItem(number=48, heading="AN OVERLAPPING MINUTE"), *approving(earlier)],
    )
    draft = reload(draft)
    task_state = draft.current_workflow_task_state.specific
    task_state.task.specific.on_action(task_state, officer, "approve", comment="")
    assert reload(draft).live
