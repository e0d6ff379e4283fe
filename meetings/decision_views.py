"""The register of decisions: the filtered list, a decision's own page and the JSON open data.

These are plain Django views, not pages: there is no Wagtail `page` in their context, so
base.html builds its frame from `page_frame(None, request)` (home, boards and accessibility
links) and the templates give their own breadcrumbs. Every list is loaded in a fixed number of
queries (see `meetings.decisions.public_decisions`).
"""

import datetime
import re
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from .dates import format_date
from .decisions import (
    DATE_LABELS,
    STATUS_CHOICES,
    board_choices,
    decision_ids,
    filter_decisions,
    find_decision,
    load_decisions,
    present,
    public_decisions,
    read_filters,
    topic_choices,
)

REGISTER_PAGE_SIZE = 20
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100


# The register --------------------------------------------------------------


def _url_with(path, params):
    return f"{path}?{urlencode(params)}" if params else path


def pagination_items(page, params, path):
    """GOV.UK pagination: first, last, the current page and its neighbours, gaps as ellipses."""
    if page.paginator.num_pages <= 1:
        return None
    last = page.paginator.num_pages
    wanted = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )

    def link(number):
        return _url_with(path, {**params, "page": number} if number > 1 else params)

    items = []
    previous_number = 0
    for number in wanted:
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": link(number), "current": number == page.number})
        previous_number = number
    return {
        "items": items,
        "previous": link(page.number - 1) if page.has_previous() else None,
        "next": link(page.number + 1) if page.has_next() else None,
    }


def date_inputs(filters):
    """The two GOV.UK date inputs as the template draws them, with what the visitor typed."""
    inputs = []
    for name, legend in DATE_LABELS.items():
        typed = filters.inputs[name]
        inputs.append(
            {
                "name": name,
                "legend": legend,
                "error": filters.error_for(name),
                "parts": [
                    {
                        "part": part,
                        "label": part.capitalize(),
                        "value": getattr(typed, part),
                        "width": 4 if part == "year" else 2,
                        "wrong": part in typed.wrong,
                    }
                    for part in ("day", "month", "year")
                ],
            }
        )
    return inputs


def _feed_links(board_slug, board_title):
    links = [
        {
            "type": "application/rss+xml",
            "title": "Decisions of all partnership boards (RSS)",
            "url": reverse("decision_feed_rss"),
        },
        {
            "type": "application/atom+xml",
            "title": "Decisions of all partnership boards (Atom)",
            "url": reverse("decision_feed_atom"),
        },
    ]
    if board_slug:
        links += [
            {
                "type": "application/rss+xml",
                "title": f"Decisions of the {board_title} (RSS)",
                "url": reverse("decision_board_feed_rss", args=[board_slug]),
            },
            {
                "type": "application/atom+xml",
                "title": f"Decisions of the {board_title} (Atom)",
                "url": reverse("decision_board_feed_atom", args=[board_slug]),
            },
        ]
    return links


def register(request):
    """The register of decisions, filtered by board, meeting date, topic and minutes status.

    A plain GET form: it works without JavaScript, and every filtered list has an address that
    can be bookmarked or shared. Bad filters give an error summary and no list.
    """
    boards = board_choices()
    topics = topic_choices()
    filters = read_filters(request.GET, boards=boards, topics=topics)
    path = reverse("decision_register")
    params = filters.query_params()
    page = None
    decisions = []
    pagination = None
    if filters.is_valid:
        paginator = Paginator(
            decision_ids(filter_decisions(public_decisions(), filters)), REGISTER_PAGE_SIZE
        )
        page = paginator.get_page(request.GET.get("page"))
        decisions = [present(resolution, request) for resolution in load_decisions(page)]
        pagination = pagination_items(page, params, path)
    board_title = dict(boards).get(filters.board, "")
    context = {
        "filters": filters,
        "errors": {error.name: error.message for error in reversed(filters.errors)},
        "boards": boards,
        "topics": topics,
        "statuses": STATUS_CHOICES,
        "date_inputs": date_inputs(filters),
        "page_obj": page,
        "decisions": decisions,
        "pagination": pagination,
        "feed_links": _feed_links(filters.board, board_title),
        "board_title": board_title,
        "json_url": _url_with(reverse("decision_api"), params),
    }
    return render(request, "meetings/decision_register.html", context)


