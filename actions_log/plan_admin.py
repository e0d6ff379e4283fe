"""Action plans in the admin: the plan, its priorities by year, milestones and indicators with
their readings, edited on one form and revisioned as one snippet.

The viewset is grouped into the "Actions" menu by `actions_log.wagtail_hooks`, not registered
here. Officers see and edit only the plans of the boards they manage (the same board-scoped
policy as actions); the plan's actions themselves are edited as actions, with the plan and
priority they belong to.
"""

from django import forms
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ActionPlan, PlanPriority
from .permissions import BoardScopedPermissionPolicy, boards_managed_by
from .plans import IndicatorDefinitionError, check_direction

PRIORITY_HELP = (
    "Save the plan with its priorities first: a new priority can be chosen here once it is saved."
)


class ActionPlanPermissionPolicy(BoardScopedPermissionPolicy):
    """Plans: officers manage those of their boards, as with actions."""


plan_permission_policy = ActionPlanPermissionPolicy(ActionPlan)


def _priority_scoped(form_class, priorities, check_indicator=False):
    """A subclass of a milestone or indicator form whose priority can only be one of this plan's,
    and, for an indicator, whose target lies on the right side of its baseline."""

    class PlanChildForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields.get("priority")
            if field is not None:
                field.queryset = priorities
                field.help_text = PRIORITY_HELP

        def clean(self):
            cleaned = super().clean()
            if check_indicator:
                try:
                    check_direction(
                        cleaned.get("baseline"),
                        cleaned.get("target"),
                        cleaned.get("higher_is_better", True),
                    )
                except IndicatorDefinitionError as error:
                    self.add_error(
                        "target",
                        f"{error} Change the target, or untick “higher is better”.",
                    )
                baseline, target = cleaned.get("baseline"), cleaned.get("target")
                if baseline is not None and target is not None and baseline == target:
                    self.add_error(
                        "target",
                        "The target is the same as the baseline, so progress towards it "
                        "cannot be measured: give the level the plan aims to reach.",
                    )
            return cleaned

    PlanChildForm.__name__ = f"PlanScoped{form_class.__name__}"
    return PlanChildForm


class ActionPlanForm(WagtailAdminModelForm):
    """The plan editor: boards limited to those the officer manages; milestones and indicators
    tied only to this plan's own priorities; indicators whose target contradicts "higher is
    better" refused with a message on the target."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "board" in self.fields and self.for_user is not None:
            self.fields["board"].queryset = boards_managed_by(self.for_user).order_by("title")
        if self.instance.pk:
            priorities = PlanPriority.objects.filter(plan=self.instance).order_by("number")
        else:
            priorities = PlanPriority.objects.none()
        for name, check in (("milestones", False), ("indicators", True)):
            formset = self.formsets.get(name)
            if formset is not None:
                formset.form = _priority_scoped(formset.form, priorities, check)

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "A plan cannot end before it starts: check the dates.")
        return cleaned


class PlanScopeMixin:
    """404 for a plan of a board the user does not manage, as if it did not exist."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if isinstance(obj, ActionPlan) and not plan_permission_policy.in_scope(
            self.request.user, obj
        ):
            raise Http404("No action plan found.")
        return obj


class ActionPlanEditView(PlanScopeMixin, snippet_views.EditView):
    pass


class ActionPlanDeleteView(PlanScopeMixin, snippet_views.DeleteView):
    pass


class ActionPlanUsageView(PlanScopeMixin, snippet_views.UsageView):
    pass


class ActionPlanHistoryView(PlanScopeMixin, snippet_views.HistoryView):
    pass


class ActionPlanRevisionsCompareView(PlanScopeMixin, snippet_views.RevisionsCompareView):
    pass


def _period(plan):
    if plan.starts_on and plan.ends_on:
        return f"{plan.starts_on:%B %Y} to {plan.ends_on:%B %Y}"
    return ""


class ActionPlanViewSet(SnippetViewSet):
    """Delivery plans of the boards: priorities by year, milestones and KPIs."""

    model = ActionPlan
    icon = "list-ol"
    menu_label = "Action plans"
    menu_name = "action-plans"
    copy_view_enabled = False
    inspect_view_enabled = False
    # The policy itself, `plan_permission_policy`, is registered for ActionPlan by
    # actions_log.wagtail_hooks (Wagtail 8 looks it up from the registry).

    edit_view_class = ActionPlanEditView
    delete_view_class = ActionPlanDeleteView
    usage_view_class = ActionPlanUsageView
    history_view_class = ActionPlanHistoryView
    revisions_compare_view_class = ActionPlanRevisionsCompareView

    list_display = [
        "title",
        Column(
            "board",
            label="Board",
            accessor=lambda plan: plan.board.short_name or plan.board.title,
            sort_key="board__title",
        ),
        Column("period", label="Runs", accessor=_period),
        Column(
            "is_public",
            label="Public",
            accessor=lambda plan: "Yes" if plan.is_public else "No",
            sort_key="is_public",
        ),
        UpdatedAtColumn(),
    ]
    list_filter = ["board", "is_public"]
    search_fields = ["title", "summary"]
    ordering = ["board__title", "title"]

    panels = [
        MultiFieldPanel(
            [
                # A list of the officer's boards rather than a page chooser over the whole site.
                FieldPanel("board", widget=forms.Select),
                FieldPanel("title"),
                FieldPanel("slug", help_text="The plan's address on the board's public pages."),
                FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 4})),
                FieldPanel("source_document"),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("is_public"),
            ],
            heading="The plan",
        ),
        InlinePanel(
            "priorities",
            heading="Priorities",
            label="Priority",
            panels=[
                FieldRowPanel([FieldPanel("number"), FieldPanel("plan_year")]),
                FieldPanel("title"),
                FieldPanel("description", widget=forms.Textarea(attrs={"rows": 3})),
            ],
        ),
        InlinePanel(
            "milestones",
            heading="Milestones",
            label="Milestone",
            panels=[
                FieldPanel("title"),
                FieldPanel("priority"),
                FieldRowPanel([FieldPanel("due_on"), FieldPanel("achieved_on")]),
            ],
        ),
        InlinePanel(
            "indicators",
            heading="Indicators (KPIs)",
            label="Indicator",
            panels=[
                FieldRowPanel([FieldPanel("name"), FieldPanel("unit")]),
                FieldPanel("priority"),
                FieldRowPanel(
                    [FieldPanel("baseline"), FieldPanel("target"), FieldPanel("target_date")]
                ),
                FieldPanel("higher_is_better"),
                InlinePanel(
                    "readings",
                    heading="Readings",
                    label="Reading",
                    panels=[
                        FieldRowPanel([FieldPanel("measured_on"), FieldPanel("value")]),
                        FieldPanel("note"),
                    ],
                ),
            ],
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ActionPlanForm).bind_to_model(self.model)

    def get_queryset(self, request):
        return plan_permission_policy.instances_user_has_any_permission_for(
            request.user, ["add", "change", "delete", "view"]
        ).select_related("board")
