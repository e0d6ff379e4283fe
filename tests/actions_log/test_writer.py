"""Storing parsed minutes: meeting, minutes page, attendance, resolutions, actions and owners.

The parsed minutes are made by hand here (structure.py's dataclasses), so these tests do not
depend on the parser; test_import_command.py runs the whole way from a file.
"""

import copy
import datetime

import pytest
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from actions_log.importing.structure import (
    ParsedAction,
    ParsedAttendee,
    ParsedMinuteItem,
    ParsedMinutes,
    ParsedResolution,
)
from actions_log.importing.writer import ImportRefused, due_from_text, import_minutes
from actions_log.models import Action, ActionOwner, ActionStatus, MinutesImport
from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import Person
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import Attendance, MinuteItem, MinutesPage, Resolution
from meetings.models import MeetingPage, StandardItem

DAY = datetime.date(2017, 1, 11)
CARE_HOMES = "That the issue of care homes be included as an agenda item at the next meeting."


def minutes(**changes):
    """Minutes in the shape of the HWB's of 11 January 2017, much shortened."""
    parsed = ParsedMinutes(
        board_name="TEST BOARD",
        meeting_date=DAY,
        attendees=[
            ParsedAttendee(
                "Councillor D. Roche",
                "Cabinet Member for Adult Social Care and Health (in the Chair)",
                "member",
                in_the_chair=True,
            ),
            ParsedAttendee(
                "Jo Abbott",
                "Public Health, RMBC (representing Terri Roche)",
                "substitute",
                represents="Terri Roche",
            ),
            ParsedAttendee("Ruth Fletcher Brown", "Public Health, RMBC", "presenter"),
            ParsedAttendee("Kate Green", "Policy Officer, RMBC", "officer"),
        ],
        apologies=["Terri Roche", "Councillor Watson"],
        apologies_text=(
            "Apologies for absence were received from Terri Roche (RMBC) and Councillor Watson."
        ),
        minute_items=[
            ParsedMinuteItem(
                48, "DECLARATIONS OF INTEREST", paragraphs=["There were no Declarations."]
            ),
            ParsedMinuteItem(
                50,
                "MINUTES OF THE PREVIOUS MEETING",
                paragraphs=[
                    "The minutes of the previous meeting were considered.",
                    "Minute No. 36, it was noted that the action plans would come in May.",
                    "Action: Kate Green",
                ],
                resolutions=[
                    ParsedResolution(1, "That the minutes be approved as a correct record.", "(1)"),
                    ParsedResolution(2, CARE_HOMES, "(2)"),
                ],
                actions=[
                    ParsedAction(
                        "Action: Kate Green",
                        ["Kate Green"],
                        "Minute No. 36, it was noted that the action plans would come in May.",
                        "matters_arising",
                        note_index=1,
                    ),
                    ParsedAction(
                        "Action: Anne Marie Lubanski/Kate Green",
                        ["Anne Marie Lubanski", "Kate Green"],
                        CARE_HOMES,
                        "resolution",
                        resolution_number=2,
                    ),
                ],
            ),
            ParsedMinuteItem(
                56,
                "ROTHERHAM PUBLIC MENTAL HEALTH AND WELLBEING STRATEGY 2017-2020",
                paragraphs=["Jo Abbott presented the Strategy."],
                discussion_points=["A first point", "A second point"],
                resolutions=[
                    ParsedResolution(1, "That the Strategy be endorsed.", "(1)"),
                    ParsedResolution(2, "That the Strategy be circulated widely.", "(2)"),
                ],
                actions=[
                    ParsedAction(
                        "Action:- Ruther Fletcher-Brown",
                        ["Ruther Fletcher-Brown"],
                        "That the Strategy be circulated widely.",
                        "resolution",
                        resolution_number=2,
                    )
                ],
            ),
        ],
    )
    for name, value in changes.items():
        setattr(parsed, name, value)
    return parsed


@pytest.fixture
def board(board_index):
    return BoardPageFactory(parent=board_index, title="Test Board", short_name="TB")


