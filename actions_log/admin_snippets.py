"""Actions in the admin: a snippet with its listing, filters, export, editor and history.

Every view that opens one action answers 404 for an action of a board the officer does not
manage, as if it did not exist; the listing, its export and bulk actions only ever see the
officer's boards (through `ActionPermissionPolicy`). The listing fetches owners and boards with
the page, so its number of queries does not grow with the number of actions.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.http import Http404
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from boards.models import BoardPage, Person

from .admin_choosers import (
    agenda_item_chooser_viewset,
    minute_chooser_viewset,
    resolution_chooser_viewset,
)
from .forms import CONFIRM_FORMER_OWNERS, ActionAdminForm
from .models import Action, ActionOwner, ActionStatus
from .permissions import action_permission_policy, boards_managed_by

# What the listing shows about each action ---------------------------------------------------


def owner_names(action):
    """Owners' names in order, from the prefetched owners (no query per action)."""
    return ", ".join(owner.person.full_name for owner in action.owners.all())


def short_date(day):
    return f"{day.day} {day:%B %Y}" if day else ""


def due_label(action):
    due = action.due()
    if due is None:
        return "By the next meeting (not yet set)" if action.due_by_next_meeting else ""
    suffix = " (next meeting)" if action.due_by_next_meeting and not action.due_date else ""
    return short_date(due) + suffix


class OverdueColumn(Column):
    """A red "Overdue" tag, or nothing."""

    cell_template_name = "actions_log/admin/overdue_cell.html"

    def get_value(self, instance):
        return instance.is_overdue()


def with_listing_data(queryset):
    """What every listing of actions needs in a constant number of queries."""
    return (
        queryset.with_due()
        .select_related("board")
        .prefetch_related(Prefetch("owners", queryset=ActionOwner.objects.select_related("person")))
    )


# Filters --------------------------------------------------------------------------------------


def _boards(request):
    if request is None:
        return BoardPage.objects.none()
    return BoardPage.objects.filter(pk__in=boards_managed_by(request.user).values("pk")).order_by(
        "title"
    )


def _owners(request):
    if request is None:
        return Person.objects.none()
    return Person.objects.filter(
        action_ownerships__action__board__in=boards_managed_by(request.user)
    ).distinct()


class ActionFilterSet(WagtailFilterSet):
    """Board, status, overdue, due date range and owner. Values that are not understood are
    dropped one by one (see `ActionIndexView.filter_queryset`)."""

    board = django_filters.ModelChoiceFilter(queryset=_boards, label="Board")
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, label="Status", widget=forms.CheckboxSelectMultiple
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue",
        method="filter_overdue",
        widget=forms.RadioSelect(
            choices=[("", "All"), ("true", "Overdue only"), ("false", "Not overdue")]
        ),
    )
    due = django_filters.DateFromToRangeFilter(
        field_name="due_on", label="Due between", widget=DateRangePickerWidget
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="owners__person", queryset=_owners, label="Owner", distinct=True
    )

    class Meta:
        model = Action
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


# Views ----------------------------------------------------------------------------------------


