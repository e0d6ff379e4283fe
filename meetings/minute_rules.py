"""The rules minutes must keep: numbering, resolutions, approval and citations of earlier minutes.

Minute numbers run across a board's meetings within its municipal year (or restart at each
meeting if the board says so). Gaps are allowed, as in real minutes (items taken in private), but
a number may never repeat or go backwards. Each check returns problems an officer can act on,
each pointing at the minute (and field, or resolution) it is about so the editor can show it there.

Two kinds of rule:

- rules about the minutes alone (numbers in order, resolutions numbered once, minutes not
  approving themselves) are kept by the model, whoever saves the page;
- rules that depend on other pages (the board's sequence across meetings, which minutes may be
  approved, which earlier minutes exist to be cited) are checked by the editor on every save,
  where the officer can act on them. They are not checked again when a revision is published:
  publishing through the workflow must never fail with a server error because another meeting's
  minutes changed in the meantime, and archived minutes loaded in code may cite minutes that
  are not on the site.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from .dates import format_date

CITATION_RE = re.compile(r"Minute\s+No\.?\s*(\d+)(?:\s*\((\d+)\))?", re.IGNORECASE)


@dataclass
class ProposedMinute:
    """A minute as it is about to be saved, with its resolutions (from a form or the database)."""

    item: object
    resolutions: list = field(default_factory=list)


@dataclass
class Problem:
    """Something wrong with the minutes, and where: a minute's field, or one of its resolutions."""

    message: str
    minute: ProposedMinute | None = None
    field: str | None = None
    resolution: object = None
    attendance: object = None

    def __str__(self):
        return self.message


def board_and_meeting(minutes):
    meeting = minutes.meeting if minutes.meeting_id else minutes.get_parent().specific
    board = meeting.get_parent().specific
    return board, meeting


def board_name(board):
    return board.short_name or board.title


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


def _neighbour_minute(period, meeting, earlier):
    """The last minute of the earlier meetings in the period, or the first of the later ones."""
    from .minutes import MinuteItem

    if earlier:
        pages = period.filter(meeting__start__lt=meeting.start)
        order = ("-number",)
    else:
        pages = period.filter(meeting__start__gt=meeting.start)
        order = ("number",)
    return (
        MinuteItem.objects.filter(minutes__in=pages, number__isnull=False)
        .select_related("minutes__meeting")
        .order_by(*order)
        .first()
    )


def number_minutes(minutes, proposed):
    """Give unnumbered minutes the next number in the board's sequence, resolutions the next."""
    board, meeting = board_and_meeting(minutes)
    last = 0
    if proposed and proposed[0].item.number is None:
        previous = _neighbour_minute(minutes_in_numbering_period(board, meeting), meeting, True)
        last = previous.number if previous else 0
    for p in proposed:
        if p.item.number is None:
            p.item.number = last + 1
        last = p.item.number
        resolution_last = 0
        for resolution in p.resolutions:
            if resolution.number is None:
                resolution.number = resolution_last + 1
            resolution_last = resolution.number


# Rules about the minutes alone ------------------------------------------------------------


def order_problems(proposed):
    """Within one meeting, minute numbers go up in the order the minutes are listed."""
    problems = []
    for before, after in zip(proposed, proposed[1:], strict=False):
        first, second = before.item.number, after.item.number
        if first is None or second is None:
            continue
        if second == first:
            message = (
                f"Minute {second} is used twice in these minutes. Give each minute its own "
                "number, or leave the number blank to follow on from the minute before."
            )
        elif second < first:
            message = (
                f"Minute {second} is listed after minute {first}: minute numbers must go up in "
                "the order the minutes are listed. Renumber it, or move it up the list."
            )
        else:
            continue
        problems.append(Problem(message, minute=after, field="number"))
    return problems


def resolution_problems(proposed):
    """Each resolution number is used once within its minute."""
    problems = []
    for p in proposed:
        seen = set()
        for resolution in p.resolutions:
            if resolution.number in seen:
                problems.append(
                    Problem(
                        f"Minute {p.item.number}: resolution ({resolution.number}) is used twice. "
                        "Number each resolution of a minute once: (1), (2)…",
                        minute=p,
                        resolution=resolution,
                        field="number",
                    )
                )
            seen.add(resolution.number)
    return problems