@pytest.fixture
def people(db):
    def person(title, given, family, **fields):
        return PersonFactory(title=title, given_name=given, family_name=family, **fields)

    return {
        "roche": person("Councillor", "D.", "Roche"),
        "terri": person("", "Terri", "Roche"),
        "abbott": person("", "Jo", "Abbott"),
        "ruth": person("", "Ruth", "Fletcher Brown"),
        "kate": person("", "Kate", "Green"),
        "watson": person("Councillor", "", "Watson"),
    }


@pytest.fixture
def meeting(board):
    return MeetingPageFactory(parent=board, start=london(2017, 1, 11, 10), slug="2017-01-11")


def run(board, parsed=None, sha256="a" * 64, **options):
    return import_minutes(
        parsed or minutes(),
        board=board,
        source_name=options.pop("source_name", "hwb-2017-01-11.txt"),
        sha256=sha256,
        **options,
    )


COUNTED = {
    "pages": MeetingPage.objects,
    "minutes": MinutesPage.objects,
    "minute items": MinuteItem.objects,
    "resolutions": Resolution.objects,
    "attendance": Attendance.objects,
    "actions": Action.objects,
    "owners": ActionOwner.objects,
    "people": Person.objects,
    "imports": MinutesImport.objects,
    "revisions": Revision.objects,
    "page log": PageLogEntry.objects,
    "model log": ModelLogEntry.objects,
}


def counts():
    return {name: manager.count() for name, manager in COUNTED.items()}


# The meeting and its minutes ----------


def test_minutes_go_under_the_boards_meeting_on_that_date_as_a_draft(board, people, meeting):
    report = run(board)
    page = MinutesPage.objects.get()
    assert page.get_parent().pk == meeting.pk
    assert (page.meeting_id, page.board_id) == (meeting.pk, board.pk)
    assert not page.live
    assert page.has_unpublished_changes
    assert page.title == f"Minutes: {meeting.title}"
    assert report.minutes == {
        "id": page.pk,
        "title": page.title,
        "created": True,
        "status": "draft",
    }
    assert report.meeting == {"id": meeting.pk, "title": meeting.title, "created": False}
    assert MeetingPage.objects.count() == 1


def test_a_meeting_the_site_lacks_is_created_held_at_10am(board, people):
    report = run(board)
    meeting = MeetingPage.objects.child_of(board).get()
    assert meeting.title == "Test Board, 11 January 2017"
    assert meeting.slug == "2017-01-11"
    assert meeting.local_start == london(2017, 1, 11, 10)
    assert meeting.status == "held"
    assert meeting.venue == "Not recorded in the imported minutes"
    assert meeting.live
    assert report.meeting["created"] is True
    assert any("had no meeting on Wednesday 11 January 2017" in note for note in report.notes)
    assert MinutesPage.objects.child_of(meeting).exists()


def test_a_printed_start_time_is_used(board, people):
    parsed = minutes()
    parsed.start_time = datetime.time(9, 30)
    run(board, parsed)
    assert MeetingPage.objects.get().local_start == london(2017, 1, 11, 9, 30)


def test_the_date_given_overrides_the_date_printed(board, people):
    report = run(board, minutes(meeting_date=datetime.date(2016, 1, 11)), meeting_date=DAY)
    assert MeetingPage.objects.get().local_start.date() == DAY
    assert report.meeting_date == DAY
    assert any("gives the meeting date as Monday 11 January 2016" in w for w in report.warnings)


def test_attendance_keeps_groups_substitutes_chair_and_apologies(board, people, meeting):
    run(board)
    page = MinutesPage.objects.get()
    rows = [
        (row.person_id, row.group, row.status, row.represents_id, row.role_text, row.in_the_chair)
        for row in page.attendance.order_by("sort_order")
    ]
    assert rows == [
        (
            people["roche"].pk,
            "member",
            "present",
            None,
            "Cabinet Member for Adult Social Care and Health",
            True,
        ),
        (
            people["abbott"].pk,
            "substitute",
            "present",
            people["terri"].pk,
            "Public Health, RMBC",
            False,
        ),
        (people["ruth"].pk, "presenter", "present", None, "Public Health, RMBC", False),
        (people["kate"].pk, "officer", "present", None, "Policy Officer, RMBC", False),
        (people["terri"].pk, "member", "apologies", None, "RMBC", False),
        (people["watson"].pk, "member", "apologies", None, "", False),
    ]
    assert page.apologies_note.startswith("Apologies for absence were received from Terri Roche")


