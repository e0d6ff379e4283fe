"""Drawing a laid-out Timeline (boards/timeline.py) as SVG markup.

Written with plain string building rather than a template: a year of a busy council has a few
hundred shapes, and a template's per-variable lookups cost more than the rest of the page. Every
text is escaped with `escape`, so the result is safe to insert in a page.
"""

from html import escape

from django.utils.safestring import mark_safe

from .timeline import BAR_HEIGHT

FONT = "arial, 'Helvetica Neue', helvetica, sans-serif"
GRID = "#b1b4b6"
INK = "#0b0c0c"
NEXT_LINE = ' dy="16"'  # a board name's second line

# The fill patterns named by StatusStyle.pattern, each in its status's ink colour.
PATTERNS = {
    "diagonal": (
        'width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#0c2d4a" stroke-width="2" '
        'stroke-opacity="0.45"/>'
    ),
    "back-diagonal": (
        'width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#651b1b" stroke-width="2" '
        'stroke-opacity="0.5"/>'
    ),
    "cross-hatch": (
        'width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<path d="M0 0V8M0 0H8" stroke="#7a3c1c" stroke-width="1.5" stroke-opacity="0.5" '
        'fill="none"/>'
    ),
    "horizontal": (
        'width="8" height="6" patternUnits="userSpaceOnUse">'
        '<line x1="0" y1="1" x2="8" y2="1" stroke="#594d00" stroke-width="1.5" '
        'stroke-opacity="0.45"/>'
    ),
    "dots": (
        'width="7" height="7" patternUnits="userSpaceOnUse">'
        '<circle cx="3.5" cy="3.5" r="1.4" fill="#2a1950" fill-opacity="0.55"/>'
    ),
}


def n(value):
    """A coordinate: one decimal, never localised."""
    return f"{value:.1f}"


def text(value):
    return escape(str(value), quote=True)


def _defs(prefix):
    patterns = "".join(
        f'<pattern id="{prefix}-{name}" {body}</pattern>' for name, body in PATTERNS.items()
    )
    return f"<defs>{patterns}</defs>"


def _months(timeline):
    bottom = n(timeline.plot_bottom)
    parts = [f'<g class="duty-timeline__months" font-size="12" fill="{INK}">']
    for month in timeline.months:
        parts.append(
            f'<line x1="{n(month.x)}" y1="30" x2="{n(month.x)}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{n(month.text_x)}" y="26" text-anchor="middle">{text(month.label)}</text>'
        )
    right = n(timeline.plot_right)
    parts.append(
        f'<line x1="{right}" y1="30" x2="{right}" y2="{bottom}" stroke="{GRID}" '
        'stroke-width="1"/></g>'
    )
    return "".join(parts)


def _bar(bar, prefix, plot_right):
    style = bar.style
    stroke = f'stroke="{style.stroke}" stroke-width="2"'
    parts = [
        f'<g class="duty-timeline__bar" data-status="{text(bar.status)}" '
        f'data-obligation="{text(bar.row.obligation.pk)}"><title>{text(bar.description)}</title>'
    ]
    if bar.is_deadline:
        points = bar.deadline_points
        dashed = ' stroke-dasharray="4 3"' if style.dashed else ""
        parts.append(f'<polygon points="{points}" fill="{style.fill}" {stroke}{dashed}/>')
        if style.pattern:
            parts.append(f'<polygon points="{points}" fill="url(#{prefix}-{style.pattern})"/>')
    else:
        box = f'x="{n(bar.x)}" y="{n(bar.y)}" width="{n(bar.width)}" height="{BAR_HEIGHT}" rx="3"'
        dashed = ' stroke-dasharray="5 3"' if style.dashed else ""
        parts.append(f'<rect {box} fill="{style.fill}" {stroke}{dashed}/>')
        if style.pattern:
            parts.append(f'<rect {box} fill="url(#{prefix}-{style.pattern})"/>')
        if bar.continues_before:
            parts.append(f'<path d="M{n(bar.x)} {n(bar.y)}l-6 10l6 10z" fill="{style.stroke}"/>')
        if bar.continues_after:
            edge = n(plot_right)
            parts.append(f'<path d="M{edge} {n(bar.y)}l6 10l-6 10z" fill="{style.stroke}"/>')
        if bar.text:
            parts.append(
                f'<text x="{n(bar.text_x)}" y="{n(bar.text_y)}" font-size="12" font-weight="bold" '
                f'fill="{style.stroke}" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
                f'stroke-linejoin="round">{text(bar.text)}</text>'
            )
    parts.append("</g>")
    return "".join(parts)


def _mark(mark):
    fill = "#ffffff" if mark.called_off else INK
    return (
        f'<polygon class="duty-timeline__meeting" data-day="{mark.day:%Y-%m-%d}" '
        f'data-called-off="{"true" if mark.called_off else "false"}" points="{mark.points}" '
        f'fill="{fill}" stroke="{INK}" stroke-width="1.5"><title>{text(mark.description)}</title>'
        "</polygon>"
    )


def _row(row, timeline):
    prefix = timeline.id_prefix
    lines = "".join(
        f'<tspan x="0"{NEXT_LINE if index else ""}>{text(line)}</tspan>'
        for index, line in enumerate(row.label_lines)
    )
    parts = [
        f'<g class="duty-timeline__row" data-receiver="{text(row.name)}">',
        f'<text x="0" y="{n(row.label_y)}" font-size="13" font-weight="bold" fill="{INK}">'
        f"{lines}</text>",
        f'<line x1="0" y1="{n(row.rule_y)}" x2="{n(timeline.plot_right)}" y2="{n(row.rule_y)}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    ]
    parts.extend(_bar(bar, prefix, timeline.plot_right) for bar in row.bars)
    parts.extend(_mark(mark) for mark in row.marks)
    parts.append("</g>")
    return "".join(parts)


def _today(timeline):
    if timeline.today_x is None:
        return ""
    x = n(timeline.today_x)
    return (
        f'<g class="duty-timeline__today"><line x1="{x}" y1="30" x2="{x}" '
        f'y2="{n(timeline.plot_bottom)}" stroke="{INK}" stroke-width="2" stroke-dasharray="2 3"/>'
        f'<text x="{x}" y="40" text-anchor="middle" font-size="11" font-weight="bold" '
        f'fill="{INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">Today</text></g>'
    )


def draw(timeline):
    """The timeline as an SVG element: role="img", named by its title and described by its
    desc, which summarises it; the page gives the same facts as a table."""
    prefix = timeline.id_prefix
    header = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="duty-timeline" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'viewBox="0 0 {timeline.width} {timeline.height:.0f}" width="100%" '
        f'style="max-width: {timeline.width}px; height: auto; display: block;" '
        f'data-year="{timeline.year}" font-family="{text(FONT)}">'
        f'<title id="{prefix}-title">{text(timeline.title)}</title>'
        f'<desc id="{prefix}-desc">{text(timeline.summary)}</desc>'
    )
    body = [header, _defs(prefix), _months(timeline)]
    body.extend(_row(row, timeline) for row in timeline.rows)
    body.append(_today(timeline))
    body.append("</svg>")
    return mark_safe("".join(body))  # noqa: S308 (every text above is escaped)
