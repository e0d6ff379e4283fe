"""Who probably speaks next, from what the chair says: "I call on Kate Green", "over to you, Sue".

A chair hands the floor over by name. After such a cue, the segments up to the next cue (or the
chair speaking again, or the next agenda item) are probably the named person's: each cue gives a
`Suggestion` an officer can accept in one go (`transcription:speakers`). Names are found among
the meeting's people with the importer's matcher (`actions_log.importing.owners.OwnerMatcher`:
titles, initials, hyphens, small misspellings), plus a given name alone ("over to you, Sue")
when exactly one of the meeting's people has it.

Cues understood (any case, with or without commas):

    I call on / upon X; I'd like to call on, invite or ask X (to present...); I invite X;
    I'll hand (over) to X; over to (you,) X; X, over to you; thank you, X (ending a segment);
    a segment that is nothing but a name ("Chris Edwards."), as a chair says when taking
    questions.

The chair speaking again is recognised by the cue segment's speaker label where the voices have
been grouped, and by what chairs say ("Item 53", "any questions", "moving on", "resolved").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from actions_log.importing.names import looks_like_name, name_parts, split_names
from actions_log.importing.owners import OwnerMatcher

from .models import format_timestamp

# The longest a suggestion runs after its cue (a presentation rarely runs longer).
MAX_SECONDS = 15 * 60

_NAME = r"(?P<name>[^.?!;:]+)"
CUES = [
    re.compile(
        r"\b(?:I(?:'d| would)\s+like\s+to\s+|I\s+(?:will|shall|'ll)\s+(?:now\s+)?|can\s+I\s+|"
        r"I\s+(?:now\s+)?)(?:call\s+(?:on|upon)|invite|ask|welcome)\s+" + _NAME,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:hand|pass|handing|passing)\s+(?:it\s+)?(?:over\s+)?to\s+" + _NAME, re.IGNORECASE
    ),
    re.compile(r"\bover\s+to\s+(?:you,?\s+)?" + _NAME, re.IGNORECASE),
    re.compile(r"(?:^|[.,]\s*)(?P<name>[^.?!;:,]+),\s+over\s+to\s+you\b", re.IGNORECASE),
]
# "Thank you, Councillor Roche." only where it ends the segment: mid-speech it is a presenter
# thanking the chair, not a hand-over.
THANKS = re.compile(r"\bthank\s+you,?\s+" + _NAME + r"[.!]?\s*$", re.IGNORECASE)
# Stop words after a name: "invite Dr Ruth Fletcher-Brown to present", "call on Sue who will..."
_AFTER_NAME = re.compile(
    r"\s+(?:to|who|for|please|now|next|from|with|about|on|as|if|then|here)\b.*$", re.IGNORECASE
)
# The chair taking the meeting on: the end of whatever the last cue began.
CHAIR_PHRASES = re.compile(
    r"^\s*(?:thank\s+you[.,!]?\s+)?(?:item\s+\d+|are\s+there\s+any|any\s+(?:questions|comments)"
    r"|moving\s+on|next\s+item|we\s+(?:now\s+)?move\s+on|so,?\s+resolved|resolved"
    r"|action\s+for\b|the\s+meeting\s+is\s+closed)",
    re.IGNORECASE,
)
_TITLE_DOTS = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|Cllr|Prof|Revd?|St)\.", re.IGNORECASE)
_NOT_NAMES = {"you", "everyone", "all", "the chair", "chair", "members", "the board", "colleagues"}


@dataclass
class Suggestion:
    """The segments a cue suggests were spoken by `person`."""

    segment_ids: list[int]
    person: object
    cue: str
    cue_time: float
    cue_segment_id: int
    also_named: list = field(default_factory=list)
    start: float = 0.0
    end: float = 0.0

    @property
    def cue_timestamp(self):
        return format_timestamp(self.cue_time)

    @property
    def span(self):
        return f"{format_timestamp(self.start)}-{format_timestamp(self.end)}"


class NameFinder:
    """The meeting's people by printed or spoken name (`OwnerMatcher`, then a given name)."""

    def __init__(self, people):
        self.people = list(people)
        self.matcher = OwnerMatcher(self.people)
        self.by_given: dict[str, list] = {}
        for person in self.people:
            _, given = name_parts(person.given_name or "")
            if given:
                self.by_given.setdefault(given[0], []).append(person)

    def find(self, text):
        """The person a spoken name is, trying its longest beginning first; None if unsure."""
        words = text.split()
        for size in range(min(len(words), 6), 0, -1):
            candidate = " ".join(words[:size]).strip(" ,'’")
            if not candidate or candidate.lower() in _NOT_NAMES:
                continue
            match = self.matcher.match(candidate)
            if match.person is not None:
                return match.person
            _, tokens = name_parts(candidate)
            if len(tokens) == 1 and len(self.by_given.get(tokens[0], [])) == 1:
                return self.by_given[tokens[0]][0]
        return None

    def people_in(self, text):
        """The people named in the text after a cue ("Janet Wheatley and Tony Clabby")."""
        text = _AFTER_NAME.sub("", text.strip()).strip(" ,")
        found = []
        for name in split_names(text, roles=False):
            person = self.find(name)
            if person is not None and person not in found:
                found.append(person)
        return found


