"""A board's forward programme: what is planned for its future meetings, and what should be.

The programme is the board's ForwardPlanItems for its future meetings (and those not yet given a
meeting) plus, as placeholders, its open obligations that nothing covers yet. An officer places a
placeholder on a meeting (`place_obligation`), then turns it into an agenda item
(`make_agenda_item`), which links the obligation to the item.

Agenda items are children of the meeting page, kept in its revisions. On a meeting that is not
published, the new item is saved with the page and linked at once. On a published meeting the
public agenda must not change without going through approval, so the item is added to a new
draft revision only, and the obligation is linked when that revision is published (see
`link_published_plan_items`, connected to Wagtail's page_published signal in boards/duties.py).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetings.dates import format_date

from .duties import ForwardPlanItem, Obligation, ObligationStatus
from .obligation_status import (
    CALLED_OFF_WORDS,
    OPEN_STATUSES,
    link_obligation,
    link_problems,
    local_day,
    obligation_statuses,
    the,
    window_text,
)
from .obligations import shift_months

PLACEHOLDER_HORIZON_MONTHS = 12  # open obligations whose window opens within this many months
SUGGESTION_NEAR_DAYS = 31  # a meeting this close to a window is offered its obligation too


@dataclass
class Placeholder:
    """An open obligation of the board that no forward programme item covers yet.

    `meetings` are the board's future meetings inside the window, where it could be placed.
    """

    obligation: Obligation
    status: object
    meetings: list = field(default_factory=list)

    @property
    def title(self):
        return plan_title(self.obligation)


@dataclass
class MeetingPlan:
    """One future meeting and the items planned for it, in order."""

    meeting: object
    items: list = field(default_factory=list)

    @property
    def is_called_off(self):
        return self.meeting.status in CALLED_OFF_WORDS


@dataclass
class ForwardProgramme:
    board: object
    today: datetime.date
    meetings: list = field(default_factory=list)
    unscheduled: list = field(default_factory=list)
    placeholders: list = field(default_factory=list)


def plan_title(obligation):
    """The title an obligation takes in a forward programme and on an agenda."""
    return obligation.duty.title


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def forward_programme(board, *, today=None, horizon_months=PLACEHOLDER_HORIZON_MONTHS):
    """The forward programme of `board` as it stands on `today`; a fixed number of queries.

    `meetings`: each future meeting (called-off ones included, flagged) with its planned items;
    `unscheduled`: items not yet given a meeting; `placeholders`: the board's obligations that
    are due, at risk or not yet due, open within `horizon_months`, and that no item covers.
    """
    from meetings.models import MeetingPage

    today = today or timezone.localdate()
    meetings = list(
        MeetingPage.objects.child_of(board).filter(start__gte=_start_of(today)).order_by("start")
    )
    plans = {meeting.pk: MeetingPlan(meeting) for meeting in meetings}
    programme = ForwardProgramme(board=board, today=today, meetings=list(plans.values()))

    items = (
        ForwardPlanItem.objects.filter(board=board)
        .filter(Q(meeting__in=list(plans)) | Q(meeting__isnull=True))
        .select_related("obligation", "obligation__duty", "agenda_item")
        .order_by("sort_order", "pk")
    )
    for item in items:
        if item.meeting_id is None:
            programme.unscheduled.append(item)
        else:
            plans[item.meeting_id].items.append(item)

    horizon = shift_months(today, horizon_months)
    candidates = list(
        Obligation.objects.filter(
            receiver=board,
            agenda_item__isnull=True,
            met_on__isnull=True,
            waived_reason="",
            window_end__gte=today,
            forward_plan_items__isnull=True,
        )
        .filter(Q(window_start__lte=horizon) | Q(window_start__isnull=True))
        .select_related("duty")
        .order_by("window_end", "duty__title", "pk")
    )
    statuses = obligation_statuses(candidates, today=today)
    for obligation in candidates:
        status = statuses[obligation.pk]
        if status.status not in OPEN_STATUSES:
            continue
        start = obligation.window_start or today
        inside = [
            meeting
            for meeting in meetings
            if meeting.status not in CALLED_OFF_WORDS
            and start <= local_day(meeting.start) <= obligation.window_end
        ]
        programme.placeholders.append(Placeholder(obligation, status, inside))
    return programme


def _check_meeting_for(obligation, meeting, reason, *, today):
    """Refuse to place `obligation` on `meeting` when it cannot meet it; returns the board."""
    board = meeting.get_parent()
    day = local_day(meeting.start)
    if obligation.receiver_id is None:
        raise ValidationError(
            f"This obligation is to {the(obligation.receiver_body)}, which is not a board here: "
            "record when it was met instead."
        )
    if obligation.agenda_item_id:
        raise ValidationError(
            "This obligation is already linked to an agenda item; unlink it first to plan it "
            "for another meeting."
        )
    if day < today:
        raise ValidationError(
            f"The meeting of {format_date(day)} has already taken place: link the item that was "
            "taken there instead."
        )
    if meeting.status in CALLED_OFF_WORDS:
        raise ValidationError(
            f"The meeting of {format_date(day)} was {CALLED_OFF_WORDS[meeting.status]}: choose "
            "another meeting."
        )
    if board.pk != obligation.receiver_id:
        raise ValidationError(
            f"The meeting of {format_date(day)} is a meeting of {the(board.title)}; this "
            f"obligation is to {the(obligation.receiver_name)}."
        )
    start, end = obligation.window_start, obligation.window_end
    outside = (start and day < start) or day > end
    if outside and not reason:
        raise ValidationError(
            f"The meeting of {format_date(day)} is outside the window ({window_text(obligation)}). "
            "Give the reason to plan it there anyway."
        )
    return board


def place_obligation(obligation, meeting, *, user=None, reason="", today=None):
    """Plan `obligation` for `meeting` of the receiving board; returns the ForwardPlanItem.

    An obligation already in the programme is moved rather than listed twice. A meeting outside
    the window needs a reason, kept as the obligation's `link_reason` for when the item is
    linked. Raises ValidationError with a clear message otherwise. (`user` is accepted for the
    admin's log; the item itself records no author.)
    """
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    board = _check_meeting_for(obligation, meeting, reason, today=today)
    with transaction.atomic():
        if reason and reason != obligation.link_reason:
            obligation.link_reason = reason
            obligation.save(update_fields=["link_reason"])
        item = (
            ForwardPlanItem.objects.filter(obligation=obligation, agenda_item__isnull=True)
            .order_by("pk")
            .first()
        )
        position = ForwardPlanItem.objects.filter(meeting=meeting).count()
        if item is None:
            item = ForwardPlanItem(
                board_id=board.pk,
                obligation=obligation,
                title=plan_title(obligation)[:500],
                description=obligation.duty.what,
                lead=obligation.duty.presented_by[:200],
            )
        item.meeting = meeting
        item.sort_order = position
        item.save()
    return item


@dataclass
class AgendaItemMade:
    """What `make_agenda_item` did.

    `agenda_item` is saved (and linked) when the meeting is not published; when it is,
    `pending` is True, the item exists only in the draft `revision`, and the obligation is linked
    when that revision is published. `status` is the obligation's StatusResult once linked.
    """

    agenda_item: object
    revision: object
    pending: bool
    status: object = None


def _new_item(plan_item):
    from meetings.models import AgendaItem, AgendaSection

    return AgendaItem(
        title=plan_item.title,
        section=AgendaSection.DISCUSSION,
        presenter_text=plan_item.lead,
        summary=plan_item.description,
    )


def _insert(page, item):
    """Put `item` before 'Date, time and venue of future meetings' if the agenda ends with it."""
    from meetings.models import StandardItem

    items = list(page.agenda_items.all())
    position = len(items)
    if items and items[-1].kind == StandardItem.FUTURE_MEETINGS:
        position -= 1
        last = items[-1]
        if last.number is not None:
            item.number = last.number
            last.number += 1
    items.insert(position, item)
    for order, each in enumerate(items):
        each.sort_order = order
    page.agenda_items = items
    return item


def make_agenda_item(plan_item, *, user=None, today=None):
    """Turn a placed forward-programme item into an agenda item of its meeting.

    The item is added to the latest revision of the meeting page (draft changes included). On an
    unpublished meeting the page is saved with it and the obligation linked at once; on a
    published one it goes into a new draft revision for approval and publication, and the link
    follows publication. Returns an AgendaItemMade. Raises ValidationError when the item has no
    meeting, already became an agenda item, or its obligation cannot be linked to that meeting.
    """
    meeting = plan_item.meeting
    if meeting is None:
        raise ValidationError("Place the item on a meeting first.")
    if plan_item.agenda_item_id:
        raise ValidationError(
            f"This item is already on the agenda of {format_date(local_day(meeting.start))}."
        )
    meeting = meeting.specific
    if meeting.status in CALLED_OFF_WORDS:
        raise ValidationError(
            f"The meeting of {format_date(local_day(meeting.start))} was "
            f"{CALLED_OFF_WORDS[meeting.status]}: place the item on another meeting."
        )
    obligation = plan_item.obligation
    if obligation is not None:
        problems = link_problems(obligation, _ItemAt(meeting, plan_item.title))
        if problems and not obligation.link_reason:
            raise ValidationError(problems + ["Give the reason to plan it there anyway."])

    with transaction.atomic():
        page = meeting.get_latest_revision_as_object() if meeting.latest_revision_id else meeting
        item = _insert(page, _new_item(plan_item))
        if meeting.live:
            revision = page.save_revision(user=user, log_action=True)
            return AgendaItemMade(agenda_item=item, revision=revision, pending=True)
        page.save()
        revision = page.save_revision(user=user, log_action=True)
        plan_item.agenda_item = item
        plan_item.save(update_fields=["agenda_item"])
        status = None
        if obligation is not None:
            status = link_obligation(
                obligation, item, reason=obligation.link_reason, user=user, today=today
            )
        return AgendaItemMade(agenda_item=item, revision=revision, pending=False, status=status)


class _ItemAt:
    """Stands in for an agenda item of `meeting` when checking a link before the item exists."""

    def __init__(self, meeting, title):
        self.meeting = meeting
        self.title = title
        self.display_number = ""


def _same_title(first, second):
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def link_published_plan_items(page):
    """After `page` is published: link its forward-programme items to the agenda items now there.

    An item is matched by its title. Its obligation is linked if that is valid (an obligation
    needing a reason uses the one recorded when it was placed); otherwise it is left for an
    officer to link by hand.
    """
    from meetings.models import AgendaItem, MeetingPage

    if not isinstance(page, MeetingPage):
        return
    pending = list(
        ForwardPlanItem.objects.filter(meeting_id=page.pk, agenda_item__isnull=True).select_related(
            "obligation"
        )
    )
    if not pending:
        return
    items = list(AgendaItem.objects.filter(meeting_id=page.pk).select_related("meeting"))
    for plan_item in pending:
        match = next((item for item in items if _same_title(item.title, plan_item.title)), None)
        if match is None:
            continue
        plan_item.agenda_item = match
        plan_item.save(update_fields=["agenda_item"])
        obligation = plan_item.obligation
        if obligation is None or obligation.agenda_item_id:
            continue
        try:
            link_obligation(obligation, match, reason=obligation.link_reason)
        except ValidationError:
            continue  # an officer links it by hand, giving a reason


def suggested_obligations_for(board, day, *, near_days=SUGGESTION_NEAR_DAYS):
    """The open obligations of `board` that an item at a meeting on `day` could meet.

    Not yet linked, met or waived; window containing `day` or within `near_days` of it. Each has
    `inside_window` set (False: linking needs a reason). Those inside the window come first,
    then by window end. One query.
    """
    near = datetime.timedelta(days=near_days)
    obligations = list(
        Obligation.objects.filter(
            receiver=board,
            agenda_item__isnull=True,
            met_on__isnull=True,
            waived_reason="",
            window_end__gte=day - near,
        )
        .filter(Q(window_start__lte=day + near) | Q(window_start__isnull=True))
        .select_related("duty", "receiver")
    )
    for obligation in obligations:
        start = obligation.window_start
        obligation.inside_window = (start is None or start <= day) and day <= obligation.window_end
    obligations.sort(key=lambda o: (not o.inside_window, o.window_end, o.duty.title, o.pk))
    return obligations


def suggested_obligations(meeting, *, near_days=SUGGESTION_NEAR_DAYS):
    """The open obligations an agenda item of `meeting` could meet (see suggested_obligations_for).

    For the admin to offer when an officer adds an agenda item to a receiving board's meeting.
    """
    return suggested_obligations_for(
        meeting.get_parent(), local_day(meeting.start), near_days=near_days
    )


__all__ = [
    "AgendaItemMade",
    "ForwardProgramme",
    "MeetingPlan",
    "ObligationStatus",
    "Placeholder",
    "forward_programme",
    "link_published_plan_items",
    "make_agenda_item",
    "place_obligation",
    "plan_title",
    "suggested_obligations",
    "suggested_obligations_for",
]
