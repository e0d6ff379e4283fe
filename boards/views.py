"""What a board page shows: its remit, members by role and their attendance record, upcoming
meetings and past meetings by year.

Past meetings are paged by municipal year (`?year=2016`, newest first) so that ten years of
meetings never land on one page; the page costs the same few queries whatever the board's history.
"""

from django.http import Http404
from django.utils import timezone

from home.templatetags.public_site import page_frame
from meetings.models import MeetingPage
from meetings.views import meeting_row

from .attendance import attendance_record
from .models import ROLE_ORDER, BoardPage, MembershipRole


def _role_heading(role, count):
    label = MembershipRole(role).label
    return f"{label}s" if count > 1 else label


def members_by_role(memberships):
    """Current members grouped by role, chair first (ROLE_ORDER), as plain rows.

    Only names, seats and job titles leave here: a person's email and phone are never public.
    """
    groups = {role: [] for role in ROLE_ORDER}
    for membership in memberships:
        person = membership.person
        represents = membership.represents
        groups.setdefault(membership.role, []).append(
            {
                "name": person.full_name,
                "seat": membership.seat,
                "role_line": person.role_line,
                "represents": represents.full_name if represents else "",
            }
        )
    return [
        {"role": role, "heading": _role_heading(role, len(rows)), "members": rows}
        for role, rows in groups.items()
        if rows
    ]


def _year_url(year):
    return f"?year={year}"


def _year_link(board, year):
    if year is None:
        return None
    return {"label": board.municipal_year_label(year), "url": _year_url(year)}


def choose_municipal_year(board, past_starts, requested):
    """Which municipal year of past meetings to show, and the pagination over the years.

    `past_starts` is (pk, start) of every past meeting. Returns a dict with `year` (None when
    the board has no past meetings), `pks` (that year's meetings), and the pagination entries.
    An unknown year is a 404; a malformed one falls back to the latest.
    """
    by_year = {}
    for pk, start in past_starts:
        year = board.municipal_year_of(timezone.localdate(start))
        by_year.setdefault(year, []).append((start, pk))
    years = sorted(by_year, reverse=True)
    if not years:
        return {"year": None, "pks": [], "years": []}

    year = years[0]
    if requested:
        try:
            year = int(requested)
        except ValueError:
            year = years[0]
        if year not in by_year:
            raise Http404("The board has no past meetings in that municipal year.")

    index = years.index(year)
    return {
        "year": year,
        "year_label": board.municipal_year_label(year),
        "pks": [pk for _, pk in sorted(by_year[year], reverse=True)],
        "years": [
            {
                "year": y,
                "label": board.municipal_year_label(y),
                "url": _year_url(y),
                "current": y == year,
            }
            for y in years
        ],
        "newer": _year_link(board, years[index - 1] if index > 0 else None),
        "older": _year_link(board, years[index + 1] if index + 1 < len(years) else None),
    }


def board_context(board, request):
    """The board page's context, built in a fixed number of queries."""
    from actions_log.plan_views import public_plan_links

    breadcrumbs = page_frame(board, request)["breadcrumbs"]
    reports_to = [
        {"title": parent.title, "url": parent.get_url(request)}
        for parent in BoardPage.objects.live().filter(reported_to_by=board).order_by("title")
    ]
    members = members_by_role(board.current_memberships())

    # Dates first, then only the meetings to be shown: a board's history grows every year.
    now = timezone.now()
    starts = list(MeetingPage.objects.child_of(board).live().values_list("pk", "start"))
    upcoming_pks = {pk for pk, start in starts if start >= now}
    requested_year = request.GET.get("year", "").strip() if request is not None else ""
    past = choose_municipal_year(
        board, [(pk, start) for pk, start in starts if start < now], requested_year
    )
    shown = MeetingPage.objects.filter(pk__in=[*upcoming_pks, *past["pks"]]).order_by("start", "pk")
    rows = {meeting.pk: meeting_row(meeting, request) for meeting in shown}
    past["meetings"] = [rows[pk] for pk in past["pks"] if pk in rows]

    url = board.get_url(request)
    return {
        "breadcrumbs": breadcrumbs,
        "reports_to": reports_to,
        "member_groups": members,
        "attendance_record": attendance_record(board),
        "upcoming_meetings": [row for pk, row in rows.items() if pk in upcoming_pks],
        "past": past,
        "calendar_url": f"{url}calendar.ics",
        "plan_links": public_plan_links(board, request),
    }
