"""The public minutes page, its print-friendly version and the minutes on the meeting page."""

import datetime
import html as html_lib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import minutes_record
from meetings.citations import decision_citation, decision_url
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinuteItem, MinutesPage, Resolution
from tests.meetings.minutes_builders import (
    EXEMPT_HEADING,
    SECRETS,
    approve,
    board_member,
    hwb_board,
    hwb_minutes,
    many_minutes,
    meeting_on,
    publish_minutes,
    save_draft_minutes,
)


@pytest.fixture
def hwb(board_index):
    return hwb_minutes(board_index)


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return html_lib.unescape(response.content.decode()), response


def text_of(html):
    """The page's text without tags, spaces collapsed: for sentences that contain links."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def between(html, start, end):
    """The part of the page from `start` up to the next `end`."""
    first = html.index(start)
    return html[first : html.index(end, first + len(start))]


def minute_html(html, number):
    """One minute's HTML on the minutes page, up to the next minute."""
    start = html.index(f'id="minute-{number}"')
    following = re.compile(r'<div class="minute[" ]').search(html, start)
    return html[start : following.start() if following else len(html)]


# The page --------------------------------------------------------------------------------


def test_title_status_and_downloads(client, hwb):
    _, _, january, minutes = hwb

    html, _ = get_html(client, minutes.url)

    assert "Health and Wellbeing Board" in html
    assert "Minutes of the meeting held on Wednesday 11 January 2017" in html
    assert "Draft minutes, not yet approved" in html
    assert "Approved as a correct record" not in html
    assert "Corrected on" not in html
    assert f'href="{minutes.url}minutes.docx"' in html
    assert f'href="{minutes.url}print/"' in html
    assert f'href="{january.url}"' in html
    assert html.count("<h1") == 1


def test_attendance_grouped_as_the_council_prints_it(client, hwb):
    html, _ = get_html(client, hwb[3].url)

    positions = [
        html.index(text)
        for text in (
            "Members:-",
            "Councillor D. Roche",
            "Jo Abbott",
            "Tony Clabby",
            "Report Presenters:-",
            "Sue Wilson",
            "Officers:-",
            "Dawn Mitchell",
            "Observers:-",
            "Councillor Sansome",
            "Apologies for absence were received from",
        )
    ]
    assert positions == sorted(positions)
    assert "Cabinet Member for Adult Social Care and Health (in the Chair)" in html
    assert "Public Health, RMBC (representing Terri Roche)" in html
    assert (
        "Apologies for absence were received from Louise Barnett (Rotherham Foundation Trust), "
        "Terri Roche (RMBC) and Councillor Watson." in html
    )
    # Absent members are not printed; nor is anyone's contact email.
    assert "Absent Member" not in html
    assert "@" not in between(html, "Present:-", "Apologies")


def test_apologies_note_is_printed_as_written(client, board_index):
    board = hwb_board(board_index)
    meeting = meeting_on(board, 2017, 1, 11, "11-january-2017")
    minutes = publish_minutes(
        meeting,
        [MinuteItem(number=1, heading="APOLOGIES")],
        apologies_note="Apologies were received from all the NHS members.",
    )

    html, _ = get_html(client, minutes.url)

    assert "Apologies were received from all the NHS members." in html
    assert "Apologies for absence were received from" not in html


def test_minutes_numbered_with_narrative_discussion_and_resolutions(client, hwb):
    board, _, _, minutes = hwb

    html, _ = get_html(client, minutes.url)

    assert "48. DECLARATIONS OF INTEREST" in html
    assert 'id="minute-48"' in html
    engagement = minute_html(html, 52)
    assert "52. COMMUNICATING AND ENGAGING" in engagement
    assert "Janet Wheatley and Tony Clabby reported" in engagement
    # A paragraph of bulleted lines is a list.
    assert "<li>North</li>" in engagement
    discussion = engagement.index("Discussion ensued with the following issues raised/clarified:-")
    assert engagement.index("There was a clear distinction") > discussion
    assert "<li>There was a clear distinction between the STP and Place Plan</li>" in engagement
    resolved = engagement.index("Resolved:-")
    order = [engagement.index(f'id="minute-52-{n}"') for n in (1, 2, 3, 4)]
    assert resolved < order[0] and order == sorted(order)
    assert "(1)</span> That the outline plans submitted be approved." in engagement
    # The action line follows the resolution it belongs to, not another.
    action = engagement.index("Action: Chris Edwards/Sharon Kemp")
    assert action > engagement.index("That Chris Edwards and Sharon Kemp advise")
    assert "Action:" not in engagement[: order[3]]


