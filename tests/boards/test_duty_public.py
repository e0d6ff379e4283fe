"""The public page of duties between boards (/duties/), as an anonymous visitor sees it.

Each public duty and its periods in a year, with status and reason, the agenda item and minutes
that met it; filters by board and year; never an exempt item's title; a timeline picture; and a
fixed number of queries whatever the number of obligations.
"""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from boards.duties import DutyFrequency
from boards.duty_listing import PRIVATE_ITEM
from boards.obligation_status import link_obligation, waive
from boards.obligations import generate_obligations
from tests.boards.test_duties_support import (
    HWB_TITLE,
    SRP_TITLE,
    agenda_item,
    board,
    make_duty,
    meeting,
    minutes_for,
)

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"
EXEMPT_TITLE = "Care home contract: provider finances"


@pytest.fixture
def hwb(board_index):
    return board(board_index, HWB_TITLE, "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, SRP_TITLE, "SRP")


@pytest.fixture
def rsab(board_index):
    return board(board_index, "Safeguarding Adults Board", "RSAB")


@pytest.fixture
def annual_report(hwb, srp, rsab):
    """The SAB's annual report to the HWB and the SRP, September to November, 2016 to 2018."""
    duty = make_duty(
        "Safeguarding Adults Board annual report",
        from_boards=[rsab],
        to_boards=[hwb, srp],
        presented_by="The independent chair",
        source_document="Rotherham Safeguarding Partnership Protocol",
        legal_basis="Care Act 2014, Schedule 2",
    )
    generate_obligations(duty, until=D(2018, 12, 31))
    return duty


def obligation(duty, receiver, year):
    return duty.obligations.get(receiver=receiver, window_end__year=year)


@pytest.fixture
def met_in_2016(hwb, annual_report):
    """HWB minute 45 of 16 November 2016 took the SAB's 2015-16 annual report."""
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Rotherham Safeguarding Adult Board 2015-16 Annual Report")
    link_obligation(obligation(annual_report, hwb, 2016), item, today=D(2016, 11, 1))
    minutes = minutes_for(november, [(45, "ROTHERHAM SAFEGUARDING ADULT BOARD", item)])
    return item, minutes


@pytest.fixture
def exempt_link(srp, annual_report):
    """The SRP's obligation of 2016 is linked to an exempt item of a published meeting."""
    october = meeting(srp, D(2016, 10, 12))
    item = agenda_item(
        october,
        9,
        EXEMPT_TITLE,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive.",
    )
    link_obligation(obligation(annual_report, srp, 2016), item, today=D(2016, 10, 1))
    return item


def page(client, **params):
    response = client.get(reverse("duties"), params)
    assert response.status_code == 200
    return response, response.content.decode()


# What the page shows ------------------------------------------------------------------------


def test_a_met_obligation_shows_its_reason_item_and_minutes(client, hwb, met_in_2016):
    item, minutes = met_in_2016
    response, html = page(client, year=2016)
    assert "Safeguarding Adults Board annual report" in html
    assert "Met by minute 45 of 16 November 2016" in html
    assert "Item 12: Rotherham Safeguarding Adult Board 2015-16 Annual Report" in html
    assert f'href="{minutes.url}#minute-45"' in html
    assert f'href="{item.meeting.url}"' in html
    assert "Minute 45 of Wednesday 16 November 2016" in html
    assert "Care Act 2014, Schedule 2" in html
    assert "The independent chair" in html


def test_every_receiving_board_has_its_row_with_status(client, hwb, srp, met_in_2016):
    response, html = page(client, year=2016)
    rows = re.findall(r'<tr class="govuk-table__row" id="obligation-\d+" data-status="(\w+)"', html)
    assert sorted(rows) == ["met", "missed"]
    assert "Window closed on 30 November 2016 and it was not met" in html


def test_a_waived_obligation_shows_its_reason(client, srp, annual_report):
    waive(obligation(annual_report, srp, 2017), "The board did not meet in 2017.", None)
    response, html = page(client, year=2017)
    assert "Waived: The board did not meet in 2017." in html
    assert 'data-status="waived"' in html


def test_a_duty_that_is_not_public_is_not_shown(client, hwb, rsab, annual_report):
    secret = make_duty("Private chairs' briefing", from_boards=[rsab], to_boards=[hwb])
    secret.is_public = False
    secret.save()
    generate_obligations(secret, until=D(2016, 12, 31))
    response, html = page(client, year=2016)
    assert "Safeguarding Adults Board annual report" in html
    assert "Private chairs&#x27; briefing" not in html
    assert "Private chairs' briefing" not in html


def test_a_restricted_board_and_its_obligations_are_not_shown(client, hwb, srp, annual_report):
    PageViewRestriction.objects.create(page=srp, restriction_type=PageViewRestriction.LOGIN)
    response, html = page(client, year=2016)
    assert len(re.findall(r'id="obligation-\d+"', html)) == 1
    assert f'<option value="{srp.slug}"' not in html
    assert f'data-receiver="{SRP_TITLE}"' not in html


# Exempt material never reaches the public ---------------------------------------------------


def test_an_exempt_item_is_never_named(client, exempt_link):
    response, html = page(client, year=2016)
    assert EXEMPT_TITLE not in html
    assert "Care home contract" not in html
    assert f"Item 9: {PRIVATE_ITEM}" in html
    assert "Taken as item 9 of Wednesday 12 October 2016" in html


def test_an_unnumbered_exempt_item_is_not_named_in_the_reason(client, srp, annual_report):
    october = meeting(srp, D(2017, 10, 11))
    item = agenda_item(
        october,
        None,
        EXEMPT_TITLE,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive.",
    )
    item.number = None
    item.save()
    link_obligation(obligation(annual_report, srp, 2017), item, today=D(2017, 10, 1))
    response, html = page(client, year=2017)
    assert EXEMPT_TITLE not in html
    assert PRIVATE_ITEM in html


def test_an_item_of_an_unpublished_meeting_is_not_named(client, srp, annual_report):
    draft = meeting(srp, D(2017, 10, 11), live=False)
    agenda_item(draft, 4, "Draft business not yet published")
    item = draft.agenda_items.get()
    link_obligation(obligation(annual_report, srp, 2017), item, today=D(2017, 10, 1))
    response, html = page(client, year=2017)
    assert "Draft business not yet published" not in html
    assert f'href="{draft.url}"' not in html
    assert "11 October 2017" not in html
    assert "Planned for a meeting whose agenda is not published yet." in html


def test_the_evidence_of_a_deleted_meeting_keeps_its_title_private(
    client, hwb, annual_report, met_in_2016
):
    from boards.obligation_status import record_status_changes

    item, minutes = met_in_2016
    record_status_changes(D(2016, 12, 1))
    item.meeting.delete()
    response, html = page(client, year=2016)
    assert 'data-status="met"' in html
    assert "Rotherham Safeguarding Adult Board 2015-16 Annual Report" not in html
    assert "Met on 16 November 2016; the meeting&#x27;s page has since been removed" in html


# Filters ---------------------------------------------------------------------------------


def test_the_board_filter_keeps_that_boards_obligations(client, hwb, srp, met_in_2016):
    response, html = page(client, year=2016, board=hwb.slug)
    assert re.findall(r'data-status="(\w+)"', html.split("<tbody", 2)[-1]) == ["met"]
    assert f'data-receiver="{SRP_TITLE}"' not in html
    assert f'<option value="{hwb.slug}" selected>' in html


def test_the_board_filter_includes_duties_a_board_owes(client, rsab, srp, met_in_2016):
    response, html = page(client, year=2016, board=rsab.slug)
    assert "Safeguarding Adults Board annual report" in html
    assert len(re.findall(r'id="obligation-\d+"', html)) == 2


def test_the_year_filter_shows_that_years_periods(client, hwb, met_in_2016):
    response, html = page(client, year=2017)
    assert "Met by minute 45" not in html
    assert "September to November 2017" in html
    assert '<option value="2017" selected>' in html
    assert "?year=2016" in html and "?year=2018" in html  # previous and next years


def test_an_unknown_board_is_a_clear_error(client, annual_report):
    response, html = page(client, board="no-such-board")
    assert "There is a problem" in html
    assert "Choose a board from the list." in html
    assert "<title>Error:" in html
    assert 'id="obligation-' not in html


@pytest.mark.parametrize(
    "year, message",
    [
        ("twenty", "Enter a year as four digits, like 2017."),
        ("1999", "There are no periods of duties in 1999: choose a year from 2016 to 2018."),
    ],
)
def test_a_bad_year_is_a_clear_error(client, annual_report, year, message):
    response, html = page(client, year=year)
    assert message in html
    assert 'id="obligation-' not in html


def test_without_filters_the_current_year_is_shown(client, hwb, rsab):
    this_year = timezone.localdate().year
    duty = make_duty(
        "Chairs meet", from_boards=[rsab], to_boards=[hwb], start=D(this_year - 1, 1, 1)
    )
    duty.first_window_end = D(this_year - 1, 12, 31)
    duty.save()
    generate_obligations(duty, until=D(this_year + 1, 12, 31))
    response, html = page(client)
    assert f"{this_year} at a glance" in html


# The timeline -------------------------------------------------------------------------------


def timeline_of(html):
    svg = re.search(r"<svg[^>]*class=\"duty-timeline\".*?</svg>", html, re.S).group(0)
    return ET.fromstring(svg)  # noqa: S314 (our own markup)


def test_the_timeline_draws_windows_and_meetings(client, hwb, srp, met_in_2016):
    meeting(hwb, D(2016, 9, 14))
    response, html = page(client, year=2016)
    svg = timeline_of(html)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled
    bars = svg.findall(f".//{SVG}g[@class='duty-timeline__bar']")
    assert sorted(bar.get("data-status") for bar in bars) == ["met", "missed"]
    marks = svg.findall(f".//{SVG}polygon[@class='duty-timeline__meeting']")
    assert sorted(mark.get("data-day") for mark in marks) == ["2016-09-14", "2016-11-16"]
    assert "The timeline as a table" in html


# Query count -----------------------------------------------------------------------------


def many_duties(count, hwb, rsab, srp):
    """`count` duties, each with one 2016 obligation to the HWB, some met, some exempt."""
    for number in range(count):
        duty = make_duty(
            f"Report {number:03}",
            from_boards=[rsab],
            to_boards=[hwb if number % 2 else srp],
            frequency=DutyFrequency.ONCE,
        )
        generate_obligations(duty, until=D(2016, 12, 31))
        receiver = hwb if number % 2 else srp
        if number % 3 == 0:
            held = meeting(receiver, D(2016, 10, 1 + number % 28))
            item = agenda_item(held, 5, f"Report {number}", is_exempt=number % 2 == 0)
            if item.is_exempt:
                item.exempt_paragraph, item.public_interest_reason = 3, "Sensitive."
                item.save()
            link_obligation(duty.obligations.get(), item, today=D(2016, 9, 1))
            if number % 6 == 0:
                minutes_for(held, [(number + 1, "REPORT", item)])


def queries_for(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("duties"), params)
    assert response.status_code == 200
    return len(queries), response


def test_the_query_count_does_not_grow_with_obligations(
    client, hwb, rsab, srp, django_assert_max_num_queries
):
    many_duties(5, hwb, rsab, srp)
    few, response = queries_for(client, year=2016)
    assert len(re.findall(r'id="obligation-\d+"', response.content.decode())) == 5
    many_duties(45, hwb, rsab, srp)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("duties"), {"year": 2016})
    assert len(re.findall(r'id="obligation-\d+"', response.content.decode())) == 50
    assert few <= 25


def test_the_service_navigation_marks_duties(client, annual_report):
    response, html = page(client, year=2016)
    nav = html.split('class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    active = re.search(r'item--active">\s*<a[^>]*href="([^"]+)"[^>]*aria-current="page"', nav)
    assert active and active.group(1) == reverse("duties")
