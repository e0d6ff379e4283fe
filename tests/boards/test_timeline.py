"""The SVG timeline of a year of duties: bars for windows, marks for meetings, laid out from
fixed data (no database), and drawn as an accessible picture."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from boards.duties import Duty, Obligation, ObligationStatus
from boards.duty_listing import ObligationRow
from boards.obligation_status import StatusResult, window_text
from boards.timeline import (
    LANE_HEIGHT,
    PLOT_LEFT,
    PLOT_RIGHT,
    STYLES,
    build_timeline,
    render_timeline,
)

D = datetime.date
S = ObligationStatus
SVG = "{http://www.w3.org/2000/svg}"
SPAN = PLOT_RIGHT - PLOT_LEFT


def row(title, receiver, start, end, status, pk):
    obligation = Obligation(
        pk=pk,
        duty=Duty(title=title, slug=f"duty-{pk}"),
        receiver_body=receiver,
        period_label="A period",
        window_start=start,
        window_end=end,
    )
    result = StatusResult(pk, status, f"Because of {pk}")
    return ObligationRow(
        obligation=obligation,
        result=result,
        reason=result.reason,
        tag_class="",
        window=window_text(obligation),
    )


@pytest.fixture
def rows():
    return [
        # Two overlapping windows to the HWB: two lanes.
        row("SAB annual report", "HWB", D(2016, 9, 1), D(2016, 11, 30), S.MET, 1),
        row("LSCB annual report", "HWB", D(2016, 9, 1), D(2016, 11, 30), S.AT_RISK, 2),
        # A window that starts the year before: clipped at 1 January.
        row("Winter plan", "HWB", D(2015, 12, 1), D(2016, 2, 29), S.MISSED, 3),
        # A plain deadline to an outside body: a diamond.
        row("Mid-point update", "Health Select Commission", None, D(2016, 7, 31), S.DUE, 4),
        row("BCF quarterly report", "SRP", D(2016, 4, 1), D(2016, 6, 30), S.PLANNED, 5),
    ]


@pytest.fixture
def meetings():
    return {
        "HWB": [
            (D(2016, 1, 13), "HWB", False),
            (D(2016, 11, 16), "HWB", False),
            (D(2016, 9, 14), "HWB", True),
        ],
        "SRP": [(D(2016, 5, 4), "SRP", False)],
        "Overview and Scrutiny": [(D(2016, 3, 3), "OSMB", False)],
    }


def x_of(day):
    """Where a day starts in 2016, a leap year of 366 days."""
    return PLOT_LEFT + (day - D(2016, 1, 1)).days / 366 * SPAN


def test_one_row_per_receiver_with_meetings_only_rows_last(rows, meetings):
    timeline = build_timeline(2016, rows, meetings)
    assert [r.name for r in timeline.rows] == [
        "Health Select Commission",
        "HWB",
        "SRP",
        "Overview and Scrutiny",
    ]
    assert [len(r.bars) for r in timeline.rows] == [1, 3, 1, 0]
    assert [len(r.marks) for r in timeline.rows] == [0, 3, 1, 1]


def test_bars_span_their_windows_in_the_year(rows, meetings):
    timeline = build_timeline(2016, rows, meetings)
    bars = {bar.row.obligation.pk: bar for bar in timeline.bars}
    september = bars[1]
    assert september.x == pytest.approx(x_of(D(2016, 9, 1)))
    assert september.x + september.width == pytest.approx(x_of(D(2016, 12, 1)))
    winter = bars[3]
    assert winter.x == pytest.approx(PLOT_LEFT)
    assert winter.continues_before and not winter.continues_after
    assert winter.x + winter.width == pytest.approx(x_of(D(2016, 3, 1)))
    deadline = bars[4]
    assert deadline.is_deadline and deadline.x == pytest.approx(x_of(D(2016, 7, 31)))


def test_overlapping_windows_get_lanes_and_the_row_grows(rows, meetings):
    timeline = build_timeline(2016, rows, meetings)
    hwb = timeline.rows[1]
    lanes = {bar.row.obligation.pk: bar.lane for bar in hwb.bars}
    assert lanes[1] != lanes[2]
    assert lanes[3] == 0  # January to February overlaps neither
    srp = timeline.rows[2]
    assert hwb.height == srp.height + LANE_HEIGHT


def test_meetings_are_marks_on_their_day(rows, meetings):
    timeline = build_timeline(2016, rows, meetings)
    marks = {mark.day: mark for mark in timeline.rows[1].marks}
    assert marks[D(2016, 11, 16)].x == pytest.approx(x_of(D(2016, 11, 16)))
    assert marks[D(2016, 9, 14)].called_off
    assert not marks[D(2016, 1, 13)].called_off


def test_a_wide_bar_says_its_status_and_duty_a_narrow_one_its_status(rows, meetings):
    narrow = row("Monthly return", "SRP", D(2016, 8, 1), D(2016, 8, 10), S.MISSED, 6)
    timeline = build_timeline(2016, rows + [narrow], meetings)
    bars = {bar.row.obligation.pk: bar for bar in timeline.bars}
    assert bars[1].text == "Met: SAB annual report"
    assert bars[6].text == ""  # ten days are too narrow even for "Missed"
    assert bars[5].text.startswith("Planned")


def test_the_summary_counts_windows_statuses_and_meetings(rows, meetings):
    timeline = build_timeline(2016, rows, meetings, today=D(2016, 10, 1))
    assert timeline.summary.startswith(
        "5 windows of duties in 2016 across 4 boards or bodies (1 missed, 1 at risk, 1 due, "
        "1 planned, 1 met), and 5 meetings."
    )
    assert timeline.today_x == pytest.approx(x_of(D(2016, 10, 1)))
    assert build_timeline(2017, rows, meetings, today=D(2016, 10, 1)).today_x is None


def test_the_svg_is_an_accessible_picture_of_the_same_data(rows, meetings):
    svg = ET.fromstring(str(render_timeline(build_timeline(2016, rows, meetings))))  # noqa: S314
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Timeline of duties between boards, 2016"
    bars = svg.findall(f".//{SVG}g[@class='duty-timeline__bar']")
    assert sorted(b.get("data-status") for b in bars) == [
        "at_risk",
        "due",
        "met",
        "missed",
        "planned",
    ]
    met = next(b for b in bars if b.get("data-status") == "met")
    assert met.find(f"{SVG}title").text == (
        "SAB annual report to HWB, 1 September to 30 November 2016: Met. Because of 1."
    )
    assert met.find(f"{SVG}rect").get("fill") == STYLES[S.MET].fill
    deadline = next(b for b in bars if b.get("data-status") == "due")
    assert deadline.find(f"{SVG}polygon") is not None
    marks = svg.findall(f".//{SVG}polygon[@class='duty-timeline__meeting']")
    assert len(marks) == 5
    hollow = [m.get("data-day") for m in marks if m.get("fill") == "#ffffff"]
    assert hollow == ["2016-09-14"]
    months = [t.text for t in svg.findall(f"./{SVG}g[@class='duty-timeline__months']/{SVG}text")]
    assert months[0] == "Jan" and months[-1] == "Dec" and len(months) == 12


def test_each_status_differs_by_more_than_colour():
    """A pattern, or a dashed or plain outline without one: no two statuses look alike in grey."""
    looks = {(style.pattern, style.dashed) for style in STYLES.values()}
    assert len(looks) == len(STYLES)
    plain = [status for status, style in STYLES.items() if not style.pattern and not style.dashed]
    assert plain == [S.MET]  # the only solid bar; every other has a pattern or a dashed outline


def test_text_is_escaped(meetings):
    evil = row("<script>alert(1)</script>", "HWB", D(2016, 1, 1), D(2016, 12, 31), S.DUE, 9)
    svg = str(render_timeline(build_timeline(2016, [evil], meetings)))
    assert "<script>" not in svg
    ET.fromstring(svg)  # noqa: S314 (our own markup, checked to be well formed)
