"""The officers' screens for duties between boards.

- The dashboard (/admin/duties/obligations/): every duty and period of a year with its status
  and reason, the timeline, and filters by board, year, status and duty (GET, no JavaScript).
- An obligation's page: its status, evidence and history, and the forms to link an agenda item
  (a reason is needed when the item is another board's or outside the window), unlink it, waive
  it with a reason or withdraw the waiver, and, for a body that is not a board here, record when
  it was met.
- A board's forward programme: items planned for its future meetings, and its open obligations
  as placeholders that an officer places on a meeting and turns into an agenda item.

Only democratic services officers (and superusers) may use them. Every change is recorded by the
rules' own functions in the obligation's status history and logged with Wagtail's audit log
(`boards.obligation.*` actions), so the history says who did what and when.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from meetings.dates import format_date

from .duties import Duty, DutyFrequency, ForwardPlanItem, Obligation, ObligationStatusChange
from .duty_forms import (
    DutyEventForm,
    ItemSourceForm,
    LinkAgendaItemForm,
    ObligationFilterForm,
    PlaceObligationForm,
    PlanItemForm,
    RecordMetForm,
    WaiveForm,
    agenda_items_of,
)
from .duty_listing import PUBLIC_TAG_CLASSES, listing, officer_row, year_span
from .forward_programme import forward_programme, make_agenda_item, place_obligation
from .obligation_status import (
    local_day,
    obligation_status,
    reinstate,
    unlink_obligation,
    window_text,
)
from .timeline import build_timeline, meetings_in_year, render_timeline

HOME_CRUMB = {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}
_OFFICER_CACHE = "_duties_is_officer"

# The audit log's actions for obligations, registered in boards/duty_admin.py.
LOG_ACTIONS = {
    "boards.obligation.link": ("Link an agenda item", "Linked an agenda item"),
    "boards.obligation.unlink": ("Unlink an agenda item", "Unlinked the agenda item"),
    "boards.obligation.waive": ("Waive", "Waived"),
    "boards.obligation.reinstate": ("Withdraw a waiver", "Withdrew the waiver"),
    "boards.obligation.record_met": ("Record as met", "Recorded as met"),
    "boards.obligation.place": ("Place on a meeting", "Placed on a meeting"),
    "boards.obligation.agenda_item": ("Add to an agenda", "Added to an agenda"),
    "boards.forward_plan.add": ("Add to a forward programme", "Added to a forward programme"),
    "boards.duty.event": ("Record an event", "Recorded an event"),
}


def is_duty_officer(user):
    """Democratic services officers and superusers manage duties (cached on the user)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _OFFICER_CACHE):
        from .models import DEMOCRATIC_SERVICES_GROUP

        found = user.groups.filter(name=DEMOCRATIC_SERVICES_GROUP).exists()
        setattr(user, _OFFICER_CACHE, found or user.has_perm("boards.change_duty"))
    return getattr(user, _OFFICER_CACHE)


def officers_group():
    from .models import DEMOCRATIC_SERVICES_GROUP

    return Group.objects.filter(name=DEMOCRATIC_SERVICES_GROUP)


def log_change(instance, action, user, summary, **data):
    """One audit-log entry: `summary` is the sentence the history shows."""
    log(instance=instance, action=action, user=user, data={"summary": summary, **data})


def obligation_label(obligation):
    return f"{obligation.duty.title} to {obligation.receiver_name}, {obligation.period_label}"


# The frame ----------------------------------------------------------------------------------


class DutyAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "calendar-check"
    extra_crumbs = ()

    def dispatch(self, request, *args, **kwargs):
        self.check_officer(request)
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def check_officer(self, request):
        """Refuse anyone but an officer, before looking anything up."""
        if not is_duty_officer(request.user):
            raise PermissionDenied("Only democratic services officers manage duties.")

    def get_breadcrumbs_items(self):
        return [HOME_CRUMB, *self.extra_crumbs, {"url": "", "label": self.get_page_title()}]


# The dashboard ------------------------------------------------------------------------------


