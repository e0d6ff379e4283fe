"""Admin form for minutes: starts new minutes from the agenda, then checks the rules as a whole.

New minutes start with one minute per agenda item, the board's members, officers and observers
as attendance, and the "minutes of the previous meeting" minute approving those minutes. The
minutes' rules span every minute and resolution on the page, so they are checked here, once the
nested formsets are valid, on what the officer is about to save. Each problem is shown at the top
of the page and beside the minute, resolution or attendee it is about; a refused save changes
nothing and the officer's input comes back as it was typed.
"""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from .minute_rules import Problem, ProposedMinute, find_problems

# Membership roles and the attendance group they are listed under. Substitutes are not listed
# in advance: the officer adds one, representing the member, when they attend.
ATTENDANCE_GROUP_OF_ROLE = {
    "officer": "officer",
    "observer": "observer",
    "substitute": None,
}
CHAIR_ROLES = {"chair", "independent_chair"}


def previous_minutes_offered(agenda_item, meeting):
    """The live minutes a "minutes of the previous meeting" item should approve, or None.

    Minutes already approved at another meeting are not offered again.
    """
    from .agenda import previous_meeting_of
    from .minutes import MinutesPage

    previous = agenda_item.previous_meeting or previous_meeting_of(meeting)
    if previous is None:
        return None
    record = (
        MinutesPage.objects.live()
        .with_approval()
        .filter(meeting=previous)
        .exclude(meeting=meeting)
        .first()
    )
    if record is None or record.is_approved:
        return None
    return record


def starting_minute_items(meeting):
    """Unsaved minutes, one per agenda item, headed in capitals and numbered in sequence."""
    from .minutes import MinuteItem
    from .models import StandardItem

    items = []
    for position, agenda_item in enumerate(
        meeting.agenda_items.select_related("previous_meeting").order_by("sort_order", "pk")
    ):
        approves = None
        if agenda_item.kind == StandardItem.PREVIOUS_MINUTES:
            approves = previous_minutes_offered(agenda_item, meeting)
        items.append(
            MinuteItem(
                agenda_item=agenda_item,
                heading=agenda_item.title.upper(),
                is_exempt=agenda_item.is_exempt,
                exempt_paragraph=agenda_item.exempt_paragraph,
                approves=approves,
                sort_order=position,
            )
        )
    return items


def starting_attendance(meeting):
    """Unsaved attendance rows for the board's memberships on the day of the meeting."""
    from .minutes import Attendance, AttendanceGroup, AttendanceStatus

    board = meeting.get_parent().specific
    rows = []
    for membership in board.current_memberships(on=timezone.localdate(meeting.start)):
        group = ATTENDANCE_GROUP_OF_ROLE.get(membership.role, AttendanceGroup.MEMBER)
        if group is None:
            continue
        rows.append(
            Attendance(
                person=membership.person,
                group=group,
                status=AttendanceStatus.PRESENT,
                role_text=membership.person.role_line,
                in_the_chair=membership.role in CHAIR_ROLES,
                sort_order=len(rows),
            )
        )
    return rows


def _limit_agenda_item_choices(formset, queryset, nested=()):
    """Offer only this meeting's agenda items, in every form of `formset` (and the JS template).

    Django builds each form, and the empty form new rows are copied from, through add_fields;
    without this every agenda item of every meeting would be listed.
    """
    add_fields = formset.add_fields

    def limited(form, index):
        add_fields(form, index)
        if "agenda_item" in form.fields:
            form.fields["agenda_item"].queryset = queryset
        for name in nested:
            if name in getattr(form, "formsets", {}):
                _limit_agenda_item_choices(form.formsets[name], queryset)

    formset.add_fields = limited


def _kept_forms(formset):
    """The forms to be saved, in the officer's order (deleted and untouched new ones left out)."""
    if formset.can_order:
        return formset.ordered_forms
    deleted = formset.deleted_forms if formset.can_delete else []
    return [
        form
        for index, form in enumerate(formset.forms)
        if form not in deleted and (index < formset.initial_form_count() or form.has_changed())
    ]


