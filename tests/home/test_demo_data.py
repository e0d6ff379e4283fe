"""`manage.py load_demo_data`: the demo site built from the 8 March 2017 HWB agenda pack.

The command is slow (it generates ten Word papers and publishes some thirty pages), so it runs
twice once per module, inside a transaction rolled back at the end; the tests read what it made.
"""

import datetime
import importlib
import io
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, Revision

from actions_log.models import Action
from boards.models import BoardIndexPage, BoardPage, Membership, Person
from home.demo import pack
from home.demo.paper_documents import docx_text
from home.demo.papers import MARCH_2017_PAPERS
from home.demo.users import demo_password
from home.models import ContentPage, HomePage
from meetings.models import AgendaItem, AgendaPaper, MeetingPage
from meetings.publication import clear_days_between

# Every test is marked so that pytest-django always sets up the test database: with only unmarked
# tests selected it would not, and the module-scoped fixture would reach the real one.
pytestmark = pytest.mark.django_db

COUNTED = {
    "pages": Page.objects,
    "revisions": Revision.objects,
    "people": Person.objects,
    "memberships": Membership.objects,
    "agenda items": AgendaItem.objects,
    "papers": AgendaPaper.objects,
    "documents": get_document_model().objects,
    "collections": Collection.objects,
    "users": get_user_model().objects,
}


def counts():
    return {name: manager.count() for name, manager in COUNTED.items()}


