"""Duties in the admin: the "Duties" menu with the duties themselves (a snippet), the obligations
dashboard and the boards' forward programmes.

Registered by boards/wagtail_hooks.py (`register_snippet(DutiesViewSetGroup)`). Saving a duty
generates its obligations at once, as the daily `refresh_obligations` job would, so the
dashboard shows them straight away. Democratic services officers and superusers manage duties;
board members and everyone else are refused (`DutyPermissionPolicy`).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .duties import Duty, DutyParty
from .duty_admin_views import (
    LOG_ACTIONS,
    DutyEventsView,
    ForwardProgrammeIndexView,
    ForwardProgrammeView,
    ObligationDashboardView,
    ObligationView,
    is_duty_officer,
    officers_group,
)
from .obligations import generate_obligations, shift_months

YEARS_AHEAD = 2  # as the daily job (boards.duty_notifications.DEFAULT_YEARS_AHEAD)


class DutyPermissionPolicy(ModelPermissionPolicy):
    """Duties are democratic services' business: officers of that group (and superusers) may add,
    change and delete them; a user given the model permissions may too."""

    def user_has_permission(self, user, action):
        if is_duty_officer(user):
            return True
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(
            is_active=True, groups__in=officers_group()
        ) | super().users_with_any_permission(actions)
        return users.distinct()


duty_permission_policy = DutyPermissionPolicy(Duty)
register_permission_policy(Duty, duty_permission_policy)


# Duties -----------------------------------------------------------------------------------


def ensure_after_save(request, duty):
    """Generate the obligations of a saved duty; say how many, or why none could be."""
    until = shift_months(timezone.localdate(), 12 * YEARS_AHEAD)
    try:
        obligations = generate_obligations(duty, until=until)
    except ValidationError as error:
        messages.warning(request, "No obligations were made: " + " ".join(error.messages))
        return
    messages.success(
        request,
        f"'{duty.title}' has {len(obligations)} obligation{'' if len(obligations) == 1 else 's'} "
        f"up to {until.day} {until:%B %Y}.",
        buttons=[
            messages.button(
                f"{reverse('duty_obligations:index')}?duty={duty.slug}", "See the obligations"
            )
        ],
    )


class DutyCreateView(snippet_views.CreateView):
    def run_after_hook(self):
        ensure_after_save(self.request, self.object)
        return super().run_after_hook()


class DutyEditView(snippet_views.EditView):
    def run_after_hook(self):
        ensure_after_save(self.request, self.object)
        return super().run_after_hook()


def _parties(duty, role):
    return ", ".join(party.name for party in duty.parties.all() if party.role == role)


class PartiesColumn(Column):
    def __init__(self, role, label):
        super().__init__(f"parties_{role}", label=label, accessor=lambda d: _parties(d, role))


class DutyViewSet(SnippetViewSet):
    """The duties: what, from and to whom, how often, the window and the source."""

    model = Duty
    icon = "calendar-check"
    menu_label = "Duties"
    menu_name = "duties-list"
    permission_policy = duty_permission_policy
    add_view_class = DutyCreateView
    edit_view_class = DutyEditView
    list_display = [
        "title",
        PartiesColumn("from", "From"),
        PartiesColumn("to", "To"),
        Column("frequency", label="How often", accessor="get_frequency_display"),
        Column("is_public", label="Public", accessor=lambda d: "Yes" if d.is_public else "No"),
        UpdatedAtColumn(),
    ]
    list_filter = ["frequency", "kind", "is_public"]
    search_fields = ["title", "what", "source_document"]
    search_backend_name = None
    ordering = ["title"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("what"),
                FieldPanel("presented_by"),
            ],
            heading="The duty",
        ),
        InlinePanel(
            "parties",
            heading="From and to",
            label="Board or body",
            min_num=2,
            panels=[
                FieldPanel("role"),
                FieldPanel("board", widget=forms.Select),
                FieldPanel("body_name"),
            ],
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval_months")]),
                FieldRowPanel([FieldPanel("first_window_start"), FieldPanel("first_window_end")]),
                FieldPanel("last_period_end"),
                FieldPanel("event_description"),
            ],
            heading="When",
        ),
        MultiFieldPanel(
            [
                FieldPanel("source_document"),
                FieldPanel("source_clause"),
                FieldPanel("legal_basis"),
            ],
            heading="Source",
        ),
        FieldPanel(
            "responsible",
            widget=forms.CheckboxSelectMultiple,
            heading="Officers responsible",
            help_text="Emailed when an obligation of this duty becomes at risk.",
        ),
        FieldPanel("is_public"),
        FieldPanel("notes"),
    ]

    def get_queryset(self, request):
        return Duty.objects.prefetch_related("parties__board")


# The dashboard and the forward programmes ------------------------------------------------


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_duty_officer(request.user)


class OfficerViewSet(ViewSet):
    @property
    def menu_item_class(self):
        return OfficerMenuItem


class ObligationsViewSet(OfficerViewSet):
    """The dashboard of obligations and each obligation's page."""

    name = "duty_obligations"
    url_prefix = "duties/obligations"
    icon = "list-ul"
    menu_label = "Obligations"
    menu_name = "duty-obligations"

    def get_urlpatterns(self):
        obligation = ObligationView.as_view()
        return [
            path("", ObligationDashboardView.as_view(), name="index"),
            path("<int:pk>/", obligation, name="obligation"),
            path("<int:pk>/<slug:action>/", obligation, name="action"),
            path("duty/<int:duty_id>/events/", DutyEventsView.as_view(), name="events"),
        ]


