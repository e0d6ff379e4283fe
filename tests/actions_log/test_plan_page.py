"""The public page of an action plan, as an anonymous visitor sees it."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions_log import plan_views
from actions_log.models import Action, ActionUpdate
from boards.factories import BoardPageFactory

from .plan_builders import ON, OWNER_EMAIL, OWNER_PHONE, build_plan, grow, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(plan_views, "today", lambda: ON)


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index, title="Mental Health Partnership Board", slug="mhpb"
    )


@pytest.fixture
def plan(board):
    return build_plan(board)


def plan_url(board, slug="test-delivery-plan"):
    return f"{board.url}plans/{slug}/"


def text_of(response):
    """The page's main content as text, tags removed and spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def test_the_public_plan_page_shows_priorities_by_year_with_their_progress(client, board, plan):
    response = client.get(plan_url(board))
    assert response.status_code == 200
    assert response.templates[0].name == "actions_log/action_plan.html"
    text = text_of(response)

    assert "Test strategy delivery plan" in text
    assert "Runs April 2026 to March 2029" in text
    assert "As at Thursday 26 November 2026." in text
    # Five actions: one completed, one in progress (overdue), two open, one no longer required.
    assert "5 actions: 1 completed, 1 in progress, 2 open, 1 no longer required; 1 overdue" in text
    assert "3 milestones: 1 achieved, 1 missed, 1 still to come" in text
    assert "3 indicators: 1 on track or met, 1 off track or missed, 1 not yet measured" in text

    # Years in order, each with its priorities; then what sits under no priority.
    year_1 = text.index("Year 1: April 2026 to March 2027 Priority 1: Hear people")
    priority_2 = text.index("Priority 2: Cut waits", year_1)
    year_2 = text.index("Year 2: April 2027 to March 2028 Priority 3: Back carers", priority_2)
    across = text.index("Across the plan", year_2)
    assert text.index("Scrutiny request: loneliness data") > across


def test_each_action_shows_its_owners_due_date_and_status(client, board, plan):
    text = text_of(client.get(plan_url(board)))
    assert (
        "Hold the first meeting Owners: Casey Owner, Test ICB; Robin Second, RMBC "
        "Tuesday 30 June 2026 Completed on Monday 11 May 2026" in text
    )
    assert (
        "Open in the evenings Owners: Casey Owner, Test ICB Thursday 1 October 2026 "
        "In progress Overdue" in text
    )
    assert "Write a carers' pack Owners: Robin Second, RMBC Thursday 30 September 2027 Open" in text
    assert "Rent a bus Owners: Robin Second, RMBC Friday 1 January 2027 No longer required" in text
    assert "Priority 2: Cut waits 1 action: 0 completed, 1 in progress, 0 open; 1 overdue" in text


def test_milestones_show_whether_they_were_achieved_or_missed(client, board, plan):
    text = text_of(client.get(plan_url(board)))
    assert "First meeting held Tuesday 30 June 2026 Achieved on Monday 11 May 2026" in text
    assert "Evening sessions running Thursday 1 October 2026 Missed" in text
    assert "Mid-point update given Thursday 14 October 2027 Not yet due" in text


def test_indicators_show_baseline_target_latest_reading_and_progress(client, board, plan):
    text = text_of(client.get(plan_url(board)))
    # (42 - 35) / (42 - 28) = 50%; a straight line from 1 April 2026 to 30 September 2027 had
    # reached 182 / 547 days = 33.3% by the reading of 30 September 2026.
    assert (
        "Median wait for an assessment Baseline 42 days (lower is better) Target 28 days by "
        "Thursday 30 September 2027 Latest reading 35 days on Wednesday 30 September 2026 "
        "Progress On track 50% of the way from the baseline to the target. A steady path to the "
        "target would have been 33.3% of the way by then."
    ) in text
    assert (
        "Carers offered an assessment Baseline 35% (higher is better) Target 60% by Friday 31 "
        "March 2028 Latest reading 38% on Wednesday 30 September 2026 Progress Off track 12% of "
        "the way"
    ) in text
    assert (
        "Staff trained Baseline 10% (higher is better) Target 80% by Saturday 31 March 2029 "
        "Latest reading No reading yet Progress Not yet measured"
    ) in text


