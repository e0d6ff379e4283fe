"""Reading the 8 March 2017 Health and Wellbeing Board agenda pack, the demo data's source.

The pack is a plain-text copy of the published PDF. Everything the demo shows about the HWB in
2016-17 (who attended, the agenda, the papers) is read from it here rather than typed in again,
so the demo stays faithful to the real document, mistakes and all.
"""

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

PACK_NAME = "hwb-2017-03-08-agenda-pack.txt"

# Where each part of the pack is (1-based, inclusive); checked against the text when read.
AGENDA_LINES = (15, 56)
ATTENDANCE_LINES = (63, 103)
MINUTES_LINES = (63, 428)

# Titles people are given in the minutes, mapped to how the site writes them.
TITLES = {
    "councillor": "Councillor",
    "cllr": "Councillor",
    "dr.": "Dr",
    "dr": "Dr",
    "professor": "Professor",
    "prof.": "Professor",
    "supt": "Supt",
}

ATTENDANCE_GROUPS = {
    "Members:-": "member",
    "Report Presenters:-": "presenter",
    "Officers:-": "officer",
    "Observers:-": "observer",
}


class PackError(Exception):
    """The reference pack is missing or does not look like the document the demo was built on."""


def reference_dir():
    """The folder with the pack: $DEMO_REFERENCE_DIR, else tests/fixtures if the pack has been
    copied there, else ../shared/reference beside the project."""
    configured = os.environ.get("DEMO_REFERENCE_DIR")
    if configured:
        return Path(configured)
    base = Path(settings.BASE_DIR)
    fixtures = base / "tests" / "fixtures"
    if (fixtures / PACK_NAME).exists():
        return fixtures
    return base.parent / "shared" / "reference"


@lru_cache(maxsize=4)
def _read(path):
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise PackError(
            f"The agenda pack {path} was not found. Set DEMO_REFERENCE_DIR to the folder that "
            f"holds {PACK_NAME}."
        ) from error


def pack_lines():
    """Every line of the pack, without line endings (index 0 is line 1)."""
    return _read(str(reference_dir() / PACK_NAME))


def lines_between(first, last):
    """Lines `first` to `last` of the pack, counting from 1 as an editor does."""
    lines = pack_lines()
    if last > len(lines):
        raise PackError(f"The pack has {len(lines)} lines; expected at least {last}.")
    return lines[first - 1 : last]


def expect_line(number, opening):
    """Check that line `number` starts with `opening`, so a changed pack fails loudly."""
    actual = pack_lines()[number - 1].strip()
    if not actual.startswith(opening):
        raise PackError(f"Line {number} of the pack should start {opening!r}; it reads {actual!r}.")


# People -------------------------------------------------------------------------------------


@dataclass
class Name:
    title: str
    given_name: str
    family_name: str

    @property
    def key(self):
        return (self.given_name.lower(), self.family_name.lower())


def parse_name(text):
    """'Councillor D. Roche' -> Name('Councillor', 'D.', 'Roche'); 'Dr. Richard Cullen' -> Dr."""
    words = text.split()
    title = ""
    while words and words[0].lower() in TITLES and len(words) > 1:
        title = TITLES[words.pop(0).lower()]
    if not words:
        raise PackError(f"No name in {text!r}.")
    if len(words) == 1:
        return Name(title, "", words[0])
    return Name(title, words[0], " ".join(words[1:]))


@dataclass
class Attendee:
    """One line of the attendance: 'Name<TAB>Role, Organisation' under a group heading."""

    group: str
    name: Name
    job_title: str = ""
    organisation: str = ""
    represents: Name | None = None
    in_the_chair: bool = False


_REPRESENTING = re.compile(r"\s*\(representing ([^)]+)\)\s*$")
_IN_THE_CHAIR = re.compile(r"\s*\(in the chair\)\s*$", re.IGNORECASE)


def split_role(text):
    """'Chief Officer, Rotherham CCG' -> ('Chief Officer', 'Rotherham CCG').

    With no comma the words name an organisation ('Healthwatch Rotherham', 'NHS England').
    """
    text = text.strip().rstrip(",").strip()
    if "," not in text:
        return "", text
    job_title, organisation = text.rsplit(",", 1)
    return job_title.strip(), organisation.strip()