def _number(value):
    # ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
    return int(value) if re.fullmatch(r"[0-9]+", value) else None


def detail(request, board_slug, day, minute, resolution):
    """One decision: its board, meeting, minute, text, topics, minutes status and citation."""
    try:
        meeting_date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("No such date.") from None
    found = find_decision(board_slug, meeting_date, int(minute), int(resolution))
    if found is None:
        raise Http404("No such decision.")
    decision = present(found, request)
    approval = None
    if found.is_approved:
        approving = found.minute.minutes.approving_minute()
        if approving is not None and approving.minutes.meeting is not None:
            approval = format_date(approving.minutes.meeting.start)
    context = {
        "decision": decision,
        "approved_at_meeting_of": approval,
        "date_label": format_date(decision.date),
        "board_decisions_url": _url_with(reverse("decision_register"), {"board": board_slug}),
        "feed_links": _feed_links(board_slug, decision.board_name),
    }
    return render(request, "meetings/decision_detail.html", context)


# Open data ------------------------------------------------------------------


def _json(data, status=200, **headers):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser. Nothing here depends on who asks.
    response["Access-Control-Allow-Origin"] = "*"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _decision_json(decision, request):
    def absolute(url):
        return request.build_absolute_uri(url) if url else None

    return {
        "citation": decision.citation,
        "url": decision.url,
        "board": {
            "name": decision.board_name,
            "short_name": decision.board_short_name,
            "slug": decision.board_slug,
            "url": absolute(decision.board_url),
        },
        "meeting": {"date": decision.date.isoformat(), "url": absolute(decision.meeting_url)},
        "minute": {
            "number": decision.minute_number,
            "heading": decision.minute_heading,
            "url": absolute(decision.minute_url),
        },
        "resolution_number": decision.resolution_number,
        "text": decision.text,
        "topics": [{"name": tag.name, "slug": tag.slug} for tag in decision.topics],
        "minutes_status": decision.status,
        "minutes_published": (decision.published_at.isoformat() if decision.published_at else None),
    }


def _absolute(request, params):
    return request.build_absolute_uri(_url_with(reverse("decision_api"), params))


def _positive(value, default, name, largest=None):
    """A positive whole number from the query string, or a message saying what is wrong."""
    if value is None or value == "":
        return default, None
    number = _number(value.strip()) if len(value) <= 9 else None
    if not number or (largest and number > largest):
        limit = f" from 1 to {largest}" if largest else ""
        return None, f"'{name}' must be a whole number{limit}"
    return number, None


@csrf_exempt  # Nothing is ever changed here: every method but GET and HEAD gets a 405.
def api(request):
    """The decisions as JSON open data, with the register's filters as query parameters."""
    if request.method not in ("GET", "HEAD"):
        return _json(
            {"error": "This endpoint is read-only: use GET."}, status=405, Allow="GET, HEAD"
        )
    filters = read_filters(request.GET)
    page_number, page_problem = _positive(request.GET.get("page"), 1, "page")
    page_size, size_problem = _positive(
        request.GET.get("page_size"), API_PAGE_SIZE, "page_size", API_MAX_PAGE_SIZE
    )
    errors = {error.name: error.message for error in filters.errors}
    if page_problem:
        errors["page"] = page_problem
    if size_problem:
        errors["page_size"] = size_problem
    if errors:
        return _json({"error": "Invalid filters.", "errors": errors}, status=400)

    paginator = Paginator(decision_ids(filter_decisions(public_decisions(), filters)), page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return _json(
            {"error": f"There is no page {page_number}: the last is {paginator.num_pages}."},
            status=404,
        )
    params = filters.query_params()
    if page_size != API_PAGE_SIZE:
        params["page_size"] = page_size
    return _json(
        {
            "count": paginator.count,
            "next": (
                _absolute(request, {**params, "page": page.number + 1}) if page.has_next() else None
            ),
            "previous": (
                _absolute(request, {**params, "page": page.number - 1})
                if page.has_previous()
                else None
            ),
            "results": [
                _decision_json(present(resolution, request), request)
                for resolution in load_decisions(page)
            ],
        }
    )
