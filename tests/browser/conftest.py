"""Fixtures for the browser tests: Debian's chromium driven by Playwright against a live server.

The tests never download a browser: they use the system chromium that `make test` installs
(`make system-deps`). If it is missing the tests fail, so a green run always means the pages were
really checked in a browser.
"""

import asyncio
import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

# Playwright's sync API runs an asyncio loop in this thread and, between its calls, marks that loop
# as running. Django then refuses ORM calls and, worse, keeps a second set of database connections
# for "async" code. The fixtures below therefore clear the mark whenever the database is set up,
# filled or emptied, so that pytest-django, the live server and the test data all use the same
# connection; `allow_orm_between_browser_calls` lifts Django's guard for the rest.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def allow_orm_between_browser_calls(monkeypatch):
    """Let Django code run while Playwright's loop is marked, for these tests only.

    Set per test rather than at import so that it never reaches other tests or the processes they
    start (`manage.py check --deploy` rightly refuses it).
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def outside_playwright_loop():
    """Run database work as plain synchronous code, whatever Playwright has marked as running."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@dataclass
class Chromium:
    """The browser, a context with JavaScript and one without, and Playwright's event loop."""

    browser: object
    with_js: object
    without_js: object
    loop: object


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless chromium for the whole run, with its two contexts.

    Tests share the contexts (so static files are fetched once) and each gets a fresh page; the
    site sets no cookies for visitors, so nothing carries over from one test to the next.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Install it with `make system-deps` (run by `make test`) or "
            "`apt-get install chromium fonts-dejavu-core`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        chromium = Chromium(
            browser=browser,
            with_js=browser.new_context(**options),
            without_js=browser.new_context(java_script_enabled=False, **options),
            loop=asyncio._get_running_loop(),
        )
        # Leave the loop unmarked between tests, for pytest-django's set-up and tear-down.
        asyncio._set_running_loop(None)
        yield chromium
        asyncio._set_running_loop(chromium.loop)
        browser.close()


@contextmanager
def _new_page(chromium, context):
    from django.db import connections

    asyncio._set_running_loop(chromium.loop)
    page = context.new_page()
    # A page that hangs should fail the test quickly rather than stall the suite.
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        # Another page's tear-down may have unmarked the loop already; Playwright needs it marked.
        asyncio._set_running_loop(chromium.loop)
        page.close()
        # Close any connection the test body opened while the loop was marked, then unmark it
        # so that pytest-django empties the database through its own connection.
        connections.close_all()
        asyncio._set_running_loop(None)


@pytest.fixture
def browser_page(chromium_browser):
    with _new_page(chromium_browser, chromium_browser.with_js) as page:
        yield page


@pytest.fixture
def no_js_page(chromium_browser):
    with _new_page(chromium_browser, chromium_browser.without_js) as page:
        yield page


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"{AXE_SCRIPT} is missing: run `npm install` (or `make install`) to fetch axe-core.",
            pytrace=False,
        )
    return AXE_SCRIPT


# The public site -------------------------------------------------------------------------


@dataclass
class PublicSite:
    """The pages the browser tests visit, with the facts each page must show.

    Everything is plain data worked out while building, so tests need no database access while
    the browser runs.
    """

    base_url: str
    paths: dict
    board_title: str
    past_meeting_paths: list = field(default_factory=list)
    current_members: list = field(default_factory=list)
    agenda_titles: list = field(default_factory=list)
    public_paper_titles: list = field(default_factory=list)
    exempt_item_title: str = ""
    exempt_paper_title: str = ""
    cancellation_note: str = ""

    def url(self, name_or_path):
        """The full URL of a named page ("home", "meeting", ...) or of a path."""
        return self.base_url + self.paths.get(name_or_path, name_or_path)

    def named_pages(self):
        """{label: url} of every kind of public page, for tests that check them all."""
        return {label: self.url(label) for label in PAGES}


# The kinds of public page every browser test goes through.
PAGES = [
    "home",
    "board index",
    "board",
    "meeting",
    "cancelled meeting",
    "accessibility statement",
]


