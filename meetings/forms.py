"""Admin form for meetings: fills in the title and address and starts the agenda."""

from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm

AGENDA_ITEM_NEEDS_A_TITLE = "Every agenda item needs a title."


class MeetingPageForm(WagtailAdminPageForm):
    """Fills in the title and address of a meeting and starts it with the standard items."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        is_new = instance is not None and instance.pk is None
        if is_new and not args and not kwargs.get("data") and not instance.agenda_items.all():
            from .agenda import standard_opening_items

            instance.agenda_items = standard_opening_items()
        super().__init__(*args, **kwargs)
        agenda = self.formsets.get("agenda_items")
        if agenda is not None:
            # The same words whether the page is saved as a draft (where Wagtail defers
            # "required" to the model's clean) or published.
            for form in agenda.forms:
                form.fields["title"].error_messages["required"] = AGENDA_ITEM_NEEDS_A_TITLE
        self.fields["title"].required = False
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def save(self, commit=True):
        self._complete_agenda()
        return super().save(commit=commit)

    def _complete_agenda(self):
        """Number unnumbered items and link 'minutes of the previous meeting' to that meeting.

        Done here as well as in MeetingPage.clean because the model is cleaned before the agenda
        formset is, so there it still sees the agenda as it was before the edit.
        """
        from .agenda import number_items, previous_meeting_of
        from .models import StandardItem

        formset = self.formsets.get("agenda_items")
        if formset is None:
            return
        if formset.can_order:
            forms = formset.ordered_forms
        else:
            deleted = formset.deleted_forms if formset.can_delete else []
            forms = [form for form in formset.forms if form.has_changed() and form not in deleted]
        items = [form.instance for form in forms]
        number_items(items)
        meeting = self.instance
        board = self.parent_page or (meeting.get_parent() if meeting.pk else None)
        if not (meeting.start and board):
            return
        previous = None
        for item in items:
            if item.kind == StandardItem.PREVIOUS_MINUTES and not item.previous_meeting_id:
                previous = previous or previous_meeting_of(meeting, board=board)
                item.previous_meeting = previous

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        parent = self.parent_page
        if start:
            local = timezone.localtime(start)
            if not cleaned.get("title"):
                board = parent.title if parent else "Meeting"
                cleaned["title"] = f"{board}, {local.day} {local:%B %Y}"
                self.instance.title = cleaned["title"]
            if not cleaned.get("slug"):
                cleaned["slug"] = slugify(f"{local:%Y-%m-%d}")
                self.instance.slug = cleaned["slug"]
            if parent is not None:
                from .models import MeetingPage

                clash = MeetingPage.objects.child_of(parent).filter(start=start)
                if self.instance.pk:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error(
                        "start",
                        f"{parent.title} already has a meeting at this time: "
                        f"{clash.first().title}.",
                    )
        elif not cleaned.get("title"):
            self.add_error("title", "Give the meeting a title or a start time.")
        return cleaned
