"""Aligning a recording's transcript to the meeting's agenda: which stretch is which item.

An officer marks where each agenda item starts, or accepts suggestions read from the transcript.
Three kinds of cue suggest a start:

- the item's number spoken ("Item 52, ...", "agenda item number eight", "item ten (a)");
- the item's title: most of its significant words (weighted by how rare they are in the meeting)
  within a segment or two;
- the chair moving business on ("moving on to", "next item", "we now come to").

An item may have many candidate cues (a title is said again in discussion, an item number is
referred back to). `suggest_starts` picks one cue per item so that the starts follow the agenda
order and the cues together are the strongest; items with no cue are left out.

Each marked item runs from its start to the next marked item's start, the last to the end of the
recording (`spans_from_starts`); `save_starts` replaces a recording's spans in one transaction and
logs the change. `parse_time` and `check_order` check what an officer types.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from wagtail.log_actions import log

from .bulk_changes import bulk_change
from .models import Recording, SpanSource, TranscriptSpan, format_timestamp

ALIGN_ACTION = "transcription.align"

# Scores of the kinds of cue: a spoken number identifies an item, a title nearly does, the chair
# moving on says only that *some* item starts.
NUMBER_SCORE = 3.0
ANNOUNCED_BONUS = 0.5  # the number opens a sentence or follows "moving on to"
REPEAT_PENALTY = 0.25  # per earlier mention of the same number: the first is the announcement
UNLETTERED_PENALTY = 1.0  # "item 10" for an agenda whose item 10 has only sub-items
TITLE_SCORE = 2.0  # times the share of the title heard
TITLE_COVERAGE = 0.6
MOVE_ON_SCORE = 0.6
MOVE_ON_BONUS = 0.5
# Seconds: "moving on" this shortly before a spoken number, or before a title (which the chair
# may leave to the presenter), is the start of that item.
MOVE_ON_REACH = {"item number": 6.0, "title": 30.0}
TITLE_AFTER_NUMBER = 20.0  # seconds: a title heard this soon after the number is the same cue
FIXED_SCORE = 1000.0
CUE_LENGTH = 100

STOPWORDS = frozenset(
    ("a", "about", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have")
    + ("in", "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their")
    + ("this", "to", "was", "we", "were", "with")
)
UNITS = {
    word: value
    for value, word in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
        + ("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")
        + ("eighteen", "nineteen")
    )
}
TENS = {
    word: value * 10
    for value, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2
    )
}
MOVE_ON = re.compile(
    r"\b(?:mov(?:e|ing) on(?: to)?|on to the next|the next item(?: is| on the agenda)?|next item"
    r"|next on the agenda|(?:we )?now (?:come|move|turn) to|we come to|turning to)\b"
)
TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
SENTENCE_END = re.compile(r"[.!?:;]\s*$")


@dataclass(frozen=True)
class Suggestion:
    """A suggested start for an agenda item, and the words in the transcript that suggest it."""

    agenda_item: object
    start: float
    cue: str
    reason: str
    score: float = 0.0


@dataclass(frozen=True)
class Span:
    agenda_item: object
    start: float
    end: float


class TimeInputError(ValueError):
    """A start time an officer typed that cannot be used; the message says why."""


class AlignmentError(ValueError):
    """Starts that cannot be saved: `errors` maps agenda items to what is wrong with each."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


# --- Reading the transcript ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str
    begin: int  # character offsets in the segment's (lower-cased) text
    end: int


@dataclass(frozen=True)
class _Cue:
    time: float
    score: float
    reasons: tuple[str, ...]
    segment: int
    offset: int


