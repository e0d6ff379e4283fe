"""The job state machine: chunks stored once, resume, cancel, retry, and failures a clerk can read.

The pipeline and the audio reading are the real ones; the engine is `ScriptedEngine`, a real
engine (it implements the engine interface) that returns two segments per window of audio,
saying where the window starts, so tests are fast and can check every chunk's segments exactly.
"""

import datetime
import logging
import os
import time

import pytest
from django.core.files.storage import InMemoryStorage
from django.utils import timezone
from django.utils._os import safe_join
from django_tasks_db.models import DBTaskResult

from transcription import jobs
from transcription.engine import Segment, Word
from transcription.models import (
    JobStatus,
    Recording,
    Speaker,
    TranscriptionJob,
    TranscriptSegment,
)
from transcription.sweeper import sweep

from .job_helpers import (
    DATABASE_TASKS,
    DUMMY_TASKS,
    make_meeting,
    make_recording,
    write_tone,
)

# 35 seconds in chunks of 10 (borders moved up to 1 second to a pause): 4 chunks.
SECONDS = 35
CHUNKS = 4


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the worker gets to handle it."""


class ScriptedEngine:
    """Two segments per window, named by the window's start; can fail or act at a given call."""

    name = "scripted"

    def __init__(self, *, speaker="", on_call=None):
        self.offsets = []
        self.contexts = []
        self.speaker = speaker
        self.on_call = on_call or {}

    def transcribe(self, audio, *, offset=0.0, vocabulary=None, context=""):
        call = len(self.offsets)
        self.offsets.append(offset)
        self.contexts.append(context)
        if call in self.on_call:
            self.on_call[call]()
        seconds = len(audio) / 16000
        middle = round(offset + seconds / 2, 3)
        return [
            self.segment(offset, middle, f"Window at {offset:.2f} begins."),
            self.segment(middle, round(offset + seconds, 3), f"Window at {offset:.2f} ends."),
        ]

    def segment(self, start, end, text):
        tokens = text.split()
        step = (end - start) / len(tokens)
        # As Whisper gives them: each word with the space before it.
        words = [
            Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), f" {token}", 0.9)
            for i, token in enumerate(tokens)
        ]
        return Segment(start, end, text, words=words, speaker=self.speaker)


def raise_(error):
    def act():
        raise error

    return act


@pytest.fixture(autouse=True)
def job_settings(settings):
    settings.TASKS = DUMMY_TASKS  # queued jobs wait; the tests run them with run_job
    settings.TRANSCRIPTION_CHUNK_SECONDS = 10
    settings.TRANSCRIPTION_CHUNK_OVERLAP = 2
    settings.TRANSCRIPTION_HEARTBEAT_SECONDS = 3600
    settings.TRANSCRIPTION_ENGINE = f"{__name__}.ScriptedEngine"


@pytest.fixture(scope="module")
def tone(tmp_path_factory):
    return write_tone(tmp_path_factory.mktemp("audio") / "meeting.wav", SECONDS)


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


@pytest.fixture
def job(meeting, tone):
    return jobs.queue_transcription(make_recording(meeting, path=tone))


def stored(recording):
    return list(
        TranscriptSegment.objects.filter(recording=recording)
        .order_by("chunk_index", "start")
        .values_list("chunk_index", "text")
    )


def assert_each_chunk_stored_once(recording, engine_offsets):
    rows = stored(recording)
    expected = [
        (index, f"Window at {offset:.2f} {half}.")
        for index, offset in enumerate(engine_offsets)
        for half in ("begins", "ends")
    ]
    assert rows == expected


