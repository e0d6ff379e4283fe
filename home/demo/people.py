"""The people of the demo: those in the 11 January 2017 HWB minutes, and a few invented ones.

People are found by given and family name, the way the minutes and agendas name them, so that
"Chris Edwards" in a presenter line is the Chris Edwards of the attendance list.
"""

from dataclasses import dataclass

from boards.models import MembershipRole, Person

from .pack import Name, minutes_attendance, parse_name
from .sync import update_fields

# What the pack says elsewhere about people the attendance names only briefly.
KNOWN_JOB_TITLES = {
    ("terri", "roche"): "Director of Public Health",  # DOMAIN.md 1: the statutory seat
    ("ian", "thomas"): "Strategic Director, Children and Young People's Services",  # PACK:3657
    ("karen", "hanson"): "Assistant Director, Community Safety and Street Scene",  # PACK:536
    ("nathan", "atkinson"): "Assistant Director of Commissioning",  # PACK:1772
    ("linda", "harper"): "Interim Assistant Director, Commissioning, Performance and Quality",
}

# Statutory seats on the HWB (Health and Social Care Act 2012, s194(2)) filled by these members.
HWB_SEATS = {
    ("terri", "roche"): "Director of Public Health",
    ("tony", "clabby"): "Healthwatch",
    ("chris", "edwards"): "Clinical Commissioning Group (CCG)",
    ("ian", "thomas"): "Director of Children's Services",
}

# The attendance group of the minutes -> the role held on the board.
GROUP_ROLES = {
    "member": MembershipRole.MEMBER,
    "apologies": MembershipRole.MEMBER,
    "officer": MembershipRole.OFFICER,
    "observer": MembershipRole.OBSERVER,
}


@dataclass
class SeatSpec:
    """A membership the demo wants a board to have."""

    person: Person
    role: str
    seat: str = ""
    represents: Person | None = None
    start_date: object = None
    end_date: object = None


class People:
    """Finds or creates people by name, remembering them for the rest of the run."""

    def __init__(self, summary):
        self.summary = summary
        self._by_key = {}
        # key -> "created", "updated" or "unchanged" in this run; counted once per person.
        self._status = {}

    def _mark(self, key, status):
        if self._status.get(key) in (None, "unchanged") or status == "created":
            self._status[key] = status

    def get(self, name, **details):
        """The person called `name`; created if new. `details` fill only empty fields, so what
        the attendance list printed is not overwritten by a shorter presenter line."""
        key = name.key
        if not details.get("job_title") and key in KNOWN_JOB_TITLES:
            details["job_title"] = KNOWN_JOB_TITLES[key]
        person = self._by_key.get(key)
        if person is None:
            person = Person.objects.filter(
                given_name__iexact=name.given_name, family_name__iexact=name.family_name
            ).first()
        if person is None:
            person = Person(
                title=name.title, given_name=name.given_name, family_name=name.family_name
            )
            update_fields(person, {k: v for k, v in details.items() if v})
            person.save()
            self._mark(key, "created")
        else:
            wanted = {"title": name.title, **details}
            empty = {k: v for k, v in wanted.items() if v and not getattr(person, k)}
            if update_fields(person, empty):
                person.save()
                self._mark(key, "updated")
            else:
                self._mark(key, "unchanged")
        self._by_key[key] = person
        return person

    def set(self, name, **details):
        """The person called `name` with exactly these details (for invented demo people)."""
        person = self.get(name)
        if update_fields(person, details):
            person.save()
            self._mark(name.key, "updated")
        return person

    def record_summary(self):
        for status in self._status.values():
            self.summary.record("person", created=status == "created", updated=status == "updated")


def january_2017_attendance(people):
    """People from the attendance of the 11 January 2017 minutes, and their HWB seats.

    Members, officers and observers hold those roles; a substitute holds the substitute role and
    represents the member named in brackets, who is also a member (and in the apologies); report
    presenters are people but not members.
    """
    attendees = minutes_attendance()
    chosen = {}
    order = []
    for attendee in attendees:
        person = people.get(
            attendee.name, job_title=attendee.job_title, organisation=attendee.organisation
        )
        role = GROUP_ROLES.get(attendee.group)
        if attendee.in_the_chair:
            role = MembershipRole.CHAIR
        if attendee.represents:
            role = MembershipRole.SUBSTITUTE
        if role is None or person.pk in chosen:
            continue
        chosen[person.pk] = SeatSpec(
            person=person,
            role=role,
            seat=HWB_SEATS.get(attendee.name.key, ""),
            represents=people.get(attendee.represents) if attendee.represents else None,
        )
        order.append(person.pk)
    return [chosen[pk] for pk in order]


def pack_person(people, text, **details):
    """A person named in the pack outside the attendance, e.g. 'Councillor Emma Hoddinott'."""
    return people.get(parse_name(text), **details)


def demo_person(people, title, given, family, **details):
    """An invented person. Their email is at example.org and their organisation says demo."""
    return people.set(Name(title, given, family), **details)
