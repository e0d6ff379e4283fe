"""Who an action line names, and which known person each printed name is.

Minutes print owners as they were heard: "Action:- Giles Ratcliffe/Julie Kitlowski",
"ACTION: Sue Hill & Sam Newton", "Action: Ruther Fletcher-Brown" (for Ruth Fletcher Brown).
`split_owners` gives the names; `OwnerMatcher` finds each among known people, tolerant of case,
hyphens, titles, initials and small misspellings. A match that rests on a guess (a misspelling,
initials alone) is flagged for review; a name that fits nobody, or several people equally, gives
no person at all, so the importer creates a new person flagged for review rather than pinning an
action on the wrong one.
"""

import difflib
import re
from dataclasses import dataclass

from .names import (
    is_initial,
    name_parts,
    split_names,
    strip_brackets,
    title_key,
)

# "Action: Kate Green", "Action:- A/B", "ACTION: A and B", "Actions: A, B", "Action by: A".
# A colon is required: "Action" and "Actions" alone are headings, and "Key Action:" does not
# start the line.
ACTION_LINE = re.compile(
    r"^\s*actions?(?:\s+(?:by|for|owners?|lead))?\s*:\s*-?\s*(?P<rest>.*?)\s*$", re.IGNORECASE
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# A due date printed after the owners: "Action: Kate Green by the next meeting",
# "Action: Sue Hill (by March 2018)", "Action: Sam Newton – 31 January 2018".
_DUE = re.compile(
    r"(?:\s*[,;]\s*|\s+[-–—]\s+|\s+|\s*\(\s*)(?P<due>(?:(?:by|before|due|for)\s+)"
    r"(?:the\s+)?(?:(?:next|following)\s+(?:board\s+)?meeting|end\s+of\s+\w+(?:,?\s+\d{4})?|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\w*(?:,?\s+\d{{4}})?|(?:{_MONTHS})\w*(?:,?\s+\d{{4}})?"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
    rf"|(?<=[-–—]\s)(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\w*(?:,?\s+\d{{4}})?)\)?\.?$",
    re.IGNORECASE,
)


def split_action_line(action_line):
    """(owners as printed, due date as printed) of an action line, or of its text after
    'Action:'. Owners keep their titles; an organisation in brackets is left out."""
    text = (action_line or "").strip()
    if match := ACTION_LINE.match(text):
        text = match.group("rest")
    due = ""
    if match := _DUE.search(text):
        due = match.group("due").strip()
        text = text[: match.start()]
    owners = []
    for name in split_names(text):
        name, _ = strip_brackets(name)
        if name:
            owners.append(name)
    return owners, due


def split_owners(action_line):
    """The names in an action line: 'Action:- Giles Ratcliffe/Julie Kitlowski' -> both."""
    return split_action_line(action_line)[0]


@dataclass
class OwnerMatch:
    """How a printed owner's name was matched, and whether an officer should check it."""

    printed: str
    person: object = None
    exact: bool = False
    needs_review: bool = True
    note: str = ""


@dataclass
class _Known:
    person: object
    title: str
    given: list
    family: list

    @property
    def key(self):
        return " ".join(self.given + self.family)

    @property
    def initials(self):
        return "".join(token[0] for token in self.given + self.family)


def _full_name(person):
    return " ".join(
        filter(None, [getattr(person, "given_name", ""), getattr(person, "family_name", "")])
    )


def _describe(known):
    return ", ".join(
        sorted(
            " ".join(filter(None, [k.person.title, _full_name(k.person)])) or str(k.person.pk)
            for k in known
        )
    )


class OwnerMatcher:
    """Find printed names among known people.

    `people` is any iterable of objects with `pk`, `title`, `given_name` and `family_name`
    (boards.Person, or stand-ins in tests). Matching, most certain first:

    1. the same name once case, dots, hyphens and titles are set aside: exact;
    2. the same family name, with the given names as printed or as initials ("Councillor D.
       Roche" for David Roche), or no given name at all ("Councillor Mallinder"), when only one
       person fits (a printed title settles a tie between two people of the same family name);
    3. a spelling close enough to one person's name and clearly closer than anyone else's
       ("Ruther Fletcher-Brown"): matched, but flagged for review.

    Anything else gives no person: the importer then creates one flagged for review.
    """

    def __init__(self, people, *, similarity=0.85):
        self.similarity = similarity
        self.known = []
        seen = set()
        for person in people:
            key = getattr(person, "pk", None) or id(person)
            if key in seen:
                continue
            seen.add(key)
            _, given = name_parts(getattr(person, "given_name", "") or "")
            _, family = name_parts(getattr(person, "family_name", "") or "")
            if not family and given:
                family, given = given[-1:], given[:-1]
            if family:
                self.known.append(_Known(person, title_key(person.title or ""), given, family))
        self.by_key = {}
        self.by_family = {}
        for known in self.known:
            self.by_key.setdefault(known.key, []).append(known)
            self.by_family.setdefault(" ".join(known.family), []).append(known)

    def match(self, printed):
        title, tokens = name_parts(printed)
        if not tokens:
            return OwnerMatch(printed, note=f'"{printed}" is not a name.')
        title = title_key(title)
        return (
            self._exact(printed, title, tokens)
            or self._partial(printed, title, tokens)
            or self._by_initials(printed, tokens)
            or self._similar(printed, title, tokens)
            or OwnerMatch(
                printed,
                note=f'No known person is called "{printed}": a new person will be created '
                "for an officer to review.",
            )
        )

    def _settle(self, printed, title, candidates):
        """(person, None) if one candidate fits (or one has the printed title), else (None, an
        ambiguous match)."""
        if len(candidates) > 1 and title:
            titled = [known for known in candidates if known.title == title]
            if titled:
                candidates = titled
        if len(candidates) == 1:
            return candidates[0], None
        return None, OwnerMatch(
            printed,
            note=f'"{printed}" could be any of {_describe(candidates)}: a new person will be '
            "created for an officer to review.",
        )

    def _exact(self, printed, title, tokens):
        candidates = self.by_key.get(" ".join(tokens), [])
        if not candidates:
            return None
        known, ambiguous = self._settle(printed, title, candidates)
        if ambiguous:
            return ambiguous
        return OwnerMatch(printed, known.person, exact=True, needs_review=False)

    def _partial(self, printed, title, tokens):
        """Same family name; given names as printed, as initials, or left out."""
        candidates = []
        for size in range(1, len(tokens) + 1):
            for known in self.by_family.get(" ".join(tokens[-size:]), []):
                if _given_fits(tokens[:-size], known.given) and _title_fits(title, known.title):
                    candidates.append(known)
        if not candidates:
            return None
        known, ambiguous = self._settle(printed, title, candidates)
        if ambiguous:
            return ambiguous
        printed_given = tokens[: len(tokens) - len(known.family)]
        name = _full_name(known.person)
        if not printed_given:
            note = f'"{printed}" matched to {name} on the family name alone (the only one).'
        elif all(is_initial(token) for token in printed_given):
            note = f'"{printed}" matched to {name} by initials.'
        else:
            note = f'"{printed}" matched to {name} by the given names printed.'
        # A family name with nothing to confirm it but a title nobody recorded is a guess.
        weak = not printed_given and not (title and title == known.title)
        return OwnerMatch(printed, known.person, exact=False, needs_review=weak, note=note)

    def _by_initials(self, printed, tokens):
        """'KG' in an action column: the one person whose initials they are, flagged."""
        if len(tokens) != 1 or not (2 <= len(tokens[0]) <= 4) or not printed.strip().isupper():
            return None
        candidates = [k for k in self.known if k.initials == tokens[0]]
        if len(candidates) != 1:
            return None
        name = _full_name(candidates[0].person)
        return OwnerMatch(
            printed,
            candidates[0].person,
            exact=False,
            needs_review=True,
            note=f'"{printed}" matched to {name} by initials only: check it is the same person.',
        )

    def _similar(self, printed, title, tokens):
        """A small misspelling of one person's name; never a guess between two people."""
        wanted = " ".join(tokens)
        scores = []
        for known in self.known:
            other = known.key if len(tokens) > 1 else " ".join(known.family)
            matcher = difflib.SequenceMatcher(None, wanted, other)
            if matcher.real_quick_ratio() < self.similarity:
                continue
            if matcher.quick_ratio() < self.similarity:
                continue
            ratio = matcher.ratio()
            if ratio >= self.similarity and _title_fits(title, known.title):
                scores.append((ratio, known))
        if not scores:
            return None
        scores.sort(key=lambda pair: -pair[0])
        best_ratio, best = scores[0]
        rivals = [known for ratio, known in scores[1:] if best_ratio - ratio < 0.05]
        if rivals:
            return OwnerMatch(
                printed,
                note=f'"{printed}" is spelt like {_describe([best, *rivals])}: a new person '
                "will be created for an officer to review.",
            )
        return OwnerMatch(
            printed,
            best.person,
            exact=False,
            needs_review=True,
            note=f'"{printed}" matched to {_full_name(best.person)} by similar spelling '
            f"({best_ratio:.0%} alike): check it is the same person.",
        )


def _given_fits(printed_given, known_given):
    """Printed given names (or initials) agree with the person's, in order."""
    if len(printed_given) > len(known_given):
        # "A M Lubanski" for given name "Annemarie" is not covered; "A.M." for "Anne Marie" is.
        return False
    return all(
        token == given or (is_initial(token) and given.startswith(token))
        for token, given in zip(printed_given, known_given, strict=False)
    )


def _title_fits(printed_title, known_title):
    """A printed title must not contradict the recorded one; either may be missing."""
    return not printed_title or not known_title or printed_title == known_title