def test_each_resolution_links_to_its_decision(client, hwb):
    board, _, _, minutes = hwb
    resolution = Resolution.objects.select_related(
        "minute__minutes__meeting", "minute__minutes__board"
    ).get(minute__minutes=minutes, minute__number=52, number=4)

    html, _ = get_html(client, minutes.url)

    url = "/decisions/health-and-wellbeing-board/2017-01-11/52/4/"
    assert decision_url(resolution) == url
    assert decision_citation(resolution) == "HWB 11 January 2017, minute 52(4)"
    assert f'href="{url}"' in html
    assert "HWB 11 January 2017, minute 52(4)" in html
    # Numbers are the minute's own, never the database's.
    assert html.count('href="/decisions/health-and-wellbeing-board/2017-01-11/') == 3 + 4 + 2


def test_citations_link_to_the_cited_minute(client, hwb):
    _, november, _, minutes = hwb

    html, _ = get_html(client, minutes.url)

    previous = minute_html(html, 50)
    assert (
        f'<a class="govuk-link" href="{november.url}#minute-36-2">Minute No. 36(2)</a>' in previous
    )
    assert f'<a class="govuk-link" href="{november.url}#minute-45">Minute No. 45</a>' in previous
    # The cited page has the anchors the links point at.
    cited, _ = get_html(client, november.url)
    assert 'id="minute-36-2"' in cited
    assert 'id="minute-45"' in cited


def test_citation_of_a_resolution_not_shown_leads_to_the_minute(client, hwb):
    _, november, _, minutes = hwb
    Resolution.objects.filter(minute__minutes=november, minute__number=36, number=2).delete()

    html, _ = get_html(client, minutes.url)

    assert f'href="{november.url}#minute-36">Minute No. 36(2)</a>' in html
    assert "#minute-36-2" not in html


def test_citation_of_unpublished_minutes_is_plain_text(client, hwb):
    _, november, _, minutes = hwb
    november.unpublish()

    html, _ = get_html(client, minutes.url)

    assert "Minute No. 36(2)" in html
    assert f'href="{november.url}#' not in html


def test_declarations_and_topics(client, hwb):
    html, _ = get_html(client, hwb[3].url)

    carers = minute_html(html, 55)
    assert "Councillor Mallinder" in carers
    assert "(item 12, Caring Together): Personal interest: she is a carer." in carers
    assert 'href="/decisions/?topic=carers"' in carers
    engagement = minute_html(html, 52)
    assert 'href="/decisions/?topic=mental-health"' in engagement
    assert 'href="/decisions/?topic=engagement"' in engagement


def test_approving_minute_is_linked(client, hwb):
    board, november, _, minutes = hwb

    html, _ = get_html(client, november.url)

    assert (
        "Approved as a correct record at the meeting of Wednesday 11 January 2017 (minute 50)"
        in text_of(html)
    )
    assert f'href="{minutes.url}#minute-50"' in html
    assert "Draft minutes, not yet approved" not in html


def test_approval_by_a_later_meeting_changes_the_status(client, hwb):
    board, _, _, minutes = hwb
    march = approve(board, minutes, number=58)

    html, _ = get_html(client, minutes.url)

    assert (
        "Approved as a correct record at the meeting of Wednesday 8 March 2017 (minute 58)"
        in text_of(html)
    )
    assert f'href="{march.url}#minute-58"' in html
    # Unpublishing the approving minutes takes the approval back.
    march.unpublish()
    html, _ = get_html(client, minutes.url)
    assert "Draft minutes, not yet approved" in html


def test_a_later_revision_is_shown_as_a_correction(client, hwb):
    minutes = hwb[3]
    first = london(2017, 1, 20, 12)
    MinutesPage.objects.filter(pk=minutes.pk).update(
        first_published_at=first, last_published_at=first + datetime.timedelta(days=3)
    )

    html, _ = get_html(client, minutes.url)

    assert "Published on Friday 20 January 2017. Corrected on Monday 23 January 2017." in text_of(
        html
    )


def test_unpublished_minutes_are_not_served(client, board_index):
    board = hwb_board(board_index)
    meeting = meeting_on(board, 2017, 1, 11, "11-january-2017")
    minutes = save_draft_minutes(meeting, [MinuteItem(number=1, heading="DRAFT ONLY")])

    for suffix in ("", "print/", "minutes.docx"):
        response = client.get(f"{meeting.url}minutes/{suffix}")
        assert response.status_code == 404
    assert "DRAFT ONLY" not in get_html(client, meeting.url)[0]
    assert minutes.live is False


def test_minutes_of_an_unpublished_meeting_are_not_served(client, hwb):
    _, _, january, minutes = hwb
    january.unpublish()
    assert MinutesPage.objects.get(pk=minutes.pk).live

    for suffix in ("", "print/", "minutes.docx"):
        assert client.get(f"{minutes.url}{suffix}").status_code == 404


