"""The daily reminders task (django_tasks) and how it keeps itself scheduled.

`send_daily_action_reminders` sends the day's reminder emails (actions_log/reminders.py) and
then queues itself for 7am UK time the next day, so one run started by
`manage.py send_action_reminders --schedule` (which `make run` calls before starting the worker)
keeps them going every morning. Before queuing, it looks for a run already waiting in the
database backend's queue, so that running the command again, or a restart, never makes a second
daily chain. On a backend that cannot run tasks later (the immediate backend the tests use)
nothing is scheduled.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .reminders import send_action_reminders

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
REMINDER_TIME = datetime.time(7, 0)


class CannotSchedule(Exception):
    """The task backend cannot run a task at a later time."""


def next_reminder_time(now=None):
    """The next 7am in the UK strictly after `now` (GMT or BST as the date has it)."""
    local = (now or timezone.now()).astimezone(UK)
    candidate = datetime.datetime.combine(local.date(), REMINDER_TIME, tzinfo=UK)
    if candidate <= local:
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), REMINDER_TIME, tzinfo=UK
        )
    return candidate


def queued_daily_runs(task_obj=None):
    """Runs of the daily task waiting in the database backend's queue (None if the backend
    keeps no such table, e.g. RQ, where a queued run cannot be looked for)."""
    task_obj = task_obj or send_daily_action_reminders
    backend = task_obj.get_backend()
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a requirement
        return None
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(
        task_path=task_obj.module_path,
        backend_name=backend.alias,
        status=TaskResultStatus.READY,
    )


def schedule_daily_reminders(now=None):
    """Queue the daily task for the next 7am unless a run is already queued.

    Returns (run_after, created): when the queued run will start and whether this call queued it.
    Raises CannotSchedule on a backend that cannot defer tasks.
    """
    backend = send_daily_action_reminders.get_backend()
    if not backend.supports_defer:
        raise CannotSchedule(
            f"The task backend “{backend.alias}” ({type(backend).__name__}) cannot run tasks at "
            "a later time, so the daily reminders cannot be scheduled. Use the database backend "
            "(the default) or RQ, or run `manage.py send_action_reminders` from cron instead."
        )
    waiting = queued_daily_runs()
    if waiting is not None:
        existing = waiting.order_by("run_after").first()
        if existing is not None:
            return existing.run_after, False
    run_after = next_reminder_time(now)
    send_daily_action_reminders.using(run_after=run_after).enqueue()
    logger.info("Daily action reminders scheduled for %s.", run_after.isoformat())
    return run_after, True


@task()
def send_daily_action_reminders():
    """Send today's action reminders, then queue tomorrow's run at 7am UK time.

    Scheduling happens even if sending failed, so one bad morning does not end the chain.
    Returns what was sent (see ReminderRun.as_dict) for the task's stored result.
    """
    try:
        run = send_action_reminders()
    finally:
        try:
            schedule_daily_reminders()
        except CannotSchedule as error:
            logger.info("%s", error)
    return run.as_dict()
