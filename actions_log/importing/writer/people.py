"""People named in the minutes: found among those the site knows, or added for review.

Attendees, the members they stand in for, those who sent apologies and the owners of actions are
all matched with the parser's `OwnerMatcher`. A name that fits nobody becomes a new person
flagged for review, with a note saying where the name came from, so that nothing is pinned on
the wrong person and nobody is dropped.
"""

import re

from wagtail.log_actions import log

from boards.models import Person

from ..names import TITLES
from ..owners import OwnerMatcher

_IN_THE_CHAIR = re.compile(r"\s*\(in the chair\)\s*", re.IGNORECASE)
_REPRESENTING = re.compile(r"\s*\(representing [^)]*\)\s*", re.IGNORECASE)


def split_printed_name(text):
    """'Dr. Richard Cullen' -> ('Dr', 'Richard', 'Cullen'); 'Councillor Watson' -> ('Councillor',
    '', 'Watson'); 'Anne Marie Lubanski' -> ('', 'Anne Marie', 'Lubanski').

    A printed name does not say where given names end ('Ruth Fletcher Brown'): the last word is
    taken as the family name, and the person is flagged for review anyway."""
    words = text.split()
    title = ""
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        title = TITLES[words.pop(0).lower().rstrip(".")]
    if not words:
        return title, "", text.strip()
    return title, " ".join(words[:-1]), words[-1]


def split_role(text):
    """'Chief Officer, Rotherham CCG' -> ('Chief Officer', 'Rotherham CCG'); with no comma the
    words name an organisation ('NHS England')."""
    text = text.strip().rstrip(",").strip()
    if "," not in text:
        return "", text
    job_title, organisation = text.rsplit(",", 1)
    return job_title.strip(), organisation.strip()


def clean_role_text(text):
    """The role as it should be kept: without '(in the Chair)' and '(representing …)'."""
    text = _IN_THE_CHAIR.sub(" ", text or "")
    text = _REPRESENTING.sub(" ", text)
    return " ".join(text.split()).strip(" ,")


class PeopleSteps:
    """Finding and adding people, for `_Import`."""

    def _start_people(self):
        self.people = list(Person.objects.all())
        self.matcher = OwnerMatcher(self.people)
        self._resolved = {}  # printed name -> (person, match)
        self.created_people = set()

    def _log_data(self):
        return {"imported_from": self.source_name, "by": "import_minutes"}

    def person_for(self, printed, role_text="", in_the_chair=False, purpose="attendee"):
        """(person, match) for a printed name: a known person, or a new one flagged for review.

        The match says how sure the link is. A name that creates a person gives the failed match
        (needs review); the same name again, say an attendee named in an action line, matches
        the new person exactly."""
        key = " ".join(printed.split())
        if key in self._resolved:
            return self._resolved[key]
        match = self.matcher.match(key)
        person = match.person
        if person is None:
            person = self._create_person(key, role_text, in_the_chair)
            self._resolved[key] = (person, self.matcher.match(key))
            return person, match
        if match.needs_review:
            self.report.warn(
                f"{purpose.capitalize()}: "
                + (match.note or f"'{key}' was taken to be {person.full_name}: check it.")
            )
        self._resolved[key] = (person, match)
        return person, match

    def _create_person(self, printed, role_text, in_the_chair):
        title, given, family = split_printed_name(printed)
        job_title, organisation = ("", "")
        role = clean_role_text(role_text)
        if in_the_chair:
            job_title = role
        elif role:
            job_title, organisation = split_role(role)
        note = f"Created by import_minutes from '{printed}' in {self.source_name}"
        person = Person(
            title=title,
            given_name=given[:100],
            family_name=family[:100],
            job_title=job_title[:200],
            organisation=organisation[:200],
            needs_review=True,
            review_note=note[:255],
        )
        person.save()
        log(person, "wagtail.create", user=self.user, data=self._log_data())
        self.people.append(person)
        self.created_people.add(person.pk)
        self.matcher = OwnerMatcher(self.people)
        self.report.people_created.append(
            {"printed": printed, "name": person.full_name, "person_id": person.pk}
        )
        self.report.warn(
            f"'{printed}' is not a known person: added {person.full_name}, flagged for review."
        )
        return person