class ObligationDashboardView(DutyAdminView):
    page_title = "Obligations"
    template_name = "boards/admin/duties_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from .models import BoardPage

        boards = BoardPage.objects.order_by("title").values_list("slug", "title")
        duties = list(Duty.objects.order_by("title").only("slug", "title"))
        years = year_span(Obligation.objects.all()) or [self.today.year]
        params = self.request.GET
        form = ObligationFilterForm(params or None, boards=boards, years=years, duties=duties)
        keep = form.keeps if form.is_bound and form.narrows_rows else None
        data = listing(params, public=False, today=self.today, keep_row=keep)
        timeline = None
        if data.filters.is_valid:
            meetings = meetings_in_year(data.receiving_boards, data.filters.year)
            timeline = build_timeline(data.filters.year, data.rows, meetings, today=self.today)
            if not form.is_bound:
                form = ObligationFilterForm(
                    initial={"year": str(data.filters.year)},
                    boards=boards,
                    years=years,
                    duties=duties,
                )
        context.update(
            form=form,
            listing=data,
            filters=data.filters,
            timeline_svg=render_timeline(timeline) if timeline is not None else "",
            is_filtering=any(params.get(name) for name in ("board", "status", "duty")),
            public_url=reverse("duties"),
        )
        return context


# One obligation ----------------------------------------------------------------------------