def test_the_page_is_gov_uk_markup_with_captions_and_headers(client, board, plan):
    html = client.get(plan_url(board)).content.decode()
    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    assert f'href="{board.url}">Mental Health Partnership Board</a>' in html
    assert html.count('<h1 class="govuk-heading-xl">') == 1
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Actions for priority 1'
        in (html)
    )
    assert '<th scope="col" class="govuk-table__header">Action and owners</th>' in html
    assert 'href="#priority-2"' in html and 'id="priority-2"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_owners_contact_details_and_internal_updates_never_reach_the_public(client, board, plan):
    _, objects = plan
    ActionUpdate.objects.create(
        action=objects["late"], text="INTERNAL: the manager is leaving", is_internal=True
    )
    html = client.get(plan_url(board)).content.decode()
    for secret in (OWNER_EMAIL, OWNER_PHONE, "INTERNAL: the manager is leaving"):
        assert secret not in html


@pytest.mark.parametrize("slug", ["no-such-plan", "TEST-DELIVERY-PLAN"])
def test_an_unknown_plan_is_not_found(client, board, plan, slug):
    assert client.get(plan_url(board, slug)).status_code == 404


def test_a_plan_not_marked_public_is_not_found(client, board):
    build_plan(board, is_public=False)
    response = client.get(plan_url(board))
    assert response.status_code == 404
    assert b"Test strategy delivery plan" not in response.content


def test_a_plan_is_only_found_under_its_own_board(client, board_index, board, plan):
    other = BoardPageFactory(parent=board_index, title="Health Select Commission", slug="hsc")
    assert client.get(plan_url(other)).status_code == 404


def test_the_plan_of_an_unpublished_board_is_not_found(client, board, plan):
    board.unpublish()
    assert client.get(plan_url(board)).status_code == 404


def test_plan_response_refuses_an_unpublished_board_itself(rf, board, plan):
    from django.http import Http404

    board.live = False
    with pytest.raises(Http404):
        plan_views.plan_response(rf.get("/"), board=board, slug="test-delivery-plan")


def test_an_empty_plan_says_so(client, board):
    make_plan(board)
    text = text_of(client.get(plan_url(board)))
    assert "0 actions" in text
    assert "The plan has no priorities, actions, milestones or indicators yet." in text


def test_the_page_costs_the_same_queries_however_large_the_plan(
    client, board, plan, django_assert_max_num_queries
):
    client.get(plan_url(board))  # warm the site and content type caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(plan_url(board)).status_code == 200
    grow(plan[0], plan[1])
    assert Action.objects.filter(plan=plan[0]).count() == 45
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(plan_url(board))
    assert "Extra action 39" in text_of(response)
    assert "Extra indicator 9" in text_of(response)


def test_the_day_of_reckoning_moves_overdue_and_missed(client, board, plan, monkeypatch):
    monkeypatch.setattr(plan_views, "today", lambda: datetime.date(2026, 9, 1))
    text = text_of(client.get(plan_url(board)))
    assert "none overdue" in text
    assert "Evening sessions running Thursday 1 October 2026 Not yet due" in text


def test_the_board_page_can_link_to_its_public_plans_only(board):
    make_plan(board, slug="public-plan", title="A public plan")
    make_plan(board, slug="private-plan", title="A private plan", is_public=False)
    assert plan_views.public_plan_links(board) == [
        {"title": "A public plan", "url": f"{board.url}plans/public-plan/"}
    ]


def test_the_board_page_links_to_its_public_plans_only(client, board_index):
    from actions_log.models import ActionPlan
    from boards.factories import BoardPageFactory

    board = BoardPageFactory(parent=board_index)
    ActionPlan.objects.create(board=board, title="Delivery plan 2026-2029", slug="delivery")
    ActionPlan.objects.create(board=board, title="Draft workforce plan", slug="w", is_public=False)
    html = client.get(board.url).content.decode()
    assert f'href="{board.url}plans/delivery/"' in html
    assert "Draft workforce plan" not in html
