"""The public page of duties between boards: /duties/?board=<slug>&year=<yyyy>.

A plain Django view (no Wagtail page), like the register of decisions: base.html builds its frame
from `page_frame(None, request)`. The filters are a GET form, so the page works without
JavaScript and every filtered view has an address to bookmark or share. Only public duties are
shown, to boards the public may see or to outside bodies, and nothing of an exempt agenda item
but that "an item considered in private" met the obligation.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .duty_listing import PUBLIC_TAG_CLASSES, STATUS_ORDER, listing
from .timeline import STYLES, build_timeline, meetings_in_year, render_timeline


def _url(name, params):
    path = reverse(name)
    return f"{path}?{urlencode(params)}" if params else path


def year_links(filters):
    """Links to the previous and next years that have periods, keeping the board filter."""
    years = filters.years
    links = {"previous": None, "next": None}
    if not filters.is_valid or filters.year not in years:
        return links
    index = years.index(filters.year)
    if index > 0:
        year = years[index - 1]
        links["previous"] = {"year": year, "url": _url("duties", filters.query(year=year))}
    if index < len(years) - 1:
        year = years[index + 1]
        links["next"] = {"year": year, "url": _url("duties", filters.query(year=year))}
    return links


def legend():
    return [
        {
            "status": status.value,
            "label": status.label,
            "tag_class": PUBLIC_TAG_CLASSES[status],
            "style": STYLES[status],
        }
        for status in STATUS_ORDER
    ]


def duties_page(request):
    """Each public duty with its periods in the chosen year, their status and the evidence."""
    today = timezone.localdate()
    data = listing(request.GET, public=True, today=today, request=request)
    filters = data.filters
    timeline = None
    meetings = {}
    if filters.is_valid:
        meetings = meetings_in_year(data.receiving_boards, filters.year, visibility=data.visibility)
        timeline = build_timeline(filters.year, data.rows, meetings, today=today)
    calendar_params = {"board": filters.board_slug} if filters.board_slug else {}
    context = {
        "filters": filters,
        "errors": {error.name: error.message for error in filters.errors},
        "listing": data,
        "groups": data.groups,
        "timeline": timeline,
        "timeline_svg": render_timeline(timeline) if timeline is not None else "",
        "meetings": sorted(meetings.items()),
        "legend": legend(),
        "years": year_links(filters),
        "calendar_url": _url("duties_calendar", calendar_params),
        "any_filter": bool(request.GET.get("board") or request.GET.get("year")),
    }
    return render(request, "boards/duties.html", context)
