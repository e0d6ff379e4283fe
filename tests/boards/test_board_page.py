"""The public board page: about, members by role, upcoming and past meetings, queries."""

import datetime
import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import BoardKind, MembershipRole
from meetings.factories import MeetingPageFactory, london
from meetings.models import MeetingStatus

MAX_QUERIES = 15


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
        other_names="HWbB\nRHWBB",
        kind=BoardKind.STATUTORY_COMMITTEE,
        statutory_basis="Health and Social Care Act 2012, section 194",
        summary="Brings together the NHS, the council and partners.",
        terms_of_reference="<p>The board owns the Joint Strategic Needs Assessment.</p>",
        cadence="About every two months, on Wednesdays",
        contact_name="Democratic Services",
        contact_email="democratic.services@example.gov.uk",
        contact_phone="01709 822062",
    )


def get_page(client, page, **params):
    """The page's HTML with entities decoded, so that names with apostrophes compare."""
    response = client.get(page.url, params)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def main_of(html):
    return html[html.index('<main class="govuk-main-wrapper"') : html.index("</main>")]


# About -----------------------------------------------------------------------------------


def test_about_the_board(client, board, board_index):
    other = BoardPageFactory(parent=board_index, title="Rotherham Together Partnership")
    board.reports_to.add(other)
    board.save()

    html = get_page(client, board)

    assert re.search(r"<h1[^>]*>\s*Health and Wellbeing Board\s*</h1>", html)
    for text in (
        "Brings together the NHS, the council and partners.",
        "Statutory committee",
        "HWB, HWbB, RHWBB",
        "Health and Social Care Act 2012, section 194",
        "The board owns the Joint Strategic Needs Assessment.",
        "About every two months, on Wednesdays",
        "Democratic Services",
        'href="mailto:democratic.services@example.gov.uk"',
        "01709 822062",
    ):
        assert text in html, text
    assert f'href="{other.url}">Rotherham Together Partnership</a>' in html
    assert f'href="{board.url}calendar.ics"' in html
    assert f'href="{board_index.url}"' in html  # breadcrumbs


# Members ---------------------------------------------------------------------------------


@pytest.fixture
def members(board):
    today = timezone.localdate()
    chair = PersonFactory(
        title="Councillor",
        given_name="David",
        family_name="Roche",
        job_title="Cabinet Member for Adult Social Care and Health",
        email="david.roche@example.gov.uk",
        phone="07700 900001",
    )
    dph = PersonFactory(
        given_name="Terri",
        family_name="Roche",
        job_title="Director of Public Health",
        email="terri.roche@example.gov.uk",
        phone="07700 900002",
    )
    substitute = PersonFactory(given_name="Jo", family_name="Abbott", email="jo@example.gov.uk")
    observer = PersonFactory(title="Councillor", given_name="Sue", family_name="Ellis")
    vice = PersonFactory(title="Dr", given_name="Julie", family_name="Kitlowski")
    former = PersonFactory(given_name="Former", family_name="Member")
    future = PersonFactory(given_name="Future", family_name="Member")
    # Saved in an order unlike the role order, which the page must restore.
    MembershipFactory(board=board, person=observer, role=MembershipRole.OBSERVER, sort_order=0)
    MembershipFactory(
        board=board,
        person=dph,
        role=MembershipRole.MEMBER,
        seat="Director of Public Health",
        sort_order=1,
    )
    MembershipFactory(
        board=board,
        person=substitute,
        role=MembershipRole.SUBSTITUTE,
        represents=dph,
        sort_order=2,
    )
    MembershipFactory(board=board, person=chair, role=MembershipRole.CHAIR, sort_order=3)
    MembershipFactory(board=board, person=vice, role=MembershipRole.VICE_CHAIR, sort_order=4)
    MembershipFactory(
        board=board,
        person=former,
        role=MembershipRole.CHAIR,
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=1),
        sort_order=5,
    )
    MembershipFactory(
        board=board,
        person=future,
        role=MembershipRole.MEMBER,
        start_date=today + datetime.timedelta(days=30),
        sort_order=6,
    )
    return {"chair": chair, "dph": dph, "substitute": substitute, "vice": vice}


def test_current_members_grouped_by_role_chair_first(client, board, members):
    html = main_of(get_page(client, board))

    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">([^<]+)</caption>', html)
    member_captions = [
        c for c in captions if c in ("Chair", "Vice-chair", "Member", "Substitute", "Observer")
    ]
    assert member_captions == ["Chair", "Vice-chair", "Member", "Substitute", "Observer"]
    assert html.index("Councillor David Roche") < html.index("Dr Julie Kitlowski")
    assert html.index("Dr Julie Kitlowski") < html.index("Terri Roche")
    assert "Director of Public Health" in html
    assert "Cabinet Member for Adult Social Care and Health" in html
    assert "representing Terri Roche" in html
    assert "Former Member" not in html
    assert "Future Member" not in html


def test_role_heading_is_plural_for_several_members(client, board, members):
    MembershipFactory(board=board, person=PersonFactory(), role=MembershipRole.MEMBER)

    html = main_of(get_page(client, board))

    assert ">Members</caption>" in html