def self_approval_problems(minutes, proposed):
    problems = []
    for p in proposed:
        if minutes.pk and p.item.approves_id == minutes.pk:
            problems.append(
                Problem(
                    f"Minute {p.item.number}: minutes cannot approve themselves. Choose the "
                    "minutes of the previous meeting.",
                    minute=p,
                    field="approves",
                )
            )
    return problems


def intrinsic_problems(minutes, proposed):
    return (
        order_problems(proposed)
        + resolution_problems(proposed)
        + self_approval_problems(minutes, proposed)
    )


# Rules that depend on other minutes -------------------------------------------------------


def sequence_problems(minutes, proposed):
    """The numbers must not overlap other meetings' minutes in the same numbering period."""
    board, meeting = board_and_meeting(minutes)
    numbered = [p for p in proposed if p.item.number is not None]
    if not numbered:
        return []
    period = minutes_in_numbering_period(board, meeting)
    label = board.municipal_year_label(board.municipal_year_of(timezone.localdate(meeting.start)))
    problems = []

    earlier = _neighbour_minute(period, meeting, True)
    if earlier is not None:
        clash = next((p for p in numbered if p.item.number <= earlier.number), None)
        if clash is not None:
            problems.append(
                Problem(
                    f"Minute {clash.item.number} breaks the {board_name(board)} sequence: the "
                    f"minutes of {format_date(earlier.minutes.meeting.start)} already reach "
                    f"minute {earlier.number} in {label}, so these minutes should start at "
                    f"{earlier.number + 1} or later.",
                    minute=clash,
                    field="number",
                )
            )
    later = _neighbour_minute(period, meeting, False)
    if later is not None:
        clash = next((p for p in numbered if p.item.number >= later.number), None)
        if clash is not None:
            problems.append(
                Problem(
                    f"Minute {clash.item.number} breaks the {board_name(board)} sequence: the "
                    f"minutes of the later meeting of {format_date(later.minutes.meeting.start)} "
                    f"start at minute {later.number} in {label}, so these minutes must end "
                    f"before it.",
                    minute=clash,
                    field="number",
                )
            )
    return problems


