"""The public duties page in a browser: no axe WCAG 2.2 AA violations (timeline, key, tables and
filters included), no exempt title, and the filters work without JavaScript."""

import datetime

import pytest

from .conftest import outside_playwright_loop
from .test_accessibility import assert_page_is_the_real_thing, axe_violations, describe
from .test_keyboard import tab_through, unreached, without_focus_indicator

pytestmark = pytest.mark.browser

DAY = datetime.timedelta(days=1)
ANNUAL_REPORT = "Safeguarding Adults Board annual report"


def _add_duties(public_site):
    """Duties between the site's two boards, with windows around today in several statuses, one
    of them linked to the meeting's exempt item."""
    from django.utils import timezone

    from boards.duties import DutyFrequency
    from boards.models import BoardPage
    from boards.obligation_status import link_obligation, waive
    from boards.obligations import generate_obligations
    from meetings.models import AgendaItem
    from tests.boards.test_duties_support import make_duty

    today = timezone.localdate()
    hwb = BoardPage.objects.get(slug="health-and-wellbeing-board")
    sab = BoardPage.objects.get(slug="safeguarding-adults-board")
    report = make_duty(
        ANNUAL_REPORT,
        from_boards=[sab],
        to_boards=[hwb],
        frequency=DutyFrequency.QUARTERLY,
        start=today - 200 * DAY,
        end=today - 110 * DAY,
        presented_by="The independent chair",
        source_document="Rotherham Safeguarding Partnership Protocol",
        legal_basis="Care Act 2014, Schedule 2",
    )
    obligations = generate_obligations(report, until=today + 200 * DAY)
    exempt = AgendaItem.objects.get(title=public_site.exempt_item_title)
    current = next(o for o in obligations if o.window_start <= today <= o.window_end)
    link_obligation(current, exempt, reason="Taken in private.")
    waive(obligations[0], "Agreed by both chairs.", None)
    update = make_duty(
        "Better Care Fund update",
        from_bodies=["Better Care Fund Executive Group"],
        to_boards=[hwb],
        frequency=DutyFrequency.ONCE,
        start=None,
        end=today + 40 * DAY,
    )
    generate_obligations(update, until=today + 200 * DAY)
    return f"/duties/?year={today.year}"


@pytest.fixture
def duties_url(public_site):
    with outside_playwright_loop():
        return public_site.url(_add_duties(public_site))


@pytest.mark.parametrize("query", ["", "&board=health-and-wellbeing-board", "&board=nowhere"])
def test_the_duties_page_has_no_axe_violations(
    duties_url, public_site, browser_page, axe_script, query
):
    response = browser_page.goto(duties_url + query)
    assert response.status == 200
    assert_page_is_the_real_thing(browser_page)
    text = browser_page.locator("main").inner_text()
    if "nowhere" in query:
        assert "There is a problem" in text
    else:
        assert ANNUAL_REPORT in text
        assert "an item considered in private" in text
        assert browser_page.locator("svg.duty-timeline[role=img]").count() == 1
    assert public_site.exempt_item_title not in browser_page.content()

    violations = axe_violations(browser_page, axe_script)

    assert not violations, f"axe found violations on {duties_url}{query}:\n" + describe(violations)


def test_the_timeline_table_opens_and_passes_axe(duties_url, browser_page, axe_script):
    assert browser_page.goto(duties_url).status == 200
    browser_page.get_by_text("The timeline as a table").click()
    assert browser_page.locator("table.duty-timeline-table").is_visible()
    violations = axe_violations(browser_page, axe_script)
    assert not violations, describe(violations)


def test_every_control_is_reachable_with_a_visible_focus(duties_url, browser_page):
    assert browser_page.goto(duties_url).status == 200
    focusables, stops = tab_through(browser_page)
    assert stops and stops[0]["text"] == "Skip to main content"
    problems = unreached(focusables, stops) + without_focus_indicator(focusables, stops)
    assert not problems, "\n".join(problems)


def test_the_board_filter_works_without_javascript(duties_url, public_site, no_js_page):
    assert no_js_page.goto(duties_url).status == 200
    no_js_page.select_option("#board", label="Safeguarding Adults Board")
    with no_js_page.expect_navigation():
        no_js_page.get_by_role("button", name="Show duties").click()
    assert "board=safeguarding-adults-board" in no_js_page.url
    text = no_js_page.locator("main").inner_text()
    assert ANNUAL_REPORT in text
    assert "Better Care Fund update" not in text
