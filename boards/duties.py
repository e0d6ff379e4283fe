"""Duties between boards, and the obligations each duty yields period by period.

A duty is data taken from a protocol or a reporting line: "between September and November the
independent chairs of the two safeguarding boards present their annual reports to the HWB and to
the SRP Board". Each period of a duty yields one obligation per receiving board (or outside body).
An obligation's status (not yet due, due, planned, met, at risk, missed, waived) is derived from
its window, the receiving board's meetings and the agenda item linked to it (see
boards/obligation_status.py); only the changes of status are stored, as a history that is never
deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Orderable, RevisionMixin
from wagtail.signals import page_published


class DutyKind(models.TextChoices):
    PRESENTATION = "presentation", "Presentation of a report"
    REPORT = "report", "Report"
    UPDATE = "update", "Update report"
    PLAN = "plan", "Refreshed plan shared"
    MEETING = "meeting", "Meeting of chairs or officers"


class DutyFrequency(models.TextChoices):
    ANNUAL = "annual", "Annually"
    TWICE_YEARLY = "twice_yearly", "Twice a year"
    QUARTERLY = "quarterly", "Quarterly"
    EVERY_N_MONTHS = "every_n_months", "Every N months"
    ON_EVENT = "on_event", "When an event happens"
    ONCE = "once", "Once"


# Months between the periods of a recurring duty.
FREQUENCY_MONTHS = {
    DutyFrequency.ANNUAL: 12,
    DutyFrequency.TWICE_YEARLY: 6,
    DutyFrequency.QUARTERLY: 3,
}


class ObligationStatus(models.TextChoices):
    NOT_YET_DUE = "not_yet_due", "Not yet due"
    DUE = "due", "Due"
    PLANNED = "planned", "Planned"
    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    MISSED = "missed", "Missed"
    WAIVED = "waived", "Waived"


def _the(name):
    return name if name[:4].lower() == "the " else f"the {name}"


def check_parties(duty, parties):
    """Refuse a duty whose parties make no sense; the admin form and generation both call this.

    `parties` are DutyParty instances (saved or not, e.g. the forms of an inline panel). A duty
    needs a board or body it runs from and one it runs to, each party is a board or a named body
    (not both), and no board or body may be on both sides: a board does not report to itself.
    Raises ValidationError with every problem, in plain English.
    """
    problems = []
    sides = {PartyRole.FROM: {}, PartyRole.TO: {}}
    for party in parties:
        board_id = getattr(party, "board_id", None)
        body = (party.body_name or "").strip()
        if bool(board_id) == bool(body):
            problems.append("Each board or body needs a board chosen or a body named (not both).")
            continue
        key = ("board", board_id) if board_id else ("body", body.casefold())
        name = _the(party.board.title if board_id else body)
        side = sides.get(party.role)
        if side is None:
            problems.append(f"Say whether the duty runs from or to {name}.")
            continue
        if key in side:
            problems.append(f"{name[0].upper()}{name[1:]} is listed twice as '{party.role}'.")
        side[key] = name
    for key, name in sides[PartyRole.FROM].items():
        if key in sides[PartyRole.TO]:
            problems.append(f"A duty cannot run from {name} to itself.")
    if not problems:
        if not sides[PartyRole.FROM]:
            problems.append("Add the board or body the duty runs from.")
        if not sides[PartyRole.TO]:
            problems.append("Add at least one board or body the duty runs to.")
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))


class DutyForm(WagtailAdminModelForm):
    """The admin form of a duty: checks its parties (an inline panel named "parties") together.

    The model's clean checks the window and interval; the parties are cluster children, so only
    the form sees them all before they are saved.
    """

    def clean(self):
        cleaned = super().clean()
        formset = getattr(self, "formsets", {}).get("parties")
        if formset is None or not formset.is_valid():
            return cleaned
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        parties = [
            form.instance
            for form in formset.forms
            if form not in deleted and getattr(form, "cleaned_data", None)
        ]
        try:
            check_parties(self.instance, parties)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(None, message)
        return cleaned


class Duty(RevisionMixin, ClusterableModel):
    """A recurring or event-driven duty of one board (or body) towards others."""

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=DutyKind.choices, default=DutyKind.REPORT)
    what = models.TextField(
        help_text="What is presented or shared, e.g. 'Annual report for the previous financial "
        "year, supplemented by a position statement on the current year'."
    )
    presented_by = models.CharField(
        max_length=200, blank=True, help_text="A role, e.g. 'The independent chair'."
    )
    frequency = models.CharField(
        max_length=20, choices=DutyFrequency.choices, default=DutyFrequency.ANNUAL
    )
    interval_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For 'every N months': the N."
    )
    first_window_start = models.DateField(
        null=True,
        blank=True,
        help_text="When the first period's window opens (e.g. 1 September 2016). Leave blank "
        "for a plain deadline.",
    )
    first_window_end = models.DateField(
        help_text="When the first period's window closes, or its deadline (e.g. 30 November 2016)."
    )
    last_period_end = models.DateField(
        null=True, blank=True, help_text="When the duty ends, if it does (blank: ongoing)."
    )
    event_description = models.CharField(
        max_length=255,
        blank=True,
        help_text="For an event-driven duty, e.g. 'when a board publishes a refreshed plan'.",
    )
    source_document = models.CharField(
        max_length=255, blank=True, help_text="e.g. 'Rotherham Safeguarding Partnership Protocol'."
    )
    source_clause = models.CharField(
        max_length=255, blank=True, help_text="e.g. 'Arrangements between the 5 boards: Sep-Nov'."
    )
    legal_basis = models.CharField(
        max_length=255, blank=True, help_text="e.g. 'Care Act 2014, Schedule 2'."
    )
    notes = models.TextField(blank=True)
    is_public = models.BooleanField(default=True, help_text="Shown on the public duties page.")
    responsible = ParentalManyToManyField(
        "boards.Person",
        blank=True,
        related_name="duties_responsible_for",
        help_text="Officers emailed when an obligation of this duty becomes at risk.",
    )

    base_form_class = DutyForm

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "duties"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        start, end = self.first_window_start, self.first_window_end
        if start and end and end < start:
            errors["first_window_end"] = (
                f"The window ends ({self.first_window_end:%-d %B %Y}) before it starts "
                f"({self.first_window_start:%-d %B %Y})."
            )
        if self.frequency == DutyFrequency.EVERY_N_MONTHS and not self.interval_months:
            errors["interval_months"] = "Say how many months apart the periods are."
        if (
            self.last_period_end
            and self.first_window_end
            and (self.last_period_end < self.first_window_end)
        ):
            errors["last_period_end"] = "The duty cannot end before its first period."
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    FROM = "from", "From"
    TO = "to", "To"


class DutyParty(Orderable):
    """A board (or an outside body) a duty runs from or to."""

    duty = ParentalKey(Duty, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=10, choices=PartyRole.choices)
    board = models.ForeignKey(
        "boards.BoardPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_parties",
    )
    body_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="A body that is not a board here, e.g. 'Better Care Fund Executive Group'.",
    )

    class Meta(Orderable.Meta):
        verbose_name = "board or body"

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.board.title if self.board_id else self.body_name

    def clean(self):
        super().clean()
        if bool(self.board_id) == bool(self.body_name.strip()):
            raise ValidationError("Choose a board or name an outside body (one, not both).")


class DutyEvent(models.Model):
    """An event that triggers an event-driven duty, e.g. a refreshed plan being published."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField()
    description = models.CharField(max_length=255)

    class Meta:
        ordering = ["happened_on"]

    def __str__(self):
        return f"{self.description} ({self.happened_on})"