def test_preview_shows_the_draft(rf, hwb):
    from meetings.minutes_views import minutes_context

    minutes = hwb[3]
    draft = MinutesPage.objects.get(pk=minutes.pk)
    draft.minute_items.add(
        MinuteItem(
            number=60,
            heading="ITEM STILL BEING DRAFTED",
            narrative="Arising from Minute No. 36(2), work went on.",
            sort_order=99,
        )
    )
    request = rf.get(minutes.url)
    request.user = AnonymousUser()
    request.is_preview = True

    record = minutes_context(draft, request)["record"]

    drafted = record.items[-1]
    assert drafted.title == "60. ITEM STILL BEING DRAFTED"
    assert [s.url for s in drafted.blocks[0].lines[0] if s.url] == [f"{hwb[1].url}#minute-36-2"]
    # A draft's resolutions are not decisions yet.
    assert all(not r.decision_url for row in record.items for r in row.resolutions)


# The print-friendly page ----------------------------------------------------------------


def test_print_page_has_the_minutes_and_no_navigation(client, hwb):
    minutes = hwb[3]

    html, response = get_html(client, f"{minutes.url}print/")

    assert "HEALTH AND WELLBEING BOARD" in html
    assert "Minutes of the meeting held on Wednesday 11 January 2017" in html
    assert "Draft minutes, not yet approved" in html
    assert "Members:-" in html and "Observers:-" in html
    assert "Apologies for absence were received from Louise Barnett" in html
    assert "52. COMMUNICATING AND ENGAGING" in html
    assert "Resolved:-" in html
    assert "Action: Sarah Farragher" in html
    assert "css/site.css" in html
    assert "govuk-service-navigation" not in html
    assert "govuk-breadcrumbs" not in html
    assert "govuk-footer" not in html
    assert f'href="{minutes.url}"' in html
    assert "Cookie" in response["Vary"]


def test_print_styles_hide_the_navigation():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as css:
        text = css.read()
    print_rules = "".join(text.split("@media print")[1:])
    for selector in (".govuk-breadcrumbs", ".minutes-links", ".minutes-print__back"):
        assert selector in print_rules


# Exempt minutes -------------------------------------------------------------------------


def assert_no_secrets(text):
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_public_sees_only_the_heading_of_an_exempt_minute(client, hwb):
    _, _, january, minutes = hwb

    page, _ = get_html(client, minutes.url)
    printed, _ = get_html(client, f"{minutes.url}print/")
    meeting, _ = get_html(client, january.url)

    for html in (page, printed, meeting):
        assert f"57. {EXEMPT_HEADING}" in html
        assert "Exempt under paragraph 3 of Schedule 12A" in html
        assert_no_secrets(html)
        assert "/2017-01-11/57/" not in html
        assert "NOT FOR PUBLICATION" not in html


def test_exempt_text_never_reaches_the_public_template(rf, hwb):
    from meetings.minutes_views import minutes_context

    minutes = hwb[3]
    request = rf.get(minutes.url)
    request.user = AnonymousUser()

    record = minutes_context(minutes, request)["record"]

    exempt = next(row for row in record.items if row.number == 57)
    assert exempt.withheld
    assert (exempt.blocks, exempt.discussion_points, exempt.declarations) == ([], [], [])
    assert (exempt.resolutions, exempt.tags) == ([], [])
    assert_no_secrets(repr(record))


def test_signed_in_user_without_permission_sees_no_exempt_text(client, django_user_model, hwb):
    _, _, january, minutes = hwb
    client.force_login(django_user_model.objects.create_user("resident", password="x"))

    for url in (minutes.url, f"{minutes.url}print/", january.url):
        assert_no_secrets(get_html(client, url)[0])


def test_board_member_sees_the_exempt_minute_marked_not_for_publication(
    client, django_user_model, hwb
):
    board, _, january, minutes = hwb
    client.force_login(board_member(django_user_model, board))

    page, _ = get_html(client, minutes.url)
    printed, response = get_html(client, f"{minutes.url}print/")
    meeting, _ = get_html(client, january.url)

    for html in (page, printed, meeting):
        for secret in SECRETS[:5]:
            assert secret in html, secret
        assert "Not for publication" in html or "NOT FOR PUBLICATION" in html
    # Topics of an exempt minute link to the register like any other.
    assert 'href="/decisions/?topic=secret-topic"' in page
    # An exempt minute's resolutions are never public decisions.
    assert "/2017-01-11/57/" not in page
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# The meeting page -----------------------------------------------------------------------