def test_a_job_runs_chunk_by_chunk_to_done(job):
    engine = ScriptedEngine()

    assert jobs.run_job(job.pk, engine=engine) == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.chunks_done, job.chunks_total, job.progress) == (CHUNKS, CHUNKS, 100)
    assert job.attempts == 1
    assert job.started_at <= job.finished_at
    assert job.seconds_per_chunk > 0
    assert job.worker_id
    assert job.run_token == ""
    assert job.note == ""
    assert len(engine.offsets) == CHUNKS
    assert_each_chunk_stored_once(job.recording, engine.offsets)
    job.recording.refresh_from_db()
    assert job.recording.duration == pytest.approx(SECONDS, abs=0.1)
    assert job.recording.language == "en"
    first = TranscriptSegment.objects.filter(recording=job.recording).earliest("start")
    assert set(first.words[0]) == {"start", "end", "text", "probability"}
    assert (first.words[0]["start"], first.words[0]["text"]) == (0.0, " Window")
    assert "".join(word["text"] for word in first.words) == " Window at 0.00 begins."


def test_the_task_runs_the_job_with_the_configured_engine(settings, meeting, tone):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    job = jobs.queue_transcription(make_recording(meeting, path=tone))

    assert job.status == JobStatus.DONE
    assert job.task_result_id
    assert TranscriptSegment.objects.filter(recording=job.recording).count() == 2 * CHUNKS


def test_progress_and_time_left_are_kept_after_each_chunk(job):
    seen = []

    def look():
        current = TranscriptionJob.objects.get(pk=job.pk)
        seen.append((current.status, current.chunks_done, current.progress, current.time_left))

    engine = ScriptedEngine(on_call={2: look})
    jobs.run_job(job.pk, engine=engine)

    [(status, done, progress, time_left)] = seen
    assert (status, done, progress) == (JobStatus.RUNNING, 2, 50)
    assert time_left is not None


def test_a_killed_worker_is_resumed_from_the_last_finished_chunk_with_no_duplicates(job):
    first = ScriptedEngine(on_call={2: raise_(WorkerKilled())})
    with pytest.raises(WorkerKilled):
        jobs.run_job(job.pk, engine=first)
    job.refresh_from_db()
    assert (job.status, job.chunks_done) == (JobStatus.RUNNING, 2)

    # Its heartbeat stops; the sweeper queues it again; another worker carries on.
    report = sweep(now=timezone.now() + datetime.timedelta(minutes=10))
    assert report.requeued == [job.pk]
    second = ScriptedEngine()
    assert jobs.run_job(job.pk, engine=second) == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert second.offsets[0] == first.offsets[2]  # the interrupted chunk, from its start
    # ... with the same hints as the uninterrupted run had (context, if the pipeline gives any).
    assert second.contexts[0] == first.contexts[2]
    assert len(second.offsets) == CHUNKS - 2
    assert_each_chunk_stored_once(job.recording, first.offsets[:2] + second.offsets)


def test_running_a_stored_chunk_again_replaces_its_segments(job):
    run = jobs.JobRun(job.pk, run_token="a-run")
    assert run.claim()
    run.store_chunk(0, CHUNKS, [Segment(0.0, 4.0, "First try.")])
    run.store_chunk(0, CHUNKS, [Segment(0.0, 4.0, "Second try."), Segment(4.0, 9.0, "More.")])

    assert stored(job.recording) == [(0, "Second try."), (0, "More.")]


def test_running_a_chunk_again_keeps_an_officer_s_corrections(job):
    run = jobs.JobRun(job.pk, run_token="a-run")
    assert run.claim()
    run.store_chunk(0, CHUNKS, [Segment(0.0, 4.0, "Cllr Rose."), Segment(4.0, 9.0, "More.")])
    corrected = TranscriptSegment.objects.get(recording=job.recording, start=0.0)
    corrected.correct(user=None, text="Councillor Roche.")

    run.store_chunk(0, CHUNKS, [Segment(0.0, 4.5, "Cllr Rose again."), Segment(4.5, 9.0, "Then.")])

    assert stored(job.recording) == [(0, "Councillor Roche."), (0, "Then.")]


def test_segments_of_a_chunk_starting_at_the_same_time_are_joined(job):
    run = jobs.JobRun(job.pk, run_token="a-run")
    run.claim()
    run.store_chunk(
        0,
        CHUNKS,
        [Segment(1.0, 2.0, "Good"), Segment(1.0, 3.0, "morning."), Segment(3.0, 3.0, " ")],
    )

    [row] = TranscriptSegment.objects.filter(recording=job.recording)
    assert (row.text, row.start, row.end) == ("Good morning.", 1.0, 3.0)