def parse_attendee(group, line):
    name_part, _, role = line.partition("\t")
    attendee = Attendee(group=group, name=parse_name(name_part.strip()))
    if match := _REPRESENTING.search(role):
        attendee.represents = parse_name(match.group(1))
        role = role[: match.start()]
    if match := _IN_THE_CHAIR.search(role):
        attendee.in_the_chair = True
        role = role[: match.start()]
    if attendee.in_the_chair:
        # The chair's line is a single office ("Cabinet Member for ... and Health"), not a
        # job title and organisation, even though it may contain a comma.
        attendee.job_title = role.strip()
    else:
        attendee.job_title, attendee.organisation = split_role(role)
    return attendee


_APOLOGIES = re.compile(r"^Apologies for absence were received from (.*?)\.?$")


def parse_apologies(sentence):
    """'... from Louise Barnett (Rotherham Foundation Trust), Terri Roche (RMBC) and Councillor
    Watson.' -> Attendees in group 'apologies', organisation taken from the brackets."""
    match = _APOLOGIES.match(sentence.strip())
    if not match:
        return []
    people = []
    for part in re.split(r",\s*|\s+and\s+", match.group(1)):
        part = part.strip()
        if not part:
            continue
        organisation = ""
        if bracket := re.search(r"\(([^)]+)\)\s*$", part):
            organisation = bracket.group(1).strip()
            part = part[: bracket.start()].strip()
        people.append(Attendee("apologies", parse_name(part), organisation=organisation))
    return people


def parse_attendance(lines):
    """The attendance groups of a set of minutes, in the order printed, then the apologies."""
    attendees = []
    group = None
    for line in lines:
        stripped = line.strip()
        if stripped in ATTENDANCE_GROUPS:
            group = ATTENDANCE_GROUPS[stripped]
        elif stripped.startswith("Apologies for absence"):
            attendees.extend(parse_apologies(stripped))
            group = None
        elif group and "\t" in line and stripped:
            attendees.append(parse_attendee(group, line))
    return attendees


def minutes_attendance():
    """Who attended the HWB on 11 January 2017 (PACK:63-103)."""
    expect_line(ATTENDANCE_LINES[0], "HEALTH AND WELLBEING BOARD")
    return parse_attendance(lines_between(*ATTENDANCE_LINES))


# The agenda ---------------------------------------------------------------------------------


@dataclass
class AgendaEntry:
    """One item (or sub-item) of a printed agenda."""

    number: int
    title: str
    section: str
    sub_item: str = ""
    page_start: int | None = None
    page_end: int | None = None
    presenter_text: str = ""
    notes: list = field(default_factory=list)

    @property
    def display_number(self):
        return f"{self.number}({self.sub_item})" if self.sub_item else str(self.number)

    @property
    def summary(self):
        return "\n".join(self.notes)


SECTION_HEADINGS = {
    "for decision": "decision",
    "for discussion": "discussion",
    "for information": "information",
}
PRESENTER_OPENINGS = (
    "Presentation by",
    "Presented by",
    "Verbal update by",
    "Update by",
    "Report by",
    "The Chair to present",
    "The Chairman to present",
)
_ITEM = re.compile(r"^(\d+)\.\s+(.*)$")
_SUB_ITEM = re.compile(r"^-?\s*\(([a-z])\)\s+(.*)$")
_PAGES = re.compile(r"\s*\(Pages?\s+(\d+)(?:\s*-\s*(\d+))?\)\s*$")
# A presenter line the PDF conversion ran into the previous words: "SubmissionPresented by".
_RUN_TOGETHER_PRESENTER = re.compile(
    r"(?<=\S)(" + "|".join(re.escape(opening) for opening in PRESENTER_OPENINGS) + r")"
)


def _take_pages(text):
    match = _PAGES.search(text)
    if not match:
        return text.strip(), None, None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    return text[: match.start()].strip(), first, last


