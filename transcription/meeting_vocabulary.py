"""The names and terms of one meeting, from the database, for the engine and the name correction.

People: the board's members on the day, everyone in the minutes' attendance (with the members
substitutes represented), and the agenda items' presenters (linked people and the printed line).
Terms: the agenda titles' distinctive words, the default glossary, and a council's own
TRANSCRIPTION_GLOSSARY. A handful of queries, whatever the size of the board.
"""

from django.conf import settings

from boards.models import BoardPage, Person
from meetings.models import AgendaItem


def meeting_names(meeting):
    """Printed names of everyone likely to speak at or be named in the meeting."""
    names = []
    board = BoardPage.objects.filter(pk=meeting.get_parent().pk).first()
    if board is not None:
        day = meeting.start.date()
        for membership in board.current_memberships(on=day):
            names.append(membership.person.full_name)
            if membership.represents_id:
                names.append(membership.represents.full_name)
    minutes = getattr(meeting, "minutes_record", None) if _has_minutes(meeting) else None
    if minutes is not None:
        people = Person.objects.filter(attendance_records__minutes=minutes).distinct()
        names.extend(person.full_name for person in people)
        represented = Person.objects.filter(
            pk__in=minutes.attendance.exclude(represents=None).values("represents")
        )
        names.extend(person.full_name for person in represented)
    presenters = Person.objects.filter(presented_items__meeting=meeting).distinct()
    names.extend(person.full_name for person in presenters)
    return list(dict.fromkeys(name for name in names if name))


def _has_minutes(meeting):
    from meetings.minutes import MinutesPage

    return MinutesPage.objects.filter(meeting=meeting).exists()


def vocabulary_for(meeting):
    """A `Vocabulary` for the meeting (see transcription/vocabulary.py for how it is used)."""
    from .vocabulary import Vocabulary

    items = list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "presenter_text"))
    # A printed presenter line ("Presentation by Rob O'Dell, South Yorkshire Police") is not a
    # name: its distinctive words are terms, like the titles'.
    return Vocabulary.build(
        attendees=meeting_names(meeting),
        agenda_titles=[text for item in items for text in item if text],
        terms=getattr(settings, "TRANSCRIPTION_GLOSSARY", []),
    )
