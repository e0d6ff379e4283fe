"""The agenda pack in Word: built with python-docx, opened again with python-docx and read back.

The meeting is modelled on the Health and Wellbeing Board agenda of 8 March 2017 (PACK:1-61), with
one exempt item added so that the public pack can be checked for leaks.
"""

import io
import zipfile

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.oxml.ns import qn

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from meetings.agenda_pack import (
    DOCX_CONTENT_TYPE,
    agenda_pack_response,
    build_agenda_pack,
    render_agenda_pack,
)
from meetings.factories import (
    AgendaItemFactory,
    AgendaPaperFactory,
    MeetingPageFactory,
    london,
)
from meetings.models import AgendaSection, MeetingPage, MeetingStatus, StandardItem

# Everything about the exempt item that only the members' pack may carry.
EXEMPT_TITLE = "Residential care home contract award"
EXEMPT_SECRETS = [
    "Tender prices of the three bidders for the Oak House care contract",
    "Tender evaluation scores for the care contract",
    "Bidder pricing schedule appendix",
    "Disclosing the bidders prices would prejudice the council during negotiation",
    "Presented by the Strategic Commissioning Manager",
]


def opened(content):
    return docx.Document(io.BytesIO(content))


def readable_text(document):
    """Every piece of text a reader could see: body, tables, headers and footers."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts.extend(paragraph.text for paragraph in part.paragraphs)
    return "\n".join(parts)


def raw_package_text(content):
    """Every XML part of the .docx, including document properties, as one string."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def agenda_rows(document):
    """(number, business, pages) for each agenda row, in document order."""
    return [
        tuple(cell.text for cell in row.cells)
        for table in document.tables
        for row in table.rows[1:]
    ]


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
        kind="statutory_committee",
        contact_name="Democratic Services, Rotherham MBC",
        contact_email="democratic.services@rotherham.gov.uk",
        contact_phone="01709 822477",
    )


@pytest.fixture
def meeting(hwb):
    """The 8 March 2017 agenda: items 1-7 procedural, then decision, discussion, information."""
    previous = MeetingPageFactory(
        parent=hwb, title="HWB 11 January 2017", slug="2017-01-11", start=london(2017, 1, 11, 9)
    )
    MeetingPageFactory(
        parent=hwb, title="HWB 17 May 2017", slug="2017-05-17", start=london(2017, 5, 17, 9)
    )
    meeting = MeetingPageFactory(
        parent=hwb,
        title="Health and Wellbeing Board, 8 March 2017",
        slug="2017-03-08",
        start=london(2017, 3, 8, 10),
        venue="Oak House,\nMoorhead Way,\nBramley,\nRotherham S66 1YY",
    )
    order = iter(range(100))

    def item(number, title, section=AgendaSection.DISCUSSION, papers=(), **fields):
        agenda_item = AgendaItemFactory(
            meeting=meeting,
            number=number,
            title=title,
            section=section,
            sort_order=next(order),
            **fields,
        )
        for paper_title, first, last in papers:
            AgendaPaperFactory(
                item=agenda_item,
                title=paper_title,
                document__title=paper_title,
                page_start=first,
                page_end=last,
            )
        return agenda_item

    procedural = AgendaSection.PROCEDURAL
    item(1, "To determine if the following matters are to be considered in private", procedural)
    item(2, "To determine any item which the Chair considers urgent", procedural)
    item(3, "Apologies for absence", procedural, kind=StandardItem.APOLOGIES, is_verbal=True)
    item(4, "Declarations of interest", procedural)
    item(5, "Questions from members of the public and the press", procedural)
    item(6, "Communications/Updates", procedural)
    item(
        7,
        "Minutes of the previous meeting",
        procedural,
        papers=[("Minutes of 11 January 2017", 1, 11)],
        kind=StandardItem.PREVIOUS_MINUTES,
        previous_meeting=previous,
    )
    item(
        8,
        EXEMPT_TITLE,
        AgendaSection.DECISION,
        papers=[(EXEMPT_SECRETS[1], 216, 230), (EXEMPT_SECRETS[2], 231, 233)],
        summary=EXEMPT_SECRETS[0],
        presenter_text=EXEMPT_SECRETS[4],
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason=EXEMPT_SECRETS[3],
    )
    item(
        9,
        "Health and Wellbeing Strategy Aim 5 - Healthy, Safe and Sustainable Communities",
        papers=[("Aim 5 presentation", 12, 81)],
        presenter_text="Presentation by Rob O'Dell, South Yorkshire Police",
        summary="How the partners keep communities healthy, safe and sustainable.",
    )
    item(10, "Better Care Fund")
    better_care = item(
        10, "Better Care Fund Draft Plan 2017/19", sub_item="a", papers=[("BCF plan", 82, 120)]
    )
    better_care.presenters.add(
        PersonFactory(given_name="Nathan", family_name="Atkinson", organisation="RMBC")
    )
    better_care.save()  # presenters is a ParentalManyToManyField: saved with the item
    item(10, "Better Care Fund Quarter 3 Submission", sub_item="b", papers=[("BCF Q3", 121, 170)])
    item(
        11,
        "The Rotherham Place Plan",
        is_verbal=True,
        presenter_text="Verbal update by Chris Edwards, CCG",
    )
    item(
        12,
        "Rotherham CAMHS Local Transformation Plan - Quarter 3 report 2016-17",
        AgendaSection.INFORMATION,
        papers=[("CAMHS report", 202, 215)],
    )
    item(
        13,
        "Date, time and venue of future meetings",
        AgendaSection.INFORMATION,
        kind=StandardItem.FUTURE_MEETINGS,
    )
    return meeting


