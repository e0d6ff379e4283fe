"""The HWB minutes of 16 November 2016 and 11 January 2017, published under their meetings.

January's minutes (48-57) are parsed from the pack (minutes_parser.py). November's are not in the
pack; January's matters arising cite seven of them, so November gets a summary record of just
those minutes, headed as cited and saying plainly where the full minutes are, with no invented
resolutions. November is published first so that January can cite its minutes and its minute 50
can approve them: November then reads "approved" and January "draft minutes, not yet approved",
as the 8 March minutes that would approve January are not in the pack.
"""

import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.models import Page

from meetings.minute_rules import check_minutes, citations_in, record_citations
from meetings.minutes import (
    Attendance,
    AttendanceGroup,
    AttendanceStatus,
    MinuteItem,
    MinutesPage,
    Resolution,
)
from meetings.models import MeetingPage

from .agenda_2017 import JANUARY_2017, NOVEMBER_2016, london
from .agendas import meeting_slug
from .minutes_parser import january_2017_apologies, january_2017_minutes
from .pack import MINUTES_LINES, PackError, cited_minutes, lines_between, minutes_attendance
from .sync import rows, sync_page

# The pack does not say when these minutes went out; about a week after each meeting is usual.
NOVEMBER_2016_PUBLISHED = london(2016, 11, 25, 10)
JANUARY_2017_PUBLISHED = london(2017, 1, 20, 10)

MINUTES_SLUG = "minutes"  # as MinutesPage names itself
PREVIOUS_MINUTES = 50  # January's "MINUTES OF THE PREVIOUS MEETING", which approves November's

# Topics residents can follow across boards (shared tags), by minute number.
JANUARY_2017_TOPICS = {
    52: ["sustainability and transformation plan", "rotherham place plan"],
    53: ["health and wellbeing strategy"],
    54: ["children and young people"],
    55: ["carers"],
    56: ["mental health"],
}
NOVEMBER_2016_TOPICS = {
    36: ["health and wellbeing strategy"],
    38: ["health and wellbeing strategy", "children and young people"],
    39: ["health and wellbeing strategy", "mental health"],
    41: ["rotherham place plan"],
    44: ["carers"],
    45: ["safeguarding adults"],
}

SUMMARY_RECORD = (
    "This is a summary record reconstructed from citations in the minutes of 11 January 2017 "
    "(minute 50, matters arising); it gives only the heading cited there. The full minutes are "
    "held by Democratic Services."
)

# The attendance groups of the printed minutes -> Attendance.group; a member printed
# "(representing ...)" is a substitute.
GROUPS = {
    "member": AttendanceGroup.MEMBER,
    "presenter": AttendanceGroup.PRESENTER,
    "officer": AttendanceGroup.OFFICER,
    "observer": AttendanceGroup.OBSERVER,
    "apologies": AttendanceGroup.MEMBER,
}

ATTENDANCE_FIELDS = (
    "person_id",
    "group",
    "status",
    "represents_id",
    "role_text",
    "in_the_chair",
    "sort_order",
)
MINUTE_FIELDS = (
    "number",
    "heading",
    "narrative",
    "discussion_points",
    "is_exempt",
    "exempt_paragraph",
    "agenda_item_id",
    "approves_id",
    "sort_order",
)
RESOLUTION_FIELDS = ("number", "text", "action_line", "sort_order")
DECLARATION_FIELDS = ("person_id", "agenda_item_id", "nature", "sort_order")


def minutes_state(page):
    """A comparable picture of a minutes page's rows, from the database or from memory alike."""
    items = [
        (
            rows([item], MINUTE_FIELDS)[0],
            tuple(rows(item.resolutions.all(), RESOLUTION_FIELDS)),
            tuple(rows(item.declarations.all(), DECLARATION_FIELDS)),
            tuple(sorted(tag.name for tag in item.tags.all())),
        )
        for item in page.minute_items.all()
    ]
    return rows(page.attendance.all(), ATTENDANCE_FIELDS), items


def _words(text):
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def matching_agenda_item(heading, agenda_items):
    """The agenda item whose title is most like the minute's heading, if any is close."""
    best, best_ratio = None, 0.6
    for item in agenda_items:
        ratio = SequenceMatcher(None, _words(heading), _words(item.title)).ratio()
        if ratio > best_ratio:
            best, best_ratio = item, ratio
    return best


def _minute(number, heading, order, agenda_items, topics, **fields):
    item = MinuteItem(
        number=number,
        heading=heading,
        agenda_item=matching_agenda_item(heading, agenda_items),
        sort_order=order,
        **fields,
    )
    # Tags are created (shared across boards) as they are added; the link waits for the save.
    item.tags.add(*topics.get(number, []))
    return item


def attendance_rows(people):
    """Who attended on 11 January 2017, in the order printed, then the apologies (PACK:66-103)."""
    attendance = []
    for order, attendee in enumerate(minutes_attendance()):
        apologies = attendee.group == "apologies"
        attendance.append(
            Attendance(
                person=people.get(attendee.name),
                group=(
                    AttendanceGroup.SUBSTITUTE if attendee.represents else GROUPS[attendee.group]
                ),
                status=AttendanceStatus.APOLOGIES if apologies else AttendanceStatus.PRESENT,
                represents=people.get(attendee.represents) if attendee.represents else None,
                role_text=", ".join(
                    part for part in (attendee.job_title, attendee.organisation) if part
                ),
                in_the_chair=attendee.in_the_chair,
                sort_order=order,
            )
        )
    return attendance


