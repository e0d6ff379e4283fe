"""What a meeting page shows: status, agenda, papers, downloads and, once published, the minutes.

Everything the template needs is loaded here in a fixed number of queries and handed over as plain
rows, so that the template can neither trigger a query per item nor reach what an exempt item
withholds: a withheld item's row simply does not carry its summary, presenters or papers. The
minutes come as rows from meetings.minutes_record, under the agenda items they minute.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from boards.models import BoardPage
from home.templatetags.public_site import page_frame

from .dates import format_date, format_meeting_datetime, format_time
from .models import AgendaItem, AgendaPaper, AgendaSection, MeetingStatus

# GOV.UK tag colour and short label for each status.
STATUS_TAGS = {
    MeetingStatus.SCHEDULED: ("Scheduled", "govuk-tag--blue"),
    MeetingStatus.HELD: ("Held", "govuk-tag--grey"),
    MeetingStatus.CANCELLED: ("Cancelled", "govuk-tag--red"),
    MeetingStatus.POSTPONED: ("Postponed", "govuk-tag--orange"),
    MeetingStatus.MOVED: ("Moved", "govuk-tag--purple"),
}

# Headings as the council prints them; procedural items are printed without one.
SECTION_HEADINGS = {
    AgendaSection.PROCEDURAL: "",
    AgendaSection.DECISION: "For decision",
    AgendaSection.DISCUSSION: "For discussion",
    AgendaSection.INFORMATION: "For information",
}

FILE_TYPES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odt": "OpenDocument text",
    "ods": "OpenDocument spreadsheet",
    "odp": "OpenDocument presentation",
    "rtf": "Rich text",
    "csv": "CSV",
    "txt": "Text",
}


def status_tag(status):
    """(label, CSS class) of the GOV.UK tag for a meeting status."""
    return STATUS_TAGS.get(status, (str(status).capitalize(), ""))


def meeting_row(meeting, request, board=None):
    """A meeting as listed on the home and board pages. Costs no query."""
    label, tag_class = status_tag(meeting.status)
    return {
        "title": meeting.title,
        "url": meeting.get_url(request),
        "when": format_meeting_datetime(meeting.start),
        "start": meeting.start,
        # The building is enough in a list; the meeting page gives the full address.
        "venue": next(iter(venue_lines(meeting.venue)), ""),
        "status": meeting.status,
        "status_label": label,
        "status_class": tag_class,
        "is_private": meeting.is_private,
        "board_title": board.title if board else "",
        "board_url": board.get_url(request) if board else "",
        "published_on": (
            format_date(meeting.first_published_at) if meeting.first_published_at else ""
        ),
    }


def venue_lines(venue):
    """The venue's lines without the trailing commas and full stops agendas print after each."""
    return [line.strip().rstrip(",.").strip() for line in venue.splitlines() if line.strip()]


def user_may_see_exempt_papers(request, board):
    """Whether the signed-in user may see the board's exempt papers; never the public."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    try:
        from .exempt import user_may_see_exempt
    except ImportError:
        # The permission rule is not in place yet: fail closed.
        return False
    return bool(user_may_see_exempt(user, board))


@dataclass
class PaperLink:
    """A downloadable paper as the template shows it."""

    title: str
    url: str
    file_type: str
    size: int | None
    page_range_label: str


@dataclass
class AgendaRow:
    """One agenda item as the template shows it; a withheld exempt item carries only its title."""

    number: str
    title: str
    is_sub_item: bool
    withheld: bool
    item_id: int | None = None
    exempt_label: str = ""
    public_interest_reason: str = ""
    presenter_line: str = ""
    summary: str = ""
    is_verbal: bool = False
    page_range_label: str = ""
    papers: list = field(default_factory=list)
    previous_meeting: dict | None = None
    # The minute(s) recorded against this item, once the meeting's minutes are published.
    minutes: list = field(default_factory=list)
    # For "minutes of the previous meeting": the board's actions open at this meeting
    # (actions_log.carried_forward.CarriedForward).
    carried_forward: object = None


@dataclass
class AgendaGroup:
    """A run of consecutive items in the same section, under its printed heading (if any)."""

    heading: str
    rows: list = field(default_factory=list)


def _document_size(document):
    """The file size without a query: Document.get_file_size() saves when it has to measure."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