def test_meeting_page_shows_minutes_under_their_agenda_items(client, hwb):
    _, _, january, minutes = hwb

    html, _ = get_html(client, january.url)

    item = between(html, "Communicating and engaging on the STP", "Caring Together")
    assert "52. COMMUNICATING AND ENGAGING" in html
    assert html.index("Communicating and engaging on the STP") < html.index("52. COMMUNICATING")
    assert html.index("52. COMMUNICATING") < html.index("Caring Together")
    assert "Draft minutes, not yet approved" in item
    assert f'href="{minutes.url}#minute-52"' in html
    assert "That Chris Edwards and Sharon Kemp advise" in html
    assert "Action: Chris Edwards/Sharon Kemp" in html
    assert f'href="{minutes.url}"' in html
    assert "Read the minutes of this meeting" in html


def test_meeting_page_shows_the_approved_status(client, hwb):
    board, _, january, minutes = hwb
    approve(board, minutes)

    html, _ = get_html(client, january.url)

    assert "Approved as a correct record" in html
    assert "Draft minutes, not yet approved" not in html


def test_meeting_page_lists_minutes_without_an_agenda_item(client, board_index):
    board = hwb_board(board_index)
    meeting = meeting_on(board, 2017, 1, 11, "11-january-2017")
    publish_minutes(meeting, [MinuteItem(number=1, heading="URGENT BUSINESS", narrative="Taken.")])

    html, _ = get_html(client, meeting.url)

    assert "Other minutes of this meeting" in html
    assert "1. URGENT BUSINESS" in html


def test_meeting_page_has_no_minutes_until_they_are_published(client, board_index):
    board = hwb_board(board_index)
    meeting = meeting_on(board, 2017, 1, 11, "11-january-2017")
    save_draft_minutes(meeting, [MinuteItem(number=1, heading="NOT YET PUBLIC")])

    html, _ = get_html(client, meeting.url)

    assert "NOT YET PUBLIC" not in html
    assert "Read the minutes" not in html


# Queries --------------------------------------------------------------------------------

# What a page of minutes costs today (most of it Wagtail's routing, two for the actions the minutes
# record and the view restrictions); a signed-in member adds their session, their user and the
# exempt-papers permission check.
MAX_QUERIES = 24
SIGNED_IN_QUERIES = 4


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def small_and_large(board_index):
    cache.clear()
    board = hwb_board(board_index)
    small = many_minutes(board, MeetingPageFactory(parent=board, start=london(2016, 6, 1)), 3)
    large = many_minutes(
        board, MeetingPageFactory(parent=board, start=london(2016, 7, 1)), 40, first_number=4
    )
    return board, small, large


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("suffix", ["", "print/"])
def test_minutes_queries_do_not_grow_with_the_minutes(
    client, django_user_model, small_and_large, signed_in, suffix
):
    board, small, large = small_and_large
    if signed_in:
        client.force_login(board_member(django_user_model, board))

    small_count, _ = count_queries(client, f"{small.url}{suffix}")
    large_count, html = count_queries(client, f"{large.url}{suffix}")

    assert "That item 42 be approved." in html
    # Minute 43 is exempt: its text is for the board member only.
    assert ("That item 43 be approved." in html) == signed_in
    assert small_count == large_count
    assert large_count <= MAX_QUERIES + (SIGNED_IN_QUERIES if signed_in else 0)


@pytest.mark.parametrize("signed_in", [False, True])
def test_meeting_page_queries_do_not_grow_with_the_minutes(
    client, django_user_model, small_and_large, signed_in
):
    from meetings.factories import AgendaItemFactory

    board, small, large = small_and_large
    for minutes in (small, large):
        meeting = minutes.get_parent().specific
        for item in minutes.minute_items.all():
            item.agenda_item = AgendaItemFactory(meeting=meeting, number=item.number)
            item.save()
    if signed_in:
        client.force_login(board_member(django_user_model, board))

    small_count, _ = count_queries(client, small.get_parent().url)
    large_count, html = count_queries(client, large.get_parent().url)

    assert "That item 42 be approved." in html
    assert ("That item 43 be approved." in html) == signed_in
    assert small_count == large_count
    assert large_count <= MAX_QUERIES + (SIGNED_IN_QUERIES if signed_in else 0)


def test_the_query_count_check_can_fail(client, small_and_large, monkeypatch):
    """Reading each minute's relations one by one costs more with 40 minutes than with 3."""
    _, small, large = small_and_large
    monkeypatch.setattr(minutes_record, "load_minutes", minutes_record.draft_minutes)

    small_count, _ = count_queries(client, small.url)
    large_count, _ = count_queries(client, large.url)

    assert large_count > small_count
