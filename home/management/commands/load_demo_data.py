"""`manage.py load_demo_data`: the demo site, built from the 8 March 2017 HWB agenda pack."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from home.demo.loader import DemoDataError, load_demo_data
from home.demo.pack import PackError


class Command(BaseCommand):
    help = (
        "Create or update the demo boards, people, meetings, papers and sign-ins. Safe to run "
        "again: existing data is updated in place and nothing is duplicated."
    )

    def handle(self, *args, **options):
        try:
            summary, users, password = load_demo_data()
        except (DemoDataError, PackError) as error:
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
        # Fresh planner statistics: without them SQLite picks slow plans for search.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo sign-ins (at /admin/):"))
        for username in users:
            self.stdout.write(f"  {username} / {password}")
