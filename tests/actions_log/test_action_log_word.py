"""The action log in Word: `actions.docx` and the agenda pack's "Action log", read back with
python-docx (paragraphs and tables) and searched in every XML part of the package.

The public document and the public agenda pack hold public actions and public updates only; the
members' pack adds exempt minutes' actions, marked NOT FOR PUBLICATION, and internal updates;
nothing anywhere holds the actions of draft minutes.
"""

import datetime
import io
import zipfile

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions_log.word import COLUMNS
from meetings.agenda_pack import DOCX_CONTENT_TYPE, render_agenda_pack
from meetings.factories import MeetingPageFactory, london
from meetings.models import MeetingPage
from tests.actions_log.public_builders import (
    DRAFT_ACTION,
    EXEMPT_ACTION,
    INTERNAL_UPDATE,
    NEVER_PUBLIC,
    PUBLIC_UPDATE,
    build_action_log,
    many_actions,
)
from tests.actions_log.test_public_log import board_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(board_index):
    return build_action_log(board_index)


def opened(content):
    return docx.Document(io.BytesIO(content))


def raw_package_text(content):
    """Every XML part of the .docx, document properties included, as one string."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def action_table(document):
    """The table whose header is the action log's columns."""
    return next(
        table
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells][:4] == list(COLUMNS[:4])
    )


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    return response


# actions.docx -----------------------------------------------------------------------------


def test_the_word_log_reads_back_with_every_public_action(client, log):
    response = download(client, log.board.url + "actions.docx")
    assert response["Content-Disposition"] == (
        'attachment; filename="health-and-wellbeing-board-actions.docx"'
    )
    document = opened(response.content)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Health and Wellbeing Board: action log"
    assert paragraphs[1].startswith("All actions, as at ")
    assert document.core_properties.language == "en-GB"

    rows = table_rows(action_table(document))
    assert rows[0] == list(COLUMNS)
    by_text = {row[0].split("\n")[0]: row for row in rows[1:]}
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
    action, owners, due, status, updates = by_text[log.care_homes.text]
    assert action.endswith("Raised at HWB 11 January 2017, minute 50(3)")
    assert owners == "Anne Marie Lubanski (RMBC)\nKate Green (RMBC)"
    assert due == "By the next meeting (Wednesday 8 March 2017)"
    assert status.startswith(
        "Completed\nCompleted on Wednesday 8 March 2017\nDischarged by Item 12"
    )
    assert updates == f"Monday 20 February 2017, Kate Green: {PUBLIC_UPDATE}"
    assert by_text[log.proposals.text][3] == "Open\nOverdue"


def test_the_word_log_holds_nothing_exempt_draft_or_internal(client, log):
    for query in ("", "?status=open", "?status=completed"):
        raw = raw_package_text(download(client, f"{log.board.url}actions.docx{query}").content)
        for secret in [*NEVER_PUBLIC, "SECRET"]:
            assert secret not in raw, (query, secret)


def test_the_word_log_takes_the_filters_and_refuses_bad_ones(client, log):
    document = opened(download(client, f"{log.board.url}actions.docx?status=overdue").content)
    assert document.paragraphs[1].text.startswith("Overdue actions, as at ")
    rows = table_rows(action_table(document))[1:]
    assert {row[0].split("\n")[0] for row in rows} == {
        log.proposals.text,
        log.matters_arising.text,
    }
    bad = client.get(f"{log.board.url}actions.docx?year=1066")
    assert bad.status_code == 400
    assert "The board has no actions raised in 1066" in bad.content.decode()


def test_an_empty_word_log_says_so(client, log):
    document = opened(
        download(client, f"{log.board.url}actions.docx?status=overdue&year=2016").content
    )
    assert "No actions match." in [p.text for p in document.paragraphs]
    assert document.tables == []


def test_the_word_log_costs_the_same_queries_for_3_actions_or_30(client, board_index):
    counts = []
    for count in (3, 30):
        board = board_with_actions(board_index, count)
        url = board.url + "actions.docx"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            document = opened(download(client, url).content)
        assert len(action_table(document).rows) == count + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The agenda pack --------------------------------------------------------------------------


