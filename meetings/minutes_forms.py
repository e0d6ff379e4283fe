"""Admin form for minutes: checks numbering, resolutions, approval and citations as a whole.

The minutes' rules span every minute and resolution on the page, so they are checked here, once
the nested formsets are valid, on what the officer is about to save.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .minute_rules import ProposedMinute, minutes_problems


def _live_forms(formset):
    return [
        form
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and form.cleaned_data.get("DELETE"))
    ]


class MinutesPageForm(WagtailAdminPageForm):
    """Fills in title and slug, offers approval of the previous minutes, checks the rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def proposed_minutes(self):
        formset = self.formsets["minute_items"]
        proposed = []
        for form in _live_forms(formset):
            resolutions = [f.instance for f in _live_forms(form.formsets["resolutions"])]
            proposed.append(ProposedMinute(item=form.instance, resolutions=resolutions))
        return proposed

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and self.parent_page is not None:
            cleaned["title"] = f"Minutes: {self.parent_page.title}"
            self.instance.title = cleaned["title"]
        if not cleaned.get("slug"):
            cleaned["slug"] = "minutes"
            self.instance.slug = "minutes"
        formset = self.formsets.get("minute_items")
        if formset is None or not formset.is_valid():
            return cleaned
        if not all(f.formsets["resolutions"].is_valid() for f in formset.forms):
            return cleaned
        if self.instance.meeting_id is None and self.parent_page is not None:
            self.instance.meeting = self.parent_page.specific
            self.instance.board_id = self.parent_page.get_parent().pk
        proposed = self.proposed_minutes()
        self._offer_previous_minutes(proposed)
        for problem in minutes_problems(self.instance, proposed):
            self.add_error(None, ValidationError(problem))
        return cleaned

    def _offer_previous_minutes(self, proposed):
        """Link the 'minutes of the previous meeting' minute to those minutes, if not done."""
        from .models import StandardItem

        for p in proposed:
            agenda_item = p.item.agenda_item
            if p.item.approves_id or agenda_item is None:
                continue
            if agenda_item.kind != StandardItem.PREVIOUS_MINUTES:
                continue
            previous = agenda_item.previous_meeting
            record = getattr(previous, "minutes_record", None) if previous else None
            if record is not None and record.live:
                p.item.approves = record