def cue_in(text, finder):
    """(cue text, people named) if the segment hands the floor to someone, else None."""
    text = _TITLE_DOTS.sub(r"\1", text or "").strip()
    for pattern in CUES:
        for match in pattern.finditer(text):
            people = finder.people_in(match.group("name"))
            if people:
                return match.group(0).strip(" ,."), people
    if match := THANKS.search(text):
        people = finder.people_in(match.group("name"))
        if people:
            return match.group(0).strip(" ,."), people
    bare = re.sub(r"^\s*(?:thank\s+you[.,!]?\s*)?", "", text, flags=re.IGNORECASE)
    bare = bare.strip(" .,!?")
    if bare and looks_like_name(bare, max_words=5):
        person = finder.find(bare)
        if person is not None and finder.matcher.match(bare).person is person:
            return text.strip(), [person]
    return None


def suggestions(segments, people, *, item_starts=()):
    """Suggestions from the cues in `segments` (in time order; each with pk, start, end, text,
    speaker_id), naming `people`. `item_starts` are the times agenda items start: a suggestion
    never runs past one."""
    finder = NameFinder(people)
    segments = list(segments)
    boundaries = sorted(item_starts)
    cues = {}
    for index, segment in enumerate(segments):
        if found := cue_in(segment.text, finder):
            cues[index] = found
    result = []
    for index, (cue, named) in cues.items():
        segment = segments[index]
        limit = min([t for t in boundaries if t > segment.end] + [segment.start + MAX_SECONDS])
        taken = []
        for position in range(index + 1, len(segments)):
            later = segments[position]
            if (
                position in cues
                or later.start >= limit
                or (segment.speaker_id and later.speaker_id == segment.speaker_id)
                or CHAIR_PHRASES.match(later.text or "")
            ):
                break
            taken.append(later)
        if taken:
            result.append(
                Suggestion(
                    segment_ids=[s.pk for s in taken],
                    person=named[0],
                    cue=cue,
                    cue_time=segment.start,
                    cue_segment_id=segment.pk,
                    also_named=named[1:],
                    start=taken[0].start,
                    end=taken[-1].end,
                )
            )
    return result


def recording_suggestions(recording, people):
    """Suggestions for a recording's transcript (two queries)."""
    segments = recording.segments.only(
        "pk", "recording_id", "start", "end", "text", "speaker_id"
    ).order_by("start", "pk")
    starts = recording.spans.values_list("start", flat=True)
    return suggestions(segments, people, item_starts=list(starts))