def _paper_link(paper, with_pages):
    document = paper.document
    extension = document.file_extension.lower()
    first, last = paper.page_start, paper.page_end or paper.page_start
    if not (first and with_pages):
        pages = ""
    elif first == last:
        pages = f"Page {first}"
    else:
        pages = f"Pages {first} - {last}"
    return PaperLink(
        title=paper.title or document.title,
        url=document.url,
        file_type=FILE_TYPES.get(extension, extension.upper()),
        size=_document_size(document),
        page_range_label=pages,
    )


def _page_range_label(papers):
    """'Pages 12 - 81' over all of an item's papers, as AgendaItem.page_range_label words it."""
    pages = [(p.page_start, p.page_end or p.page_start) for p in papers if p.page_start]
    if not pages:
        return ""
    first, last = min(p[0] for p in pages), max(p[1] for p in pages)
    return f"Page {first}" if first == last else f"Pages {first} - {last}"


@dataclass
class LoadedItem:
    """An agenda item with its papers and its presenters' names, loaded in bulk."""

    item: AgendaItem
    papers: list
    presenter_names: list


def _agenda_row(loaded, request, show_exempt):
    item = loaded.item
    withheld = item.is_exempt and not show_exempt
    row = AgendaRow(
        number=item.display_number,
        title=item.title,
        is_sub_item=bool(item.sub_item),
        withheld=withheld,
        item_id=item.pk,
        exempt_label=item.exempt_label,
    )
    if withheld:
        return row
    row.public_interest_reason = item.public_interest_reason if item.is_exempt else ""
    if item.presenter_text:
        row.presenter_line = item.presenter_text
    elif loaded.presenter_names:
        row.presenter_line = f"Presented by {', '.join(loaded.presenter_names)}"
    row.summary = item.summary
    # The opening items are verbal by nature; the council does not mark them so.
    row.is_verbal = item.is_verbal and item.section != AgendaSection.PROCEDURAL
    row.page_range_label = _page_range_label(loaded.papers)
    several = len(loaded.papers) > 1
    row.papers = [_paper_link(paper, with_pages=several) for paper in loaded.papers]
    previous = item.previous_meeting
    if previous is not None and previous.live:
        row.previous_meeting = {
            "url": previous.get_url(request),
            "date": format_date(previous.start),
        }
    return row


def load_agenda_items(meeting):
    """The meeting's items, papers and presenters' names in three queries, whatever the size.

    Plain grouped queries rather than prefetch_related: on a 15-item agenda the prefetch
    machinery cost more than the queries themselves.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("previous_meeting")
        .order_by("sort_order", "pk")
    )
    papers = defaultdict(list)
    for paper in (
        AgendaPaper.objects.filter(item__meeting=meeting)
        .select_related("document")
        .order_by("sort_order", "pk")
    ):
        papers[paper.item_id].append(paper)
    # Only names: the presenters' contact details have no business on a public page.
    names = defaultdict(list)
    presenters = (
        AgendaItem.presenters.through.objects.filter(agendaitem__meeting=meeting)
        .order_by("person__family_name", "person__given_name", "pk")
        .values_list("agendaitem_id", "person__title", "person__given_name", "person__family_name")
    )
    for item_id, *parts in presenters:
        names[item_id].append(" ".join(part for part in parts if part))
    return [LoadedItem(item, papers[item.pk], names[item.pk]) for item in items]


def draft_agenda_items(meeting):
    """The items of a draft being previewed, which live in memory rather than the database."""
    return [
        LoadedItem(
            item,
            list(item.papers.all()),
            [person.full_name for person in item.presenters.all()],
        )
        for item in meeting.agenda_items.all()
    ]


def build_agenda(items, request, show_exempt):
    """Group loaded items into runs of the same section, keeping the council's order."""
    groups = []
    for loaded in items:
        section = loaded.item.section
        heading = SECTION_HEADINGS.get(section, loaded.item.get_section_display())
        if not groups or groups[-1].heading != heading:
            groups.append(AgendaGroup(heading=heading))
        groups[-1].rows.append(_agenda_row(loaded, request, show_exempt))
    return groups


