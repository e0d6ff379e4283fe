"""Publishing a recording with its meeting: the officer's decision, checked and logged.

Publishing makes the recording's public stretches (`transcription.public`) readable and audible on
the meeting page; it never publishes the meeting page itself, which keeps its own moderation.
"""

from django.db import transaction
from wagtail.log_actions import log

from .models import JobStatus
from .public import public_stretches

NOT_TRANSCRIBED = "The recording cannot be published until its transcription is done."
PRIVATE_MEETING = (
    "The meeting is closed to the public, so its recording cannot be published. Change the "
    "meeting's settings first if that is wrong."
)
NOT_ALIGNED = (
    "No agenda item has been marked in the recording yet, so nothing of it would be shown. "
    "Mark the items' starts first."
)


class PublishRefused(Exception):
    """Why a recording cannot be published, in the officer's words."""


def publication_summary(recording):
    """What the public would get: the agenda items shown and withheld. Two queries."""
    items = list(recording.meeting.agenda_items.all().order_by("sort_order"))
    aligned = set(recording.spans.values_list("agenda_item_id", flat=True))
    return {
        "item_count": len(items),
        "aligned_count": sum(1 for item in items if item.pk in aligned),
        "shown": [item for item in items if item.pk in aligned and not item.is_exempt],
        "exempt": [item for item in items if item.is_exempt],
        "not_aligned": [item for item in items if item.pk not in aligned and not item.is_exempt],
    }


def set_published(recording, publish, *, user):
    """Publish or withdraw `recording`. Raises PublishRefused; returns whether anything changed."""
    publish = bool(publish)
    if publish == recording.publish_recording:
        return False
    if publish:
        job = recording.latest_job
        if job is None or job.status != JobStatus.DONE:
            raise PublishRefused(NOT_TRANSCRIBED)
        if recording.meeting.is_private:
            raise PublishRefused(PRIVATE_MEETING)
        if not public_stretches(recording):
            raise PublishRefused(NOT_ALIGNED)
    with transaction.atomic():
        recording.publish_recording = publish
        recording.save(update_fields=["publish_recording"])
        log(
            instance=recording,
            action="transcription.publish" if publish else "transcription.unpublish",
            user=user,
        )
    return True
