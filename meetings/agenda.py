"""Building an agenda: the standard opening items and linking the previous meeting."""

from .models import STANDARD_OPENING_ITEMS, AgendaItem, AgendaSection, MeetingPage, StandardItem


def standard_opening_items():
    """Fresh, unsaved opening items for a new meeting, numbered from 1."""
    return [
        AgendaItem(
            number=number,
            title=title,
            kind=kind,
            section=AgendaSection.PROCEDURAL,
            is_verbal=kind != StandardItem.PREVIOUS_MINUTES,
            sort_order=number - 1,
        )
        for number, (kind, title) in enumerate(STANDARD_OPENING_ITEMS, start=1)
    ]


def previous_meeting_of(meeting, board=None):
    """The board's last meeting that was held (or scheduled) before this one."""
    board = board or meeting.get_parent()
    queryset = MeetingPage.objects.child_of(board).filter(start__lt=meeting.start)
    queryset = queryset.exclude(status__in=["cancelled", "postponed", "moved"])
    if meeting.pk:
        queryset = queryset.exclude(pk=meeting.pk)
    return queryset.order_by("-start").first()


def number_items(items):
    """Give unnumbered items the number after the one before; sub-items share their parent's."""
    last = 0
    for item in items:
        if item.number is None:
            item.number = last if item.sub_item else last + 1
        last = item.number
    return items
