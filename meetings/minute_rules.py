"""The rules minutes must keep: numbering, resolutions, approval and citations of earlier minutes.

Minute numbers run across a board's meetings within its municipal year (or restart at each
meeting if the board says so). Gaps are allowed, as in real minutes (items taken in private), but
a number may never repeat or go backwards. Each check returns messages an officer can act on.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils import timezone

from .dates import format_date

CITATION_RE = re.compile(r"Minute\s+No\.?\s*(\d+)(?:\s*\((\d+)\))?", re.IGNORECASE)


@dataclass
class ProposedMinute:
    """A minute as it is about to be saved, with its resolutions (from a form or the database)."""

    item: object
    resolutions: list = field(default_factory=list)


def board_and_meeting(minutes):
    meeting = minutes.meeting if minutes.meeting_id else minutes.get_parent().specific
    board = meeting.get_parent().specific
    return board, meeting


def minutes_in_numbering_period(board, meeting):
    """Other live minutes of the board whose numbers share a sequence with this meeting's."""
    from .minutes import MinutesPage

    if board.minute_numbering == "per_meeting":
        return MinutesPage.objects.none()
    year = board.municipal_year_of(timezone.localdate(meeting.start))
    first, last = board.municipal_year_bounds(year)
    return (
        MinutesPage.objects.live()
        .filter(board=board, meeting__start__gte=first, meeting__start__lt=last)
        .exclude(meeting=meeting)
    )


def number_minutes(minutes, proposed):
    """Give unnumbered minutes and resolutions the next number."""
    board, meeting = board_and_meeting(minutes)
    last = 0
    if proposed and any(p.item.number is None for p in proposed):
        from .minutes import MinuteItem

        earlier = minutes_in_numbering_period(board, meeting).filter(
            meeting__start__lt=meeting.start
        )
        last = MinuteItem.objects.filter(minutes__in=earlier).aggregate(n=Max("number"))["n"] or 0
    for p in proposed:
        if p.item.number is None:
            p.item.number = last + 1
        last = p.item.number
        resolution_last = 0
        for resolution in p.resolutions:
            if resolution.number is None:
                resolution.number = resolution_last + 1
            resolution_last = resolution.number


def sequence_problems(minutes, proposed):
    board, meeting = board_and_meeting(minutes)
    problems = []
    numbers = [p.item.number for p in proposed if p.item.number is not None]
    for before, after in zip(numbers, numbers[1:], strict=False):
        if after <= before:
            problems.append(
                f"Minute {after} follows minute {before}: minute numbers must go up in order "
                "without repeating."
            )
    if not numbers:
        return problems
    from .minutes import MinuteItem

    period = minutes_in_numbering_period(board, meeting)
    earlier = MinuteItem.objects.filter(
        minutes__in=period.filter(meeting__start__lt=meeting.start)
    ).aggregate(n=Max("number"))["n"]
    later = MinuteItem.objects.filter(
        minutes__in=period.filter(meeting__start__gt=meeting.start)
    ).aggregate(n=Min("number"))["n"]
    label = board.municipal_year_label(board.municipal_year_of(timezone.localdate(meeting.start)))
    if earlier is not None and min(numbers) <= earlier:
        problems.append(
            f"Minute {min(numbers)} breaks the {board.short_name or board.title} sequence: "
            f"earlier meetings in {label} already reach minute {earlier}, so these minutes "
            f"should start at {earlier + 1} or later."
        )
    if later is not None and max(numbers) >= later:
        problems.append(
            f"Minute {max(numbers)} breaks the {board.short_name or board.title} sequence: a "
            f"later meeting in {label} starts at minute {later}."
        )
    return problems


def resolution_problems(proposed):
    problems = []
    for p in proposed:
        seen = set()
        for resolution in p.resolutions:
            if resolution.number in seen:
                problems.append(
                    f"Minute {p.item.number}: resolution ({resolution.number}) is used twice. "
                    "Number each resolution of a minute once: (1), (2)…"
                )
            seen.add(resolution.number)
    return problems


