"""Actions in the admin: the "Actions" menu, "my actions", the chart report and the home panel.

The permission policy is registered first, before any viewset asks the registry for one: it is
what narrows officers to the actions of their boards (see actions_log/permissions.py).
"""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .models import Action, ActionPlan
from .permissions import action_permission_policy
from .plan_admin import plan_permission_policy

register_permission_policy(Action, action_permission_policy)
register_permission_policy(ActionPlan, plan_permission_policy)

from . import admin_views  # noqa: E402
from .admin_choosers import CHOOSER_VIEWSETS  # noqa: E402
from .admin_panels import your_actions_panel_for  # noqa: E402
from .admin_snippets import ActionViewSet  # noqa: E402
from .admin_updates import UPDATE_LOG_ACTION, ActionUpdateLogFormatter  # noqa: E402
from .permissions import has_my_actions, may_manage_action  # noqa: E402

# Action plans (actions_log/plan_admin.py) join the same menu group.
from .plan_admin import ActionPlanViewSet  # noqa: E402

ACTION_VIEWSETS = (ActionViewSet, ActionPlanViewSet)


class ActionsViewSetGroup(SnippetViewSetGroup):
    """The "Actions" menu for officers: every action of their boards, and action plans."""

    items = ACTION_VIEWSETS
    menu_icon = "tasks"
    menu_label = "Actions"
    menu_name = "actions"
    menu_order = 250


register_snippet(ActionsViewSetGroup)


@hooks.register("register_admin_viewset")
def register_action_choosers():
    return list(CHOOSER_VIEWSETS)


@hooks.register("register_admin_urls")
def register_action_urls():
    patterns = [
        path("my-actions/", admin_views.MyActionsView.as_view(), name="my_actions"),
        path(
            "my-actions/<int:pk>/update/",
            admin_views.ActionUpdateView.as_view(),
            name="update",
        ),
        path(
            "reports/actions-by-board/",
            admin_views.ActionsByBoardView.as_view(),
            name="actions_by_board",
        ),
    ]
    return [path("", include((patterns, "actions_log_admin"), namespace="actions_log_admin"))]


class MyActionsMenuItem(MenuItem):
    def is_shown(self, request):
        return has_my_actions(request.user)


@hooks.register("register_admin_menu_item")
def register_my_actions_menu_item():
    return MyActionsMenuItem(
        "My actions",
        reverse("actions_log_admin:my_actions"),
        name="my-actions",
        icon_name="tasks",
        order=150,
    )


class ActionsByBoardMenuItem(MenuItem):
    def is_shown(self, request):
        return action_permission_policy.user_has_any_permission(request.user, ["view", "change"])


@hooks.register("register_reports_menu_item")
def register_actions_by_board_report():
    return ActionsByBoardMenuItem(
        "Actions by board",
        reverse("actions_log_admin:actions_by_board"),
        name="actions-by-board",
        icon_name="view",
        order=700,
    )


@hooks.register("construct_homepage_panels")
def add_your_actions_panel(request, panels):
    panel = your_actions_panel_for(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("insert_global_admin_css")
def action_styles():
    """The few styles of the actions pages and the red "Overdue" tag of the listing."""
    return render_to_string("actions_log/admin/_styles.html")


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    actions.register_action(UPDATE_LOG_ACTION)(ActionUpdateLogFormatter)


@hooks.register("register_snippet_listing_buttons")
def progress_update_button(snippet, user, next_url=None):
    """From the officers' listing to the same update form the owners use."""
    if isinstance(snippet, Action) and may_manage_action(user, snippet):
        url = reverse("actions_log_admin:update", args=(snippet.pk,))
        yield Button(
            "Add a progress update",
            url=f"{url}?next={next_url}" if next_url else url,
            icon_name="edit",
            priority=15,
        )
