"""The report of an import: what was stored (or, in a dry run, would be) and what was unclear.

It is printed by `import_minutes` (as a summary or as JSON) and kept, as JSON, with the
`MinutesImport` record, so that importing the same file again can say what it held.
"""

import datetime
from dataclasses import asdict, dataclass, field


class ImportRefused(Exception):
    """The minutes cannot be imported as they are; the message says why. Nothing was written."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), and everything it was unsure of."""

    board: str
    board_title: str
    meeting_date: datetime.date
    source_name: str
    sha256: str
    dry_run: bool = False
    created: bool = False
    already_imported: bool = False
    imported_on: datetime.datetime | None = None
    meeting: dict = field(default_factory=dict)
    minutes: dict = field(default_factory=dict)
    attendance: list = field(default_factory=list)
    minute_items: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    people_created: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def owner_assignments(self):
        return sum(len(action["owners"]) for action in self.actions)

    @property
    def owners(self):
        """Distinct people owning the actions, by person (or printed name if unmatched)."""
        return {
            owner["person_id"] or owner["printed"]
            for action in self.actions
            for owner in action["owners"]
        }

    def as_dict(self):
        data = asdict(self)
        data["meeting_date"] = self.meeting_date.isoformat()
        data["imported_on"] = self.imported_on.isoformat() if self.imported_on else None
        return data

    @classmethod
    def from_stored(cls, stored, **overrides):
        """The report kept with an earlier import, marked as such."""
        data = dict(stored.report or {})
        known = set(cls.__dataclass_fields__)
        values = {name: value for name, value in data.items() if name in known}
        values.update(
            board=values.get("board") or stored.board.slug,
            board_title=values.get("board_title") or stored.board.title,
            meeting_date=stored.meeting_date,
            source_name=values.get("source_name") or stored.source_name,
            sha256=stored.sha256,
            imported_on=stored.imported_at,
        )
        values.update(overrides)
        return cls(**values)
