"""The Word minutes, read back with python-docx: layout, exempt minutes, status and queries."""

import datetime
import io
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinutesPage
from meetings.minutes_document import build_minutes_document
from meetings.minutes_record import (
    Attendee,
    AttendeeGroup,
    MinuteRow,
    MinutesRecord,
    ResolutionRow,
    Segment,
    TextBlock,
)
from tests.meetings.minutes_builders import (
    EXEMPT_HEADING,
    SECRETS,
    approve,
    board_member,
    hwb_board,
    hwb_minutes,
    many_minutes,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def hwb(board_index):
    return hwb_minutes(board_index)


def download(client, minutes, status=200):
    response = client.get(f"{minutes.url}minutes.docx")
    assert response.status_code == status
    return response


def read(response):
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def texts(document):
    return [paragraph.text for paragraph in document.paragraphs]


def all_xml(content):
    """Every part of the .docx (body, headers, footers, properties) as one string."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_title_block_attendance_and_apologies(client, hwb):
    minutes = hwb[3]

    response = download(client, minutes)
    document = read(response)
    lines = texts(document)

    assert lines[0] == "HEALTH AND WELLBEING BOARD"
    assert document.paragraphs[0].style.name == "Heading 1"
    assert lines[1] == "Minutes of the meeting held on Wednesday 11 January 2017"
    assert lines[2] == "Draft minutes, not yet approved"
    assert document.paragraphs[2].runs[0].bold
    order = [
        lines.index(text)
        for text in ("Present:-", "Members:-", "Report Presenters:-", "Officers:-", "Observers:-")
    ]
    assert order == sorted(order)
    assert (
        "Councillor D. Roche\tCabinet Member for Adult Social Care and Health (in the Chair)"
        in lines
    )
    assert "Jo Abbott\tPublic Health, RMBC (representing Terri Roche)" in lines
    assert "Councillor Sansome\tChair, Health Select Commission" in lines
    assert (
        "Apologies for absence were received from Louise Barnett (Rotherham Foundation Trust), "
        "Terri Roche (RMBC) and Councillor Watson." in lines
    )
    assert (
        'filename="health-and-wellbeing-board-2017-01-11-minutes.docx"'
        in (response["Content-Disposition"])
    )
    assert document.core_properties.title == (
        "Health and Wellbeing Board, Wednesday 11 January 2017: minutes"
    )
    assert document.core_properties.language == "en-GB"


def test_numbered_minutes_discussion_and_resolutions(client, hwb):
    document = read(download(client, hwb[3]))
    lines = texts(document)
    paragraphs = document.paragraphs

    headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["48. DECLARATIONS OF INTEREST", "50. MINUTES OF THE PREVIOUS MEETING"]
    assert headings[-1] == f"57. {EXEMPT_HEADING}"

    start = lines.index(headings[2])
    engagement = lines[start : lines.index(headings[3])]
    assert engagement[0].startswith("52. COMMUNICATING AND ENGAGING")
    assert "Janet Wheatley and Tony Clabby reported that Healthwatch had been contacted." in (
        engagement
    )
    lead = engagement.index("Discussion ensued with the following issues raised/clarified:-")
    point = engagement.index("There was a clear distinction between the STP and Place Plan")
    assert point == lead + 1
    assert paragraphs[start + point].style.name == "List Bullet"
    resolved = engagement.index("Resolved:-")
    assert engagement[resolved + 1] == "(1)\tThat the outline plans submitted be approved."
    assert engagement[resolved + 4].startswith("(4)\tThat Chris Edwards and Sharon Kemp advise")
    # The action line follows its resolution.
    assert engagement[resolved + 5] == "Action: Chris Edwards/Sharon Kemp"

    previous = lines[lines.index(headings[1]) : start]
    assert (
        "Minute No. 36(2), it was noted that work was taking place looking at the governance "
        "framework." in previous
    )
    assert (
        previous.index("Action: Ian Thomas")
        == previous.index(
            "(2)\tThat Children and Young People's Services submit proposals to the next Board "
            "meeting."
        )
        + 1
    )

    carers = lines[lines.index(headings[3]) : lines.index(headings[4])]
    assert "Declarations of interest:-" in carers
    assert (
        "Councillor Mallinder (item 12, Caring Together): Personal interest: she is a carer."
        in (carers)
    )


def test_page_numbers_in_the_footer(client, hwb):
    document = read(download(client, hwb[3]))

    footer = document.sections[0].footer.paragraphs[0]
    fields = [
        element.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr")
        for element in footer._p.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldSimple"
        )
    ]
    assert [f.split()[0] for f in fields] == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ")


def test_the_public_document_leaves_out_exempt_text(client, hwb):
    response = download(client, hwb[3])
    document = read(response)
    lines = texts(document)

    assert f"57. {EXEMPT_HEADING}" in lines
    assert "Exempt under paragraph 3 of Schedule 12A." in lines
    content = all_xml(response.content)
    for secret in SECRETS:
        assert secret not in content
    assert "NOT FOR PUBLICATION" not in content
    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_user_without_permission_gets_the_public_document(client, django_user_model, hwb):
    client.force_login(django_user_model.objects.create_user("resident", password="x"))

    content = all_xml(download(client, hwb[3]).content)

    for secret in SECRETS:
        assert secret not in content


def test_board_member_gets_the_full_document_marked_not_for_publication(
    client, django_user_model, hwb
):
    board, _, _, minutes = hwb
    client.force_login(board_member(django_user_model, board))

    response = download(client, minutes)
    document = read(response)
    lines = texts(document)

    for secret in SECRETS[:5]:
        assert any(secret in line for line in lines), secret
    assert "NOT FOR PUBLICATION: Exempt under paragraph 3 of Schedule 12A" in lines
    assert "NOT FOR PUBLICATION" in document.sections[0].header.paragraphs[0].text
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_approved_and_corrected_status(client, hwb):
    board, _, _, minutes = hwb
    approve(board, minutes, number=58)
    first = london(2017, 1, 20, 12)
    MinutesPage.objects.filter(pk=minutes.pk).update(
        first_published_at=first, last_published_at=first + datetime.timedelta(days=3)
    )

    lines = texts(read(download(client, minutes)))

    assert lines[2] == (
        "Approved as a correct record at the meeting of Wednesday 8 March 2017 (minute 58). "
        "Corrected on Monday 23 January 2017."
    )


def test_unpublished_minutes_have_no_document(client, hwb):
    minutes = hwb[3]
    minutes.unpublish()

    download(client, minutes, status=404)


def test_build_is_pure_and_shows_only_the_record(db, django_assert_num_queries):
    """The document comes from the record alone: no queries, and nothing the record lacks."""
    record = MinutesRecord(
        board_title="Safer Rotherham Partnership",
        board_slug="safer-rotherham-partnership",
        date_label="Tuesday 7 March 2017",
        day=datetime.date(2017, 3, 7),
        url="",
        status="unapproved",
        status_label="Draft minutes, not yet approved",
        status_class="",
        include_exempt=False,
        attendance=[AttendeeGroup("Members:-", [Attendee("Councillor Hoddinott", "Chair")])],
        items=[
            MinuteRow(
                number=12,
                heading="PERFORMANCE REPORT",
                anchor="minute-12",
                url="",
                withheld=False,
                is_exempt=False,
                blocks=[TextBlock(False, [[Segment("Crime fell by "), Segment("4%.")]])],
                resolutions=[
                    ResolutionRow(1, "That the report be noted.", "Action: Steve Parry", "")
                ],
            ),
            MinuteRow(
                number=13,
                heading="PRIVATE ITEM",
                anchor="minute-13",
                url="",
                withheld=True,
                is_exempt=True,
                exempt_label="Exempt under paragraph 7 of Schedule 12A",
            ),
        ],
    )

    with django_assert_num_queries(0):
        document = build_minutes_document(record)

    lines = texts(document)
    assert lines[0] == "SAFER ROTHERHAM PARTNERSHIP"
    assert "Councillor Hoddinott\tChair" in lines
    assert "Crime fell by 4%." in lines
    assert lines[lines.index("Resolved:-") + 1 :][:2] == [
        "(1)\tThat the report be noted.",
        "Action: Steve Parry",
    ]
    assert lines[-2:] == [
        "Exempt under paragraph 7 of Schedule 12A.",
        "This minute contains exempt information and is not published.",
    ]


@pytest.mark.parametrize("signed_in", [False, True])
def test_document_queries_do_not_grow_with_the_minutes(
    client, django_user_model, board_index, signed_in
):
    cache.clear()
    board = hwb_board(board_index)
    small = many_minutes(board, MeetingPageFactory(parent=board, start=london(2016, 6, 1)), 3)
    large = many_minutes(
        board, MeetingPageFactory(parent=board, start=london(2016, 7, 1)), 40, first_number=4
    )
    if signed_in:
        client.force_login(board_member(django_user_model, board))

    counts = []
    for minutes in (small, large):
        download(client, minutes)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = download(client, minutes)
        counts.append(len(queries))
    lines = texts(read(response))

    assert "(2)\tThat item 42 be approved." in lines
    assert ("(2)\tThat item 43 be approved." in lines) == signed_in
    assert counts[0] == counts[1]
    # As the minutes page: Wagtail's routing, the minutes' rows, and for a member their session,
    # user and permission check.
    assert counts[1] <= 22 + (4 if signed_in else 0)
