"""The officers' forms for duties: filters, linking an agenda item, waiving, recording that an
outside body's obligation was met, and placing obligations in a board's forward programme.

The rules live in boards/obligation_status.py and boards/forward_programme.py; these forms show
their messages against the right field and keep what the officer typed.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.dates import format_date

from .duties import DutyEvent, ForwardPlanItem, ObligationStatus
from .obligation_status import link_obligation, link_problems, local_day, record_met, waive

REASON_HELP = (
    "Needed when the item is business of another board or its meeting is outside the window: "
    "say why it meets the obligation. It is kept with the link."
)
ITEMS_AROUND_WINDOW = datetime.timedelta(days=62)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObligationFilterForm(forms.Form):
    """The dashboard's filters (GET): board, year, status and duty."""

    board = forms.ChoiceField(required=False, label="Board")
    year = forms.ChoiceField(required=False, label="Year")
    status = forms.ChoiceField(required=False, label="Status")
    duty = forms.ChoiceField(required=False, label="Duty")

    OPEN = "open"

    def __init__(self, *args, boards, years, duties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "All boards")] + list(boards)
        self.fields["year"].choices = [(str(year), str(year)) for year in years]
        self.fields["status"].choices = [
            ("", "Any status"),
            (self.OPEN, "Open: not yet due, due or at risk"),
        ] + list(ObligationStatus.choices)
        self.fields["duty"].choices = [("", "All duties")] + [(d.slug, d.title) for d in duties]

    def keeps(self, row):
        """Whether the row passes the status and duty filters."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status, duty = data.get("status"), data.get("duty")
        if status == self.OPEN and not row.result.is_open:
            return False
        if status and status != self.OPEN and row.status != status:
            return False
        return not duty or row.obligation.duty.slug == duty

    @property
    def narrows_rows(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("status") or data.get("duty"))


class ItemSourceForm(forms.Form):
    """Where the agenda items offered for linking come from: a board's meetings between dates.

    By default the receiving board's meetings from two months before the window to two months
    after it, so that an item outside the window can be chosen too (with a reason)."""

    board = forms.ChoiceField(label="Meetings of")
    start = forms.DateField(label="From", widget=_date_input())
    end = forms.DateField(label="To", widget=_date_input())

    def __init__(self, data=None, *, obligation, boards, **kwargs):
        self.boards = {str(board.pk): board for board in boards}
        start = (obligation.window_start or obligation.window_end) - ITEMS_AROUND_WINDOW
        initial = {
            "board": str(obligation.receiver_id or next(iter(self.boards), "")),
            "start": start,
            "end": obligation.window_end + ITEMS_AROUND_WINDOW,
        }
        bound = data is not None and any(name in data for name in ("board", "start", "end"))
        super().__init__(data if bound else None, initial=initial, **kwargs)
        self.fields["board"].choices = [(pk, board.title) for pk, board in self.boards.items()]

    def chosen(self):
        """(board, start, end): what the officer chose, or the defaults."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            start, end = sorted([data["start"], data["end"]])
            return self.boards.get(data["board"]), start, end
        initial = self.initial
        return self.boards.get(initial["board"]), initial["start"], initial["end"]


def agenda_items_of(board, start, end):
    """The agenda items of `board`'s meetings between two dates, in meeting and agenda order."""
    from meetings.models import AgendaItem, MeetingPage

    if board is None:
        return AgendaItem.objects.none()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    meetings = MeetingPage.objects.child_of(board).filter(start__gte=first, start__lte=last)
    return (
        AgendaItem.objects.filter(meeting__in=meetings)
        .select_related("meeting")
        .order_by("meeting__start", "sort_order", "pk")
    )


def item_choice_label(item):
    number = f"{item.display_number}. " if item.display_number else ""
    exempt = " (exempt)" if item.is_exempt else ""
    return f"{number}{item.title}{exempt}"


