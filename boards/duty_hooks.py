"""Admin hooks for duties: refuse deletions that would lose evidence or break a duty.

Registered by boards/wagtail_hooks.py importing this module. A page is not deleted when

- a meeting in it (or, for minutes, their meeting) has an agenda item that is the evidence of a
  met obligation: the minutes that met a duty are the record that it was met;
- a board in it is a party to a duty or receives obligations (the database protects those rows;
  without this hook the admin would fail with a server error).

Whatever happens (a deletion from the shell bypasses the admin), an obligation keeps its copy of
the evidence and its status history: the agenda item link is SET_NULL and history is PROTECTed.
"""

from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin import messages

from .duties import DutyParty, Obligation, ObligationStatus
from .obligation_status import day_month_year, obligation_statuses, the


def _meetings_in(page):
    from meetings.minutes import MinutesPage
    from meetings.models import MeetingPage

    meetings = MeetingPage.objects.descendant_of(page, inclusive=True)
    specific = page.specific_class
    if specific is not None and issubclass(specific, MinutesPage):
        minutes = MinutesPage.objects.filter(pk=page.pk).values_list("meeting_id", flat=True)
        meetings = MeetingPage.objects.filter(pk__in=list(minutes))
    return meetings


def evidence_in(page):
    """(obligation, StatusResult) of a met obligation whose evidence `page` holds, or None."""
    obligations = list(
        Obligation.objects.filter(agenda_item__meeting__in=_meetings_in(page))
        .select_related("duty", "receiver")
        .order_by("window_end", "pk")
    )
    if not obligations:
        return None
    statuses = obligation_statuses(obligations)
    for obligation in obligations:
        if statuses[obligation.pk].status == ObligationStatus.MET:
            return obligation, statuses[obligation.pk]
    return None


def duties_of_boards_in(page):
    """Titles of the duties a board in `page` is a party to or receives obligations of."""
    from .models import BoardPage

    boards = BoardPage.objects.descendant_of(page, inclusive=True)
    titles = set(
        DutyParty.objects.filter(board__in=boards).values_list("duty__title", flat=True)
    ) | set(Obligation.objects.filter(receiver__in=boards).values_list("duty__title", flat=True))
    return sorted(titles)


def refusal(page):
    """Why `page` must not be deleted, or None."""
    title = page.get_admin_display_title()
    found = evidence_in(page)
    if found is not None:
        obligation, status = found
        when = day_month_year(obligation.evidence_date) if obligation.evidence_date else ""
        return (
            f"'{title}' was not deleted: its agenda item '{obligation.evidence_title}'"
            f"{f' of {when}' if when else ''} is the evidence that '{obligation.duty.title}' to "
            f"{the(obligation.receiver_name)} ({obligation.period_label}) was met "
            f"({status.reason[0].lower()}{status.reason[1:]}). Unlink the obligation first if "
            "that evidence is wrong."
        )
    duties = duties_of_boards_in(page)
    if duties:
        listed = "; ".join(duties[:5]) + ("; …" if len(duties) > 5 else "")
        return (
            f"'{title}' was not deleted: it includes a board that is a party to duties between "
            f"boards ({listed}). Remove the board from those duties first."
        )
    return None


@hooks.register("before_delete_page")
def refuse_to_delete_duty_evidence(request, page):
    message = refusal(page)
    if message is None:
        return None
    messages.error(request, message)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_bulk_action")
def refuse_to_delete_duty_evidence_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not hasattr(objects[0], "specific_class"):
        return None
    for page in objects:
        message = refusal(page)
        if message is not None:
            messages.error(request, "Nothing was deleted. " + message)
            return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
    return None