def test_minutes_and_resolutions_are_numbered_as_printed(board, people, meeting):
    report = run(board)
    page = MinutesPage.objects.get()
    items = list(page.minute_items.order_by("sort_order"))
    assert [item.number for item in items] == [48, 50, 56]
    assert items[1].narrative.splitlines()[-1] == "Action: Kate Green"
    assert items[2].discussion_point_list == ["A first point", "A second point"]
    resolutions = {
        (r.minute.number, r.number): (r.text, r.action_line)
        for r in Resolution.objects.select_related("minute")
    }
    assert resolutions == {
        (50, 1): ("That the minutes be approved as a correct record.", ""),
        (50, 2): (CARE_HOMES, "Action: Anne Marie Lubanski/Kate Green"),
        (56, 1): ("That the Strategy be endorsed.", ""),
        (56, 2): ("That the Strategy be circulated widely.", "Action:- Ruther Fletcher-Brown"),
    }
    assert [item["number"] for item in report.minute_items] == [48, 50, 56]
    assert len(report.resolutions) == 4


def test_minutes_are_linked_to_the_agenda_items_they_record(board, people, meeting):
    declarations = AgendaItemFactory(
        meeting=meeting, number=4, title="Declarations of interest", kind="declarations"
    )
    strategy = AgendaItemFactory(
        meeting=meeting, number=9, title="Rotherham Public Mental Health and Wellbeing Strategy"
    )
    AgendaItemFactory(meeting=meeting, number=10, title="Better Care Fund")
    run(board)
    linked = {item.number: item.agenda_item_id for item in MinuteItem.objects.all()}
    assert linked == {48: declarations.pk, 50: None, 56: strategy.pk}


# Actions and owners ----------


def test_each_action_line_becomes_an_action_with_its_owners(board, people, meeting):
    report = run(board)
    actions = {
        action.import_key: action
        for action in Action.objects.select_related("minute_item", "resolution")
    }
    assert sorted(actions) == ["2017-01-11/50/n1", "2017-01-11/50/r2", "2017-01-11/56/r2"]
    care_homes = actions["2017-01-11/50/r2"]
    assert care_homes.text == CARE_HOMES
    assert care_homes.source == "resolution"
    assert (care_homes.board_id, care_homes.meeting_id) == (board.pk, meeting.pk)
    assert (care_homes.minute_item.number, care_homes.resolution.number) == (50, 2)
    assert care_homes.as_printed == "Action: Anne Marie Lubanski/Kate Green"
    assert care_homes.raised_on == DAY
    assert care_homes.due_by_next_meeting and care_homes.due_date is None
    assert care_homes.status == ActionStatus.OPEN
    noted = actions["2017-01-11/50/n1"]
    assert (noted.source, noted.resolution_id, noted.minute_item.number) == (
        "matters_arising",
        None,
        50,
    )
    owners = [
        (owner.printed_name, owner.person.full_name, owner.needs_review)
        for owner in care_homes.owners.select_related("person").order_by("sort_order")
    ]
    assert owners == [
        ("Anne Marie Lubanski", "Anne Marie Lubanski", True),
        ("Kate Green", "Kate Green", False),
    ]
    assert len(report.actions) == 3
    assert report.owner_assignments == 4
    assert len(report.owners) == 3


def test_a_misspelt_owner_is_matched_and_flagged_for_review(board, people, meeting):
    report = run(board)
    owner = ActionOwner.objects.get(printed_name="Ruther Fletcher-Brown")
    assert owner.person == people["ruth"]
    assert owner.needs_review
    reported = next(a for a in report.actions if a["import_key"] == "2017-01-11/56/r2")
    assert reported["owners"] == [
        {
            "printed": "Ruther Fletcher-Brown",
            "matched": "Ruth Fletcher Brown",
            "person_id": people["ruth"].pk,
            "needs_review": True,
            "created": False,
            "note": reported["owners"][0]["note"],
        }
    ]
    assert "similar spelling" in reported["owners"][0]["note"]
    assert any("Ruther Fletcher-Brown" in warning for warning in report.warnings)


