"""A worker killed mid-job: the sweeper queues the job again and another worker finishes it, once,
with every chunk's segments stored exactly once.

Real processes throughout: `db_worker` (killed with SIGKILL, so nothing in it gets to clean up),
then the sweeper, then a second `db_worker`. The sweeper runs both ways it runs in production:
`manage.py sweep_transcription_jobs`, and the periodic sweep task the second worker picks up by
itself (what `make run` relies on).
"""

import os
import signal
import time

import pytest
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from transcription import jobs
from transcription.models import JobStatus, TranscriptSegment
from transcription.scoring import similarity

from .job_helpers import DATABASE_TASKS, make_meeting, make_recording
from .workers import (
    WorkerDatabase,
    duplicate_segments,
    manage,
    start_worker,
    stop_worker,
    wait_for,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Short chunks, so the worker is certainly mid-job when it is killed; a heartbeat every second.
WORKER_SETTINGS = {
    "TRANSCRIPTION_CHUNK_SECONDS": 15,
    "TRANSCRIPTION_CHUNK_OVERLAP": 3,
    "TRANSCRIPTION_HEARTBEAT_SECONDS": 1,
}
MIN_SIMILARITY = 0.6


@pytest.mark.parametrize("sweeper", ["command", "periodic task"])
def test_a_killed_worker_s_job_completes_once_with_no_duplicate_segments(
    board_index, settings, meeting_recording, tmp_path, sweeper
):
    settings.TASKS = DATABASE_TASKS
    worker_settings = dict(WORKER_SETTINGS)
    if sweeper == "periodic task":
        # The first sweep is scheduled by the upload (this process), the next ones by the worker.
        settings.TRANSCRIPTION_SWEEP_INTERVAL_SECONDS = 2
        worker_settings["TRANSCRIPTION_SWEEP_INTERVAL_SECONDS"] = 2
        worker_settings["TRANSCRIPTION_STALE_AFTER_SECONDS"] = 3
    recording = make_recording(
        make_meeting(board_index), path=meeting_recording.path, name="hwb.mp3"
    )
    job = jobs.queue_transcription(recording)
    database = WorkerDatabase(tmp_path)
    database.push()
    env = database.env(**worker_settings)

    first = start_worker(env, tmp_path / "first.log", "first-worker")
    try:
        at_kill = wait_for(
            lambda: (s := database.job(job.pk))["chunks_done"] >= 1 and s,
            timeout=120,
            interval=0.05,
            what="the first chunk",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        stop_worker(first)
    assert at_kill["status"] == "running"
    assert at_kill["chunks_done"] < at_kill["chunks_total"], "finished before it could be killed"
    killed = database.job(job.pk)
    assert killed["status"] == "running"  # nothing cleaned up after the kill

    if sweeper == "command":
        # With a stale time shorter than the time since the last heartbeat.
        time.sleep(1.5)
        swept = manage(env, "sweep_transcription_jobs", "--stale-after", "1")
        assert swept.returncode == 0, swept.stderr
        assert "1 stopped job(s) queued again" in swept.stdout
        assert database.job(job.pk)["status"] == "queued"

    second = start_worker(env, tmp_path / "second.log", "second-worker")
    try:
        state = wait_for(
            lambda: (s := database.job(job.pk))["status"] in ("done", "failed") and s,
            timeout=150,
            interval=0.5,
            what="the second worker",
        )
    finally:
        stop_worker(second)
    assert state["status"] == "done", (tmp_path / "second.log").read_text()
    database.pull()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert "second-worker" in job.worker_id
    assert job.chunks_done == job.chunks_total == killed["chunks_total"]
    assert duplicate_segments(recording) == {}
    segments = list(TranscriptSegment.objects.filter(recording=recording).order_by("start"))
    assert {segment.chunk_index for segment in segments} == set(range(job.chunks_total))
    # Chunks tile the recording: no segment starts before the previous chunk's last one ends.
    for before, after in zip(segments, segments[1:], strict=False):
        if after.chunk_index != before.chunk_index:
            assert after.chunk_index == before.chunk_index + 1
            assert after.start >= before.end - 0.01
    transcript = " ".join(segment.text for segment in segments)
    assert similarity(meeting_recording.text, transcript) >= MIN_SIMILARITY, transcript

    # Completed once: the killed run never finished, the second did, and one requeue is logged.
    runs = DBTaskResult.objects.filter(task_path__endswith="transcribe_recording_task")
    assert sorted(run.status for run in runs) == ["RUNNING", "SUCCESSFUL"]
    assert runs.get(status="SUCCESSFUL").return_value == "done"
    assert ModelLogEntry.objects.filter(action="transcription.requeue").count() == 1
    if sweeper == "periodic task":
        sweeps = DBTaskResult.objects.filter(
            task_path__endswith="sweep_transcription_jobs_task", status="SUCCESSFUL"
        )
        assert any("second-worker" in sweep.worker_ids for sweep in sweeps)
