"""A picture of a year of duties: each receiving board's windows as bars, its meetings as marks.

Drawn on the server as SVG, so it needs no JavaScript and prints. A gap shows before it is read:
a bar with no mark under it is a window with no meeting of the board to take the report. Colour
is never the only cue: each status has its own fill pattern or outline and, where the bar is wide
enough, its name written on it; the page gives the same facts as a table (WCAG 1.1.1, 1.4.1).

`build_timeline` does the layout (plain numbers, easy to test); `render_timeline` draws it
(boards/timeline_svg.py).
"""

import calendar
import datetime
from dataclasses import dataclass, field

from meetings.dates import format_date

from .duties import ObligationStatus
from .duty_listing import STATUS_ORDER
from .obligation_status import local_day

WIDTH = 960
LABEL_WIDTH = 220  # the board names on the left
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 20
TOP = 44  # month names above the first row
LANE_HEIGHT = 26
BAR_HEIGHT = 20
MARK_BAND = 16  # the meetings' marks under the bars
ROW_GAP = 12
CHAR_WIDTH = 6.6  # an estimate of a 12px character's width, to decide whether a label fits


def _points(points):
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


@dataclass(frozen=True)
class StatusStyle:
    """How a status is drawn: GOV.UK tag colours, and a pattern or outline so colour is not the
    only cue."""

    fill: str
    stroke: str
    pattern: str  # "" for none
    dashed: bool
    meaning: str


STYLES = {
    ObligationStatus.MISSED: StatusStyle(
        "#f4d7d7", "#651b1b", "back-diagonal", False, "the window closed and it was not met"
    ),
    ObligationStatus.AT_RISK: StatusStyle(
        "#fde4d7", "#7a3c1c", "cross-hatch", False, "no meeting is left, or time is short"
    ),
    ObligationStatus.DUE: StatusStyle(
        "#ffee80", "#594d00", "horizontal", False, "the window is open, nothing planned yet"
    ),
    ObligationStatus.NOT_YET_DUE: StatusStyle(
        "#ffffff", "#505a5f", "", True, "the window has not opened"
    ),
    ObligationStatus.PLANNED: StatusStyle(
        "#d2e2f1", "#0c2d4a", "diagonal", False, "an agenda item in the window is linked"
    ),
    ObligationStatus.MET: StatusStyle(
        "#cfe4dc", "#083d29", "", False, "the minutes of the meeting that took it are published"
    ),
    ObligationStatus.WAIVED: StatusStyle(
        "#ddd6ec", "#2a1950", "dots", False, "it no longer applies, for the reason given"
    ),
}


@dataclass
class Bar:
    row: object  # an ObligationRow
    x: float
    width: float
    y: float = 0
    lane: int = 0
    text: str = ""
    text_x: float = 0
    continues_before: bool = False
    continues_after: bool = False
    is_deadline: bool = False

    @property
    def status(self):
        return self.row.status

    @property
    def style(self):
        return STYLES[self.row.status]

    @property
    def text_y(self):
        return self.y + 14

    @property
    def description(self):
        """What a pointer's tooltip says: duty, receiver, window, status and reason."""
        row = self.row
        return (
            f"{row.obligation.duty.title} to {row.receiver_name}, {row.window}: "
            f"{row.status_label}. {row.reason_sentence}"
        )

    @property
    def deadline_points(self):
        """A diamond marking a plain deadline."""
        cx, cy, r = self.x, self.y + BAR_HEIGHT / 2, BAR_HEIGHT / 2
        return _points([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])


@dataclass
class Mark:
    x: float
    y: float
    day: datetime.date
    title: str
    called_off: bool

    @property
    def points(self):
        return _points([(self.x, self.y), (self.x - 5, self.y + 10), (self.x + 5, self.y + 10)])

    @property
    def description(self):
        state = " (called off)" if self.called_off else ""
        return f"{self.title}: {format_date(self.day)}{state}"


@dataclass
class Row:
    name: str
    y: float
    height: float
    bars: list = field(default_factory=list)
    marks: list = field(default_factory=list)

    @property
    def label_y(self):
        return self.y + LANE_HEIGHT / 2 + 4

    @property
    def label_lines(self):
        """The board's name in at most two lines that fit the label column."""
        return wrap_label(self.name)

    @property
    def rule_y(self):
        return self.y + self.height + ROW_GAP / 2


@dataclass
class Month:
    x: float
    label: str
    name: str
    text_x: float


@dataclass
class Timeline:
    year: int
    width: int
    height: float
    months: list
    rows: list
    today_x: float | None
    title: str
    summary: str
    legend: list
    id_prefix: str = "duty-timeline"

    @property
    def bars(self):
        return [bar for row in self.rows for bar in row.bars]

    @property
    def marks(self):
        return [mark for row in self.rows for mark in row.marks]

    @property
    def plot_left(self):
        return PLOT_LEFT

    @property
    def plot_right(self):
        return PLOT_RIGHT

    @property
    def plot_bottom(self):
        return self.height - 8


def _scale(year):
    first = datetime.date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    span = PLOT_RIGHT - PLOT_LEFT

    def x(day):
        return PLOT_LEFT + (day - first).days / days * span

    return x


def _lanes(bars):
    """Give overlapping bars of one row their own lanes; returns the number of lanes."""
    ends = []
    for bar in sorted(bars, key=lambda b: (b.x, -b.width)):
        right = bar.x + max(bar.width, BAR_HEIGHT / 2) + 2
        left = bar.x - (BAR_HEIGHT / 2 if bar.is_deadline else 0)
        for lane, end in enumerate(ends):
            if left >= end:
                bar.lane, ends[lane] = lane, right
                break
        else:
            bar.lane = len(ends)
            ends.append(right)
    return max(len(ends), 1)