class BoardScopeMixin:
    """404 for an action of a board the officer does not manage. Users with no action
    permission at all are left to the view's own permission check (403)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        action = getattr(self, "live_object", None) or obj
        user = self.request.user
        is_officer = action_permission_policy.user_has_any_permission(
            user, ["add", "change", "delete", "view"]
        )
        in_scope = action_permission_policy.in_scope(user, action)
        if is_officer and isinstance(action, Action) and not in_scope:
            raise Http404("No action found.")
        return obj


class ActionIndexView(snippet_views.IndexView):
    def filter_queryset(self, queryset):
        """Apply the filters that were understood and ignore the rest, rather than dropping
        every filter because one value (say a mistyped date) is wrong."""
        if not self.filters:
            return queryset
        self.filters.is_valid()
        return self.filters.filter_queryset(queryset)

    def to_row_dict(self, item):
        """The export's row: names and dates as people read them, worked out from the data
        already fetched with the page (no query per action)."""
        return {
            "text": item.text,
            "board": item.board.title if item.board else "",
            "owners": owner_names(item),
            "raised_on": item.raised_on,
            "due": item.due(),
            "status": item.get_status_display(),
            "overdue": "Yes" if item.is_overdue() else "",
            "completed_on": item.completed_on,
            "evidence": item.evidence,
        }


class ActionEditView(BoardScopeMixin, snippet_views.EditView):
    pass


class ActionDeleteView(BoardScopeMixin, snippet_views.DeleteView):
    pass


class ActionUsageView(BoardScopeMixin, snippet_views.UsageView):
    pass


class ActionHistoryView(BoardScopeMixin, snippet_views.HistoryView):
    pass


class ActionRevisionsCompareView(BoardScopeMixin, snippet_views.RevisionsCompareView):
    pass


class ActionViewSet(SnippetViewSet):
    """Officers' view of all the actions of their boards."""

    model = Action
    icon = "tasks"
    menu_label = "All actions"
    menu_name = "all-actions"
    export_filename = "actions"
    copy_view_enabled = False
    inspect_view_enabled = False

    index_view_class = ActionIndexView
    edit_view_class = ActionEditView
    delete_view_class = ActionDeleteView
    usage_view_class = ActionUsageView
    history_view_class = ActionHistoryView
    revisions_compare_view_class = ActionRevisionsCompareView

    filterset_class = ActionFilterSet
    ordering = "due_on"
    list_per_page = 50
    list_display = [
        "__str__",
        Column(
            "board",
            label="Board",
            accessor=lambda a: (a.board.short_name or a.board.title) if a.board else "",
            sort_key="board__title",
        ),
        Column("owners", label="Owners", accessor=owner_names),
        Column("due_on", label="Due", accessor=due_label, sort_key="due_on"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        OverdueColumn("overdue", label="Overdue"),
        Column(
            "raised_on",
            label="Raised",
            accessor=lambda a: short_date(a.raised_on),
            sort_key="raised_on",
        ),
    ]
    list_export = [
        "text",
        "board",
        "owners",
        "raised_on",
        "due",
        "status",
        "overdue",
        "completed_on",
        "evidence",
    ]
    export_headings = {
        "text": "Action",
        "board": "Board",
        "owners": "Owners",
        "raised_on": "Raised on",
        "due": "Due",
        "status": "Status",
        "overdue": "Overdue",
        "completed_on": "Completed on",
        "evidence": "Evidence of completion",
    }

    panels = [
        FieldPanel("text"),
        # A plain list of the officer's own boards: the page chooser would offer every page.
        FieldRowPanel([FieldPanel("board", widget=forms.Select), FieldPanel("source")]),
        MultiFieldPanel(
            [
                FieldPanel("meeting"),
                FieldPanel("minute_item", widget=minute_chooser_viewset.widget_class),
                FieldPanel("resolution", widget=resolution_chooser_viewset.widget_class),
                FieldPanel("as_printed"),
                FieldRowPanel([FieldPanel("plan"), FieldPanel("priority")]),
            ],
            heading="Where it came from",
        ),
        MultiFieldPanel(
            [
                FieldPanel("raised_on"),
                FieldRowPanel([FieldPanel("due_date"), FieldPanel("due_by_next_meeting")]),
            ],
            heading="When it is due",
        ),
        MultiFieldPanel(
            [
                InlinePanel(
                    "owners",
                    label="Owner",
                    min_num=1,
                    panels=[
                        FieldPanel("person"),
                        FieldRowPanel([FieldPanel("printed_name"), FieldPanel("needs_review")]),
                    ],
                ),
                FieldPanel(CONFIRM_FORMER_OWNERS),
            ],
            heading="Owners",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("completed_on")]),
                FieldPanel(
                    "discharged_by_agenda_item", widget=agenda_item_chooser_viewset.widget_class
                ),
                FieldPanel("discharged_by_minute", widget=minute_chooser_viewset.widget_class),
                FieldPanel("evidence"),
            ],
            heading="Progress and evidence of completion",
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ActionAdminForm).bind_to_model(self.model)

    def get_queryset(self, request):
        scoped = action_permission_policy.instances_user_has_any_permission_for(
            request.user, ["add", "change", "delete", "view"]
        )
        return with_listing_data(scoped)