def _ensure_home_page():
    # A transactional test elsewhere may have flushed the database, taking with it the home
    # page that migration home 0002 creates; put it back the same way.
    if not HomePage.objects.exists():
        migration = importlib.import_module("home.migrations.0002_create_home_page")
        migration.create_home_page(apps, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        _ensure_home_page()
        empty = {
            "boards": BoardPage.objects.count(),
            "people": Person.objects.count(),
            "meetings": MeetingPage.objects.count(),
        }
        first, second = io.StringIO(), io.StringIO()
        call_command("load_demo_data", stdout=first)
        after_first = counts()
        call_command("load_demo_data", stdout=second)
        after_second = counts()
        yield SimpleNamespace(
            empty=empty,
            first=first.getvalue(),
            second=second.getvalue(),
            after_first=after_first,
            after_second=after_second,
        )
        transaction.set_rollback(True)


@pytest.fixture
def hwb(demo, db):
    return BoardPage.objects.get(slug="health-and-wellbeing-board")


@pytest.fixture
def march(hwb):
    return MeetingPage.objects.child_of(hwb).get(slug="2017-03-08")


def items_by_number(meeting):
    return {item.display_number: item for item in meeting.agenda_items.all()}


def person(given, family):
    return Person.objects.get(given_name=given, family_name=family)


# Running the command ----------


def test_runs_on_an_empty_database_and_says_what_it_made(demo):
    assert demo.empty == {"boards": 0, "people": 0, "meetings": 0}
    assert "board: 7 created" in demo.first
    assert "content page: 1 created" in demo.first
    assert "document: 11 created" in demo.first
    assert "user: 3 created" in demo.first
    password = demo_password()
    for username in ("officer", "member", "admin"):
        assert f"{username} / {password}" in demo.first


def test_running_it_again_creates_and_changes_nothing(demo):
    assert demo.after_second == demo.after_first
    assert re.findall(r"(\d+) created", demo.second) == ["0"] * len(
        re.findall(r"created", demo.second)
    )
    assert not re.search(r"[1-9]\d* updated", demo.second)


def test_a_missing_pack_is_a_clear_error_and_changes_nothing(demo, db, tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_REFERENCE_DIR", str(tmp_path))
    before = counts()
    with pytest.raises(CommandError, match="DEMO_REFERENCE_DIR"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == before


# Site tree and boards ----------


def test_boards_live_under_the_partnership_boards_index(demo, db):
    home = HomePage.objects.get()
    index = BoardIndexPage.objects.child_of(home).get(slug="boards")
    assert index.title == "Partnership boards"
    boards = BoardPage.objects.child_of(index).live()
    assert {board.short_name: board.kind for board in boards} == {
        "HWB": "statutory_committee",
        "RSAB": "statutory_partnership",
        "SRP": "statutory_partnership",
        "MHPB": "partnership",
        "CYPPB": "partnership",
        "RSCP": "statutory_partnership",
        "HSC": "scrutiny",
    }


def test_boards_have_their_statutory_basis_aliases_and_reporting_lines(hwb):
    assert hwb.statutory_basis == "Health and Social Care Act 2012, s194"
    assert hwb.alias_list == ["HWbB", "RHWBB", "Health & Wellbeing Board"]
    assert hwb.cadence == "About every two months, on Wednesdays"
    assert hwb.contact_name == "Dawn Mitchell, Democratic Services"
    assert "Joint Strategic Needs Assessment" in hwb.terms_of_reference
    assert list(hwb.reports_to.all()) == []

    def reports_to(slug):
        board = BoardPage.objects.get(slug=slug)
        return sorted(target.short_name for target in board.reports_to.all())

    assert reports_to("safeguarding-adults-board") == ["HWB", "SRP"]
    assert reports_to("mental-health-partnership-board") == ["HSC", "HWB"]
    assert reports_to("safeguarding-children-partnership") == ["CYPPB", "HWB", "SRP"]
    assert reports_to("safer-rotherham-partnership") == []
    srp = BoardPage.objects.get(slug="safer-rotherham-partnership")
    assert "Crime and Disorder Act 1998" in srp.statutory_basis
    assert "Rotherham Together Partnership" in srp.terms_of_reference
    scp = BoardPage.objects.get(slug="safeguarding-children-partnership")
    assert "Children and Social Work Act 2017" in scp.statutory_basis


def test_the_accessibility_statement_is_a_page_under_home(demo, db):
    statement = ContentPage.objects.child_of(HomePage.objects.get()).get(slug="accessibility")
    assert statement.live
    assert statement.title == "Accessibility statement"
    for words in (
        "WCAG 2.2",
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018",
        "partially compliant",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "Reporting accessibility problems",
        "This statement was prepared on",
    ):
        assert words in statement.body


def test_the_agenda_approval_workflow_covers_the_boards(demo, db):
    pytest.importorskip("meetings.workflows")
    index = BoardIndexPage.objects.get()
    workflow = index.get_workflow()
    assert workflow is not None
    assert BoardPage.objects.get(slug="health-and-wellbeing-board").get_workflow() == workflow


# People ----------


def test_people_are_parsed_from_the_minutes_with_titles(demo, db):
    roche = Person.objects.get(title="Councillor", given_name="D.", family_name="Roche")
    assert roche.job_title == "Cabinet Member for Adult Social Care and Health"
    cullen = person("Richard", "Cullen")
    assert (cullen.title, cullen.job_title, cullen.organisation) == (
        "Dr",
        "Governance Lead",
        "Rotherham CCG",
    )
    mallinder = Person.objects.get(family_name="Mallinder")
    assert (mallinder.title, mallinder.given_name) == ("Councillor", "")
    assert person("Louise", "Barnett").organisation == "Rotherham Foundation Trust"


def test_hwb_memberships_follow_the_attendance_groups(hwb):
    roles = {
        membership.person.full_name: membership.role
        for membership in hwb.memberships.select_related("person")
    }
    assert roles["Councillor D. Roche"] == "chair"
    for name in ("Tony Clabby", "Chris Edwards", "Sharon Kemp", "Kathryn Singh"):
        assert roles[name] == "member"
    # Those who sent apologies are members, including the two whom substitutes represented.
    for name in ("Louise Barnett", "Terri Roche", "Ian Thomas", "Councillor Watson"):
        assert roles[name] == "member"
    for name in ("Kate Green", "Gordon Laidlaw", "Dawn Mitchell"):
        assert roles[name] == "officer"
    for name in (
        "Councillor Sansome",
        "Councillor Short",
        "Janet Spurling",
        "Councillor Yasseen",
    ):
        assert roles[name] == "observer"
    # Report presenters are people, not members.
    for given, family in (("Sarah", "Farragher"), ("Giles", "Ratcliffe"), ("Sue", "Wilson")):
        assert person(given, family).pk
        assert f"{given} {family}" not in roles
    assert person("Ruth", "Fletcher Brown").organisation == "RMBC"
    # 12 members' lines, 4 apologies, 3 officers, 4 observers, and the demo member.
    assert len(roles) == 24


def test_substitutes_represent_their_principals_and_seats_are_named(hwb):
    memberships = {m.person.full_name: m for m in hwb.memberships.select_related("person")}
    abbott = memberships["Jo Abbott"]
    assert abbott.role == "substitute"
    assert abbott.represents == person("Terri", "Roche")
    assert memberships["Karen Borthwick"].represents == person("Ian", "Thomas")
    assert memberships["Terri Roche"].seat == "Director of Public Health"
    assert memberships["Tony Clabby"].seat == "Healthwatch"
    assert "CCG" in memberships["Chris Edwards"].seat
    assert person("Terri", "Roche").job_title == "Director of Public Health"


def test_other_boards_have_a_few_memberships(demo, db):
    def roles(slug):
        board = BoardPage.objects.get(slug=slug)
        return sorted(m.role for m in board.memberships.all())

    assert "independent_chair" in roles("safeguarding-adults-board")
    assert roles("mental-health-partnership-board").count("co_chair") == 2
    assert roles("health-select-commission") == ["chair", "officer", "vice_chair"]
    scp = BoardPage.objects.get(slug="safeguarding-children-partnership")
    ended = [m for m in scp.memberships.all() if m.end_date]
    assert ended and not ended[0].is_current
    assert ended[0] not in scp.current_memberships()


# The 8 March 2017 agenda ----------


def test_the_march_agenda_has_items_1_to_15_with_10a_and_10b(march):
    numbers = [item.display_number for item in march.agenda_items.all()]
    expected = [str(n) for n in range(1, 11)] + ["10(a)", "10(b)"]
    expected += [str(n) for n in range(11, 16)]
    assert numbers == expected
    items = items_by_number(march)
    assert items["10(a)"].title == "Better Care Fund Draft Plan 2017/19"
    assert items["10(b)"].title == "Better Care Fund Quarter 3 Submission"
    assert (items["10(a)"].number, items["10(a)"].sub_item) == (10, "a")


def test_the_march_agenda_sections_and_kinds(march):
    items = items_by_number(march)
    sections = {number: item.section for number, item in items.items()}
    assert {sections[str(n)] for n in range(1, 8)} == {"procedural"}
    assert {sections[n] for n in ("8", "9", "10", "10(a)", "10(b)", "11", "12", "13")} == {
        "discussion"
    }
    assert {sections["14"], sections["15"]} == {"information"}
    kinds = [items[str(n)].kind for n in range(1, 8)] + [items["15"].kind, items["8"].kind]
    assert kinds == [
        "private_determination",
        "urgent_items",
        "apologies",
        "declarations",
        "public_questions",
        "communications",
        "previous_minutes",
        "future_meetings",
        "business",
    ]


def test_the_march_agenda_presenters(march):
    items = items_by_number(march)
    assert items["8"].presenter_text == (
        "Presentation by Rob O'Dell, South Yorkshire Police, supported by Karen Hanson, RMBC"
    )
    assert sorted(p.full_name for p in items["8"].presenters.all()) == [
        "Karen Hanson",
        "Rob O'Dell",
    ]
    # PACK:32 runs the presenter line into 10(b)'s title; it presents the whole of item 10.
    assert items["10"].presenter_text == "Presented by Nathan Atkinson/Karen Smith, RMBC"
    assert items["10(b)"].presenter_text == ""
    assert items["11"].presenter_text == "Presented by Linda Harper, CYPS"
    # The Chair presents item 13: that is the HWB's chair, from the minutes.
    assert [p.full_name for p in items["13"].presenters.all()] == ["Councillor D. Roche"]


def test_verbal_items_have_no_papers(march):
    items = items_by_number(march)
    place_plan = items["9"]
    assert place_plan.is_verbal
    assert place_plan.presenter_text == "Verbal update by Chris Edwards, CCG"
    # The Chris Edwards of the attendance list, not a second person made from the agenda.
    assert list(place_plan.presenters.all()) == [person("Chris", "Edwards")]
    assert items["13"].is_verbal
    assert items["13"].title == "Loneliness and Isolation"
    assert not items["9"].papers.exists() and not items["13"].papers.exists()
    assert not items["8"].is_verbal and not items["10(a)"].is_verbal


def test_the_march_agenda_page_ranges(march):
    items = items_by_number(march)
    ranges = {n: item.page_range for n, item in items.items() if item.page_range}
    assert ranges == {
        "7": (1, 11),
        "8": (12, 81),
        "10": (82, 170),
        "11": (171, 197),
        "12": (198, 201),
        "14": (202, 215),
    }
    assert items["10"].page_range_label == "Pages 82 - 170"
    papers = [(p.page_start, p.page_end) for p in items["8"].papers.all()]
    assert papers == sorted(papers) and papers[0][0] == 12 and papers[-1][1] == 81


def test_the_march_meeting_time_place_and_status(march, hwb):
    assert march.title == "Health and Wellbeing Board, 8 March 2017"
    assert march.when == "Wednesday 8 March 2017, 10am"
    assert timezone.localtime(march.end).time() == datetime.time(12, 0)
    assert ", ".join(march.venue.splitlines()) == (
        "Oak House, Moorhead Way, Bramley, Rotherham S66 1YY"
    )
    assert march.status == "held"
    january = MeetingPage.objects.child_of(hwb).get(slug="2017-01-11")
    assert items_by_number(march)["7"].previous_meeting == january


def test_the_march_agenda_was_published_five_clear_days_before(march):
    published = timezone.localtime(march.first_published_at)
    assert published == timezone.make_aware(datetime.datetime(2017, 2, 28, 10, 0))
    assert march.last_published_at == march.first_published_at
    assert march.agenda_updated_at is None
    assert clear_days_between(published.date(), datetime.date(2017, 3, 8)) >= 5
    assert march.live
    # The live revision agrees, so reverting to it does not change the publication time.
    live = march.live_revision.as_object()
    assert live.first_published_at == march.first_published_at


def test_the_earlier_meetings_are_held_and_linked(hwb):
    november = MeetingPage.objects.child_of(hwb).get(slug="2016-11-16")
    january = MeetingPage.objects.child_of(hwb).get(slug="2017-01-11")
    assert november.status == january.status == "held"
    assert november.live and january.live
    january_items = items_by_number(january)
    assert january_items["7"].previous_meeting == november
    titles = [item.title for item in january.agenda_items.all()]
    assert "Voice of the Child Lifestyle Survey 2016" in titles
    survey = next(i for i in january.agenda_items.all() if "Lifestyle Survey" in i.title)
    assert [p.full_name for p in survey.presenters.all()] == ["Sue Wilson"]
    november_titles = [item.title for item in november.agenda_items.all()]
    assert "Rotherham Safeguarding Adult Board 2015-16 Annual Report" in november_titles


# Papers ----------


def _a_sentence_of(spec):
    """The longest plain line of the paper's slice of the pack: a sentence only it contains."""
    lines = [
        line.strip()
        for line in pack.lines_between(spec.first_line, spec.last_line)
        if "\t" not in line and "*" not in line and "<" not in line
    ]
    return max(lines, key=len)


def test_papers_are_word_documents_made_from_the_pack(march):
    documents = {
        paper.document.title: paper.document
        for item in march.agenda_items.all()
        for paper in item.papers.all()
    }
    assert len(documents) == len(MARCH_2017_PAPERS) == 10
    for spec in MARCH_2017_PAPERS:
        document = documents[spec.title]
        assert document.collection.name == "Agenda papers"
        assert document.file_extension == "docx"
        with document.open_file() as handle:
            text = docx_text(handle.read())
        assert spec.title in text
        assert _a_sentence_of(spec).lstrip("- ") in text, spec.title


def test_the_minutes_paper_is_the_january_minutes(march):
    paper = items_by_number(march)["7"].papers.get()
    assert paper.document.title == "Minutes of the meeting held on 11 January 2017"
    with paper.document.open_file() as handle:
        text = docx_text(handle.read())
    assert "48. DECLARATIONS OF INTEREST" in text
    assert "Action: Kate Green" in text
    assert "SHARON KEMP" not in text  # the agenda's signature is not part of the minutes


# Future meetings ----------


def test_every_board_has_meetings_in_the_coming_months(demo, db):
    now = timezone.now()
    for board in BoardPage.objects.all():
        upcoming = MeetingPage.objects.child_of(board).live().filter(start__gte=now)
        assert upcoming.exists(), board.title
        for meeting in upcoming:
            assert meeting.start <= now + datetime.timedelta(days=190)
            kinds = [item.kind for item in meeting.agenda_items.all()][:6]
            assert kinds == [
                "private_determination",
                "urgent_items",
                "apologies",
                "declarations",
                "public_questions",
                "previous_minutes",
            ]
            assert meeting.agenda_items.filter(kind="business").count() >= 2


def test_hwb_future_meetings_are_on_wednesdays_at_oak_house(hwb):
    upcoming = MeetingPage.objects.child_of(hwb).filter(start__gte=timezone.now())
    assert upcoming.count() >= 2
    for meeting in upcoming:
        start = timezone.localtime(meeting.start)
        assert (start.weekday(), start.hour) == (2, 9)
        assert meeting.venue.startswith("Oak House")


def test_one_future_meeting_is_cancelled(demo, db):
    cancelled = MeetingPage.objects.filter(status="cancelled", start__gte=timezone.now())
    assert cancelled.count() == 1
    meeting = cancelled.get()
    assert meeting.live and meeting.status_note


def test_one_future_item_is_exempt_and_its_paper_is_private(demo, db):
    item = AgendaItem.objects.get(is_exempt=True)
    assert item.title == "Contract award for domestic abuse support services"
    assert item.exempt_paragraph == 3
    assert "public interest" in item.public_interest_reason
    assert item.meeting.get_parent().slug == "safer-rotherham-partnership"
    assert item.meeting.start > timezone.now()
    document = item.papers.get().document
    restricted = CollectionViewRestriction.objects.filter(
        collection__in=document.collection.get_ancestors(inclusive=True)
    )
    assert restricted.exists()
    assert document.collection.name != "Agenda papers"


# Sign-ins ----------


def test_demo_users(demo, db):
    User = get_user_model()
    password = demo_password()
    officer = User.objects.get(username="officer")
    member = User.objects.get(username="member")
    admin = User.objects.get(username="admin")
    for user in (officer, member, admin):
        assert user.check_password(password)
    assert officer.groups.filter(name="Democratic services").exists()
    assert member.groups.filter(name="Board members").exists()
    assert admin.is_superuser and not member.is_superuser and not officer.is_superuser
    hwb = BoardPage.objects.get(slug="health-and-wellbeing-board")
    assert hwb.current_memberships().filter(person__user=member, role="member").exists()


def test_the_demo_member_has_actions_to_see(demo, db):
    # "My actions" for the member sign-in is not empty: the member owns open actions.
    member = get_user_model().objects.get(username="member")
    owned = Action.objects.owned_by(member.person)
    assert owned.exists()
    assert owned.open().exists()


# The parsers, on text the pack does not have ----------


def test_parse_name_reads_titles_and_initials():
    assert pack.parse_name("Councillor D. Roche") == pack.Name("Councillor", "D.", "Roche")
    assert pack.parse_name("Dr. Richard Cullen") == pack.Name("Dr", "Richard", "Cullen")
    assert pack.parse_name("Cllr Watson") == pack.Name("Councillor", "", "Watson")
    assert pack.parse_name("Ruth Fletcher Brown") == pack.Name("", "Ruth", "Fletcher Brown")


def test_parse_attendance_groups_and_substitutes():
    lines = [
        "Members:-",
        "",
        "Councillor A. Smith\tCabinet Member for Health (in the Chair)",
        "Pat Jones\tPublic Health, RMBC (representing Sam Lee)",
        "Officers:-",
        "Kim Ward\tDemocratic Services, RMBC",
        "Apologies for absence were received from Sam Lee (RMBC) and Councillor Hart.",
    ]
    attendees = pack.parse_attendance(lines)
    assert [(a.group, a.name.family_name) for a in attendees] == [
        ("member", "Smith"),
        ("member", "Jones"),
        ("officer", "Ward"),
        ("apologies", "Lee"),
        ("apologies", "Hart"),
    ]
    chair, substitute = attendees[0], attendees[1]
    assert chair.in_the_chair and chair.job_title == "Cabinet Member for Health"
    assert substitute.represents == pack.Name("", "Sam", "Lee")
    assert (substitute.job_title, substitute.organisation) == ("Public Health", "RMBC")
    assert attendees[3].organisation == "RMBC"


def test_parse_agenda_splits_run_together_presenters_and_late_page_ranges():
    lines = [
        "1. Apologies for absence",
        "For Decision",
        "2. Budget (Pages 3 - 9)",
        " - (a) Revenue budgetPresented by Ann Lee/Bo Chan, RMBC",
        " - (b) Capital programme",
        "3. Annual report",
        "(Pages 10 - 12)",
        "4. Update",
        "Verbal update by Di Fox, CCG",
    ]
    entries = pack.parse_agenda(lines)
    assert [(e.display_number, e.section) for e in entries] == [
        ("1", "procedural"),
        ("2", "decision"),
        ("2(a)", "decision"),
        ("2(b)", "decision"),
        ("3", "decision"),
        ("4", "decision"),
    ]
    assert entries[1].presenter_text == "Presented by Ann Lee/Bo Chan, RMBC"
    assert entries[2].title == "Revenue budget"
    assert (entries[1].page_start, entries[1].page_end) == (3, 9)
    assert (entries[4].page_start, entries[4].page_end) == (10, 12)
    assert entries[5].presenter_text == "Verbal update by Di Fox, CCG"


def test_presenter_names():
    names = pack.presenter_names("Presented by Nathan Atkinson/Karen Smith, RMBC")
    assert [(n.given_name, n.family_name, org) for n, org in names] == [
        ("Nathan", "Atkinson", "RMBC"),
        ("Karen", "Smith", "RMBC"),
    ]
    assert pack.presenter_names("The Chair to present") == []