class Obligation(models.Model):
    """One period of a duty towards one receiving board or body."""

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="obligations")
    receiver = models.ForeignKey(
        "boards.BoardPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations_received",
    )
    receiver_body = models.CharField(max_length=200, blank=True)
    period_label = models.CharField(max_length=100, help_text="e.g. 'September to November 2016'.")
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(help_text="The window's last day, or the deadline.")
    event = models.ForeignKey(
        DutyEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="obligations"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obligations",
        help_text="The receiving board's agenda item that meets the obligation.",
    )
    link_reason = models.TextField(
        blank=True,
        help_text="Why the linked item is of another board or outside the window, if it is.",
    )
    # A copy of the evidence, kept should the meeting be deleted: the record is never lost.
    evidence_title = models.CharField(max_length=500, blank=True)
    evidence_date = models.DateField(null=True, blank=True)
    evidence_url = models.CharField(max_length=500, blank=True)
    met_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a body that is not a board here: when it was met (with the evidence).",
    )
    evidence_note = models.TextField(blank=True)
    waived_reason = models.TextField(blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["window_end", "duty", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "receiver", "receiver_body", "window_end"],
                name="one_obligation_per_duty_receiver_period",
            )
        ]
        indexes = [models.Index(fields=["receiver", "window_end"])]

    def __str__(self):
        return f"{self.duty}: {self.receiver_name}, {self.period_label}"

    @property
    def receiver_name(self):
        return self.receiver.title if self.receiver_id else self.receiver_body

    def clean(self):
        super().clean()
        if self.window_start and self.window_end < self.window_start:
            raise ValidationError({"window_end": "The window ends before it starts."})


class ObligationStatusChange(models.Model):
    """A change of an obligation's status, with its reason: the history is never deleted."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=ObligationStatus.choices)
    reason = models.TextField()
    changed_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.changed_at:%-d %B %Y})"


class ForwardPlanItem(Orderable):
    """An item planned for a future meeting of a board: its forward programme.

    An open obligation appears as a placeholder until an officer places it on a meeting and
    turns it into an agenda item."""

    board = models.ForeignKey(
        "boards.BoardPage", on_delete=models.CASCADE, related_name="forward_plan_items"
    )
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    meeting = models.ForeignKey(
        "meetings.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forward_plan_items",
        help_text="The meeting it is planned for, once placed.",
    )
    obligation = models.ForeignKey(
        Obligation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forward_plan_items",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forward_plan_items",
        help_text="The agenda item it became.",
    )
    lead = models.CharField(max_length=200, blank=True, help_text="Who will present or lead.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(Orderable.Meta):
        verbose_name = "forward programme item"

    def __str__(self):
        return self.title


def _link_published_plan_items(sender, instance, **kwargs):
    """When a meeting is published, link the obligations its forward programme items now meet.

    An agenda item added to a live meeting from the forward programme waits in a draft revision
    (boards/forward_programme.py); it exists, and can be linked, only once that is published.
    """
    from .forward_programme import link_published_plan_items

    link_published_plan_items(instance)


page_published.connect(_link_published_plan_items, dispatch_uid="boards.duties.link_plan_items")
