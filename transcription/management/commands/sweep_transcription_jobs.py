"""Queue again (or fail) transcription jobs whose worker stopped sending heartbeats.

Run from cron, or by hand after a crash; `--every N` keeps sweeping every N seconds. Background
workers also sweep by themselves while jobs are active (see transcription/sweeper.py).
"""

import datetime
import time

from django.core.management.base import BaseCommand

from transcription.sweeper import sweep


class Command(BaseCommand):
    help = (
        "Queue again transcription jobs whose worker stopped; fail those that stopped repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            help="Seconds without a heartbeat before a job counts as stopped "
            "(default: TRANSCRIPTION_STALE_AFTER_SECONDS).",
        )
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="Keep running, sweeping every this many seconds.",
        )

    def handle(self, *args, stale_after=None, every=None, **options):
        stale = datetime.timedelta(seconds=stale_after) if stale_after is not None else None
        while True:
            report = sweep(stale=stale)
            if options["verbosity"] or report.requeued or report.failed:
                self.stdout.write(str(report))
            if every is None:
                return
            time.sleep(every)
