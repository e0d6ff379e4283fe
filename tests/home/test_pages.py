"""The home page, the board index, content pages, the site frame and the error pages."""

import datetime
import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.factories import BoardPageFactory
from boards.models import BoardKind
from home.models import ContentPage
from home.views import LATEST_AGENDAS_ON_HOME, UPCOMING_MEETINGS_ON_HOME
from meetings.factories import MeetingPageFactory, london
from meetings.models import MeetingStatus

MAX_QUERIES = 15


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def in_future(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def boards(board_index):
    hwb = BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        short_name="HWB",
        kind=BoardKind.STATUTORY_COMMITTEE,
        summary="Brings together the NHS, the council and partners.",
    )
    srp = BoardPageFactory(
        parent=board_index,
        title="Safer Rotherham Partnership",
        short_name="SRP",
        kind=BoardKind.PARTNERSHIP,
        summary="The community safety partnership.",
    )
    return hwb, srp


@pytest.fixture
def accessibility(home_page):
    return home_page.add_child(
        instance=ContentPage(
            title="Accessibility statement",
            slug="accessibility",
            body="<p>This website is run by Rotherham Metropolitan Borough Council.</p>",
        )
    )


def publish_at(meeting, when):
    type(meeting).objects.filter(pk=meeting.pk).update(
        first_published_at=when, last_published_at=when
    )


# Home ------------------------------------------------------------------------------------


def test_home_lists_upcoming_meetings_of_all_boards(client, home_page, boards):
    hwb, srp = boards
    later = MeetingPageFactory(
        parent=hwb, start=in_future(20, 14), venue="Oak House,\nMoorhead Way,\nBramley"
    )
    sooner = MeetingPageFactory(
        parent=srp, start=in_future(5, 10), status=MeetingStatus.CANCELLED, venue="Town Hall"
    )
    past = MeetingPageFactory(parent=hwb, start=london(2017, 3, 8))

    html = get_page(client, home_page.url)
    upcoming = html[html.index("Upcoming meetings") : html.index("Latest agendas")]

    assert upcoming.index(sooner.url) < upcoming.index(later.url)
    assert sooner.when in upcoming and later.when in upcoming
    assert "Safer Rotherham Partnership" in upcoming
    assert "Oak House" in upcoming and "Moorhead Way" not in upcoming
    assert "Cancelled" in upcoming
    assert past.url not in upcoming


def test_home_shows_only_the_next_meetings(client, home_page, boards):
    hwb, _ = boards
    meetings = [
        MeetingPageFactory(parent=hwb, start=in_future(days))
        for days in range(1, UPCOMING_MEETINGS_ON_HOME + 3)
    ]

    html = get_page(client, home_page.url)
    upcoming = html[html.index("Upcoming meetings") : html.index("Latest agendas")]

    shown = [m for m in meetings if f'href="{m.url}"' in upcoming]
    assert shown == meetings[:UPCOMING_MEETINGS_ON_HOME]


def test_home_lists_the_latest_published_agendas(client, home_page, boards):
    hwb, srp = boards
    meetings = []
    for n in range(LATEST_AGENDAS_ON_HOME + 1):
        meeting = MeetingPageFactory(parent=hwb if n % 2 else srp, start=london(2017, 1, 2 + n))
        publish_at(meeting, london(2016, 12, 1 + n, 16))
        meetings.append(meeting)

    html = get_page(client, home_page.url)
    latest = html[html.index("Latest agendas") : html.index('id="boards-heading"')]

    newest_first = list(reversed(meetings))[:LATEST_AGENDAS_ON_HOME]
    positions = [latest.index(f'href="{m.url}"') for m in newest_first]
    assert positions == sorted(positions)
    assert f'href="{meetings[0].url}"' not in latest
    assert "Agenda published on Tuesday 6 December 2016" in latest


def test_home_links_to_boards_and_the_all_boards_calendar(client, home_page, board_index, boards):
    hwb, srp = boards

    html = get_page(client, home_page.url)

    assert f'href="{hwb.url}"' in html and f'href="{srp.url}"' in html
    assert "The community safety partnership." in html
    assert f'href="{board_index.url}calendar.ics"' in html
    assert f'href="{board_index.url}"' in html


def test_home_without_meetings(client, home_page, boards):
    html = get_page(client, home_page.url)

    assert "No meetings are scheduled at the moment." in html
    assert "No agendas have been published yet." in html


def test_home_page_queries_do_not_grow_with_meetings(client, home_page, boards):
    hwb, srp = boards
    cache.clear()

    def count():
        client.get(home_page.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home_page.url).status_code == 200
        return len(queries)

    MeetingPageFactory(parent=hwb, start=in_future(3))
    few = count()
    for n in range(30):
        meeting = MeetingPageFactory(parent=srp if n % 2 else hwb, start=in_future(4 + n))
        publish_at(meeting, london(2017, 1, 1 + n % 28))
    many = count()

    assert few == many
    assert many <= MAX_QUERIES


# Frame: skip link, header, navigation, footer ---------------------------------------------


def test_every_page_has_the_frame(client, home_page, board_index, boards, accessibility):
    hwb, _ = boards
    meeting = MeetingPageFactory(parent=hwb)
    for page in (home_page, board_index, hwb, meeting, accessibility):
        html = get_page(client, page.url)
        assert html.index('class="govuk-skip-link"') < html.index("<header")
        assert 'href="#main-content"' in html and 'id="main-content"' in html
        assert "Rotherham Metropolitan Borough Council" in html
        assert "Rotherham partnership boards" in html
        assert len(re.findall(r"<h1[\s>]", html)) == 1
        assert html.count("<main") == 1
        assert f'href="{accessibility.url}">Accessibility statement</a>' in html
        assert 'href="/admin/login/"' in html
        assert "govuk-footer__crown" not in html and "Crown copyright" not in html


def test_navigation_marks_the_boards_section(client, home_page, board_index, boards):
    hwb, _ = boards

    home_html = get_page(client, home_page.url)
    board_html = get_page(client, hwb.url)

    assert "govuk-service-navigation__item--active" not in home_html
    assert "govuk-service-navigation__item--active" in board_html


def test_no_accessibility_link_without_the_page(client, home_page):
    html = get_page(client, home_page.url)

    assert "Accessibility statement" not in html


# Board index and content pages ------------------------------------------------------------


def test_board_index_lists_every_live_board(client, board_index, boards):
    hwb, srp = boards
    draft = BoardPageFactory(parent=board_index, title="Draft board")
    draft.unpublish()

    html = get_page(client, board_index.url)

    for board, kind in ((hwb, "Statutory committee"), (srp, "Partnership")):
        assert f'href="{board.url}">{board.title}</a>' in html
        assert board.short_name in html
        assert board.summary in html
        assert kind in html
    assert "Draft board" not in html


def test_content_page_shows_its_body(client, accessibility):
    html = get_page(client, accessibility.url)

    assert re.search(r"<h1[^>]*>Accessibility statement</h1>", html)
    assert "This website is run by Rotherham Metropolitan Borough Council." in html
    assert 'aria-label="Breadcrumb"' in html


# Error pages -----------------------------------------------------------------------------


def test_not_found_page_uses_the_site_design(client, board_index):
    response = client.get("/boards/no-such-board/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html
    assert f'href="{board_index.url}"' in html


def test_server_error_page_needs_no_request_or_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Sorry, there is a problem with the service" in html
    assert 'class="govuk-skip-link"' in html
    assert html.count("<h1") == 1