@pytest.fixture
def public_pack(meeting):
    return render_agenda_pack(meeting, include_exempt=False)


@pytest.fixture
def members_pack(meeting):
    return render_agenda_pack(meeting, include_exempt=True)


# The document ------------------------------------------------------------------


def test_front_sheet_names_the_board_date_time_venue_and_contact(public_pack):
    document = opened(public_pack)
    first = document.paragraphs[0]
    assert first.text == "HEALTH AND WELLBEING BOARD"
    assert first.style.name == "Heading 1"
    lines = [p.text for p in document.paragraphs]
    assert "Date: Wednesday 8 March 2017" in lines
    assert "Time: 10am" in lines
    assert "Venue: Oak House,\nMoorhead Way,\nBramley,\nRotherham S66 1YY" in lines
    contact = next(line for line in lines if line.startswith("Contact: "))
    assert "Democratic Services, Rotherham MBC" in contact
    assert "democratic.services@rotherham.gov.uk" in contact
    assert "01709 822477" in contact
    assert document.core_properties.title == (
        "Health and Wellbeing Board, Wednesday 8 March 2017: agenda pack"
    )
    assert document.core_properties.language == "en-GB"


def test_agenda_numbers_items_in_order_within_their_sections(public_pack):
    document = opened(public_pack)
    numbers = [number for number, _, _ in agenda_rows(document)]
    assert numbers == [
        *[str(n) for n in range(1, 9)],
        "9",
        "10",
        "10(a)",
        "10(b)",
        "11",
        "12",
        "13",
    ]
    assert "AGENDA" in headings(document, 1)
    # Procedural items come first without a heading, then the sections in their order.
    assert headings(document, 2)[:3] == ["For decision", "For discussion", "For information"]
    # One table per section: procedural, decision, discussion, information.
    assert [len(table.rows) - 1 for table in document.tables] == [7, 1, 5, 2]
    assert all(table.rows[0].cells[1].text == "Business" for table in document.tables)


def test_sections_follow_their_order_even_when_items_are_stored_out_of_it(hwb):
    meeting = MeetingPageFactory(parent=hwb)
    AgendaItemFactory(meeting=meeting, number=3, title="Read me", section="information")
    AgendaItemFactory(meeting=meeting, number=2, title="Discuss me", section="discussion")
    AgendaItemFactory(meeting=meeting, number=1, title="Apologies", section="procedural")
    document = build_agenda_pack(meeting, include_exempt=False)
    assert [number for number, _, _ in agenda_rows(document)] == ["1", "2", "3"]
    assert headings(document, 2)[:2] == ["For discussion", "For information"]


