"""The board's public action log page (`/boards/<board>/actions/`), as an anonymous visitor.

Built on the Health and Wellbeing Board minutes of 11 January 2017 with the actions they record
(tests.actions_log.public_builders): the public sees actions of published, non-exempt minutes with
their owners' names and organisations, due dates (resolving "by the next meeting"), status, the
evidence that discharged them and their public updates; never an action of an exempt minute or of
draft minutes, an internal update, or an owner's contact details.
"""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from actions_log.models import ActionUpdate
from boards.factories import BoardPageFactory
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinuteItem, Resolution
from tests.actions_log.public_builders import (
    EXEMPT_ACTION,
    INTERNAL_UPDATE,
    NEVER_PUBLIC,
    PUBLIC_UPDATE,
    build_action_log,
    many_actions,
)
from tests.meetings.minutes_builders import publish_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(board_index):
    return build_action_log(board_index)


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main_text(html):
    """The visible text of <main>, tags stripped, entities decoded and spaces collapsed."""
    main = html[html.index("<main") : html.index("</main>")]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))).replace(" .", ".")


def card_titles(html):
    found = re.findall(r'<h3 class="govuk-summary-card__title">([^<]*)</h3>', html)
    return [unescape(title) for title in found]


def titles_for(client, url):
    return set(card_titles(get_html(client, url)))


def test_the_log_lists_every_public_action_with_owners_due_status_and_evidence(client, log):
    html = get_html(client, log.board.url + "actions/")
    text = main_text(html)

    assert set(card_titles(html)) == {
        action.text
        for action in (
            log.care_homes,
            log.proposals,
            log.key_messages,
            log.matters_arising,
            log.governance,
        )
    }
    assert "5 actions" in text
    # Owners by name and organisation.
    assert "Anne Marie Lubanski (RMBC)" in text and "Kate Green (RMBC)" in text
    assert "Chris Edwards (Rotherham CCG)" in text
    # "By the next meeting" resolved to the board's next meeting after 11 January 2017.
    assert "By the next meeting (Wednesday 8 March 2017)" in text
    # Raised at: the decision for a resolution, the minute itself for a note in it.
    assert 'href="/decisions/health-and-wellbeing-board/2017-01-11/50/3/"' in html
    assert f'href="{log.january_minutes.url}#minute-50"' in html
    assert "HWB 11 January 2017, minute 50(3)" in text
    # Completed, with the agenda item that discharged it and the public update.
    assert "Completed" in text and "on Wednesday 8 March 2017" in text
    assert f'href="{log.march.url}"' in html
    assert "Item 12, Care homes: quality and market position" in text
    assert f"Monday 20 February 2017, Kate Green: {PUBLIC_UPDATE}" in text


def test_overdue_is_derived_from_the_due_date_and_status(client, log):
    html = get_html(client, log.board.url + "actions/")

    def card(action):
        start = html.index(f'id="action-{action.pk}"')
        return html[start : html.index("</dl>", start)]

    overdue_tag = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    # Due by the meeting of 8 March 2017 and still open: overdue.
    assert overdue_tag in card(log.proposals)
    assert overdue_tag in card(log.matters_arising)
    # Completed, or due in the future: not overdue.
    assert overdue_tag not in card(log.care_homes)
    assert overdue_tag not in card(log.key_messages)


def test_no_exempt_draft_or_internal_material_and_no_contact_details(
    client, log, django_user_model
):
    account = django_user_model.objects.create_user("kgreen-account-name", password="x")
    ActionUpdate.objects.filter(text=PUBLIC_UPDATE).update(author=account)
    for query in ("", "?status=open", "?status=overdue", "?status=completed", "?year=2017"):
        html = get_html(client, f"{log.board.url}actions/{query}")
        for secret in [*NEVER_PUBLIC, "SECRET", "kgreen-account-name"]:
            assert secret not in html, (query, secret)
    # The builders really made what is being kept out.
    assert log.exempt.updates.filter(is_internal=False).exists()
    assert log.care_homes.updates.filter(text=INTERNAL_UPDATE, is_internal=True).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"care_homes", "proposals", "key_messages", "matters_arising", "governance"}),
        (
            "?status=all",
            {"care_homes", "proposals", "key_messages", "matters_arising", "governance"},
        ),
        ("?status=open", {"proposals", "key_messages", "matters_arising"}),
        ("?status=overdue", {"proposals", "matters_arising"}),
        ("?status=completed", {"care_homes", "governance"}),
        ("?year=2016", {"governance"}),
        ("?status=open&year=2017", {"proposals", "key_messages", "matters_arising"}),
        ("?status=completed&year=2017", {"care_homes"}),
    ],
)
def test_filters_by_status_and_year(client, log, query, expected):
    titles = titles_for(client, f"{log.board.url}actions/{query}")
    assert titles == {getattr(log, name).text for name in expected}


