"""Reading the minutes of the HWB meeting of 11 January 2017 (PACK:63-428) into their parts.

The minutes are printed as paragraphs separated by blank lines. Under each numbered heading come
narrative paragraphs, perhaps a "Discussion ensued ...:-" list of points, and a "Resolved:-" block
of numbered resolutions, each perhaps followed by an "Action:" line naming who will do it. An
action line printed after a narrative paragraph (the matters arising) stays in the narrative, as
printed; one printed after a resolution belongs to that resolution.
"""

import re
from dataclasses import dataclass, field

from .pack import (
    ATTENDANCE_LINES,
    MINUTES_LINES,
    PackError,
    expect_line,
    lines_between,
    minute_headings,
)

_DISCUSSION = re.compile(r"^Discussion ensued\b")
_RESOLVED = re.compile(r"^Resolved:-\s*\((\d+)\)\s*(.*)$", re.DOTALL)
_RESOLUTION = re.compile(r"^\((\d+)\)\s*(.*)$", re.DOTALL)
# "Action: Kate Green", "Action:- Giles Ratcliffe/Julie Kitlowski"; not "Actions", "Key Action:".
ACTION_LINE = re.compile(r"^Action:-?\s+\S")
_BULLET = re.compile(r"^\s*-\s+")


@dataclass
class ParsedResolution:
    """A numbered resolution as printed, with the action line that follows it, if any."""

    number: int
    text: str
    action_line: str = ""


@dataclass
class ParsedMinute:
    """One numbered minute: heading in capitals, narrative, discussion points and resolutions."""

    number: int
    heading: str
    paragraphs: list = field(default_factory=list)
    discussion_points: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)

    @property
    def narrative(self):
        return "\n\n".join(self.paragraphs)


def paragraphs_of(lines):
    """Blocks of lines separated by blank lines, each without trailing spaces.

    The PDF conversion sometimes leaves a blank line inside a bulleted list (PACK:203, 274); a
    block of bullets straight after another is the same list, so the two are joined.
    """
    blocks, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.rstrip())
            continue
        if not current:
            continue
        if blocks and _BULLET.match(current[0]) and _BULLET.match(blocks[-1][-1]):
            blocks[-1].extend(current)
        else:
            blocks.append(current)
        current = []
    return ["\n".join(block) for block in blocks]


def _bullet_points(paragraph):
    return [_BULLET.sub("", line).strip() for line in paragraph.splitlines()]


def parse_minute(number, heading, body_lines):
    """The parts of one minute from the lines under its heading."""
    minute = ParsedMinute(number, heading)
    mode = "narrative"
    for paragraph in paragraphs_of(body_lines):
        if match := _RESOLVED.match(paragraph):
            mode = "resolutions"
            minute.resolutions.append(ParsedResolution(int(match.group(1)), match.group(2)))
        elif mode == "resolutions":
            _add_to_resolutions(minute, paragraph)
        elif _DISCUSSION.match(paragraph):
            # The lead-in's wording varies ("... issues raised/clarified:-", "... on the report
            # with ..."); the points are the substance, and a minute has one list of them.
            mode = "discussion"
        elif mode == "discussion" and _BULLET.match(paragraph):
            minute.discussion_points.extend(_bullet_points(paragraph))
        else:
            # Narrative after the discussion points (PACK:184) is still narrative.
            mode = "narrative"
            minute.paragraphs.append(paragraph)
    return minute


def _add_to_resolutions(minute, paragraph):
    current = minute.resolutions[-1]
    if match := _RESOLUTION.match(paragraph):
        minute.resolutions.append(ParsedResolution(int(match.group(1)), match.group(2)))
    elif ACTION_LINE.match(paragraph):
        if current.action_line:
            raise PackError(f"Minute {minute.number}({current.number}) has two action lines.")
        current.action_line = paragraph
    else:
        # A resolution running over several paragraphs, like the list of dates in 57(2).
        current.text = f"{current.text}\n\n{paragraph}"


def parse_minutes(lines):
    """Every numbered minute in `lines`, in the order printed."""
    headings = {
        f"{number}. {heading}": (number, heading) for number, heading in minute_headings(lines)
    }
    minutes = []
    body = None
    for line in lines:
        if line.strip() in headings:
            number, heading = headings[line.strip()]
            body = []
            minutes.append((number, heading, body))
        elif body is not None:
            body.append(line)
    return [parse_minute(number, heading, body) for number, heading, body in minutes]


def january_2017_minutes():
    """Minutes 48-57 of the HWB meeting of 11 January 2017."""
    expect_line(MINUTES_LINES[0], "HEALTH AND WELLBEING BOARD")
    minutes = parse_minutes(lines_between(*MINUTES_LINES))
    numbers = [minute.number for minute in minutes]
    if numbers != list(range(48, 58)):
        raise PackError(f"Expected minutes 48 to 57 in the pack; found {numbers}.")
    return minutes


def january_2017_apologies():
    """The apologies paragraph exactly as printed (PACK:103)."""
    for line in lines_between(*ATTENDANCE_LINES):
        if line.startswith("Apologies for absence"):
            return line.strip()
    raise PackError("The apologies paragraph of the 11 January 2017 minutes was not found.")
