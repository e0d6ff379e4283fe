"""The demo's recording: the 11 January 2017 meeting's opening and item 52, spoken by espeak-ng.

Made with `transcription.testing.recordings.short_meeting()` (eight voices reading the minutes),
converted to a 24 kbit/s mono mp3. The board publishes its recordings, so once the task worker
started by `make run` has transcribed it (a few seconds) and marked item 52 from the chair's cue,
the meeting page shows item 52's transcript and captions. Loading again leaves it alone.
"""

from pathlib import Path

from django.core.files import File
from django.db import transaction

RECORDING_PATH = Path(__file__).resolve().parent / "data" / "hwb-2017-01-11-recording.mp3"
MEETING_DATE = (2017, 1, 11)


def sync_demo_recording(meetings, summary):
    """Attach the recording to the January meeting and queue its transcription once committed."""
    from transcription.jobs import queue_transcription
    from transcription.models import Recording

    meeting = next(
        (m for m in meetings if m.local_start.timetuple()[:3] == MEETING_DATE),
        None,
    )
    if meeting is None:
        summary.notes.append("Demo recording: no meeting of 11 January 2017, skipped.")
        return None
    recording = meeting.recordings.first()
    if recording is not None:
        summary.record("recording")
        return recording
    recording = Recording(
        meeting=meeting,
        original_name=RECORDING_PATH.name,
        size=RECORDING_PATH.stat().st_size,
        content_type="audio/mpeg",
        publish_recording=True,
    )
    with RECORDING_PATH.open("rb") as audio:
        recording.file.save(RECORDING_PATH.name, File(audio), save=False)
    recording.save()
    transaction.on_commit(lambda: queue_transcription(recording))
    summary.record("recording", created=True)
    summary.notes.append("Demo recording: queued for the task worker to transcribe.")
    return recording