def test_agenda_rows_carry_page_ranges_presenters_and_verbal_items(public_pack):
    rows = {
        number: (business, pages) for number, business, pages in agenda_rows(opened(public_pack))
    }
    # Opening formalities are verbal by nature and not labelled as such.
    assert rows["3"] == ("Apologies for absence", "")
    assert rows["7"][1] == "Pages 1 - 11"
    assert "Minutes of the meeting held on Wednesday 11 January 2017" in rows["7"][0]
    assert rows["9"][1] == "Pages 12 - 81"
    assert "Presentation by Rob O'Dell, South Yorkshire Police" in rows["9"][0]
    assert rows["10(a)"] == (
        "Better Care Fund Draft Plan 2017/19\nPresented by Nathan Atkinson, RMBC",
        "Pages 82 - 120",
    )
    assert rows["10(b)"][1] == "Pages 121 - 170"
    assert rows["11"] == (
        "The Rotherham Place Plan\nVerbal update by Chris Edwards, CCG\nVerbal item",
        "",
    )
    assert rows["12"][1] == "Pages 202 - 215"
    # The next meeting of the board is listed under 'future meetings'.
    assert "Wednesday 17 May 2017, 9am" in rows["13"][0]


def test_footer_numbers_pages_with_word_fields_and_header_names_the_meeting(public_pack):
    section = opened(public_pack).sections[0]
    fields = [
        field.get(qn("w:instr")).split()[0]
        for field in section.footer._element.iter(qn("w:fldSimple"))
    ]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text == "Page  of "
    assert section.header.paragraphs[0].text == (
        "Health and Wellbeing Board, Wednesday 8 March 2017"
    )
    assert round(section.page_width.mm) == 210


def test_each_item_with_something_to_read_gets_a_cover_on_a_new_page(members_pack):
    document = opened(members_pack)
    covers = [
        p for p in document.paragraphs if p.style.name == "Heading 1" and p.text.startswith("Item ")
    ]
    assert [p.text.split(":")[0] for p in covers] == [
        "Item 7",
        "Item 8",
        "Item 9",
        "Item 10(a)",
        "Item 10(b)",
        "Item 11",
        "Item 12",
    ]
    assert all(p.paragraph_format.page_break_before for p in covers)
    text = [p.text for p in document.paragraphs]
    assert "BCF plan (Pages 82 - 120)" in text
    assert "Aim 5 presentation (Pages 12 - 81)" in text
    assert "Verbal item: there are no papers." in text
    # Papers are listed, never embedded; the package holds nothing but XML.
    with zipfile.ZipFile(io.BytesIO(members_pack)) as package:
        assert all(name.endswith((".xml", ".rels")) for name in package.namelist())


def test_public_pack_withholds_everything_about_exempt_items(public_pack):
    document = opened(public_pack)
    readable = readable_text(document)
    raw = raw_package_text(public_pack)
    for secret in EXEMPT_SECRETS:
        assert secret not in readable
        assert secret not in raw
    assert "NOT FOR PUBLICATION" not in readable
    rows = {number: (business, pages) for number, business, pages in agenda_rows(document)}
    assert rows["8"] == (f"{EXEMPT_TITLE}\nExempt under paragraph 3 of Schedule 12A", "")
    cover = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("Item 8:"))
    assert [p.text for p in document.paragraphs[cover + 1 : cover + 3]] == [
        "Exempt under paragraph 3 of Schedule 12A.",
        "The papers for this item contain exempt information. They are not for publication "
        "and have been withheld from the public.",
    ]


def test_members_pack_has_the_exempt_item_marked_not_for_publication(members_pack):
    document = opened(members_pack)
    readable = readable_text(document)
    for secret in EXEMPT_SECRETS:
        assert secret in readable
    assert "Members' pack: NOT FOR PUBLICATION" in document.sections[0].header.paragraphs[0].text
    cover = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("Item 8:"))
    following = [p.text for p in document.paragraphs[cover + 1 : cover + 5]]
    assert following[0] == "NOT FOR PUBLICATION"
    assert following[1].startswith(
        "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972 "
        "(information relating to the financial or business affairs"
    )
    assert following[2:] == ["Public interest test", EXEMPT_SECRETS[3]]
    assert "members' agenda pack" in document.core_properties.title


def test_front_sheet_shows_a_moved_meeting_and_the_reason_for_urgency(hwb):
    later = MeetingPageFactory(parent=hwb, start=london(2030, 3, 15, 14))
    meeting = MeetingPageFactory(
        parent=hwb,
        status=MeetingStatus.MOVED,
        moved_to=later,
        urgency_reason="The Better Care Fund return is due before the next meeting.",
        first_published_at=london(2030, 3, 1, 12),
        last_published_at=london(2030, 3, 4, 9),
    )
    lines = [p.text for p in build_agenda_pack(meeting, include_exempt=False).paragraphs]
    assert "This meeting has been moved to Friday 15 March 2030, 2pm." in lines
    assert "Agenda published: Friday 1 March 2030" in lines
    assert "Updated on: Monday 4 March 2030" in lines
    assert any(
        line.startswith("Reason for urgency")
        and line.endswith("The Better Care Fund return is due before the next meeting.")
        for line in lines
    )


