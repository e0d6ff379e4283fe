"""The HWB's meetings of 16 November 2016, 11 January 2017 and 8 March 2017, from the pack.

The 8 March 2017 agenda is parsed from PACK:15-56 with its papers; the January agenda is rebuilt
from the headings of its minutes (PACK:104-428) and the November one from the earlier minutes
that January's "matters arising" cite (PACK:119-141). The pack does not give the January and
November venues or times, so they are taken to be March's.
"""

import datetime
import re

from django.utils import timezone

from meetings.models import AgendaSection, MeetingStatus, StandardItem
from meetings.publication import publish_by

from .agendas import ItemSpec, set_publication_time, sync_meeting
from .boards import OAK_HOUSE
from .pack import (
    MINUTES_LINES,
    cited_minutes,
    heading_to_title,
    lines_between,
    march_2017_agenda,
    minute_headings,
    presenter_names,
)


def london(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


MARCH_2017 = london(2017, 3, 8, 10)
JANUARY_2017 = london(2017, 1, 11, 10)
NOVEMBER_2016 = london(2016, 11, 16, 10)
# Published on Tuesday 28 February 2017: five clear days (1-3 and 6-7 March) before the meeting.
MARCH_2017_PUBLISHED = london(2017, 2, 28, 10)

# How the council's 2017 agendas word the standard items, recognised by these words.
KIND_BY_WORDS = [
    ("categories suggested", StandardItem.PRIVATE_DETERMINATION),
    ("matter of urgency", StandardItem.URGENT_ITEMS),
    ("apologies", StandardItem.APOLOGIES),
    ("declarations of interest", StandardItem.DECLARATIONS),
    ("questions from members of the public", StandardItem.PUBLIC_QUESTIONS),
    ("communications", StandardItem.COMMUNICATIONS),
    ("minutes of the previous meeting", StandardItem.PREVIOUS_MINUTES),
    ("date, time and venue", StandardItem.FUTURE_MEETINGS),
]


def kind_of(title):
    lowered = title.lower()
    for words, kind in KIND_BY_WORDS:
        if words in lowered:
            return kind
    return StandardItem.BUSINESS


def presenters_of(entry, people, chair):
    """The people a presenter line names; 'The Chair to present' means the board's chair."""
    if entry.presenter_text.lower().startswith(("the chair", "the chairman")):
        return [chair]
    return [
        people.get(name, organisation=organisation)
        for name, organisation in presenter_names(entry.presenter_text)
    ]


def march_2017_items(papers, people, chair, january):
    """The 8 March 2017 agenda: items 1-15 with 10(a) and 10(b), as printed."""
    items = []
    for entry in march_2017_agenda():
        kind = kind_of(entry.title)
        item_papers = [
            (document, "", spec.page_start, spec.page_end)
            for spec, document in papers.get(entry.display_number, [])
        ]
        # A sub-item is not verbal: its papers are its parent's (the agenda prints them there).
        has_pages = bool(item_papers or entry.page_start or entry.sub_item)
        items.append(
            ItemSpec(
                number=entry.number,
                sub_item=entry.sub_item,
                title=entry.title,
                kind=kind,
                section=entry.section,
                presenter_text=entry.presenter_text,
                summary=entry.summary,
                is_verbal=not has_pages,
                previous_meeting=january if kind == StandardItem.PREVIOUS_MINUTES else None,
                presenters=presenters_of(entry, people, chair),
                papers=item_papers,
            )
        )
    return items


def _opening_items(previous, minutes_of):
    """Items 1-7 worded as the 2017 agenda words them, with minutes of `previous`."""
    opening = [entry for entry in march_2017_agenda() if entry.number <= 7]
    items = []
    for entry in opening:
        kind = kind_of(entry.title)
        is_minutes = kind == StandardItem.PREVIOUS_MINUTES
        items.append(
            ItemSpec(
                number=entry.number,
                title=entry.title,
                kind=kind,
                section=AgendaSection.PROCEDURAL,
                summary=f"Minutes of meeting held on {minutes_of}"
                if is_minutes and minutes_of
                else "",
                is_verbal=not is_minutes,
                previous_meeting=previous if is_minutes else None,
            )
        )
    return items


def _first_paragraph_after(lines, heading):
    seen = False
    for line in lines:
        if line.strip() == heading:
            seen = True
        elif seen and line.strip():
            return line
    return ""


def _named_in(text, people):
    """People whose full name appears in `text` ('Ruth Fletcher-Brown' is Ruth Fletcher Brown)."""
    flat = re.sub(r"[-\s]+", " ", text)
    return [
        person
        for person in people
        if person.given_name and f"{person.given_name} {person.family_name}" in flat
    ]


def january_2017_items(november, known_people):
    """The 11 January 2017 agenda rebuilt from its minutes' headings (minutes 48-57)."""
    lines = lines_between(*MINUTES_LINES)
    items = _opening_items(november, "16th November, 2016")
    number = len(items)
    for minute, heading in minute_headings(lines):
        title = heading_to_title(heading)
        kind = kind_of(title)
        if kind not in (StandardItem.BUSINESS, StandardItem.FUTURE_MEETINGS):
            continue  # already among the opening items
        number += 1
        opening = _first_paragraph_after(lines, f"{minute}. {heading}")
        items.append(
            ItemSpec(
                number=number,
                title=title,
                kind=kind,
                section=(
                    AgendaSection.INFORMATION
                    if kind == StandardItem.FUTURE_MEETINGS
                    else AgendaSection.DISCUSSION
                ),
                summary=f"Minute {minute}.",
                is_verbal=kind == StandardItem.FUTURE_MEETINGS,
                presenters=_named_in(opening, known_people),
            )
        )
    return items


def november_2016_items():
    """The 16 November 2016 business known from the minutes January's matters arising cite."""
    items = _opening_items(None, "")
    number = len(items)
    for minute, subject in cited_minutes(lines_between(*MINUTES_LINES)):
        number += 1
        items.append(
            ItemSpec(
                number=number,
                title=subject,
                section=AgendaSection.DISCUSSION,
                summary=f"Minute {minute}.",
            )
        )
    return items


def sync_hwb_2016_17(hwb, papers, people, known_people, chair, summary):
    """The three HWB meetings of the pack, held and published; returns them oldest first."""
    meetings = []
    previous = None
    schedule = [
        (NOVEMBER_2016, lambda prev: november_2016_items()),
        (JANUARY_2017, lambda prev: january_2017_items(prev, known_people)),
        (MARCH_2017, lambda prev: march_2017_items(papers, people, chair, prev)),
    ]
    for start, make_items in schedule:
        meeting, _ = sync_meeting(
            hwb,
            start,
            start + datetime.timedelta(hours=2),
            OAK_HOUSE,
            make_items(previous),
            summary,
            status=MeetingStatus.HELD,
            status_note="",
            is_private=False,
            urgency_reason="",
        )
        if start == MARCH_2017:
            published = MARCH_2017_PUBLISHED
        else:
            # The pack does not say when these agendas went out: the legal deadline is assumed.
            deadline = publish_by(timezone.localdate(start))
            published = london(deadline.year, deadline.month, deadline.day, 10)
        set_publication_time(meeting, published)
        meetings.append(meeting)
        previous = meeting
    return meetings
