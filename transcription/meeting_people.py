"""The people who may have spoken at a meeting: whom speakers, owners and cues are matched to."""

from django.db.models import Q
from django.utils import timezone

from boards.models import Membership, Person
from meetings.minutes import Attendance
from meetings.models import AgendaItem


def meeting_people(meeting, *, recording=None):
    """The board's members on the day of the meeting (and those they stood in for), everyone in
    its attendance, its presenters and, given a recording, the people its voices are mapped to;
    by family name. A queryset: one query."""
    from .models import Speaker

    day = timezone.localtime(meeting.start).date()
    members = Membership.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        board__path=meeting.path[: -meeting.steplen],
    )
    presenters = AgendaItem.presenters.through.objects.filter(agendaitem__meeting=meeting)
    attendance = Attendance.objects.filter(minutes__meeting=meeting)
    who = (
        Q(pk__in=members.values("person"))
        | Q(pk__in=members.exclude(represents=None).values("represents"))
        | Q(pk__in=attendance.values("person"))
        | Q(pk__in=attendance.exclude(represents=None).values("represents"))
        | Q(pk__in=presenters.values("person"))
    )
    if recording is not None:
        who |= Q(pk__in=Speaker.objects.filter(recording=recording).values("person"))
    return Person.objects.filter(who).order_by("family_name", "given_name", "pk")