def test_speaker_labels_become_speakers_of_the_recording(job):
    jobs.run_job(job.pk, engine=ScriptedEngine(speaker="Speaker 2"))

    [speaker] = Speaker.objects.filter(recording=job.recording)
    assert speaker.label == "Speaker 2"
    assert TranscriptSegment.objects.filter(speaker=speaker).count() == 2 * CHUNKS


def test_cancelling_stops_the_worker_and_keeps_what_was_done(job):
    engine = ScriptedEngine(
        on_call={1: lambda: jobs.cancel(TranscriptionJob.objects.get(pk=job.pk))}
    )

    assert jobs.run_job(job.pk, engine=engine) == "stopped"

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.chunks_done == 1
    assert "Cancelled" in job.status_message
    assert stored(job.recording) == [
        (0, f"Window at {engine.offsets[0]:.2f} begins."),
        (0, f"Window at {engine.offsets[0]:.2f} ends."),
    ]

    # Retrying carries on from the chunk that was interrupted.
    assert jobs.retry(job)
    again = ScriptedEngine()
    assert jobs.run_job(job.pk, engine=again) == "done"
    assert len(again.offsets) == CHUNKS - 1
    assert_each_chunk_stored_once(job.recording, engine.offsets[:1] + again.offsets)


def test_a_cancelled_queued_job_is_skipped_by_the_worker(job):
    assert jobs.cancel(job)
    engine = ScriptedEngine()

    assert jobs.run_job(job.pk, engine=engine) == "skipped"
    assert engine.offsets == []
    assert not jobs.cancel(job)  # already cancelled


def test_a_job_running_elsewhere_is_not_run_twice(job):
    assert jobs.JobRun(job.pk, run_token="first-worker").claim()
    engine = ScriptedEngine()

    assert jobs.run_job(job.pk, engine=engine) == "skipped"
    assert engine.offsets == []


def test_retry_only_failed_or_cancelled_jobs(job, settings):
    settings.TASKS = DATABASE_TASKS
    assert not jobs.retry(job)  # queued
    TranscriptionJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error="The file is not audio.", attempts=3
    )

    assert jobs.retry(job)

    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.QUEUED, "", 0)
    task = DBTaskResult.objects.get(id=job.task_result_id)
    assert task.args_kwargs["args"] == [job.pk]
    TranscriptionJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    assert not jobs.retry(job)


def test_an_unexpected_error_fails_the_job_with_a_general_message_and_logs_the_detail(job, caplog):
    engine = ScriptedEngine(on_call={1: raise_(RuntimeError("CTranslate2 ran out of memory"))})

    with caplog.at_level(logging.ERROR, logger="transcription.jobs"):
        assert jobs.run_job(job.pk, engine=engine) == "failed"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == jobs.UNEXPECTED_FAILURE
    assert "CTranslate2" not in job.error
    assert "CTranslate2 ran out of memory" in caplog.text
    assert job.chunks_done == 1  # nothing already transcribed is lost
    assert TranscriptSegment.objects.filter(recording=job.recording).count() == 2


def test_a_worker_being_shut_down_hands_the_job_back_at_once(job, settings):
    settings.TASKS = DATABASE_TASKS
    engine = ScriptedEngine(on_call={1: raise_(SystemExit(1))})

    with pytest.raises(SystemExit):
        jobs.run_job(job.pk, engine=engine)

    job.refresh_from_db()
    assert (job.status, job.chunks_done) == (JobStatus.QUEUED, 1)
    assert "shut down" in job.note
    assert DBTaskResult.objects.filter(id=job.task_result_id, status="READY").exists()


def test_a_file_missing_from_storage_fails_with_a_message(job):
    job.recording.file.delete(save=False)

    assert jobs.run_job(job.pk, engine=ScriptedEngine()) == "failed"
    job.refresh_from_db()
    assert job.error == jobs.MISSING_FILE


