"""The demo's recording of 11 January 2017: attached, published by the board, and queued for the
task worker once the load commits (so `make run` shows a transcript a few seconds after start)."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from home.demo.recording import RECORDING_PATH
from transcription.audio import probe
from transcription.models import JobStatus, Recording

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_demo_recording_is_attached_once_and_queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("load_demo_data", stdout=io.StringIO())

    recording = Recording.objects.get()
    assert recording.meeting.title.endswith("11 January 2017")
    assert recording.publish_recording
    assert recording.latest_job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="transcribe_recording_task").count() == 1
    with recording.file.open("rb") as stored:
        assert stored.read() == RECORDING_PATH.read_bytes()
    assert probe(recording.file.path).duration == pytest.approx(97.8, abs=0.5)

    call_command("load_demo_data", stdout=io.StringIO())
    assert Recording.objects.count() == 1
    assert recording.jobs.count() == 1
