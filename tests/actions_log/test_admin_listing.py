"""The officers' listing of actions: columns, filters, sorting, export and its cost in queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions_log.models import ActionStatus
from boards.factories import PersonFactory
from meetings.factories import MeetingPageFactory, london

from .admin_builders import JAN_2017, action, board, many_actions, officer

LIST = reverse("wagtailsnippets_actions_log_action:list")
LIST_RESULTS = reverse("wagtailsnippets_actions_log_action:list_results")


@pytest.fixture
def hwb(board_index):
    return board(board_index, "Health and Wellbeing Board", "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, "Safer Rotherham Partnership", "SRP")


@pytest.fixture
def people():
    return {
        "kate": PersonFactory(given_name="Kate", family_name="Green"),
        "anne": PersonFactory(given_name="Anne Marie", family_name="Lubanski"),
        "giles": PersonFactory(given_name="Giles", family_name="Ratcliffe"),
    }


@pytest.fixture
def log(hwb, srp, people):
    """Four actions across two boards, with the dates of January 2017."""
    return {
        "care_homes": action(
            hwb,
            "Report back on care homes quality",
            [people["kate"], people["anne"]],
            due_date=datetime.date(2017, 3, 8),
        ),
        "bcf": action(
            hwb,
            "Circulate the Better Care Fund plan",
            [people["giles"]],
            due_date=datetime.date(2099, 1, 1),
            status=ActionStatus.IN_PROGRESS,
        ),
        "done": action(
            hwb,
            "Publish the JSNA refresh",
            [people["kate"]],
            due_date=datetime.date(2017, 2, 1),
            status=ActionStatus.COMPLETED,
            completed_on=datetime.date(2017, 1, 30),
        ),
        "prevent": action(
            srp,
            "Share the Prevent annual report",
            [people["giles"]],
            due_date=datetime.date(2017, 4, 1),
        ),
    }


@pytest.fixture
def signed_in_officer(client, django_user_model):
    client.force_login(officer(django_user_model))
    return client


def texts(response):
    return [str(row) for row in response.context["object_list"]]


def test_listing_shows_board_owners_due_status_and_overdue(signed_in_officer, log):
    response = signed_in_officer.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Report back on care homes quality" in html
    assert "Kate Green, Anne Marie Lubanski" in html
    assert "8 March 2017" in html
    assert "In progress" in html
    # Overdue is derived: the open care homes action, due in 2017, is; the completed one is not.
    assert html.count('actions-log-overdue">Overdue') == 2


def test_by_the_next_meeting_is_resolved_to_the_next_meetings_date(signed_in_officer, hwb, people):
    MeetingPageFactory(parent=hwb, start=london(2017, 3, 8, 10))
    MeetingPageFactory(parent=hwb, start=london(2017, 5, 10, 10))
    action(hwb, "Bring the draft strategy", [people["kate"]], due_by_next_meeting=True)

    html = signed_in_officer.get(LIST).content.decode()

    assert "8 March 2017 (next meeting)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_progress"}, {"bcf"}),
        ({"status": ["open", "completed"]}, {"care_homes", "done", "prevent"}),
        ({"overdue": "true"}, {"care_homes", "prevent"}),
        ({"overdue": "false"}, {"bcf", "done"}),
        ({"due_from": "2017-03-01", "due_to": "2017-03-31"}, {"care_homes"}),
    ],
)
def test_filters(signed_in_officer, log, query, expected):
    response = signed_in_officer.get(LIST, query)

    assert response.status_code == 200
    assert set(texts(response)) == {str(log[key]) for key in expected}


def test_filter_by_board_and_by_owner(signed_in_officer, log, srp, people):
    by_board = signed_in_officer.get(LIST, {"board": srp.pk})
    by_owner = signed_in_officer.get(LIST, {"owner": people["giles"].pk})

    assert texts(by_board) == [str(log["prevent"])]
    assert set(texts(by_owner)) == {str(log["bcf"]), str(log["prevent"])}


def test_unknown_filter_values_are_ignored_and_the_others_still_apply(signed_in_officer, log):
    response = signed_in_officer.get(
        LIST,
        {
            "status": ["in_progress", "made-up"],
            "board": "99999",
            "owner": "not-a-number",
            "due_from": "31/02/2017",
            "overdue": "perhaps",
            "ordering": "-nonsense",
        },
    )

    assert response.status_code == 200
    # "status" had one bad value, so it is dropped as a whole: the listing is not narrowed by it,
    # but nothing fails either.
    assert set(texts(response)) == {str(a) for a in log.values()}
    good_with_bad = signed_in_officer.get(LIST, {"board": "nope", "overdue": "true"})
    assert set(texts(good_with_bad)) == {str(log["care_homes"]), str(log["prevent"])}


def test_sorting_by_due_date_and_board(signed_in_officer, log):
    by_due = texts(signed_in_officer.get(LIST, {"ordering": "due_on"}))
    by_due_reversed = texts(signed_in_officer.get(LIST, {"ordering": "-due_on"}))
    by_board = texts(signed_in_officer.get(LIST, {"ordering": "-board__title"}))

    assert by_due == [str(log[k]) for k in ("done", "care_homes", "prevent", "bcf")]
    assert by_due_reversed == list(reversed(by_due))
    assert by_board[0] == str(log["prevent"])


def test_csv_export_reads_back(signed_in_officer, log):
    response = signed_in_officer.get(LIST, {"export": "csv", "board": log["bcf"].board_id})

    assert response.status_code == 200
    assert 'filename="actions.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["Action"] for row in rows] == [str(log[k]) for k in ("done", "care_homes", "bcf")]
    care_homes = rows[1]
    assert care_homes["Board"] == "Health and Wellbeing Board"
    assert care_homes["Owners"] == "Kate Green, Anne Marie Lubanski"
    assert care_homes["Due"] == "2017-03-08"
    assert care_homes["Status"] == "Open"
    assert care_homes["Overdue"] == "Yes"
    assert rows[2]["Overdue"] == ""


def test_xlsx_export_reads_back(signed_in_officer, log):
    response = signed_in_officer.get(LIST, {"export": "xlsx"})

    assert 'filename="actions.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Action", "Board", "Owners")
    assert {row[0] for row in rows[1:]} == {str(a) for a in log.values()}


def test_search_finds_actions_by_their_words(signed_in_officer, log):
    response = signed_in_officer.get(LIST_RESULTS, {"q": "Prevent"})

    assert response.status_code == 200
    assert texts(response) == [str(log["prevent"])]


def _listing_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_listing_queries_do_not_grow_with_actions(
    signed_in_officer, hwb, people, django_assert_max_num_queries
):
    many_actions(hwb, people["kate"], 5)
    few = _listing_queries(signed_in_officer, django_assert_max_num_queries, 40)
    many_actions(hwb, people["anne"], 45, start=JAN_2017)

    many = _listing_queries(signed_in_officer, django_assert_max_num_queries, few)

    assert many <= few


def test_each_row_leads_to_the_progress_update_form(signed_in_officer, log):
    html = signed_in_officer.get(LIST).content.decode()

    for key in ("care_homes", "prevent"):
        url = reverse("actions_log_admin:update", args=(log[key].pk,))
        assert f'href="{url}?next=' in html
    assert "Add a progress update" in html