class ObjectStorage(InMemoryStorage):
    """Like S3 and the like: files are there to open, but have no local path."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):
        return os.path.relpath(safe_join(self.location, name), self.location)


def test_a_storage_without_local_paths_is_copied_for_the_worker(monkeypatch, meeting, tone):
    monkeypatch.setattr(Recording._meta.get_field("file"), "storage", ObjectStorage())
    recording = make_recording(meeting, path=tone)
    job = jobs.queue_transcription(recording)

    assert jobs.run_job(job.pk, engine=ScriptedEngine()) == "done"
    assert TranscriptSegment.objects.filter(recording=recording).count() == 2 * CHUNKS


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not_audio", "is not a recording we can read"),
        ("image", "is not a recording we can read"),
        ("zero_length", "is empty"),
        ("corrupt_mp3", "is not a recording we can read"),
    ],
)
def test_a_file_that_is_not_usable_audio_fails_with_a_clerks_message(
    meeting, bad_recordings, kind, message
):
    path = bad_recordings[kind]
    recording = make_recording(meeting, path=path, name=f"HWB {path.name}")
    job = jobs.queue_transcription(recording)
    engine = ScriptedEngine()

    assert jobs.run_job(job.pk, engine=engine) == "failed"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert message in job.error
    assert f"HWB {path.name}" in job.error  # the name the clerk knows, not the stored one
    assert "Traceback" not in job.error
    assert engine.offsets == []


def test_silence_ends_done_with_no_speech_found(meeting, bad_recordings):
    job = jobs.queue_transcription(make_recording(meeting, path=bad_recordings["silence"]))

    assert jobs.run_job(job.pk, engine=ScriptedEngine()) == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "No speech was found" in job.status_message
    assert not TranscriptSegment.objects.filter(recording=job.recording).exists()


def test_a_truncated_recording_keeps_what_could_be_read_and_says_so(meeting, bad_recordings):
    job = jobs.queue_transcription(make_recording(meeting, path=bad_recordings["truncated_mp3"]))

    assert jobs.run_job(job.pk, engine=ScriptedEngine()) == "done"

    job.refresh_from_db()
    assert "could not be read" in job.note
    assert TranscriptSegment.objects.filter(recording=job.recording).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heartbeat_keeps_beating_during_a_long_chunk(board_index, tone):
    recording = make_recording(make_meeting(board_index), path=tone)
    job = TranscriptionJob.objects.create(recording=recording)
    run = jobs.JobRun(job.pk, run_token="a-run")
    run.claim()
    TranscriptionJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    before = TranscriptionJob.objects.get(pk=job.pk).heartbeat_at

    with jobs.Heartbeat(job.pk, "a-run", interval=0.05) as heartbeat:
        deadline = time.monotonic() + 10
        while TranscriptionJob.objects.get(pk=job.pk).heartbeat_at == before:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
    assert not heartbeat.thread.is_alive()
    assert TranscriptionJob.objects.get(pk=job.pk).heartbeat_at > before


def test_a_failing_follow_up_step_is_noted_and_the_transcript_stays_done(job, monkeypatch, caplog):
    def broken(recording):
        raise RuntimeError("no agenda")

    monkeypatch.setattr("transcription.alignment.align_from_transcript", broken)
    assert jobs.run_job(job.pk, engine=ScriptedEngine()) == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "Marking the agenda items could not be done automatically" in job.note
    assert TranscriptSegment.objects.filter(recording=job.recording).count() == 2 * CHUNKS
    assert "marking the agenda items failed" in caplog.text


def test_voices_are_grouped_unless_turned_off(job, settings, monkeypatch):
    grouped = []
    monkeypatch.setattr(
        "transcription.voices.label_speakers", lambda recording, path: grouped.append(path)
    )
    settings.TRANSCRIPTION_LABEL_SPEAKERS = False
    jobs.run_job(job.pk, engine=ScriptedEngine())
    assert grouped == []

    settings.TRANSCRIPTION_LABEL_SPEAKERS = True
    again = jobs.queue_transcription(job.recording)
    jobs.run_job(again.pk, engine=ScriptedEngine())
    assert len(grouped) == 1
