"""What a reader may see of a meeting's minutes, loaded once for the page, print, Word and agenda.

Every public view of minutes (the minutes page, its print-friendly page, the Word minutes and the
minutes under each item of the meeting page) is built from the plain rows made here. A minute that
is exempt under Schedule 12A, for a reader not allowed to see it, becomes a row with its number,
heading and paragraph only: its narrative, discussion, declarations, resolutions and topics are
never copied into the row, and are not even loaded, so no template or document can show them.

The rows are loaded in a fixed number of queries, whatever the number of minutes: grouped queries
per relation rather than a query per minute.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from .citations import citation_text, decision_path, meeting_day
from .dates import format_date
from .minute_rules import CITATION_RE, board_and_meeting, find_cited_minute
from .minutes import (
    AttendanceGroup,
    AttendanceStatus,
    Declaration,
    MinuteCitation,
    MinuteItem,
    MinuteItemTag,
    MinutesStatus,
    Resolution,
)

# The groups as the council prints them; substitutes sit with the members they stand in for.
PRINTED_GROUPS = [
    ("Members:-", (AttendanceGroup.MEMBER, AttendanceGroup.SUBSTITUTE)),
    ("Report Presenters:-", (AttendanceGroup.PRESENTER,)),
    ("Officers:-", (AttendanceGroup.OFFICER,)),
    ("Observers:-", (AttendanceGroup.OBSERVER,)),
]
DISCUSSION_LEAD = "Discussion ensued with the following issues raised/clarified:-"
RESOLVED_LEAD = "Resolved:-"
BULLETS = ("- ", "• ", "* ", "– ")

STATUS_TAG_CLASSES = {
    MinutesStatus.DRAFT: "govuk-tag--grey",
    MinutesStatus.UNAPPROVED: "govuk-tag--yellow",
    MinutesStatus.APPROVED: "govuk-tag--green",
}


# Rows ------------------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of narrative text; a citation of an earlier minute carries that minute's URL."""

    text: str
    url: str = ""


@dataclass
class TextBlock:
    """A paragraph (lines shown with line breaks) or a bulleted list; each line is segments."""

    is_list: bool
    lines: list

    @property
    def plain_lines(self):
        return ["".join(segment.text for segment in line) for line in self.lines]


@dataclass
class DeclarationRow:
    name: str
    item_label: str
    nature: str

    @property
    def text(self):
        where = f" ({self.item_label})" if self.item_label else ""
        return f"{self.name}{where}: {self.nature}"


@dataclass
class ResolutionRow:
    number: int
    text: str
    action_line: str
    anchor: str
    # Empty when this is not a public decision (exempt minute, unpublished minutes).
    decision_url: str = ""
    citation: str = ""


@dataclass
class TagLink:
    name: str
    url: str


@dataclass
class MinuteRow:
    """One minute as a reader sees it. A withheld row carries its number, heading and paragraph."""

    number: int | None
    heading: str
    anchor: str
    url: str
    withheld: bool
    is_exempt: bool
    exempt_label: str = ""
    agenda_item_id: int | None = None
    blocks: list = field(default_factory=list)
    discussion_points: list = field(default_factory=list)
    declarations: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    approves: dict | None = None

    @property
    def title(self):
        return f"{self.number}. {self.heading}" if self.number else self.heading

    @property
    def discussion_lead(self):
        return DISCUSSION_LEAD

    @property
    def resolved_lead(self):
        return RESOLVED_LEAD


@dataclass
class Attendee:
    name: str
    role: str


@dataclass
class AttendeeGroup:
    heading: str
    attendees: list


@dataclass
class MinutesRecord:
    """A meeting's minutes as one reader may see them."""

    board_title: str
    board_slug: str
    date_label: str
    day: datetime.date
    url: str
    status: str
    status_label: str
    status_class: str
    include_exempt: bool
    approval: dict | None = None
    published_on: str = ""
    corrected_on: str = ""
    attendance: list = field(default_factory=list)
    apologies: str = ""
    items: list = field(default_factory=list)

    @property
    def has_withheld(self):
        return any(row.withheld for row in self.items)

    @property
    def has_exempt_text(self):
        """Whether exempt text is shown: the record must then be kept from the public."""
        return any(row.is_exempt and not row.withheld for row in self.items)

    @property
    def status_line(self):
        if self.approval:
            return (
                f"Approved as a correct record at the meeting of {self.approval['date']} "
                f"(minute {self.approval['number']})"
            )
        return self.status_label


