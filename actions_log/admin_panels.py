"""The admin home panel "Your actions": how many are open and overdue, and the next few due."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .admin_snippets import due_label
from .admin_views import actions_owned_by
from .models import OPEN_STATUSES
from .permissions import person_of


class YourActionsPanel(Component):
    """Shown to anyone signed in as a person; nothing for accounts without one."""

    name = "your_actions"
    order = 90
    template_name = "actions_log/admin/your_actions_panel.html"
    next_count = 5

    def __init__(self, person):
        self.person = person

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        owned = actions_owned_by(self.person).with_due()
        counts = owned.aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        )
        upcoming = (
            owned.open()
            .select_related("board")
            .order_by(F("due_on").asc(nulls_last=True), "raised_on", "pk")[: self.next_count]
        )
        my_actions = reverse("actions_log_admin:my_actions")
        return {
            "counts": counts,
            "rows": [
                {
                    "action": action,
                    "board": action.board.short_name if action.board else "",
                    "due": due_label(action),
                    "overdue": action.is_overdue(today),
                    "url": reverse("actions_log_admin:update", args=(action.pk,))
                    + f"?next={my_actions}",
                }
                for action in upcoming
            ],
            "my_actions_url": my_actions,
            "overdue_url": f"{my_actions}?overdue=on",
        }


def your_actions_panel_for(request):
    person = person_of(request.user)
    return YourActionsPanel(person) if person is not None else None