def test_the_form_offers_the_years_with_actions_and_keeps_the_choice(client, log):
    html = get_html(client, f"{log.board.url}actions/?status=overdue&year=2017")
    assert '<option value="overdue" selected>' in html
    assert '<option value="2017" selected>' in html
    assert '<option value="2016">' in html
    # The downloads carry the same filters.
    assert 'actions.csv?status=overdue&amp;year=2017"' in html
    assert 'actions.docx?status=overdue&amp;year=2017"' in html
    assert "Clear filters" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=late", "Choose a status from the list"),
        ("?year=17", "Enter the year as 4 digits, like 2017"),
        ("?year=２０１７", "Enter the year as 4 digits, like 2017"),
        ("?year=2015", "The board has no actions raised in 2015"),
    ],
)
def test_bad_filters_get_an_error_summary_and_no_list(client, log, query, message):
    html = get_html(client, f"{log.board.url}actions/{query}")
    assert "There is a problem" in html
    assert message in html
    assert html.count(message) == 2  # in the summary and by the field
    assert card_titles(html) == []
    assert "<title>Error: Action log" in html


def test_pages_of_twenty_with_govuk_pagination(client, log):
    many_actions(log.board, log.january_minutes.minute_items.get(number=55), 40)
    url = f"{log.board.url}actions/?status=open"

    first = get_html(client, url)
    assert len(card_titles(first)) == 20
    assert "43 actions" in main_text(first)
    assert 'class="govuk-pagination"' in first
    assert 'href="{}?status=open&amp;page=2" rel="next"'.format(log.board.url + "actions/") in first

    last = get_html(client, url + "&page=3")
    assert len(card_titles(last)) == 3
    assert "(page 3 of 3)" in last
    # Every action appears once across the pages.
    titles = [t for page in (1, 2, 3) for t in card_titles(get_html(client, f"{url}&page={page}"))]
    assert len(titles) == len(set(titles)) == 43
    # A page that is not a number is the first page, not an error.
    assert card_titles(get_html(client, url + "&page=abc")) == card_titles(first)


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


MAX_QUERIES = 16


def board_with_actions(board_index, count):
    """A board whose one published minute records `count` actions, each with two owners and a
    public and an internal update."""
    board = BoardPageFactory(parent=board_index)
    meeting = MeetingPageFactory(parent=board, start=london(2017, 1, 11, 9))
    minutes = publish_minutes(
        meeting,
        [MinuteItem(number=1, heading="ITEM", resolutions=[Resolution(text="That it be done.")])],
    )
    many_actions(board, minutes.minute_items.get(), count)
    return board


def test_thirty_actions_cost_the_queries_three_do(
    client, board_index, django_assert_max_num_queries
):
    small, large = board_with_actions(board_index, 3), board_with_actions(board_index, 30)
    counts = [count_queries(client, board.url + "actions/") for board in (small, large)]

    assert counts[0] == counts[1]
    with django_assert_max_num_queries(MAX_QUERIES):
        html = get_html(client, large.url + "actions/")
    assert len(card_titles(html)) == 20
    assert "Public update 29" in html or "Public update 0" in html
    assert INTERNAL_UPDATE not in html


def test_an_unpublished_board_has_no_action_log(client, log):
    url = log.board.url + "actions/"
    log.board.unpublish()
    assert client.get(url).status_code == 404


def test_a_view_restricted_meeting_keeps_its_actions_off_the_log(client, log):
    PageViewRestriction.objects.create(
        page=log.january, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    titles = titles_for(client, log.board.url + "actions/")
    assert titles == {log.governance.text}


def test_the_board_page_links_to_its_action_log(client, log):
    html = get_html(client, log.board.url)
    assert f'href="{log.board.url}actions/"' in html


def test_an_action_plan_address_without_a_plan_is_not_found(client, log):
    assert client.get(log.board.url + "plans/no-such-plan/").status_code == 404


def test_actions_of_a_public_plan_are_listed_with_the_plan(client, log):
    from actions_log.models import Action, ActionPlan

    plan = ActionPlan.objects.create(
        board=log.board, title="Mental Health Strategy delivery plan", slug="mental-health"
    )
    private = ActionPlan.objects.create(
        board=log.board, title="Internal plan", slug="internal", is_public=False
    )
    Action.objects.create(
        plan=plan, text="Establish the partnership board", raised_on=datetime.date(2026, 4, 1)
    )
    Action.objects.create(
        plan=private, text="SECRET plan action", raised_on=datetime.date(2026, 4, 1)
    )
    html = get_html(client, log.board.url + "actions/")
    assert "Establish the partnership board" in card_titles(html)
    assert f'href="{log.board.url}plans/mental-health/"' in html
    assert "SECRET plan action" not in html


def test_exempt_action_is_really_in_the_database(log):
    """Guard: the exempt and draft actions exist, so their absence above means something."""
    from actions_log.models import Action

    assert Action.objects.filter(text=EXEMPT_ACTION, minute_item__is_exempt=True).exists()
    assert Action.objects.filter(pk=log.draft.pk, minute_item__minutes__live=False).exists()
