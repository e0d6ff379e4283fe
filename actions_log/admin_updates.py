"""Recording a progress update on an action: the update, the new status, a revision and a log entry.

Owners and officers both come through here, from "my actions" or an action's update page, so
every change of status is in the action's history with who made it and when.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import LogFormatter, log

from .models import Action, ActionStatus, ActionUpdate

UPDATE_LOG_ACTION = "actions_log.update"


def author_name_for(user):
    """The name to keep with the update, should the account later be removed."""
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.get_username()


def record_update(action, user, *, status="", text="", is_internal=False):
    """Add an update to `action`, moving it to `status` if that is a change.

    Saves the action, a revision of it (so the history shows the status as it was after the
    update) and a log entry "actions_log.update". Returns the `ActionUpdate`.
    Permission is for the caller to check.
    """
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        previous_status = action.status
        changed = bool(status) and status != previous_status
        if changed:
            action.status = status
            action.save()
        update = ActionUpdate.objects.create(
            action=action,
            created_at=timezone.now(),
            author=user,
            author_name=author_name_for(user),
            text=text.strip(),
            status=status if changed else "",
            is_internal=is_internal,
        )
        # The update is checked by its form; the rest of the action is an officer's business, so
        # an old problem in it (say an imported date) must not stop an owner's update.
        revision = action.save_revision(user=user, changed=changed, clean=False)
        log(
            instance=action,
            action=UPDATE_LOG_ACTION,
            user=user,
            revision=revision,
            content_changed=changed,
            data={
                "update_id": update.pk,
                "previous_status": previous_status,
                "status": action.status,
                "is_internal": is_internal,
                "has_text": bool(update.text),
            },
        )
    return update


def _status_label(value):
    try:
        return ActionStatus(value).label
    except ValueError:
        return value or ""


class ActionUpdateLogFormatter(LogFormatter):
    """How an update reads in the action's history: "Progress update: status changed from Open
    to Completed" or "Progress update added (internal)"."""

    label = "Progress update"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        previous, current = data.get("previous_status"), data.get("status")
        internal = " (internal)" if data.get("is_internal") else ""
        if previous and current and previous != current:
            message = (
                f"Progress update{internal}: status changed from {_status_label(previous)} "
                f"to {_status_label(current)}"
            )
            return message + (", with a note" if data.get("has_text") else "")
        return f"Progress update added{internal}"