class LinkAgendaItemForm(forms.Form):
    """Link an agenda item to an obligation; a reason is required when it does not fit."""

    agenda_item = forms.ModelChoiceField(
        queryset=None,
        label="Agenda item",
        empty_label="Choose an agenda item",
        error_messages={
            "required": "Choose the agenda item that meets the obligation.",
            "invalid_choice": "That agenda item no longer exists: choose another.",
        },
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )

    def __init__(self, *args, obligation, items=(), **kwargs):
        from meetings.models import AgendaItem

        super().__init__(*args, **kwargs)
        self.obligation = obligation
        field = self.fields["agenda_item"]
        field.queryset = AgendaItem.objects.select_related("meeting")
        groups = {}
        for item in items:
            meeting = item.meeting
            key = f"{meeting.title} ({format_date(local_day(meeting.start))})"
            groups.setdefault(key, []).append((item.pk, item_choice_label(item)))
        field.widget.choices = [("", field.empty_label)] + list(groups.items())
        self.has_items = bool(groups)

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("agenda_item")
        if item is None:
            return cleaned
        try:
            problems = link_problems(self.obligation, item)
        except ValidationError as error:
            self.add_error("agenda_item", error.messages)
            return cleaned
        if problems and not cleaned.get("reason", "").strip():
            self.add_error("reason", problems + ["Give the reason to link it anyway."])
        return cleaned

    def save(self, user):
        """Link it (the rules are checked again); returns the obligation's StatusResult."""
        try:
            return link_obligation(
                self.obligation,
                self.cleaned_data["agenda_item"],
                reason=self.cleaned_data.get("reason", ""),
                user=user,
            )
        except ValidationError as error:
            self.add_error(None, error.messages)
            return None


class WaiveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it is waived",
        help_text="Shown with the obligation, on the public page too.",
        error_messages={
            "required": "Give the reason the obligation is waived: it is shown with it."
        },
    )

    def __init__(self, *args, obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation

    def save(self, user):
        try:
            return waive(self.obligation, self.cleaned_data["reason"], user)
        except ValidationError as error:
            self.add_error("reason", error.messages)
            return None


class RecordMetForm(forms.Form):
    """For an obligation to a body that is not a board here: when it was met, and the evidence."""

    met_on = forms.DateField(
        label="Date it was met",
        widget=_date_input(),
        error_messages={
            "required": "Give the date it was met.",
            "invalid": "Enter the date as a real date, like 16 November 2016.",
        },
    )
    evidence_note = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it was met, e.g. the report and where it is published.",
        error_messages={"required": "Say what shows it was met (e.g. the report and where it is)."},
    )

    def __init__(self, *args, obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation

    def save(self, user):
        try:
            return record_met(
                self.obligation,
                met_on=self.cleaned_data["met_on"],
                evidence_note=self.cleaned_data["evidence_note"],
                user=user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
            else:
                self.add_error(None, error.messages)
            return None


def future_meetings_of(board, today):
    from meetings.models import MeetingPage

    first = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return MeetingPage.objects.child_of(board).filter(start__gte=first).order_by("start")


def meeting_choice_label(meeting):
    label = format_date(local_day(meeting.start))
    if meeting.status in ("cancelled", "postponed", "moved"):
        label += f" ({meeting.get_status_display().lower()})"
    elif not meeting.live:
        label += " (draft)"
    return label


class PlaceObligationForm(forms.Form):
    """Place a placeholder (an open obligation) on one of the board's future meetings."""

    meeting = forms.ModelChoiceField(
        queryset=None,
        label="Meeting",
        empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting to place it on."},
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the meeting is outside the window.",
    )

    def __init__(self, *args, obligation, board, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation
        field = self.fields["meeting"]
        field.queryset = future_meetings_of(board, today)
        field.label_from_instance = meeting_choice_label


class PlanItemForm(forms.ModelForm):
    """An item planned for a board's future meeting that no duty asks for (e.g. a strategy)."""

    class Meta:
        model = ForwardPlanItem
        fields = ["title", "meeting", "lead", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, board, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        field = self.fields["meeting"]
        field.queryset = future_meetings_of(board, today)
        field.label_from_instance = meeting_choice_label
        field.required = False
        field.empty_label = "Not yet given a meeting"


class DutyEventForm(forms.ModelForm):
    """An event that starts a period of an event-driven duty, e.g. a refreshed plan published."""

    class Meta:
        model = DutyEvent
        fields = ["happened_on", "description"]
        labels = {"happened_on": "When it happened", "description": "What happened"}
        help_texts = {"description": "e.g. 'The Safer Rotherham Partnership Plan published'."}
        widgets = {"happened_on": _date_input()}
        error_messages = {
            "happened_on": {
                "required": "Give the date it happened.",
                "invalid": "Enter the date as a real date, like 16 November 2016.",
            },
            "description": {"required": "Say what happened."},
        }

    def __init__(self, *args, duty, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.duty = duty
