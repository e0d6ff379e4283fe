"""The public action log in a browser: no axe WCAG 2.2 AA violations, and a keyboard user can
filter it, with JavaScript and without."""

import datetime

import pytest

from .conftest import outside_playwright_loop
from .test_accessibility import assert_page_is_the_real_thing, axe_violations, describe
from .test_keyboard import tab_through, unreached, without_focus_indicator

pytestmark = pytest.mark.browser

OVERDUE = "Submit proposals to the next Board meeting"
COMPLETED = "Include the issue of care homes as an agenda item"
IN_PROGRESS = "Advise on the key messages for the Place Plan"
SECRET = "SECRET action of an exempt minute"
INTERNAL = "INTERNAL update never shown"


def _add_actions(public_site):
    """Minutes of the board's most recent past meeting, recording actions of every status."""
    from actions_log.models import ActionStatus
    from meetings.minutes import MinuteItem, Resolution
    from meetings.models import MeetingPage
    from tests.actions_log.public_builders import add_update, make_action, owner
    from tests.meetings.minutes_builders import publish_minutes

    slug = public_site.past_meeting_paths[0].rstrip("/").rsplit("/", 1)[-1]
    meeting = MeetingPage.objects.get(slug=slug)
    board = meeting.get_parent().specific
    minutes = publish_minutes(
        meeting,
        [
            MinuteItem(
                number=1,
                heading="MINUTES OF THE PREVIOUS MEETING",
                resolutions=[
                    Resolution(text="That proposals be submitted."),
                    Resolution(text="That care homes be on the next agenda."),
                    Resolution(text="That key messages be agreed."),
                ],
            ),
            MinuteItem(
                number=2,
                heading="CARE HOME CONTRACT",
                is_exempt=True,
                exempt_paragraph=3,
                resolutions=[Resolution(text="That the contract be varied.")],
            ),
        ],
    )
    public, exempt = minutes.minute_items.order_by("number")
    kate, ian = owner("Kate", "Green"), owner("Ian", "Thomas")
    day = meeting.local_start.date()
    make_action(
        board,
        OVERDUE,
        [ian],
        minute=public,
        resolution_number=1,
        due_date=day + datetime.timedelta(1),
    )
    done = make_action(
        board,
        COMPLETED,
        [kate, ian],
        minute=public,
        resolution_number=2,
        due_by_next_meeting=True,
        status=ActionStatus.COMPLETED,
        completed_on=day + datetime.timedelta(days=20),
        evidence="Reported to the board.",
    )
    add_update(done, "The report is ready.", day + datetime.timedelta(days=10), author_name="Kate")
    add_update(done, INTERNAL, day + datetime.timedelta(days=11), internal=True)
    make_action(
        board,
        IN_PROGRESS,
        [kate],
        minute=public,
        resolution_number=3,
        due_date=datetime.date(2099, 1, 1),
        status=ActionStatus.IN_PROGRESS,
    )
    make_action(board, SECRET, [kate], minute=exempt, resolution_number=1)
    return f"{board.url}actions/"


@pytest.fixture
def action_log_url(public_site):
    with outside_playwright_loop():
        return public_site.url(_add_actions(public_site))


@pytest.mark.parametrize("query", ["", "?status=overdue", "?status=late&year=17"])
def test_the_action_log_has_no_axe_violations(action_log_url, browser_page, axe_script, query):
    response = browser_page.goto(action_log_url + query)
    assert response.status == 200
    assert_page_is_the_real_thing(browser_page)
    text = browser_page.locator("main").inner_text()
    if not query:
        assert OVERDUE in text and COMPLETED in text and IN_PROGRESS in text
    if "late" in query:
        assert "There is a problem" in text
    assert SECRET not in text and INTERNAL not in text

    violations = axe_violations(browser_page, axe_script)

    assert not violations, f"axe found violations on {action_log_url}{query}:\n" + describe(
        violations
    )


def test_every_control_is_reachable_with_a_visible_focus(action_log_url, browser_page):
    assert browser_page.goto(action_log_url).status == 200
    focusables, stops = tab_through(browser_page)
    assert stops and stops[0]["text"] == "Skip to main content"
    problems = unreached(focusables, stops) + without_focus_indicator(focusables, stops)
    assert not problems, "\n".join(problems)


def _tab_to(page, element_id, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_filter_form_works_by_keyboard(action_log_url, browser_page, no_js_page, javascript):
    page = browser_page if javascript else no_js_page
    assert page.goto(action_log_url).status == 200

    _tab_to(page, "status")
    # All actions -> Open -> Overdue: a closed select changes with the arrow keys.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#status").input_value() == "overdue"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "year"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Apply filters"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "status=overdue" in page.url
    titles = page.locator(".govuk-summary-card__title").all_inner_texts()
    assert titles == [OVERDUE]
    assert page.locator("#status").input_value() == "overdue"
    assert "1 action: overdue actions" in page.locator("main").inner_text()
