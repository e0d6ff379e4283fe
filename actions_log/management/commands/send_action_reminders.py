"""`manage.py send_action_reminders`: email owners about overdue and soon-due actions, or queue
the daily task that does it every morning (`--schedule`, which `make run` uses)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from actions_log.reminders import reminder_days, send_action_reminders
from actions_log.tasks import CannotSchedule, schedule_daily_reminders
from meetings.dates import format_meeting_datetime

MAX_DAYS = 366


def days_ahead(value):
    try:
        days = int(value)
    except ValueError:
        raise CommandError(f"--days must be a whole number of days, not “{value}”.") from None
    if not 0 <= days <= MAX_DAYS:
        raise CommandError(f"--days must be between 0 and {MAX_DAYS}, not {days}.")
    return days


def reminder_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written YYYY-MM-DD, such as 2026-11-26, not “{value}”."
        ) from None


class Command(BaseCommand):
    help = (
        "Email each action owner, at most once a day, about their open actions that are overdue "
        "or due within --days days (ACTIONS_REMINDER_DAYS, 7 by default). Running it again the "
        "same day sends nothing more. With --schedule, send nothing now but queue the daily "
        "task that sends them at 7am UK time every day, unless it is already queued."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=str,
            default=None,
            help=f"Remind about actions due within this many days (default {reminder_days()}).",
        )
        parser.add_argument(
            "--date",
            type=str,
            default=None,
            help="Send as if today were this date, YYYY-MM-DD (default: today in the UK).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be emailed, without sending or recording anything.",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily reminders task (7am UK time) if it is not already queued.",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            if options["days"] is not None or options["date"] or options["dry_run"]:
                raise CommandError(
                    "--schedule queues the daily task, which uses today's date and "
                    "ACTIONS_REMINDER_DAYS: give it without --days, --date or --dry-run."
                )
            return self.schedule()
        days = days_ahead(options["days"]) if options["days"] is not None else None
        on = reminder_date(options["date"]) if options["date"] else None
        run = send_action_reminders(today=on, days_ahead=days, dry_run=options["dry_run"])
        for line in run.lines():
            self.stdout.write(line)
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} reminder email(s) could not be sent; they will be tried "
                "again on the next run."
            )

    def schedule(self):
        try:
            run_after, created = schedule_daily_reminders()
        except CannotSchedule as error:
            raise CommandError(str(error)) from error
        when = format_meeting_datetime(run_after)
        if created:
            self.stdout.write(f"Daily action reminders queued: the next run is {when}.")
        else:
            self.stdout.write(f"Daily action reminders are already queued: the next run is {when}.")
