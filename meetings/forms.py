"""Admin form for meetings: fills in the title and address and starts the agenda."""

from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm


class MeetingPageForm(WagtailAdminPageForm):
    """Fills in the title and address of a meeting and starts it with the standard items."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        is_new = instance is not None and instance.pk is None
        if is_new and not args and not kwargs.get("data") and not instance.agenda_items.all():
            from .agenda import standard_opening_items

            instance.agenda_items = standard_opening_items()
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if "slug" in self.fields:
            self.fields["slug"].required = False

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
