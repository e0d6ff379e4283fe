"""Names and terms: getting the meeting's people, bodies and acronyms spelt right.

A `Vocabulary` holds the names of the people at a meeting (attendees, members, presenters) and
terms (a glossary of the partnership's bodies and acronyms, and the distinctive words of the
agenda titles). It is used twice:

1. as Whisper's initial prompt (`prompt()`), which primes the model with the spellings;
2. to correct the transcript after recognition (`correct()`): runs of one to three words that
   sound and look like a name or term (by spelling and by a phonetic key) are replaced by it.

Measured on the synthetic 16-minute meeting (benchmarks/transcription.py; 23 voices, 69
mentions of attendees' surnames), on the chunked pipeline: without help, word error rate 0.207
and 54% of names right; correction alone 0.200 and 68%; the prompt 0.157 and 91%; hotwords
0.160 and 91% (on 30-second chunks they do not drop sentences as they did on whole files, but
are no better than the prompt, so they stay off); prompt and correction 0.156 and 91% (the
correction also fixes first names, "Joe Abbott", "Catherine Singh", which the surname count
does not show). Prompt and correction are the default. Plain faster-whisper on the whole file:
0.226 and 48%.

Correction is deliberately cautious, because replacing a right word is worse than leaving a wrong
one: a single word is only replaced if it is not an ordinary English word (the model's own
tokenizer vocabulary tells which words are ordinary); a word that is itself one of the
vocabulary's names is never replaced by another; and the spelling and sound must both be close.
Applied to the reference minutes (3,600 words) it changes only a misspelt "Ruther" to "Ruth",
and to a 7,400-word cabinet report nothing (tests/transcription/test_vocabulary.py); on the
whole agenda pack it only re-cases "RDASH" and joins "Health watch".
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .engine import Segment, Word

# Bodies, acronyms and places that come up in the Rotherham partnership boards' meetings
# (shared/DOMAIN.md; the agenda packs). Councils extend it with TRANSCRIPTION_GLOSSARY.
DEFAULT_GLOSSARY = [
    "Rotherham",
    "RMBC",
    "Rotherham Metropolitan Borough Council",
    "Health and Wellbeing Board",
    "Health and Wellbeing Strategy",
    "JSNA",
    "Joint Strategic Needs Assessment",
    "RDaSH",
    "Healthwatch",
    "Healthwatch Rotherham",
    "CCG",
    "RCCG",
    "ICB",
    "TRFT",
    "Rotherham Foundation Trust",
    "VAR",
    "Voluntary Action Rotherham",
    "BCF",
    "Better Care Fund",
    "CAMHS",
    "STP",
    "Place Plan",
    "Rotherham Place Plan",
    "Rotherham Together Partnership",
    "Safer Rotherham Partnership",
    "Safeguarding Adults Board",
    "Health Select Commission",
    "Public Health",
    "NHS England",
    "MECC",
    "PHOF",
    "CSE",
    "PSHE",
    "LSCB",
    "CYPPB",
    "Schedule 12A",
    "Maltby",
    "Eastwood",
    "Dinnington",
    "Rawmarsh",
    "Wath",
    "Swinton",
    "Kimberworth",
    "Wickersley",
    "Barnsley",
    "Doncaster",
    "Sheffield",
]

HONORIFICS = {
    "councillor": "Councillor",
    "cllr": "Councillor",
    "dr": "Dr",
    "doctor": "Dr",
    "professor": "Professor",
    "prof": "Professor",
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "sir": "Sir",
    "dame": "Dame",
}
# Titles said before a name: "Councillor Roach" next to "Councillor Roche" is a name, not a word.
TITLE_WORDS = frozenset({"councillor", "cllr", "doctor", "dr", "professor"})
SPELLINGS = {"councilor": "councillor", "councilors": "councillors"}
# The prompt is cut to about this many words: Whisper keeps at most 223 tokens of a prompt, and
# the pipeline adds the last words of the previous chunk.
PROMPT_WORDS = 80
# How close (0-1: the mean of spelling and sound similarity) words must be to a name or term to
# be replaced. Measured on the test meetings (names) and on the reference agenda pack and a
# cabinet report (about 70,000 words of ordinary council English: nothing may change there).
THRESHOLD_ONE_WORD = 0.8  # a single uncommon word, e.g. "Clabbie" for "Clabby"
THRESHOLD_AFTER_ANCHOR = 0.62  # the rest of a name whose other word is right ("Tony Club")
THRESHOLD_NO_ANCHOR = 0.86  # several words, none right ("Sarah Farranford" has one: Sarah)
ORDINARY_PENALTY = 0.1  # added for each ordinary English word that would be replaced
MAX_EXTRA_WORDS = 1  # a name of n words may have been heard as up to n + 1 words

_PUNCTUATION = "\"'“”‘’()[]{},.;:!?…"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_POSSESSIVE = re.compile(r"(['’]s|s['’])$")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


_PHONETIC_RULES = [
    (r"^kn", "n"),
    (r"^wr", "r"),
    (r"^ps", "s"),
    (r"ph", "f"),
    (r"gh(?=[^aeiou]|$)", ""),
    (r"tch", "x"),
    (r"sch", "sk"),
    (r"[cs]h", "x"),
    (r"th", "0"),
    (r"wh", "w"),
    (r"ck", "k"),
    (r"q", "k"),
    (r"x", "ks"),
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"dg", "j"),
    (r"g(?=[eiy])", "j"),
    (r"z", "s"),
    (r"v", "f"),
    (r"d$", "t"),
]


@functools.lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """A rough key of how an English word sounds: consonants, with vowels only at the start.

    "Clabby" and "Clabbie" share "klb"; "Kathryn" and "Catherine" share "k0rn".
    """
    text = _letters(word)
    if not text:
        return ""
    for pattern, replacement in _PHONETIC_RULES:
        text = re.sub(pattern, replacement, text)
    first = "a" if text[0] in "aeiouy" else text[0]
    rest = re.sub(r"[aeiouyhw]", "", text[1:])
    return re.sub(r"(.)\1+", r"\1", first + rest)


def similarity(a: str, b: str) -> float:
    """The mean of how alike two texts are in spelling and in sound (0 to 1)."""
    spelling = SequenceMatcher(None, _letters(a), _letters(b), autojunk=False).ratio()
    sound = SequenceMatcher(None, _sound(a), _sound(b), autojunk=False).ratio()
    return (spelling + sound) / 2


def _sound(text: str) -> str:
    return "".join(phonetic(word) for word in re.split(r"[\s-]+", text))


@functools.cache
def common_words(model_dir: str = "") -> frozenset[str]:
    """Ordinary English words: the lower-case whole words of the Whisper tokenizer's vocabulary.

    About 20,000 words, taken from the model directory (every CTranslate2 Whisper model has its
    vocabulary.txt or tokenizer.json), so no word list has to be kept here. Names appear
    capitalised in it, so "green" is ordinary but "Clabby" or "Kitlowski" are not.
    """
    from .engine import default_model_dir, setting

    directory = Path(model_dir or setting("TRANSCRIPTION_MODEL_DIR") or default_model_dir())
    vocabulary = directory / "vocabulary.txt"
    if vocabulary.is_file():
        tokens = vocabulary.read_text(encoding="utf-8").splitlines()
    else:
        tokenizer = json.loads((directory / "tokenizer.json").read_text(encoding="utf-8"))
        tokens = list(tokenizer["model"]["vocab"])
    return frozenset(
        token[1:]
        for token in tokens
        if token.startswith("Ġ") and re.fullmatch(r"[a-z]+", token[1:])
    )


@dataclass(frozen=True)
class Phrase:
    """A name or term as it should be written, with its comparison keys."""

    text: str
    kind: str  # "name" or "term"

    @functools.cached_property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.text.split())

    @functools.cached_property
    def lowered(self) -> tuple[str, ...]:
        return tuple(_letters(token) for token in self.tokens)

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        """Its words split at hyphens too, lower case: "Fletcher-Brown" is fletcher, brown."""
        return tuple(filter(None, (_letters(p) for p in re.split(r"[\s-]+", self.text))))

    @functools.cached_property
    def key(self) -> str:
        return "".join(self.lowered)

    @functools.cached_property
    def sound(self) -> str:
        return _sound(self.text)

    @functools.cached_property
    def is_acronym(self) -> bool:
        return len(self.tokens) == 1 and sum(c.isupper() for c in self.text) >= 2

    @functools.cached_property
    def distinctive(self) -> bool:
        """Worth correcting: it has a word that is not ordinary English (a name, an acronym)."""
        ordinary = common_words()
        return any(token not in ordinary for token in self.lowered) or self.is_acronym


def spoken_forms(printed: str) -> list[str]:
    """How a printed name is said: "Councillor D. Roche" is "Councillor Roche" and "Roche".

    "Dr. Richard Cullen" gives "Richard Cullen", "Dr Cullen" and "Cullen".
    """
    tokens = [token.strip(",") for token in printed.replace(".", ". ").split()]
    title = ""
    while tokens and tokens[0].rstrip(".").lower() in HONORIFICS:
        title = title or HONORIFICS[tokens.pop(0).rstrip(".").lower()]
    tokens = [token for token in tokens if not re.fullmatch(r"[A-Z]\.?", token)]
    if not tokens:
        return []
    family = tokens[-1]
    forms = []
    if len(tokens) > 1:
        forms.append(" ".join(tokens))
    if title:
        forms.append(f"{title} {family}")
    forms.append(family)
    return list(dict.fromkeys(forms))


def distinctive_words(text: str) -> list[str]:
    """Words of a title that are not ordinary English: acronyms and proper names."""
    found = []
    for token in re.findall(r"[A-Za-z][A-Za-z'&-]*[A-Za-z]", text):
        acronym = token.isupper() and 2 <= len(token) <= 6
        proper = token[0].isupper() and not token.isupper() and token.lower() not in common_words()
        if acronym or proper:
            found.append(token)
    return found


class _Window:
    """A run of transcript words compared with the phrases (its keys computed once)."""

    __slots__ = ("words", "lowered", "parts", "text", "key", "ordinary", "has_capitals", "_sound")

    def __init__(self, words: list[str], lowered: list[str], ordinary: frozenset[str]):
        self.words = words
        self.lowered = lowered
        parts = [_letters(part) for word in words for part in word.split("-")]
        # American spellings of titles count as the British ones ("Councilor Watson").
        self.parts = [SPELLINGS.get(part, part) for part in parts if part]
        self.text = " ".join(words)
        self.key = "".join(lowered)
        self.ordinary = sum(1 for word in lowered if word in ordinary)
        self.has_capitals = any(word.isupper() and len(word) > 1 for word in words)
        self._sound: str | None = None

    @property
    def sound(self) -> str:
        if self._sound is None:
            self._sound = "".join(phonetic(word) for word in self.words)
        return self._sound


@dataclass
class Vocabulary:
    """The names and terms of a meeting (see the module's docstring for how they are used)."""

    names: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.names or self.terms)

    @classmethod
    def build(
        cls,
        *,
        attendees: Iterable[str] = (),
        members: Iterable[str] = (),
        presenters: Iterable[str] = (),
        agenda_titles: Iterable[str] = (),
        glossary: Iterable[str] | None = None,
        terms: Iterable[str] = (),
    ) -> Vocabulary:
        """From printed names, agenda titles and a glossary (`DEFAULT_GLOSSARY` if None)."""
        people = [*attendees, *members, *presenters]
        names = list(dict.fromkeys(name.strip() for name in people if name and name.strip()))
        title_words = [word for title in agenda_titles for word in distinctive_words(title)]
        glossary = DEFAULT_GLOSSARY if glossary is None else list(glossary)
        every_term = [*terms, *glossary, *title_words]
        return cls(
            names=names, terms=list(dict.fromkeys(t.strip() for t in every_term if t.strip()))
        )

    def prompt(self) -> str:
        """Whisper's initial prompt: the names as said, then the terms, as a short list."""
        spoken = [forms[0] for forms in map(spoken_forms, self.names) if forms]
        words: list[str] = []
        for phrase in dict.fromkeys([*spoken, *self.terms]):
            if len(words) + len(phrase.split()) > PROMPT_WORDS:
                break
            words.extend(phrase.split())
            words[-1] += ","
        return " ".join(words).rstrip(",") + "." if words else ""

    @functools.cached_property
    def phrases(self) -> list[Phrase]:
        """The phrases worth correcting to: every spoken form of a name, distinctive terms."""
        phrases: dict[str, Phrase] = {}
        for name in self.names:
            for form in spoken_forms(name):
                phrases.setdefault(form, Phrase(form, "name"))
        for term in self.terms:
            phrases.setdefault(term, Phrase(term, "term"))
        return [phrase for phrase in phrases.values() if phrase.distinctive]

    @functools.cached_property
    def known_words(self) -> frozenset[str]:
        """Every word of every name and term (lower case): never replaced by another."""
        return frozenset(part for phrase in self.phrases for part in phrase.parts)

    @functools.cached_property
    def _phrases_by_length(self) -> dict[int, list[Phrase]]:
        """The phrases a run of n words may be (a name of k words heard as k-1 to k+1 words)."""
        by_length: dict[int, list[Phrase]] = {}
        for phrase in self.phrases:
            size = len(phrase.tokens)
            for length in range(max(1, size - 1), size + MAX_EXTRA_WORDS + 1):
                by_length.setdefault(length, []).append(phrase)
        return by_length

    # --- Correction ------------------------------------------------------------------------

    def correct(self, segments: list[Segment]) -> list[Segment]:
        """The segments with names and terms spelt as in the vocabulary (new objects)."""
        return [self._correct_segment(segment) for segment in segments]

    def correct_text(self, text: str) -> str:
        """A piece of text corrected the same way (for text without word timings)."""
        words = [Word(0.0, 0.0, " " + token) for token in text.split()]
        return "".join(word.text for word in self._correct_words(words)).strip()

    def _correct_segment(self, segment: Segment) -> Segment:
        words = segment.words or [
            Word(segment.start, segment.end, " " + token) for token in segment.text.split()
        ]
        corrected = self._correct_words(words)
        return Segment(
            start=segment.start,
            end=segment.end,
            text="".join(word.text for word in corrected).strip(),
            words=corrected if segment.words else [],
            speaker=segment.speaker,
        )

    def _correct_words(self, words: list[Word]) -> list[Word]:
        if not self.phrases or not words:
            return list(words)
        result: list[Word] = []
        index = 0
        for start, end, phrase in self._matches(words):
            result.extend(words[index:start])
            first, last = words[start], words[end - 1]
            lead = re.match(r"^\s*[\"'“‘(\[]*", first.text).group(0)
            core = last.text.strip().rstrip(_PUNCTUATION)
            possessive = _POSSESSIVE.search(core)
            trail = (possessive.group(0) if possessive else "") + last.text.strip()[len(core) :]
            probability = min(word.probability for word in words[start:end])
            result.append(Word(first.start, last.end, lead + phrase.text + trail, probability))
            index = end
        result.extend(words[index:])
        return result

    def _matches(self, words: list[Word]) -> list[tuple[int, int, Phrase]]:
        """Non-overlapping (start, end, phrase) replacements, the best first."""
        cores = []
        for word in words:
            core = word.text.strip().strip(_PUNCTUATION)
            core = _POSSESSIVE.sub("", core) if len(core) > 3 else core
            cores.append(core if _WORD.fullmatch(core) else "")
        lowered = [_letters(core) for core in cores]
        ordinary = common_words()
        longest = max(self._phrases_by_length, default=0)
        candidates = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + longest) + 1):
                # A run is made of words (no figures or symbols) within one sentence.
                if not lowered[end - 1]:
                    break
                if end - start > 1 and words[end - 2].text.rstrip().rstrip("\"'”’)").endswith(
                    (".", "?", "!")
                ):
                    break
                window = _Window(cores[start:end], lowered[start:end], ordinary)
                for phrase in self._phrases_by_length.get(end - start, ()):
                    score = self._score(window, phrase, ordinary)
                    if score is not None:
                        candidates.append((score, end - start, start, end, phrase))
        chosen: list[tuple[int, int, Phrase]] = []
        taken: set[int] = set()
        for _score, _size, start, end, phrase in sorted(
            candidates, key=lambda c: (-c[0], -c[1], c[2])
        ):
            span = set(range(start, end))
            if not span & taken:
                taken |= span
                chosen.append((start, end, phrase))
        return sorted(chosen, key=lambda match: match[0])

    def _score(self, window: _Window, phrase: Phrase, ordinary: frozenset[str]) -> float | None:
        """How well a run of words matches a phrase; None if it must not be replaced by it."""
        if window.key == phrase.key:
            # Only the writing differs ("healthwatch", "Health watch", "RDASH"). A hyphen for a
            # space is no error, and an ordinary word that lacks a capital ("green") stays.
            if window.text.replace("-", " ") == phrase.text.replace("-", " "):
                return None
            if not phrase.is_acronym and all(word.isupper() for word in window.words):
                return None  # a heading in capitals
            recased = [
                _letters(word)
                for word, token in zip(window.words, phrase.tokens, strict=False)
                if word != token and word.lower() == token.lower()
            ]
            if len(window.words) == len(phrase.tokens) and all(w in ordinary for w in recased):
                return None  # only capitals of ordinary words differ ("place plan")
            return 2.0
        if phrase.is_acronym or not 0.6 <= len(window.key) / len(phrase.key) <= 1.6:
            return None  # acronyms are only ever re-cased: "MBC" is not a misheard "RMBC"
        # A word that is itself part of another name or term is right as it is.
        if any(part in self.known_words and part not in phrase.parts for part in window.parts):
            return None
        anchors = [part for part in window.parts if part in phrase.parts]
        if anchors:
            return self._score_rest(window, phrase, anchors, ordinary)
        if window.has_capitals:
            return None  # "MBC" is not a misheard "RMBC"
        if len(window.words) == 1:
            if window.ordinary or len(phrase.key) < 5 or not window.words[0][0].isupper():
                return None  # one word: only an uncommon, capitalised one (a name)
            threshold = THRESHOLD_ONE_WORD
        else:
            threshold = THRESHOLD_NO_ANCHOR + ORDINARY_PENALTY * window.ordinary
        return self._compare(window.key, window.sound, phrase.key, phrase.sound, threshold)

    def _score_rest(
        self, window: _Window, phrase: Phrase, anchors: list[str], ordinary: frozenset[str]
    ) -> float | None:
        """Some words are right ("Tony" of "Tony Clabby"): the rest must sound like the rest.

        The right words must stand where they stand in the phrase ("Rotherham Health" is not
        "Healthwatch Rotherham"), and the rest must be one run of words in both, with a word for
        each of the phrase's (no completing "Rotherham placing" to "Rotherham Place Plan", no
        swallowing a neighbour into a name).
        """
        parts, target = window.parts, phrase.parts
        marks = [part in anchors for part in parts]
        target_marks = [part in anchors for part in target]
        lead = _leading(marks)
        trail = _leading(marks[::-1])
        if lead != _leading(target_marks) or trail != _leading(target_marks[::-1]):
            return None
        rest = parts[lead : len(parts) - trail]
        rest_target = target[lead : len(target) - trail]
        if not rest or not rest_target or any(rest_marks := marks[lead : len(parts) - trail]):
            return None
        if len(rest) < len(rest_target):
            return None
        if phrase.kind == "term" and all(part in ordinary for part in rest):
            return None  # "Safeguarding Adult Board": real words, only a name is misheard
        threshold = THRESHOLD_AFTER_ANCHOR
        if all(anchor in ordinary and anchor not in TITLE_WORDS for anchor in anchors):
            threshold += ORDINARY_PENALTY  # "green" of "Kate Green" says little
        threshold += ORDINARY_PENALTY * sum(1 for part in rest if part in ordinary)
        if len(rest) > len(rest_target):
            threshold += ORDINARY_PENALTY  # heard as more words than it has ("Lee, law")
        score = self._compare(
            "".join(rest),
            "".join(phonetic(part) for part in rest),
            "".join(rest_target),
            "".join(phonetic(part) for part in rest_target),
            threshold,
        )
        del rest_marks
        return None if score is None else score + 0.1 * len(anchors)

    @staticmethod
    def _compare(key: str, sound: str, target_key: str, target_sound: str, threshold: float):
        """The mean of spelling and sound similarity, if it reaches `threshold`."""
        if threshold > 1:
            return None
        matcher = SequenceMatcher(None, key, target_key, autojunk=False)
        # Sound similarity is at most 1, so spelling alone must reach this much.
        needed = 2 * threshold - 1
        if matcher.real_quick_ratio() < needed or matcher.quick_ratio() < needed:
            return None
        spelling = matcher.ratio()
        if spelling < needed:
            return None
        score = (spelling + SequenceMatcher(None, sound, target_sound, autojunk=False).ratio()) / 2
        return score if score >= threshold else None


def _leading(marks: list[bool]) -> int:
    """How many of the first marks are true."""
    count = 0
    for mark in marks:
        if not mark:
            break
        count += 1
    return count
