"""How good a transcript is: word error rate against a script, and the names it got right.

Both texts go through the same normaliser first (lower case, no punctuation, numbers as words,
a few British and American spellings made one), so "£5,000" and "five thousand pounds", or
"organisation" and "organization", are not counted as errors: what is measured is the words the
listener would disagree with. Written here rather than installed (no scoring library is in the
virtualenv); the edit distance runs row by row in numpy, so a meeting of thousands of words is
scored in well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
# Spellings the model writes the American way, or that people write two ways.
_SPELLINGS = {
    "program": "programme",
    "programs": "programmes",
    "center": "centre",
    "centers": "centres",
    "focussed": "focused",
    "judgement": "judgment",
    "enquiry": "inquiry",
    "okay": "ok",
    "percent": "per cent",
}


def number_words(number: int) -> str:
    """A whole number in British words: 2017 is "two thousand and seventeen"."""
    if number < 20:
        return _UNITS[number]
    if number < 100:
        tens, units = divmod(number, 10)
        return _TENS[tens] + (" " + _UNITS[units] if units else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _UNITS[hundreds] + " hundred" + (" and " + number_words(rest) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if number >= size:
            high, rest = divmod(number, size)
            if not rest:
                joiner = ""
            elif rest < 100:
                joiner = " and "
            else:
                joiner = " "
            return number_words(high) + " " + name + joiner + (number_words(rest) if rest else "")
    raise AssertionError("unreachable")


def ordinal_words(number: int) -> str:
    """16 is "sixteenth", 21 "twenty first"."""
    words = number_words(number).split()
    last = words[-1]
    if last in _ORDINAL_ENDINGS:
        words[-1] = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def _spell_numbers(text: str) -> str:
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"£\s?(\d+(?:\.\d+)?)\s?(m|million)\b", r"\1 million pounds", text)
    text = re.sub(r"£\s?(\d+(?:\.\d+)?)", r"\1 pounds", text)
    text = re.sub(r"(\d)\s?%", r"\1 per cent", text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda match: ordinal_words(int(match.group(1))), text)
    text = re.sub(
        r"\b(\d+)\.(\d+)\b",
        lambda match: (
            number_words(int(match.group(1)))
            + " point "
            + " ".join(_UNITS[int(digit)] for digit in match.group(2))
        ),
        text,
    )
    return re.sub(r"\b\d+\b", lambda match: number_words(int(match.group(0))), text)


def normalise(text: str) -> list[str]:
    """The words of a text as they are compared: lower case, spelt out, no punctuation."""
    text = text.replace("’", "'").replace("–", " ").lower()
    text = re.sub(r"\ba\.m\.", "am", text)
    text = re.sub(r"\bp\.m\.", "pm", text)
    text = _spell_numbers(text)
    text = re.sub(r"(\w)'s\b", r"\1s", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text.replace("-", " ").replace("/", " "))
    words = []
    for word in text.replace("'", "").split():
        word = _SPELLINGS.get(word, word)
        word = re.sub(r"iz(e|es|ed|ing|ation|ations)$", r"is\1", word)
        words.extend(word.split())
    return words


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance between two word lists (substitutions, deletions, insertions)."""
    if not reference:
        return len(hypothesis)
    if not hypothesis:
        return len(reference)
    vocabulary: dict[str, int] = {}
    ref = np.array([vocabulary.setdefault(word, len(vocabulary)) for word in reference])
    hyp = np.array([vocabulary.setdefault(word, len(vocabulary)) for word in hypothesis])
    columns = np.arange(len(hyp) + 1)
    previous = columns.copy()
    for index, word in enumerate(ref, start=1):
        # Substitution or match, and deletion; insertion (from the left) is a running minimum.
        row = np.empty_like(previous)
        row[0] = index
        row[1:] = np.minimum(previous[:-1] + (hyp != word), previous[1:] + 1)
        row = np.minimum.accumulate(row - columns) + columns
        previous = row
    return int(previous[-1])


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance between the normalised words over the number of reference words."""
    ref = normalise(reference)
    if not ref:
        return 0.0 if not normalise(hypothesis) else 1.0
    return edit_distance(ref, normalise(hypothesis)) / len(ref)


def similarity(reference: str, hypothesis: str) -> float:
    """1 - word error rate, floored at 0: how alike two transcripts are (for tests)."""
    return max(0.0, 1.0 - word_error_rate(reference, hypothesis))


@dataclass(frozen=True)
class NameRecall:
    """How many mentions of the attendees' names the transcript spelt right."""

    found: int
    mentioned: int
    missed: dict[str, int]

    @property
    def share(self) -> float:
        return self.found / self.mentioned if self.mentioned else 1.0


def surname(printed: str) -> str:
    """The part of a printed name that is said and must be spelt right: its last word."""
    return re.sub(r"[^\w-]", "", printed.split()[-1])


def _mentions(text: str, name: str) -> int:
    flat = text.replace("-", " ")
    return len(re.findall(rf"\b{re.escape(name.replace('-', ' '))}\b", flat))


def name_recall(reference: str, hypothesis: str, names: Iterable[str]) -> NameRecall:
    """Mentions of each name's surname (case matters) in the script found in the transcript.

    Counted per surname and clipped: if the script says "Clabby" four times and the transcript
    three, three are found; extra mentions in the transcript earn nothing.
    """
    found = mentioned = 0
    missed: dict[str, int] = {}
    for name in sorted({surname(name) for name in names}):
        expected = _mentions(reference, name)
        got = min(expected, _mentions(hypothesis, name))
        found += got
        mentioned += expected
        if got < expected:
            missed[name] = expected - got
    return NameRecall(found, mentioned, missed)
