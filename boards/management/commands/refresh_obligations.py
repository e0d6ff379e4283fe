"""`manage.py refresh_obligations`: the daily job for duties between boards.

Generates every duty's obligations up to N years ahead, records each status change and queues an
email to the responsible officers for each obligation that has become at risk (once ever per
obligation). Safe to run every day, or twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from boards.duty_notifications import DEFAULT_YEARS_AHEAD, refresh_duties


class Command(BaseCommand):
    help = "Generate obligations ahead, record status changes and email about those at risk."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Act as if today were this date (YYYY-MM-DD), for testing."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=DEFAULT_YEARS_AHEAD,
            help=f"Generate obligations this many years ahead (default {DEFAULT_YEARS_AHEAD}).",
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Record statuses but send no emails."
        )

    def handle(self, *args, today=None, years=DEFAULT_YEARS_AHEAD, no_email=False, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(
                    f"--today must be a date as YYYY-MM-DD, not '{today}'."
                ) from None
        if years < 0:
            raise CommandError("--years cannot be negative.")
        report = refresh_duties(today=day, years=years, email=not no_email)
        for line in report.lines():
            self.stdout.write(line)