class _Segment:
    """A segment's text as tokens, and the time at any character of it."""

    def __init__(self, segment):
        self.start = float(segment.start)
        self.end = float(segment.end)
        self.text = segment.text or ""
        self.lower = self.text.lower()
        self.tokens = [_Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(self.lower)]
        self.stems = {_stem(token.text) for token in self.tokens}
        # "well-being" and "well being" are heard as "wellbeing" too.
        self.stems |= {
            _stem(a.text + b.text) for a, b in zip(self.tokens, self.tokens[1:], strict=False)
        }
        self.prefixes = {stem[:6] for stem in self.stems if len(stem) >= 7}
        self._word_times = self._locate_words(getattr(segment, "words", None) or [])

    def _locate_words(self, words):
        """(character offset, start) of each recognised word found in the text, in order."""
        located, cursor = [], 0
        for word in words:
            if isinstance(word, Mapping):
                text, start = word.get("word") or word.get("text") or "", word.get("start")
            else:
                text = getattr(word, "text", None) or getattr(word, "word", "")
                start = getattr(word, "start", None)
            text = text.strip().lower()
            if not text or start is None:
                continue
            found = self.lower.find(text, cursor)
            if found < 0:
                continue
            located.append((found, float(start)))
            cursor = found + len(text)
        return located

    def time_at(self, offset):
        """When the character at `offset` was spoken: from the word timings when there are any,
        else in proportion along the segment."""
        if offset <= 0:
            return self.start
        if self._word_times:
            index = bisect.bisect_right(self._word_times, (offset, math.inf)) - 1
            return max(self._word_times[index][1], self.start) if index >= 0 else self.start
        share = offset / max(len(self.text), 1)
        return round(self.start + (self.end - self.start) * share, 2)

    def excerpt(self, offset):
        text = self.text[offset:].strip()
        if len(text) <= CUE_LENGTH:
            return text
        cut = text.rfind(" ", 0, CUE_LENGTH)
        return text[: cut if cut > CUE_LENGTH // 2 else CUE_LENGTH].rstrip(" ,;:") + "…"


def _stem(word):
    """A light stem, so that "carers", "carer's" and "carer" match."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def spoken_number(tokens, index):
    """The number that `tokens[index:]` begin with, digits or words ("fifty two", "one hundred
    and five"), and the index after it; None when they do not begin with a number."""
    words = [token.text for token in tokens]
    if index >= len(words):
        return None
    first = words[index]
    digits = re.fullmatch(r"(\d{1,4})([a-z]?)", first)
    if digits:
        return int(digits.group(1)), index + 1
    value, position = 0, index
    if (
        position + 1 < len(words)
        and words[position + 1] == "hundred"
        and (words[position] == "a" or 1 <= UNITS.get(words[position], 0) <= 9)
    ):
        value, position = 100 * (UNITS.get(words[position]) or 1), position + 2
        if (
            position + 1 < len(words)
            and words[position] == "and"
            and (words[position + 1] in UNITS or words[position + 1] in TENS)
        ):
            position += 1
    if position < len(words) and words[position] in TENS:
        value, position = value + TENS[words[position]], position + 1
        if position < len(words) and 1 <= UNITS.get(words[position], 0) <= 9:
            value, position = value + UNITS[words[position]], position + 1
    elif position < len(words) and words[position] in UNITS:
        value, position = value + UNITS[words[position]], position + 1
    return (value, position) if position > index else None


def _sub_letter(segment, tokens, index, after):
    """The sub-item letter after a spoken number: "10a", "10(a)", "10 (a)", or "ten a" when the
    agenda has lettered items for that number (so "item 8 a report" is not item 8(a))."""
    attached = re.fullmatch(r"\d{1,4}([a-z])", tokens[index].text)
    if attached:
        return attached.group(1)
    rest = segment.lower[tokens[after - 1].end :]
    bracketed = re.match(r"\s*\(([a-z])\)", rest)
    if bracketed:
        return bracketed.group(1)
    if after < len(tokens) and re.fullmatch(r"[a-h]", tokens[after].text):
        return tokens[after].text + "?"  # a loose letter: only if such a sub-item exists
    return ""


def _number_mentions(segment):
    """(number, letter, offset of the cue, announced) for each "item <number>" in a segment."""
    tokens = segment.tokens
    for index, token in enumerate(tokens):
        if token.text not in ("item", "items"):
            continue
        position = index + 1
        if position < len(tokens) and tokens[position].text in ("number", "no"):
            position += 1
        parsed = spoken_number(tokens, position)
        if parsed is None:
            continue
        number, after = parsed
        letter = _sub_letter(segment, tokens, position, after)
        begin = token.begin
        if index and tokens[index - 1].text == "agenda":
            begin = tokens[index - 1].begin
        announced = not segment.lower[:begin].strip() or bool(
            SENTENCE_END.search(segment.lower[:begin])
        )
        yield number, letter, begin, announced


def _items_by_number(agenda_items):
    """{(number, letter): index}, and {number: indexes of its lettered items}."""
    exact, lettered = {}, {}
    for index, item in enumerate(agenda_items):
        if item.number is None:
            continue
        letter = (item.sub_item or "").strip().lower()
        exact.setdefault((item.number, letter), index)
        if letter:
            lettered.setdefault(item.number, []).append(index)
    return exact, lettered


def _number_cues(segments, agenda_items):
    """Cues from spoken item numbers, per agenda item index."""
    exact, lettered = _items_by_number(agenda_items)
    cues, mentions = {}, {}
    for position, segment in enumerate(segments):
        for number, letter, offset, announced in _number_mentions(segment):
            loose = letter.endswith("?")
            letter = letter.rstrip("?")
            if letter and (number, letter) in exact and (not loose or number in lettered):
                index, score = exact[(number, letter)], NUMBER_SCORE
            elif (number, "") in exact:
                index, score = exact[(number, "")], NUMBER_SCORE
            elif number in lettered:
                index, score = lettered[number][0], NUMBER_SCORE - UNLETTERED_PENALTY
            else:
                continue
            score += ANNOUNCED_BONUS if announced else 0.0
            score -= REPEAT_PENALTY * mentions.get(index, 0)
            mentions[index] = mentions.get(index, 0) + 1
            cue = _Cue(segment.time_at(offset), score, ("item number",), position, offset)
            cues.setdefault(index, []).append(cue)
    return cues


def _title_words(title):
    stems = []
    for match in TOKEN.finditer(title.lower().replace("/", " ")):
        stem = _stem(match.group())
        if stem not in STOPWORDS and len(stem) > 1 and stem not in stems:
            stems.append(stem)
    return stems


def _heard(stem, segment):
    return stem in segment.stems or (len(stem) >= 7 and stem[:6] in segment.prefixes)


def _first_heard(stems, segment):
    """The offset of the first token of `segment` that is one of `stems`."""
    for token in segment.tokens:
        stem = _stem(token.text)
        if any(stem == word or (len(word) >= 7 and stem[:6] == word[:6]) for word in stems):
            return token.begin
    return 0


def _title_cues(segments, agenda_items):
    """Cues from titles: most of a title's significant words in a segment and the next, each
    word weighted by how rare it is in the meeting (a health board says "health" all along)."""
    count = len(segments)
    cues, heard_in = {}, {}
    for index, item in enumerate(agenda_items):
        stems = _title_words(item.title or "")
        if not stems:
            continue
        for stem in stems:
            if stem not in heard_in:
                heard_in[stem] = sum(_heard(stem, segment) for segment in segments)
        weights = {stem: math.log(1 + count / (1 + heard_in[stem])) for stem in stems}
        total = sum(weights.values())
        needed = min(2, len(stems))
        best_by_time = {}
        for position, segment in enumerate(segments):
            here = [stem for stem in stems if _heard(stem, segment)]
            if not here:
                continue
            window = segments[position : position + 2]
            heard = [stem for stem in stems if any(_heard(stem, s) for s in window)]
            coverage = sum(weights[stem] for stem in heard) / total
            if len(heard) < needed or coverage < TITLE_COVERAGE:
                continue
            # The segment that says most of the title is where it starts.
            own = sum(weights[stem] for stem in here) / total
            score = TITLE_SCORE * (0.75 * coverage + 0.25 * own)
            offset = _first_heard(here, segment)
            cue = _Cue(segment.time_at(offset), score, ("title",), position, offset)
            if cue.time not in best_by_time or best_by_time[cue.time].score < cue.score:
                best_by_time[cue.time] = cue
        if best_by_time:
            cues[index] = list(best_by_time.values())
    return cues


def _move_on_cues(segments):
    cues = []
    for position, segment in enumerate(segments):
        for match in MOVE_ON.finditer(segment.lower):
            offset = match.start()
            cues.append(
                _Cue(segment.time_at(offset), MOVE_ON_SCORE, ("chair moved on",), position, offset)
            )
    return cues


def _combine(number_cues, title_cues, move_ons):
    """Merge a number and its title, and a "moving on" just before either, into one cue."""
    combined = []
    titles = list(title_cues)
    for cue in number_cues:
        near = [t for t in titles if 0 <= t.time - cue.time <= TITLE_AFTER_NUMBER]
        if near:
            title = max(near, key=lambda t: t.score)
            cue = _Cue(
                cue.time, cue.score + title.score, (*cue.reasons, "title"), cue.segment, cue.offset
            )
        combined.append(cue)
    combined += titles
    result = []
    for cue in combined:
        reach = MOVE_ON_REACH[cue.reasons[0]]
        before = [m for m in move_ons if 0 <= cue.time - m.time <= reach]
        if before:
            move_on = before[-1]
            cue = _Cue(
                move_on.time,
                cue.score + MOVE_ON_BONUS,
                ("chair moved on", *cue.reasons),
                move_on.segment,
                move_on.offset,
            )
        result.append(cue)
    return result


# --- Choosing one cue per item ------------------------------------------------------------------


def _choose(candidates, count):
    """For each item index, the cue (or None) such that chosen times rise in agenda order and
    the total score is highest; among equal totals, earlier cues win."""
    latest = max((cue.time for cues in candidates for cue in cues), default=0.0) + 1.0
    # Each chosen node: (value, time, item index, cue, previous node).
    ends = []  # nodes of earlier items, for the best predecessor before a time
    for index in range(count):
        ends.sort(key=lambda node: node[1])
        times = [node[1] for node in ends]
        best_before, best = [], None
        for node in ends:
            if best is None or node[0] > best[0]:
                best = node
            best_before.append(best)
        new = []
        for cue in candidates[index]:
            score = cue.score - 1e-3 * cue.time / latest
            position = bisect.bisect_left(times, cue.time) - 1
            previous = best_before[position] if position >= 0 else None
            value = score + (previous[0] if previous else 0.0)
            new.append((value, cue.time, index, cue, previous))
        ends.extend(new)
    chosen = [None] * count
    node = max(ends, key=lambda node: node[0], default=None)
    while node is not None:
        chosen[node[2]] = node[3]
        node = node[4]
    return chosen


def suggest_starts(segments, agenda_items, *, fixed=None):
    """Suggested starts for agenda items, read from the transcript's cues.

    `segments` are objects with `.start`, `.end` and `.text` (and `.words` with timings, used
    when present), in time order; `agenda_items` are in agenda order, with `.pk`, `.number`,
    `.sub_item` and `.title`. `fixed` maps the pks of items whose start an officer has marked to
    that start: the suggestions for the others fit around them.

    Returns a `Suggestion` per item that has a cue (items with no cue are left out), in agenda
    order, each starting after the one before.
    """
    agenda_items = list(agenda_items)
    fixed = fixed or {}
    prepared = [_Segment(segment) for segment in sorted(segments, key=lambda s: (s.start, s.end))]
    numbers = _number_cues(prepared, agenda_items)
    titles = _title_cues(prepared, agenda_items)
    move_ons = _move_on_cues(prepared)
    candidates = []
    for index, item in enumerate(agenda_items):
        if item.pk in fixed:
            start = float(fixed[item.pk])
            candidates.append([_Cue(start, FIXED_SCORE, ("marked",), -1, 0)])
            continue
        cues = _combine(numbers.get(index, []), titles.get(index, []), move_ons)
        candidates.append(cues + move_ons)
    suggestions = []
    for item, cue in zip(agenda_items, _choose(candidates, len(agenda_items)), strict=True):
        if cue is None or item.pk in fixed:
            continue
        segment = prepared[cue.segment]
        suggestions.append(
            Suggestion(
                agenda_item=item,
                start=round(cue.time, 2),
                cue=segment.excerpt(cue.offset),
                reason=_describe(cue.reasons),
                score=round(cue.score, 2),
            )
        )
    return suggestions


def _describe(reasons):
    words = {
        "chair moved on": "the chair moved on",
        "item number": "its number was said",
        "title": "its title was said",
    }
    parts = [words[reason] for reason in reasons]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


# --- Spans --------------------------------------------------------------------------------------


def spans_from_starts(starts, recording_duration):
    """Contiguous spans from (agenda item, start) pairs (or a mapping): each item runs from its
    start to the next marked item's start, the last to the end of the recording."""
    pairs = starts.items() if isinstance(starts, Mapping) else starts
    ordered = sorted(((float(start), item) for item, start in pairs), key=lambda pair: pair[0])
    spans = []
    for position, (start, item) in enumerate(ordered):
        if position + 1 < len(ordered):
            end = ordered[position + 1][0]
        else:
            end = max(float(recording_duration or 0.0), start)
        spans.append(Span(item, start, end))
    return spans


def item_number(item):
    """ "52", "10(a)", or "" for an unnumbered item."""
    if item.number is None:
        return ""
    return f"{item.number}({item.sub_item})" if item.sub_item else str(item.number)


def item_label(item):
    """ "item 52", "item 10(a)", or the title of an unnumbered item."""
    number = item_number(item)
    return f"item {number}" if number else f"“{item.title}”"


def _sentence(text):
    return text[:1].upper() + text[1:]


def check_order(rows):
    """What is wrong with (agenda item, start or None) rows in agenda order: {item: message}.

    Items are taken in agenda order, so each marked item must start after the marked item
    before it; the error goes on the later item and names both.
    """
    errors, previous = {}, None
    for item, start in rows:
        if start is None:
            continue
        if previous is not None and start <= previous[1]:
            earlier, earlier_start = previous
            when = "at the same time as" if start == earlier_start else "before"
            errors[item] = (
                f"{_sentence(item_label(item))} cannot start {when} {item_label(earlier)}, "
                f"which starts at {format_timestamp(earlier_start)}. Items are taken in agenda "
                f"order: check the starts of both."
            )
            continue
        previous = (item, start)
    return errors


def parse_time(text, *, duration=None):
    """Seconds from an officer's time: "1:02:03", "62:03", "5:07" or "307" (seconds)."""
    value = (text or "").strip()
    if not value:
        raise TimeInputError("Enter a time, such as 0:05:07.")
    if value.startswith("-"):
        raise TimeInputError("A time cannot be negative: enter how far into the recording.")
    parts = value.split(":")
    if len(parts) > 3 or not all(re.fullmatch(r"\d+", part) for part in parts[:-1]):
        raise TimeInputError(f"“{value}” is not a time. Enter it like 0:05:07, 5:07 or 307.")
    if not re.fullmatch(r"\d+(?:\.\d+)?", parts[-1]):
        raise TimeInputError(f"“{value}” is not a time. Enter it like 0:05:07, 5:07 or 307.")
    *larger, seconds = parts
    seconds = float(seconds)
    if larger and seconds >= 60:
        raise TimeInputError(f"“{value}”: seconds run from 0 to 59.")
    if len(larger) == 2 and int(larger[1]) >= 60:
        raise TimeInputError(f"“{value}”: minutes run from 0 to 59 after the hours.")
    total = seconds
    for position, part in enumerate(reversed(larger)):
        total += int(part) * 60 ** (position + 1)
    if duration is not None and total > duration:
        raise TimeInputError(
            f"{format_timestamp(total)} is after the end of the recording, which lasts "
            f"{format_timestamp(duration)}."
        )
    return total


# --- Saving ---------------------------------------------------------------------------------------


def recording_duration(recording, segments=None):
    """The recording's length; before it is known, the end of its last segment."""
    if recording.duration:
        return float(recording.duration)
    if segments is not None:
        return max((float(segment.end) for segment in segments), default=0.0)
    last = recording.segments.order_by("-end").values_list("end", flat=True).first()
    return float(last or 0.0)


def transcript_segments(recording):
    """The recording's segments in time order, with what suggesting starts needs (one query)."""
    fields = ("recording", "start", "end", "text", "words")
    return list(recording.segments.order_by("start", "pk").only(*fields))


def _record(spans):
    return [[item_number(span.agenda_item) or span.agenda_item.title, span.start] for span in spans]


def save_starts(recording, starts, *, source=SpanSource.MANUAL, cues=None, user=None):
    """Replace the recording's spans with spans from `starts` ({agenda item: seconds}).

    `source` is a `SpanSource` for all, or a mapping {agenda item: source}; `cues` maps items to
    the words that suggested them. Refuses (AlignmentError) items of another meeting and starts
    outside the recording or out of agenda order. One transaction and a fixed number of queries
    however many items; one log entry with the starts before and after as [number, start]
    lists. Returns False, writing nothing, when the spans would not change.
    """
    cues = cues or {}
    items = sorted(starts, key=_agenda_position)
    errors = check_order([(item, float(starts[item])) for item in items])
    for item in items:
        start = float(starts[item])
        if item.meeting_id != recording.meeting_id:
            errors[item] = f"{_sentence(item_label(item))} is not on this meeting's agenda."
        elif start < 0 or (recording.duration and start > recording.duration):
            errors[item] = (
                f"{_sentence(item_label(item))} starts at {format_timestamp(start)}, outside "
                f"the recording."
            )
    if errors:
        raise AlignmentError(errors)
    wanted = spans_from_starts([(item, starts[item]) for item in items], None)

    def source_of(item):
        return source.get(item, SpanSource.MANUAL) if isinstance(source, Mapping) else source

    with transaction.atomic():
        # Lock the recording: officers saving at once take turns, each replacing all spans.
        list(Recording.objects.select_for_update().filter(pk=recording.pk).values_list("pk"))
        existing = list(
            TranscriptSpan.objects.filter(recording=recording)
            .select_related("agenda_item")
            .order_by("start", "pk")
        )
        if wanted:
            end = recording_duration(recording)
            last = wanted[-1]
            wanted[-1] = Span(last.agenda_item, last.start, max(end, last.start))
        rows = [
            TranscriptSpan(
                recording=recording,
                agenda_item=span.agenda_item,
                start=span.start,
                end=span.end,
                source=source_of(span.agenda_item),
                cue=(cues.get(span.agenda_item) or "")[:255],
            )
            for span in wanted
        ]
        if [_key(span) for span in existing] == [_key(span) for span in rows]:
            return False
        # The same few queries however many spans: the public audio and the search index are
        # brought up to date once, when the block ends (see bulk_changes.py).
        with bulk_change(recording):
            TranscriptSpan.objects.filter(recording=recording).delete()
            TranscriptSpan.objects.bulk_create(rows)
        log(
            instance=recording,
            action=ALIGN_ACTION,
            user=user,
            data={"before": _record(existing), "after": _record(wanted)},
        )
    return True


def _key(span):
    return (span.agenda_item_id, span.start, span.end, span.source, span.cue)


def _agenda_position(item):
    return (getattr(item, "sort_order", None) or 0, item.pk or 0)


def align_from_transcript(recording, user=None):
    """Suggest and save the starts of the meeting's agenda items from the transcript.

    Called when a transcription finishes. Does nothing (returns 0) when an officer has marked any
    start already; otherwise returns the number of items aligned.
    """
    if recording.spans.filter(source=SpanSource.MANUAL).exists():
        return 0
    segments = transcript_segments(recording)
    items = list(recording.meeting.agenda_items.all())
    suggestions = suggest_starts(segments, items)
    if not suggestions:
        return 0
    save_starts(
        recording,
        {s.agenda_item: s.start for s in suggestions},
        source=SpanSource.SUGGESTED,
        cues={s.agenda_item: s.cue for s in suggestions},
        user=user,
    )
    return len(suggestions)