def test_people_contact_details_never_appear(client, board, members):
    html = get_page(client, board)

    for person in members.values():
        if person.email:
            assert person.email not in html
        if person.phone:
            assert person.phone not in html
    assert "07700" not in html


# Meetings --------------------------------------------------------------------------------


@pytest.fixture
def history(board):
    """Past meetings over three municipal years (May to April) and one upcoming meeting."""
    dates = {
        "2015/16": [london(2016, 3, 9)],
        "2016/17": [london(2016, 6, 15), london(2017, 1, 11), london(2017, 3, 8)],
        "2017/18": [london(2017, 5, 17, 9)],
    }
    meetings = {
        label: [
            MeetingPageFactory(
                parent=board, title="Health and Wellbeing Board", start=start, status="held"
            )
            for start in starts
        ]
        for label, starts in dates.items()
    }
    upcoming = MeetingPageFactory(
        parent=board,
        start=timezone.now() + datetime.timedelta(days=20),
        status=MeetingStatus.CANCELLED,
    )
    return meetings, upcoming


def past_section(html):
    return html[html.index('id="past-meetings"') :]


def test_upcoming_meetings_are_listed_with_their_status(client, board, history):
    _, upcoming = history

    html = main_of(get_page(client, board))

    upcoming_part = html[html.index("Upcoming meetings") : html.index('id="past-meetings"')]
    assert f'href="{upcoming.url}"' in upcoming_part
    assert "Cancelled" in upcoming_part
    assert "Wednesday 17 May 2017" not in upcoming_part


def test_past_meetings_show_the_latest_municipal_year_first(client, board, history):
    meetings, _ = history

    html = past_section(get_page(client, board))

    assert "Municipal year 2017/18" in html
    assert "Wednesday 17 May 2017, 9am" in html
    assert "Wednesday 8 March 2017" not in html
    for label, year in (("2017/18", 2017), ("2016/17", 2016), ("2015/16", 2015)):
        assert f'href="?year={year}#past-meetings"' in html
        assert label in html
    assert 'aria-current="page">2017/18' in html
    assert 'rel="next"' in html and 'rel="prev"' not in html


def test_past_meetings_of_an_earlier_year_newest_first(client, board, history):
    meetings, _ = history

    html = past_section(get_page(client, board, year="2016"))

    assert "Municipal year 2016/17" in html
    shown = [html.index(f'href="{m.url}"') for m in reversed(meetings["2016/17"])]
    assert shown == sorted(shown)
    assert "Wednesday 17 May 2017" not in html
    assert "Wednesday 9 March 2016" not in html
    assert 'href="?year=2017#past-meetings" rel="prev"' in html
    assert 'href="?year=2015#past-meetings" rel="next"' in html


def test_a_year_without_meetings_is_not_found(client, board, history):
    assert client.get(board.url, {"year": "2009"}).status_code == 404


def test_a_nonsense_year_shows_the_latest(client, board, history):
    html = past_section(get_page(client, board, year="last"))

    assert "Municipal year 2017/18" in html


def test_board_without_meetings(client, board):
    html = get_page(client, board)

    assert "No meetings are arranged at the moment." in html
    assert "The board has no past meetings on this site." in html


# Queries ---------------------------------------------------------------------------------


def fill_board(board, members, past_years, upcoming):
    for n in range(members):
        role = [MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.SUBSTITUTE][n % 3]
        represents = PersonFactory() if role == MembershipRole.SUBSTITUTE else None
        MembershipFactory(board=board, person=PersonFactory(), role=role, represents=represents)
    for year in range(2017 - past_years + 1, 2018):
        for month in (6, 9, 11, 1, 3):
            start = london(year + 1 if month < 5 else year, month, 10)
            MeetingPageFactory(parent=board, start=start, status="held")
    for n in range(upcoming):
        MeetingPageFactory(parent=board, start=timezone.now() + datetime.timedelta(days=7 + n))


def count_queries(client, page, **params):
    client.get(page.url, params)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url, params)
    assert response.status_code == 200
    return len(queries)


def test_board_page_queries_do_not_grow_with_members_or_meetings(client, board_index):
    cache.clear()
    small = BoardPageFactory(parent=board_index)
    large = BoardPageFactory(parent=board_index)
    fill_board(small, members=2, past_years=1, upcoming=1)
    fill_board(large, members=30, past_years=10, upcoming=12)
    for target in (small, large):
        target.reports_to.add(board_index.get_children().exclude(pk=target.pk).first().specific)
        target.save()

    small_count = count_queries(client, small)
    large_count = count_queries(client, large)
    large_old_year = count_queries(client, large, year="2009")

    assert small_count == large_count == large_old_year
    assert large_count <= MAX_QUERIES


def test_the_query_count_check_can_fail(client, board_index, monkeypatch):
    """Members read without their people joined cost a query each: the check above would see it."""
    from boards.models import BoardPage

    monkeypatch.setattr(
        BoardPage, "current_memberships", lambda self, on=None: self.memberships.all()
    )
    small = BoardPageFactory(parent=board_index)
    large = BoardPageFactory(parent=board_index)
    fill_board(small, members=2, past_years=1, upcoming=1)
    fill_board(large, members=30, past_years=1, upcoming=1)

    assert count_queries(client, large) > count_queries(client, small)
