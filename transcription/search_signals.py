"""Keeping recordings' public transcripts in the search index as what is public changes.

A recording is indexed only while `public.published_recordings()` holds it, with only its public
text (search_index.py). Each change that can alter either brings it into line:

- the recording is saved (published or withdrawn by the board) or its transcription job is
  created (a new run withdraws it until it is done) or finishes (its segments were replaced);
- a span is marked, moved or removed, or a segment is corrected: the public text changes;
- its meeting is published (agenda items made exempt, the meeting made private), unpublished or
  moved, or a view restriction is put on or taken off the meeting or a page above it.

Cascades from a deleted recording or page need nothing: the index rows of a deleted recording
go with it (they are its `index_entries`).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks.signals import task_finished
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from meetings.models import MeetingPage

from .bulk_changes import in_bulk_change
from .models import Recording, TranscriptionJob, TranscriptSegment, TranscriptSpan
from .search_index import reindex_recordings


@receiver(post_save, sender=Recording)
def recording_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_recordings([instance.pk])


@receiver(post_save, sender=TranscriptionJob)
def job_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_recordings([instance.recording_id])


@receiver(post_save, sender=TranscriptSpan)
@receiver(post_save, sender=TranscriptSegment)
def transcript_changed(sender, instance, raw=False, **kwargs):
    if not raw and not in_bulk_change():
        reindex_recordings([instance.recording_id])


@receiver(post_delete, sender=TranscriptSpan)
@receiver(post_delete, sender=TranscriptSegment)
def transcript_part_deleted(sender, instance, origin=None, **kwargs):
    # Deleted with its recording or meeting: the recording's index rows go with it.
    if isinstance(origin, (Recording, Page)) or in_bulk_change():
        return
    reindex_recordings([instance.recording_id])


@receiver(task_finished)
def transcription_finished(sender, task_result, **kwargs):
    """A transcription run stored its segments in bulk (no signals): index what it made."""
    from .tasks import transcribe_recording_task

    if task_result.task.module_path != transcribe_recording_task.module_path:
        return
    job_id = (task_result.args or [None])[0]
    if job_id is not None:
        reindex_recordings(TranscriptionJob.objects.filter(pk=job_id).values("recording_id"))


@receiver(page_published, sender=MeetingPage)
@receiver(page_unpublished, sender=MeetingPage)
def meeting_changed(sender, instance, **kwargs):
    # Published again, its items may have been made exempt: index the text afresh.
    reindex_recordings(Recording.objects.filter(meeting=instance).values("pk"))


def _recordings_under(page):
    return Recording.objects.filter(meeting__path__startswith=page.path).values("pk")


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    reindex_recordings(_recordings_under(instance), refresh=False)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, raw=False, origin=None, **kwargs):
    # Deleted with its page: the recordings below went too.
    if raw or isinstance(origin, Page):
        return
    reindex_recordings(_recordings_under(instance.page), refresh=False)
