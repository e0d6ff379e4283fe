"""The public search over agendas, papers, minutes, decisions and transcripts (home/search.py).

A plain Django view, not a page: base.html builds its frame from `page_frame(None, request)`.
A GET form, so that it works without JavaScript and every search has an address to share.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from meetings.decision_views import date_inputs, pagination_items

from .search import (
    KINDS,
    MAX_RESULTS,
    present_results,
    private_q,
    public_boards,
    read_search,
    run_search,
)


def _kind_links(search, outcome, path):
    """'All results' and each kind ('Agendas' ... 'Transcripts') with their counts, as links."""
    if outcome is None:
        return []
    links = [
        {
            "label": "All results",
            "count": sum(outcome.counts.values()),
            "url": f"{path}?{urlencode(search.query_params(type='', page=''))}",
            "current": not search.kind,
        }
    ]
    for kind in KINDS.values():
        links.append(
            {
                "label": kind.plural,
                "count": outcome.counts[kind.value],
                "url": f"{path}?{urlencode(search.query_params(type=kind.value, page=''))}",
                "current": search.kind == kind.value,
            }
        )
    return links


def search(request):
    """Search agendas, papers, minutes, decisions and transcripts; filter by board, date, kind."""
    private = private_q()
    boards = public_boards(private)
    board_choices = [(board.slug, board.title) for board in boards]
    search = read_search(request.GET, board_choices)
    path = reverse("search")

    outcome = None
    results = []
    pagination = None
    if search.is_valid:
        outcome = run_search(search, boards, private)
        results = present_results(outcome.hits, boards, search.words, request)
        pagination = pagination_items(outcome.page, search.query_params(page=""), path)

    errors = {}
    for error in reversed(search.errors):
        errors[error.name] = error.message
    context = {
        "search": search,
        "query": search.words.typed,
        "notes": search.words.notes if search.submitted else [],
        "errors": errors,
        "error_list": search.errors,
        "boards": board_choices,
        "board_title": dict(board_choices).get(search.filters.board, ""),
        "kinds": list(KINDS.values()),
        "date_inputs": date_inputs(search.filters),
        "outcome": outcome,
        "results": results,
        "kind_links": _kind_links(search, outcome, path),
        "pagination": pagination,
        "max_results": MAX_RESULTS,
        "filters_applied": bool(
            search.kind
            or search.filters.board
            or search.filters.date_from
            or search.filters.date_to
        ),
    }
    return render(request, "home/search.html", context)
