"""Actions carried forward: the board's actions open at a meeting, on its page and in its pack.

An action was open at a meeting when it was raised before the meeting's date and not completed
before it. For the 8 March 2017 meeting of the Health and Wellbeing Board that is the January
actions (the care homes action included: item 12 of that meeting discharged it), not the November
action completed in December, and never the actions of the exempt minute or the draft minutes.
"""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions_log.carried_forward import carried_forward, open_at
from actions_log.models import Action, ActionStatus
from meetings.factories import AgendaItemFactory
from meetings.models import AgendaSection, StandardItem
from tests.actions_log.public_builders import (
    DRAFT_ACTION,
    EXEMPT_ACTION,
    INTERNAL_UPDATE,
    NEVER_PUBLIC,
    PUBLIC_UPDATE,
    add_update,
    build_action_log,
    many_actions,
)
from tests.meetings.minutes_builders import board_member

pytestmark = pytest.mark.django_db

MARCH_8 = datetime.date(2017, 3, 8)


@pytest.fixture
def log(board_index):
    return build_action_log(board_index)


def texts(rows):
    return [row.text for row in rows]


def test_the_actions_open_at_the_march_meeting(log):
    rows = carried_forward(log.board, MARCH_8)

    # Oldest first, then in the order of the minutes: a minute's notes after its resolutions.
    assert texts(rows) == [
        log.proposals.text,
        log.care_homes.text,
        log.matters_arising.text,
        log.key_messages.text,
    ]
    # Overdue as at the meeting: due 1 February. "By the next meeting" is due on the day.
    assert [row.text for row in rows if row.is_overdue] == [log.matters_arising.text]
    assert EXEMPT_ACTION not in texts(rows) and DRAFT_ACTION not in texts(rows)


def test_what_counts_as_open_on_a_date(log):
    # Before the January meeting only the November action was open (completed 1 December).
    assert texts(carried_forward(log.board, datetime.date(2016, 11, 30))) == [log.governance.text]
    assert texts(carried_forward(log.board, datetime.date(2016, 12, 1))) == [log.governance.text]
    assert carried_forward(log.board, datetime.date(2016, 12, 2)) == []
    # Nothing is carried to the meeting that raises it.
    assert carried_forward(log.board, datetime.date(2017, 1, 11)) == []
    # Completed on 8 March: open at that meeting, not at the next.
    assert log.care_homes.text not in texts(carried_forward(log.board, datetime.date(2017, 3, 9)))


def test_actions_no_longer_required_are_never_carried(log):
    log.proposals.status = ActionStatus.NOT_REQUIRED
    log.proposals.save()
    assert log.proposals.text not in texts(carried_forward(log.board, MARCH_8))
    assert not open_at(Action.objects.filter(pk=log.proposals.pk), MARCH_8).exists()


def test_the_latest_update_is_the_latest_public_one(log):
    rows = {row.text: row for row in carried_forward(log.board, MARCH_8)}
    care_homes = rows[log.care_homes.text]
    assert [update.text for update in care_homes.updates] == [PUBLIC_UPDATE]
    assert care_homes.latest_update.author == "Kate Green"
    # Only internal updates: the public sees none.
    assert rows[log.proposals.text].updates == []


def test_the_members_list_adds_exempt_actions_and_internal_updates_but_never_drafts(log):
    rows = {row.text: row for row in carried_forward(log.board, MARCH_8, members=True)}
    assert EXEMPT_ACTION in rows
    assert rows[EXEMPT_ACTION].not_for_publication
    assert DRAFT_ACTION not in rows
    latest = rows[log.care_homes.text].latest_update
    assert (latest.text, latest.is_internal) == (INTERNAL_UPDATE, True)


def test_three_queries_whatever_the_number_of_actions(log, django_assert_max_num_queries):
    # The view restrictions (one query), the actions, their owners.
    minute = log.january_minutes.minute_items.get(number=55)
    counts = []
    for extra in (0, 30):
        many_actions(log.board, minute, extra, first=len(counts) * 100)
        with CaptureQueriesContext(connection) as queries:
            rows = carried_forward(log.board, MARCH_8)
        counts.append(len(queries))
    assert len(rows) == 34
    assert counts == [3, 3]
    with django_assert_max_num_queries(2):
        carried_forward(log.board, MARCH_8, members=True)


# The meeting page ---------------------------------------------------------------------------


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def agenda_item_block(html, number):
    start = html.index(f'agenda-item__number">{number}.</span>')
    ends = [html.find(mark, start) for mark in ('<li class="agenda-item', "</ol>")]
    return html[start : min(end for end in ends if end > 0)]


def test_the_previous_minutes_item_lists_the_actions_carried_forward(client, log):
    html = get_html(client, log.march.url)
    item = agenda_item_block(html, 7)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item))

    assert (
        "Actions carried forward: 4 open at this meeting on Wednesday 8 March 2017, 1 overdue"
        in (text)
    )
    for action in (log.proposals, log.care_homes, log.matters_arising, log.key_messages):
        assert action.text in item
    assert log.governance.text not in html
    overdue = item[item.index(log.matters_arising.text) :]
    overdue = overdue[: overdue.index("</tr>")]
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in overdue
    assert item.count("govuk-tag--red") == 1
    assert "Anne Marie Lubanski (RMBC)" in item
    assert f'href="{log.board.url}actions/?status=open"' in item
    assert 'href="/decisions/health-and-wellbeing-board/2017-01-11/50/2/"' in item
    # Only under that item.
    assert "Actions carried forward" not in agenda_item_block(html, 12)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_meeting_page_never_carries_exempt_draft_or_internal_actions(
    client, django_user_model, log, signed_in
):
    add_update(log.proposals, "SECRET latest internal update", MARCH_8, internal=True)
    if signed_in:
        client.force_login(board_member(django_user_model, log.board))
    html = get_html(client, log.march.url)
    assert log.proposals.text in html
    for secret in [*NEVER_PUBLIC, "SECRET"]:
        assert secret not in html


def test_a_meeting_without_a_previous_minutes_item_or_actions_shows_no_list(client, log):
    log.previous_minutes_item.kind = StandardItem.BUSINESS
    log.previous_minutes_item.save()
    assert "Actions carried forward" not in get_html(client, log.march.url)
    # The January meeting: its previous-minutes item, but nothing was open before it.
    AgendaItemFactory(
        meeting=log.january,
        number=7,
        title="Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        section=AgendaSection.PROCEDURAL,
    )
    html = get_html(client, log.january.url)
    assert "Minutes of the previous meeting" in html
    assert "Actions carried forward" not in html


def test_meeting_page_queries_do_not_grow_with_the_actions(client, log):
    minute = log.january_minutes.minute_items.get(number=55)

    def count():
        client.get(log.march.url)
        with CaptureQueriesContext(connection) as queries:
            html = get_html(client, log.march.url)
        return len(queries), html

    few, _ = count()
    many_actions(log.board, minute, 30)
    many, html = count()
    assert few == many
    assert "34 open at this meeting" in html