def _bar_text(bar, short_title):
    """The words that fit on the bar: status and duty, or the status only, or nothing."""
    room = bar.width - 8
    label = bar.row.status_label
    full = f"{label}: {short_title}"
    if len(full) * CHAR_WIDTH <= room:
        return full
    if len(label) * CHAR_WIDTH <= room:
        return label
    return ""


LABEL_CHARS = 30  # characters of a 13px bold label that fit LABEL_WIDTH


def wrap_label(name, width=LABEL_CHARS):
    """Up to two lines of whole words; a longer name ends with an ellipsis."""
    lines, current = [], ""
    for word in name.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= width else line[: width - 1].rstrip() + "…" for line in lines]


def short_title(duty):
    return duty.title if len(duty.title) <= 40 else duty.title[:38].rstrip() + "…"


def build_timeline(year, rows, meetings_by_receiver, *, today=None, id_prefix="duty-timeline"):
    """Lay out `rows` (ObligationRows) of `year` by receiving board or body.

    `meetings_by_receiver` maps a receiver's name to [(date, title, called_off)] of its meetings
    in the year. Receivers keep the order they first appear in `rows` after sorting by name.
    """
    x = _scale(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    by_receiver = {}
    for row in rows:
        by_receiver.setdefault(row.receiver_name, []).append(row)
    names = sorted(by_receiver, key=str.casefold)
    for name in sorted(meetings_by_receiver, key=str.casefold):
        if name not in by_receiver and meetings_by_receiver[name]:
            names.append(name)

    layout_rows = []
    y = TOP
    for name in names:
        bars = []
        for row in by_receiver.get(name, []):
            o = row.obligation
            end = min(o.window_end, last)
            if o.window_start is None:
                bar = Bar(row=row, x=x(o.window_end), width=0, is_deadline=True)
            else:
                start = max(o.window_start, first)
                left, right = x(start), x(end + datetime.timedelta(days=1))
                bar = Bar(row=row, x=left, width=max(right - left, 3))
                bar.continues_before = o.window_start < first
                bar.continues_after = o.window_end > last
                bar.text = _bar_text(bar, short_title(o.duty))
                bar.text_x = bar.x + 4
            bars.append(bar)
        lanes = _lanes(bars)
        for bar in bars:
            bar.y = y + bar.lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2
        marks_y = y + lanes * LANE_HEIGHT + 2
        marks = [
            Mark(x=x(day), y=marks_y, day=day, title=title, called_off=called_off)
            for day, title, called_off in meetings_by_receiver.get(name, [])
            if first <= day <= last
        ]
        height = lanes * LANE_HEIGHT + MARK_BAND
        layout_rows.append(Row(name=name, y=y, height=height, bars=bars, marks=marks))
        y += height + ROW_GAP

    months = []
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        following = datetime.date(year + 1, 1, 1) if month == 12 else start.replace(month=month + 1)
        months.append(
            Month(
                x=x(start),
                label=f"{start:%b}",
                name=f"{start:%B}",
                text_x=(x(start) + x(following)) / 2,
            )
        )
    today_x = x(today) if today is not None and first <= today <= last else None

    bar_count = sum(len(r.bars) for r in layout_rows)
    mark_count = sum(len(r.marks) for r in layout_rows)
    counts = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    parts = [f"{counts[s]} {s.label.lower()}" for s in STATUS_ORDER if counts.get(s)]
    summary = (
        f"{bar_count} window{'' if bar_count == 1 else 's'} of duties in {year} across "
        f"{len(layout_rows)} board{'' if len(layout_rows) == 1 else 's'} or bodies"
        + (f" ({', '.join(parts)})" if parts else "")
        + f", and {mark_count} meeting{'' if mark_count == 1 else 's'}. "
        "Each row is a receiving board; bars are the windows, triangles under them the meetings. "
        "The same facts are in the table after the picture."
    )
    legend = [
        {"status": status.value, "label": status.label, "style": STYLES[status]}
        for status in STATUS_ORDER
    ]
    return Timeline(
        year=year,
        width=WIDTH,
        height=max(y, TOP + LANE_HEIGHT) + 8,
        months=months,
        rows=layout_rows,
        today_x=today_x,
        title=f"Timeline of duties between boards, {year}",
        summary=summary,
        legend=legend,
        id_prefix=id_prefix,
    )


def meetings_in_year(boards, year, *, visibility=None):
    """{board title: [(date, title, called off)]} of the boards' meetings in `year`: one query.

    With `visibility` (the public page), only published meetings the public may see.
    """
    from django.db.models import Q
    from django.utils import timezone

    from meetings.models import CALLED_OFF, MeetingPage

    boards = list(boards)
    if not boards:
        return {}
    by_path = {board.path: board for board in boards}
    children = Q()
    for board in boards:
        children |= Q(path__startswith=board.path, depth=board.depth + 1)
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    meetings = MeetingPage.objects.filter(children, start__gte=start, start__lt=end)
    if visibility is not None:
        meetings = meetings.filter(live=True)
    found = {board.title: [] for board in boards}
    steplen = MeetingPage.steplen
    # Plain rows: building a page object for each of a year's meetings costs more than the rest.
    rows = meetings.order_by("start").values_list("path", "start", "status", "title", "live")
    for path, start, status, title, live in rows:
        board = by_path.get(path[:-steplen])
        if board is None or (visibility is not None and not visibility.path_is_public(path, live)):
            continue
        found[board.title].append((local_day(start), title, status in CALLED_OFF))
    return found


def render_timeline(timeline):
    """The SVG markup, safe to insert in a page (see boards/timeline_svg.py)."""
    from .timeline_svg import draw

    return draw(timeline)
