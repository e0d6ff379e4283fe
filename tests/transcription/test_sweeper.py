"""The sweeper: jobs whose worker stopped are queued again, or failed after repeated stops.

Tasks go to the database backend here (nothing runs them), so what the sweeper enqueues can be
seen as rows.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from transcription import jobs
from transcription.models import JobStatus, SweeperState, TranscriptionJob
from transcription.sweeper import (
    WORKER_STOPPED_REPEATEDLY,
    ensure_periodic_sweep,
    periodic_sweep,
    sweep,
)

from .job_helpers import DATABASE_TASKS, make_meeting, make_recording

TRANSCRIBE = "transcription.tasks.transcribe_recording_task"
SWEEP = "transcription.tasks.sweep_transcription_jobs_task"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TRANSCRIPTION_STALE_AFTER_SECONDS = 120
    settings.TRANSCRIPTION_MAX_ATTEMPTS = 3
    settings.TRANSCRIPTION_SWEEP_INTERVAL_SECONDS = 60


@pytest.fixture
def recording(board_index):
    return make_recording(make_meeting(board_index))


def running_job(recording, *, beat_ago, attempts=1, chunks_done=2):
    now = timezone.now()
    return TranscriptionJob.objects.create(
        recording=recording,
        status=JobStatus.RUNNING,
        run_token="run-of-a-dead-worker",
        worker_id="host:123",
        attempts=attempts,
        chunks_done=chunks_done,
        chunks_total=10,
        started_at=now - datetime.timedelta(minutes=30),
        heartbeat_at=now - beat_ago,
    )


def transcribe_tasks(job):
    return [
        result
        for result in DBTaskResult.objects.filter(task_path=TRANSCRIBE)
        if result.args_kwargs["args"] == [job.pk]
    ]


def test_a_job_whose_heartbeat_stopped_is_queued_again_with_a_new_task(recording):
    job = running_job(recording, beat_ago=datetime.timedelta(minutes=5))

    report = sweep()

    job.refresh_from_db()
    assert report.requeued == [job.pk]
    assert job.status == JobStatus.QUEUED
    assert job.run_token == ""
    assert job.chunks_done == 2  # carries on from where it got to
    assert "worker stopped" in job.note
    [task] = transcribe_tasks(job)
    assert task.status == "READY"
    assert job.task_result_id == str(task.id)
    assert ModelLogEntry.objects.filter(action="transcription.requeue").count() == 1


def test_a_job_with_a_recent_heartbeat_is_left_alone(recording):
    job = running_job(recording, beat_ago=datetime.timedelta(seconds=30))

    report = sweep()

    job.refresh_from_db()
    assert report.requeued == report.failed == []
    assert job.status == JobStatus.RUNNING
    assert job.run_token == "run-of-a-dead-worker"
    assert transcribe_tasks(job) == []


def test_the_stale_time_is_a_setting(recording, settings):
    job = running_job(recording, beat_ago=datetime.timedelta(seconds=30))
    settings.TRANSCRIPTION_STALE_AFTER_SECONDS = 10

    assert sweep().requeued == [job.pk]


def test_a_job_that_stopped_its_worker_repeatedly_fails_with_a_reason(recording):
    job = running_job(recording, beat_ago=datetime.timedelta(minutes=5), attempts=3)

    report = sweep()

    job.refresh_from_db()
    assert report.failed == [job.pk]
    assert job.status == JobStatus.FAILED
    assert job.error == WORKER_STOPPED_REPEATEDLY
    assert "stopped repeatedly" in job.status_message
    assert job.finished_at is not None
    assert transcribe_tasks(job) == []


def test_the_old_run_cannot_write_after_its_job_was_queued_again(recording):
    job = running_job(recording, beat_ago=datetime.timedelta(minutes=5))
    sweep()
    old_run = jobs.JobRun(job.pk, run_token="run-of-a-dead-worker")

    with pytest.raises(jobs.JobSuperseded):
        old_run.store_chunk(2, 10, [])
    assert old_run.should_stop()
    job.refresh_from_db()
    assert job.chunks_done == 2


def test_a_queued_job_whose_task_was_lost_gets_a_new_one(recording):
    job = jobs.queue_transcription(recording)
    lost_id = job.task_result_id
    DBTaskResult.objects.filter(id=lost_id).delete()
    TranscriptionJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    report = sweep()

    job.refresh_from_db()
    assert report.reenqueued == [job.pk]
    assert job.status == JobStatus.QUEUED
    assert job.task_result_id != lost_id
    assert [str(task.id) for task in transcribe_tasks(job)] == [job.task_result_id]


def test_a_queued_job_waiting_for_a_worker_is_not_given_a_second_task(recording):
    job = jobs.queue_transcription(recording)
    TranscriptionJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=3)
    )

    assert sweep().reenqueued == []
    assert len(transcribe_tasks(job)) == 1


def test_the_command_sweeps_with_its_own_stale_time(recording):
    job = running_job(recording, beat_ago=datetime.timedelta(seconds=5))
    out = io.StringIO()

    call_command("sweep_transcription_jobs", stale_after=60, stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    call_command("sweep_transcription_jobs", stale_after=1, stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "1 stopped job(s) queued again" in out.getvalue()


def sweep_tasks():
    return list(DBTaskResult.objects.filter(task_path=SWEEP).order_by("enqueued_at"))


def test_queueing_a_job_schedules_one_periodic_sweep(recording):
    before = timezone.now()
    jobs.queue_transcription(recording)
    jobs.queue_transcription(make_recording(recording.meeting, name="second.wav"))

    [scheduled] = sweep_tasks()
    assert scheduled.status == "READY"
    assert scheduled.run_after >= before + datetime.timedelta(seconds=59)
    assert SweeperState.objects.get().task_result_id == str(scheduled.id)


def test_the_periodic_sweep_reschedules_itself_only_while_jobs_are_active(recording):
    job = jobs.queue_transcription(recording)
    head = SweeperState.objects.get().task_result_id

    periodic_sweep(head)
    state = SweeperState.objects.get()
    assert state.task_result_id != head
    assert len(sweep_tasks()) == 2
    assert state.last_swept_at is not None

    TranscriptionJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    periodic_sweep(state.task_result_id)
    state.refresh_from_db()
    assert state.next_run_at is None
    assert len(sweep_tasks()) == 2


def test_a_sweep_that_is_no_longer_the_head_of_the_chain_does_not_reschedule(recording):
    jobs.queue_transcription(recording)
    head = SweeperState.objects.get().task_result_id

    periodic_sweep("an-older-sweep")

    assert SweeperState.objects.get().task_result_id == head
    assert len(sweep_tasks()) == 1


def test_an_overdue_sweep_is_replaced(recording):
    jobs.queue_transcription(recording)
    state = SweeperState.objects.get()
    state.next_run_at = timezone.now() - datetime.timedelta(minutes=10)
    state.save()

    new_head = ensure_periodic_sweep()

    assert new_head != state.task_result_id
    assert len(sweep_tasks()) == 2


def test_no_periodic_sweep_with_a_backend_that_cannot_defer(settings, recording):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert ensure_periodic_sweep() is None
    assert not SweeperState.objects.exists()
