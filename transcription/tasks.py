"""Background tasks (django_tasks): transcribing a recording, and sweeping stopped jobs.

They run on `manage.py db_worker` with the database backend (the default, started by `make run`),
or on RQ workers with REDIS_URL set. Both only take ids, so a task can be enqueued again at any
time: the job's own state (see jobs.py) decides what is left to do.
"""

from django_tasks import task

from .jobs import run_job, worker_name


def _backend_worker_id(context):
    worker_ids = getattr(context.task_result, "worker_ids", None) or []
    return worker_ids[-1] if worker_ids else ""


@task(takes_context=True)
def transcribe_recording_task(context, job_id):
    """Transcribe a job's recording from its last finished chunk. Never raises."""
    return run_job(job_id, worker_id=worker_name(_backend_worker_id(context)))


@task(takes_context=True)
def sweep_transcription_jobs_task(context):
    """A periodic sweep (see sweeper.py); schedules the next one while jobs are active."""
    from .sweeper import periodic_sweep

    return str(periodic_sweep(str(context.task_result.id)))
