"""The action log as CSV (`/boards/<board>/actions.csv`), read back with the csv module.

The same public actions as the page, with the same filters: never an action of an exempt minute
or of draft minutes, never an internal update, never an owner's contact details.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions_log.models import Action
from actions_log.public_views import CSV_COLUMNS
from tests.actions_log.public_builders import (
    INTERNAL_UPDATE,
    NEVER_PUBLIC,
    PUBLIC_UPDATE,
    build_action_log,
    make_action,
)
from tests.actions_log.test_public_log import board_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(board_index):
    return build_action_log(board_index)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_reads_back_with_every_public_action(client, log):
    response = download(client, log.board.url + "actions.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="health-and-wellbeing-board-actions.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its BOM
    rows = read_csv(response)

    assert list(rows[0]) == CSV_COLUMNS
    by_text = {row["Action"]: row for row in rows}
    assert set(by_text) == {
        action.text
        for action in (
            log.care_homes,
            log.proposals,
            log.key_messages,
            log.matters_arising,
            log.governance,
        )
    }
    care_homes = by_text[log.care_homes.text]
    assert care_homes["Owners"] == "Anne Marie Lubanski (RMBC); Kate Green (RMBC)"
    assert care_homes["Raised at"] == "HWB 11 January 2017, minute 50(3)"
    assert care_homes["Raised on"] == "2017-01-11"
    assert care_homes["Link"] == (
        "http://testserver/decisions/health-and-wellbeing-board/2017-01-11/50/3/"
    )
    assert care_homes["Due"] == "2017-03-08"
    assert care_homes["Due by the next meeting"] == "yes"
    assert care_homes["Status"] == "Completed"
    assert care_homes["Overdue"] == "no"
    assert care_homes["Completed on"] == "2017-03-08"
    assert care_homes["Discharged by"].startswith("Item 12, Care homes")
    assert care_homes["Updates"] == f"Monday 20 February 2017, Kate Green: {PUBLIC_UPDATE}"

    proposals = by_text[log.proposals.text]
    assert (proposals["Status"], proposals["Overdue"]) == ("Open", "yes")
    assert by_text[log.key_messages.text]["Status"] == "In progress"


def test_nothing_exempt_draft_internal_or_private_in_any_csv(client, log):
    for query in ("", "?status=open", "?status=overdue", "?status=completed", "?year=2017"):
        content = download(client, f"{log.board.url}actions.csv{query}").content.decode()
        for secret in [*NEVER_PUBLIC, "SECRET", INTERNAL_UPDATE]:
            assert secret not in content, (query, secret)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=overdue", {"proposals", "matters_arising"}),
        ("?status=completed&year=2016", {"governance"}),
    ],
)
def test_the_csv_takes_the_page_filters(client, log, query, expected):
    rows = read_csv(download(client, f"{log.board.url}actions.csv{query}"))
    assert {row["Action"] for row in rows} == {getattr(log, name).text for name in expected}


def test_bad_filters_get_a_400_that_says_why(client, log):
    response = client.get(f"{log.board.url}actions.csv?status=late&year=20x7")
    assert response.status_code == 400
    message = response.content.decode()
    assert "Choose a status from the list" in message
    assert "Enter the year as 4 digits" in message


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(client, log):
    minute = log.january_minutes.minute_items.get(number=55)
    make_action(log.board, '=HYPERLINK("http://evil.example","click")', minute=minute)
    make_action(log.board, "- a bulleted action", minute=minute)
    rows = read_csv(download(client, log.board.url + "actions.csv"))
    texts = {row["Action"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert "'- a bulleted action" in texts
    assert Action.objects.filter(text__startswith="=HYPERLINK").exists()


def test_the_csv_costs_the_same_queries_for_3_actions_or_30(client, board_index):
    counts = []
    for count in (3, 30):
        board = board_with_actions(board_index, count)
        url = board.url + "actions.csv"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(download(client, url))
        assert len(rows) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