def approval_problems(minutes, proposed):
    """Only the board's own earlier, published, not yet approved minutes may be approved."""
    from .minutes import MinuteItem

    board, meeting = board_and_meeting(minutes)
    problems = []
    approved_here = set()
    for p in proposed:
        if not p.item.approves_id or (minutes.pk and p.item.approves_id == minutes.pk):
            continue
        approved = p.item.approves
        approved_board, approved_meeting = board_and_meeting(approved)
        when = format_date(approved_meeting.start)
        message = None
        if approved.pk in approved_here:
            message = f"the minutes of {when} are already approved by another minute here."
        elif approved_board.pk != board.pk:
            message = (
                f"those minutes are of {approved_board.title}; a board approves only its own "
                "minutes."
            )
        elif approved_meeting.start >= meeting.start:
            message = (
                f"the meeting of {format_date(meeting.start)} cannot approve the minutes of a "
                f"meeting held on or after it ({when}). Choose the minutes of an earlier meeting."
            )
        elif not approved.live:
            message = (
                f"the minutes of {when} have not been published yet; publish them as draft "
                "minutes first."
            )
        else:
            other = (
                MinuteItem.objects.filter(approves=approved, minutes__live=True)
                .exclude(minutes_id=minutes.pk)
                .select_related("minutes__meeting")
                .first()
            )
            if other is not None:
                message = (
                    f"the minutes of {when} were already approved as a correct record at the "
                    f"meeting of {format_date(other.minutes.meeting.start)} (minute "
                    f"{other.number})."
                )
        approved_here.add(approved.pk)
        if message:
            problems.append(
                Problem(f"Minute {p.item.number}: {message}", minute=p, field="approves")
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
    """A citation must name a minute that exists: another of these minutes, or a published minute
    of an earlier meeting of the board.

    A cited minute with no resolutions recorded at all (archived minutes are often summaries)
    accepts a citation of any of its resolution numbers.
    """
    board, meeting = board_and_meeting(minutes)
    problems = []
    for p in proposed:
        own = {q.item.number: q for q in proposed if q is not p and q.item.number is not None}
        for written, number, resolution in citations_in(p.item.narrative):
            if number in own:
                numbers = {r.number for r in own[number].resolutions}
                when = "these minutes"
            else:
                cited = find_cited_minute(board, meeting, number)
                if cited is None:
                    problems.append(
                        Problem(
                            f"Minute {p.item.number} cites '{written}', but {board.title} has no "
                            f"published minute {number} before {format_date(meeting.start)}. "
                            "Check the number, or publish the earlier minutes first.",
                            minute=p,
                            field="narrative",
                        )
                    )
                    continue
                numbers = set(cited.resolutions.values_list("number", flat=True))
                when = f"the minutes of {format_date(cited.minutes.meeting.start)}"
            if resolution and numbers and resolution not in numbers:
                listed = ", ".join(f"({n})" for n in sorted(n for n in numbers if n))
                problems.append(
                    Problem(
                        f"Minute {p.item.number} cites '{written}', but minute {number} of "
                        f"{when} has no resolution ({resolution}); its resolutions are {listed}.",
                        minute=p,
                        field="narrative",
                    )
                )
    return problems


def attendance_problems(attendance):
    """Each person is listed once in the attendance."""
    problems = []
    seen = set()
    for row in attendance:
        if row.person_id is None:
            continue
        if row.person_id in seen:
            problems.append(
                Problem(
                    f"{row.person} is listed twice in the attendance. List each person once, "
                    "in the group they attended in.",
                    attendance=row,
                    field="person",
                )
            )
        seen.add(row.person_id)
    return problems


def context_problems(minutes, proposed):
    return (
        sequence_problems(minutes, proposed)
        + approval_problems(minutes, proposed)
        + citation_problems(minutes, proposed)
    )


def find_problems(minutes, proposed, attendance=()):
    """Number what is unnumbered, then every rule: a list of Problems (empty if all is well)."""
    number_minutes(minutes, proposed)
    return (
        intrinsic_problems(minutes, proposed)
        + context_problems(minutes, proposed)
        + attendance_problems(attendance)
    )


def minutes_problems(minutes, proposed):
    """Every rule, as messages."""
    return [problem.message for problem in find_problems(minutes, proposed)]


def _by_sort_order(row):
    return (row.sort_order is None, row.sort_order or 0)


def _keep_order(rows):
    """Rows built in code have no sort order: fix the order they were given in, or the database
    may return them in any order."""
    rows = list(rows)
    if any(row.sort_order is None for row in rows):
        for position, row in enumerate(rows):
            row.sort_order = position


def proposed_from_database(minutes):
    """The minutes' items as they stand on the instance (saved, or in memory from a revision)."""
    return [
        ProposedMinute(item=item, resolutions=sorted(item.resolutions.all(), key=_by_sort_order))
        for item in sorted(minutes.minute_items.all(), key=_by_sort_order)
    ]


def check_minutes(minutes, *, everything=False):
    """Number the minutes and apply the rules about the minutes alone (or, if asked, all rules).

    The model calls it as it is cleaned; code that loads minutes can pass `everything=True`
    to get the editor's checks as well.
    """
    if not minutes.depth and not minutes.meeting_id:
        return
    proposed = proposed_from_database(minutes)
    _keep_order(p.item for p in proposed)
    for p in proposed:
        _keep_order(p.resolutions)
    _keep_order(sorted(minutes.attendance.all(), key=_by_sort_order))
    number_minutes(minutes, proposed)
    problems = intrinsic_problems(minutes, proposed)
    if everything:
        problems += context_problems(minutes, proposed)
        problems += attendance_problems(minutes.attendance.all())
    if problems:
        raise ValidationError([problem.message for problem in problems])


def record_citations(minutes):
    """Rebuild the citation links of published minutes so the site can link them."""
    from .minutes import MinuteCitation

    board, meeting = board_and_meeting(minutes)
    items = list(minutes.minute_items.all())
    MinuteCitation.objects.filter(citing__in=items).delete()
    links = []
    for item in items:
        for written, number, resolution in citations_in(item.narrative):
            own = next(
                (i for i in items if i.number == number and i.pk != item.pk),
                None,
            )
            cited = own or find_cited_minute(board, meeting, number)
            if cited is not None:
                links.append(
                    MinuteCitation(
                        citing=item, cited=cited, resolution_number=resolution, text=written
                    )
                )
    MinuteCitation.objects.bulk_create(links)
    return links