def test_an_unknown_owner_becomes_a_person_flagged_for_review(board, people, meeting):
    report = run(board)
    person = Person.objects.get(family_name="Lubanski")
    assert (person.given_name, person.needs_review) == ("Anne Marie", True)
    assert person.review_note == (
        "Created by import_minutes from 'Anne Marie Lubanski' in hwb-2017-01-11.txt"
    )
    assert report.people_created == [
        {"printed": "Anne Marie Lubanski", "name": "Anne Marie Lubanski", "person_id": person.pk}
    ]
    # Known people are not flagged.
    assert not Person.objects.filter(needs_review=True).exclude(pk=person.pk).exists()


def test_with_nobody_known_attendees_are_created_and_own_their_actions(board, meeting):
    report = run(board)
    created = {p.full_name for p in Person.objects.filter(needs_review=True)}
    assert created == {
        "Councillor D. Roche",
        "Jo Abbott",
        "Ruth Fletcher Brown",
        "Kate Green",
        "Terri Roche",
        "Councillor Watson",
        "Anne Marie Lubanski",
    }
    assert Person.objects.count() == 7
    ruther = ActionOwner.objects.get(printed_name="Ruther Fletcher-Brown")
    assert ruther.person.full_name == "Ruth Fletcher Brown"
    assert ruther.needs_review
    # Kate Green was created from the attendance: her action lines match her exactly.
    kate = ActionOwner.objects.filter(printed_name="Kate Green")
    assert kate.count() == 2
    assert not any(owner.needs_review for owner in kate)
    assert len(report.people_created) == 7


def test_an_owner_who_has_left_the_board_stays_owner_with_a_warning(board, people, meeting):
    MembershipFactory(
        board=board,
        person=people["kate"],
        start_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2016, 12, 31),
    )
    MembershipFactory(board=board, person=people["ruth"], end_date=datetime.date(2018, 1, 1))
    report = run(board)
    assert ActionOwner.objects.filter(person=people["kate"]).count() == 2
    left = [warning for warning in report.warnings if "left Test Board" in warning]
    assert left == [
        "Kate Green left Test Board on Saturday 31 December 2016, before this meeting, but owns "
        "2 actions (2017-01-11/50/n1, 2017-01-11/50/r2): kept as owner; check who should take "
        "it on."
    ]


