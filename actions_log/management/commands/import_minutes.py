"""`manage.py import_minutes PATH --board SLUG`: import a file of existing minutes.

Reads Word (.docx) or plain text, recognises attendance, minutes, resolutions and action lines,
and stores them as the board's minutes (a draft for an officer to publish) with an action for
each action line. `--dry-run` shows what would be imported and writes nothing; `--json` prints
one JSON object (for scripts importing an archive). Importing the same file again changes nothing.
"""

import argparse
import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from actions_log.importing.reader import UnreadableMinutes, read_minutes_file
from actions_log.importing.writer import ImportRefused, import_minutes
from boards.models import BoardPage
from meetings.dates import format_date


def meeting_date(text):
    """argparse type for --date: a real calendar date written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2017-01-11."
        ) from error


def find_board(name):
    """The board with this slug, short name, title or other name (any case)."""
    wanted = name.strip()
    board = BoardPage.objects.filter(
        Q(slug__iexact=wanted) | Q(short_name__iexact=wanted) | Q(title__iexact=wanted)
    ).first()
    if board is not None:
        return board
    for candidate in BoardPage.objects.all():
        if wanted.lower() in (alias.lower() for alias in candidate.alias_list):
            return candidate
    known = ", ".join(
        f"{slug} ({short})"
        for slug, short in BoardPage.objects.order_by("slug").values_list("slug", "short_name")
    )
    raise CommandError(
        f"There is no board called {name!r}. Give one of: {known or 'no boards are set up yet'}."
    )


class Command(BaseCommand):
    help = (
        "Import a file of existing minutes (.docx or plain text) into a board's minutes, with an "
        "action for each action line. Safe to run again: the same file is imported once."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The minutes: a Word document (.docx) or plain text.")
        parser.add_argument(
            "--board",
            required=True,
            help="The board's slug or short name, e.g. health-and-wellbeing-board or HWB.",
        )
        parser.add_argument(
            "--date",
            type=meeting_date,
            help="The meeting's date (YYYY-MM-DD), if the file gives none or gives it wrongly.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object instead of a summary."
        )

    def handle(self, *args, **options):
        from actions_log.importing.parser import MinutesFormatError, parse_minutes

        board = find_board(options["board"])
        try:
            lines, info = read_minutes_file(options["path"])
            parsed = parse_minutes(lines, source_name=info.name)
            # What the reader was unsure of (the encoding, Word's own numbering) goes in the
            # report, and is kept with the import, like the parser's own warnings.
            parsed.warnings[:0] = info.warnings
            report = import_minutes(
                parsed,
                board=board,
                meeting_date=options["date"],
                source_name=info.name,
                sha256=info.sha256,
                dry_run=options["dry_run"],
            )
        except (UnreadableMinutes, MinutesFormatError, ImportRefused) as error:
            raise CommandError(str(error)) from error
        report.notes.extend(note for note in info.notes if note not in report.notes)

        if options["json"]:
            data = report.as_dict()
            data["source"] = info.as_dict()
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._summary(report)

    def _summary(self, report):
        out = self.stdout.write
        what = "Would import" if report.dry_run else "Imported"
        if report.already_imported:
            what = "Already imported"
        out(
            f"{what} {report.source_name} as the minutes of {report.board_title}, "
            f"{format_date(report.meeting_date)}."
        )
        for note in report.notes:
            out(f"  {note}")
        owners = len(report.owners)
        out(
            f"  {len(report.minute_items)} minutes, {len(report.resolutions)} resolutions, "
            f"{len(report.actions)} actions with {report.owner_assignments} owner assignments "
            f"({owners} {'person' if owners == 1 else 'people'})."
        )
        for item in report.minute_items:
            number = f"{item['number']}. " if item["number"] is not None else ""
            out(f"  {number}{item['heading']}")
        for action in report.actions:
            names = ", ".join(
                owner["matched"] + (" (check)" if owner["needs_review"] else "")
                for owner in action["owners"]
            )
            out(f"  Action {action['import_key']}: {names or 'no owner'}")
        if report.dry_run:
            out("Dry run: nothing was written.")
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
