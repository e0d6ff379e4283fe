"""`manage.py import_minutes`: the HWB minutes of 11 January 2017 (PACK:63-428) end to end.

The figures are those the issue sets: 10 minute items (48-57), 26 resolutions in 7 "Resolved"
blocks, 9 actions with 12 owner assignments across 10 people, "Ruther Fletcher-Brown" matched
to Ruth Fletcher Brown and flagged for review, and none of the lines that only look like actions.
"""

import io
import json
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from actions_log.models import Action, ActionOwner, MinutesImport
from boards.factories import BoardPageFactory, PersonFactory
from boards.models import Person
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import Attendance, MinuteItem, MinutesPage, Resolution
from meetings.models import MeetingPage

MINUTES_FILE = Path(settings.BASE_DIR) / "home" / "demo" / "data" / "hwb-2017-01-11-minutes.txt"
PACK = Path(settings.BASE_DIR) / "tests" / "fixtures" / "hwb-2017-03-08-agenda-pack.txt"

OWNERS = {
    "2017-01-11/50/n2": ["Kate Green"],
    "2017-01-11/50/n4": ["Sharon Kemp"],
    "2017-01-11/50/n11": ["Terri Roche"],
    "2017-01-11/50/r2": ["Ian Thomas"],
    "2017-01-11/50/r3": ["Anne Marie Lubanski", "Kate Green"],
    "2017-01-11/52/r4": ["Chris Edwards", "Sharon Kemp"],
    "2017-01-11/55/r2": ["Sarah Farragher"],
    "2017-01-11/56/r5": ["Giles Ratcliffe", "Julie Kitlowski"],
    "2017-01-11/56/r6": ["Ruther Fletcher-Brown"],
}

COUNTED = {
    "meetings": MeetingPage.objects,
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


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
        other_names="HWbB\nRHWBB",
    )


@pytest.fixture
def attendance_people(db):
    """The people of the attendance list, as the site would know them (not Anne Marie Lubanski,
    who is not in it)."""
    names = [
        ("Councillor", "D.", "Roche"),
        ("", "Jo", "Abbott"),
        ("", "Karen", "Borthwick"),
        ("", "Tony", "Clabby"),
        ("Dr", "Richard", "Cullen"),
        ("", "Chris", "Edwards"),
        ("", "Sharon", "Kemp"),
        ("Dr", "Julie", "Kitlowski"),
        ("", "Carole", "Lavelle"),
        ("Councillor", "", "Mallinder"),
        ("", "Kathryn", "Singh"),
        ("", "Janet", "Wheatley"),
        ("", "Sarah", "Farragher"),
        ("", "Ruth", "Fletcher Brown"),
        ("", "Giles", "Ratcliffe"),
        ("", "Sue", "Wilson"),
        ("", "Kate", "Green"),
        ("", "Gordon", "Laidlaw"),
        ("", "Dawn", "Mitchell"),
        ("Councillor", "", "Sansome"),
        ("Councillor", "", "Short"),
        ("", "Janet", "Spurling"),
        ("Councillor", "", "Yasseen"),
        ("", "Louise", "Barnett"),
        ("", "Terri", "Roche"),
        ("", "Ian", "Thomas"),
        ("Councillor", "", "Watson"),
    ]
    return {
        f"{given} {family}".strip(): PersonFactory(
            title=title, given_name=given, family_name=family
        )
        for title, given, family in names
    }