def test_an_action_line_naming_no_one_is_kept_with_a_warning(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[2].actions[0].owners = []
    report = run(board, parsed)
    action = Action.objects.get(import_key="2017-01-11/56/r2")
    assert action.owners.count() == 0
    assert any("names no one" in warning for warning in report.warnings)


# Approval of the previous minutes ----------


def test_the_previous_minutes_are_approved_when_published(board, people, meeting):
    november = MeetingPageFactory(parent=board, start=london(2016, 11, 16, 10), slug="2016-11-16")
    previous = MinutesPage(title="Minutes: November", slug="minutes")
    november.add_child(instance=previous)
    previous.save_revision().publish()
    run(board)
    approving = MinuteItem.objects.get(number=50, minutes__meeting=meeting)
    assert approving.approves_id == previous.pk


def test_unpublished_previous_minutes_are_not_approved_but_warned(board, people, meeting):
    november = MeetingPageFactory(parent=board, start=london(2016, 11, 16, 10), slug="2016-11-16")
    previous = MinutesPage(title="Minutes: November", slug="minutes", live=False)
    november.add_child(instance=previous)
    report = run(board)
    assert MinuteItem.objects.get(number=50, minutes__meeting=meeting).approves_id is None
    assert any("which are not published" in warning for warning in report.warnings)


def test_citations_of_minutes_not_on_the_site_are_one_warning_per_minute(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[1].paragraphs.append("Arising from Minute No. 38(2), it was noted.")
    parsed.minute_items[1].paragraphs.append("Minute No. 36(2) was noted.")
    report = run(board, parsed)
    cited = [warning for warning in report.warnings if "cites" in warning]
    assert cited == [
        "Minute 50 cites minutes 36 and 38 ('Minute No. 36', 'Minute No. 38(2)', 'Minute No. "
        "36(2)'), which Test Board has not published on the site before Wednesday 11 January "
        "2017: the citations are kept in the text, and are linked once those minutes are "
        "published."
    ]
    assert "Minute No. 38(2)" in MinuteItem.objects.get(number=50).narrative


# Importing again ----------


def test_importing_the_same_file_again_changes_nothing(board, people, meeting):
    first = run(board)
    before = counts()
    again = run(board)
    assert counts() == before
    assert again.already_imported and not again.created
    assert first.created and not first.already_imported
    assert "was already imported on" in again.notes[0]
    assert [a["import_key"] for a in again.actions] == [a["import_key"] for a in first.actions]
    assert again.warnings == first.warnings


def test_a_corrected_file_updates_the_minutes_and_actions_in_place(board, people, meeting):
    run(board)
    action = Action.objects.get(import_key="2017-01-11/50/r2")
    action.status = ActionStatus.COMPLETED
    action.save()
    minute_ids = dict(MinuteItem.objects.values_list("number", "pk"))
    resolution_ids = set(Resolution.objects.values_list("pk", flat=True))
    action_ids = set(Action.objects.values_list("pk", flat=True))

    corrected = minutes()
    corrected.minute_items[1].resolutions[1].text = CARE_HOMES.replace("next", "March")
    corrected.minute_items[1].actions[1].text = CARE_HOMES.replace("next", "March")
    corrected.minute_items[1].actions[1].owners = ["Kate Green"]
    corrected.minute_items[1].actions[1].as_printed = "Action: Kate Green"
    del corrected.minute_items[2].actions[0]
    report = run(board, corrected, sha256="b" * 64)

    assert dict(MinuteItem.objects.values_list("number", "pk")) == minute_ids
    assert set(Resolution.objects.values_list("pk", flat=True)) == resolution_ids
    assert set(Action.objects.values_list("pk", flat=True)) == action_ids
    action.refresh_from_db()
    assert "at the March meeting" in action.text
    assert action.status == ActionStatus.COMPLETED  # an officer's update is not undone
    assert [owner.person.full_name for owner in action.owners.all()] == ["Kate Green"]
    assert Resolution.objects.get(pk=action.resolution_id).action_line == "Action: Kate Green"
    assert any("2017-01-11/56/r2" in w and "not in this file" in w for w in report.warnings)
    assert MinutesImport.objects.count() == 2
    assert MinutesPage.objects.count() == 1


def test_a_correction_to_published_minutes_is_published(board, people, meeting):
    run(board)
    page = MinutesPage.objects.get()
    page.get_latest_revision().publish()
    corrected = minutes()
    corrected.minute_items[0].paragraphs = ["There were no Declarations of Interest made."]
    report = run(board, corrected, sha256="c" * 64)
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.minute_items.get(number=48).narrative == (
        "There were no Declarations of Interest made."
    )
    assert report.minutes["status"] == "published"


def test_a_dry_run_writes_nothing_but_reports_everything(board, people, meeting):
    before = counts()
    report = run(board, dry_run=True)
    assert counts() == before
    assert report.dry_run and not report.created
    assert len(report.actions) == 3
    lubanski = report.actions[1]["owners"][0]
    assert (lubanski["printed"], lubanski["person_id"], lubanski["created"]) == (
        "Anne Marie Lubanski",
        None,
        True,
    )
    # Nothing was recorded, so the real import still happens.
    assert run(board).created


# Records and audit ----------


def test_the_import_is_recorded_with_its_report(board, people, meeting):
    report = run(board)
    record = MinutesImport.objects.get()
    assert (record.board_id, record.meeting_date, record.sha256) == (board.pk, DAY, "a" * 64)
    assert record.minutes == MinutesPage.objects.get()
    assert record.source_name == "hwb-2017-01-11.txt"
    assert record.report["warnings"] == report.warnings
    assert len(record.report["actions"]) == 3


def test_what_the_import_wrote_is_in_the_audit_log(board, people, meeting, admin_user):
    run(board, user=admin_user)
    page = MinutesPage.objects.get()
    page_actions = set(PageLogEntry.objects.filter(page=page).values_list("action", "user_id"))
    assert page_actions == {("wagtail.create", admin_user.pk), ("wagtail.edit", admin_user.pk)}
    action = Action.objects.first()
    logged = ModelLogEntry.objects.filter(object_id=str(action.pk), action="wagtail.create")
    assert logged.get().user_id == admin_user.pk
    lubanski = Person.objects.get(family_name="Lubanski")
    assert ModelLogEntry.objects.filter(object_id=str(lubanski.pk), action="wagtail.create")
    assert action.revisions.count() == 1


# Refusals ----------


def test_minutes_whose_numbers_go_backwards_are_refused_and_nothing_is_written(
    board, people, meeting
):
    parsed = minutes()
    parsed.minute_items[2].number = 49
    before = counts()
    with pytest.raises(ImportRefused, match="Minute 49 is listed after minute 50"):
        run(board, parsed)
    assert counts() == before


def test_minutes_without_a_date_are_refused(board, people):
    with pytest.raises(ImportRefused, match=r"does not say when the meeting was held.*--date"):
        run(board, minutes(meeting_date=None))


def test_minutes_of_a_meeting_in_the_future_are_refused(board, people):
    with pytest.raises(ImportRefused, match="has not happened yet"):
        run(board, meeting_date=datetime.date.today() + datetime.timedelta(days=30))


def test_minutes_headed_for_another_board_are_imported_with_a_warning(board, people, meeting):
    report = run(board, minutes(board_name="SAFER ROTHERHAM PARTNERSHIP"))
    assert any("headed 'SAFER ROTHERHAM PARTNERSHIP'" in warning for warning in report.warnings)


def test_the_parsers_warnings_are_kept(board, people, meeting):
    parsed = minutes(warnings=["Line 12 was not understood: kept as narrative of minute 50."])
    report = run(board, copy.deepcopy(parsed))
    assert report.warnings[0] == parsed.warnings[0]
    assert MinutesImport.objects.get().report["warnings"][0] == parsed.warnings[0]


def test_minutes_with_no_items_are_refused(board, people):
    with pytest.raises(ImportRefused, match="has no minutes in it"):
        run(board, minutes(minute_items=[]))


def test_the_previous_minutes_item_is_recognised_by_its_agenda_item(board, people, meeting):
    november = MeetingPageFactory(parent=board, start=london(2016, 11, 16, 10), slug="2016-11-16")
    previous = MinutesPage(title="Minutes: November", slug="minutes")
    november.add_child(instance=previous)
    previous.save_revision().publish()
    AgendaItemFactory(
        meeting=meeting,
        number=7,
        title="Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        previous_meeting=november,
    )
    parsed = minutes()
    parsed.minute_items[1].heading = "MINUTES OF THE PREVIOUS MEETING HELD ON 16 NOVEMBER"
    run(board, parsed)
    assert MinuteItem.objects.get(number=50, minutes__meeting=meeting).approves_id == previous.pk


# Due dates printed after the owners ----------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("", (None, True)),
        ("by the next meeting", (None, True)),
        ("by the next Board meeting", (None, True)),
        ("by 31st January, 2017", (datetime.date(2017, 1, 31), False)),
        ("by 3 March", (datetime.date(2017, 3, 3), False)),
        ("by 5 January", (datetime.date(2018, 1, 5), False)),  # the first after the meeting
        ("by March 2017", (datetime.date(2017, 3, 31), False)),
        ("by end of June", (datetime.date(2017, 6, 30), False)),
        ("31/01/2017", (datetime.date(2017, 1, 31), False)),
        ("when funding allows", (None, False)),
        ("by 31 February 2017", (None, False)),
    ],
)
def test_due_dates_are_read_as_councils_print_them(printed, expected):
    assert due_from_text(printed, DAY) == expected


