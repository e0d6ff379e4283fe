"""The public meeting page: status notices, the agenda as printed, papers, exempt items, queries."""

import datetime
import html as html_lib
import sys
import types

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.factories import BoardPageFactory, PersonFactory
from meetings.factories import (
    AgendaItemFactory,
    AgendaPaperFactory,
    DocumentFactory,
    MeetingPageFactory,
    london,
)
from meetings.models import AgendaSection, MeetingStatus, StandardItem

# The aim for a public page (one of them asks whether the meeting publishes a recording); a
# signed-in visitor adds two (their session and their user).
MAX_QUERIES = 16
SIGNED_IN_QUERIES = 2


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        contact_name="Democratic Services",
        contact_email="democratic.services@example.gov.uk",
    )


@pytest.fixture
def meeting(board):
    return MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board",
        slug="8-march-2017",
        start=london(2017, 3, 8, 10),
        end=london(2017, 3, 8, 12),
        venue="Oak House,\nMoorhead Way,\nBramley,\nRotherham S66 1YY",
    )


@pytest.fixture
def exempt_rule(monkeypatch):
    """Stand in for meetings.exempt.user_may_see_exempt, whatever state that module is in."""

    def install(allowed):
        module = sys.modules.get("meetings.exempt")
        if module is None:
            module = types.ModuleType("meetings.exempt")
            monkeypatch.setitem(sys.modules, "meetings.exempt", module)
        monkeypatch.setattr(
            module, "user_may_see_exempt", lambda user, board: allowed, raising=False
        )

    return install


def get_page(client, page, **params):
    """The page's HTML with entities decoded, so that text with apostrophes is really compared."""
    response = client.get(page.url, params)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def add_item(meeting, number, title, papers=1, presenters=0, **kwargs):
    item = AgendaItemFactory(
        meeting=meeting, number=number, title=title, sort_order=number, **kwargs
    )
    for n in range(papers):
        AgendaPaperFactory(
            item=item, document=DocumentFactory(title=f"{title} paper {n + 1}"), page_start=n + 1
        )
    if presenters:
        # A ParentalManyToManyField keeps additions in memory until the item is saved.
        item.presenters.add(*[PersonFactory() for _ in range(presenters)])
        item.save()
    return item


# The agenda ------------------------------------------------------------------------------


def test_agenda_items_in_order_with_section_headings_as_printed(client, meeting):
    add_item(meeting, 1, "Apologies for absence", papers=0, section=AgendaSection.PROCEDURAL)
    add_item(meeting, 2, "Health and Wellbeing Strategy Aim 5", section=AgendaSection.DISCUSSION)
    add_item(meeting, 3, "Better Care Fund", papers=0, section=AgendaSection.DISCUSSION)
    AgendaItemFactory(
        meeting=meeting,
        number=3,
        sub_item="a",
        title="Better Care Fund Draft Plan 2017/19",
        section=AgendaSection.DISCUSSION,
        sort_order=4,
    )
    add_item(meeting, 4, "CAMHS transformation plan", section=AgendaSection.INFORMATION)

    html = get_page(client, meeting)

    positions = [
        html.index(text)
        for text in (
            "Apologies for absence",
            "For discussion",
            "Health and Wellbeing Strategy Aim 5",
            "3(a).",
            "Better Care Fund Draft Plan 2017/19",
            "For information",
            "CAMHS transformation plan",
        )
    ]
    assert positions == sorted(positions)
    assert "Procedural" not in html
    assert "For decision" not in html


def test_item_details_papers_and_presenters(client, meeting):
    item = add_item(
        meeting,
        8,
        "The Rotherham Place Plan",
        papers=0,
        summary="How health and care services will work together.",
        is_verbal=True,
    )
    presenter = PersonFactory(
        title="Dr", given_name="Julie", family_name="Kitlowski", email="julie@example.nhs.uk"
    )
    item.presenters.add(presenter)
    item.save()
    paper_item = add_item(
        meeting, 9, "Better Care Fund", papers=0, presenter_text="Presented by Nathan Atkinson"
    )
    document = DocumentFactory(title="BCF quarter 3 submission")
    AgendaPaperFactory(item=paper_item, document=document, page_start=82, page_end=170)

    html = get_page(client, meeting)

    assert "How health and care services will work together." in html
    assert "Presented by Dr Julie Kitlowski" in html
    assert "julie@example.nhs.uk" not in html
    assert "Verbal item" in html
    assert "Presented by Nathan Atkinson" in html
    assert "Pages 82 - 170" in html
    assert f'href="{document.url}"' in html
    assert "BCF quarter 3 submission" in html
    assert "(PDF, " in html
    assert "bytes" in html  # the document's size, read without saving it