def test_front_sheet_shows_a_cancelled_private_meeting_with_its_note(hwb):
    meeting = MeetingPageFactory(
        parent=hwb,
        status=MeetingStatus.CANCELLED,
        status_note="The Chair is unwell.",
        is_private=True,
    )
    lines = [p.text for p in build_agenda_pack(meeting, include_exempt=False).paragraphs]
    assert "This meeting has been cancelled. The Chair is unwell." in lines
    assert "This meeting is held in private." in lines
    assert not any(line.startswith(("Agenda published", "Reason for urgency")) for line in lines)


def add_items(meeting, count):
    people = PersonFactory.create_batch(2)
    for number in range(1, count + 1):
        agenda_item = AgendaItemFactory(
            meeting=meeting, number=number, sort_order=number, is_exempt=number % 3 == 0
        )
        agenda_item.presenters.add(*people)
        agenda_item.save()
        AgendaPaperFactory.create_batch(2, item=agenda_item)


def count_queries(build):
    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries)


def test_pack_costs_the_same_queries_for_3_items_or_30(hwb):
    small, large = MeetingPageFactory(parent=hwb), MeetingPageFactory(parent=hwb)
    add_items(small, 3)
    add_items(large, 30)
    for include_exempt in (False, True):
        counts = [
            count_queries(
                lambda m=m, e=include_exempt: render_agenda_pack(
                    MeetingPage.objects.get(pk=m.pk), include_exempt=e
                )
            )
            for m in (small, large)
        ]
        # With the board's action log: the view restrictions, the actions, their owners.
        assert counts[0] == counts[1] <= 7


# The download ------------------------------------------------------------------


def signed_in(client, username, board=None):
    """A signed-in user; with `board`, a current member of it through their Person record."""
    user = get_user_model().objects.create_user(username, password="x")
    if board is not None:
        MembershipFactory(board=board, person=PersonFactory(user=user))
    client.force_login(user)
    return user


def test_public_pack_downloads_anonymously(client, meeting):
    response = client.get(meeting.url + "agenda-pack.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="health-and-wellbeing-board-2017-03-08-agenda-pack.docx"'
    )
    readable = readable_text(opened(response.content))
    assert "HEALTH AND WELLBEING BOARD" in readable
    assert EXEMPT_TITLE in readable
    assert not any(secret in readable for secret in EXEMPT_SECRETS)


def test_public_download_costs_the_same_queries_for_3_items_or_30(client, hwb):
    small, large = MeetingPageFactory(parent=hwb), MeetingPageFactory(parent=hwb)
    add_items(small, 3)
    add_items(large, 30)
    counts = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(meeting.url + "agenda-pack.docx").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_members_pack_sends_anonymous_visitors_to_sign_in(client, meeting):
    url = meeting.url + "members-pack.docx"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('wagtailadmin_login')}?next={url}"


def test_members_pack_is_forbidden_to_users_without_exempt_access(client, meeting):
    signed_in(client, "resident")
    response = client.get(meeting.url + "members-pack.docx")
    assert response.status_code == 403
    assert EXEMPT_SECRETS[0].encode() not in response.content


def test_members_pack_is_forbidden_to_members_of_another_board(client, meeting, board_index):
    signed_in(client, "other-member", board=BoardPageFactory(parent=board_index))
    assert client.get(meeting.url + "members-pack.docx").status_code == 403


def test_members_pack_downloads_for_a_member_of_the_board(client, meeting, hwb):
    signed_in(client, "member", board=hwb)
    response = client.get(meeting.url + "members-pack.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="health-and-wellbeing-board-2017-03-08-members-pack.docx"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    readable = readable_text(opened(response.content))
    assert all(secret in readable for secret in EXEMPT_SECRETS)


def test_no_pack_for_an_unpublished_meeting(rf, meeting):
    meeting.live = False
    with pytest.raises(Http404):
        agenda_pack_response(rf.get("/"), meeting=meeting, members_pack=False)