def approval_problems(minutes, proposed):
    board, meeting = board_and_meeting(minutes)
    problems = []
    for p in proposed:
        approved = p.item.approves
        if approved is None:
            continue
        approved = approved.specific if hasattr(approved, "specific") else approved
        if approved.pk == minutes.pk:
            problems.append(f"Minute {p.item.number}: minutes cannot approve themselves.")
            continue
        approved_board, approved_meeting = board_and_meeting(approved)
        if approved_board.pk != board.pk:
            problems.append(
                f"Minute {p.item.number}: those minutes are of {approved_board.title}; a board "
                "approves only its own minutes."
            )
        elif approved_meeting.start >= meeting.start:
            problems.append(
                f"Minute {p.item.number}: the meeting of {format_date(meeting.start)} cannot "
                f"approve the minutes of a meeting held after it "
                f"({format_date(approved_meeting.start)})."
            )
        elif not approved.live:
            problems.append(
                f"Minute {p.item.number}: the minutes of {format_date(approved_meeting.start)} "
                "have not been published yet; publish them as draft minutes first."
            )
    return problems


def find_cited_minute(board, meeting, number):
    """The most recent published minute with this number from an earlier meeting of the board."""
    from .minutes import MinuteItem

    return (
        MinuteItem.objects.filter(
            number=number,
            minutes__live=True,
            minutes__board=board,
            minutes__meeting__start__lt=meeting.start,
        )
        .select_related("minutes", "minutes__meeting")
        .order_by("-minutes__meeting__start")
        .first()
    )


def citations_in(text):
    """(text as written, minute number, resolution number or None) for each citation."""
    for match in CITATION_RE.finditer(text or ""):
        resolution = int(match.group(2)) if match.group(2) else None
        yield match.group(0), int(match.group(1)), resolution


def citation_problems(minutes, proposed):
    board, meeting = board_and_meeting(minutes)
    problems = []
    own = {p.item.number for p in proposed}
    for p in proposed:
        for written, number, resolution in citations_in(p.item.narrative):
            if number in own and number < (p.item.number or 0):
                continue
            cited = find_cited_minute(board, meeting, number)
            if cited is None:
                problems.append(
                    f"Minute {p.item.number} cites '{written}', but {board.title} has no "
                    f"published minute {number} before {format_date(meeting.start)}."
                )
            elif resolution and not cited.resolutions.filter(number=resolution).exists():
                problems.append(
                    f"Minute {p.item.number} cites '{written}', but minute {number} of "
                    f"{format_date(cited.minutes.meeting.start)} has no resolution ({resolution})."
                )
    return problems


def minutes_problems(minutes, proposed):
    number_minutes(minutes, proposed)
    return (
        sequence_problems(minutes, proposed)
        + resolution_problems(proposed)
        + approval_problems(minutes, proposed)
        + citation_problems(minutes, proposed)
    )


def proposed_from_database(minutes):
    return [
        ProposedMinute(item=item, resolutions=list(item.resolutions.all()))
        for item in minutes.minute_items.all()
    ]


def check_minutes(minutes):
    """Model-level check, for minutes built in code (the admin form checks its own data)."""
    if not minutes.depth and not minutes.meeting_id:
        return
    problems = minutes_problems(minutes, proposed_from_database(minutes))
    if problems:
        raise ValidationError(problems)


def record_citations(minutes):
    """Rebuild the citation links of published minutes so the site can link them."""
    from .minutes import MinuteCitation

    board, meeting = board_and_meeting(minutes)
    items = list(minutes.minute_items.all())
    MinuteCitation.objects.filter(citing__in=items).delete()
    links = []
    for item in items:
        for written, number, resolution in citations_in(item.narrative):
            cited = find_cited_minute(board, meeting, number)
            if cited is None:
                own = next((i for i in items if i.number == number and i.pk != item.pk), None)
                cited = own
            if cited is not None:
                links.append(
                    MinuteCitation(
                        citing=item, cited=cited, resolution_number=resolution, text=written
                    )
                )
    MinuteCitation.objects.bulk_create(links)
    return links
