"""The sweeper: jobs whose worker has stopped are queued again, or failed after repeated stops.

A running job's worker writes a heartbeat every TRANSCRIPTION_HEARTBEAT_SECONDS (from a thread,
so a slow chunk still beats). A job still "running" whose heartbeat is older than
TRANSCRIPTION_STALE_AFTER_SECONDS lost its worker (killed, out of memory, machine restarted): the
sweeper queues it again with a new task, and the next worker carries on from the last finished
chunk. After TRANSCRIPTION_MAX_ATTEMPTS starts it is failed instead, so a recording that kills
its worker every time does not loop forever. A queued job whose task the backend has lost (or
finished without it) is given a new task.

How it runs (both are safe together: every change is a conditional update):

- while any job is queued or running, as a background task that schedules its own next run every
  TRANSCRIPTION_SWEEP_INTERVAL_SECONDS (`ensure_periodic_sweep`, started by every upload and
  retry; a single row in SweeperState keeps it to one chain);
- `python manage.py sweep_transcription_jobs` from cron or by hand (`--every 60` loops).
"""

import dataclasses
import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from .jobs import enqueue, setting
from .models import ACTIVE_STATUSES, JobStatus, SweeperState, TranscriptionJob

logger = logging.getLogger(__name__)

WORKER_STOPPED_REPEATEDLY = (
    "The worker stopped repeatedly while transcribing this recording (the server may be running "
    "out of memory). Nothing already transcribed has been lost. Ask the system administrator to "
    "check the workers, then retry."
)


def stale_after():
    return datetime.timedelta(seconds=setting("TRANSCRIPTION_STALE_AFTER_SECONDS", 120))


def max_attempts():
    return setting("TRANSCRIPTION_MAX_ATTEMPTS", 3)


@dataclasses.dataclass
class SweepReport:
    requeued: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)
    reenqueued: list = dataclasses.field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.requeued)} stopped job(s) queued again, {len(self.failed)} failed after "
            f"repeated stops, {len(self.reenqueued)} queued job(s) given a new task."
        )


def sweep(*, now=None, stale=None, attempts=None):
    """Requeue or fail jobs with stale heartbeats; give queued jobs with a lost task a new one."""
    now = now or timezone.now()
    cutoff = now - (stale if stale is not None else stale_after())
    limit = attempts if attempts is not None else max_attempts()
    report = SweepReport()
    stopped = TranscriptionJob.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    )
    for job in stopped.select_related("recording"):
        # Only if nothing has changed since it was read: its worker may have just beaten.
        unchanged = TranscriptionJob.objects.filter(
            pk=job.pk,
            status=JobStatus.RUNNING,
            run_token=job.run_token,
            heartbeat_at=job.heartbeat_at,
        )
        if job.attempts >= limit:
            if unchanged.update(
                status=JobStatus.FAILED,
                error=WORKER_STOPPED_REPEATEDLY,
                finished_at=now,
                run_token="",
            ):
                logger.warning(
                    "Transcription job %s failed: its worker stopped %s times.",
                    job.pk,
                    job.attempts,
                )
                log(instance=job.recording, action="transcription.fail", data={"job": job.pk})
                report.failed.append(job.pk)
            continue
        note = (
            f"The worker stopped at {timezone.localtime(job.heartbeat_at or now):%H:%M} and the "
            "job was queued again; it carries on from the last finished part."
        )
        if unchanged.update(status=JobStatus.QUEUED, run_token="", note=note):
            logger.warning("Transcription job %s lost its worker; queued again.", job.pk)
            log(instance=job.recording, action="transcription.requeue", data={"job": job.pk})
            enqueue(job)
            report.requeued.append(job.pk)
    report.reenqueued = reenqueue_lost(cutoff)
    return report


def reenqueue_lost(cutoff):
    """Queued jobs whose task the backend no longer has, or has finished, get a new task."""
    from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

    from .tasks import transcribe_recording_task

    if not transcribe_recording_task.get_backend().supports_get_result:
        return []
    reenqueued = []
    waiting = TranscriptionJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff)
    for job in waiting.only("pk", "task_result_id"):
        try:
            lost = transcribe_recording_task.get_result(job.task_result_id).is_finished
        except (TaskResultDoesNotExist, TaskResultMismatch, ValueError):
            lost = True
        if lost and TranscriptionJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).exists():
            enqueue(job)
            reenqueued.append(job.pk)
    return reenqueued


def active_jobs_exist():
    return TranscriptionJob.objects.filter(status__in=ACTIVE_STATUSES).exists()


def ensure_periodic_sweep(now=None):
    """Schedule the next periodic sweep unless one is already due soon. Returns its task id.

    Only backends that can defer tasks are used (not the immediate backend of the tests). A
    scheduled sweep that has not run for several intervals (no worker, or every worker busy) is
    assumed lost and replaced; the replaced one, if it ever runs, sees it is no longer the head of
    the chain and does not schedule another.
    """
    from .tasks import sweep_transcription_jobs_task

    backend = sweep_transcription_jobs_task.get_backend()
    if not backend.supports_defer:
        return None
    now = now or timezone.now()
    interval = datetime.timedelta(seconds=setting("TRANSCRIPTION_SWEEP_INTERVAL_SECONDS", 60))
    with transaction.atomic():
        state, _ = SweeperState.objects.select_for_update().get_or_create(pk=1)
        if state.next_run_at is not None and state.next_run_at > now - 3 * interval:
            return state.task_result_id
        return schedule_next_sweep(state, now + interval)


def schedule_next_sweep(state, run_after):
    from .tasks import sweep_transcription_jobs_task

    task = sweep_transcription_jobs_task.using(run_after=run_after)
    if task.get_backend().supports_priority:
        # Due sweeps go before waiting transcriptions, so a free worker rescues stopped jobs first.
        task = task.using(priority=10)
    result = task.enqueue()
    state.task_result_id = str(result.id)[:64]
    state.next_run_at = run_after
    state.save(update_fields=["task_result_id", "next_run_at"])
    return state.task_result_id


def periodic_sweep(task_result_id, now=None):
    """Body of the periodic sweep task: sweep, then schedule the next one while jobs remain."""
    report = sweep(now=now)
    now = now or timezone.now()
    interval = datetime.timedelta(seconds=setting("TRANSCRIPTION_SWEEP_INTERVAL_SECONDS", 60))
    with transaction.atomic():
        state, _ = SweeperState.objects.select_for_update().get_or_create(pk=1)
        state.last_swept_at = now
        state.save(update_fields=["last_swept_at"])
        if state.task_result_id == task_result_id and active_jobs_exist():
            schedule_next_sweep(state, now + interval)
        elif state.task_result_id == task_result_id:
            state.next_run_at = None
            state.save(update_fields=["next_run_at"])
    return report