class ObligationView(DutyAdminView):
    """An obligation with its forms; POST to /<pk>/<action>/ runs one of them."""

    template_name = "boards/admin/duty_obligation.html"
    extra_crumbs = ({"url": reverse_lazy("duty_obligations:index"), "label": "Obligations"},)
    actions = ("link", "unlink", "waive", "reinstate", "met")

    def get_page_title(self):
        return "Obligation"

    def dispatch(self, request, pk, action=None, *args, **kwargs):
        self.check_officer(request)
        self.obligation = get_object_or_404(
            Obligation.objects.select_related("duty", "receiver", "waived_by"), pk=pk
        )
        self.action = action
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.action is not None:
            return redirect(self.detail_url())
        return super().get(request, *args, **kwargs)

    def detail_url(self):
        return reverse("duty_obligations:obligation", args=(self.obligation.pk,))

    def item_source(self, data=None):
        from .models import BoardPage

        boards = BoardPage.objects.order_by("title").only("title", "path", "depth")
        return ItemSourceForm(data, obligation=self.obligation, boards=boards)

    def link_form(self, data=None, source=None):
        source = source or self.item_source(self.request.GET)
        board, start, end = source.chosen()
        meeting_id = self.request.GET.get("meeting", "")
        items = agenda_items_of(board, start, end)
        if meeting_id.isdigit():
            from meetings.models import AgendaItem

            items = AgendaItem.objects.filter(meeting_id=int(meeting_id)).select_related("meeting")
        return LinkAgendaItemForm(data, obligation=self.obligation, items=list(items))

    def post(self, request, *args, **kwargs):
        if self.action not in self.actions:
            return redirect(self.detail_url())
        handler = getattr(self, f"post_{self.action}")
        return handler(request)

    def _done(self, message):
        messages.success(self.request, message)
        return redirect(self.detail_url())

    def post_link(self, request):
        form = self.link_form(request.POST)
        if form.is_valid():
            with transaction.atomic():
                result = form.save(request.user)
                if result is not None:
                    item = form.cleaned_data["agenda_item"]
                    reason = form.cleaned_data.get("reason", "").strip()
                    summary = (
                        f"Linked '{item.title}' of {format_date(local_day(item.meeting.start))}"
                        + (f", with the reason: {reason}" if reason else "")
                        + f". Now {result.label.lower()}: {result.reason}."
                    )
                    log_change(
                        self.obligation,
                        "boards.obligation.link",
                        request.user,
                        summary,
                        agenda_item=item.pk,
                        reason=reason,
                        status=result.status,
                    )
            if result is not None:
                return self._done(f"Linked. {result.label}: {result.reason}.")
        return self.render_to_response(self.get_context_data(link_form=form))

    def post_unlink(self, request):
        previous = self.obligation.evidence_title
        with transaction.atomic():
            result = unlink_obligation(self.obligation, user=request.user)
            log_change(
                self.obligation,
                "boards.obligation.unlink",
                request.user,
                f"Unlinked '{previous}'. Now {result.label.lower()}: {result.reason}.",
                status=result.status,
            )
        return self._done(f"Unlinked. {result.label}: {result.reason}.")

    def post_waive(self, request):
        form = WaiveForm(request.POST, obligation=self.obligation)
        if form.is_valid():
            with transaction.atomic():
                result = form.save(request.user)
                if result is not None:
                    log_change(
                        self.obligation,
                        "boards.obligation.waive",
                        request.user,
                        f"Waived: {form.cleaned_data['reason'].strip()}",
                        reason=form.cleaned_data["reason"].strip(),
                    )
            if result is not None:
                return self._done("Waived. The reason is shown with the obligation.")
        return self.render_to_response(self.get_context_data(waive_form=form))

    def post_reinstate(self, request):
        with transaction.atomic():
            result = reinstate(self.obligation, request.user)
            log_change(
                self.obligation,
                "boards.obligation.reinstate",
                request.user,
                f"Waiver withdrawn. Now {result.label.lower()}: {result.reason}.",
                status=result.status,
            )
        return self._done(f"Waiver withdrawn. {result.label}: {result.reason}.")

    def post_met(self, request):
        if self.obligation.receiver_id is not None:
            messages.error(
                request,
                f"Nothing was recorded: this obligation is to the {self.obligation.receiver_name},"
                " a board here. Link the agenda item that met it instead.",
            )
            return redirect(self.detail_url())
        form = RecordMetForm(request.POST, obligation=self.obligation)
        if form.is_valid():
            with transaction.atomic():
                result = form.save(request.user)
                if result is not None:
                    met_on = form.cleaned_data["met_on"]
                    log_change(
                        self.obligation,
                        "boards.obligation.record_met",
                        request.user,
                        f"Recorded as met on {format_date(met_on)}: "
                        f"{form.cleaned_data['evidence_note'].strip()}",
                        met_on=met_on.isoformat(),
                    )
            if result is not None:
                return self._done(f"Recorded. {result.label}: {result.reason}.")
        return self.render_to_response(self.get_context_data(met_form=form))

    def get_context_data(self, link_form=None, waive_form=None, met_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        obligation = self.obligation
        result = obligation_status(obligation, today=self.today, request=self.request)
        row = officer_row(obligation, result)
        source = self.item_source(self.request.GET)
        history = ObligationStatusChange.objects.filter(obligation=obligation).select_related(
            "user"
        )
        log_entries = (
            ModelLogEntry.objects.for_instance(obligation)
            .select_related("user")
            .order_by("-timestamp", "-pk")
        )
        plan_items = ForwardPlanItem.objects.filter(obligation=obligation).select_related("meeting")
        context.update(
            obligation=obligation,
            row=row,
            result=result,
            tag_class=PUBLIC_TAG_CLASSES[result.status],
            window=window_text(obligation),
            item_source=source,
            link_form=link_form or self.link_form(source=source),
            waive_form=waive_form or WaiveForm(obligation=obligation),
            met_form=met_form or RecordMetForm(obligation=obligation),
            is_outside_body=obligation.receiver_id is None,
            history=history.order_by("-changed_at", "-pk"),
            log_entries=[{"entry": entry, "summary": entry.message} for entry in log_entries],
            plan_items=plan_items,
            programme_url=(
                reverse("forward_programme:board", args=(obligation.receiver_id,))
                if obligation.receiver_id
                else ""
            ),
            duty_edit_url=reverse("wagtailsnippets_boards_duty:edit", args=(obligation.duty_id,)),
            meeting_filter=self.request.GET.get("meeting", ""),
        )
        return context


# Events of event-driven duties --------------------------------------------------------------


class DutyEventsView(DutyAdminView):
    """The events of an event-driven duty (e.g. plans published), and the form to record one.

    Recording an event makes its obligations at once: one per board or body the duty runs to,
    its window running from the event.
    """

    template_name = "boards/admin/duty_events.html"
    extra_crumbs = ({"url": reverse_lazy("duty_obligations:index"), "label": "Obligations"},)

    def dispatch(self, request, duty_id, *args, **kwargs):
        self.check_officer(request)
        self.duty = get_object_or_404(Duty, pk=duty_id)
        if self.duty.frequency != DutyFrequency.ON_EVENT:
            messages.error(
                request,
                f"'{self.duty.title}' is not started by events: its periods follow its frequency.",
            )
            return redirect(reverse("duty_obligations:index"))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Events: {self.duty.title}"

    def post(self, request, *args, **kwargs):
        from .duty_admin import YEARS_AHEAD
        from .obligations import generate_obligations, shift_months

        form = DutyEventForm(request.POST, duty=self.duty)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        until = shift_months(self.today, 12 * YEARS_AHEAD)
        try:
            with transaction.atomic():
                event = form.save()
                made = [
                    o
                    for o in generate_obligations(self.duty, until=until)
                    if o.event_id == event.pk
                ]
                log_change(
                    self.duty,
                    "boards.duty.event",
                    request.user,
                    f"Recorded '{event.description}' on {format_date(event.happened_on)}: "
                    f"{len(made)} obligation{'' if len(made) == 1 else 's'}.",
                    event=event.pk,
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            f"Recorded. {len(made)} obligation{'' if len(made) == 1 else 's'} now run from "
            f"{format_date(event.happened_on)}.",
        )
        return redirect(reverse("duty_obligations:events", args=(self.duty.pk,)))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(self.duty.events.order_by("-happened_on", "-pk"))
        obligations = list(
            Obligation.objects.filter(duty=self.duty, event__isnull=False).select_related(
                "receiver"
            )
        )
        by_event = {}
        for obligation in obligations:
            by_event.setdefault(obligation.event_id, []).append(obligation)
        context.update(
            duty=self.duty,
            form=form or DutyEventForm(duty=self.duty),
            events=[{"event": e, "obligations": by_event.get(e.pk, [])} for e in events],
        )
        return context


# Forward programmes -------------------------------------------------------------------------


class ForwardProgrammeIndexView(DutyAdminView):
    page_title = "Forward programmes"
    template_name = "boards/admin/duty_programmes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from .models import BoardPage

        open_obligations = (
            Obligation.objects.filter(
                receiver__isnull=False,
                agenda_item__isnull=True,
                met_on__isnull=True,
                waived_reason="",
                window_end__gte=self.today,
            )
            .values("receiver")
            .annotate(count=Count("pk"))
        )
        counts = {row["receiver"]: row["count"] for row in open_obligations}
        planned = (
            ForwardPlanItem.objects.filter(
                Q(meeting__start__gte=timezone.now()) | Q(meeting__isnull=True)
            )
            .values("board")
            .annotate(count=Count("pk"))
        )
        planned_counts = {row["board"]: row["count"] for row in planned}
        context["boards"] = [
            {
                "board": board,
                "url": reverse("forward_programme:board", args=(board.pk,)),
                "open": counts.get(board.pk, 0),
                "planned": planned_counts.get(board.pk, 0),
            }
            for board in BoardPage.objects.order_by("title").only("title")
        ]
        return context


class ForwardProgrammeView(DutyAdminView):
    """One board's forward programme; POST to place, make an agenda item or add an item."""

    template_name = "boards/admin/duty_programme.html"
    extra_crumbs = (
        {"url": reverse_lazy("forward_programme:index"), "label": "Forward programmes"},
    )

    def dispatch(self, request, board_id, action=None, target=None, *args, **kwargs):
        from .models import BoardPage

        self.check_officer(request)
        self.board = get_object_or_404(BoardPage, pk=board_id)
        self.action, self.target = action, target
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Forward programme: {self.board.title}"

    def programme_url(self):
        return reverse("forward_programme:board", args=(self.board.pk,))

    def get(self, request, *args, **kwargs):
        if self.action is not None:
            return redirect(self.programme_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        handler = getattr(self, f"post_{self.action}", None)
        if handler is None:
            return redirect(self.programme_url())
        return handler(request)

    def post_place(self, request):
        obligation = get_object_or_404(
            Obligation.objects.select_related("duty", "receiver"),
            pk=self.target,
            receiver=self.board,
        )
        form = PlaceObligationForm(
            request.POST,
            prefix=f"place-{obligation.pk}",
            obligation=obligation,
            board=self.board,
            today=self.today,
        )
        if form.is_valid():
            meeting = form.cleaned_data["meeting"]
            reason = form.cleaned_data.get("reason", "").strip()
            try:
                with transaction.atomic():
                    place_obligation(
                        obligation, meeting, user=request.user, reason=reason, today=self.today
                    )
                    day = format_date(local_day(meeting.start))
                    log_change(
                        obligation,
                        "boards.obligation.place",
                        request.user,
                        f"Placed on the meeting of {day}"
                        + (f", with the reason: {reason}" if reason else "")
                        + ".",
                        meeting=meeting.pk,
                    )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    f"'{obligation.duty.title}' is planned for the meeting of {day}. Add it to "
                    "the agenda when the agenda is prepared.",
                )
                return redirect(self.programme_url())
        return self.render_to_response(self.get_context_data(bound_place=form))

    def post_agenda_item(self, request):
        plan_item = get_object_or_404(
            ForwardPlanItem.objects.select_related("obligation__duty", "meeting"),
            pk=self.target,
            board=self.board,
        )
        try:
            with transaction.atomic():
                made = make_agenda_item(plan_item, user=request.user, today=self.today)
                meeting = plan_item.meeting
                day = format_date(local_day(meeting.start))
                if made.pending:
                    summary = (
                        f"Added '{plan_item.title}' to a draft of the agenda of {day}; the "
                        "obligation is linked when that draft is published."
                    )
                else:
                    summary = f"Added '{plan_item.title}' to the agenda of {day} and linked it."
                log_change(
                    plan_item.obligation or plan_item,
                    "boards.obligation.agenda_item"
                    if plan_item.obligation
                    else "boards.forward_plan.add",
                    request.user,
                    summary,
                    meeting=meeting.pk,
                    pending=made.pending,
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.programme_url())
        edit_url = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
        if made.pending:
            messages.success(
                request,
                f"'{plan_item.title}' was added to a draft of the agenda of {day}. Publish the "
                "agenda to link the obligation.",
                buttons=[messages.button(edit_url, "Edit the agenda")],
            )
        else:
            messages.success(
                request,
                f"'{plan_item.title}' was added to the agenda of {day}.",
                buttons=[messages.button(edit_url, "Edit the agenda")],
            )
        return redirect(self.programme_url())

    def post_add(self, request):
        form = PlanItemForm(request.POST, board=self.board, today=self.today, prefix="add")
        if form.is_valid():
            with transaction.atomic():
                item = form.save()
                where = (
                    f"the meeting of {format_date(local_day(item.meeting.start))}"
                    if item.meeting
                    else "no meeting yet"
                )
                log_change(
                    item,
                    "boards.forward_plan.add",
                    request.user,
                    f"Added '{item.title}' to the forward programme of the {self.board.title}, "
                    f"for {where}.",
                )
            messages.success(request, f"'{item.title}' was added to the forward programme.")
            return redirect(self.programme_url())
        return self.render_to_response(self.get_context_data(add_form=form))

    def get_context_data(self, bound_place=None, add_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = forward_programme(self.board, today=self.today)
        placeholders = []
        for placeholder in programme.placeholders:
            obligation = placeholder.obligation
            if bound_place is not None and bound_place.obligation.pk == obligation.pk:
                form = bound_place
            else:
                first = placeholder.meetings[0].pk if placeholder.meetings else None
                form = PlaceObligationForm(
                    prefix=f"place-{obligation.pk}",
                    initial={"meeting": first},
                    obligation=obligation,
                    board=self.board,
                    today=self.today,
                )
            placeholders.append(
                {
                    "placeholder": placeholder,
                    "form": form,
                    "tag_class": PUBLIC_TAG_CLASSES[placeholder.status.status],
                    "window": window_text(obligation),
                    "action_url": reverse(
                        "forward_programme:action",
                        args=(self.board.pk, "place", obligation.pk),
                    ),
                    "obligation_url": reverse("duty_obligations:obligation", args=(obligation.pk,)),
                }
            )
        meetings = [
            {
                "plan": plan,
                "day": format_date(local_day(plan.meeting.start)),
                "edit_url": reverse("wagtailadmin_pages:edit", args=(plan.meeting.pk,)),
                "items": [
                    {"item": item, "make_url": agenda_item_action_url(self.board.pk, item.pk)}
                    for item in plan.items
                ],
            }
            for plan in programme.meetings
        ]
        context.update(
            board=self.board,
            programme=programme,
            meetings=meetings,
            placeholders=placeholders,
            add_form=add_form or PlanItemForm(board=self.board, today=self.today, prefix="add"),
            add_url=reverse("forward_programme:add", args=(self.board.pk,)),
        )
        return context


def agenda_item_action_url(board_id, plan_item_id):
    return reverse("forward_programme:action", args=(board_id, "agenda_item", plan_item_id))


__all__ = [
    "LOG_ACTIONS",
    "ForwardProgrammeIndexView",
    "ForwardProgrammeView",
    "ObligationDashboardView",
    "ObligationView",
    "DutyEventsView",
    "agenda_item_action_url",
    "is_duty_officer",
    "officers_group",
]