def test_minutes_item_links_to_the_previous_meeting(client, board, meeting):
    previous = MeetingPageFactory(parent=board, start=london(2017, 1, 11, 10))
    add_item(
        meeting,
        7,
        "Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        section=AgendaSection.PROCEDURAL,
        previous_meeting=previous,
    )

    html = get_page(client, meeting)

    assert f'href="{previous.url}"' in html
    assert "Previous meeting: Wednesday 11 January 2017" in html


def test_meeting_details_breadcrumbs_and_downloads(client, board, meeting, home_page):
    html = get_page(client, meeting)

    assert "Wednesday 8 March 2017, 10am" in html
    assert "12 noon" in html
    assert "Oak House<br>Moorhead Way<br>Bramley<br>Rotherham S66 1YY" in html
    assert "Scheduled" in html
    assert "democratic.services@example.gov.uk" in html  # the board's public contact
    assert f'href="{meeting.url}calendar.ics"' in html
    assert f'href="{meeting.url}agenda-pack.docx"' in html
    assert "members-pack.docx" not in html
    breadcrumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index("Breadcrumb"))
    ]
    for ancestor in (home_page, board.get_parent(), board):
        assert f'href="{ancestor.url}"' in breadcrumbs
    assert html.count("<h1") == 1
    assert 'id="main-content"' in html


def test_publication_and_update_dates_and_urgency(client, meeting):
    meeting.urgency_reason = "The Better Care Fund submission is due before the next meeting."
    meeting.save()
    published = london(2017, 3, 1, 16, 15)
    type(meeting).objects.filter(pk=meeting.pk).update(
        first_published_at=published, last_published_at=published + datetime.timedelta(days=2)
    )

    html = get_page(client, meeting)

    assert "Agenda published on Wednesday 1 March 2017, 4.15pm" in html
    assert "Updated on Friday 3 March 2017, 4.15pm" in html
    assert "Reason for urgency" in html
    assert "The Better Care Fund submission is due before the next meeting." in html


def test_no_updated_line_when_unchanged(client, meeting):
    published = london(2017, 3, 1, 16, 15)
    type(meeting).objects.filter(pk=meeting.pk).update(
        first_published_at=published, last_published_at=published
    )

    html = get_page(client, meeting)

    assert "Agenda published on Wednesday 1 March 2017" in html
    assert "Updated on" not in html
    assert "Reason for urgency" not in html


def test_preview_shows_the_draft_agenda(rf, meeting):
    from django.contrib.auth.models import AnonymousUser

    from meetings.models import AgendaItem
    from meetings.views import meeting_context

    add_item(meeting, 1, "Published item", papers=0)
    draft = meeting.specific_class.objects.get(pk=meeting.pk)
    draft.agenda_items.add(AgendaItem(number=2, title="Item still being drafted", sort_order=2))
    request = rf.get(draft.url)
    request.user = AnonymousUser()
    request.is_preview = True

    titles = [
        row.title for group in meeting_context(draft, request)["agenda"] for row in group.rows
    ]

    assert titles == ["Published item", "Item still being drafted"]


# Status notices --------------------------------------------------------------------------


def test_cancelled_meeting_has_a_notice_with_its_note(client, meeting):
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_note = "There is no business to transact."
    meeting.save()

    html = get_page(client, meeting)

    assert "govuk-notification-banner" in html
    assert "This meeting has been cancelled." in html
    assert "There is no business to transact." in html
    assert "govuk-tag--red" in html


def test_postponed_meeting_has_a_notice(client, meeting):
    meeting.status = MeetingStatus.POSTPONED
    meeting.save()

    html = get_page(client, meeting)

    assert "This meeting has been postponed." in html


def test_moved_meeting_links_to_its_new_date(client, board, meeting):
    new = MeetingPageFactory(parent=board, start=london(2017, 3, 15, 14))
    meeting.status = MeetingStatus.MOVED
    meeting.moved_to = new
    meeting.save()

    html = get_page(client, meeting)

    assert "This meeting has moved to" in html
    assert f'href="{new.url}"' in html
    assert "Wednesday 15 March 2017, 2pm" in html


def test_scheduled_meeting_has_no_notice(client, meeting):
    html = get_page(client, meeting)

    assert "govuk-notification-banner" not in html
    assert "held in private" not in html


def test_private_meeting_says_so(client, meeting):
    meeting.is_private = True
    meeting.save()

    html = get_page(client, meeting)

    assert "This meeting is held in private" in html


# Exempt items ----------------------------------------------------------------------------


@pytest.fixture
def exempt_item(meeting):
    item = add_item(
        meeting,
        11,
        "Care home contract: provider finances",
        papers=0,
        summary="The confidential summary of the provider's accounts.",
        presenter_text="Presented by the Strategic Director",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="The provider's finances are commercially sensitive.",
    )
    item.presenters.add(PersonFactory(given_name="Secret", family_name="Presenter"))
    item.save()
    document = DocumentFactory(title="Provider financial assessment")
    AgendaPaperFactory(item=item, document=document, page_start=31, page_end=36)
    return item, document


