"""What happens once a transcript is finished: the first alignment, voices and published audio.

Each step is a help to the officer, not part of the transcript: a step that fails is logged and
noted on the job ("Agenda items could not be suggested: ..."), and the transcript stays done.
Officers' own work is never overwritten: alignment is only suggested for a recording with no
spans, and speaker labels leave corrected segments and mapped speakers alone.
"""

import logging

from django.conf import settings

from .models import TranscriptionJob

logger = logging.getLogger(__name__)

STEP_FAILED = "{what} could not be done automatically; the transcript is complete. Do it by hand."


def _align(recording, path):
    from .alignment import align_from_transcript

    align_from_transcript(recording)


def _label_voices(recording, path):
    if not getattr(settings, "TRANSCRIPTION_LABEL_SPEAKERS", True):
        return
    if recording.segments.filter(speaker__isnull=False).exists():
        # The engine told the voices apart itself, or an earlier run was labelled and perhaps
        # mapped to people since: either way the labels stand.
        return
    from .voices import label_speakers

    label_speakers(recording, path)


def _refresh_public_audio(recording, path):
    from .renditions import refresh_public_audio

    refresh_public_audio(recording)


STEPS = [
    ("Marking the agenda items", _align),
    ("Telling the voices apart", _label_voices),
    ("Preparing the published audio", _refresh_public_audio),
]


def after_transcription(job_id, path):
    """Run the follow-up steps for a finished job's recording; note any that failed."""
    job = TranscriptionJob.objects.select_related("recording__meeting").get(pk=job_id)
    failed = []
    for what, step in STEPS:
        try:
            step(job.recording, path)
        except Exception:
            logger.exception("Transcription job %s: %s failed.", job_id, what.lower())
            failed.append(STEP_FAILED.format(what=what))
    if failed:
        note = "\n\n".join(part for part in [job.note, *failed] if part)
        TranscriptionJob.objects.filter(pk=job_id).update(note=note)
    return failed
