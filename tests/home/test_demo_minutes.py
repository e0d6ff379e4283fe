"""`load_demo_data`: the HWB minutes of 11 January 2017 (PACK:63-428) and November's summary.

Like test_demo_data.py, the command runs twice once per module inside a transaction rolled back
at the end, and the tests read what it made.
"""

import dataclasses
import datetime
import hashlib
import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, Revision

from actions_log.models import Action, ActionOwner, ActionUpdate, MinutesImport
from boards.models import BoardPage, Membership, Person
from home.demo import minutes_parser
from home.demo.minutes_2017 import (
    JANUARY_2017_MINUTES,
    SUMMARY_RECORD,
    sync_hwb_minutes_2016_17,
)
from home.demo.pack import PackError
from home.demo.people import People
from home.demo.sync import Summary
from home.models import HomePage
from meetings.minutes import (
    Attendance,
    Declaration,
    MinuteCitation,
    MinuteItem,
    MinuteItemTag,
    MinutesPage,
    Resolution,
)
from meetings.models import AgendaItem, MeetingPage, StandardItem

# Marked so that pytest-django always sets up the test database: the module-scoped fixture would
# otherwise reach the real one when only unmarked tests are selected.
pytestmark = pytest.mark.django_db

COUNTED = {
    "pages": Page.objects,
    "revisions": Revision.objects,
    "minutes pages": MinutesPage.objects,
    "attendance": Attendance.objects,
    "minute items": MinuteItem.objects,
    "resolutions": Resolution.objects,
    "declarations": Declaration.objects,
    "citations": MinuteCitation.objects,
    "tags": Tag.objects,
    "tagged minutes": MinuteItemTag.objects,
    "people": Person.objects,
    "actions": Action.objects,
    "action owners": ActionOwner.objects,
    "action updates": ActionUpdate.objects,
    "minutes imports": MinutesImport.objects,
}

JANUARY_HEADINGS = [
    (48, "DECLARATIONS OF INTEREST"),
    (49, "QUESTIONS FROM MEMBERS OF THE PUBLIC AND THE PRESS"),
    (50, "MINUTES OF THE PREVIOUS MEETING"),
    (51, "COMMUNICATIONS/UPDATES"),
    (
        52,
        "COMMUNICATING AND ENGAGING ON THE REGIONAL SUSTAINABILITY AND TRANSFORMATION PLAN AND "
        "ROTHERHAM PLACE PLAN",
    ),
    (53, "HEALTH AND WELLBEING STRATEGY"),
    (54, "VOICE OF THE CHILD LIFESTYLE SURVEY 2016"),
    (55, "CARING TOGETHER - THE ROTHERHAM CARERS STRATEGY"),
    (56, "ROTHERHAM PUBLIC MENTAL HEALTH AND WELLBEING STRATEGY 2017-2020"),
    (57, "DATE, TIME AND VENUE OF THE FUTURE MEETING"),
]


def counts():
    return {name: manager.count() for name, manager in COUNTED.items()}


