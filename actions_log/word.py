"""A board's action log in Word: the `actions.docx` download and the agenda pack's section.

Both are written from `ActionRow`s (actions_log.public), so they show exactly what the reader may
see: the public document and the public agenda pack are built from public actions with public
updates only. The table repeats its header row on each page, carries alternative text and is
written in British English, as the agenda pack is.
"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from meetings.agenda_pack import (
    NOT_FOR_PUBLICATION,
    WARNING_COLOUR,
    add_field,
    caption_table,
    drop_template_thumbnail,
    mark_header_row,
    set_language,
)
from meetings.dates import format_date

COLUMNS = ("Action", "Owners", "Due", "Status", "Updates")
# Column widths on A4 with 25 mm margins: portrait (the agenda pack), landscape (the download).
PORTRAIT_WIDTHS = (Mm(52), Mm(30), Mm(24), Mm(24), Mm(30))
LANDSCAPE_WIDTHS = (Mm(80), Mm(42), Mm(30), Mm(35), Mm(60))


def _paragraph(cell, text, *, first=False, bold=False, warning=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold or warning
    if warning:
        run.font.color.rgb = WARNING_COLOUR
    return paragraph


def _action_cell(cell, row):
    _paragraph(cell, row.text, first=True)
    if row.not_for_publication:
        _paragraph(cell, f"{NOT_FOR_PUBLICATION}: from an exempt minute", warning=True)
    _paragraph(cell, f"Raised at {row.raised_at.label}")


def _status_cell(cell, row):
    _paragraph(cell, row.status_label, first=True, bold=True)
    if row.is_overdue:
        _paragraph(cell, "Overdue", warning=True)
    if row.completed_label:
        _paragraph(cell, f"Completed on {row.completed_label}")
    for link in row.evidence_links:
        _paragraph(cell, f"Discharged by {link.label}")
    if row.evidence:
        _paragraph(cell, row.evidence)


def _updates_cell(cell, row, latest_only):
    updates = [row.latest_update] if latest_only and row.latest_update else row.updates
    if not updates:
        _paragraph(cell, "No updates", first=True)
        return
    for index, update in enumerate(updates):
        _paragraph(cell, update.plain, first=index == 0)


def add_action_table(document, rows, caption, *, widths=PORTRAIT_WIDTHS, latest_only=False):
    """A table of actions: what, owners, due, status with evidence, and the updates."""
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    caption_table(table, caption)
    header = table.rows[0]
    mark_header_row(header)
    headings = (*COLUMNS[:-1], "Latest update" if latest_only else COLUMNS[-1])
    for cell, text in zip(header.cells, headings, strict=True):
        cell.paragraphs[0].add_run(text).bold = True

    for row in rows:
        action, owners, due, status, updates = table.add_row().cells
        _action_cell(action, row)
        for index, owner in enumerate(row.owners):
            _paragraph(owners, owner.label, first=index == 0)
        if not row.owners:
            _paragraph(owners, "No owner named", first=True)
        due.text = row.due_label
        _status_cell(status, row)
        _updates_cell(updates, row, latest_only)

    # Word reads the cell widths, LibreOffice the column grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = width
    return table


def add_action_log_section(document, board, rows, on_date, *, members=False):
    """The agenda pack's action log: the actions open at the meeting, on a page of its own."""
    heading = document.add_heading("Action log", level=1)
    heading.paragraph_format.page_break_before = True
    day = format_date(on_date)
    document.add_paragraph(
        f"Actions of the {board.title} open at this meeting: raised before {day} and not "
        "completed before it, with their owners and latest update. Overdue actions are marked."
    )
    if members:
        document.add_paragraph(
            "This members' pack includes internal updates, marked 'Internal'. They are not for "
            "publication."
        )
    if not rows:
        document.add_paragraph("There were no open actions.")
        return None
    overdue = sum(1 for row in rows if row.is_overdue)
    document.add_paragraph(
        f"{len(rows)} action{'s' if len(rows) != 1 else ''} open at this meeting, "
        f"{overdue} of them overdue."
    )
    return add_action_table(
        document, rows, f"Actions open at the meeting on {day}", latest_only=True
    )


def build_action_log(board, rows, description, as_at=None):
    """The board's public action log as a python-docx Document, landscape A4."""
    as_at = as_at or timezone.localdate()
    document = Document()
    properties = document.core_properties
    properties.title = f"{board.title}: action log"
    properties.subject = f"Actions of the {board.title}"
    properties.author = getattr(settings, "COUNCIL_NAME", "")
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.keywords = "actions"
    properties.created = properties.modified = timezone.now()
    set_language(document)
    drop_template_thumbnail(document)

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    section.header.paragraphs[0].text = f"{board.title}: action log"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")

    document.add_heading(f"{board.title}: action log", level=1)
    document.add_paragraph(f"{description}, as at {format_date(as_at)}.")
    document.add_paragraph(
        "Actions agreed in the board's published minutes and action plans, with their owners, "
        "due dates, status and progress. Information exempt under Schedule 12A to the Local "
        "Government Act 1972 is not included."
    )
    if not rows:
        document.add_paragraph("No actions match.")
        return document
    add_action_table(document, rows, f"{description} of the {board.title}", widths=LANDSCAPE_WIDTHS)
    return document


def render_action_log(board, rows, description, as_at=None):
    buffer = io.BytesIO()
    build_action_log(board, rows, description, as_at).save(buffer)
    return buffer.getvalue()


def action_log_filename(board, extension):
    return f"{slugify(board.title)}-actions.{extension}"