def _moved_to(meeting, request):
    if not meeting.moved_to_id:
        return None
    target = meeting.moved_to
    if target is None or not target.live:
        return None
    return {"url": target.get_url(request), "when": format_meeting_datetime(target.start)}


def _ends(meeting):
    if not meeting.end:
        return ""
    if timezone.localdate(meeting.end) == timezone.localdate(meeting.start):
        return format_time(meeting.end)
    return format_meeting_datetime(meeting.end)


def _board_of(meeting, ancestors):
    """The meeting's board, loaded with the breadcrumbs rather than by a query of its own."""
    for ancestor in ancestors:
        if ancestor.depth == meeting.depth - 1:
            try:
                return ancestor.boardpage
            except BoardPage.DoesNotExist:
                return None
    return None


def published_minutes(meeting):
    """The meeting's live minutes with their approval status, or None.

    Minutes are the only pages a meeting can have below it, so a meeting with no child pages is
    answered without a query: the agenda page costs nothing more until minutes exist.
    """
    if not meeting.numchild or not meeting.pk:
        return None
    from .minutes import MinutesPage

    return MinutesPage.objects.live().filter(meeting=meeting).with_approval().first()


def attach_minutes(agenda, meeting, board, request, show_exempt):
    """Put each minute under the agenda item it minutes; return what the page says of them."""
    minutes = published_minutes(meeting) if board is not None else None
    if minutes is None:
        return None
    from .minutes_record import minute_rows, status_of, status_tag

    rows = minute_rows(minutes, meeting, board, request, include_exempt=show_exempt)
    by_item = defaultdict(list)
    for row in rows:
        by_item[row.agenda_item_id].append(row)
    for group in agenda:
        for agenda_row in group.rows:
            if agenda_row.item_id is not None:
                agenda_row.minutes = by_item.pop(agenda_row.item_id, [])
    label, tag_class = status_tag(status_of(minutes))
    return {
        "url": minutes.get_url(request),
        "status_label": label,
        "status_class": tag_class,
        # Minutes of business not on the agenda (urgent items, an item since removed).
        "unlinked": [row for row in rows if row.agenda_item_id in by_item],
    }


def meeting_context(meeting, request):
    """The meeting page's context: status notices, the agenda, its downloads and its minutes."""
    frame = page_frame(meeting, request)
    board = _board_of(meeting, frame["ancestors"])
    show_exempt = board is not None and user_may_see_exempt_papers(request, board)
    if getattr(request, "is_preview", False):
        items = draft_agenda_items(meeting)
    else:
        items = load_agenda_items(meeting)
    agenda = build_agenda(items, request, show_exempt)
    has_exempt = any(row.exempt_label for group in agenda for row in group.rows)
    minutes = attach_minutes(agenda, meeting, board, request, show_exempt)
    from actions_log.carried_forward import attach_to_agenda
    from transcription.public_views import transcript_context

    attach_to_agenda(agenda, items, meeting, board, request)

    url = meeting.get_url(request)
    label, tag_class = status_tag(meeting.status)
    updated = meeting.agenda_updated_at
    return {
        "breadcrumbs": frame["breadcrumbs"],
        "board": board,
        "board_url": board.get_url(request) if board else "",
        "when": format_meeting_datetime(meeting.start),
        "ends": _ends(meeting),
        "venue_lines": venue_lines(meeting.venue),
        "status_label": label,
        "status_class": tag_class,
        "is_called_off": meeting.is_called_off,
        "moved_to": _moved_to(meeting, request),
        "published_on": (
            format_meeting_datetime(meeting.first_published_at)
            if meeting.first_published_at
            else ""
        ),
        "updated_on": format_meeting_datetime(updated) if updated else "",
        "agenda": agenda,
        "has_exempt_items": has_exempt,
        "show_exempt": show_exempt,
        "calendar_url": f"{url}calendar.ics",
        "agenda_pack_url": f"{url}agenda-pack.docx",
        "members_pack_url": f"{url}members-pack.docx" if show_exempt else "",
        "minutes": minutes,
        # Published recordings and their public transcript, shown under the agenda items.
        "transcript": transcript_context(meeting, request),
    }
