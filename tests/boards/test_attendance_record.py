"""Members' attendance record on the board page: attended / expected over minuted meetings."""

import datetime
import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.attendance import attendance_record
from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import Attendance, MinuteItem
from tests.meetings.minutes_helpers import draft_minutes, publish_minutes


def minuted(board, day, attendance, published=True):
    meeting = MeetingPageFactory(parent=board, start=day)
    items = [MinuteItem(heading="BETTER CARE FUND")]
    if published:
        publish_minutes(meeting, items, attendance)
    else:
        minutes = draft_minutes(meeting, items)
        minutes.attendance = attendance
        minutes.save_revision()
    return meeting


def present(person, group="member", represents=None):
    return Attendance(person=person, group=group, status="present", represents=represents)


def apologies(person):
    return Attendance(person=person, group="member", status="apologies")


@pytest.fixture
def board(board_index):
    return BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")


@pytest.fixture
def hwb(board):
    """Three minuted meetings of 2016/17, a draft one and one without minutes."""
    chair = PersonFactory(title="Councillor", given_name="David", family_name="Roche")
    newcomer = PersonFactory(given_name="Kathryn", family_name="Singh")
    principal = PersonFactory(given_name="Terri", family_name="Roche")
    substitute = PersonFactory(given_name="Jo", family_name="Abbott")
    officer = PersonFactory(given_name="Dawn", family_name="Mitchell")
    former = PersonFactory(given_name="Former", family_name="Member")
    MembershipFactory(board=board, person=chair, role="chair", sort_order=0)
    MembershipFactory(
        board=board, person=newcomer, start_date=datetime.date(2017, 2, 1), sort_order=1
    )
    MembershipFactory(board=board, person=principal, sort_order=2)
    MembershipFactory(
        board=board, person=substitute, role="substitute", represents=principal, sort_order=3
    )
    MembershipFactory(board=board, person=officer, role="officer", sort_order=4)
    MembershipFactory(board=board, person=former, end_date=datetime.date(2016, 12, 31))

    minuted(
        board,
        london(2016, 11, 16),
        [
            present(chair),
            present(principal),
            present(officer, "officer"),
            present(former),
            # Presented a report before joining: not counted against the membership.
            present(newcomer, "presenter"),
        ],
    )
    minuted(
        board,
        london(2017, 1, 11),
        [
            present(chair),
            apologies(principal),
            present(substitute, "substitute", represents=principal),
            present(officer, "officer"),
        ],
    )
    minuted(
        board,
        london(2017, 3, 8),
        [apologies(chair), present(newcomer), present(principal), present(officer, "officer")],
    )
    # Draft minutes and a meeting without minutes are not yet a record.
    minuted(board, london(2017, 5, 24), [present(chair), present(newcomer)], published=False)
    MeetingPageFactory(parent=board, start=london(2017, 7, 12))
    return board


def test_attended_expected_substituted_and_apologies(hwb):
    assert attendance_record(hwb) == [
        {
            "name": "Councillor David Roche",
            "role": "Chair",
            "attended": 2,
            "expected": 3,
            "substituted": 0,
            "apologies": 1,
        },
        {
            # Joined in February 2017: only March's meeting was during the membership.
            "name": "Kathryn Singh",
            "role": "Member",
            "attended": 1,
            "expected": 1,
            "substituted": 0,
            "apologies": 0,
        },
        {
            "name": "Terri Roche",
            "role": "Member",
            "attended": 2,
            "expected": 3,
            "substituted": 1,
            "apologies": 1,
        },
    ]


def test_meetings_of_other_boards_are_not_counted(hwb, board_index):
    other = BoardPageFactory(parent=board_index)
    chair = hwb.memberships.get(role="chair").person
    minuted(other, london(2017, 2, 2), [present(chair)])
    assert attendance_record(hwb)[0]["attended"] == 2
    assert attendance_record(hwb)[0]["expected"] == 3


def test_a_membership_that_ended_is_not_shown(hwb):
    names = [row["name"] for row in attendance_record(hwb)]
    assert "Former Member" not in names
    assert "Dawn Mitchell" not in names  # officers are not expected at meetings
    assert "Jo Abbott" not in names  # nor standing substitutes


def rows_of_attendance_table(html):
    section = html.split('id="attendance-record"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", section, re.S)
    cells = []
    for row in rows[1:]:
        texts = [
            html_lib.unescape(re.sub(r"<[^>]+>", " ", cell)).split()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        cells.append([" ".join(text) for text in texts])
    return section, cells


def test_the_board_page_shows_the_attendance_record(client, hwb):
    response = client.get(hwb.url)
    assert response.status_code == 200
    section, rows = rows_of_attendance_table(response.content.decode())
    assert '<caption class="govuk-table__caption govuk-table__caption--m">' in section
    assert "Members' attendance at meetings" in html_lib.unescape(section)
    assert rows == [
        ["Councillor David Roche Chair", "2", "3", "0", "1"],
        ["Kathryn Singh Member", "1", "1", "0", "0"],
        ["Terri Roche Member", "2", "3", "1", "1"],
    ]


def test_a_board_without_members_says_so(client, board):
    response = client.get(board.url)
    assert "There is no attendance record to show yet." in response.content.decode()


# Queries ---------------------------------------------------------------------------------------


def fill(board, members, meetings):
    people = [PersonFactory() for _ in range(members)]
    for n, person in enumerate(people):
        MembershipFactory(board=board, person=person, role="chair" if n == 0 else "member")
    start = london(2016, 6, 1)
    for n in range(meetings):
        attendance = [
            present(person) if (n + i) % 3 else apologies(person) for i, person in enumerate(people)
        ]
        minuted(board, start + datetime.timedelta(weeks=6 * n), attendance)


def test_the_record_is_one_query_however_many_members_and_meetings(board_index):
    small = BoardPageFactory(parent=board_index)
    large = BoardPageFactory(parent=board_index)
    fill(small, members=2, meetings=1)
    fill(large, members=15, meetings=8)
    counts = []
    for board in (small, large):
        with CaptureQueriesContext(connection) as queries:
            record = attendance_record(board)
        counts.append(len(queries))
    assert counts == [1, 1]
    assert len(record) == 15
    assert {row["expected"] for row in record} == {8}
    assert sum(row["attended"] + row["apologies"] for row in record) == 15 * 8


def test_the_board_page_costs_the_same_queries_with_a_long_record(client, board_index):
    cache.clear()
    small = BoardPageFactory(parent=board_index)
    large = BoardPageFactory(parent=board_index)
    fill(small, members=2, meetings=1)
    fill(large, members=15, meetings=8)
    counts = []
    for board in (small, large):
        client.get(board.url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_query_count_check_can_fail(board_index, monkeypatch):
    """Counting each member's attendance with its own query would be seen by the check above."""
    import boards.attendance

    def per_member(board, on=None):
        return [
            {"attended": Attendance.objects.filter(person=m.person, status="present").count()}
            for m in board.current_memberships(on=on)
        ]

    monkeypatch.setattr(boards.attendance, "attendance_record", per_member)
    small = BoardPageFactory(parent=board_index)
    large = BoardPageFactory(parent=board_index)
    fill(small, members=2, meetings=1)
    fill(large, members=6, meetings=1)
    counts = []
    for board in (small, large):
        with CaptureQueriesContext(connection) as queries:
            boards.attendance.attendance_record(board)
        counts.append(len(queries))
    assert counts[1] > counts[0]