def pack_section(document):
    """The paragraphs of the agenda pack from the "Action log" heading on."""
    paragraphs = [p.text for p in document.paragraphs]
    return paragraphs[paragraphs.index("Action log") :]


def test_the_public_pack_carries_the_open_actions_with_their_latest_public_update(client, log):
    content = download(client, log.march.url + "agenda-pack.docx").content
    document = opened(content)
    heading = next(p for p in document.paragraphs if p.text == "Action log")
    assert heading.style.name == "Heading 1"
    assert heading.paragraph_format.page_break_before
    section = pack_section(document)
    assert section[1].startswith(
        "Actions of the Health and Wellbeing Board open at this meeting: raised before "
        "Wednesday 8 March 2017"
    )
    assert "4 actions open at this meeting, 1 of them overdue." in section

    rows = table_rows(action_table(document))
    assert rows[0] == [*COLUMNS[:4], "Latest update"]
    by_text = {row[0].split("\n")[0]: row for row in rows[1:]}
    assert list(by_text) == [
        log.proposals.text,
        log.care_homes.text,
        log.matters_arising.text,
        log.key_messages.text,
    ]
    assert (
        by_text[log.care_homes.text][4] == f"Monday 20 February 2017, Kate Green: {PUBLIC_UPDATE}"
    )
    assert by_text[log.proposals.text][4] == "No updates"
    assert by_text[log.matters_arising.text][3] == "Open\nOverdue"

    raw = raw_package_text(content)
    for secret in [*NEVER_PUBLIC, "SECRET", "NOT FOR PUBLICATION", "Internal"]:
        assert secret not in raw, secret


def test_the_members_pack_adds_exempt_actions_and_internal_updates(client, django_user_model, log):
    from tests.meetings.minutes_builders import board_member

    client.force_login(board_member(django_user_model, log.board))
    response = download(client, log.march.url + "members-pack.docx")
    document = opened(response.content)

    rows = table_rows(action_table(document))
    by_text = {row[0].split("\n")[0]: row for row in rows[1:]}
    assert EXEMPT_ACTION in by_text
    assert "NOT FOR PUBLICATION: from an exempt minute" in by_text[EXEMPT_ACTION][0]
    assert by_text[log.care_homes.text][4].startswith("Internal: Tuesday 21 February 2017")
    assert INTERNAL_UPDATE in by_text[log.care_homes.text][4]
    assert "Members' pack: NOT FOR PUBLICATION" in document.sections[0].header.paragraphs[0].text
    assert DRAFT_ACTION not in raw_package_text(response.content)


def test_a_pack_with_no_open_actions_says_so_without_a_table(board_index):
    log = build_action_log(board_index)
    january = MeetingPage.objects.get(pk=log.january.pk)
    document = opened(render_agenda_pack(january, include_exempt=False))
    section = pack_section(document)
    assert section[-1] == "There were no open actions."
    assert not any(
        [cell.text for cell in table.rows[0].cells][:1] == ["Action"] for table in document.tables
    )


def test_the_pack_costs_the_same_queries_for_3_actions_or_30(log):
    minute = log.january_minutes.minute_items.get(number=55)
    counts = []
    for extra in (0, 30):
        many_actions(log.board, minute, extra, first=100)
        for members in (False, True):
            meeting = MeetingPage.objects.get(pk=log.march.pk)
            with CaptureQueriesContext(connection) as queries:
                content = render_agenda_pack(meeting, include_exempt=members)
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
    assert len(action_table(opened(content)).rows) == 1 + 34 + 1  # header, public, exempt


def test_a_later_meeting_carries_what_was_still_open(log):
    later = MeetingPageFactory(
        parent=log.board, title="HWB", slug="2099-02-10", start=london(2099, 2, 10, 9)
    )
    rows = table_rows(action_table(opened(render_agenda_pack(later, include_exempt=False))))
    texts = [row[0].split("\n")[0] for row in rows[1:]]
    # Completed on 8 March 2017: no longer carried; the others are now all overdue.
    assert texts == [log.proposals.text, log.matters_arising.text, log.key_messages.text]
    assert all("Overdue" in row[3] for row in rows[1:])
    assert datetime.date(2099, 2, 10) > log.key_messages.due_date
