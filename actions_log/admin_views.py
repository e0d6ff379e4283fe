"""Admin views: "my actions", the progress update of one action, and actions by board.

"My actions" lists every action the signed-in person owns, across all boards, with filters and
sorting in the address (GET), so it works without JavaScript and can be bookmarked, and a CSV
export of the same list. Each action has its own small form to change its status and add an
update; the same form, on the action's own page, serves officers for any action of their boards.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from boards.models import BoardPage

from .admin_snippets import due_label, owner_names, short_date, with_listing_data
from .admin_updates import record_update
from .charts import build_chart, figures_by_board
from .forms import ActionUpdateForm, MyActionsFilterForm, SortChoice
from .models import OPEN_STATUSES, Action, ActionOwner, ActionStatus, ActionUpdate
from .permissions import (
    action_permission_policy,
    boards_managed_by,
    may_manage_action,
    owns_action,
    person_of,
)

MY_ACTIONS_PER_PAGE = 50
STATUS_ORDER = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED]
HOME_CRUMB = {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}


def actions_owned_by(person):
    """The person's actions without DISTINCT, so any ordering works on every database."""
    return Action.objects.filter(
        Exists(ActionOwner.objects.filter(action=OuterRef("pk"), person=person))
    )


def with_latest_update(queryset):
    """Annotate the latest update's date and text, in the same query."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return queryset.annotate(
        latest_update_at=Subquery(latest.values("created_at")[:1]),
        latest_update_text=Subquery(latest.values("text")[:1]),
    )


def status_rank():
    whens = [When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)]
    return Case(*whens, default=Value(len(STATUS_ORDER)), output_field=IntegerField())


def sort_actions(queryset, sort):
    due_first = F("due_on").asc(nulls_last=True)
    if sort == SortChoice.BOARD:
        return queryset.order_by("board__title", due_first, "pk")
    if sort == SortChoice.STATUS:
        return queryset.annotate(status_rank=status_rank()).order_by("status_rank", due_first, "pk")
    if sort == SortChoice.RAISED:
        return queryset.order_by("-raised_on", "-pk")
    return queryset.order_by(due_first, "raised_on", "pk")


def filter_actions(queryset, filters, today):
    if filters.get("board"):
        queryset = queryset.filter(board_id=filters["board"])
    status = filters.get("status")
    if status == "outstanding":
        queryset = queryset.open()
    elif status:
        queryset = queryset.filter(status=status)
    if filters.get("due_after"):
        queryset = queryset.filter(due_on__gte=filters["due_after"])
    if filters.get("due_before"):
        queryset = queryset.filter(due_on__lte=filters["due_before"])
    if filters.get("overdue"):
        queryset = queryset.overdue(on=today)
    return queryset


def csv_safe(value):
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = [
    "Action",
    "Board",
    "Owners",
    "Raised on",
    "Due",
    "Status",
    "Overdue",
    "Completed on",
    "Latest update",
]


def actions_csv_response(actions, filename="my-actions.csv"):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    today = timezone.localdate()
    for action in actions:
        due = action.due_on
        writer.writerow(
            [
                csv_safe(action.text),
                csv_safe(action.board.title if action.board else ""),
                csv_safe(owner_names(action)),
                action.raised_on.isoformat() if action.raised_on else "",
                due.isoformat() if due else "",
                action.get_status_display(),
                "Yes" if action.is_overdue(today) else "",
                action.completed_on.isoformat() if action.completed_on else "",
                csv_safe(action.latest_update_text or ""),
            ]
        )
    return response


class ActionRow:
    """One action as "my actions" shows it, with its update form."""

    def __init__(self, action, today, form=None):
        self.action = action
        self.due = due_label(action)
        self.raised = short_date(action.raised_on)
        self.overdue = action.is_overdue(today)
        self.owners = owner_names(action)
        self.form = form or ActionUpdateForm(action=action)
        self.update_url = reverse("actions_log_admin:update", args=(action.pk,))
        latest = getattr(action, "latest_update_at", None)
        self.latest_update_on = short_date(timezone.localtime(latest).date()) if latest else ""


class AdminPageMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [HOME_CRUMB, {"url": "", "label": self.get_page_title()}]


class MyActionsView(AdminPageMixin, TemplateView):
    """Every action the signed-in person owns; filter, sort, page through, export, update."""

    page_title = "My actions"
    template_name = "actions_log/admin/my_actions.html"

    def get(self, request, *args, **kwargs):
        self.person = person_of(request.user)
        self.today = timezone.localdate()
        if self.person is None:
            return self.render_to_response(self.get_context_data(no_person=True))
        owned = with_listing_data(actions_owned_by(self.person))
        boards = BoardPage.objects.filter(
            pk__in=actions_owned_by(self.person).values("board_id")
        ).order_by("title")
        self.filter_form = MyActionsFilterForm(request.GET or None, boards=boards)
        filters = self.filter_form.valid_filters() if request.GET else {}
        actions = sort_actions(
            filter_actions(with_latest_update(owned), filters, self.today),
            filters.get("sort") or SortChoice.DUE,
        )
        if request.GET.get("export") == "csv":
            return actions_csv_response(actions)
        return self.render_to_response(
            self.get_context_data(owned=owned, actions=actions, filters=filters)
        )

    def get_context_data(self, owned=None, actions=None, filters=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if owned is None:
            return context
        counts = owned.aggregate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=self.today)),
        )
        page = Paginator(actions, MY_ACTIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        export_query = query.copy()
        export_query["export"] = "csv"
        context.update(
            counts=counts,
            rows=[ActionRow(action, self.today) for action in page.object_list],
            page=page,
            filter_form=self.filter_form,
            is_filtering=any(filters.get(k) for k in filters if k != "sort"),
            ignored_filters=self.filter_form.ignored() if self.request.GET else [],
            query_string=query.urlencode(),
            export_url=f"{self.request.path}?{export_query.urlencode()}",
            next_url=self.request.get_full_path(),
        )
        return context


class ActionUpdateView(AdminPageMixin, TemplateView):
    """One action: its details, its history of updates and the form to add one.

    Owners may update their own actions; officers any action of their boards. Anyone else gets
    a 403 that says why, and nothing is saved.
    """

    template_name = "actions_log/admin/action_update.html"
    forbidden_template_name = "actions_log/admin/not_your_action.html"

    def get_page_title(self):
        return "Update an action"

    def get_breadcrumbs_items(self):
        crumbs = [HOME_CRUMB]
        if person_of(self.request.user) is not None:
            crumbs.append({"url": reverse("actions_log_admin:my_actions"), "label": "My actions"})
        return crumbs + [{"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, pk, *args, **kwargs):
        self.action = get_object_or_404(with_listing_data(Action.objects.all()), pk=pk)
        self.is_owner = owns_action(request.user, self.action)
        self.is_officer = may_manage_action(request.user, self.action)
        if not (self.is_owner or self.is_officer):
            return self.forbidden()
        return super().dispatch(request, *args, **kwargs)

    def forbidden(self):
        owners = owner_names(self.action) or "no one yet"
        context = {
            "page_title": "You cannot update this action",
            "header_title": "You cannot update this action",
            "header_icon": "warning",
            "breadcrumbs_items": [HOME_CRUMB, {"url": "", "label": "Not your action"}],
            "owners": owners,
            "board": self.action.board,
            "has_person": person_of(self.request.user) is not None,
        }
        return TemplateResponse(self.request, self.forbidden_template_name, context, status=403)

    def post(self, request, *args, **kwargs):
        form = ActionUpdateForm(request.POST, action=self.action)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        record_update(
            self.action,
            request.user,
            status=form.cleaned_data["status"],
            text=form.cleaned_data["text"],
            is_internal=form.cleaned_data["is_internal"],
        )
        self.action.refresh_from_db()
        messages.success(
            request,
            f"Update saved. '{self.action}' is now {self.action.get_status_display().lower()}.",
        )
        return redirect(self.get_next_url())

    def get_next_url(self):
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}, require_https=False
        ):
            return next_url
        if self.is_owner:
            return reverse("actions_log_admin:my_actions")
        return reverse("actions_log_admin:update", args=(self.action.pk,))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        updates = self.action.updates.select_related("author").order_by("-created_at", "-pk")
        edit_url = None
        if self.is_officer:
            edit_url = reverse("wagtailsnippets_actions_log_action:edit", args=(self.action.pk,))
        context.update(
            action=self.action,
            row=ActionRow(self.action, today, form=form),
            updates=updates,
            next_url=self.request.GET.get("next") or self.request.POST.get("next") or "",
            edit_url=edit_url,
        )
        return context


class ActionsByBoardView(AdminPageMixin, TemplateView):
    """For officers: a chart per board they manage of open, overdue and completed actions."""

    page_title = "Actions by board"
    header_icon = "view"
    template_name = "actions_log/admin/actions_by_board.html"

    def dispatch(self, request, *args, **kwargs):
        if not action_permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied("Only officers who manage actions can see this report.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        boards = list(boards_managed_by(self.request.user).order_by("title"))
        figures = figures_by_board(boards)
        listing = reverse("wagtailsnippets_actions_log_action:list")
        context["boards"] = [
            {
                "board": board,
                "chart": build_chart(f"board-{board.pk}", board.title, figures[board.pk]),
                "latest": figures[board.pk][-1],
                "listing_url": f"{listing}?board={board.pk}",
                "overdue_url": f"{listing}?board={board.pk}&overdue=true",
            }
            for board in boards
        ]
        return context
