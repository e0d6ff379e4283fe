"""The board's public action log: the page (`actions/`), its CSV (`actions.csv`) and its Word
document (`actions.docx`), routed from `boards.models.BoardPage`.

All three read the same filters from the query string (`status`: all, open, overdue, completed;
`year`: the year raised) and show the same public actions (`actions_log.public`). The page is a
plain GET form, so it works without JavaScript and every filtered list has its own address. Bad
filters give an error summary on the page, and a 400 with the same message for the downloads.
"""

import csv
import io
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from home.templatetags.public_site import page_frame
from meetings.agenda_pack import DOCX_CONTENT_TYPE
from meetings.dates import format_date
from meetings.decision_views import pagination_items

from .public import (
    STATUS_FILTERS,
    action_ids,
    action_years,
    filter_actions,
    load_actions,
    present,
    public_board_actions,
    read_filters,
)
from .word import action_log_filename, render_action_log

PAGE_SIZE = 20
CSV_COLUMNS = [
    "Action",
    "Owners",
    "Raised at",
    "Raised on",
    "Link",
    "Due",
    "Due by the next meeting",
    "Status",
    "Overdue",
    "Completed on",
    "Discharged by",
    "Evidence",
    "Updates",
]
# A spreadsheet treats a cell starting with these as a formula: such text is written with a
# leading apostrophe so that it stays text (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _with_params(path, params):
    return f"{path}?{urlencode(params)}" if params else path


def _filters(request, board):
    actions = public_board_actions(board)
    years = action_years(actions)
    return actions, years, read_filters(request.GET, years)


def action_log_response(request, board):
    """The board's action log page, filtered and paged."""
    today = timezone.localdate()
    actions, years, filters = _filters(request, board)
    board_url = board.get_url(request) or ""
    path = f"{board_url}actions/"
    params = filters.query_params()
    rows, page, pagination = [], None, None
    if filters.is_valid:
        paginator = Paginator(action_ids(filter_actions(actions, filters, today)), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        rows = [present(action, board, request, on=today) for action in load_actions(page)]
        pagination = pagination_items(page, params, path)
    context = {
        "page": board,
        "board": board,
        "board_url": board_url,
        "breadcrumbs": page_frame(board, request)["breadcrumbs"],
        "filters": filters,
        "errors": {error.name: error.message for error in filters.errors},
        "statuses": STATUS_FILTERS,
        "years": years,
        "rows": rows,
        "page_obj": page,
        "pagination": pagination,
        "today_label": format_date(today),
        "csv_url": _with_params(f"{board_url}actions.csv", params),
        "docx_url": _with_params(f"{board_url}actions.docx", params),
        "action_log_url": path,
    }
    return TemplateResponse(request, "actions_log/board_actions.html", context)


def _all_rows(request, board, actions, filters, today):
    ids = list(action_ids(filter_actions(actions, filters, today)))
    return [present(action, board, request, on=today) for action in load_actions(ids)]


def _bad_filters(filters):
    message = " ".join(f"{error.message}." for error in filters.errors)
    return HttpResponseBadRequest(
        f"Invalid filters: {message}", content_type="text/plain; charset=utf-8"
    )


def _safe(value):
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(row, request):
    return [
        _safe(value)
        for value in (
            row.text,
            row.owner_labels,
            row.raised_at.label,
            row.raised_on.isoformat(),
            request.build_absolute_uri(row.raised_at.url) if row.raised_at.url else "",
            row.due_on.isoformat() if row.due_on else "",
            "yes" if row.by_next_meeting else "no",
            row.status_label,
            "yes" if row.is_overdue else "no",
            row.completed_on.isoformat() if row.completed_on else "",
            "; ".join(link.label for link in row.evidence_links),
            row.evidence,
            "\n".join(update.plain for update in row.updates),
        )
    ]


def action_log_csv_response(request, board):
    """The same public actions as a CSV file (UTF-8 with a byte order mark, for Excel)."""
    today = timezone.localdate()
    actions, _years, filters = _filters(request, board)
    if not filters.is_valid:
        return _bad_filters(filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in _all_rows(request, board, actions, filters, today):
        writer.writerow(csv_row(row, request))
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=action_log_filename(board, "csv")
    )
    return response


def action_log_docx_response(request, board):
    """The same public actions as a Word document."""
    today = timezone.localdate()
    actions, _years, filters = _filters(request, board)
    if not filters.is_valid:
        return _bad_filters(filters)
    rows = _all_rows(request, board, actions, filters, today)
    content = render_action_log(board, rows, filters.describe(), as_at=today)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=action_log_filename(board, "docx")
    )
    return response
