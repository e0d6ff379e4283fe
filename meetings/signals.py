"""Side effects of publishing a meeting: calendar sequence numbers and securing exempt papers."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import MeetingPage


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from .calendars import record_calendar_change
    from .exempt import secure_exempt_papers

    secure_exempt_papers(instance)
    record_calendar_change(instance)