class ForwardProgrammeViewSet(OfficerViewSet):
    """Each board's forward programme, with its open obligations as placeholders."""

    name = "forward_programme"
    url_prefix = "duties/forward-programme"
    icon = "date"
    menu_label = "Forward programmes"
    menu_name = "forward-programmes"

    def get_urlpatterns(self):
        programme = ForwardProgrammeView.as_view()
        return [
            path("", ForwardProgrammeIndexView.as_view(), name="index"),
            path("<int:board_id>/", programme, name="board"),
            path("<int:board_id>/add/", programme, {"action": "add"}, name="add"),
            path("<int:board_id>/<slug:action>/<int:target>/", programme, name="action"),
        ]


class DutiesViewSetGroup(SnippetViewSetGroup):
    """The "Duties" menu: duties, the obligations dashboard and the forward programmes."""

    items = (ObligationsViewSet, DutyViewSet, ForwardProgrammeViewSet)
    menu_icon = "calendar-check"
    menu_label = "Duties"
    menu_name = "duties"
    menu_order = 260


@hooks.register("before_delete_snippet")
def refuse_to_delete_duties_with_obligations(request, instances):
    """A duty's obligations and their status history are the record: a duty that has any is
    not deleted (the database protects them; without this the admin would fail)."""
    from django.db.models import Count
    from django.shortcuts import redirect

    duties = [instance for instance in instances if isinstance(instance, Duty)]
    if not duties:
        return None
    counts = dict(
        Duty.objects.filter(pk__in=[duty.pk for duty in duties])
        .annotate(count=Count("obligations"))
        .values_list("pk", "count")
    )
    kept = [duty for duty in duties if counts.get(duty.pk)]
    if not kept:
        return None
    for duty in kept:
        count = counts[duty.pk]
        messages.error(
            request,
            f"'{duty.title}' was not deleted: it has {count} obligation"
            f"{'' if count == 1 else 's'}, and their status history is kept. To end the duty, "
            "set when it ends (its last period) instead.",
        )
    if len(duties) == 1:
        return redirect("wagtailsnippets_boards_duty:edit", duties[0].pk)
    return redirect("wagtailsnippets_boards_duty:list")


# The audit log -------------------------------------------------------------------------------


def _formatter(label, message):
    class DutyLogFormatter(LogFormatter):
        """Shows the sentence recorded with the entry ("Linked 'X' of ... with the reason ...")."""

        def format_message(self, log_entry):
            return log_entry.data.get("summary") or message

    DutyLogFormatter.label = label
    DutyLogFormatter.message = message
    return DutyLogFormatter


@hooks.register("register_log_actions")
def register_duty_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action)(_formatter(label, message))


@hooks.register("insert_global_admin_css")
def duty_admin_styles():
    from django.template.loader import render_to_string

    return render_to_string("boards/admin/duty_styles.html")


__all__ = ["DutiesViewSetGroup", "DutyParty", "DutyViewSet", "duty_permission_policy"]