def _ensure_home_page():
    # A transactional test elsewhere may have flushed the database, home page included.
    if not HomePage.objects.exists():
        migration = importlib.import_module("home.migrations.0002_create_home_page")
        migration.create_home_page(apps, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        _ensure_home_page()
        before = counts()
        first, second = io.StringIO(), io.StringIO()
        call_command("load_demo_data", stdout=first)
        after_first = counts()
        call_command("load_demo_data", stdout=second)
        after_second = counts()
        yield SimpleNamespace(
            before=before,
            first=first.getvalue(),
            second=second.getvalue(),
            after_first=after_first,
            after_second=after_second,
        )
        transaction.set_rollback(True)


@pytest.fixture
def hwb(demo, db):
    return BoardPage.objects.get(slug="health-and-wellbeing-board")


def meeting(hwb, slug):
    return MeetingPage.objects.child_of(hwb).get(slug=slug)


@pytest.fixture
def january(hwb):
    return MinutesPage.objects.child_of(meeting(hwb, "2017-01-11")).get()


@pytest.fixture
def november(hwb):
    return MinutesPage.objects.child_of(meeting(hwb, "2016-11-16")).get()


def minutes_by_number(minutes):
    return {item.number: item for item in minutes.minute_items.all()}


def person(given, family):
    return Person.objects.get(given_name=given, family_name=family)


def london(*args):
    return timezone.make_aware(datetime.datetime(*args))


# Running the command ----------


def test_the_first_run_creates_both_sets_of_minutes(demo):
    assert demo.before["minutes pages"] == 0
    assert demo.after_first["minutes pages"] == 2
    assert "minutes: 2 created, 0 updated, 0 unchanged" in demo.first


def test_running_it_again_adds_no_pages_revisions_or_rows(demo):
    assert demo.after_second == demo.after_first
    assert "minutes: 0 created, 0 updated, 2 unchanged" in demo.second


# The January minutes ----------


def test_minutes_48_to_57_are_under_the_january_meeting_in_order(january, hwb):
    assert january.live
    assert january.get_parent().specific == meeting(hwb, "2017-01-11")
    assert (january.meeting.slug, january.board_id) == ("2017-01-11", hwb.pk)
    assert january.title == "Minutes: Health and Wellbeing Board, 11 January 2017"
    assert [(item.number, item.heading) for item in january.minute_items.all()] == (
        JANUARY_HEADINGS
    )
    assert not any(item.is_exempt for item in january.minute_items.all())


def test_attendance_is_grouped_as_printed(january):
    present = [
        (row.person.full_name, row.group, row.role_text)
        for row in january.attendance.select_related("person")
        if row.status == "present"
    ]
    members = [entry for entry in present if entry[1] in ("member", "substitute")]
    assert len(members) == 12
    assert members[0] == (
        "Councillor D. Roche",
        "member",
        "Cabinet Member for Adult Social Care and Health",
    )
    assert members[1] == ("Jo Abbott", "substitute", "Public Health, RMBC")
    assert members[-1] == ("Janet Wheatley", "member", "Voluntary Action Rotherham")
    assert [name for name, group, _ in present if group == "presenter"] == [
        "Sarah Farragher",
        "Ruth Fletcher Brown",
        "Giles Ratcliffe",
        "Sue Wilson",
    ]
    assert [name for name, group, _ in present if group == "officer"] == [
        "Kate Green",
        "Gordon Laidlaw",
        "Dawn Mitchell",
    ]
    assert [name for name, group, _ in present if group == "observer"] == [
        "Councillor Sansome",
        "Councillor Short",
        "Janet Spurling",
        "Councillor Yasseen",
    ]
    chair = january.attendance.get(in_the_chair=True)
    assert chair.person == person("D.", "Roche")


def test_substitutes_say_whom_they_represent(january):
    substitutes = {
        row.person.full_name: row.represents.full_name
        for row in january.attendance.filter(group="substitute").select_related(
            "person", "represents"
        )
    }
    assert substitutes == {"Jo Abbott": "Terri Roche", "Karen Borthwick": "Ian Thomas"}


def test_apologies_are_the_board_members_already_on_the_site(january, hwb):
    apologies = january.attendance.filter(status="apologies").select_related("person")
    assert [row.person.full_name for row in apologies] == [
        "Louise Barnett",
        "Terri Roche",
        "Ian Thomas",
        "Councillor Watson",
    ]
    assert [row.role_text for row in apologies] == [
        "Rotherham Foundation Trust",
        "RMBC",
        "RMBC",
        "",
    ]
    # The same Person rows as the board's memberships: nobody was created twice.
    members = set(Membership.objects.filter(board=hwb).values_list("person_id", flat=True))
    assert {row.person_id for row in apologies} <= members
    assert Person.objects.filter(family_name="Watson").count() == 1
    assert january.apologies_note == (
        "Apologies for absence were received from Louise Barnett (Rotherham Foundation Trust), "
        "Terri Roche (RMBC), Ian Thomas (RMBC) and Councillor Watson."
    )


def test_resolutions_are_numbered_as_printed(january):
    numbers = {
        item.number: [resolution.number for resolution in item.resolutions.all()]
        for item in january.minute_items.all()
    }
    expected = {48: 0, 49: 0, 50: 3, 51: 0, 52: 4, 53: 4, 54: 4, 55: 3, 56: 6, 57: 2}
    assert numbers == {number: list(range(1, n + 1)) for number, n in expected.items()}
    minutes = minutes_by_number(january)
    assert minutes[52].resolutions.get(number=1).text == (
        "That the outline plans submitted by approved."  # sic, as printed
    )
    assert minutes[54].resolutions.get(number=1).text == "The report be noted."
    future = minutes[57].resolutions.get(number=2).text
    assert future.startswith("That future meetings take place on: -")
    assert "- 10th January, 2018" in future
    assert future.endswith("All to start at 9.00 a.m., venue to be confirmed.")


def test_action_lines_follow_the_resolution_they_belong_to(january):
    actions = {
        (resolution.minute.number, resolution.number): resolution.action_line
        for resolution in Resolution.objects.filter(minute__minutes=january)
        .exclude(action_line="")
        .select_related("minute")
    }
    assert actions == {
        (50, 2): "Action: Ian Thomas",
        (50, 3): "Action: Anne Marie Lubanski/Kate Green",
        (52, 4): "Action: Chris Edwards/Sharon Kemp",
        (55, 2): "Action: Sarah Farragher",
        (56, 5): "Action:- Giles Ratcliffe/Julie Kitlowski",
        (56, 6): "Action:- Ruther Fletcher-Brown",  # sic: Ruth Fletcher Brown
    }


def test_action_lines_in_the_matters_arising_stay_in_the_narrative(january):
    paragraphs = minutes_by_number(january)[50].paragraphs
    actions = [paragraph for paragraph in paragraphs if paragraph.startswith("Action")]
    assert actions == ["Action: Kate Green", "Action: Sharon Kemp", "Action: Terri Roche"]
    # Each after the paragraph it belongs to, as printed.
    assert paragraphs[paragraphs.index("Action: Kate Green") - 1].startswith("Minute No. 36 (")
    assert paragraphs[paragraphs.index("Action: Terri Roche") - 1].startswith(
        "Arising from Minute No. 43(3)"
    )
    # Nine action lines in all, as DOMAIN.md counts them.
    with_actions = Resolution.objects.filter(minute__minutes=january).exclude(action_line="")
    assert len(actions) + with_actions.count() == 9


def test_discussion_points_are_kept_apart_from_the_narrative(january):
    minutes = minutes_by_number(january)
    points = {number: len(item.discussion_point_list) for number, item in minutes.items()}
    assert points == {48: 0, 49: 0, 50: 0, 51: 0, 52: 4, 53: 7, 54: 11, 55: 4, 56: 0, 57: 0}
    assert minutes[52].discussion_point_list[1] == (
        "A formal route of approval of the Place Plan by Members was still required"
    )
    assert minutes[54].discussion_point_list[-1] == "Useful to include the ages of the children"
    assert not any("Discussion ensued" in item.narrative for item in minutes.values())
    # Narrative printed after the discussion points is narrative still.
    assert minutes[52].paragraphs[-1].startswith("It was noted that there was to be a development")
    # A presentation's bulleted slides stay in the narrative, one list per slide.
    slide = next(p for p in minutes[53].paragraphs if "Reduce levels of tobacco use" in p)
    assert slide.splitlines()[0] == (
        "- Reduce the number of early deaths from cardiovascular disease and cancer"
    )
    assert len(slide.splitlines()) == 5


def test_minutes_are_linked_to_the_january_agenda(january, hwb):
    january_meeting = meeting(hwb, "2017-01-11")
    items = minutes_by_number(january)
    linked = {number: item.agenda_item for number, item in items.items()}
    assert all(agenda_item is not None for agenda_item in linked.values())
    assert {agenda_item.meeting_id for agenda_item in linked.values()} == {january_meeting.pk}
    assert linked[48].kind == StandardItem.DECLARATIONS
    assert linked[49].kind == StandardItem.PUBLIC_QUESTIONS
    assert linked[50].kind == StandardItem.PREVIOUS_MINUTES
    assert linked[51].kind == StandardItem.COMMUNICATIONS
    assert linked[57].kind == StandardItem.FUTURE_MEETINGS
    # The earlier helper's agenda says which minute each business item became.
    for number in range(52, 58):
        assert linked[number].summary == f"Minute {number}."


def test_minutes_carry_topics_residents_can_follow(january):
    topics = {
        number: sorted(tag.name for tag in item.tags.all())
        for number, item in minutes_by_number(january).items()
    }
    assert "sustainability and transformation plan" in topics[52]
    assert topics[53] == ["health and wellbeing strategy"]
    assert topics[54] == ["children and young people"]
    assert topics[55] == ["carers"]
    assert topics[56] == ["mental health"]
    assert topics[48] == topics[57] == []


# Citations, approval and the November summary record ----------


def test_matters_arising_cite_the_november_minutes(january, november):
    matters_arising = minutes_by_number(january)[50]
    citations = matters_arising.citations.select_related("cited__minutes")
    assert sorted((c.text, c.cited.number, c.resolution_number) for c in citations) == sorted(
        [
            ("Minute No. 36", 36, None),
            ("Minute No. 36(2)", 36, 2),
            ("Minute No. 38(2)", 38, 2),
            ("Minute No. 39(2)", 39, 2),
            ("Minute No. 39(3)", 39, 3),
            ("Minute No. 41", 41, None),
            ("Minute No. 43(3)", 43, 3),
            ("Minute No. 43(4)", 43, 4),
            ("Minute No. 44(2)", 44, 2),
            ("Minute No. 45", 45, None),
        ]
    )
    assert {c.cited.minutes_id for c in citations} == {november.pk}
    assert MinuteCitation.objects.exclude(citing=matters_arising).count() == 0


def test_november_is_an_honest_summary_record(november, hwb):
    november_meeting = meeting(hwb, "2016-11-16")
    assert november.live
    items = list(november.minute_items.select_related("agenda_item"))
    assert [(item.number, item.heading) for item in items] == [
        (36, "HEALTH AND WELLBEING STRATEGY"),
        (38, "HEALTH AND WELLBEING STRATEGY AIM 1 – ALL CHILDREN GET THE BEST START IN LIFE"),
        (
            39,
            "HEALTH AND WELLBEING STRATEGY AIM 3 – ALL ROTHERHAM PEOPLE ENJOY THE BEST POSSIBLE "
            "MENTAL HEALTH AND WELLBEING AND HAVE A GOOD QUALITY OF LIFE",
        ),
        (41, "ROTHERHAM PLACE PLAN"),
        (43, "HEALTHY AGEING FRAMEWORK"),
        (44, "CARING TOGETHER – THE ROTHERHAM CARERS’ STRATEGY"),
        (45, "ROTHERHAM SAFEGUARDING ADULT BOARD 2015-16 ANNUAL REPORT"),
    ]
    assert Resolution.objects.filter(minute__minutes=november).count() == 0
    assert november.attendance.count() == 0
    for item in items:
        assert item.narrative.startswith(SUMMARY_RECORD)
        assert "full minutes are held by Democratic Services" in item.narrative
        assert item.agenda_item.meeting_id == november_meeting.pk
        assert item.agenda_item.summary == f"Minute {item.number}."
    by_number = {item.number: item for item in items}
    assert "resolutions (3) and (4) of this minute" in by_number[43].narrative
    assert "resolution" not in by_number[41].narrative.replace(SUMMARY_RECORD, "")


def test_january_approves_november_and_awaits_approval_itself(january, november):
    assert november.status == "approved"
    assert january.status == "unapproved"
    assert january.status_label == "Draft minutes, not yet approved"
    approving = november.approving_minute()
    assert (approving.minutes_id, approving.number) == (january.pk, 50)
    annotated = dict(MinutesPage.objects.with_approval().values_list("pk", "is_approved"))
    assert annotated == {november.pk: True, january.pk: False}


def test_minutes_were_published_on_plausible_dates(january, november):
    for minutes, when in (
        (november, london(2016, 11, 25, 10)),
        (january, london(2017, 1, 20, 10)),
    ):
        assert (minutes.first_published_at, minutes.last_published_at) == (when, when)
        content = minutes.live_revision.content
        assert content["first_published_at"] == content["last_published_at"]
        assert content["first_published_at"].startswith(when.isoformat()[:10])


def test_the_march_agenda_offers_the_january_minutes_for_approval(hwb, january):
    item = AgendaItem.objects.get(meeting=meeting(hwb, "2017-03-08"), number=7)
    assert item.kind == StandardItem.PREVIOUS_MINUTES
    assert item.previous_meeting.slug == "2017-01-11"
    minutes = item.previous_meeting.minutes_record
    assert minutes == january
    assert minutes.live
    assert minutes.status == "unapproved"


def test_the_minutes_are_in_the_search_index(january):
    found = MinutesPage.objects.live().search("hidden carers admitted to hospital")
    assert january in list(found)


# Imported, with its actions ----------


def test_january_was_imported_from_the_minutes_file(january, hwb):
    record = MinutesImport.objects.get(board=hwb)
    assert (record.minutes_id, record.meeting_date) == (january.pk, datetime.date(2017, 1, 11))
    assert record.source_name == "hwb-2017-01-11-minutes.txt"
    assert record.sha256 == hashlib.sha256(JANUARY_2017_MINUTES.read_bytes()).hexdigest()
    # The command an officer would run knows the file is already in.
    out = io.StringIO()
    call_command("import_minutes", str(JANUARY_2017_MINUTES), "--board", "HWB", stdout=out)
    assert out.getvalue().startswith("Already imported hwb-2017-01-11-minutes.txt")


def test_january_raised_nine_actions_with_twelve_owners(january, hwb):
    actions = Action.objects.filter(board=hwb, meeting=january.meeting)
    assert actions.count() == 9
    owners = ActionOwner.objects.filter(action__in=actions)
    assert owners.count() == 12
    assert owners.values("person").distinct().count() == 10
    assert {action.minute_item.minutes_id for action in actions.select_related("minute_item")} == {
        january.pk
    }
    ruther = owners.get(printed_name="Ruther Fletcher-Brown")
    assert (ruther.person, ruther.needs_review) == (person("Ruth", "Fletcher Brown"), True)
    # The one owner the attendance does not list is added, for an officer to check.
    lubanski = Person.objects.get(family_name="Lubanski")
    assert lubanski.needs_review
    assert "hwb-2017-01-11-minutes.txt" in lubanski.review_note
    assert not Person.objects.filter(needs_review=True).exclude(pk=lubanski.pk).exists()


def test_the_care_homes_action_was_answered_by_item_12_in_march(january, hwb):
    action = Action.objects.get(import_key="2017-01-11/50/r3")
    assert action.as_printed == "Action: Anne Marie Lubanski/Kate Green"
    assert action.resolution.text == (
        "That the issue of care homes be included as an agenda item at the next meeting."
    )
    assert action.status == "completed"
    assert action.completed_on == datetime.date(2017, 3, 8)
    item = action.discharged_by_agenda_item
    assert (item.meeting.slug, item.number) == ("2017-03-08", 12)
    assert item.title.startswith("Specialist Residential and Nursing Care for Adults")
    assert "item 12 of the meeting of 8 March 2017" in action.evidence
    update = action.updates.get()
    assert (update.status, update.created_at) == ("completed", london(2017, 3, 8, 10))
    # The other actions are still open, due by that March meeting.
    still_open = Action.objects.filter(meeting=january.meeting).exclude(pk=action.pk)
    assert {a.status for a in still_open} == {"open"}
    assert {a.due() for a in still_open} == {datetime.date(2017, 3, 8)}


# Keeping in step ----------


def test_a_changed_november_record_is_restored_and_january_keeps_its_citations(hwb, november):
    items = list(november.minute_items.all())
    items[0].heading = "CHANGED BY HAND"
    november.minute_items = items
    november.save_revision().publish()
    assert MinuteItem.objects.filter(heading="CHANGED BY HAND").exists()
    revisions = Revision.objects.count()

    summary = Summary()
    meetings = list(MeetingPage.objects.child_of(hwb))
    sync_hwb_minutes_2016_17(meetings, People(summary), summary)

    assert (summary.updated["minutes"], summary.unchanged["minutes"]) == (1, 1)
    assert Revision.objects.count() == revisions + 1
    restored = MinutesPage.objects.get(pk=november.pk)
    assert restored.minute_items.get(number=36).heading == "HEALTH AND WELLBEING STRATEGY"
    assert not MinuteItem.objects.filter(heading="CHANGED BY HAND").exists()
    # Republishing November replaced its minute rows; January's citations follow them.
    citations = MinuteCitation.objects.select_related("cited")
    assert citations.count() == 10
    assert {citation.cited.minutes_id for citation in citations} == {november.pk}
    assert sorted(citation.cited.number for citation in citations if citation.cited.number == 36)


def test_minutes_that_break_the_editors_rules_are_refused(hwb, monkeypatch):
    from home.demo import minutes_2017

    lines, info = minutes_2017.january_2017_file()
    heading = lines.index("51. COMMUNICATIONS/UPDATES")
    changed = [*lines[: heading + 1], "", "Minute No. 99, it was noted.", *lines[heading + 1 :]]
    # A corrected file: another fingerprint, so it is imported as a correction.
    info = dataclasses.replace(info, sha256="0" * 64)
    monkeypatch.setattr(minutes_2017, "january_2017_file", lambda: (changed, info))
    summary = Summary()
    with pytest.raises(PackError, match="has no published minute 99"):
        sync_hwb_minutes_2016_17(list(MeetingPage.objects.child_of(hwb)), People(summary), summary)


def test_minutes_entered_on_the_site_are_left_alone(hwb, november):
    MinutesPage.objects.filter(pk=november.pk).update(slug="minutes-of-16-november-2016")
    before = counts()
    summary = Summary()
    sync_hwb_minutes_2016_17(list(MeetingPage.objects.child_of(hwb)), People(summary), summary)
    assert counts() == before
    assert summary.notes == [
        "Minutes: Health and Wellbeing Board, 16 November 2016: entered on the site, left as they "
        "are."
    ]


# The parser on its own ----------


def test_an_action_line_joins_the_resolution_above_it_or_stays_in_the_narrative():
    lines = [
        "Minute No. 12, it was noted.",
        "",
        "Action: Kate Green",
        "",
        "Discussion ensued with the following issues raised/clarified:-",
        "",
        "- A point",
        "",
        "- Another point",
        "",
        "Resolved:- (1) That it be noted.",
        "",
        "(2) That it be done.",
        "",
        "Action:- Sharon Kemp",
    ]
    minute = minutes_parser.parse_minute(13, "A HEADING", lines)
    assert minute.paragraphs == ["Minute No. 12, it was noted.", "Action: Kate Green"]
    assert minute.discussion_points == ["A point", "Another point"]
    assert [(r.number, r.text, r.action_line) for r in minute.resolutions] == [
        (1, "That it be noted.", ""),
        (2, "That it be done.", "Action:- Sharon Kemp"),
    ]


def test_two_action_lines_after_one_resolution_are_refused():
    lines = ["Resolved:- (1) That it be done.", "", "Action: A", "", "Action: B"]
    with pytest.raises(PackError, match=r"Minute 9\(1\) has two action lines"):
        minutes_parser.parse_minute(9, "A HEADING", lines)
