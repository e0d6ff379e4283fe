"""Turning the lines of a set of minutes into minute items, resolutions, actions and attendance.

Councils print minutes in a handful of ways, and one board's archive may use several:

- numbered headings in capitals, numbered across meetings: "48. DECLARATIONS OF INTEREST";
- numbered headings in ordinary case: "5. Minutes of the previous meeting";
- "Item 5" or "Item 5: Title", often as the first cell of a table row;
- modern.gov pages: a number alone ("48."), the title on the next line, the agenda's summary, then
  "Minutes:"; or an unnumbered "Agenda item" page (title, "Meeting: 13/02/2023 - Board", summary,
  "Minutes:", narrative, "Resolved:-", "Supporting documents:").

The heading style is chosen once for the whole document (the commonest one found), so that a
numbered resolution ("1. That the report be noted.") is never mistaken for a minute.

Under each heading come narrative paragraphs, perhaps "Discussion ensued ...:-" and a list of
points, and "Resolved" blocks of resolutions labelled "(1)", "1.", "(a)" or not at all. An action
line ("Action: A", "Action:- A/B", "ACTION: A and B") belongs to what it directly follows: a
resolution (its text is the resolution's, and it is not part of the resolution's text), or a
narrative note (it stays in the narrative as printed, after the note it belongs to).

Lines come from the reader: text exported from a PDF (paragraphs separated by blank lines,
perhaps wrapped), or Word paragraphs one a line with or without blank lines between, table rows
as tab-separated cells. Nothing is dropped: what is not understood is kept as narrative and
listed in `ParsedMinutes.warnings`. Only a document with no minute structure at all is refused.
"""

import datetime
import re
from dataclasses import dataclass

from meetings.minute_rules import CITATION_RE

from .names import looks_like_name, name_parts, split_names, split_top_level, strip_brackets
from .owners import ACTION_LINE, split_action_line
from .structure import (
    ParsedAction,
    ParsedAttendee,
    ParsedCitation,
    ParsedMinuteItem,
    ParsedMinutes,
    ParsedResolution,
)


class MinutesFormatError(ValueError):
    """The text has no minute structure the parser can recognise: nothing could be imported."""


NO_HEADINGS = (
    "No minute headings were found: expected headings like '48. DECLARATIONS OF INTEREST', "
    "'5. Minutes of the previous meeting', 'Item 5' or 'Item 5: Title', or a modern.gov "
    "agenda item page with 'Minutes:'. Check that the file is a set of minutes."
)
NOTHING_MINUTED = (
    "Numbered headings were found ({examples}), but nothing that minutes record: no attendance "
    "('Present:'), no apologies, no 'Resolved' and no 'Action:' lines. This looks like a report "
    "or an agenda rather than minutes."
)

# Characters that differ from a plain space or vanish, as Word and PDFs write them.
_INVISIBLE = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u00ad": "",
        "\ufeff": "",
        "\r": "",
        "\f": "",
        "\v": " ",
    }
)

# Headings ---------------------------------------------------------------------------------

