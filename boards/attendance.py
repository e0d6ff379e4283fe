"""A member's attendance record: how many of the board's minuted meetings they attended.

Counted over the board's meetings that have published minutes, held while the person held their
current seat. "Attended" counts the person recorded as present (in any group); a substitute who
attended for them is counted separately as "substituted", so the record neither hides nor
double-counts a seat that was filled by someone else. Apologies are shown too.

All of it is one query: each figure is a correlated COUNT subquery on the memberships, so the
cost does not grow with the number of members or meetings.
"""

import datetime

from django.db.models import Count, DateField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import MembershipRole

# Roles whose holders are expected at every meeting; officers, observers and substitutes are not.
EXPECTED_ROLES = [
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.INDEPENDENT_CHAIR,
    MembershipRole.CO_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.CO_OPTEE,
]

# An open-ended membership: from the earliest to the latest date a database will compare.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(9999, 12, 31)


def _during_membership(meeting_date):
    """Q: the meeting (by its UK date, at `meeting_date`) falls within the outer membership."""
    starts = Coalesce(OuterRef("start_date"), Value(EARLIEST, output_field=DateField()))
    ends = Coalesce(OuterRef("end_date"), Value(LATEST, output_field=DateField()))
    return Q(**{f"{meeting_date}__gte": starts, f"{meeting_date}__lte": ends})


def _count(queryset, group_by, distinct_field):
    counted = (
        queryset.order_by()
        .values(group_by)
        .annotate(n=Count(distinct_field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attendance_record(board, on=None):
    """Current members (chair first, as on the board page) with their attendance figures.

    Returns dicts with name, attended, expected, substituted and apologies.
    """
    from meetings.minutes import Attendance, AttendanceStatus, MinutesPage

    minuted = MinutesPage.objects.live().filter(board=board, meeting__live=True)
    at_minuted = Attendance.objects.filter(minutes__in=minuted.values("pk"))
    meeting_date = "minutes__meeting__start__date"

    memberships = (
        board.current_memberships(on=on)
        .filter(role__in=EXPECTED_ROLES)
        .annotate(
            expected=_count(
                minuted.filter(_during_membership("meeting__start__date")), "board", "pk"
            ),
            attended=_count(
                at_minuted.filter(
                    _during_membership(meeting_date),
                    person=OuterRef("person"),
                    status=AttendanceStatus.PRESENT,
                ),
                "person",
                "minutes",
            ),
            substituted=_count(
                at_minuted.filter(
                    _during_membership(meeting_date),
                    represents=OuterRef("person"),
                    status=AttendanceStatus.PRESENT,
                ),
                "represents",
                "minutes",
            ),
            apologies=_count(
                at_minuted.filter(
                    _during_membership(meeting_date),
                    person=OuterRef("person"),
                    status=AttendanceStatus.APOLOGIES,
                ),
                "person",
                "minutes",
            ),
        )
    )
    order = {role: index for index, role in enumerate(EXPECTED_ROLES)}
    rows = sorted(memberships, key=lambda m: (order.get(m.role, len(order)), m.sort_order or 0))
    return [
        {
            "name": membership.person.full_name,
            "role": membership.get_role_display(),
            "attended": membership.attended,
            "expected": membership.expected,
            "substituted": membership.substituted,
            "apologies": membership.apologies,
        }
        for membership in rows
    ]
