"""The minutes page shows each resolution's actions (and a note's) with owners, due and status.

Only for published minutes, only public actions: an exempt minute shows no actions to anyone
(its text is withheld from the public; a member sees its text but never an action list from it).
"""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.actions_log.public_builders import (
    EXEMPT_ACTION,
    INTERNAL_UPDATE,
    OWNER_EMAIL,
    build_action_log,
    many_actions,
)
from tests.meetings.minutes_builders import board_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(board_index):
    return build_action_log(board_index)


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def resolution_block(html, minute, number):
    start = html.index(f'id="minute-{minute}-{number}"')
    return html[start : html.index("</li>\n", html.index("minute__resolution-text", start))]


def text_of(block):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))


@pytest.mark.parametrize("suffix", ["", "print/"])
def test_each_resolution_shows_its_actions_owners_due_and_status(client, log, suffix):
    html = get_html(client, log.january_minutes.url + suffix)

    care_homes = text_of(resolution_block(html, 50, 3))
    assert "Action owners: Anne Marie Lubanski (RMBC); Kate Green (RMBC)." in care_homes
    assert "Due: By the next meeting (Wednesday 8 March 2017)." in care_homes
    assert "Completed" in care_homes and "on Wednesday 8 March 2017" in care_homes

    proposals = resolution_block(html, 50, 2)
    assert "Ian Thomas (RMBC)" in proposals
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in proposals

    key_messages = text_of(resolution_block(html, 52, 4))
    assert "Chris Edwards (Rotherham CCG); Sharon Kemp (RMBC)" in key_messages
    assert "In progress" in key_messages
    # A resolution with no action shows none.
    assert "Action owners" not in resolution_block(html, 50, 1)


def test_an_action_following_a_note_shows_under_its_minute_with_its_text(client, log):
    html = get_html(client, log.january_minutes.url)
    minute = html[
        html.index('id="minute-50"') : html.index("Resolved:-", html.index('id="minute-50"'))
    ]
    assert log.matters_arising.text in minute
    assert "Terri Roche (RMBC)" in minute


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_exempt_minute_never_shows_actions(client, django_user_model, log, signed_in):
    if signed_in:
        client.force_login(board_member(django_user_model, log.board))
    html = get_html(client, log.january_minutes.url)
    # A member reads the exempt minute's text, never an action list from it.
    assert ("SECRET resolution" in html) == signed_in
    assert EXEMPT_ACTION not in html
    assert INTERNAL_UPDATE not in html
    assert OWNER_EMAIL not in html
    assert html.count("minute__action-detail") == 4


def test_draft_minutes_show_no_actions_even_in_preview_of_the_page(client, log):
    draft = log.draft.minute_item.minutes
    assert client.get(draft.url).status_code == 404


def test_minutes_page_queries_do_not_grow_with_the_actions(client, log):
    url = log.january_minutes.url
    minute = log.january_minutes.minute_items.get(number=55)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = get_html(client, url)
        return len(queries), html

    few, _ = count()
    many_actions(log.board, minute, 30)
    many, html = count()
    assert few == many
    assert html.count("minute__action-detail") == 34
