"""Side effects of publishing a meeting: calendar sequence numbers, exempt papers and search."""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published

from .models import MeetingPage


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from .calendars import record_calendar_change
    from .exempt import secure_exempt_papers

    secure_exempt_papers(instance)
    record_calendar_change(instance)
    # The page row is indexed as it is saved, before its agenda items are; index it again now
    # that the items are in place, so that the public agenda text is searchable.
    index.insert_or_update_object(instance)