def _publish(page):
    """Publish through a revision, as an approver would, so the publication side effects run."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _days_from_now(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_public_site(live_server):
    """Boards, people and meetings like Rotherham's, built through the factories and published.

    The meeting follows the shape of the 8 March 2017 Health and Wellbeing Board agenda: the
    standard opening items, items for discussion and for information, sub-items 10(a) and 10(b),
    a verbal item and an exempt item with its papers.
    """
    from wagtail.models import Collection, Page, Site

    from boards.factories import (
        BoardIndexPageFactory,
        BoardPageFactory,
        MembershipFactory,
        PersonFactory,
    )
    from boards.models import BoardKind, MembershipRole
    from home.models import ContentPage
    from meetings.factories import (
        AgendaItemFactory,
        AgendaPaperFactory,
        DocumentFactory,
        MeetingPageFactory,
    )
    from meetings.models import AgendaSection, MeetingStatus, StandardItem

    home = Page.objects.get(depth=2).specific
    site = Site.objects.get(is_default_site=True)
    host, port = live_server.thread.host, live_server.thread.port
    site.hostname, site.port, site.root_page = host, port, home
    site.save()

    board_index = BoardIndexPageFactory(parent=home)
    hwb = BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
        kind=BoardKind.STATUTORY_COMMITTEE,
        statutory_basis="Health and Social Care Act 2012, section 194",
        summary="Brings together the NHS, the council and partners to improve health.",
        cadence="About every two months, on Wednesdays",
        contact_name="Dawn Mitchell, Democratic Services",
    )
    sab = BoardPageFactory(
        parent=board_index,
        title="Safeguarding Adults Board",
        slug="safeguarding-adults-board",
        short_name="RSAB",
        kind=BoardKind.STATUTORY_PARTNERSHIP,
    )

    today = timezone.localdate()
    chair = PersonFactory(title="Councillor", given_name="David", family_name="Roche")
    dph = PersonFactory(
        given_name="Terri", family_name="Roche", job_title="Director of Public Health"
    )
    ccg = PersonFactory(title="Dr", given_name="Julie", family_name="Kitlowski")
    substitute = PersonFactory(given_name="Chris", family_name="Edwards")
    former = PersonFactory(title="Councillor", given_name="John", family_name="Former")
    MembershipFactory(board=hwb, person=chair, role=MembershipRole.CHAIR, sort_order=0)
    MembershipFactory(board=hwb, person=ccg, role=MembershipRole.VICE_CHAIR, sort_order=1)
    MembershipFactory(
        board=hwb,
        person=dph,
        role=MembershipRole.MEMBER,
        seat="Director of Public Health",
        sort_order=2,
    )
    MembershipFactory(
        board=hwb,
        person=substitute,
        role=MembershipRole.SUBSTITUTE,
        represents=ccg,
        sort_order=3,
    )
    MembershipFactory(
        board=hwb,
        person=former,
        role=MembershipRole.MEMBER,
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=400),
        sort_order=4,
    )
    MembershipFactory(board=sab, person=dph, role=MembershipRole.MEMBER)

    collection = Collection.get_first_root_node()

    def paper(item, title, first, last):
        document = DocumentFactory(title=title, collection=collection)
        return AgendaPaperFactory(item=item, document=document, page_start=first, page_end=last)

    meeting = MeetingPageFactory(
        parent=hwb,
        title="Health and Wellbeing Board",
        slug="meeting-upcoming",
        start=_days_from_now(14, hour=9),
        end=_days_from_now(14, hour=11),
        venue="Rotherham Town Hall\nMoorgate Street\nRotherham S60 2TH",
    )
    opening = [
        (StandardItem.PRIVATE_DETERMINATION, "To determine if the following matters are to be"),
        (StandardItem.URGENT_ITEMS, "To determine any item which the Chair is of the opinion"),
        (StandardItem.APOLOGIES, "Apologies for absence"),
        (StandardItem.DECLARATIONS, "Declarations of interest"),
        (StandardItem.PUBLIC_QUESTIONS, "Questions from members of the public and the press"),
    ]
    number = 0
    for number, (kind, title) in enumerate(opening, start=1):
        AgendaItemFactory(
            meeting=meeting,
            number=number,
            title=title,
            kind=kind,
            section=AgendaSection.PROCEDURAL,
            is_verbal=True,
            sort_order=number,
        )
    minutes = AgendaItemFactory(
        meeting=meeting,
        number=6,
        title="Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        section=AgendaSection.PROCEDURAL,
        sort_order=6,
    )
    paper(minutes, "Minutes of the meeting of 11 January 2017", 1, 8)
    bcf = AgendaItemFactory(
        meeting=meeting,
        number=7,
        title="Better Care Fund",
        section=AgendaSection.DISCUSSION,
        presenter_text="Nathan Atkinson, Assistant Director, Strategic Commissioning",
        summary="An update on the plan for 2017 to 2019.",
        sort_order=7,
    )
    paper(bcf, "Better Care Fund update", 9, 14)
    AgendaItemFactory(
        meeting=meeting,
        number=8,
        title="Sustainability and Transformation Plan",
        section=AgendaSection.DISCUSSION,
        presenter_text="Chris Edwards, Chief Officer, Rotherham CCG",
        is_verbal=True,
        sort_order=8,
    )
    prevent = AgendaItemFactory(
        meeting=meeting,
        number=10,
        sub_item="a",
        title="Safer Rotherham Partnership: Prevent update",
        section=AgendaSection.INFORMATION,
        sort_order=10,
    )
    paper(prevent, "Prevent annual report", 15, 20)
    protocol = AgendaItemFactory(
        meeting=meeting,
        number=10,
        sub_item="b",
        title="Cross-board protocol",
        section=AgendaSection.INFORMATION,
        sort_order=11,
    )
    paper(protocol, "Protocol between the partnership boards", 21, 30)
    exempt = AgendaItemFactory(
        meeting=meeting,
        number=11,
        title="Care home contract: provider finances",
        section=AgendaSection.DECISION,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="The provider's finances are commercially sensitive.",
        sort_order=12,
    )
    paper(exempt, "Provider financial assessment", 31, 36)
    _publish(meeting)

    cancelled = MeetingPageFactory(
        parent=hwb,
        title="Health and Wellbeing Board",
        slug="meeting-cancelled",
        start=_days_from_now(42, hour=9),
        end=_days_from_now(42, hour=11),
        status=MeetingStatus.CANCELLED,
        status_note="Cancelled because there is no business to transact.",
    )
    AgendaItemFactory(meeting=cancelled, number=1, title="Apologies for absence", sort_order=1)
    _publish(cancelled)

    # Past meetings over several municipal years, so the board page has history to list.
    past_meetings = []
    for months_ago in (2, 4, 7, 11, 14, 19, 26, 31):
        start = _days_from_now(-30 * months_ago, hour=14)
        past = MeetingPageFactory(
            parent=hwb,
            title="Health and Wellbeing Board",
            slug=f"meeting-{start:%Y-%m-%d}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            status=MeetingStatus.HELD,
        )
        AgendaItemFactory(meeting=past, number=1, title="Apologies for absence", sort_order=1)
        past_meetings.append(_publish(past))

    sab_meeting = MeetingPageFactory(
        parent=sab,
        title="Safeguarding Adults Board",
        slug="meeting-sab",
        start=_days_from_now(21, hour=13),
        end=_days_from_now(21, hour=15),
    )
    AgendaItemFactory(meeting=sab_meeting, number=1, title="Apologies for absence", sort_order=1)
    _publish(sab_meeting)

    accessibility = ContentPage.objects.live().filter(
        slug="accessibility"
    ).first() or home.add_child(
        instance=ContentPage(
            title="Accessibility statement",
            slug="accessibility",
            body="<p>This website is run by Rotherham Metropolitan Borough Council.</p>",
        )
    )

    return PublicSite(
        base_url=live_server.url,
        paths={
            "home": home.url,
            "board index": board_index.url,
            "board": hwb.url,
            "other board": sab.url,
            "meeting": meeting.url,
            "cancelled meeting": cancelled.url,
            "accessibility statement": accessibility.url,
        },
        board_title=hwb.title,
        past_meeting_paths=[past.url for past in past_meetings],
        current_members=[
            (person.given_name, person.family_name) for person in (chair, ccg, dph, substitute)
        ],
        agenda_titles=[
            "Apologies for absence",
            "Minutes of the previous meeting",
            "Better Care Fund",
            "Sustainability and Transformation Plan",
            "Safer Rotherham Partnership: Prevent update",
            "Cross-board protocol",
            "Care home contract: provider finances",
        ],
        public_paper_titles=[
            "Better Care Fund update",
            "Prevent annual report",
            "Protocol between the partnership boards",
        ],
        exempt_item_title="Care home contract: provider finances",
        exempt_paper_title="Provider financial assessment",
        cancellation_note="Cancelled because there is no business to transact.",
    )


@pytest.fixture(scope="session")
def public_site_snapshot():
    """The rows the first browser test added to the database, to put back for each later test."""
    return {}


@pytest.fixture
def public_site(live_server, django_db_serialized_rollback, public_site_snapshot):
    """The site, built through the factories once and put back from a snapshot for each test.

    The live server needs a transactional database, which is emptied after each test. The
    serialised rollback first puts back what the migrations created (home page, default site,
    groups); the first test then builds the site on top and keeps the rows it added, and later
    tests load those rows (a fraction of a second, against seconds for building).
    """
    from django.db import connection

    with outside_playwright_loop():
        key = (connection.alias, live_server.url)
        if key in public_site_snapshot:
            site, data = public_site_snapshot[key]
            connection.creation.deserialize_db_from_string(data)
            return site
        site = build_public_site(live_server)
        public_site_snapshot[key] = (site, _rows_added_since_migrations(connection))
        return site


def _rows_added_since_migrations(connection):
    """The database's rows that the migrations' snapshot lacks or has otherwise, as JSON.

    pytest-django puts the migrations' rows back before each test, so only these need loading.
    """
    migrated = {
        (row["model"], row["pk"]): row
        for row in json.loads(getattr(connection, "_test_serialized_contents", "[]"))
    }
    now = json.loads(connection.creation.serialize_db_to_string())
    return json.dumps([row for row in now if migrated.get((row["model"], row["pk"])) != row])
