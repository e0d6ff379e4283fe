"""The minutes of a meeting as a Word document, laid out as the council prints them.

Title block, attendance under "Members:-", "Report Presenters:-", "Officers:-" and "Observers:-",
the apologies paragraph, then the numbered minutes with their narrative, discussion points,
declarations, "Resolved:-" and numbered resolutions, each followed by its action line.

The document is built from a `MinutesRecord` (meetings.minutes_record), which has already left out
what the reader may not see: the public document shows an exempt minute only by its number,
heading and Schedule 12A paragraph. People allowed to see the board's exempt papers get the full
minutes, marked NOT FOR PUBLICATION.
"""

import io

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from .agenda_pack import (
    DOCX_CONTENT_TYPE,
    NOT_FOR_PUBLICATION,
    add_field,
    add_warning,
    drop_template_thumbnail,
    set_language,
)
from .minutes_views import keep_private, load_record

NAME_COLUMN = Mm(65)
RESOLUTION_INDENT = Mm(10)


def document_title(record):
    return f"{record.board_title}, {record.date_label}: minutes"


def document_filename(record):
    return f"{record.board_slug}-{record.day.isoformat()}-minutes.docx"


# The document ----------------------------------------------------------------------------


def build_minutes_document(record):
    """The minutes as a python-docx Document. Shows exactly what the record holds, no more."""
    document = Document()
    set_up_page(document, record)
    add_title_block(document, record)
    add_attendance(document, record)
    for minute in record.items:
        add_minute(document, minute)
    return document


def render_minutes_document(record):
    """The minutes as the bytes of a .docx file."""
    buffer = io.BytesIO()
    build_minutes_document(record).save(buffer)
    return buffer.getvalue()


def set_up_page(document, record):
    properties = document.core_properties
    properties.title = document_title(record)
    properties.subject = f"Minutes of the {record.board_title}"
    properties.author = getattr(settings, "COUNCIL_NAME", "")
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.keywords = "minutes"
    properties.created = properties.modified = timezone.now()
    set_language(document)
    drop_template_thumbnail(document)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(20)

    header = section.header.paragraphs[0]
    header.text = f"{record.board_title}, {record.date_label}: {record.status_label.lower()}"
    if record.has_exempt_text:
        header.add_run(f" · {NOT_FOR_PUBLICATION}").bold = True

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")


def add_title_block(document, record):
    # The board's name in capitals, as the council heads its minutes (PACK:63).
    document.add_heading(record.board_title.upper(), level=1)
    document.add_paragraph(f"Minutes of the meeting held on {record.date_label}")
    status = document.add_paragraph()
    status.add_run(record.status_line).bold = True
    if record.corrected_on:
        status.add_run(f". Corrected on {record.corrected_on}.")
    if record.has_exempt_text:
        add_warning(
            document,
            f"{NOT_FOR_PUBLICATION}: these minutes include exempt information under "
            "Schedule 12A to the Local Government Act 1972. Do not share them.",
        )


def add_attendance(document, record):
    if record.attendance:
        document.add_paragraph().add_run("Present:-").bold = True
    for group in record.attendance:
        document.add_paragraph().add_run(group.heading).bold = True
        for attendee in group.attendees:
            # Name, a tab, then the role: the council's own layout (PACK:69-80).
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.tab_stops.add_tab_stop(NAME_COLUMN)
            paragraph.paragraph_format.space_after = Mm(0)
            paragraph.add_run(attendee.name)
            if attendee.role:
                paragraph.add_run(f"\t{attendee.role}")
        document.add_paragraph()
    if record.apologies:
        document.add_paragraph(record.apologies)


def add_minute(document, minute):
    document.add_heading(minute.title, level=2)
    if minute.withheld:
        document.add_paragraph(f"{minute.exempt_label}.")
        document.add_paragraph("This minute contains exempt information and is not published.")
        return
    if minute.is_exempt:
        add_warning(document, f"{NOT_FOR_PUBLICATION}: {minute.exempt_label}")
    if minute.approves:
        document.add_paragraph(f"Minutes of the meeting held on {minute.approves['date']}")

    for block in minute.blocks:
        if block.is_list:
            for line in block.plain_lines:
                document.add_paragraph(line, style="List Bullet")
        else:
            paragraph = document.add_paragraph()
            for index, line in enumerate(block.plain_lines):
                if index:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)

    if minute.discussion_points:
        document.add_paragraph(minute.discussion_lead)
        for point in minute.discussion_points:
            document.add_paragraph(point, style="List Bullet")

    if minute.declarations:
        document.add_paragraph("Declarations of interest:-")
        for declaration in minute.declarations:
            document.add_paragraph(declaration.text, style="List Bullet")

    if minute.resolutions:
        document.add_paragraph().add_run(minute.resolved_lead).bold = True
        for resolution in minute.resolutions:
            paragraph = document.add_paragraph(f"({resolution.number})\t{resolution.text}")
            paragraph_format = paragraph.paragraph_format
            paragraph_format.left_indent = RESOLUTION_INDENT
            paragraph_format.first_line_indent = -RESOLUTION_INDENT
            paragraph_format.tab_stops.add_tab_stop(RESOLUTION_INDENT)
            if resolution.action_line:
                action = document.add_paragraph()
                action.paragraph_format.left_indent = RESOLUTION_INDENT
                action.add_run(resolution.action_line).bold = True


# The download ----------------------------------------------------------------------------


def minutes_document_response(request, minutes):
    """Download the minutes: the public version, or the full one for those allowed exempt text."""
    record, _meeting, _board = load_record(minutes, request)
    content = render_minutes_document(record)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document_filename(record)
    )
    # Who is signed in decides what the document holds.
    patch_vary_headers(response, ["Cookie"])
    if record.has_exempt_text:
        keep_private(response)
    return response
