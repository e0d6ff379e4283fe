"""The life of a transcription job: queued, running, then done, failed or cancelled.

    queued --(a worker claims it)--> running --(last chunk stored)--> done
      ^                               |--(bad audio, or any error)--> failed --(retry)--> queued
      |                               |--(officer cancels)--------> cancelled --(retry)--> queued
      \\--(sweeper: heartbeat stale)--/

A worker claims a queued job with a fresh `run_token`, and every later write it makes (chunks,
heartbeats, the final state) is conditional on that token and on the job still running. So an
officer's cancel, or the sweeper handing the job to another worker, takes effect at once: the old
run's next write matches no row, and it stops without storing anything.

Each chunk's segments are stored, and the chunk counted done, in one transaction after deleting
whatever that chunk had stored before; a job picked up again starts from `chunks_done`. Segments
are never lost or stored twice, whenever a worker dies.

The task never lets an exception out: bad audio ends the job "failed" with the clerk's message
from `audio.AudioError`, anything else "failed" with a general message (details in the log).
"""

import dataclasses
import inspect
import logging
import math
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import PurePath

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from .models import JobStatus, Recording, Speaker, TranscriptionJob, TranscriptSegment

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "The transcription stopped because of a problem on the server, not with the recording. "
    "Nothing already transcribed has been lost. Try again; if it fails again, ask the system "
    "administrator to look at the worker's log."
)
MISSING_FILE = (
    "The recording's file could not be found in storage, so it cannot be transcribed. Please "
    "upload the recording again."
)
NO_SPEECH = (
    "No speech was found in the recording. Check that it is the right file and that it has sound."
)
WORKER_SHUT_DOWN = (
    "The worker was shut down while transcribing; the job was queued again and carries on from "
    "the last finished part."
)
CANCELLED = "Cancelled by an officer. Parts already transcribed are kept: retry to carry on."


def setting(name, default):
    return getattr(settings, name, default)


class JobSuperseded(Exception):
    """The job is no longer this run's: an officer cancelled it, or another worker has it."""


class RecordingFileMissing(Exception):
    """The recording's file is not in storage."""


# Officer actions ---------------------------------------------------------------------------


def queue_transcription(recording, user=None):
    """Create a queued job for `recording` and hand it to the task backend.

    With no worker running the job simply stays queued ("waiting for a worker") until one starts.
    """
    job = TranscriptionJob.objects.create(recording=recording, requested_by=user)
    log(instance=recording, action="transcription.queue", user=user, data={"job": job.pk})
    enqueue(job)
    job.refresh_from_db()
    return job


def enqueue(job):
    """Enqueue a task for the job and remember its id; make sure stale jobs will be swept.

    Called after the job's state has been committed, so a worker on another host sees it.
    """
    from .sweeper import ensure_periodic_sweep
    from .tasks import transcribe_recording_task

    result = transcribe_recording_task.enqueue(job.pk)
    TranscriptionJob.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])
    ensure_periodic_sweep()
    return result


