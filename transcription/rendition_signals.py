"""Keep the published audio, and the meeting page's flag, in step with what is public.

Connected in apps.py.

A span saved or deleted, a recording published, a meeting's page published (which may have made an
item exempt): each has the recording's public audio rebuilt once the transaction commits, if its
public stretches changed. Bulk updates send no signals: whoever makes them calls
`renditions.refresh_public_audio`. Whatever is missed, the public audio view never serves audio
made for other stretches, and asks for a rebuild itself.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from .bulk_changes import in_bulk_change
from .models import Recording, TranscriptSpan
from .renditions import refresh_public_audio

# Saving these alone is the rebuild itself (or a transcript edit), not a change to what is public.
OWN_FIELDS = {"public_audio", "public_audio_key"}


def span_changed(sender, instance, raw=False, **kwargs):
    if raw or in_bulk_change():
        return
    recording = Recording.objects.filter(pk=instance.recording_id, publish_recording=True).first()
    refresh_public_audio(recording)


def recording_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created:
        return
    if update_fields is not None and set(update_fields) <= OWN_FIELDS:
        return
    refresh_public_audio(instance)


def meeting_published(sender, instance, **kwargs):
    for recording in Recording.objects.filter(meeting_id=instance.pk, publish_recording=True):
        refresh_public_audio(recording)


def connect():
    from meetings.models import MeetingPage

    post_save.connect(span_changed, sender=TranscriptSpan, dispatch_uid="public_audio_span_saved")
    post_delete.connect(
        span_changed, sender=TranscriptSpan, dispatch_uid="public_audio_span_deleted"
    )
    post_save.connect(recording_saved, sender=Recording, dispatch_uid="public_audio_recording")
    page_published.connect(
        meeting_published, sender=MeetingPage, dispatch_uid="public_audio_meeting_published"
    )
