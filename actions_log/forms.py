"""Forms for actions: the officers' editor, the progress update, and the "my actions" filters.

Bad input gets a message that says what is wrong and what to do, and what was typed is kept:
an owner who has left the board, a minute or meeting of another board, a due date before the
meeting that raised the action (the model's own check, shown on the field), a status that is not
one of the four, an update with nothing in it.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from boards.models import BoardPage, Membership
from meetings.dates import format_date

from .models import ActionPlan, ActionStatus, PlanPriority
from .permissions import boards_managed_by

CONFIRM_FORMER_OWNERS = "confirm_former_owners"


def former_members(board, people, raised_on):
    """{person: last end date} for those of `people` who had left `board` before `raised_on`.

    Someone has left when they had memberships of the board and every one of them ended before
    the action was raised. People who never sat on the board (officers, presenters) may own
    actions without a warning.
    """
    if not (board and people and raised_on):
        return {}
    memberships = {}
    for membership in Membership.objects.filter(board=board, person__in=people):
        memberships.setdefault(membership.person_id, []).append(membership)
    left = {}
    for person in people:
        seats = memberships.get(person.pk)
        if not seats or any(seat.end_date is None for seat in seats):
            continue
        last = max(seat.end_date for seat in seats)
        if last < raised_on:
            left[person] = last
    return left


class ActionAdminForm(WagtailAdminModelForm):
    """The officers' action editor.

    Choices are limited to the boards the officer manages, and everything the action points to
    (meeting, minute, resolution, the agenda item or minute that discharged it, plan) must
    belong to the action's board. Owners who have left the board are refused unless the officer
    ticks "assign anyway" (an action may rightly stay with someone who has moved on, but it is
    usually a slip).
    """

    confirm_former_owners = forms.BooleanField(
        required=False,
        label="Assign to people who have left the board",
        help_text=(
            "Tick to keep as owners people whose membership of the board ended before the "
            "action was raised."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "raised_on" in self.fields:
            self.fields["raised_on"].required = False
            self.fields["raised_on"].help_text = (
                "Usually the date of the meeting. Left blank, it is the date of the meeting "
                "chosen below."
            )
        if user is None:
            return
        boards = boards_managed_by(user)
        self._limit("board", BoardPage.objects.filter(pk__in=boards.values("pk")))
        self._limit("plan", ActionPlan.objects.filter(board__in=boards))
        self._limit("priority", PlanPriority.objects.filter(plan__board__in=boards))
        self._limit_to_boards("minute_item", "minutes__board__in", boards)
        self._limit_to_boards("discharged_by_minute", "minutes__board__in", boards)
        self._limit_to_boards("resolution", "minute__minutes__board__in", boards)
        if not user.is_superuser:
            paths = Q(pk__in=[])
            for path in boards.values_list("path", flat=True):
                paths |= Q(path__startswith=path)
            if "meeting" in self.fields:
                self._limit("meeting", self.fields["meeting"].queryset.filter(paths))
            if "discharged_by_agenda_item" in self.fields:
                meeting_paths = Q(pk__in=[])
                for path in boards.values_list("path", flat=True):
                    meeting_paths |= Q(meeting__path__startswith=path)
                queryset = self.fields["discharged_by_agenda_item"].queryset
                self._limit("discharged_by_agenda_item", queryset.filter(meeting_paths))

    def _limit(self, name, queryset):
        if name in self.fields:
            self.fields[name].queryset = queryset

    def _limit_to_boards(self, name, lookup, boards):
        if name in self.fields:
            self._limit(name, self.fields[name].queryset.filter(**{lookup: boards}))

    # Validation -------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        board = cleaned.get("board")
        self._fill_in_from_related(cleaned)
        if not cleaned.get("raised_on") and "raised_on" not in self.errors:
            self.add_error(
                "raised_on",
                "Give the date the action was raised, or choose the meeting that raised it.",
            )
        if board is not None:
            self._check_same_board(cleaned, board)
            self._check_owners(cleaned, board)
        return cleaned

    def _fill_in_from_related(self, cleaned):
        """A resolution implies its minute, a minute its meeting, a meeting the date raised."""
        resolution = cleaned.get("resolution")
        minute = cleaned.get("minute_item")
        if resolution is not None and minute is None:
            cleaned["minute_item"] = minute = resolution.minute
        elif resolution is not None and resolution.minute_id != minute.pk:
            self.add_error(
                "resolution",
                f"This resolution is from minute {resolution.minute.number or ''} "
                f"('{resolution.minute.heading}'), not the minute chosen. Choose the resolution "
                "of that minute, or clear one of them.",
            )
        meeting = cleaned.get("meeting")
        minutes_meeting = minute.minutes.meeting if minute is not None else None
        if minutes_meeting is not None and meeting is None:
            cleaned["meeting"] = meeting = minutes_meeting
        elif minutes_meeting is not None and meeting.pk != minutes_meeting.pk:
            self.add_error(
                "minute_item",
                f"This minute is from the meeting of {format_date(minutes_meeting.start)}, "
                "not the meeting chosen.",
            )
        if meeting is not None and not cleaned.get("raised_on") and "raised_on" not in self.errors:
            cleaned["raised_on"] = timezone.localtime(meeting.start).date()

    def _check_same_board(self, cleaned, board):
        name = board.title
        checks = {
            "meeting": lambda m: m.path.startswith(board.path),
            "minute_item": lambda m: m.minutes.board_id == board.pk,
            "resolution": lambda r: r.minute.minutes.board_id == board.pk,
            "discharged_by_agenda_item": lambda i: i.meeting.path.startswith(board.path),
            "discharged_by_minute": lambda m: m.minutes.board_id == board.pk,
            "plan": lambda p: p.board_id == board.pk,
        }
        what = {
            "meeting": "meeting",
            "minute_item": "minute",
            "resolution": "resolution",
            "discharged_by_agenda_item": "agenda item",
            "discharged_by_minute": "minute",
            "plan": "action plan",
        }
        for field, belongs in checks.items():
            value = cleaned.get(field)
            if value is not None and field not in self.errors and not belongs(value):
                self.add_error(
                    field,
                    f"This {what[field]} is not the {name}'s: choose one of the board's own, "
                    "or change the board.",
                )
        priority, plan = cleaned.get("priority"), cleaned.get("plan")
        if priority is not None and (plan is None or priority.plan_id != plan.pk):
            self.add_error("priority", "Choose a priority of the action plan chosen above.")

    def _owner_people(self):
        formset = self.formsets.get("owners")
        if formset is None or not formset.is_valid():
            return []
        people = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("person"):
                continue
            people.append(data["person"])
        return people

    def _check_owners(self, cleaned, board):
        raised_on = cleaned.get("raised_on")
        if cleaned.get(CONFIRM_FORMER_OWNERS) or not isinstance(raised_on, datetime.date):
            return
        people = self._owner_people()
        instance = self.instance
        unchanged = (
            instance.pk
            and instance.board_id == board.pk
            and instance.raised_on == raised_on
            and not self.has_changed_field("board", "raised_on")
        )
        if unchanged:
            # Owners already saved were checked (or confirmed) when they were added.
            saved = set(instance.owners.values_list("person_id", flat=True))
            people = [person for person in people if person.pk not in saved]
        left = former_members(board, people, raised_on)
        if not left:
            return
        names = "; ".join(
            f"{person.full_name} left the {board.title} on {format_date(ended)}"
            for person, ended in sorted(left.items(), key=lambda item: item[0].full_name)
        )
        self.add_error(
            CONFIRM_FORMER_OWNERS,
            f"{names}, before the action was raised on {format_date(raised_on)}. Choose a "
            "current member as owner, or tick this box to assign the action to them anyway.",
        )

    def has_changed_field(self, *names):
        return any(name in self.changed_data for name in names)


class ActionUpdateForm(forms.Form):
    """A progress update on one action: a new status, a note, or both.

    Used once per action on "my actions", so each is prefixed with the action's id to keep the
    ids of the fields on the page unique.
    """

    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        error_messages={
            "required": "Choose the action's status.",
            "invalid_choice": (
                "'%(value)s' is not a status an action can have: choose open, in progress, "
                "completed or no longer required."
            ),
        },
    )
    text = forms.CharField(
        label="Update",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done, or what is holding the action up.",
    )
    is_internal = forms.BooleanField(
        label="Internal update",
        required=False,
        help_text="Only officers and the action's owners see it; the public never does.",
    )

    def __init__(self, *args, action, **kwargs):
        self.action = action
        kwargs.setdefault("prefix", f"action-{action.pk}")
        kwargs.setdefault("initial", {"status": action.status})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status == self.action.status and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(
                "Nothing to save: change the status or write an update.", code="empty"
            )
        return cleaned


class SortChoice:
    DUE = "due"
    BOARD = "board"
    STATUS = "status"
    RAISED = "raised"

    choices = [
        (DUE, "Due date, soonest first"),
        (BOARD, "Board"),
        (STATUS, "Status"),
        (RAISED, "Date raised, newest first"),
    ]


class MyActionsFilterForm(forms.Form):
    """The filters and sort order of "my actions", read from the address (GET).

    A value that is not understood is ignored (and named in a message), never a server error.
    """

    board = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), ("outstanding", "Open or in progress")]
        + list(ActionStatus.choices),
    )
    due_after = forms.DateField(
        label="Due on or after",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    due_before = forms.DateField(
        label="Due on or before",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=SortChoice.choices, initial=SortChoice.DUE
    )

    def __init__(self, *args, boards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "All boards")] + [
            (board.pk, board.title) for board in boards
        ]

    def valid_filters(self):
        """The filters that were understood, whatever else was wrong."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }

    def ignored(self):
        """Labels of the filters whose values were not understood."""
        self.is_valid()
        return [str(self.fields[name].label or name.capitalize()) for name in self.errors]
