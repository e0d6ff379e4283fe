"""Actions: what a board asked someone to do, who owns it, when it is due and how it went.

An action comes from the minutes (a resolution, a matters-arising note or a minute item) or from
an action plan. It has one or more named owners, a due date or "by the next meeting", a status
its owners keep up to date, a dated history of updates and the evidence that discharged it.
Whether it is overdue is derived from the due date and the status, never stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_REQUIRED = "not_required", "No longer required"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.NOT_REQUIRED)


class ActionSource(models.TextChoices):
    RESOLUTION = "resolution", "Resolution"
    MATTERS_ARISING = "matters_arising", "Matters arising"
    MINUTE_ITEM = "minute_item", "Minute"
    ACTION_PLAN = "action_plan", "Action plan"


def _next_meeting_start(board_path_ref, after_ref):
    """A subquery: the start of the board's first meeting after a date ('by the next meeting')."""
    from meetings.models import MeetingPage

    return Subquery(
        MeetingPage.objects.filter(
            path__startswith=board_path_ref,
            start__date__gt=after_ref,
        )
        .order_by("start")
        .values("start")[:1]
    )


class ActionQuerySet(models.QuerySet):
    def with_due(self):
        """Annotate `due_on`: the due date, or the date of the board's next meeting after the
        meeting that raised the action when it is due "by the next meeting" (None if not set)."""
        next_meeting = _next_meeting_start(OuterRef("board__path"), OuterRef("raised_on"))
        return self.annotate(
            next_meeting_start=Case(
                When(due_by_next_meeting=True, then=next_meeting),
                default=Value(None, output_field=models.DateTimeField()),
                output_field=models.DateTimeField(),
            )
        ).annotate(
            due_on=Coalesce(
                F("due_date"),
                TruncDate("next_meeting_start", tzinfo=timezone.get_current_timezone()),
                output_field=models.DateField(),
            )
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, on=None):
        """Open actions whose due date has passed (needs `with_due()`)."""
        on = on or timezone.localdate()
        return self.open().filter(due_on__lt=on)

    def owned_by(self, person):
        return self.filter(owners__person=person).distinct()

    def public(self):
        """Actions the public may see: from published, non-exempt minutes of live meetings and
        boards, or from a published action plan."""
        from_minutes = Q(
            minute_item__isnull=False,
            minute_item__is_exempt=False,
            minute_item__minutes__live=True,
            minute_item__minutes__meeting__live=True,
            board__live=True,
        )
        from_plan = Q(plan__isnull=False, plan__is_public=True, board__live=True)
        return self.filter(from_minutes | from_plan)


class Action(RevisionMixin, index.Indexed, ClusterableModel):
    """Something a board asked named people to do."""

    board = models.ForeignKey(
        "boards.BoardPage", null=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField(help_text="What is to be done, as agreed.")
    source = models.CharField(
        max_length=20, choices=ActionSource.choices, default=ActionSource.RESOLUTION
    )
    meeting = models.ForeignKey(
        "meetings.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_raised",
        help_text="The meeting that raised the action.",
    )
    minute_item = models.ForeignKey(
        "meetings.MinuteItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The minute the action was recorded in.",
    )
    resolution = models.ForeignKey(
        "meetings.Resolution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    plan = models.ForeignKey(
        "actions_log.ActionPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    priority = models.ForeignKey(
        "actions_log.PlanPriority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    as_printed = models.CharField(
        max_length=500,
        blank=True,
        help_text="The action line as printed, e.g. 'Action: Kate Green'.",
    )
    raised_on = models.DateField(help_text="Usually the date of the meeting.")
    due_date = models.DateField(null=True, blank=True)
    due_by_next_meeting = models.BooleanField(
        default=False, help_text="Due by the board's next meeting after the one that raised it."
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    discharged_by_agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discharged_actions",
        help_text="The agenda item that answered the action.",
    )
    discharged_by_minute = models.ForeignKey(
        "meetings.MinuteItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discharged_actions",
        help_text="The minute that records the action as done.",
    )
    evidence = models.TextField(blank=True, help_text="Evidence of completion, in words.")
    import_key = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Where an imported action came from, so that re-importing finds it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("text"),
        index.AutocompleteField("text"),
        index.FilterField("board"),
        index.FilterField("status"),
    ]

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on", "pk"]
        indexes = [
            models.Index(fields=["board", "status"]),
            models.Index(fields=["board", "import_key"]),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:77]}…"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def due(self):
        """The date the action is due, resolving "by the next meeting".

        Loaded with `with_due()`, the annotation answers without a query, even when the board
        has no next meeting yet (None); otherwise one query finds that meeting."""
        if hasattr(self, "due_on"):
            return self.due_on
        if self.due_date or not self.due_by_next_meeting:
            return self.due_date
        if not (self.board_id and self.raised_on):
            return None
        from meetings.models import MeetingPage

        start = (
            MeetingPage.objects.descendant_of(self.board)
            .filter(start__date__gt=self.raised_on)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        return timezone.localtime(start).date() if start else None

    def is_overdue(self, on=None):
        due = self.due()
        return bool(self.is_open and due and due < (on or timezone.localdate()))

    def clean(self):
        super().clean()
        errors = {}
        if self.due_date and self.raised_on and self.due_date < self.raised_on:
            errors["due_date"] = (
                f"The due date is before the meeting that raised the action "
                f"({self.raised_on:%-d %B %Y}): choose a later date."
            )
        if self.due_date and self.due_by_next_meeting:
            errors["due_by_next_meeting"] = "Give a due date or 'by the next meeting', not both."
        dates = self.completed_on and self.raised_on
        if self.status == ActionStatus.COMPLETED and dates and self.completed_on < self.raised_on:
            errors["completed_on"] = "An action cannot be completed before it was raised."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.status == ActionStatus.COMPLETED and not self.completed_on:
            self.completed_on = timezone.localdate()
        if self.status in OPEN_STATUSES:
            self.completed_on = None
        if self.plan_id and not self.board_id:
            self.board_id = self.plan.board_id
        super().save(*args, **kwargs)


class ActionOwner(Orderable):
    """A named owner of an action, with the name as the minutes printed it."""

    action = ParentalKey(Action, on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey(
        "boards.Person", on_delete=models.PROTECT, related_name="action_ownerships"
    )
    printed_name = models.CharField(
        max_length=200, blank=True, help_text="As printed, e.g. 'Ruther Fletcher-Brown'."
    )
    needs_review = models.BooleanField(
        default=False, help_text="The name was matched approximately: an officer should check it."
    )

    class Meta(Orderable.Meta):
        verbose_name = "owner"
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="unique_action_owner")
        ]

    def __str__(self):
        return str(self.person)