def parse_agenda(lines):
    """Items of a printed agenda: numbers, sub-items, sections, page ranges and presenter lines.

    Items before the first section heading are procedural. A presenter line printed after a
    block of sub-items belongs to the whole item, not to the last sub-item.
    """
    entries = []
    section = "procedural"
    parent = current = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.lower() in SECTION_HEADINGS:
            section = SECTION_HEADINGS[line.lower()]
            parent = current = None
            continue
        if match := _ITEM.match(line):
            title, first, last = _take_pages(match.group(2))
            current = parent = AgendaEntry(int(match.group(1)), title, section)
            current.page_start, current.page_end = first, last
            entries.append(current)
            continue
        if parent and (match := _SUB_ITEM.match(line)):
            text = match.group(2)
            presenter = ""
            if split := _RUN_TOGETHER_PRESENTER.search(text):
                text, presenter = text[: split.start()], text[split.start() :]
            title, first, last = _take_pages(text)
            current = AgendaEntry(parent.number, title, section, sub_item=match.group(1))
            current.page_start, current.page_end = first, last
            entries.append(current)
            if presenter:
                parent.presenter_text = presenter.strip()
            continue
        if current is None:
            continue
        _, first, last = _take_pages(line)
        if first and not _PAGES.sub("", line).strip():
            current.page_start, current.page_end = first, last
        elif line.startswith(PRESENTER_OPENINGS):
            # After sub-items the line presents the whole item.
            (parent if current is not parent else current).presenter_text = line
        else:
            current.notes.append(line)
    return entries


def march_2017_agenda():
    """The agenda of the HWB meeting of 8 March 2017 (PACK:14-47)."""
    expect_line(AGENDA_LINES[0], "1. To determine if the following matters")
    return parse_agenda(lines_between(*AGENDA_LINES))


# Minutes ------------------------------------------------------------------------------------

_MINUTE_REFERENCE = re.compile(r"Minute No\. (\d+)(?:\s*\(\d+\))? \(([^)]+)\)")
_MINUTE_HEADING = re.compile(r"^(\d+)\.\s+([A-Z][A-Z0-9 ,&'’/\-–]+)$")


def minute_headings(lines):
    """(number, HEADING) for each numbered minute: '48. DECLARATIONS OF INTEREST'."""
    return [
        (int(match.group(1)), match.group(2).strip())
        for line in lines
        if (match := _MINUTE_HEADING.match(line.strip()))
    ]


def cited_minutes(lines):
    """Earlier minutes cited in 'matters arising', with the subject printed in brackets.

    'Arising from Minute No. 43(3) (Healthy Ageing Framework)' -> (43, 'Healthy Ageing Framework').
    The first citation of each minute wins.
    """
    found = {}
    for line in lines:
        for match in _MINUTE_REFERENCE.finditer(line):
            found.setdefault(int(match.group(1)), match.group(2).strip())
    return sorted(found.items())


def heading_to_title(heading):
    """'CARING TOGETHER - THE ROTHERHAM CARERS STRATEGY' -> 'Caring Together - the Rotherham ...'.

    Minutes print headings in capitals; agendas use title case with short words in lower case.
    """
    small = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to"}
    keep = {"STP", "JSNA", "CCG", "RMBC", "HWB", "SEND", "CAMHS", "BCF"}
    words = []
    for index, word in enumerate(heading.split()):
        if word in keep:
            words.append(word)
        elif index and word.lower() in small:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


# Presenters ---------------------------------------------------------------------------------

_PRESENTER_PREFIX = re.compile(r"^(?:Presentation|Presented|Verbal update|Update|Report) by\s+")


def presenter_names(presenter_text):
    """Names and organisations in a presenter line.

    'Presentation by Rob O'Dell, South Yorkshire Police, supported by Karen Hanson, RMBC'
    -> [(Name(Rob O'Dell), 'South Yorkshire Police'), (Name(Karen Hanson), 'RMBC')];
    'Presented by Nathan Atkinson/Karen Smith, RMBC' gives both names the organisation.
    A line naming no one ('The Chair to present') gives [].
    """
    text = _PRESENTER_PREFIX.sub("", presenter_text.strip())
    if text == presenter_text.strip():
        return []
    found = []
    for part in re.split(r",?\s+supported by\s+", text):
        names, _, organisation = part.partition(",")
        for name in names.split("/"):
            if name.strip():
                found.append((parse_name(name.strip()), organisation.strip()))
    return found
