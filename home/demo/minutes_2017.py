"""The HWB minutes of 16 November 2016 and 11 January 2017, published under their meetings.

January's minutes (48-57) are imported from `data/hwb-2017-01-11-minutes.txt` (PACK:63-428)
with the importer a council would use for its archive (actions_log.importing), which also raises
their nine actions; the demo then adds topics, publishes them and records that the January "care
homes" action was answered by item 12 of 8 March 2017. November's minutes are not in the pack;
January's matters arising cite seven of them, so November gets a summary record of just those
minutes, headed as cited and saying plainly where the full minutes are, with no invented
resolutions. November is published first so that January can cite its minutes and its minute 50
can approve them: November then reads "approved" and January "draft minutes, not yet approved",
as the 8 March minutes that would approve January are not in the pack.
"""

import re
from difflib import SequenceMatcher
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.models import Page

from actions_log.importing.parser import MinutesFormatError, parse_minutes
from actions_log.importing.reader import UnreadableMinutes, read_minutes_file
from actions_log.importing.writer import ImportRefused, import_minutes
from actions_log.models import Action, ActionStatus, ActionUpdate
from meetings.minute_rules import check_minutes, citations_in, record_citations
from meetings.minutes import MinuteItem, MinutesPage
from meetings.models import AgendaItem, MeetingPage

from .agenda_2017 import JANUARY_2017, MARCH_2017, NOVEMBER_2016, london
from .agendas import meeting_slug
from .pack import MINUTES_LINES, PackError, cited_minutes, lines_between
from .sync import rows, sync_page

# The pack does not say when these minutes went out; about a week after each meeting is usual.
NOVEMBER_2016_PUBLISHED = london(2016, 11, 25, 10)
JANUARY_2017_PUBLISHED = london(2017, 1, 20, 10)

MINUTES_SLUG = "minutes"  # as MinutesPage names itself

# The January minutes as the council published them (PACK:63-428), imported like any archive.
JANUARY_2017_MINUTES = Path(__file__).resolve().parent / "data" / "hwb-2017-01-11-minutes.txt"

# The January "care homes" action, 50(3) "Action: Anne Marie Lubanski/Kate Green", was answered
# by item 12 of the 8 March 2017 agenda, whose report says so (PACK:4142).
CARE_HOMES_ACTION = "2017-01-11/50/r3"
CARE_HOMES_ITEM = 12
CARE_HOMES_EVIDENCE = (
    "Answered by item 12 of the meeting of 8 March 2017, 'Specialist Residential and Nursing "
    "Care for Adults in Rotherham': the Adult Care and Housing commissioning team's report on "
    "the care homes commissioned in Rotherham, written because of this action."
)

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


def january_2017_file():
    """(lines, SourceInfo) of the January minutes file, as `manage.py import_minutes` reads it."""
    try:
        return read_minutes_file(JANUARY_2017_MINUTES)
    except UnreadableMinutes as error:
        raise PackError(str(error)) from error


def january_2017_parsed():
    """The January minutes as the importer's parser reads them, with the file they came from."""
    lines, info = january_2017_file()
    try:
        return parse_minutes(lines, source_name=info.name), info
    except MinutesFormatError as error:
        raise PackError(f"{info.name}: {error}") from error


def _cited_resolutions():
    """{minute number: resolution numbers} as January's matters arising cite them."""
    cited = {}
    for parsed in january_2017_parsed()[0].minute_items:
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


def check_every_rule(page, source):
    """The model keeps only the rules about the minutes alone; the editor also checks the
    sequence, approval and citations against other minutes. The demo keeps them all."""
    try:
        check_minutes(page, everything=True)
    except ValidationError as error:
        raise PackError(
            f"{page.title}, as read from {source}, break the rules for minutes: "
            + " ".join(error.messages)
        ) from error


def entered_on_the_site(meeting, summary):
    """Minutes of `meeting` an officer entered on the site: a meeting has one set, left alone."""
    entered = MinutesPage.objects.child_of(meeting).exclude(slug=MINUTES_SLUG).first()
    if entered is not None:
        summary.notes.append(f"{entered.title}: entered on the site, left as they are.")
    return entered


def sync_minutes(meeting, build, summary, published, apologies_note=""):
    """Create or update the live minutes of `meeting`, with the rows `build(page)` sets."""
    entered = entered_on_the_site(meeting, summary)
    if entered is not None:
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
    check_every_rule(page, "the pack")
    set_publication_time(page, published)
    return page, changed