@dataclass
class LoadedMinute:
    """A minute with its related rows, loaded in bulk (or read from a draft in memory)."""

    item: MinuteItem
    resolutions: list = field(default_factory=list)
    declarations: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    # (text as written, cited MinuteItem with its `minutes` loaded, resolution number or None)
    citations: list = field(default_factory=list)


# Wording ---------------------------------------------------------------------------------


def join_names(names):
    """'A, B and C', as the apologies paragraph lists people."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def attendee_role(attendance):
    role = attendance.role_text.strip() or attendance.person.role_line
    notes = []
    if attendance.represents_id and attendance.represents is not None:
        notes.append(f"(representing {attendance.represents.full_name})")
    if attendance.in_the_chair:
        notes.append("(in the Chair)")
    return " ".join(part for part in (role, *notes) if part)


def attendance_groups(attendance):
    """Present attendees under the headings the council prints, in the order entered."""
    present = [a for a in attendance if a.status == AttendanceStatus.PRESENT]
    groups = []
    for heading, kinds in PRINTED_GROUPS:
        attendees = [
            Attendee(name=a.person.full_name, role=attendee_role(a))
            for a in present
            if a.group in kinds
        ]
        if attendees:
            groups.append(AttendeeGroup(heading=heading, attendees=attendees))
    return groups


def apologies_paragraph(attendance, note=""):
    """The officer's wording if given, else one built from the attendance marked 'apologies'."""
    if note.strip():
        return note.strip()
    names = []
    for a in attendance:
        if a.status != AttendanceStatus.APOLOGIES:
            continue
        where = a.role_text.strip() or a.person.organisation
        names.append(f"{a.person.full_name} ({where})" if where else a.person.full_name)
    if not names:
        return ""
    return f"Apologies for absence were received from {join_names(names)}."


def minute_anchor(number, resolution_number=None):
    if resolution_number:
        return f"minute-{number}-{resolution_number}"
    return f"minute-{number}"


def topic_url(slug):
    return f"{reverse('decision_register')}?{urlencode({'topic': slug})}"


def _split_line(line, targets):
    """A line of narrative as segments, each citation linked when its minute is known."""
    segments, position = [], 0
    for match in CITATION_RE.finditer(line):
        url = targets.get(match.group(0), "")
        if not url:
            continue
        if match.start() > position:
            segments.append(Segment(line[position : match.start()]))
        segments.append(Segment(match.group(0), url))
        position = match.end()
    if position < len(line) or not segments:
        segments.append(Segment(line[position:]))
    return segments


def narrative_blocks(narrative, targets):
    """Paragraphs split at blank lines; a paragraph whose every line is bulleted is a list."""
    blocks = []
    for paragraph in narrative.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        is_list = all(line.startswith(BULLETS) for line in lines)
        if is_list:
            lines = [line[2:].strip() for line in lines]
        blocks.append(TextBlock(is_list, [_split_line(line, targets) for line in lines]))
    return blocks


def cited_url(cited, resolution_number, request):
    """Where a citation leads: the cited minute (or resolution) on its published minutes page."""
    # A minute of a draft being previewed may not be attached to its page yet.
    minutes = getattr(cited, "minutes", None)
    if minutes is None or not minutes.live:
        return ""
    page_url = minutes.get_url(request)
    if not page_url:
        return ""
    # An exempt minute shows no resolutions to the public: point at the minute itself.
    number = None if cited.is_exempt else resolution_number
    return f"{page_url}#{minute_anchor(cited.number, number)}"


# Building rows ---------------------------------------------------------------------------