def test_a_printed_due_date_is_kept(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[2].actions[0].due_text = "by 31st March, 2017"
    report = run(board, parsed)
    action = Action.objects.get(import_key="2017-01-11/56/r2")
    assert (action.due_date, action.due_by_next_meeting) == (datetime.date(2017, 3, 31), False)
    assert report.actions[-1]["due_date"] == "2017-03-31"


def test_a_due_date_before_the_meeting_is_refused_with_a_warning(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[2].actions[0].due_text = "by 1 December 2016"
    report = run(board, parsed)
    action = Action.objects.get(import_key="2017-01-11/56/r2")
    assert (action.due_date, action.due_by_next_meeting) == (None, True)
    assert any("before the meeting that raised it" in warning for warning in report.warnings)


def test_a_due_date_not_understood_is_a_warning(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[2].actions[0].due_text = "when funding allows"
    report = run(board, parsed)
    assert Action.objects.get(import_key="2017-01-11/56/r2").due_by_next_meeting
    assert any("'when funding allows' was not understood" in w for w in report.warnings)


# The narrative ----------


def test_the_site_prints_its_own_lead_in_to_the_discussion_points(board, people, meeting):
    parsed = minutes()
    parsed.minute_items[2].paragraphs.insert(
        1, "Discussion ensued on the report with the following issues raised/clarified:-"
    )
    report = run(board, parsed)
    narrative = MinuteItem.objects.get(number=56).narrative
    assert "Discussion ensued" not in narrative
    assert narrative == "Jo Abbott presented the Strategy."
    assert any("lead-ins such as 'Discussion ensued" in note for note in report.notes)


def test_the_words_before_a_block_of_resolutions_stay_before_them(board, people, meeting):
    parsed = minutes()
    for resolution in parsed.minute_items[2].resolutions:
        resolution.lead_in = "That the Health Select Commission:"
    run(board, parsed)
    item = MinuteItem.objects.get(number=56)
    assert item.paragraphs[-1] == "That the Health Select Commission:"
    assert item.resolutions.get(number=1).text == "That the Strategy be endorsed."


# Other councils' shapes ----------


def test_a_second_resolved_block_numbered_from_1_again_is_numbered_on(board, people, meeting):
    parsed = minutes()
    item = parsed.minute_items[2]
    item.resolutions.append(ParsedResolution(1, "That the action plan come back.", "(1)", 1))
    item.actions.append(
        ParsedAction(
            "Action: Kate Green",
            ["Kate Green"],
            "That the action plan come back.",
            "resolution",
            resolution_number=1,
            resolution_index=2,
        )
    )
    report = run(board, parsed)
    resolutions = MinuteItem.objects.get(number=56).resolutions.order_by("sort_order")
    assert [(r.number, r.text) for r in resolutions][-1] == (3, "That the action plan come back.")
    action = Action.objects.get(import_key="2017-01-11/56/r3")
    assert action.resolution.number == 3
    assert resolutions.get(number=3).action_line == "Action: Kate Green"
    assert any("numbered on from the first block" in warning for warning in report.warnings)


def test_an_unnumbered_minute_takes_the_next_number_and_is_found_again(board, people, meeting):
    parsed = minutes()
    parsed.minute_items.append(
        ParsedMinuteItem(
            None,
            "Better Care Fund",
            paragraphs=["The Board received the plan."],
            resolutions=[ParsedResolution(None, "That the plan be approved.")],
            actions=[
                ParsedAction(
                    "ACTION: Kate Green",
                    ["Kate Green"],
                    "That the plan be approved.",
                    "resolution",
                    resolution_number=1,
                    resolution_index=0,
                )
            ],
        )
    )
    run(board, parsed)
    item = MinuteItem.objects.get(heading="Better Care Fund")
    assert item.number == 57
    assert Action.objects.filter(import_key="2017-01-11/57/r1").exists()

    corrected = copy.deepcopy(parsed)
    corrected.minute_items[-1].paragraphs = ["The Board received the revised plan."]
    run(board, corrected, sha256="d" * 64)
    assert MinuteItem.objects.filter(heading="Better Care Fund").get().pk == item.pk
    assert MinuteItem.objects.get(pk=item.pk).number == 57
    assert Action.objects.count() == 4


def test_attendance_added_on_the_site_is_kept_when_a_corrected_file_comes(board, people, meeting):
    run(board)
    # An officer adds someone in the editor: a new draft revision.
    draft = MinutesPage.objects.get().get_latest_revision_as_object()
    extra = PersonFactory(given_name="Gordon", family_name="Laidlaw")
    draft.attendance.add(Attendance(person=extra, group="officer", sort_order=9))
    draft.save_revision()
    page = MinutesPage.objects.get()
    corrected = minutes()
    corrected.apologies_text = "Apologies were received from Terri Roche and Councillor Watson."
    report = run(board, corrected, sha256="e" * 64)
    assert page.attendance.filter(person=extra).exists()
    assert any("Gordon Laidlaw is in the attendance on the site" in w for w in report.warnings)