# January: imported from the file ------------------------------------------------------------


def import_january_2017(meeting):
    """Import the January minutes file under `meeting`, as `manage.py import_minutes` would.

    The same file imported before changes nothing; a changed file corrects the minutes and
    actions in place."""
    parsed, info = january_2017_parsed()
    try:
        return import_minutes(
            parsed,
            board=meeting.get_parent().specific,
            meeting_date=timezone.localdate(JANUARY_2017),
            source_name=info.name,
            sha256=info.sha256,
        )
    except ImportRefused as error:
        raise PackError(f"{info.name} could not be imported: {error}") from error


def publish_with_topics(page, topics):
    """Give the minutes their topics and publish them, if they are not already so; returns
    whether a revision was published."""
    draft = page.get_latest_revision_as_object()
    changed = False
    for item in draft.minute_items.all():
        wanted = sorted(topics.get(item.number, []))
        if sorted(tag.name for tag in item.tags.all()) != wanted:
            # Tags are created (shared across boards) as they are added; the links wait for the
            # revision to be published.
            item.tags.clear()
            item.tags.add(*wanted)
            changed = True
    if not (changed or not page.live or page.has_unpublished_changes):
        return False
    draft.save_revision().publish()
    return True


def sync_january_2017_minutes(meeting, summary):
    """January's minutes imported, with topics, published on their date; (page, changed)."""
    entered = entered_on_the_site(meeting, summary)
    if entered is not None:
        return entered, False
    report = import_january_2017(meeting)
    if report.meeting.get("id") != meeting.pk:
        raise PackError(
            f"{report.source_name} went under {report.meeting.get('title')}, not {meeting.title}."
        )
    page = MinutesPage.objects.get(pk=report.minutes["id"])
    check_every_rule(page, report.source_name)
    published = publish_with_topics(page, JANUARY_2017_TOPICS)
    page = MinutesPage.objects.get(pk=page.pk)
    created = report.created and report.minutes.get("created", False)
    changed = report.created or published
    summary.record("minutes", created=created, updated=changed and not created)
    if not report.already_imported:
        # People the minutes name whom the site did not know (Anne Marie Lubanski, an owner).
        for _ in report.people_created:
            summary.record("person", created=True)
    for action in report.actions:
        status = "unchanged" if report.already_imported else action["status"]
        summary.record("action", created=status == "created", updated=status == "updated")
    set_publication_time(page, JANUARY_2017_PUBLISHED)
    return page, changed


def record_care_homes_answer(board, march_meeting, summary):
    """The January "care homes" action, answered by item 12 of 8 March 2017 (PACK:4142)."""
    action = Action.objects.filter(board=board, import_key=CARE_HOMES_ACTION).first()
    if action is None:
        raise PackError(f"The January action {CARE_HOMES_ACTION} (care homes) was not imported.")
    item = AgendaItem.objects.get(meeting=march_meeting, number=CARE_HOMES_ITEM, sub_item="")
    answered_on = timezone.localdate(MARCH_2017)
    wanted = {
        "status": ActionStatus.COMPLETED,
        "completed_on": answered_on,
        "discharged_by_agenda_item_id": item.pk,
        "evidence": CARE_HOMES_EVIDENCE,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed = True
    if changed:
        action.save()
        action.save_revision(log_action=True)
    # The dated history shows when and how it was done, as an officer would record it.
    _, created = ActionUpdate.objects.get_or_create(
        action=action,
        status=ActionStatus.COMPLETED,
        created_at=MARCH_2017,
        defaults={
            "author_name": "Democratic Services",
            "text": f"Item {CARE_HOMES_ITEM} of the meeting of 8 March 2017: {item.title}.",
        },
    )
    summary.record("action completion", updated=changed or created)
    return action


def sync_hwb_minutes_2016_17(meetings, people, summary):
    """November's summary record, then January's minutes; returns both pages, oldest first.

    `people` is not needed any more (the importer finds the people the minutes name) but is
    kept so that callers need not change."""
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
    january, january_changed = sync_january_2017_minutes(january_meeting, summary)
    if november_changed and not january_changed:
        # Republishing November replaced its minute rows, and with them January's links to them.
        record_citations(january)
    if meeting_slug(MARCH_2017) in by_slug and january.slug == MINUTES_SLUG:
        record_care_homes_answer(january.board, by_slug[meeting_slug(MARCH_2017)], summary)
    return november, january
