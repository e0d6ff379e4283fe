"""Admin hooks for minutes: approved minutes are not deleted, and officers see what awaits approval.

Registered by meetings/wagtail_hooks.py importing this module.
"""

from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from .dates import format_date
from .minutes import MinuteItem, MinutesPage


def approval_held_outside(page):
    """A live minute outside `page`'s subtree that approved minutes inside it, or None.

    Deleting such minutes would lose the record of what was approved as a correct record.
    Deleting a whole board (both minutes inside) is not blocked.
    """
    subtree = MinutesPage.objects.descendant_of(page, inclusive=True)
    return (
        MinuteItem.objects.filter(approves__in=subtree, minutes__live=True)
        .exclude(minutes__in=subtree)
        .select_related("minutes__meeting", "approves__meeting")
        .order_by("pk")
        .first()
    )


def _refusal(page, approval):
    return (
        f"'{page.get_admin_display_title()}' was not deleted: the minutes of "
        f"{format_date(approval.approves.meeting.start)} were approved as a correct record at "
        f"the meeting of {format_date(approval.minutes.meeting.start)} (minute "
        f"{approval.number}). Remove that approval from the later minutes first."
    )


@hooks.register("before_delete_page")
def refuse_to_delete_approved_minutes(request, page):
    approval = approval_held_outside(page)
    if approval is None:
        return None
    messages.error(request, _refusal(page, approval))
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_bulk_action")
def refuse_to_delete_approved_minutes_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not hasattr(objects[0], "specific_class"):
        return None
    for page in objects:
        approval = approval_held_outside(page)
        if approval is not None:
            messages.error(request, "Nothing was deleted. " + _refusal(page, approval))
            return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
    return None


class MinutesAwaitingApprovalPanel(Component):
    """Dashboard panel: published draft minutes still waiting to be approved as a correct record.

    The oldest first, as those are the ones the next meeting should approve.
    """

    name = "minutes_awaiting_approval"
    order = 160
    template_name = "meetings/admin/minutes_awaiting_approval.html"
    limit = 10

    def get_context_data(self, parent_context):
        minutes = (
            MinutesPage.objects.live()
            .with_approval()
            .filter(is_approved=False, meeting__isnull=False)
            .select_related("meeting", "board")
            .order_by("meeting__start", "pk")[: self.limit]
        )
        return {
            "rows": [
                {
                    "pk": page.pk,
                    "board": page.board.title if page.board else "",
                    "when": format_date(page.meeting.start),
                }
                for page in minutes
            ]
        }


@hooks.register("construct_homepage_panels")
def add_minutes_awaiting_approval(request, panels):
    # Officers who edit pages; board members only sign in.
    if PagePermissionPolicy().user_has_any_permission(request.user, {"change", "publish"}):
        panels.append(MinutesAwaitingApprovalPanel())
