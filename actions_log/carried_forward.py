"""Actions carried forward: what a board had still to do when it met.

At each meeting the "minutes of the previous meeting / matters arising" item goes through the
board's outstanding actions, and the agenda pack carries the action log. An action was open at a
meeting held on a date when it was raised before that date and not completed before it: still open
or in progress, or completed on that date or later (the meeting itself may discharge it). Those
whose due date had passed by then are overdue as at the meeting. "No longer required" actions are
closed and never carried.

`carried_forward` costs two queries, whatever the number of actions: the actions (with the
latest update as annotations) and their owners.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from .models import OPEN_STATUSES, ActionStatus, ActionUpdate
from .public import (
    IN_MINUTES_ORDER,
    RELATED,
    members_board_actions,
    owners_prefetch,
    present,
    public_board_actions,
    update_row,
)


def open_at(actions, on_date):
    """The actions that were open at a meeting held on `on_date`."""
    return actions.filter(raised_on__lt=on_date).filter(
        Q(status__in=OPEN_STATUSES)
        | Q(status=ActionStatus.COMPLETED, completed_on__isnull=False, completed_on__gte=on_date)
    )


def _latest_update(include_internal):
    """Annotations of the latest update's fields: one subquery each, no extra round trip."""
    updates = ActionUpdate.objects.filter(action=OuterRef("pk"))
    if not include_internal:
        updates = updates.filter(is_internal=False)
    updates = updates.order_by("-created_at", "-pk")
    return {
        f"latest_update_{name}": Subquery(updates.values(name)[:1])
        for name in ("pk", "created_at", "author_name", "text", "status", "is_internal")
    }


def _latest(action):
    if getattr(action, "latest_update_pk", None) is None:
        return []
    update = ActionUpdate(
        pk=action.latest_update_pk,
        created_at=action.latest_update_created_at,
        author_name=action.latest_update_author_name or "",
        text=action.latest_update_text or "",
        status=action.latest_update_status or "",
        is_internal=bool(action.latest_update_is_internal),
    )
    return [update_row(update)]


def carried_forward(board, on_date, *, members=False, request=None):
    """The board's actions open at a meeting on `on_date`, oldest first, as `ActionRow`s with
    overdue judged at that date and the latest update as their only update.

    For the public (the default) only public actions and public updates; `members=True` (the
    members' pack) adds actions the public may not see, except those of draft minutes, and
    internal updates.
    """
    actions = members_board_actions(board) if members else public_board_actions(board)
    actions = (
        open_at(actions, on_date)
        .with_due()
        .annotate(**_latest_update(include_internal=members))
        .select_related(*RELATED)
        .prefetch_related(owners_prefetch())
        .order_by("raised_on", *IN_MINUTES_ORDER)
    )
    return [
        present(action, board, request, on=on_date, updates=_latest(action)) for action in actions
    ]


@dataclass
class CarriedForward:
    """What a meeting page shows under its 'minutes of the previous meeting' item."""

    on_label: str
    rows: list = field(default_factory=list)
    action_log_url: str = ""

    @property
    def overdue_count(self):
        return sum(1 for row in self.rows if row.is_overdue)


def attach_to_agenda(agenda, items, meeting, board, request):
    """Give the 'minutes of the previous meeting' row of a meeting page its carried-forward list.

    `items` are the loaded agenda items (meetings.views.LoadedItem) and `agenda` the groups of
    rows built from them. Public actions only, whoever reads the page. Costs nothing when the
    agenda has no such item.
    """
    from meetings.citations import meeting_day
    from meetings.dates import format_date
    from meetings.models import StandardItem

    wanted = {
        loaded.item.pk
        for loaded in items
        if loaded.item.kind == StandardItem.PREVIOUS_MINUTES and loaded.item.pk
    }
    rows = [
        row for group in agenda for row in group.rows if row.item_id in wanted and not row.withheld
    ]
    if board is None or not rows or meeting.start is None:
        return None
    day = meeting_day(meeting)
    board_url = board.get_url(request) or ""
    carried = CarriedForward(
        on_label=format_date(day),
        rows=carried_forward(board, day, request=request),
        action_log_url=f"{board_url}actions/?status=open" if board_url else "",
    )
    for row in rows:
        row.carried_forward = carried
    return carried
