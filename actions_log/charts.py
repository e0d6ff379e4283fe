"""Each board's actions at a glance: open, overdue and completed over the last twelve months.

The figures come from one query for all the boards (board, raised_on, due_on, completed_on,
status), then are counted in Python for each month:

- **open** at the end of a month: raised by then and not closed by then (includes overdue);
- **overdue** at the end of a month: open then, with a due date before then;
- **completed** during the month: completed on a day of that month.

Completed actions are counted in the month they were completed rather than cumulatively, so that
years of imported minutes do not flatten the open and overdue lines. A "no longer required"
action closes on its `completed_on` date when it has one; one without a date has no known closing
day, so it is left out of the chart. The current month ends today.

The chart is an accessible SVG drawn on the server (role="img", a title and a description that
gives the latest figures), with the same figures in a table for screen readers and for copying.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join

from .models import CLOSED_STATUSES, OPEN_STATUSES, Action, ActionStatus

MONTHS = 12


@dataclass
class MonthFigures:
    """The figures for one month of one board."""

    month_end: datetime.date
    open: int = 0
    overdue: int = 0
    completed: int = 0

    @property
    def label(self):
        return f"{self.month_end:%B %Y}"

    @property
    def short_label(self):
        return f"{self.month_end:%b}"


def month_ends(today, months=MONTHS):
    """The last day of each of the last `months` months, oldest first; the current month's
    "end" is today."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def _closed_on(raised_on, completed_on, status):
    """The day an action closed, None if it is still open, or False if unknown."""
    if status in OPEN_STATUSES:
        return None
    if completed_on is not None:
        return completed_on
    # A completed action always has a date (Action.save sets it); should one not, count it
    # from the day it was raised. "No longer required" without a date: unknown.
    return raised_on if status == ActionStatus.COMPLETED else False


def count_months(rows, ends):
    """[MonthFigures] for `ends` from rows of (raised_on, due_on, completed_on, status)."""
    figures = [MonthFigures(end) for end in ends]
    starts = [end.replace(day=1) for end in ends]
    for raised_on, due_on, completed_on, status in rows:
        closed_on = _closed_on(raised_on, completed_on, status)
        if closed_on is False or raised_on is None:
            continue
        for month, start in zip(figures, starts, strict=True):
            day = month.month_end
            if raised_on <= day and (closed_on is None or closed_on > day):
                month.open += 1
                if due_on is not None and due_on < day:
                    month.overdue += 1
            if status == ActionStatus.COMPLETED and start <= closed_on <= day:
                month.completed += 1
    return figures


def board_rows(boards, since):
    """One query: every action of `boards` that could count from `since` on."""
    return (
        Action.objects.filter(board__in=boards)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(completed_on__isnull=True)
            | Q(completed_on__gte=since, status__in=CLOSED_STATUSES)
        )
        .with_due()
        .values_list("board_id", "raised_on", "due_on", "completed_on", "status")
    )


def figures_by_board(boards, today=None, months=MONTHS):
    """{board id: [MonthFigures]} for each of `boards` (a list), in two queries at most."""
    today = today or timezone.localdate()
    ends = month_ends(today, months)
    rows = {board.pk: [] for board in boards}
    if rows:
        for board_id, *row in board_rows(list(rows), since=ends[0].replace(day=1)):
            rows[board_id].append(row)
    return {board_id: count_months(board_rows_, ends) for board_id, board_rows_ in rows.items()}


# Drawing ---------------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 44


@dataclass
class Series:
    key: str
    label: str
    colour: str
    dash: str
    marker: str
    values: list = field(default_factory=list)
    points: list = field(default_factory=list)

    @property
    def polyline(self):
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)

    @property
    def markers(self):
        """A marker at each point, shaped by series, so that colour is not the only cue."""
        if self.marker == "circle":
            template = '<circle cx="{}" cy="{}" r="4" fill="{}"/>'
            args = ((x, y) for x, y in self.points)
        elif self.marker == "square":
            template = '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>'
            args = ((x - 4, y - 4) for x, y in self.points)
        else:
            template = '<polygon points="{},{} {},{} {},{}" fill="{}"/>'
            args = ((x, y - 5, x + 5, y + 5, x - 5, y + 5) for x, y in self.points)
        return format_html_join(
            "", template, ([f"{n:.1f}" for n in numbers] + [self.colour] for numbers in args)
        )


SERIES = (
    ("open", "Open at the end of the month (including overdue)", "#1d70b8", "", "circle"),
    ("overdue", "Overdue at the end of the month", "#d4351c", "8 4", "square"),
    ("completed", "Completed during the month", "#00703c", "2 4", "triangle"),
)


def _nice_step(top):
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top))


@dataclass
class Chart:
    """Everything the template needs to draw one board's chart."""

    chart_id: str
    title: str
    description: str
    figures: list
    series: list
    y_ticks: list
    x_labels: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    tick_label_x: int = LEFT - 6
    month_label_y: int = HEIGHT - BOTTOM + 16
    year_label_y: int = HEIGHT - BOTTOM + 32


def build_chart(chart_id, board_title, figures):
    """Place the figures on the chart: y grows with the largest figure, in round steps."""
    top_value = max([1] + [max(f.open, f.overdue, f.completed) for f in figures])
    step = _nice_step(top_value)
    y_max = step * -(-top_value // step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(figures)

    def x_at(index):
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y_at(value):
        return TOP + plot_h - plot_h * value / y_max

    series = []
    for key, label, colour, dash, marker in SERIES:
        values = [getattr(f, key) for f in figures]
        points = [(x_at(i), y_at(v)) for i, v in enumerate(values)]
        series.append(Series(key, label, colour, dash, marker, values, points))
    y_ticks = [{"value": value, "y": f"{y_at(value):.1f}"} for value in range(0, y_max + 1, step)]
    x_labels = []
    for index, month in enumerate(figures):
        first_or_january = index == 0 or month.month_end.month == 1
        x_labels.append(
            {
                "x": f"{x_at(index):.1f}",
                "month": month.short_label,
                "year": month.month_end.year if first_or_january else "",
            }
        )
    latest = figures[-1] if figures else MonthFigures(timezone.localdate())
    first = figures[0] if figures else latest
    description = (
        f"Line chart of the {board_title}'s actions, {first.label} to {latest.label}. "
        f"On {latest.month_end.day} {latest.label}: {latest.open} open, {latest.overdue} "
        f"overdue; {latest.completed} completed in {latest.month_end:%B}. "
        f"Highest open: {max((f.open for f in figures), default=0)}."
    )
    return Chart(
        chart_id=chart_id,
        title=f"{board_title}: open, overdue and completed actions over the last year",
        description=description,
        figures=figures,
        series=series,
        y_ticks=y_ticks,
        x_labels=x_labels,
    )