# "48. DECLARATIONS OF INTEREST", "48 DECLARATIONS", "48.DECLARATIONS", "5. Title", "5) Title".
_NUMBERED = re.compile(r"^(?P<number>\d{1,4})(?:[.)]\s*|\s+)(?P<title>\S.*)$")
# "Item 5", "Item 5: Title", "ITEM 5 - Title", "Item 5. Title".
_ITEM = re.compile(r"^item\s+(?P<number>\d{1,4})\b\s*[:.)\-–—]?\s*(?P<title>.*)$", re.IGNORECASE)
# modern.gov: "48." alone, the title on the next line.
_BARE_NUMBER = re.compile(r"^(?P<number>\d{1,4})\.?$")
_AGENDA_ITEM = re.compile(r"^agenda\s+item\s*:?$", re.IGNORECASE)
_MEETING = re.compile(
    r"^meeting\s*:\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*[-–—]?\s*(?P<board>.*?)"
    r"(?:\s*\(\s*item\s+(?P<item>\d{1,4})\.?\s*\))?\s*$",
    re.IGNORECASE,
)
_MINUTES_MARKER = re.compile(r"^minutes\s*:\s*-?$", re.IGNORECASE)
_DOCUMENTS = re.compile(
    r"^(?:supporting|additional|background)\s+(?:documents|papers)\s*:?\s*-?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# What modern.gov appends to a title that has a paper: "Minutes pdf icon PDF 114 KB".
_PDF_SUFFIX = re.compile(r"\s*(?:pdf icon\s*)?PDF\s+\d+(?:\.\d+)?\s*[KM]B\s*$", re.IGNORECASE)
_PAGES_SUFFIX = re.compile(r"\s*\(Pages?\s+\d+(?:\s*-\s*\d+)?\)\s*$", re.IGNORECASE)

# Attendance -------------------------------------------------------------------------------

_GROUPS = [
    (r"present", "member"),
    (r"members(?:\s+present)?|board\s+members|attendees|attendance", "member"),
    (r"substitutes?(?:\s+present)?", "substitute"),
    (r"(?:report\s+)?presenters|presenting|in\s+attendance\s+for\s+items?", "presenter"),
    (r"officers(?:\s+present|\s+in\s+attendance)?|in\s+attendance", "officer"),
    (r"observers?|also\s+present|also\s+in\s+attendance", "observer"),
]
_GROUP_HEADING = re.compile(
    r"^(?P<heading>" + "|".join(f"(?:{pattern})" for pattern, _ in _GROUPS) + r")\b"
    r"\s*(?::\s*-?|-(?!\w)|–|—)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_APOLOGIES = re.compile(r"^apologies\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_APOLOGIES_INTRO = re.compile(
    r"^\s*(?:for\s+(?:absence|non[-\s]attendance)\s*)?"
    r"(?:(?:were|was|had\s+been|have\s+been|are)\s+)?"
    r"(?:(?:received|submitted|noted|given|tendered|recorded)\s+)?"
    r"(?:(?:from|by|on\s+behalf\s+of)\s+)?(?:the\s+following\s*)?[:;,\-–—]*\s*",
    re.IGNORECASE,
)
_APOLOGY_SEPARATORS = (r"\s*;\s*", r"\s*,\s*", r"\s+and\s+", r"\s*&\s*")
_NO_ONE = re.compile(r"^(?:none|nil|no\s+apologies|n/?a)\b", re.IGNORECASE)
_REPRESENTING = re.compile(
    r"(?:^|(?<=[\s(,;]))(?:representing|substituting\s+for|substitute\s+for|sub\s+for|"
    r"deputising\s+for|on\s+behalf\s+of|in\s+place\s+of)\s+(?P<who>[^),;]+)",
    re.IGNORECASE,
)
_IN_THE_CHAIR = re.compile(
    r"\(\s*(?:in\s+the\s+chair|chair(?:man|person|woman)?|chair\s+of\s+the\s+meeting)\s*\)",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"^[A-Z]{2,4}$")
_HEADER_KEYS = {
    "title of meeting": "board",
    "meeting": "board",
    "committee": "board",
    "board": "board",
    "date": "date",
    "time": "ignore",
    "venue": "ignore",
    "location": "ignore",
    "place": "ignore",
    "minutes": "ignore",
    "minute taker": "ignore",
    "minutes taken by": "ignore",
    "chair": "chair",
    "chairman": "chair",
    "chairperson": "chair",
}
_BODY_WORDS = re.compile(
    r"\b(?:board|commission|committee|sub-committee|partnership|group|cabinet|council|forum|"
    r"panel|assembly|executive|network|alliance)\b",
    re.IGNORECASE,
)
_MINUTES_OF = re.compile(
    r"^(?:(?:draft|confirmed|approved|unconfirmed)\s+)?minutes(?:\s+of\s+(?:the|a)\s+"
    r"(?:(?:\w+\s+)?meeting\s+of\s+(?:the\s+)?)?)?\s*",
    re.IGNORECASE,
)

# Dates -------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_WORDS = re.compile(
    _WEEKDAY + r"(?P<day>\d{1,2})\s?(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month>{_MONTH_NAMES})\b\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_DATE_NUMBERS = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b")

# Minute bodies -----------------------------------------------------------------------------

# "Resolved:-", "RESOLVED –", "Resolved: That…", "RESOLVED–that", "Agreed:", "It was resolved".
_RESOLVED = re.compile(
    r"^(?:it\s+was\s+)?(?P<word>resolved|agreed|decisions?|decided)\b"
    r"(?P<sep>\s*(?::\s*-|:|–|—|-|\.)|\s+(?=that\b|\())?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _resolved(text):
    """The match for a "Resolved" label, or None: the word must be followed by a colon, a dash,
    "that" or a bracket, or stand alone, so "Agreed actions would be circulated." is not one."""
    match = _RESOLVED.match(text or "")
    if match and (match.group("sep") or not match.group("rest")):
        return match
    return None


_DISCUSSION = re.compile(
    r"^(?:discussion\s+ensued|in\s+(?:the\s+)?discussion|during\s+(?:the\s+)?discussion|"
    r"the\s+following\s+(?:issues|points|questions)\s+were\s+(?:raised|discussed)|"
    r"members\s+raised\s+the\s+following)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-–—•·▪◦*]|\u2022|o(?=\s+[A-Z]))\s+(?P<text>\S.*)$")
_LABELS = [
    ("(1)", re.compile(r"^\((?P<label>\d{1,2})\)\s*(?P<text>.*)$", re.DOTALL)),
    ("1.", re.compile(r"^(?P<label>\d{1,2})[.)](?:\s+|(?=[A-Z\"'“‘]))(?P<text>.*)$", re.DOTALL)),
    ("(i)", re.compile(r"^\((?P<label>i{1,3}|iv|vi{0,3}|ix|xi{0,2})\)\s*(?P<text>.*)$", re.S)),
    ("(a)", re.compile(r"^\((?P<label>[a-z])\)\s*(?P<text>.*)$", re.DOTALL)),
    ("a)", re.compile(r"^(?P<label>[a-z])\)\s+(?P<text>.*)$", re.DOTALL)),
]
_ROMAN = {"i": 1, "v": 5, "x": 10}
_NO_ACTION = re.compile(r"^(?:none|nil|n/?a|no\s+action|-+|none\s+required|noted)\.?$", re.I)
_ACTION_COLUMN = re.compile(r"^(?:actions?|action\s+by|owner|lead|by\s+whom|who)$", re.IGNORECASE)
_MATTERS_ARISING = re.compile(
    r"matters\s+arising|minutes\s+of\s+(?:the\s+)?(?:previous|last)|previous\s+minutes|"
    r"minutes\s+of\s+the\s+meeting\s+held|action\s+(?:log|tracker|sheet)|"
    r"actions?\s+from\s+(?:the\s+)?(?:previous|last)",
    re.IGNORECASE,
)
# "Minute 36(2)" as well as the "Minute No. 36(2)" of meetings.minute_rules.
_BARE_CITATION = re.compile(r"\b[Mm]inute\s+(\d{1,4})\b(?:\s*\((\d{1,2})\))?")


# Lines into units --------------------------------------------------------------------------


@dataclass
class _Unit:
    """A paragraph, a list item, a table row or a heading: what the parser reads at a time."""

    line: int  # 1-based number of its first line in the lines given
    lines: list[str]

    @property
    def is_row(self):
        return "\t" in self.lines[0] and len(self.lines) == 1

    @property
    def cells(self):
        if self.is_row:
            return [cell.strip() for cell in self.lines[0].split("\t") if cell.strip()]
        return [self.text]

    @property
    def text(self):
        first = self.lines[0]
        if self.is_row:
            return "\t".join(self.cells)
        if _BULLET.match(first) and first[:1].isspace():
            first = "  " + first.strip()  # keep one level of nesting: "  - Alcohol"
        else:
            first = first.strip()
        joined = first
        previous = first
        for line in self.lines[1:]:
            line = line.strip()
            # A line wrapped by the PDF continues the sentence; a short line is its own line.
            wrapped = len(previous) >= 70 and not _BULLET.match(line)
            joined += (" " if wrapped else "\n") + line
            previous = line
        return joined

    @property
    def single(self):
        """The unit's text when it is one cell, for matching constructs; '' for a table row."""
        return "" if self.is_row else self.text


def _clean(line):
    return (line or "").translate(_INVISIBLE).rstrip()


def _caps(text):
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) >= 0.9


def _title_like(text, *, max_words=16):
    """A heading's words: short, not a sentence, not a resolution."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or len(text) > 200 or "\t" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘("):
        return False
    if re.match(r"^(?:that|to)\b", text, re.IGNORECASE):
        return False
    return not (text.endswith((".", ";", ",")) and not text.endswith("etc."))


def _starts_unit(line):
    """Whether a line begins something of its own even with no blank line before it."""
    text = line.strip()
    return bool(
        "\t" in text
        or _BULLET.match(line)
        or _label_of(text)
        or ACTION_LINE.match(text)
        or _resolved(text)
        or _GROUP_HEADING.match(text)
        and _group_heading(text)
        or _NUMBERED.match(text)
        or _ITEM.match(text)
        or _BARE_NUMBER.match(text)
        or _MINUTES_MARKER.match(text)
        or _DOCUMENTS.match(text)
        or _AGENDA_ITEM.match(text)
        or _MEETING.match(text)
        or _APOLOGIES.match(text)
        or _DISCUSSION.match(text)
    )


def _stands_alone(line):
    """Whether a line ends its unit: a heading, a marker, an action or a table row."""
    text = line.strip()
    if "\t" in text or not text:
        return True
    if _resolved(text) and not _resolved(text).group("rest"):
        return True
    if text.endswith((":", ":-")) and len(text) < 80:
        return True
    return bool(
        ACTION_LINE.match(text)
        or _MINUTES_MARKER.match(text)
        or _AGENDA_ITEM.match(text)
        or _MEETING.match(text)
        or _ITEM.match(text)
        or _BARE_NUMBER.match(text)
        or ((m := _NUMBERED.match(text)) and _title_like(m.group("title")))
        or _caps(text)
        and len(text) < 120
    )


def _wrapped(line):
    """Whether a line looks cut short by the PDF's line length: long, and not at a full stop.

    Table rows from Word come one a line with no blank line between them, even where their
    other cells are empty (and so with no tab left), so lines are only run together when the
    first plainly runs on.
    """
    text = line.strip()
    return len(text) >= 60 and not text.endswith((".", ":", ":-", ";", "?", "!", ")"))


def units_of(lines):
    """Group lines into units.

    When paragraphs are separated by blank lines (text from a PDF, or Word paragraphs the
    reader spaced), a long line straight after another that runs on continues it, unless it
    starts something of its own (a list item, a label, an action line, a heading). When there
    are (almost) no blank lines, every line is a unit of its own: Word paragraphs one a line.
    """
    cleaned = [_clean(line) for line in lines]
    filled = sum(1 for line in cleaned if line.strip())
    blank_separated = len(cleaned) - filled >= max(1, filled // 10)
    units = []
    previous_blank = True
    for number, line in enumerate(cleaned, start=1):
        if not line.strip():
            previous_blank = True
            continue
        current = units[-1] if units else None
        last = current.lines[-1] if current else ""
        caps_heading_wraps = (
            current is not None
            and not previous_blank
            and len(current.lines) == 1
            and (m := _NUMBERED.match(last.strip()))
            and _caps(m.group("title"))
            and _caps(line)
            and not _starts_unit(line)
        )
        if caps_heading_wraps:
            current.lines[0] = f"{last.rstrip()} {line.strip()}"
        elif (
            blank_separated
            and not previous_blank
            and current is not None
            and _wrapped(last)
            and not _stands_alone(last)
            and not _starts_unit(line)
        ):
            current.lines.append(line)
        else:
            units.append(_Unit(number, [line]))
        previous_blank = False
    return units


# Small readers ------------------------------------------------------------------------------


def _label_of(text):
    """(style, number, label as printed, rest) for a resolution label, or None.

    Styles: "(1)", "1.", "(a)", "a)", "(i)". "(i)" is read as roman only when it is "(i)" to
    "(xii)"; a block that started "(a)" reads "(i)" as a letter (see _Block.accepts).
    """
    for style, pattern in _LABELS:
        if match := pattern.match(text):
            label = match.group("label")
            if style in ("(1)", "1."):
                number = int(label)
            elif style == "(i)":
                number = _roman(label)
            else:
                number = ord(label) - ord("a") + 1
            printed = text[: match.start("text")].strip()
            return style, number, printed, match.group("text").strip()
    return None


def _runs_on(text):
    """Whether a resolution goes on in the next paragraph: it ends by introducing something
    ("take place on: -") or is in the middle of its list (57(2) of 11 January 2017)."""
    last = text.rstrip().splitlines()[-1] if text.strip() else ""
    if last.rstrip().endswith((":", ":-", ": -", "–")):
        return True
    return bool(_BULLET.match(last) or _label_of(last.strip()))


def _roman(text):
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _group_heading(text):
    """(group, heading as printed, rest of the line) for 'Members:-', 'Present: A, B'…"""
    match = _GROUP_HEADING.match(text.strip())
    if not match:
        return None
    heading, rest = match.group("heading"), match.group("rest").strip()
    separated = text.strip()[len(heading) :].lstrip()[:1] in (":", "-", "–", "—")
    if rest and not separated:
        return None  # "Present were…", "Officers reported that…": a sentence, not a heading
    first = split_top_level(rest, [r"\s*;\s*", r"\s*,\s*", r"\s+and\s+"])[:1] if rest else []
    if rest and not (first and looks_like_name(strip_brackets(first[0])[0], max_words=8)):
        return None
    lowered = " ".join(heading.lower().split())
    for pattern, group in _GROUPS:
        if re.fullmatch(pattern, lowered):
            return group, heading, rest
    return None


def find_date(text):
    """(date, match) for the first date in `text` ('11th January, 2017', 'Wednesday 8 March
    2017', '16/03/2023'), or (None, None). An impossible date gives (None, match)."""
    for pattern in (_DATE_WORDS, _DATE_NUMBERS):
        if match := pattern.search(text or ""):
            month = match.group("month")
            month = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                day = datetime.date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                return None, match
            return day, match
    return None, None


def _excerpt(text, length=70):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _clean_heading(text):
    text = _PDF_SUFFIX.sub("", text.strip())
    return _PAGES_SUFFIX.sub("", text).strip()


def _minute_label(item):
    if item.number is not None:
        return f"minute {item.number}"
    return f'the minute "{_excerpt(item.heading, 40)}"'


def citations_of(text):
    """Citations of earlier minutes: 'Minute No. 36(2)', 'Arising from Minute No. 43(3)',
    'Minute No. 36 (Health and Wellbeing Strategy)', 'minute 12'."""
    found = []
    for pattern in (CITATION_RE, _BARE_CITATION):
        for match in pattern.finditer(text or ""):
            if any(start <= match.start() < end for start, end, _ in found):
                continue
            resolution = int(match.group(2)) if match.group(2) else None
            citation = ParsedCitation(match.group(0).strip(), int(match.group(1)), resolution)
            found.append((match.start(), match.end(), citation))
    return [citation for _, _, citation in sorted(found, key=lambda row: row[0])]


# Headings --------------------------------------------------------------------------------


@dataclass
class _Heading:
    index: int  # of its first unit
    units: int  # how many units it takes (the number and the title may be two)
    number: int | None
    title: str
    extra: str = ""  # further cells of a table row, kept as narrative


def _candidates(units):
    """Every unit that could be a heading, by style: {style: [_Heading…]}."""
    found = {"caps": [], "item": [], "bare": [], "row": [], "title": [], "page": []}
    for index, unit in enumerate(units):
        cells = unit.cells
        first = cells[0]
        following = units[index + 1] if index + 1 < len(units) else None
        if match := _ITEM.match(first):
            title = match.group("title").strip()
            extra = cells[2:] if len(cells) > 2 else []
            taken = 1
            if not title and len(cells) > 1:
                title = cells[1]
            elif not title and following and _title_like(following.single):
                title, taken = following.single, 2
            if not title or _title_like(title, max_words=24):
                number = int(match.group("number"))
                found["item"].append(
                    _Heading(index, taken, number, _clean_heading(title), "\t".join(extra))
                )
            continue
        if _BARE_NUMBER.match(first) and (len(cells) > 1 or following is not None):
            title = cells[1] if len(cells) > 1 else following.single
            if _title_like(_clean_heading(title), max_words=24):
                taken = 1 if len(cells) > 1 else 2
                number = int(_BARE_NUMBER.match(first).group("number"))
                extra = "\t".join(cells[2:])
                # A number alone on its line is modern.gov's; a number in the first cell of a
                # table row may as well be a contents page or a numbered table.
                style = "row" if len(cells) > 1 else "bare"
                found[style].append(_Heading(index, taken, number, _clean_heading(title), extra))
            continue
        if unit.is_row:
            continue
        if match := _NUMBERED.match(first):
            title = _clean_heading(match.group("title"))
            number = int(match.group("number"))
            if _caps(title) and (not title.endswith(".") or len(title.split()) <= 8):
                found["caps"].append(_Heading(index, 1, number, title))
            elif re.match(r"^\d{1,4}[.)]", first) and _title_like(title):
                found["title"].append(_Heading(index, 1, number, title))
        if _AGENDA_ITEM.match(first) or _MINUTES_MARKER.match(first) or _MEETING.match(first):
            found["page"].append(_Heading(index, 1, None, ""))
    return found


def _choose_style(found):
    """The heading style of the document: the commonest of the unmistakable ones (capitals,
    "Item 5", a number alone), unless ordinary-case numbered lines far outnumber them; then
    ordinary case; then a modern.gov page."""
    strong = [
        (len(found[style]), -rank, style) for rank, style in enumerate(("caps", "item", "bare"))
    ]
    count, _, style = max(strong)
    title = len(found["title"])
    if count >= 2 or (count and count * 3 >= title):
        return style
    if len(found["row"]) >= 2:
        return "row"
    if title:
        return "title"
    if found["page"]:
        return "page"
    return None


def _minuted_before(units, end):
    """Whether the units before `end` hold minutes of their own (not just a page's header)."""
    return any(_MINUTES_MARKER.match(unit.single) for unit in units[:end])


def _minuted(units):
    """Whether anything in the text is what minutes record, rather than a report's sections."""
    for index, unit in enumerate(units):
        text = unit.cells[0]
        if (
            _resolved(text)
            or (ACTION_LINE.match(text) and ACTION_LINE.match(text).group("rest"))
            or _group_heading(text)
            or _APOLOGIES.match(text)
            or _MINUTES_MARKER.match(text)
            or (index < 10 and re.search(r"\bminutes\b", text, re.IGNORECASE))
        ):
            return True
    return False


# The parser --------------------------------------------------------------------------------


class _Block:
    """One "Resolved" block of a minute: its label style and the last number used."""

    def __init__(self, index):
        self.index = index
        self.style = None  # "(1)", "1.", "(a)", "a)", "(i)", "bullet" or "" (unnumbered)
        self.last = 0
        self.lead_in = ""
        self.after_action = False

    def accepts(self, label):
        if label is None:
            return None
        style, number, printed, text = label
        if self.style == "(a)" and style == "(i)" and len(printed) == 3:
            # "(i)" after "(h)" is the ninth letter, not the roman one.
            style, number = "(a)", ord(printed[1]) - ord("a") + 1
        if self.style is None:
            return style, number, printed, text
        if style == self.style and number > self.last:
            return style, number, printed, text
        return None


class _Parser:
    def __init__(self, lines, source_name):
        self.units = units_of(lines)
        self.source_name = source_name
        self.result = ParsedMinutes()
        self.warnings = self.result.warnings
        self.chair = ""
        self.board_explicit = False  # named by "Title of Meeting:" or "Meeting:", not guessed
        self.action_column_warned = False

    # The whole ------------------------------------------------------------------------

    def parse(self):
        if not self.units:
            raise MinutesFormatError("There is no text in these minutes.")
        found = _candidates(self.units)
        style = _choose_style(found)
        if style is None:
            raise MinutesFormatError(NO_HEADINGS)
        if style != "page" and not _minuted(self.units):
            examples = ", ".join(f"'{h.number}. {_excerpt(h.title, 30)}'" for h in found[style][:2])
            raise MinutesFormatError(NOTHING_MINUTED.format(examples=examples))
        headings = self._page_headings() if style == "page" else self._headings(found[style], style)
        if not headings:
            raise MinutesFormatError(NO_HEADINGS)
        preamble = self._front(self.units[: headings[0].index])
        for position, heading in enumerate(headings):
            end = headings[position + 1].index if position + 1 < len(headings) else len(self.units)
            body = self.units[heading.index + heading.units : end]
            item = ParsedMinuteItem(number=heading.number, heading=heading.title)
            self.result.minute_items.append(item)
            reader = _MinuteReader(self, item, heading)
            reader.read_heading(self.units[heading.index : heading.index + heading.units])
            reader.read(body)
        self._keep_preamble(preamble)
        self._finish()
        return self.result

    def warn(self, unit, message):
        where = f"Line {unit.line}: " if unit is not None else ""
        self.warnings.append(f"{where}{message}")

    def _headings(self, candidates, style):
        """The headings of the chosen style that run in order; others stay where they are."""
        headings = []
        last = None
        taken = set()
        for heading in candidates:
            if heading.index in taken:
                continue
            if last is not None and heading.number <= last:
                if style in ("caps", "item", "bare", "row"):
                    self.warn(
                        self.units[heading.index],
                        f'"{_excerpt(self.units[heading.index].text)}" looks like the heading '
                        f"of minute {heading.number}, but it comes after minute {last}: it is "
                        "kept as narrative of the minute before.",
                    )
                continue
            headings.append(heading)
            taken.update(range(heading.index, heading.index + heading.units))
            last = heading.number
        return headings

    def _page_headings(self):
        """modern.gov "Agenda item" pages: each item starts at "Agenda item", or at the title
        printed just before "Meeting: …", or else at the top of the text. Its title is the
        first line there that is neither of those markers."""
        starts = []
        for index, unit in enumerate(self.units):
            text = unit.single
            if _AGENDA_ITEM.match(text):
                starts.append(index)
            elif _MEETING.match(text) and not any(index - 3 <= start < index for start in starts):
                previous = self.units[index - 1].single if index else ""
                starts.append(index - 1 if index and not _MINUTES_MARKER.match(previous) else index)
        if not starts or (starts[0] > 0 and _minuted_before(self.units, starts[0])):
            starts.insert(0, 0)
        headings = []
        for start in sorted(set(starts)):
            title_at = start
            while title_at < len(self.units) and (
                _AGENDA_ITEM.match(self.units[title_at].single)
                or _MEETING.match(self.units[title_at].single)
            ):
                title_at += 1
            unit = self.units[title_at] if title_at < len(self.units) else None
            if unit is None or _MINUTES_MARKER.match(unit.single):
                self.warn(self.units[start], 'No title is printed before "Minutes:".')
                headings.append(_Heading(start, title_at - start, None, ""))
            else:
                headings.append(
                    _Heading(start, title_at - start + 1, None, _clean_heading(unit.text))
                )
        return headings

    # Before the first minute: the board, the date, attendance and apologies -----------

    def _front(self, units):
        """Read the header and attendance; return the units not understood."""
        group = None
        printed_group = ""
        not_understood = []
        for unit in units:
            text = unit.single
            cells = unit.cells
            if _AGENDA_ITEM.match(text):
                continue
            if match := _MEETING.match(text):
                self._meeting_line(match)
                continue
            if heading := _group_heading(cells[0]):
                group, printed_group, rest = heading
                listed = [part for cell in [rest, *cells[1:]] for part in self._listed(cell)]
                added = [self._attendee(part, [], group, printed_group) for part in listed]
                if not all(added):
                    not_understood.append(unit)
                continue
            if match := _APOLOGIES.match(cells[0]):
                names = self._apologies(unit, " ".join(cells) if unit.is_row else text)
                # "Apologies:-" alone: the names follow, one a line.
                group = "apologies" if names is None else None
                continue
            if self._header_fields(unit):
                continue
            if group == "apologies" and looks_like_name(strip_brackets(cells[0])[0]):
                self.result.apologies.append(strip_brackets(cells[0])[0])
                continue
            if group and self._attendee_row(unit, group, printed_group):
                continue
            if self._header_line(unit, text or cells[0]):
                continue
            if _ACTION_COLUMN.match(text.strip()) or self.action_column(unit):
                continue
            not_understood.append(unit)
            group = None
        return not_understood

    def _meeting_line(self, match):
        day, _ = find_date(match.group("date"))
        if day and not self.result.meeting_date:
            self.result.meeting_date = day
        board = match.group("board").strip(" -–—")
        if board and not self.board_explicit:
            self.result.board_name = board
            self.board_explicit = True

    def _impossible_date(self, unit, printed):
        self.warn(unit, f'"{printed}" is not a real date: give the meeting date with --date.')

    def _header_fields(self, unit):
        """'Date: Wednesday 18th January 2017', 'Title of Meeting:<TAB>CAMHS Strategy…',
        'Chairman: Dr Richard Cullen': understood and used."""
        pairs = []
        cells = unit.cells
        for position, cell in enumerate(cells):
            key, colon, value = cell.partition(":")
            key = " ".join(key.lower().split())
            if not colon or key not in _HEADER_KEYS:
                continue
            value = value.strip(" -")
            if not value and position + 1 < len(cells):
                value = cells[position + 1]
            pairs.append((_HEADER_KEYS[key], value))
        if not pairs:
            return False
        for kind, value in pairs:
            if kind == "board" and value and not self.board_explicit:
                self.result.board_name = value
                self.board_explicit = True
            elif kind == "date":
                day, match = find_date(value)
                if day and not self.result.meeting_date:
                    self.result.meeting_date = day
                elif match and not day:
                    self._impossible_date(unit, match.group(0))
            elif kind == "chair" and value:
                self.chair = value
        return True

    def _header_line(self, unit, text):
        """A line naming the board or the date: 'HEALTH AND WELLBEING BOARD', '11th January,
        2017', 'Minutes of the meeting of the Safer Rotherham Partnership held on …'."""
        text = text.strip()
        if not text:
            return False
        day, match = find_date(text)
        board = text
        if match:
            board = text[: match.start()]
        board = _MINUTES_OF.sub("", board).strip()
        board = re.sub(r"\s+held\s+(?:on|at)?\s*$", "", board, flags=re.IGNORECASE)
        board = re.sub(r"\s+meeting$", "", board.strip(" ,:;-–—"), flags=re.IGNORECASE)
        understood = False
        date_before = self.result.meeting_date
        if day and not self.result.meeting_date:
            self.result.meeting_date = day
            understood = True
        elif day:
            understood = True
        elif match:
            self._impossible_date(unit, match.group(0))
            understood = True
        if board and _BODY_WORDS.search(board) and len(board) <= 120:
            # Of lines naming a body before the date, the last is the board ("Rotherham
            # Clinical Commissioning Group" above "CAMHS Strategy & Partnership Group").
            if not self.board_explicit and (date_before is None or day):
                self.result.board_name = board
            understood = True
        if re.fullmatch(r"(?:(?:draft|confirmed|approved)\s+)?minutes\.?", text, re.IGNORECASE):
            understood = True
        return understood

    def _attendee_row(self, unit, group, printed_group):
        cells = unit.cells
        if unit.is_row:
            name = cells[0]
            if not looks_like_name(strip_brackets(_IN_THE_CHAIR.sub("", name))[0]):
                return False
            return self._attendee(name, cells[1:], group, printed_group)
        text = unit.text
        if "\n" in text or len(text) > 200:
            return False
        for separator in (r"\s+[-–—]\s+", r",\s*"):
            name, *rest = re.split(separator, text, maxsplit=1)
            if rest and looks_like_name(strip_brackets(name)[0]):
                return self._attendee(name, rest, group, printed_group)
        if looks_like_name(strip_brackets(_IN_THE_CHAIR.sub("", text))[0], max_words=7):
            return self._attendee(text, [], group, printed_group)
        return False

    @staticmethod
    def _listed(text):
        """'Councillor Keenan (in the Chair); Councillors Andrews and Yasseen.' -> the names,
        each with what is in brackets after it."""
        return (
            split_names(text, separators=_APOLOGY_SEPARATORS, roles=False) if text.strip() else []
        )

    def _attendee(self, name_text, role_cells, group, printed_group):
        """Add an attendee; False (and nothing added) if the name is not a person's."""
        initials = ""
        roles = []
        for cell in role_cells:
            if not initials and not roles and _INITIALS.match(cell.strip()):
                initials = cell.strip()
            else:
                roles.append(cell.strip())
        role_text = ", ".join(role for role in roles if role)
        in_the_chair = bool(_IN_THE_CHAIR.search(name_text) or _IN_THE_CHAIR.search(role_text))
        name_text = _IN_THE_CHAIR.sub("", name_text)
        role_text = _IN_THE_CHAIR.sub("", role_text)
        represents = ""
        whole = f"{name_text} {role_text}"
        if match := _REPRESENTING.search(whole):
            represents = match.group("who").strip()
            name_text = _REPRESENTING.sub("", name_text)
            role_text = _REPRESENTING.sub("", role_text)
        name, bracketed = strip_brackets(name_text)
        if bracketed and not role_text:
            role_text = bracketed
        role_text = re.sub(r"\(\s*\)", "", role_text)
        role_text = " ".join(role_text.split()).strip(" ,;")
        name = name.strip(" ,;.")
        if not looks_like_name(name, max_words=7):
            return False
        self.result.attendees.append(
            ParsedAttendee(
                name=name,
                role_text=role_text,
                group="substitute" if represents else group,
                represents=represents,
                in_the_chair=in_the_chair,
                printed_group=" ".join(printed_group.split()),
                initials=initials,
            )
        )
        return True

    def _apologies(self, unit, text):
        """Names in an apologies paragraph (None if it names no one and none is said: the
        names follow); the paragraph itself is kept as printed."""
        match = _APOLOGIES.match(text.strip())
        rest = _APOLOGIES_INTRO.sub("", match.group("rest"), count=1).strip()
        if not self.result.apologies_text:
            self.result.apologies_text = " ".join(text.split())
        if not rest:
            return None
        if _NO_ONE.match(rest):
            return []
        names = []
        for part in split_names(rest, separators=_APOLOGY_SEPARATORS):
            name, _ = strip_brackets(part)
            name = _REPRESENTING.sub("", name).strip(" .,;")
            if looks_like_name(name):
                names.append(name)
            elif name:
                self.warn(
                    unit,
                    f'"{_excerpt(part, 50)}" in the apologies does not read as a person\'s name; '
                    "it is kept in the apologies paragraph only.",
                )
        self.result.apologies.extend(names)
        return names

    def action_column(self, unit):
        """A table row heading an "Actions" column (or the column's heading alone): True, and
        say once that initials in such a column do not become actions."""
        cells = unit.cells
        heads = any(_ACTION_COLUMN.match(cell) for cell in cells) and (
            len(cells) > 1 or unit.lines[0][:1] == "\t"
        )
        if heads and not self.action_column_warned:
            self.action_column_warned = True
            self.warn(
                unit,
                'The minutes have an "Actions" column: the initials in it are kept in the '
                'narrative as printed, not made into actions. Only "Action: Name" lines become '
                "actions.",
            )
        return heads

    def _keep_preamble(self, units):
        """What came before the first minute and was not understood: kept in its narrative."""
        if not units or not self.result.minute_items:
            return
        first = self.result.minute_items[0]
        for unit in units:
            self.warn(
                unit,
                f'"{_excerpt(unit.text)}" was not understood and is kept as narrative of '
                f"{_minute_label(first)}.",
            )
        first.paragraphs[:0] = [unit.text for unit in units]
        # Indexes of notes that actions follow move down by as many paragraphs.
        for action in first.actions:
            if action.note_index is not None:
                action.note_index += len(units)

    def _finish(self):
        result = self.result
        if self.chair:
            self._mark_chair(self.chair)
        if not result.meeting_date:
            self.warnings.append(
                "No meeting date was found at the top of the minutes: give it with --date."
            )
        for item in result.minute_items:
            texts = [item.narrative, *item.discussion_points, *(r.text for r in item.resolutions)]
            for text in texts:
                item.citations.extend(citations_of(text))

    def _mark_chair(self, printed):
        _, wanted = name_parts(printed)
        for attendee in self.result.attendees:
            if name_parts(attendee.name)[1] == wanted:
                attendee.in_the_chair = True
                return
        name, _ = strip_brackets(printed)
        self.result.attendees.insert(
            0, ParsedAttendee(name=name, group="member", in_the_chair=True, printed_group="Chair")
        )


class _MinuteReader:
    """Reads the units under one heading into the minute item."""

    def __init__(self, parser, item, heading):
        self.parser = parser
        self.item = item
        self.matters_arising = bool(_MATTERS_ARISING.search(item.heading))
        self.mode = "narrative"
        self.block = None
        self.last = None  # ("paragraph", index), ("resolution", index) or ("point", index)
        if heading.extra:
            self.item.paragraphs.append(heading.extra)

    def warn(self, unit, message):
        self.parser.warn(unit, message)

    def read_heading(self, units):
        """A modern.gov page's "Meeting: 15/01/2026 - Board (Item 83.)" line may come between
        "Agenda item" and the title."""
        for unit in units:
            if match := _MEETING.match(unit.single):
                self._meeting(match)

    def _meeting(self, match):
        self.parser._meeting_line(match)
        if match.group("item") and self.item.number is None:
            self.item.number = int(match.group("item"))

    def read(self, units):
        skip = 0
        for index, unit in enumerate(units):
            if skip:
                skip -= 1
                continue
            following = units[index + 1] if index + 1 < len(units) else None
            skip = self._unit(unit, following)

    def _unit(self, unit, following):
        """Read one unit; return how many of the following units it also took."""
        text = unit.single
        if _MINUTES_MARKER.match(text):
            self._minutes_marker()
            return 0
        if match := _MEETING.match(text):
            self._meeting(match)
            return 0
        if match := _DOCUMENTS.match(text):
            self.mode = "documents"
            if match.group("rest"):
                self.item.supporting_documents.append(match.group("rest"))
            return 0
        if self.mode == "documents":
            self.item.supporting_documents.extend(
                line.strip() for line in unit.lines if line.strip()
            )
            return 0
        taken = self._action(unit, following)
        if taken is not None:
            return taken
        if match := _resolved(text):
            self._open_block(unit, match.group("rest").strip(), following)
            return 0
        if self.mode == "resolved" and self._in_block(unit, following):
            return 0
        if _DISCUSSION.match(text):
            self._paragraph(unit)
            self.mode = "discussion"
            return 0
        if self.mode == "discussion" and _BULLET.match(unit.lines[0]):
            self._points(unit)
            return 0
        self._paragraph(unit)
        return 0

    # Narrative ------------------------------------------------------------------------

    def _minutes_marker(self):
        """modern.gov: what came before "Minutes:" is the agenda's summary of the item."""
        if self.item.paragraphs and not self.item.actions:
            summary = "\n\n".join(self.item.paragraphs)
            self.item.summary = "\n\n".join(filter(None, [self.item.summary, summary]))
            self.item.paragraphs = []
        self.mode = "narrative"
        self.block = None
        self.last = None

    def _paragraph(self, unit):
        text = unit.text
        paragraphs = self.item.paragraphs
        if (
            _BULLET.match(unit.lines[0])
            and self.last
            and self.last[0] == "paragraph"
            and self.last[1] == len(paragraphs) - 1
            and _BULLET.match(paragraphs[-1].splitlines()[-1])
        ):
            # A list goes on: one paragraph, one line a point.
            paragraphs[-1] = f"{paragraphs[-1]}\n{text}"
        else:
            paragraphs.append(text)
        self.last = ("paragraph", len(paragraphs) - 1)
        self.mode = "narrative"
        self.block = None
        if unit.is_row:
            self.parser.action_column(unit)
        if _APOLOGIES.match(unit.cells[0]) and not self.parser.result.apologies:
            self.parser._apologies(unit, text.replace("\t", " "))

    def _points(self, unit):
        for line in unit.lines:
            if match := _BULLET.match(line):
                self.item.discussion_points.append(match.group("text").strip())
            elif self.item.discussion_points:
                self.item.discussion_points[-1] += " " + line.strip()
        self.last = ("point", len(self.item.discussion_points) - 1)

    # Resolutions ----------------------------------------------------------------------

    def _open_block(self, unit, rest, following):
        self.item.resolved_blocks += 1
        self.block = _Block(self.item.resolved_blocks - 1)
        self.mode = "resolved"
        if rest:
            self._first_in_block(unit, rest, following)

    def _first_in_block(self, unit, text, following):
        label = self.block.accepts(_label_of(text))
        if label:
            self._resolution(unit, label)
            return
        if text.rstrip().endswith((":", ":-")) and following is not None:
            next_text = following.single
            if self.block.accepts(_label_of(next_text)) or _BULLET.match(following.lines[0]):
                self.block.lead_in = text.strip()
                return
        self.block.style = ""
        self._add_resolution(unit, None, "", text)

    def _in_block(self, unit, following):
        """Read a unit inside a "Resolved" block; False if the unit ends the block."""
        block = self.block
        text = unit.single
        if not text:
            return False
        resolutions = [r for r in self.item.resolutions if r.block == block.index]
        label = block.accepts(_label_of(text))
        if label:
            self._resolution(unit, label)
            return True
        if not resolutions and not (block.lead_in and _BULLET.match(unit.lines[0])):
            self._first_in_block(unit, text, following)
            return True
        if _BULLET.match(unit.lines[0]) and block.lead_in and block.style in (None, "bullet"):
            block.style = "bullet"
            self._add_resolution(unit, None, "", _BULLET.match(unit.lines[0]).group("text"))
            return True
        if _DISCUSSION.match(text) or block.after_action or block.style == "":
            return False
        if block.style == "bullet":
            return False
        current = resolutions[-1]
        # A list inside the resolution: bullets, or labels of another style ("(1) … subject
        # to: (a) …; (b) …").
        bullet = _BULLET.match(unit.lines[0]) or _label_of(text)
        if not bullet and not _runs_on(current.text):
            # A sentence after a complete resolution is narrative again ("The Chair thanked…").
            return False
        joiner = "\n" if bullet else "\n\n"
        current.text = f"{current.text}{joiner}{unit.text}"
        return True

    def _resolution(self, unit, label):
        style, number, printed, text = label
        block = self.block
        if block.style is None:
            block.style = style
        elif number != block.last + 1:
            self.warn(
                unit,
                f"Resolution {printed} of {_minute_label(self.item)} follows "
                f"resolution {block.last}: check the numbering.",
            )
        block.last = number
        if any(r.number == number for r in self.item.resolutions):
            self.warn(
                unit,
                f"{_minute_label(self.item).capitalize()} has two resolutions numbered {number} "
                "(in different 'Resolved' blocks): check the numbering.",
            )
        self._add_resolution(unit, number, printed, text)

    def _add_resolution(self, unit, number, printed, text):
        self.block.after_action = False
        self.item.resolutions.append(
            ParsedResolution(
                number=number,
                text=text.strip(),
                label=printed,
                block=self.block.index,
                lead_in=self.block.lead_in,
            )
        )
        self.last = ("resolution", len(self.item.resolutions) - 1)
        self.mode = "resolved"

    # Actions --------------------------------------------------------------------------

    def _action(self, unit, following):
        """An action line: attach it; return how many following units it took, or None."""
        if unit.is_row:
            cells = unit.cells
            if not re.fullmatch(r"actions?\s*:\s*-?", cells[0], re.IGNORECASE):
                return None
            printed, owners_text, taken = " ".join(cells), " ".join(cells[1:]), 0
        else:
            match = ACTION_LINE.match(unit.text)
            if not match:
                return None
            printed, owners_text, taken = unit.text, match.group("rest"), 0
        if not owners_text and following is not None:
            candidate = following.single
            names = split_action_line(candidate)[0]
            if names and all(looks_like_name(name) for name in names):
                printed, owners_text, taken = f"{printed} {candidate}", candidate, 1
        if not owners_text:
            self.warn(
                unit,
                f'"{_excerpt(printed)}" names no one: it is kept as narrative of '
                f"{_minute_label(self.item)}, not made into an action.",
            )
            self._paragraph(unit)
            return 0
        if _NO_ACTION.match(owners_text.strip()):
            self._paragraph(unit)
            return taken
        owners, due = split_action_line(owners_text)
        people = [name for name in owners if looks_like_name(name)]
        for name in owners:
            if name not in people:
                self.warn(
                    unit,
                    f'"{_excerpt(name, 50)}" in "{_excerpt(printed, 60)}" does not read as a '
                    "person's name: the action is kept without that owner.",
                )
        self._attach(unit, printed.strip(), people, due)
        return taken

    def _attach(self, unit, printed, owners, due):
        item = self.item
        action = ParsedAction(as_printed=printed, owners=owners, text="", source="minute_item")
        action.due_text = due
        kind, index = self.last if self.last else (None, None)
        if kind == "resolution":
            resolution = item.resolutions[index]
            action.source = "resolution"
            action.text = resolution.text
            action.resolution_index = index
            action.resolution_number = self._number_in_sequence(index)
            if self.block is not None:
                self.block.after_action = True
        elif kind == "paragraph":
            action.source = "matters_arising" if self._arising(index) else "minute_item"
            action.text = item.paragraphs[index]
            action.note_index = index
            self._keep_in_narrative(printed)
        elif kind == "point":
            action.text = item.discussion_points[index]
            self._keep_in_narrative(printed)
        else:
            action.text = item.heading
            self.warn(
                unit,
                f'"{_excerpt(printed)}" comes before anything it could belong to in '
                f"{_minute_label(item)}: the action takes the minute's heading as its text.",
            )
            self._keep_in_narrative(printed)
        item.actions.append(action)

    def _arising(self, index):
        """A note in the previous minutes' item, or one citing an earlier minute."""
        return self.matters_arising or bool(citations_of(self.item.paragraphs[index]))

    def _keep_in_narrative(self, printed):
        """An action after a note stays in the narrative as printed, after its note; the
        note remains what a further action line would belong to."""
        last = self.last
        self.item.paragraphs.append(printed)
        self.last = last
        self.mode = "narrative"

    def _number_in_sequence(self, index):
        """The resolution's number, or for an unnumbered one the next after the one before."""
        number = 0
        for resolution in self.item.resolutions[: index + 1]:
            number = resolution.number if resolution.number is not None else number + 1
        return number


def parse_minutes(lines, *, source_name=""):
    """Read minutes from their lines (no line endings) into a ParsedMinutes.

    Raises MinutesFormatError only when no minute structure is found at all; anything else odd
    is kept as narrative and explained in the result's warnings.
    """
    return _Parser(list(lines), source_name).parse()
