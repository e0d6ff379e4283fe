"""Storing parsed minutes: the meeting, its minutes page, attendance, resolutions and actions.

`import_minutes` is the one place where an import touches the database, inside one transaction
(rolled back for a dry run, or when anything is refused). It keeps what the officer would keep by
hand, in the same places the editor keeps it:

- the board's meeting on that date (created, held, if the site has none);
- the minutes page under it, attendance first, then the minutes with their resolutions, the
  action lines as printed, links to the agenda and the approval of the previous minutes;
- an `Action` for each action line, owned by the people it names.

An import is recorded as a `MinutesImport` keyed by board and the file's SHA-256, so importing
the same file again changes nothing; a corrected file for the same meeting updates the minutes
and actions in place, found by minute number and by each action's `import_key`. Minutes are
saved as a draft for an officer to publish, unless the meeting's minutes are already published,
when the import is a correction and is published at once. Every page, person and action written
is logged (Wagtail's audit log), with the file it came from.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.dates import format_date, format_time

from ...models import MinutesImport
from .actions import ActionSteps, action_key, due_from_text
from .meeting import MeetingSteps
from .minutes import MinutesSteps, matching_agenda_item
from .people import PeopleSteps, clean_role_text, split_printed_name, split_role
from .report import ImportRefused, ImportReport

__all__ = [
    "ImportRefused",
    "ImportReport",
    "action_key",
    "clean_role_text",
    "due_from_text",
    "import_minutes",
    "matching_agenda_item",
    "split_printed_name",
    "split_role",
]


class _RolledBack(Exception):
    """Raised inside the transaction of a dry run to undo it, carrying the report out."""

    def __init__(self, report):
        super().__init__("dry run")
        self.report = report


def import_minutes(
    parsed, *, board, meeting_date=None, source_name, sha256, dry_run=False, user=None
):
    """Store `parsed` (a ParsedMinutes) as the minutes of `board`'s meeting on `meeting_date`
    (default: the date printed in the file). Returns an ImportReport.

    Raises ImportRefused, with nothing written, when the minutes cannot be stored as they are.
    """
    day = meeting_date or parsed.meeting_date
    if day is None:
        raise ImportRefused(
            f"{source_name} does not say when the meeting was held: give its date "
            "(--date YYYY-MM-DD)."
        )
    if day > timezone.localdate():
        raise ImportRefused(
            f"{source_name} would be the minutes of a meeting on {format_date(day)}, which has "
            "not happened yet: give the meeting's date (--date YYYY-MM-DD)."
        )
    earlier = MinutesImport.objects.filter(board=board, sha256=sha256).first()
    if earlier is not None and earlier.minutes_id is not None:
        return _already_imported(earlier, day, dry_run)
    try:
        with transaction.atomic():
            report = _Import(parsed, board, day, source_name, sha256, dry_run, user).run(earlier)
            if dry_run:
                raise _RolledBack(report)
    except _RolledBack as rolled_back:
        report = rolled_back.report
    except ValidationError as error:
        # Anything else the models refuse: the import is undone, and the officer told why.
        raise ImportRefused(
            f"{source_name} could not be imported: " + " ".join(error.messages)
        ) from error
    return report


def _already_imported(earlier, day, dry_run):
    when = timezone.localtime(earlier.imported_at)
    report = ImportReport.from_stored(
        earlier, dry_run=dry_run, created=False, already_imported=True, notes=[]
    )
    report.notes.append(
        f"{earlier.source_name} was already imported on {format_date(when)} at "
        f"{format_time(when)}, as the minutes of {format_date(earlier.meeting_date)}: nothing "
        "was changed."
    )
    if earlier.meeting_date != day:
        report.notes.append(
            f"It was imported as the meeting of {format_date(earlier.meeting_date)}, not "
            f"{format_date(day)}."
        )
    return report


class _Import(PeopleSteps, MeetingSteps, MinutesSteps, ActionSteps):
    """One import, step by step; each step reads what the one before settled."""

    def __init__(self, parsed, board, day, source_name, sha256, dry_run, user):
        self.parsed = parsed
        self.board = board
        self.day = day
        self.source_name = source_name
        self.user = user
        self.dry_run = dry_run
        self.report = ImportReport(
            board=board.slug,
            board_title=board.title,
            meeting_date=day,
            source_name=source_name,
            sha256=sha256,
            dry_run=dry_run,
        )
        self._start_people()

    def run(self, earlier):
        for warning in self.parsed.warnings:
            self.report.warn(warning)
        if not self.parsed.minute_items:
            raise ImportRefused(f"{self.source_name} has no minutes in it that could be read.")
        self._check_header()
        meeting = self._meeting()
        page, is_new = self._minutes_page(meeting)
        self._attendance(page)
        numbered = self._minute_items(page, meeting)
        page = self._save_minutes(page, meeting, is_new)
        self._actions(page, meeting, numbered)
        self._record(page, earlier)
        return self.report

    # The record of the import ---------------------------------------------------------------

    def _record(self, page, earlier):
        self.report.created = not self.dry_run
        data = self.report.as_dict()
        if earlier is not None:
            earlier.minutes = page
            earlier.meeting_date = self.day
            earlier.source_name = self.source_name[:255]
            earlier.imported_at = timezone.now()
            earlier.report = data
            earlier.save()
            return
        MinutesImport.objects.create(
            board=self.board,
            minutes=page,
            meeting_date=self.day,
            source_name=self.source_name[:255],
            sha256=self.report.sha256,
            report=data,
        )
