"""What the importer reads out of a file of minutes, before anything touches the database.

The reader (reader.py) turns a file into lines; the parser (parser.py) turns lines into a
`ParsedMinutes`; owner matching (owners.py) maps printed names to people; the writer (writer.py)
stores the result. Anything the parser does not understand is kept as narrative and listed in
`warnings`: nothing is dropped silently.
"""

import datetime
from dataclasses import asdict, dataclass, field


@dataclass
class ParsedAttendee:
    """An attendance line: 'Jo Abbott<TAB>Public Health, RMBC (representing Terri Roche)'."""

    name: str
    role_text: str = ""
    group: str = "member"  # member, substitute, presenter, officer, observer
    represents: str = ""  # for a substitute: the principal's name as printed
    in_the_chair: bool = False
    printed_group: str = ""  # the group heading as printed, e.g. "Report Presenters"
    initials: str = ""  # from an initials column ('Nigel Parkes<TAB>NP<TAB>...'), if any


@dataclass
class ParsedAction:
    """An action line ('Action: A/B') attached to the resolution or note it follows."""

    as_printed: str  # the whole line, e.g. "Action:- Giles Ratcliffe/Julie Kitlowski"
    owners: list[str]  # names as printed, split on '/', ',', ' and ', '&'
    text: str  # what is to be done: the resolution or note it follows
    source: str  # "resolution", "matters_arising" or "minute_item" (actions_log.ActionSource)
    resolution_number: int | None = None
    note_index: int | None = None  # for a note: index of the narrative paragraph it follows
    # Index into the minute item's resolutions of the resolution it follows (None for a note).
    # resolution_number is that resolution's number, or for an unnumbered one the number it
    # takes in sequence (the previous resolution's number + 1, the first being 1).
    resolution_index: int | None = None
    due_text: str = ""  # a due date printed after the owners ("by the next meeting"), if any


@dataclass
class ParsedResolution:
    number: int | None
    text: str
    label: str = ""  # as printed: "(1)", "1.", "(a)"
    block: int = 0  # which "Resolved" block of the minute it belongs to (0, 1…)
    lead_in: str = ""  # printed before the block's resolutions: "That the Commission:"


@dataclass
class ParsedCitation:
    text: str  # as printed, e.g. "Minute No. 36(2)"
    minute_number: int
    resolution_number: int | None = None


@dataclass
class ParsedMinuteItem:
    number: int | None  # None for an unnumbered item ("Agenda item" page)
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    discussion_points: list[str] = field(default_factory=list)
    resolutions: list[ParsedResolution] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    citations: list[ParsedCitation] = field(default_factory=list)
    resolved_blocks: int = 0
    # A modern.gov page prints the agenda's summary of the item before "Minutes:", and the
    # documents after "Supporting documents:"; both are kept, apart from the minutes.
    summary: str = ""
    supporting_documents: list[str] = field(default_factory=list)

    @property
    def narrative(self):
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedMinutes:
    board_name: str = ""  # as printed in the header, if any
    meeting_date: datetime.date | None = None  # as printed (may be corrected by --date)
    attendees: list[ParsedAttendee] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)  # names as printed
    apologies_text: str = ""  # the paragraph as printed
    minute_items: list[ParsedMinuteItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def resolutions(self):
        return [r for item in self.minute_items for r in item.resolutions]

    @property
    def actions(self):
        return [a for item in self.minute_items for a in item.actions]

    def as_dict(self):
        return asdict(self)