def cancel(job, user=None):
    """Cancel a queued or running job. Returns False if it had already finished.

    A running worker notices between chunks (and cannot store anything after this).
    """
    cancelled = TranscriptionJob.objects.filter(
        pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(status=JobStatus.CANCELLED, run_token="", finished_at=timezone.now(), note=CANCELLED)
    if cancelled:
        log(instance=job.recording, action="transcription.cancel", user=user, data={"job": job.pk})
    job.refresh_from_db()
    return bool(cancelled)


def retry(job, user=None):
    """Queue a failed or cancelled job again; it carries on from its last finished chunk."""
    requeued = TranscriptionJob.objects.filter(
        pk=job.pk, status__in=[JobStatus.FAILED, JobStatus.CANCELLED]
    ).update(
        status=JobStatus.QUEUED,
        run_token="",
        error="",
        note="",
        finished_at=None,
        attempts=0,
        requested_by=user,
    )
    if requeued:
        log(instance=job.recording, action="transcription.retry", user=user, data={"job": job.pk})
        enqueue(job)
    job.refresh_from_db()
    return bool(requeued)


# The worker's side --------------------------------------------------------------------------


def worker_name(task_worker_id=""):
    """Host and process, so an administrator can find the worker; plus the backend's worker id."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    return f"{name} ({task_worker_id})"[:255] if task_worker_id else name


def run_job(job_id, *, engine=None, worker_id="", run_token=None):
    """Transcribe the job's recording, from its last finished chunk. Returns the outcome.

    The outcome is one of "done", "failed", "stopped" (cancelled or taken over meanwhile) and
    "skipped" (not queued when this run started: cancelled, finished, or running elsewhere).
    Never raises, except when the worker itself is being shut down (the job is then queued
    again at once, for the next worker).
    """
    from .pipeline import TranscriptionStopped

    run = JobRun(job_id, run_token=run_token or uuid.uuid4().hex, worker_id=worker_id)
    try:
        if not run.claim():
            logger.info("Transcription job %s is not queued; nothing to do.", job_id)
            return "skipped"
        with Heartbeat(job_id, run.run_token):
            return run.transcribe(engine)
    except (JobSuperseded, TranscriptionStopped):
        logger.info("Transcription job %s was cancelled or taken over; stopping.", job_id)
        return "stopped"
    except (KeyboardInterrupt, SystemExit):
        run.release()
        raise
    except Exception:
        logger.exception("Transcription job %s failed unexpectedly.", job_id)
        run.fail(UNEXPECTED_FAILURE)
        return "failed"


class JobRun:
    """One worker's run of one job: claims it, stores chunks, finishes it."""

    def __init__(self, job_id, *, run_token, worker_id=""):
        self.job_id = job_id
        self.run_token = run_token
        self.worker_id = worker_id or worker_name()
        self.chunks_this_run = 0
        self.started = time.monotonic()
        self.speakers = {}

    def mine(self):
        """This run's job, if it is still running under this run's token."""
        return TranscriptionJob.objects.filter(
            pk=self.job_id, run_token=self.run_token, status=JobStatus.RUNNING
        )

    def claim(self):
        now = timezone.now()
        return bool(
            TranscriptionJob.objects.filter(pk=self.job_id, status=JobStatus.QUEUED).update(
                status=JobStatus.RUNNING,
                run_token=self.run_token,
                worker_id=self.worker_id[:255],
                attempts=F("attempts") + 1,
                started_at=now,
                heartbeat_at=now,
                finished_at=None,
                error="",
                note="",
                seconds_per_chunk=None,
            )
        )

    def transcribe(self, engine):
        from .audio import AudioError, probe
        from .pipeline import chunk_plan, transcribe_recording

        job = TranscriptionJob.objects.select_related("recording__meeting").get(pk=self.job_id)
        recording = job.recording
        # A resumed job keeps the chunking it started with, whatever the settings say now.
        chunk_seconds = job.chunk_seconds or setting("TRANSCRIPTION_CHUNK_SECONDS", 60.0)
        overlap = (
            job.chunk_overlap
            if job.chunk_overlap is not None
            else setting("TRANSCRIPTION_CHUNK_OVERLAP", 8.0)
        )
        try:
            with local_copy(recording.file) as path:
                info = probe(path, name=recording.original_name)
                chunks_total = len(chunk_plan(info.duration, chunk_seconds, overlap))
                Recording.objects.filter(pk=recording.pk).update(duration=info.duration)
                if not self.mine().update(
                    chunks_total=chunks_total,
                    chunk_seconds=chunk_seconds,
                    chunk_overlap=overlap,
                    heartbeat_at=timezone.now(),
                ):
                    raise JobSuperseded
                if engine is None:
                    from .engine import get_engine

                    engine = get_engine()
                start_chunk = min(job.chunks_done, chunks_total)
                resume = {}
                if "previous_text" in inspect.signature(transcribe_recording).parameters:
                    # A pipeline that carries context from chunk to chunk gets it on resume too.
                    resume["previous_text"] = text_before_chunk(recording, start_chunk)
                transcript = transcribe_recording(
                    path,
                    engine,
                    vocabulary=vocabulary_for(recording.meeting),
                    start_chunk=start_chunk,
                    **resume,
                    on_chunk=self.store_chunk,
                    should_stop=self.should_stop,
                    chunk_seconds=chunk_seconds,
                    overlap=overlap,
                    info=info,
                    name=recording.original_name,
                )
                outcome = self.finish(recording, transcript)
                if outcome == "done":
                    from .follow_up import after_transcription

                    after_transcription(self.job_id, path)
                return outcome
        except AudioError as error:
            logger.warning(
                "Transcription job %s: %s (%s)", self.job_id, error, getattr(error, "detail", "")
            )
            self.fail(clerk_message(error))
            return "failed"
        except RecordingFileMissing:
            self.fail(MISSING_FILE)
            return "failed"

    def should_stop(self):
        """Asked by the pipeline before each chunk: stop if cancelled or taken over."""
        return not self.mine().exists()

    def store_chunk(self, index, total, segments, elapsed=None):
        """Store one finished chunk and count it done, in one transaction.

        The chunk's earlier rows, if any, are deleted first, so running a chunk again can never
        store its segments twice.
        """
        self.chunks_this_run += 1
        seconds_per_chunk = (time.monotonic() - self.started) / self.chunks_this_run
        done = index + 1
        with transaction.atomic():
            updated = self.mine().update(
                chunks_done=done,
                chunks_total=total,
                progress=min(100, math.floor(done * 100 / total)) if total else 0,
                seconds_per_chunk=seconds_per_chunk,
                heartbeat_at=timezone.now(),
            )
            if not updated:
                raise JobSuperseded
            job = TranscriptionJob.objects.only("recording_id").get(pk=self.job_id)
            earlier = TranscriptSegment.objects.filter(
                recording_id=job.recording_id, chunk_index=index
            )
            # An officer's corrections are kept: the new run's segments that overlap them are not.
            corrected = list(earlier.filter(edited=True).values_list("start", "end"))
            corrected_starts = {start for start, _end in corrected}
            earlier.filter(edited=False).delete()
            TranscriptSegment.objects.bulk_create(
                row
                for row in self.segment_rows(job.recording_id, index, segments)
                if row.start not in corrected_starts
                and not any(row.start < end and row.end > start for start, end in corrected)
            )

    def segment_rows(self, recording_id, chunk_index, segments):
        """Rows for a chunk's segments; two segments starting at the same time are joined."""
        rows = {}
        for segment in segments:
            text = (segment.text or "").strip()
            start = float(segment.start)
            end = max(float(segment.end), start)
            words = [word_dict(word) for word in (segment.words or [])]
            row = rows.get(start)
            if row is not None:
                row.text = f"{row.text} {text}".strip()
                row.end = max(row.end, end)
                row.words.extend(words)
                continue
            rows[start] = TranscriptSegment(
                recording_id=recording_id,
                chunk_index=chunk_index,
                start=start,
                end=end,
                text=text,
                words=words,
                speaker=self.speaker(recording_id, getattr(segment, "speaker", "") or ""),
            )
        return [row for row in rows.values() if row.text]

    def speaker(self, recording_id, label):
        if not label:
            return None
        if label not in self.speakers:
            self.speakers[label], _ = Speaker.objects.get_or_create(
                recording_id=recording_id, label=label[:50]
            )
        return self.speakers[label]

    def finish(self, recording, transcript):
        """Done: the pipeline's notes for the clerk (no speech, file cut short) kept on the job."""
        notes = list(getattr(transcript, "notes", []) or [])
        has_speech = TranscriptSegment.objects.filter(recording=recording).exists()
        if not has_speech and not any("No speech" in note for note in notes):
            notes.append(NO_SPEECH)
        with transaction.atomic():
            if not self.mine().update(
                status=JobStatus.DONE,
                progress=100,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
                run_token="",
                note="\n\n".join(notes),
            ):
                return "stopped"
            Recording.objects.filter(pk=recording.pk).update(
                language=(getattr(transcript, "language", "") or "")[:20],
                duration=getattr(transcript, "duration", None) or recording.duration,
            )
        return "done"

    def fail(self, message):
        """End the job as failed with `message`, if this run still owns it."""
        try:
            self.mine().update(
                status=JobStatus.FAILED, error=message, finished_at=timezone.now(), run_token=""
            )
        except DatabaseError:
            logger.exception("Could not record the failure of transcription job %s.", self.job_id)

    def release(self):
        """The worker is shutting down: queue the job again at once for another worker."""
        try:
            if self.mine().update(status=JobStatus.QUEUED, run_token="", note=WORKER_SHUT_DOWN):
                enqueue(TranscriptionJob.objects.get(pk=self.job_id))
        except Exception:
            # The sweeper will requeue it when its heartbeat goes stale.
            logger.exception("Could not release transcription job %s.", self.job_id)


def text_before_chunk(recording, chunk_index):
    """The stored text of the last chunk before `chunk_index` that has any: a resumed run gives
    it to the engine as context, as the uninterrupted run would have."""
    previous = (
        TranscriptSegment.objects.filter(recording=recording, chunk_index__lt=chunk_index)
        .order_by("-chunk_index")
        .values_list("chunk_index", flat=True)
        .first()
    )
    if previous is None:
        return ""
    texts = TranscriptSegment.objects.filter(recording=recording, chunk_index=previous).order_by(
        "start", "pk"
    )
    return " ".join(texts.values_list("text", flat=True))


def clerk_message(error):
    return str(error) or UNEXPECTED_FAILURE


def word_dict(word):
    if dataclasses.is_dataclass(word):
        return dataclasses.asdict(word)
    if isinstance(word, dict):
        return dict(word)
    return {key: getattr(word, key, None) for key in ("start", "end", "word", "probability")}


def vocabulary_for(meeting):
    """The meeting's names and terms; None (plain recognition) if they cannot be gathered."""
    from .meeting_vocabulary import vocabulary_for as build

    try:
        return build(meeting)
    except Exception:
        logger.exception("Could not gather the names and terms of meeting %s.", meeting.pk)
        return None


class Heartbeat:
    """Keeps `heartbeat_at` fresh from a thread while the job runs, even inside a long chunk.

    The sweeper gives a job to another worker only when this stops (the process died), not
    merely because one chunk is slow. It only ever touches this run's job.
    """

    def __init__(self, job_id, run_token, interval=None):
        self.job_id = job_id
        self.run_token = run_token
        self.interval = interval or setting("TRANSCRIPTION_HEARTBEAT_SECONDS", 15)
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self.beat, name=f"transcription-heartbeat-{job_id}", daemon=True
        )

    def beat(self):
        try:
            while not self.stopped.wait(self.interval):
                try:
                    TranscriptionJob.objects.filter(
                        pk=self.job_id, run_token=self.run_token, status=JobStatus.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Heartbeat of transcription job %s failed.", self.job_id)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=30)
        return False


@contextmanager
def local_copy(field_file):
    """A local path to the stored file: its own path, or a temporary copy.

    Storages without local paths (object storage, or a worker on another host) are copied to a
    temporary file in 1 MB pieces, removed afterwards.
    """
    storage = field_file.storage
    name = field_file.name
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None and os.path.isfile(path):
        yield path
        return
    if not storage.exists(name):
        raise RecordingFileMissing(name)
    suffix = PurePath(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="recording-") as copy:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name
