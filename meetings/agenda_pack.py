"""The agenda pack: a meeting's front sheet, numbered agenda, item covers and the board's action
log (the actions open at the meeting) as a Word document.

Two packs come from the same meeting. The public pack shows an exempt item only by its number,
title and Schedule 12A paragraph; the members' pack, for people allowed to see the board's exempt
papers, has everything and is marked NOT FOR PUBLICATION. The papers themselves (often PDFs) are
listed on the covers with their pages in the printed pack, never embedded.
"""

import io

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .citations import meeting_day
from .dates import format_date, format_meeting_datetime, format_time
from .models import (
    CALLED_OFF,
    SCHEDULE_12A_PARAGRAPHS,
    AgendaItem,
    AgendaPaper,
    AgendaSection,
    MeetingPage,
    MeetingStatus,
    StandardItem,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"
# GOV.UK's red: strong enough contrast on white to carry the warning in text.
WARNING_COLOUR = RGBColor(0xD4, 0x35, 0x1C)
SECTION_ORDER = [value for value, _ in AgendaSection.choices]
FUTURE_MEETINGS_LISTED = 8


# Loading ---------------------------------------------------------------------


def pack_items(meeting):
    """The meeting's agenda items with everything the pack prints, in a fixed number of queries."""
    papers = AgendaPaper.objects.select_related("document").order_by("sort_order", "pk")
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("previous_meeting")
        .prefetch_related(Prefetch("papers", queryset=papers), "presenters")
        .order_by("sort_order", "pk")
    )
    # Items saved outside the admin may lack numbers; fill them in memory only.
    from .agenda import number_items

    return number_items(items)


def board_of(meeting):
    from boards.models import BoardPage

    board = BoardPage.objects.parent_of(meeting).first()
    if board is None:
        raise Http404("This meeting does not belong to a board.")
    return board


def later_meetings(meeting, board):
    """The board's next meetings, for the 'date, time and venue of future meetings' item."""
    return list(
        MeetingPage.objects.child_of(board)
        .live()
        .filter(start__gt=meeting.start)
        .exclude(status__in=CALLED_OFF)
        .order_by("start")
        .only("start")[:FUTURE_MEETINGS_LISTED]
    )


def pack_actions(meeting, board, include_exempt):
    """The board's actions open at the meeting (actions_log.carried_forward), two queries.

    The public pack has public actions with public updates only; the members' pack adds the
    actions the public may not see and internal updates.
    """
    from actions_log.carried_forward import carried_forward

    return carried_forward(board, meeting_day(meeting), members=include_exempt)


# Wording ---------------------------------------------------------------------


def pages_label(first, last):
    if not first:
        return ""
    last = last or first
    return f"Page {first}" if first == last else f"Pages {first} - {last}"


def presenter_line(item):
    """The presenter line as printed, or one made from the presenters chosen."""
    if item.presenter_text:
        return item.presenter_text
    people = [
        ", ".join(part for part in (person.full_name, person.organisation) if part)
        for person in item.presenters.all()
    ]
    return f"Presented by {'; '.join(people)}" if people else ""


def status_notice(meeting):
    """Why this meeting will not go ahead as planned, or an empty string."""
    note = meeting.status_note.strip()
    if meeting.status == MeetingStatus.CANCELLED:
        text = "This meeting has been cancelled."
    elif meeting.status == MeetingStatus.POSTPONED:
        text = "This meeting has been postponed."
    elif meeting.status == MeetingStatus.MOVED:
        moved_to = meeting.moved_to
        text = (
            f"This meeting has been moved to {format_meeting_datetime(moved_to.start)}."
            if moved_to
            else "This meeting has been moved to another date."
        )
    else:
        return ""
    return f"{text} {note}" if note else text


def item_heading(item):
    number = item.display_number
    return f"Item {number}: {item.title}" if number else item.title


def withheld(item, include_exempt):
    """True when nothing but the item's number, title and paragraph may be shown."""
    return item.is_exempt and not include_exempt


def exemption_statement(item):
    """'Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972 (...).'"""
    description = dict(SCHEDULE_12A_PARAGRAPHS).get(item.exempt_paragraph, "")
    description = description.split(". ", 1)[-1]
    statement = f"{item.exempt_label} to the Local Government Act 1972"
    if description:
        statement += f" ({description[0].lower()}{description[1:]})"
    return f"{statement}."


def pack_title(meeting, board, include_exempt):
    kind = "members' agenda pack" if include_exempt else "agenda pack"
    return f"{board.title}, {format_date(meeting.start)}: {kind}"


def pack_filename(meeting, board, members_pack):
    day = timezone.localtime(meeting.start).date().isoformat()
    kind = "members-pack" if members_pack else "agenda-pack"
    return f"{slugify(board.title)}-{day}-{kind}.docx"