def minute_row(loaded, request, include_exempt, minutes_url, decisions):
    """The row for one minute; `decisions` carries (board, day) when resolutions are decisions."""
    item = loaded.item
    withheld = item.is_exempt and not include_exempt
    row = MinuteRow(
        number=item.number,
        heading=item.heading,
        anchor=minute_anchor(item.number),
        url=f"{minutes_url}#{minute_anchor(item.number)}" if minutes_url else "",
        withheld=withheld,
        is_exempt=item.is_exempt,
        exempt_label=item.exempt_label,
        agenda_item_id=item.agenda_item_id,
    )
    if withheld:
        return row

    targets = {}
    for written, cited, resolution_number in loaded.citations:
        url = cited_url(cited, resolution_number, request)
        if url:
            targets.setdefault(written, url)
    row.blocks = narrative_blocks(item.narrative, targets)
    row.discussion_points = item.discussion_point_list
    row.declarations = [
        DeclarationRow(
            name=declaration.person.full_name,
            item_label=_agenda_item_label(declaration.agenda_item),
            nature=declaration.nature,
        )
        for declaration in loaded.declarations
    ]
    # Resolutions of an exempt minute are never public decisions, even for members.
    public = decisions is not None and not item.is_exempt
    for resolution in loaded.resolutions:
        resolution_row = ResolutionRow(
            number=resolution.number,
            text=resolution.text,
            action_line=resolution.action_line,
            anchor=minute_anchor(item.number, resolution.number),
        )
        if public and item.number and resolution.number:
            board, day = decisions
            resolution_row.decision_url = decision_path(
                board.slug, day, item.number, resolution.number
            )
            resolution_row.citation = citation_text(board, day, item.number, resolution.number)
        row.resolutions.append(resolution_row)
    row.tags = [TagLink(tag.name, topic_url(tag.slug)) for tag in loaded.tags]
    approved = item.approves
    if approved is not None and approved.live and approved.meeting is not None:
        row.approves = {
            "date": format_date(approved.meeting.start),
            "url": approved.get_url(request),
        }
    return row


def _agenda_item_label(agenda_item):
    if agenda_item is None:
        return ""
    number = agenda_item.display_number
    return f"item {number}, {agenda_item.title}" if number else agenda_item.title


# Loading ---------------------------------------------------------------------------------


def load_minutes(minutes, include_exempt):
    """The minutes' items and, for those the reader may see, their rows: seven queries at most."""
    items = list(
        MinuteItem.objects.filter(minutes=minutes)
        .select_related("approves__meeting")
        .order_by("sort_order", "number", "pk")
    )
    loaded = {item.pk: LoadedMinute(item) for item in items}
    # Exempt text is not even read for a reader who may not see it.
    visible = [item.pk for item in items if include_exempt or not item.is_exempt]
    if visible:
        for resolution in Resolution.objects.filter(minute_id__in=visible).order_by(
            "minute_id", "sort_order", "number", "pk"
        ):
            loaded[resolution.minute_id].resolutions.append(resolution)
        for declaration in (
            Declaration.objects.filter(minute_id__in=visible)
            .select_related("person", "agenda_item")
            .order_by("minute_id", "sort_order", "pk")
        ):
            loaded[declaration.minute_id].declarations.append(declaration)
        for tagged in (
            MinuteItemTag.objects.filter(content_object_id__in=visible)
            .select_related("tag")
            .order_by("tag__name")
        ):
            loaded[tagged.content_object_id].tags.append(tagged.tag)
        citations = list(
            MinuteCitation.objects.filter(citing_id__in=visible).select_related("cited__minutes")
        )
        found = existing_resolutions(
            {(c.cited_id, c.resolution_number) for c in citations if c.resolution_number}
        )
        for citation in citations:
            # "Minute No. 36(2)" leads to resolution (2) only where the page shows one.
            number = citation.resolution_number
            if (citation.cited_id, number) not in found:
                number = None
            loaded[citation.citing_id].citations.append((citation.text, citation.cited, number))
    return list(loaded.values())


def existing_resolutions(wanted):
    """Which of these (minute id, resolution number) pairs exist: one query, or none."""
    if not wanted:
        return set()
    return set(
        Resolution.objects.filter(minute_id__in={minute_id for minute_id, _ in wanted}).values_list(
            "minute_id", "number"
        )
    ) & set(wanted)


