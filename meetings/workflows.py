"""Approving agendas: the workflow task that applies the five-clear-days rule.

Democratic services approve an agenda before it is published. If approving now would publish it
fewer than five clear days before the meeting, the plain "Approve" action is withdrawn and only
"Approve as urgent" is offered, which asks for the chair's reason for urgency. The reason is put
into the revision being published, so it appears with the agenda.
"""

from django import forms
from django.db import transaction
from wagtail.models import AbstractGroupApprovalTask

from .publication import publication_problem, publication_time

AGENDA_WORKFLOW_NAME = "Agenda approval"
AGENDA_TASK_NAME = "Democratic services approve the agenda"
APPROVE_AS_URGENT = "approve_urgent"


class UrgentApprovalForm(forms.Form):
    """What the approver must give to publish a late agenda."""

    urgency_reason = forms.CharField(
        label="The chair's reason for urgency",
        widget=forms.Textarea({"rows": 3}),
        help_text="Published with the agenda, and recorded in the minutes.",
        error_messages={
            "required": "Give the chair's reason for urgency: it is published with the agenda."
        },
    )
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea({"rows": 2}))


def _meeting_being_approved(obj):
    """The draft meeting as it would be published, or None if `obj` is not a meeting."""
    from .models import MeetingPage

    if not isinstance(obj, MeetingPage):
        specific = getattr(obj, "specific", obj)
        if not isinstance(specific, MeetingPage):
            return None
        obj = specific
    return obj.get_latest_revision_as_object()


def late_publication_problem(obj, urgency_reason=None):
    """Why approving `obj` now would break the clear-days rule, or None.

    Approval publishes at once, or at the go-live time if one is scheduled.
    """
    meeting = _meeting_being_approved(obj)
    if meeting is None:
        return None
    return publication_problem(meeting, at=publication_time(meeting), urgency_reason=urgency_reason)


class AgendaApprovalTask(AbstractGroupApprovalTask):
    """Democratic services approve an agenda; publishing it late needs a reason for urgency.

    For pages other than meetings (a board's own page, say) it behaves as a plain group approval.
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if not actions or not late_publication_problem(obj):
            return actions
        return [action for action in actions if action[0] != "approve"] + [
            (APPROVE_AS_URGENT, "Approve as urgent", True)
        ]

    def get_form_for_action(self, action):
        if action == APPROVE_AS_URGENT:
            return UrgentApprovalForm
        return super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin only offers the actions that get_actions allows, but the rule is checked
        # again here: the page may have become late since the approver opened it, and this
        # method can be called directly. A refused approval changes nothing and leaves the task
        # in progress.
        obj = task_state.workflow_state.content_object
        if action_name == APPROVE_AS_URGENT:
            reason = (kwargs.get("urgency_reason") or "").strip()
            if not reason:
                return None
            comment = kwargs.get("comment") or ""
            if late_publication_problem(obj):
                self._record_urgency_reason(task_state, obj, reason)
                comment = comment or f"Approved as urgent: {reason}"
            task_state.approve(user=user, comment=comment)
            # Nothing is returned: the admin would treat a return value as where to go next.
            return None
        if action_name == "approve" and late_publication_problem(obj):
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def _record_urgency_reason(task_state, obj, reason):
        # When the workflow finishes, Wagtail publishes the object's latest revision; the task
        # state's own revision is usually the same one, but an approver who edits while
        # approving makes a newer one. Both get the reason so history matches what was published.
        revisions = {obj.get_latest_revision(), task_state.revision}
        for revision in filter(None, revisions):
            revision.content["urgency_reason"] = reason
            revision.save(update_fields=["content"])

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve agendas. An agenda published fewer than five "
            "clear days before its meeting needs the chair's reason for urgency."
        )

    class Meta:
        app_label = "meetings"
        verbose_name = "agenda approval task"
        verbose_name_plural = "agenda approval tasks"


def ensure_agenda_workflow(board_index=None):
    """Create (or find) the "Agenda approval" workflow and assign it to the boards index.

    Idempotent: the demo-data loader calls it after creating the "Partnership boards" page, which
    does not exist yet when the migrations run.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from boards.models import DEMOCRATIC_SERVICES_GROUP, BoardIndexPage

    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES_GROUP)
        workflow, _ = Workflow.objects.get_or_create(name=AGENDA_WORKFLOW_NAME)
        task = AgendaApprovalTask.objects.filter(name=AGENDA_TASK_NAME).first()
        if task is None:
            task = AgendaApprovalTask.objects.create(name=AGENDA_TASK_NAME)
        task.groups.add(group)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        board_index = board_index or BoardIndexPage.objects.first()
        if board_index is not None:
            WorkflowPage.objects.update_or_create(
                page_id=board_index.pk, defaults={"workflow": workflow}
            )
    return workflow
