"""What the minutes page shows, and its print-friendly version.

Both are built from `minutes_record.build_record`, which decides once what this reader may see:
the public never gets the text of an exempt minute, only its number, heading and paragraph.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from boards.models import BoardPage
from home.templatetags.public_site import page_frame

from .minute_rules import board_and_meeting
from .minutes_record import build_record
from .models import MeetingPage
from .views import user_may_see_exempt_papers


def _board_among(ancestors, depth):
    for ancestor in ancestors:
        if ancestor.depth == depth:
            try:
                return ancestor.boardpage
            except BoardPage.DoesNotExist:
                return None
    return None


def meeting_and_board(minutes, request):
    """The minutes' meeting and board: the board comes with the breadcrumbs, without a query."""
    frame = page_frame(minutes, request)
    board = _board_among(frame["ancestors"], minutes.depth - 2) if minutes.depth else None
    meeting = None
    if minutes.meeting_id:
        meeting = MeetingPage.objects.filter(pk=minutes.meeting_id).first()
    if meeting is None or board is None:
        # Minutes not yet attached (a first preview): read the tree instead.
        board, meeting = board_and_meeting(minutes)
    return meeting, board


def _is_preview(request):
    return bool(getattr(request, "is_preview", False))


def load_record(minutes, request):
    """(record, meeting, board) for this reader; 404 unless the minutes are really public."""
    preview = _is_preview(request)
    meeting, board = meeting_and_board(minutes, request)
    if not preview and not (minutes.live and meeting.live and board.live):
        raise Http404("These minutes have not been published.")
    include_exempt = user_may_see_exempt_papers(request, board)
    record = build_record(minutes, meeting, board, request, include_exempt, preview=preview)
    if record.has_exempt_text:
        # For whatever serves the page: a response with exempt text is kept private.
        request.exempt_minutes_shown = True
    return record, meeting, board


def attach_actions(record, minutes, board, request):
    """Put the public actions of published minutes under their resolutions (or minute notes).

    Public actions only, for everyone: never those of exempt minutes, nor of a draft or preview.
    """
    if _is_preview(request) or not minutes.live:
        return
    from actions_log.public import attach_to_minutes, minutes_actions

    attach_to_minutes(record.items, minutes_actions(minutes, board, request))


def _links(record, meeting, request):
    return {
        "meeting_url": meeting.get_url(request) or "",
        "word_url": f"{record.url}minutes.docx" if record.url else "",
        "print_url": f"{record.url}print/" if record.url else "",
    }


def minutes_context(minutes, request):
    """The minutes page's context: status, attendance, apologies and the numbered minutes."""
    record, meeting, board = load_record(minutes, request)
    attach_actions(record, minutes, board, request)
    context = {
        "breadcrumbs": page_frame(minutes, request)["breadcrumbs"],
        "board": board,
        "record": record,
        "is_preview": _is_preview(request),
    }
    context.update(_links(record, meeting, request))
    return context


def keep_private(response):
    """Exempt text must not be kept by shared caches or indexed."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"


def minutes_print_response(request, minutes):
    """The same minutes in a plain layout for printing: no navigation, print styles."""
    record, meeting, board = load_record(minutes, request)
    attach_actions(record, minutes, board, request)
    context = {"page": minutes, "board": board, "record": record}
    context.update(_links(record, meeting, request))
    response = TemplateResponse(request, "meetings/minutes_print.html", context)
    # What is shown depends on who is signed in.
    patch_vary_headers(response, ["Cookie"])
    if record.has_exempt_text:
        keep_private(response)
    return response