# Word helpers ------------------------------------------------------------------


def add_lines(paragraph, lines):
    """Write lines into one paragraph separated by line breaks (addresses, contact details)."""
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def add_labelled(document, label, lines):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    return add_lines(paragraph, lines)


def add_warning(container, text):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = WARNING_COLOUR
    return paragraph


def add_field(paragraph, instruction, placeholder):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def mark_header_row(row):
    """Repeat the header row on every page and tell screen readers it labels the columns."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    properties.append(OxmlElement("w:tblHeader"))


def caption_table(table, caption):
    """Alternative text for the table, read out by screen readers (Word's table 'Alt Text')."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    table._tbl.tblPr.append(element)


def drop_template_thumbnail(document):
    """python-docx's blank template carries a picture of some other first page; drop it."""
    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del relationships[key]


def set_language(document, language="en-GB"):
    """British English for spelling and for screen readers' pronunciation."""
    document.core_properties.language = language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)


# The document ------------------------------------------------------------------


def build_agenda_pack(meeting, include_exempt, board=None):
    """The agenda pack of `meeting` as a python-docx Document.

    With `include_exempt` False (the public pack) an exempt item shows only its number, title and
    Schedule 12A paragraph: never its presenter, summary, papers or public interest reason.
    """
    board = board or board_of(meeting)
    items = pack_items(meeting)
    actions = pack_actions(meeting, board, include_exempt)
    has_exempt = include_exempt and (
        any(item.is_exempt for item in items) or any(a.not_for_publication for a in actions)
    )

    document = Document()
    set_up_page(document, meeting, board, include_exempt, has_exempt)
    add_front_sheet(document, meeting, board, include_exempt, has_exempt)

    future = None
    if any(item.kind == StandardItem.FUTURE_MEETINGS for item in items):
        future = later_meetings(meeting, board)
    add_agenda(document, items, include_exempt, future)
    for item in items:
        if needs_cover(item):
            add_cover(document, item, include_exempt)
    add_action_log(document, meeting, board, actions, include_exempt)
    return document


def render_agenda_pack(meeting, include_exempt, board=None):
    """The pack as the bytes of a .docx file."""
    buffer = io.BytesIO()
    build_agenda_pack(meeting, include_exempt, board=board).save(buffer)
    return buffer.getvalue()


def set_up_page(document, meeting, board, include_exempt, has_exempt):
    properties = document.core_properties
    properties.title = pack_title(meeting, board, include_exempt)
    properties.subject = f"Agenda of the {board.title}"
    properties.author = getattr(settings, "COUNCIL_NAME", "")
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.keywords = "agenda"
    properties.created = properties.modified = timezone.now()
    set_language(document)
    drop_template_thumbnail(document)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(20)

    header = section.header.paragraphs[0]
    header.text = f"{board.title}, {format_date(meeting.start)}"
    if include_exempt:
        marking = f"Members' pack: {NOT_FOR_PUBLICATION}" if has_exempt else "Members' pack"
        header.add_run(f" · {marking}").bold = has_exempt

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")


def add_front_sheet(document, meeting, board, include_exempt, has_exempt):
    # Councils print the board's name in capitals on the front sheet (PACK:3).
    document.add_heading(board.title.upper(), level=1)
    if has_exempt:
        add_warning(
            document,
            f"{NOT_FOR_PUBLICATION}: this members' pack contains exempt information under "
            "Schedule 12A to the Local Government Act 1972. Do not share it.",
        )

    notice = status_notice(meeting)
    if notice:
        add_warning(document, notice)

    venue = [line.strip() for line in meeting.venue.splitlines() if line.strip()]
    add_labelled(document, "Venue", venue)
    add_labelled(document, "Date", [format_date(meeting.start)])
    add_labelled(document, "Time", [format_time(meeting.start)])
    if meeting.is_private:
        document.add_paragraph("This meeting is held in private.")

    contact = [
        line
        for line in (
            board.contact_name,
            f"Email: {board.contact_email}" if board.contact_email else "",
            f"Telephone: {board.contact_phone}" if board.contact_phone else "",
        )
        if line
    ]
    if contact:
        add_labelled(document, "Contact", contact)

    if meeting.agenda_published_at:
        add_labelled(document, "Agenda published", [format_date(meeting.agenda_published_at)])
    if meeting.agenda_updated_at:
        add_labelled(document, "Updated on", [format_date(meeting.agenda_updated_at)])
    if meeting.urgency_reason.strip():
        add_labelled(
            document,
            "Reason for urgency (published fewer than 5 clear days before the meeting)",
            [meeting.urgency_reason.strip()],
        )