class ActionUpdate(models.Model):
    """A dated note on an action's progress, perhaps changing its status. Internal updates are
    for officers and owners only and never reach the public."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    created_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_updates",
    )
    author_name = models.CharField(
        max_length=200, blank=True, help_text="Kept as written, should the account be removed."
    )
    text = models.TextField(blank=True)
    status = models.CharField(
        max_length=20,
        choices=ActionStatus.choices,
        blank=True,
        help_text="The status the update moved the action to, if it changed.",
    )
    is_internal = models.BooleanField(
        default=False, help_text="Internal updates are never shown to the public."
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author_name or 'Update'}, {self.created_at:%-d %B %Y}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ActionReminder(models.Model):
    """A reminder emailed to an owner: at most one per action, owner and day."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey("boards.Person", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "person", "sent_on"], name="one_reminder_per_owner_per_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder to {self.person} on {self.sent_on}"


class ActionPlan(RevisionMixin, ClusterableModel):
    """A named set of actions a board owns that does not come from minutes, such as the Mental
    Health Strategy 2026-2029 delivery plan: priorities by year, milestones and indicators."""

    board = models.ForeignKey(
        "boards.BoardPage", on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100)
    summary = models.TextField(blank=True)
    source_document = models.CharField(
        max_length=255, blank=True, help_text="The strategy or report the plan delivers."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_public = models.BooleanField(default=True, help_text="Shown on the board's public pages.")

    class Meta:
        ordering = ["board", "title"]
        constraints = [
            models.UniqueConstraint(fields=["board", "slug"], name="unique_plan_slug_per_board")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A plan cannot end before it starts."})


class PlanPriority(Orderable):
    """A priority of a plan, perhaps tied to a year of it (year 1: voice, prevention…)."""

    plan = ParentalKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    plan_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year of the plan it belongs to (1, 2, 3…)."
    )
    description = models.TextField(blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "priority"
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"{self.number}. {self.title}"


class PlanMilestone(Orderable):
    """A dated milestone of a plan, perhaps of one of its actions."""

    plan = ParentalKey(ActionPlan, on_delete=models.CASCADE, related_name="milestones")
    priority = models.ForeignKey(
        PlanPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    title = models.CharField(max_length=255)
    due_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "milestone"

    def __str__(self):
        return self.title

    def is_missed(self, on=None):
        return self.achieved_on is None and self.due_on < (on or timezone.localdate())


class PlanIndicator(ClusterableModel, Orderable):
    """A key performance indicator of a plan with its target and its readings over time."""

    plan = ParentalKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators")
    priority = models.ForeignKey(
        PlanPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField(max_length=255)
    unit = models.CharField(max_length=40, blank=True, help_text="For example %, days, people.")
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)

    class Meta(Orderable.Meta):
        verbose_name = "indicator"

    def __str__(self):
        return self.name


class IndicatorReading(Orderable):
    """A measured value of an indicator on a date: progress against its target."""

    indicator = ParentalKey(PlanIndicator, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "reading"
        ordering = ["measured_on"]

    def __str__(self):
        return f"{self.value} on {self.measured_on}"


class MinutesImport(models.Model):
    """A file of minutes imported with `import_minutes`: what it held and what was unclear.

    Keyed by board and content hash, so that re-importing the same file changes nothing."""

    board = models.ForeignKey(
        "boards.BoardPage", on_delete=models.CASCADE, related_name="minutes_imports"
    )
    minutes = models.ForeignKey(
        "meetings.MinutesPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    meeting_date = models.DateField()
    source_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    report = models.JSONField(default=dict, help_text="The importer's report, with its warnings.")

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["board", "sha256"], name="unique_import_per_board")
        ]

    def __str__(self):
        return f"{self.source_name} ({self.meeting_date})"
