"""The demo site (`manage.py load_demo_data`), from the real 8 March 2017 agenda and 11 January
2017 minutes, passes too: agenda, minutes, the register of decisions and search."""

import io

import pytest
from django.core.management import call_command

from .conftest import outside_playwright_loop
from .test_accessibility import axe_violations, describe
from .test_keyboard import skip_link_problems, tab_through, unreached

pytestmark = pytest.mark.browser

# Pages where the keyboard starts elsewhere by design: the print page has no navigation to skip,
# and GOV.UK's error summary takes focus so that the error is read first. axe still runs on them.
FOCUS_MOVED_ON_PURPOSE = {"11 January 2017 minutes, print", "register with an impossible date"}


@pytest.fixture
def demo_site(live_server, django_db_serialized_rollback):
    """Paths of the demo pages, with the demo data loaded as `make run` loads it."""
    from boards.models import BoardPage
    from home.models import ContentPage, HomePage
    from meetings.citations import decision_url
    from meetings.decisions import public_decisions
    from meetings.models import MeetingPage, MinutesPage

    with outside_playwright_loop():
        call_command("load_demo_data", stdout=io.StringIO())
        hwb = BoardPage.objects.get(short_name="HWB")
        meeting = MeetingPage.objects.child_of(hwb).get(start__date="2017-03-08")
        paths = {
            "home": HomePage.objects.get().url,
            "Health and Wellbeing Board": hwb.url,
            "8 March 2017 meeting": meeting.url,
        }
        january = MeetingPage.objects.child_of(hwb).get(start__date="2017-01-11")
        minutes = MinutesPage.objects.live().get(meeting=january)
        paths["11 January 2017 minutes"] = minutes.url
        paths["11 January 2017 minutes, print"] = minutes.url + "print/"
        paths["register of decisions"] = "/decisions/"
        paths["register filtered by topic"] = "/decisions/?topic=carers"
        paths["register with an impossible date"] = (
            "/decisions/?from-day=31&from-month=2&from-year=2017"
        )
        paths["a decision"] = decision_url(public_decisions().first())
        paths["search results"] = "/search/?q=carers"
        paths["search with no query"] = "/search/"
        statement = ContentPage.objects.live().filter(slug="accessibility").first()
        if statement:
            paths["accessibility statement"] = statement.url
        return live_server.url, paths


def test_demo_pages_pass_the_browser_checks(demo_site, browser_page, no_js_page, axe_script):
    """axe and the keyboard checks on each demo page; the real agenda read with JavaScript off.

    One test, because loading the demo data takes several seconds.
    """
    base_url, paths = demo_site
    problems = []
    for label, path in paths.items():
        url = base_url + path
        response = browser_page.goto(url)
        if response.status != 200:
            problems.append(f"{label} ({url}) returned {response.status}")
            continue
        if label not in FOCUS_MOVED_ON_PURPOSE:
            focusables, stops = tab_through(browser_page)
            for problem in skip_link_problems(browser_page, stops) + unreached(focusables, stops):
                problems.append(f"{label} ({url}): {problem}")
        browser_page.goto(url)
        violations = axe_violations(browser_page, axe_script)
        if violations:
            problems.append(f"{label} ({url}) axe:\n{describe(violations)}")

    no_js_page.goto(base_url + paths["8 March 2017 meeting"])
    agenda = no_js_page.locator("main").inner_text().lower()

    assert not problems, "\n".join(problems)
    # The real agenda's sub-items and sections (PACK:1-61), shown without JavaScript.
    assert "10(a)" in agenda and "10(b)" in agenda
    assert "for discussion" in agenda and "for information" in agenda
    no_js_page.goto(base_url + paths["11 January 2017 minutes"])
    minutes = no_js_page.locator("main").inner_text()
    assert "48. DECLARATIONS OF INTEREST" in minutes and "Resolved" in minutes