def add_agenda(document, items, include_exempt, future):
    document.add_heading("AGENDA", level=1)
    sections = {value: [] for value in SECTION_ORDER}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    labels = dict(AgendaSection.choices)
    for section, section_items in sections.items():
        if not section_items:
            continue
        label = labels.get(section, section)
        # The opening procedural items come first with no heading, as councils print them.
        if section != AgendaSection.PROCEDURAL:
            document.add_heading(label, level=2)
        add_agenda_table(document, section_items, include_exempt, future, caption=label)


def add_agenda_table(document, items, include_exempt, future, caption):
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    caption_table(table, f"Agenda items: {caption}")
    header = table.rows[0]
    mark_header_row(header)
    for cell, text in zip(header.cells, ("Item", "Business", "Pages"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True

    for item in items:
        number_cell, business_cell, pages_cell = table.add_row().cells
        number_cell.text = item.display_number
        business_cell.paragraphs[0].add_run(item.title).bold = True
        for line in agenda_lines(item, include_exempt, future):
            business_cell.add_paragraph(line)
        if not withheld(item, include_exempt):
            pages_cell.text = item.page_range_label

    # Word reads the cell widths, LibreOffice the column grid: set both.
    widths = (Mm(18), Mm(124), Mm(18))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def agenda_lines(item, include_exempt, future):
    """The lines printed under an item's title in the agenda."""
    if withheld(item, include_exempt):
        return [item.exempt_label]
    lines = []
    if item.is_exempt:
        lines.append(f"{NOT_FOR_PUBLICATION}: {item.exempt_label}")
    if item.previous_meeting:
        lines.append(f"Minutes of the meeting held on {format_date(item.previous_meeting.start)}")
    presenter = presenter_line(item)
    if presenter:
        lines.append(presenter)
    # The standard opening items are verbal by nature; saying so on each would be noise.
    if item.is_verbal and item.section != AgendaSection.PROCEDURAL:
        lines.append("Verbal item")
    if item.kind == StandardItem.FUTURE_MEETINGS and future:
        lines.append("Future meetings:")
        lines.extend(format_meeting_datetime(later.start) for later in future)
    return lines


def needs_cover(item):
    """Whether the item has anything to put on a cover page.

    Opening formalities (apologies, declarations...) and headings over sub-items, such as
    'Better Care Fund' over 10(a) and 10(b), have nothing to read and get no cover.
    """
    if item.is_exempt or item.summary.strip() or item.papers.all():
        return True
    return item.section != AgendaSection.PROCEDURAL and bool(presenter_line(item) or item.is_verbal)


def add_cover(document, item, include_exempt):
    heading = document.add_heading(item_heading(item), level=1)
    heading.paragraph_format.page_break_before = True

    if withheld(item, include_exempt):
        document.add_paragraph(f"{item.exempt_label}.")
        document.add_paragraph(
            "The papers for this item contain exempt information. They are not for "
            "publication and have been withheld from the public."
        )
        return

    if item.is_exempt:
        add_warning(document, NOT_FOR_PUBLICATION)
        document.add_paragraph(exemption_statement(item))
        if item.public_interest_reason.strip():
            document.add_heading("Public interest test", level=2)
            add_text(document, item.public_interest_reason)

    if item.section != AgendaSection.PROCEDURAL:
        document.add_paragraph(item.get_section_display())
    presenter = presenter_line(item)
    if presenter:
        document.add_paragraph(presenter)
    if item.previous_meeting:
        document.add_paragraph(
            f"Minutes of the meeting held on {format_date(item.previous_meeting.start)}"
        )
    if item.summary.strip():
        document.add_heading("Summary", level=2)
        add_text(document, item.summary)

    papers = list(item.papers.all())
    if papers:
        document.add_heading("Papers", level=2)
        for paper in papers:
            pages = pages_label(paper.page_start, paper.page_end)
            text = f"{paper.display_title} ({pages})" if pages else paper.display_title
            document.add_paragraph(text, style="List Bullet")
    elif item.is_verbal:
        document.add_paragraph("Verbal item: there are no papers.")


def add_action_log(document, meeting, board, actions, include_exempt):
    """The board's action log as at the meeting, on a page of its own after the covers."""
    from actions_log.word import add_action_log_section

    add_action_log_section(document, board, actions, meeting_day(meeting), members=include_exempt)


def add_text(document, text):
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())


# The download ------------------------------------------------------------------


def agenda_pack_response(request, meeting, members_pack):
    """Download the public agenda pack, or the members' pack for those allowed exempt papers."""
    if not meeting.live:
        raise Http404("This meeting's agenda has not been published.")
    board = board_of(meeting)
    if members_pack:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        from .exempt import user_may_see_exempt

        if not user_may_see_exempt(request.user, board):
            raise PermissionDenied("You may not see this board's exempt papers.")

    content = render_agenda_pack(meeting, include_exempt=members_pack, board=board)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pack_filename(meeting, board, members_pack)
    )
    if members_pack:
        # Exempt information must not be kept by shared caches or indexed.
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