class MinutesPageForm(WagtailAdminPageForm):
    """Starts new minutes from the agenda; fills in title and slug; checks the minutes' rules."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        parent_page = kwargs.get("parent_page")
        is_new = instance is not None and instance.pk is None
        if is_new and parent_page is not None and not args and not kwargs.get("data"):
            self._start_minutes(instance, parent_page.specific)
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if "slug" in self.fields:
            self.fields["slug"].required = False
        meeting = self._meeting()
        if meeting is not None:
            from .models import AgendaItem

            agenda = AgendaItem.objects.filter(meeting=meeting).order_by("sort_order", "pk")
            if "minute_items" in self.formsets:
                _limit_agenda_item_choices(
                    self.formsets["minute_items"], agenda, nested=["declarations"]
                )

    @staticmethod
    def _start_minutes(instance, meeting):
        from .models import MeetingPage

        if not isinstance(meeting, MeetingPage):
            return
        if not instance.minute_items.all():
            instance.minute_items = starting_minute_items(meeting)
        if not instance.attendance.all():
            instance.attendance = starting_attendance(meeting)

    def _meeting(self):
        from .models import MeetingPage

        if self.instance.meeting_id:
            return self.instance.meeting
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        parent = parent.specific if parent is not None else None
        return parent if isinstance(parent, MeetingPage) else None

    def _post_clean(self):
        # Django cleans the model here, before the formsets' rows are on the instance: the
        # model's own check would see the minutes as they were. clean() has checked them as
        # they will be.
        self.instance._rules_checked_by_form = True
        try:
            super()._post_clean()
        finally:
            self.instance._rules_checked_by_form = False

    def clean(self):
        cleaned = super().clean()
        meeting = self._meeting()
        if not cleaned.get("title") and meeting is not None:
            cleaned["title"] = f"Minutes: {meeting.title}"
            self.instance.title = cleaned["title"]
        if not cleaned.get("slug"):
            cleaned["slug"] = "minutes"
            self.instance.slug = "minutes"
        if meeting is None:
            return cleaned
        minute_forms = self._valid_kept_forms("minute_items")
        attendance_forms = self._valid_kept_forms("attendance")
        if minute_forms is None or attendance_forms is None:
            # The rows have errors of their own, shown beside them; the rules wait for those.
            return cleaned
        if any(not form.formsets["resolutions"].is_valid() for form in minute_forms):
            return cleaned
        if not self.instance.meeting_id:
            self.instance.meeting = meeting
            self.instance.board_id = meeting.get_parent().pk

        proposed, forms_of = [], {}
        for form in minute_forms:
            resolution_forms = _kept_forms(form.formsets["resolutions"])
            minute = ProposedMinute(
                item=form.instance, resolutions=[f.instance for f in resolution_forms]
            )
            proposed.append(minute)
            forms_of[id(form.instance)] = form
            forms_of.update((id(f.instance), f) for f in resolution_forms)
        forms_of.update((id(f.instance), f) for f in attendance_forms)

        self._offer_previous_minutes(proposed, meeting)
        attendance = [form.instance for form in attendance_forms]
        for problem in find_problems(self.instance, proposed, attendance):
            self._show(problem, forms_of)
        return cleaned

    def _valid_kept_forms(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        if not formset.is_valid():
            return None
        return _kept_forms(formset)

    def _show(self, problem: Problem, forms_of):
        """At the top of the page, and beside the row it is about."""
        self.add_error(None, problem.message)
        target = problem.resolution or problem.attendance
        if target is None and problem.minute is not None:
            target = problem.minute.item
        form = forms_of.get(id(target)) if target is not None else None
        if form is None:
            return
        if problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            form.add_error(None, problem.message)

    @staticmethod
    def _offer_previous_minutes(proposed, meeting):
        """Link the 'minutes of the previous meeting' minute to those minutes, if not done.

        A minute not linked to the agenda item is left alone: that is how an officer records
        minutes that were not approved at this meeting.
        """
        from .models import StandardItem

        for p in proposed:
            agenda_item = p.item.agenda_item
            if p.item.approves_id or agenda_item is None:
                continue
            if agenda_item.kind != StandardItem.PREVIOUS_MINUTES:
                continue
            record = previous_minutes_offered(agenda_item, meeting)
            if record is not None:
                p.item.approves = record