def january_2017_items(meeting, november):
    """Minutes 48-57 as printed, linked to the agenda and approving November's minutes."""
    agenda_items = list(meeting.agenda_items.all())
    items = []
    for order, parsed in enumerate(january_2017_minutes()):
        item = _minute(
            parsed.number,
            parsed.heading,
            order,
            agenda_items,
            JANUARY_2017_TOPICS,
            narrative=parsed.narrative,
            discussion_points="\n".join(parsed.discussion_points),
            approves=november if parsed.number == PREVIOUS_MINUTES else None,
        )
        item.resolutions = [
            Resolution(
                number=resolution.number,
                text=resolution.text,
                action_line=resolution.action_line,
                sort_order=position,
            )
            for position, resolution in enumerate(parsed.resolutions)
        ]
        items.append(item)
    return items


def _cited_resolutions():
    """{minute number: resolution numbers} as January's matters arising cite them."""
    cited = {}
    for parsed in january_2017_minutes():
        for _, number, resolution in citations_in(parsed.narrative):
            numbers = cited.setdefault(number, [])
            if resolution and resolution not in numbers:
                numbers.append(resolution)
    return cited


def _summary_narrative(resolutions):
    if not resolutions:
        return SUMMARY_RECORD
    listed = " and ".join(f"({number})" for number in sorted(resolutions))
    noun = "resolution" if len(resolutions) == 1 else "resolutions"
    return (
        f"{SUMMARY_RECORD}\n\nThe minutes of 11 January 2017 refer to {noun} {listed} of this "
        "minute, whose text is not reproduced here."
    )


def november_2016_items(meeting):
    """The seven November minutes January cites: heading and an honest note, no resolutions."""
    agenda_items = list(meeting.agenda_items.all())
    resolutions = _cited_resolutions()
    return [
        _minute(
            number,
            subject.upper(),
            order,
            agenda_items,
            NOVEMBER_2016_TOPICS,
            narrative=_summary_narrative(resolutions.get(number, [])),
        )
        for order, (number, subject) in enumerate(cited_minutes(lines_between(*MINUTES_LINES)))
    ]


def set_publication_time(page, when):
    """Record that the minutes were published at `when`, which predates this database.

    As for agendas (agendas.set_publication_time): the page is published for real, then the two
    timestamps are moved back on the page and in its live revision, so a revert keeps them.
    """
    if page.first_published_at == when and page.last_published_at == when:
        return False
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.first_published_at = page.last_published_at = when
    revision = page.live_revision
    if revision is not None:
        encoded = DjangoJSONEncoder().default(when)
        revision.content["first_published_at"] = encoded
        revision.content["last_published_at"] = encoded
        revision.save(update_fields=["content"])
    return True


def sync_minutes(meeting, build, summary, published, apologies_note=""):
    """Create or update the live minutes of `meeting`, with the rows `build(page)` sets."""
    entered = MinutesPage.objects.child_of(meeting).exclude(slug=MINUTES_SLUG).first()
    if entered is not None:
        # A meeting has one set of minutes; ones an officer entered on the site are left alone.
        summary.notes.append(f"{entered.title}: entered on the site, left as they are.")
        return entered, False
    page, changed = sync_page(
        meeting,
        MinutesPage,
        MINUTES_SLUG,
        {"title": f"Minutes: {meeting.title}", "apologies_note": apologies_note},
        summary,
        "minutes",
        state=minutes_state,
        apply=build,
    )
    # Unchanged pages come back holding the unsaved rows they were compared with: read it back.
    page = MinutesPage.objects.get(pk=page.pk)
    try:
        # The model keeps only the rules about the minutes alone; the editor also checks the
        # sequence, approval and citations against other minutes. The demo keeps them all.
        check_minutes(page, everything=True)
    except ValidationError as error:
        raise PackError(
            f"{page.title}, as read from the pack, break the rules for minutes: "
            + " ".join(error.messages)
        ) from error
    set_publication_time(page, published)
    return page, changed


def sync_hwb_minutes_2016_17(meetings, people, summary):
    """November's summary record, then January's minutes; returns both pages, oldest first."""
    # Read the meetings back: a meeting the agenda step left unchanged still holds, in memory,
    # the unsaved agenda it was compared with.
    by_slug = {
        meeting.slug: meeting
        for meeting in MeetingPage.objects.filter(pk__in=[meeting.pk for meeting in meetings])
    }
    november_meeting = by_slug[meeting_slug(NOVEMBER_2016)]
    january_meeting = by_slug[meeting_slug(JANUARY_2017)]

    def build_november(page):
        page.minute_items = november_2016_items(november_meeting)

    november, november_changed = sync_minutes(
        november_meeting, build_november, summary, NOVEMBER_2016_PUBLISHED
    )

    def build_january(page):
        page.attendance = attendance_rows(people)
        page.minute_items = january_2017_items(january_meeting, november)

    january, january_changed = sync_minutes(
        january_meeting,
        build_january,
        summary,
        JANUARY_2017_PUBLISHED,
        apologies_note=january_2017_apologies(),
    )
    if november_changed and not january_changed:
        # Republishing November replaced its minute rows, and with them January's links to them.
        record_citations(january)
    return november, january