def draft_minutes(minutes, include_exempt):
    """The minutes of a draft being previewed: read from memory, citations looked up one by one."""
    board, meeting = board_and_meeting(minutes)
    items = list(minutes.minute_items.all())
    result = []
    for item in items:
        loaded = LoadedMinute(item)
        result.append(loaded)
        if item.is_exempt and not include_exempt:
            continue
        loaded.resolutions = list(item.resolutions.all())
        loaded.declarations = list(item.declarations.all())
        loaded.tags = sorted(item.tags.all(), key=lambda tag: tag.name)
        for match in CITATION_RE.finditer(item.narrative or ""):
            number = int(match.group(1))
            resolution = int(match.group(2)) if match.group(2) else None
            # As on publication: a minute of these same minutes first, else an earlier meeting's.
            cited = next((i for i in items if i.number == number and i is not item), None)
            cited = cited or find_cited_minute(board, meeting, number)
            if cited is None:
                continue
            if resolution and not any(r.number == resolution for r in cited.resolutions.all()):
                resolution = None
            loaded.citations.append((match.group(0), cited, resolution))
    return result


def approving_minute(minutes):
    """The earliest published minute of a later meeting that approved these minutes."""
    return (
        minutes.approvals.filter(minutes__live=True)
        .select_related("minutes__meeting")
        .order_by("minutes__meeting__start", "pk")
        .first()
    )


def status_of(minutes, approval_known=None):
    """The minutes' status; `approval_known` spares the query when the caller already knows."""
    if not minutes.live:
        return MinutesStatus.DRAFT
    approved = approval_known
    if approved is None:
        approved = getattr(minutes, "is_approved", None)
    if approved is None:
        approved = minutes.approvals.filter(minutes__live=True).exists()
    return MinutesStatus.APPROVED if approved else MinutesStatus.UNAPPROVED


def status_tag(status):
    """(label, GOV.UK tag class) for a minutes status."""
    return MinutesStatus(status).label, STATUS_TAG_CLASSES.get(status, "")


def minute_rows(minutes, meeting, board, request, include_exempt, *, preview=False):
    """Just the rows of the minutes (for the meeting page): the items' queries and no more."""
    loaded = (
        draft_minutes(minutes, include_exempt) if preview else load_minutes(minutes, include_exempt)
    )
    minutes_url = minutes.get_url(request) or ""
    decisions = None
    # A resolution is a public decision only once its minutes, meeting and board are all live.
    if minutes.live and meeting.live and board.live and not preview:
        decisions = (board, meeting_day(meeting))
    return [minute_row(m, request, include_exempt, minutes_url, decisions) for m in loaded]


def build_record(minutes, meeting, board, request, include_exempt, *, preview=False):
    """Everything the minutes page, print page and Word minutes show, for one reader."""
    if preview:
        attendance = list(minutes.attendance.all())
    else:
        attendance = list(
            minutes.attendance.select_related("person", "represents").order_by("sort_order", "pk")
        )
    approval = approving_minute(minutes) if minutes.live and minutes.pk else None
    status = status_of(minutes, approval_known=approval is not None)
    label, tag_class = status_tag(status)

    record = MinutesRecord(
        board_title=board.title,
        board_slug=board.slug,
        date_label=format_date(meeting.start),
        day=meeting_day(meeting),
        url=minutes.get_url(request) or "",
        status=status,
        status_label=label,
        status_class=tag_class,
        include_exempt=include_exempt,
        attendance=attendance_groups(attendance),
        apologies=apologies_paragraph(attendance, minutes.apologies_note),
        items=minute_rows(minutes, meeting, board, request, include_exempt, preview=preview),
    )
    if approval is not None:
        approving_page = approval.minutes
        page_url = approving_page.get_url(request) or ""
        record.approval = {
            "date": format_date(approving_page.meeting.start),
            "number": approval.number,
            "url": f"{page_url}#{minute_anchor(approval.number)}" if page_url else "",
        }
    if minutes.first_published_at:
        record.published_on = format_date(minutes.first_published_at)
    # The model decides what counts as a correction (a later published revision).
    if minutes.corrected_at:
        record.corrected_on = format_date(minutes.corrected_at)
    return record
