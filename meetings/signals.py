"""Side effects of publishing a meeting: calendar sequence numbers, exempt papers and search."""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published

from .models import MeetingPage, MinutesPage


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from .calendars import record_calendar_change
    from .exempt import secure_exempt_papers

    secure_exempt_papers(instance)
    record_calendar_change(instance)
    # The page row is indexed as it is saved, before its agenda items are; index it again now
    # that the items are in place, so that the public agenda text is searchable.
    index.insert_or_update_object(instance)


@receiver(page_published, sender=MinutesPage)
def minutes_published(sender, instance, **kwargs):
    from .minute_rules import record_citations

    record_citations(instance)
    index.insert_or_update_object(instance)
