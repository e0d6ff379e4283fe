"""How a decision is cited and where it lives: one place, so every page, feed and export agree.

A decision is a numbered resolution of a published, non-exempt minute. Its citation reads as the
council would write it, "HWB 11 January 2017, minute 52(4)", and its address is built from the same
parts: /decisions/<board-slug>/<yyyy-mm-dd>/<minute>/<resolution>/. Both are stable: they change
only if the board, the meeting date or the numbers themselves are changed.

The functions take the resolution's minute, meeting and board when the caller already has them
loaded; otherwise they follow `resolution.minute.minutes.meeting` and `.board`, so a list of
resolutions should be loaded with
`select_related("minute__minutes__meeting", "minute__minutes__board")`.
"""

from django.urls import reverse
from django.utils import timezone


def meeting_day(meeting):
    """The meeting's date in UK time, which is the date its papers carry."""
    start = meeting.start
    return timezone.localdate(start) if timezone.is_aware(start) else start.date()


def _parts(resolution, minute, meeting, board):
    minute = minute or resolution.minute
    if meeting is None or board is None:
        minutes = minute.minutes
        meeting = meeting or minutes.meeting
        board = board or minutes.board
    return minute, meeting, board


def decision_path(board_slug, day, minute_number, resolution_number):
    """'/decisions/health-and-wellbeing-board/2017-01-11/52/4/'."""
    return (
        f"{reverse('decision_register')}{board_slug}/{day.isoformat()}/"
        f"{minute_number}/{resolution_number}/"
    )


def decision_url(resolution, minute=None, meeting=None, board=None):
    """The decision's page in the public register."""
    minute, meeting, board = _parts(resolution, minute, meeting, board)
    return decision_path(board.slug, meeting_day(meeting), minute.number, resolution.number)


def board_label(board):
    return board.short_name or board.title


def citation_text(board, day, minute_number, resolution_number=None):
    """'HWB 11 January 2017, minute 52(4)'; without a resolution number, the whole minute."""
    reference = f"minute {minute_number}"
    if resolution_number:
        reference += f"({resolution_number})"
    return f"{board_label(board)} {day.day} {day:%B %Y}, {reference}"


def decision_citation(resolution, minute=None, meeting=None, board=None):
    """The decision's stable citation, 'HWB 11 January 2017, minute 52(4)'."""
    minute, meeting, board = _parts(resolution, minute, meeting, board)
    return citation_text(board, meeting_day(meeting), minute.number, resolution.number)