WITHHELD = [
    "The confidential summary of the provider's accounts.",
    "Presented by the Strategic Director",
    "Secret Presenter",
    "The provider's finances are commercially sensitive.",
    "Provider financial assessment",
    "Pages 31 - 36",
]


def test_exempt_item_shows_only_its_title_and_paragraph_to_the_public(client, meeting, exempt_item):
    _, document = exempt_item
    add_item(meeting, 12, "Public item", summary="An open summary.")

    html = get_page(client, meeting)

    assert "Care home contract: provider finances" in html
    assert "Exempt under paragraph 3 of Schedule 12A" in html
    assert "An open summary." in html
    for text in WITHHELD:
        assert text not in html
    assert document.url not in html
    assert f"/documents/{document.pk}/" not in html
    assert "members-pack.docx" not in html


def test_signed_in_user_without_permission_still_sees_no_exempt_papers(
    client, django_user_model, meeting, exempt_item, exempt_rule
):
    exempt_rule(False)
    client.force_login(django_user_model.objects.create_user("resident", password="x"))

    html = get_page(client, meeting)

    for text in WITHHELD:
        assert text not in html
    assert "members-pack.docx" not in html


def test_allowed_user_sees_exempt_papers_and_the_members_pack(
    client, django_user_model, meeting, exempt_item, exempt_rule
):
    exempt_rule(True)
    _, document = exempt_item
    client.force_login(django_user_model.objects.create_user("member", password="x"))

    html = get_page(client, meeting)

    assert "Exempt under paragraph 3 of Schedule 12A" in html
    assert "The confidential summary of the provider's accounts." in html
    assert "Provider financial assessment" in html
    assert f'href="{document.url}"' in html
    assert f'href="{meeting.url}members-pack.docx"' in html


def test_board_member_sees_exempt_papers_by_the_real_rule(
    client, django_user_model, board, meeting, exempt_item
):
    """With meetings.exempt in place: a current member of the board may, another user may not."""
    from boards.factories import MembershipFactory

    member = django_user_model.objects.create_user("member", password="x")
    MembershipFactory(board=board, person=PersonFactory(user=member))
    outsider = django_user_model.objects.create_user("outsider", password="x")

    client.force_login(outsider)
    assert "Provider financial assessment" not in get_page(client, meeting)
    client.force_login(member)
    assert "Provider financial assessment" in get_page(client, meeting)


def test_anonymous_visitors_are_never_asked_about(client, meeting, exempt_item, monkeypatch):
    """The permission rule is for signed-in users only: the public is refused before it runs."""
    exempt = types.ModuleType("meetings.exempt")
    exempt.user_may_see_exempt = lambda user, board: True
    monkeypatch.setitem(sys.modules, "meetings.exempt", exempt)

    html = get_page(client, meeting)

    assert "Provider financial assessment" not in html


# Queries ---------------------------------------------------------------------------------


def build_meeting(board, items, day):
    previous = MeetingPageFactory(parent=board, start=london(2016, 11, day, 10))
    meeting = MeetingPageFactory(
        parent=board,
        start=london(2017, 3, day, 10),
        status=MeetingStatus.MOVED,
        moved_to=previous,
        status_note="Moved.",
    )
    for number in range(1, items + 1):
        item = add_item(
            meeting,
            number,
            f"Item {number}",
            papers=2,
            presenters=2,
            previous_meeting=previous,
            is_exempt=number % 5 == 0,
            exempt_paragraph=3 if number % 5 == 0 else None,
        )
        assert item.papers.count() == 2
    return meeting


def count_queries(client, page):
    client.get(page.url)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_meeting_page_queries_do_not_grow_with_the_agenda(
    client, django_user_model, board, exempt_rule, signed_in
):
    cache.clear()
    exempt_rule(True)
    if signed_in:
        client.force_login(django_user_model.objects.create_user("member", password="x"))
    small = build_meeting(board, 3, day=1)
    large = build_meeting(board, 40, day=2)

    small_count, _ = count_queries(client, small)
    large_count, html = count_queries(client, large)

    assert "Item 39 paper 2" in html
    # Item 40 is exempt: its papers are listed only for the signed-in member.
    assert ("Item 40 paper 2" in html) == signed_in
    assert small_count == large_count
    assert large_count <= MAX_QUERIES + (SIGNED_IN_QUERIES if signed_in else 0)


def test_the_query_count_check_can_fail(client, board, monkeypatch):
    """Loading each item's papers and presenters one by one costs more with 40 items than 3."""
    from meetings import views

    # The preview loader reads through each item's relations: a query per item.
    monkeypatch.setattr(views, "load_agenda_items", views.draft_agenda_items)
    small = build_meeting(board, 3, day=3)
    large = build_meeting(board, 40, day=4)

    small_count, _ = count_queries(client, small)
    large_count, _ = count_queries(client, large)

    assert large_count > small_count
