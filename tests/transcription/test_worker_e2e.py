"""End to end with a real worker: an officer uploads a recording, `manage.py db_worker` (a separate
process, faster-whisper with the bundled tiny.en) transcribes it, the officer reads the transcript.

The recording is the engine's synthetic meeting (espeak-ng voices reading the minutes of
11 January 2017, about a minute and a half); the transcript is compared with the script it was
spoken from by word error rate, not exact text.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from transcription.models import JobStatus, Recording, TranscriptSegment
from transcription.scoring import similarity

from .job_helpers import DATABASE_TASKS, make_meeting, make_officer
from .workers import WorkerDatabase, duplicate_segments, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# tiny.en on synthetic voices: about 0.8 of the words right on this meeting (see the README's
# figures); a broken pipeline (chunks lost or repeated, wrong audio) falls far below.
MIN_SIMILARITY = 0.65
CHUNK_SETTINGS = {"TRANSCRIPTION_CHUNK_SECONDS": 20, "TRANSCRIPTION_CHUNK_OVERLAP": 4}


def test_an_uploaded_recording_is_transcribed_by_a_real_worker(
    client, board_index, django_user_model, settings, meeting_recording, tmp_path
):
    settings.TASKS = DATABASE_TASKS  # the test process enqueues into the database, as the site does
    meeting = make_meeting(board_index)
    client.force_login(make_officer(django_user_model))

    with open(meeting_recording.path, "rb") as audio:
        response = client.post(
            reverse("transcription:meeting", args=[meeting.pk]),
            {"file": audio},
        )
    assert response.status_code == 302
    recording = Recording.objects.get()
    job = recording.latest_job
    assert job.status == JobStatus.QUEUED

    database = WorkerDatabase(tmp_path)
    database.push()
    env = database.env(**CHUNK_SETTINGS)
    worker = start_worker(env, tmp_path / "worker.log", "e2e-worker")
    try:
        state = wait_for(
            lambda: (s := database.job(job.pk))["status"] in ("done", "failed") and s,
            timeout=150,
            interval=0.5,
            what="the transcription",
        )
    finally:
        stop_worker(worker)
    log = (tmp_path / "worker.log").read_text()
    assert state["status"] == "done", log
    database.pull()

    job.refresh_from_db()
    recording.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "e2e-worker" in job.worker_id
    assert job.attempts == 1
    assert job.chunks_done == job.chunks_total == 5  # about 90 seconds in chunks of 20
    assert recording.duration == pytest.approx(meeting_recording.duration, abs=0.5)
    assert duplicate_segments(recording) == {}
    segments = list(TranscriptSegment.objects.filter(recording=recording).order_by("start"))
    assert {segment.chunk_index for segment in segments} == set(range(job.chunks_total))
    transcript = " ".join(segment.text for segment in segments)
    assert similarity(meeting_recording.text, transcript) >= MIN_SIMILARITY, transcript
    [task] = DBTaskResult.objects.filter(task_path__endswith="transcribe_recording_task")
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")

    page = client.get(reverse("transcription:recording", args=[recording.pk])).content.decode()
    assert "The transcript is ready." in page
    page = client.get(reverse("transcription:transcript", args=[recording.pk])).content.decode()
    assert escape(segments[0].text) in page
    assert "0:00:00" in page