def import_json(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_minutes", str(path), *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def check_the_january_figures(data):
    assert [item["number"] for item in data["minute_items"]] == list(range(48, 58))
    assert len(data["resolutions"]) == 26
    blocks = {(r["minute"], r["block"]) for r in data["resolutions"]}
    assert len(blocks) == 7
    assert {a["import_key"]: [o["printed"] for o in a["owners"]] for a in data["actions"]} == (
        OWNERS
    )
    owners = [owner for action in data["actions"] for owner in action["owners"]]
    assert len(owners) == 12
    assert len({owner["person_id"] for owner in owners}) == 10
    ruther = next(o for o in owners if o["printed"] == "Ruther Fletcher-Brown")
    assert ruther["matched"] == "Ruth Fletcher Brown"
    assert ruther["needs_review"] is True


# The acceptance test ----------


def test_the_january_minutes_give_the_issues_figures(hwb, attendance_people):
    data, _ = import_json(MINUTES_FILE, "--board", "health-and-wellbeing-board")
    check_the_january_figures(data)
    assert data["created"] is True and data["already_imported"] is False
    assert data["dry_run"] is False
    assert (data["board"], data["meeting_date"]) == ("health-and-wellbeing-board", "2017-01-11")

    # Only the misspelt name and the one person the attendance does not list are in doubt.
    flagged = {
        owner["printed"]
        for action in data["actions"]
        for owner in action["owners"]
        if owner["needs_review"]
    }
    assert flagged == {"Ruther Fletcher-Brown", "Anne Marie Lubanski"}
    assert Person.objects.filter(needs_review=True).get().full_name == "Anne Marie Lubanski"
    assert Person.objects.count() == len(attendance_people) + 1

    # What the database holds agrees with the report.
    page = MinutesPage.objects.get()
    assert list(page.minute_items.values_list("number", flat=True)) == list(range(48, 58))
    assert Resolution.objects.filter(minute__minutes=page).count() == 26
    assert Action.objects.filter(board=hwb).count() == 9
    assert ActionOwner.objects.count() == 12
    assert ActionOwner.objects.values("person").distinct().count() == 10
    ruther = ActionOwner.objects.get(printed_name="Ruther Fletcher-Brown")
    assert ruther.person == attendance_people["Ruth Fletcher Brown"]
    assert ruther.needs_review
    assert page.attendance.count() == 23 + 4


def test_the_january_minutes_with_nobody_known(hwb):
    data, _ = import_json(MINUTES_FILE, "--board", "HWB")
    check_the_january_figures(data)
    # The 27 people of the attendance and apologies, and Anne Marie Lubanski.
    assert Person.objects.count() == 28
    assert Person.objects.filter(needs_review=True).count() == 28
    assert ActionOwner.objects.get(printed_name="Ruther Fletcher-Brown").person.full_name == (
        "Ruth Fletcher Brown"
    )


def test_the_json_has_the_promised_shape(hwb, attendance_people):
    data, _ = import_json(MINUTES_FILE, "--board", "hwb")
    for key in ("minute_items", "resolutions", "actions", "warnings"):
        assert isinstance(data[key], list), key
    for key in ("board", "meeting_date", "dry_run", "created", "already_imported"):
        assert key in data
    owner = data["actions"][0]["owners"][0]
    assert set(owner) >= {"printed", "matched", "person_id", "needs_review"}
    kate = attendance_people["Kate Green"]
    assert (owner["printed"], owner["matched"], owner["person_id"]) == (
        "Kate Green",
        "Kate Green",
        kate.pk,
    )
    assert data["source"]["format"] == "text"
    assert data["source"]["sha256"] == MinutesImport.objects.get().sha256


def test_the_minutes_text_is_the_packs(hwb):
    # The demo's copy of the minutes is exactly PACK:63-428.
    pack = PACK.read_text(encoding="utf-8").splitlines()[62:428]
    assert MINUTES_FILE.read_text(encoding="utf-8").splitlines() == pack


def test_a_dry_run_writes_nothing(hwb, attendance_people):
    before = counts()
    data, _ = import_json(MINUTES_FILE, "--board", "HWB", "--dry-run")
    assert counts() == before
    assert data["dry_run"] is True and data["created"] is False
    check_the_january_figures(data)


def test_importing_again_creates_no_duplicates(hwb, attendance_people):
    first, _ = import_json(MINUTES_FILE, "--board", "HWB")
    before = counts()
    again, _ = import_json(MINUTES_FILE, "--board", "HWB")
    assert counts() == before
    assert again["already_imported"] is True and again["created"] is False
    assert "already imported on" in again["notes"][0]
    assert again["actions"] == first["actions"]

    out = io.StringIO()
    call_command("import_minutes", str(MINUTES_FILE), "--board", "HWB", stdout=out)
    assert "Already imported hwb-2017-01-11-minutes.txt" in out.getvalue()
    assert counts() == before


def test_the_summary_is_readable_and_warnings_go_to_stderr(hwb, attendance_people):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_minutes", str(MINUTES_FILE), "--board", "HWB", stdout=out, stderr=err)
    summary = out.getvalue()
    assert summary.startswith(
        "Imported hwb-2017-01-11-minutes.txt as the minutes of Health and Wellbeing Board, "
        "Wednesday 11 January 2017."
    )
    assert "10 minutes, 26 resolutions, 9 actions with 12 owner assignments (10 people)." in summary
    assert "saved as a draft" in summary
    assert "Ruther Fletcher-Brown" in err.getvalue()
    assert "Ruther" not in summary.replace("Ruth Fletcher Brown (check)", "")


def test_a_meeting_on_the_site_is_used(hwb, attendance_people):
    meeting = MeetingPageFactory(parent=hwb, start=london(2017, 1, 11, 10), slug="2017-01-11")
    data, _ = import_json(MINUTES_FILE, "--board", "HWB")
    assert data["meeting"] == {"id": meeting.pk, "title": meeting.title, "created": False}
    assert MinutesPage.objects.child_of(meeting).exists()
    assert MeetingPage.objects.count() == 1


def test_the_date_can_be_given(hwb, attendance_people):
    data, _ = import_json(MINUTES_FILE, "--board", "HWB", "--date", "2017-01-12")
    assert data["meeting_date"] == "2017-01-12"
    assert MeetingPage.objects.get().local_start.date().isoformat() == "2017-01-12"
    assert any("gives the meeting date as Wednesday 11 January 2017" in w for w in data["warnings"])
    assert Action.objects.first().import_key.startswith("2017-01-12/")


# The same minutes as a Word document ----------


def minutes_as_word(tmp_path):
    """The January minutes typed into Word: one paragraph a line, attendance as a table."""
    document = docx.Document()
    table = None
    for line in MINUTES_FILE.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            if table is None:
                table = document.add_table(rows=0, cols=2)
            cells = table.add_row().cells
            for cell, text in zip(cells, line.split("\t"), strict=False):
                cell.text = text
            continue
        table = None
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    path = tmp_path / "HWB minutes 11 January 2017.docx"
    document.save(path)
    return path


def test_a_word_version_gives_the_same_figures(hwb, attendance_people, tmp_path):
    data, _ = import_json(minutes_as_word(tmp_path), "--board", "HWB")
    check_the_january_figures(data)
    assert data["source"]["format"] == "docx"
    page = MinutesPage.objects.get()
    assert page.attendance.count() == 27
    assert len(page.minute_items.get(number=54).discussion_point_list) == 11


# Bad input: a clear message, and nothing written ----------


def refused(*args):
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("import_minutes", *map(str, args), stdout=io.StringIO())
    assert counts() == before
    return str(error.value)


def test_a_pdf_renamed_docx_is_refused(hwb, tmp_path):
    path = tmp_path / "minutes.docx"
    path.write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert refused(path, "--board", "HWB") == (
        "minutes.docx is a PDF, not a Word document: export the text (e.g. with pdftotext) or "
        "save it as .docx."
    )


def test_a_corrupt_word_document_is_refused(hwb, tmp_path):
    data = minutes_as_word(tmp_path).read_bytes()
    path = tmp_path / "corrupt.docx"
    path.write_bytes(data[: len(data) // 3])
    assert "is damaged or incomplete" in refused(path, "--board", "HWB")


def test_windows_1252_text_is_imported_with_a_warning(hwb, attendance_people, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_bytes(MINUTES_FILE.read_text(encoding="utf-8").encode("cp1252"))
    data, _ = import_json(path, "--board", "HWB")
    check_the_january_figures(data)
    assert any("Windows-1252" in warning for warning in data["warnings"])
    carers = MinuteItem.objects.get(number=55).resolutions.get(number=1).text
    assert carers == "That the Caring Together, Rotherham Carers’ Strategy 2016-2021, be approved."


def test_a_file_with_no_structure_is_refused(hwb, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(
        "Dear Councillor,\n\nThank you for your letter about the care homes in Rotherham.\n\n"
        "Yours sincerely,\nDawn Mitchell\n",
        encoding="utf-8",
    )
    message = refused(path, "--board", "HWB")
    assert "No minute headings were found" in message


def test_an_unknown_board_lists_the_known_ones(hwb):
    message = refused(MINUTES_FILE, "--board", "nonesuch")
    assert message.startswith("There is no board called 'nonesuch'. Give one of:")
    assert "health-and-wellbeing-board (HWB)" in message


@pytest.mark.parametrize("date", ["2017-02-30", "11/01/2017", "yesterday"])
def test_an_impossible_date_is_refused(hwb, date):
    message = refused(MINUTES_FILE, "--board", "HWB", "--date", date)
    assert "is not a date: write it as YYYY-MM-DD" in message


def test_a_date_in_the_future_is_refused(hwb):
    assert "has not happened yet" in refused(MINUTES_FILE, "--board", "HWB", "--date", "2999-01-01")


def test_a_missing_file_is_refused(hwb, tmp_path):
    assert "was not found" in refused(tmp_path / "nowhere.txt", "--board", "HWB")


def test_other_boards_lines_that_only_look_like_actions_are_not_actions(hwb, tmp_path):
    # PACK:1191-1193 ("Key Action:" cells) and an "Actions" initials column, PACK:4470-4496.
    path = tmp_path / "minutes.txt"
    path.write_text(
        "HEALTH AND WELLBEING BOARD\n11th January, 2017\n\n"
        "Present:-\n\nMembers:-\n\nKate Green\tPolicy Officer, RMBC\n\n"
        "1. THE PLAN\n\nKey Action:\tDeliver the plan\n\nActions\n\n"
        "Resolved:- (1) That the plan be noted.\n",
        encoding="utf-8",
    )
    data, _ = import_json(path, "--board", "HWB")
    assert data["actions"] == []
    assert Action.objects.count() == 0
