"""What the duties pages list: each duty and its periods in a year, with status and evidence.

Shared by the public page (/duties/), its iCalendar feed and the officers' dashboard. Statuses
come from `obligation_statuses`, so a page costs the same few queries whatever the number of
obligations. For the public, an obligation met (or to be met) by an exempt agenda item shows only
that it was "an item considered in private": never the item's title, in the evidence column or
in the reason, and nothing of a meeting or board that is not published or is restricted.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction

from meetings.dates import format_date

from .duties import Duty, DutyParty, Obligation, ObligationStatus, PartyRole
from .obligation_status import local_day, obligation_statuses, window_text

PRIVATE_ITEM = "an item considered in private"

# GOV.UK Frontend tag colours (the default tag is blue).
PUBLIC_TAG_CLASSES = {
    ObligationStatus.NOT_YET_DUE: "govuk-tag--grey",
    ObligationStatus.DUE: "govuk-tag--yellow",
    ObligationStatus.PLANNED: "",
    ObligationStatus.MET: "govuk-tag--green",
    ObligationStatus.AT_RISK: "govuk-tag--orange",
    ObligationStatus.MISSED: "govuk-tag--red",
    ObligationStatus.WAIVED: "govuk-tag--purple",
}

# The order statuses are counted and listed in (the legend, the summary).
STATUS_ORDER = [
    ObligationStatus.MISSED,
    ObligationStatus.AT_RISK,
    ObligationStatus.DUE,
    ObligationStatus.NOT_YET_DUE,
    ObligationStatus.PLANNED,
    ObligationStatus.MET,
    ObligationStatus.WAIVED,
]


# Which boards, meetings and pages the public may see --------------------------------------


def restricted_above(path_field):
    """Whether a view restriction sits on the page at `path_field` or on one of its ancestors.

    Treebeard paths make an ancestor's path a prefix of its descendants', so one correlated
    subquery answers it for every row.
    """
    return Exists(
        PageViewRestriction.objects.alias(
            prefix=Substr(OuterRef(path_field), 1, Length("page__path"))
        ).filter(prefix=F("page__path"))
    )


def public_boards():
    """The published boards open to the public."""
    from .models import BoardPage

    return BoardPage.objects.live().exclude(restricted_above("path"))


class Visibility:
    """What an anonymous visitor may see of pages, worked out with one query for all pages."""

    def __init__(self):
        self.restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))

    def page_is_public(self, page):
        if page is None:
            return False
        return self.path_is_public(page.path, page.live)

    def path_is_public(self, path, live=True):
        return bool(live) and not any(path.startswith(prefix) for prefix in self.restricted)


# Filters ---------------------------------------------------------------------------------


@dataclass
class FilterError:
    name: str
    message: str

    @property
    def target(self):
        return self.name


@dataclass
class DutyFilters:
    """The board and year asked for in the address (GET), checked.

    `board` is the chosen BoardPage (or None for all), `year` the chosen year. `boards` are the
    (slug, title) choices and `years` the years that have periods. Bad values give `errors`.
    """

    boards: list
    years: list
    board: object = None
    board_slug: str = ""
    year: int = 0
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def board_title(self):
        return self.board.title if self.board is not None else ""

    def query(self, **overrides):
        """The filters as query parameters, e.g. for the year links and the calendar feed."""
        params = {}
        if self.board_slug:
            params["board"] = self.board_slug
        if self.year:
            params["year"] = str(self.year)
        params.update({k: v for k, v in overrides.items() if v is not None})
        return {k: v for k, v in params.items() if v != ""}


def year_span(obligations):
    """The calendar years the windows of `obligations` touch, oldest first (one query)."""
    found = obligations.aggregate(
        first_start=Min("window_start"), first_end=Min("window_end"), last=Max("window_end")
    )
    firsts = [day for day in (found["first_start"], found["first_end"]) if day]
    if not firsts:
        return []
    return list(range(min(firsts).year, found["last"].year + 1))


def read_filters(params, *, boards, obligations, today):
    """Check `board` (a board's slug) and `year` from the query string.

    `boards` are the BoardPages that may be chosen; `obligations` the queryset the years are
    read from. An unknown board or a year without periods is an error with a plain message.
    """
    years = year_span(obligations) or [today.year]
    filters = DutyFilters(boards=[(b.slug, b.title) for b in boards], years=years)
    slug = (params.get("board") or "").strip()
    if slug:
        found = next((b for b in boards if b.slug == slug), None)
        if found is None:
            filters.errors.append(FilterError("board", "Choose a board from the list."))
        else:
            filters.board, filters.board_slug = found, slug
    typed = (params.get("year") or "").strip()
    if typed:
        if not re.fullmatch(r"[0-9]{4}", typed):
            filters.errors.append(FilterError("year", "Enter a year as four digits, like 2017."))
        elif int(typed) not in years:
            filters.errors.append(
                FilterError(
                    "year",
                    f"There are no periods of duties in {typed}: choose a year from "
                    f"{years[0]} to {years[-1]}.",
                )
            )
        else:
            filters.year = int(typed)
    if not filters.year:
        filters.year = min(max(today.year, years[0]), years[-1])
    return filters


def in_year(queryset, year):
    """Obligations whose window touches the calendar year (a deadline counts on its day)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return queryset.filter(window_end__gte=first).filter(
        Q(window_start__lte=last) | Q(window_start__isnull=True, window_end__lte=last)
    )


def involving(queryset, board, *, duty_field="duty"):
    """Obligations a board receives or owes; or, with duty_field="pk", duties it is party to.

    An obligation of a duty to two boards belongs to the board that receives it (and to the
    board the duty runs from), not to the other receiver.
    """
    parties = DutyParty.objects.filter(duty=OuterRef(duty_field), board=board)
    if duty_field == "pk":
        return queryset.filter(Exists(parties))
    return queryset.filter(Q(receiver=board) | Exists(parties.filter(role=PartyRole.FROM)))


def public_obligations():
    """Obligations of public duties to public boards or to outside bodies."""
    return Obligation.objects.filter(duty__is_public=True).filter(
        Q(receiver__isnull=True) | Q(receiver__in=public_boards())
    )


# Rows ------------------------------------------------------------------------------------


@dataclass
class ObligationRow:
    """One obligation as a page shows it."""

    obligation: object
    result: object
    reason: str
    tag_class: str
    window: str
    item_text: str = ""
    item_url: str = ""
    item_is_private: bool = False
    minutes_text: str = ""
    minutes_url: str = ""

    @property
    def status(self):
        return self.result.status

    @property
    def reason_sentence(self):
        return as_sentence(self.reason)

    @property
    def status_label(self):
        return self.result.label

    @property
    def receiver_name(self):
        return self.obligation.receiver_name


@dataclass
class DutyGroup:
    duty: object
    from_names: list
    to_names: list
    rows: list = field(default_factory=list)

    @property
    def frequency(self):
        if self.duty.frequency == "every_n_months" and self.duty.interval_months:
            return f"Every {self.duty.interval_months} months"
        return self.duty.get_frequency_display()


def as_sentence(text):
    """The reason with a full stop, unless it already ends a sentence."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


def _hide(text, title, replacement):
    if not title:
        return text
    return text.replace(f"the item '{title}'", replacement).replace(title, replacement)


def public_reason(obligation, result, title_is_public):
    """The reason with no title the public may not see.

    An item that is exempt, or whose meeting is not published, is named "an item considered in
    private". When the meeting's page has gone, the copy of the evidence cannot say whether the
    item was exempt, so its title is left out.
    """
    reason = result.reason
    item = result.agenda_item
    if item is not None and not title_is_public:
        reason = _hide(reason, item.title, PRIVATE_ITEM)
    if item is None and obligation.evidence_title:
        reason = reason.replace(f" ({obligation.evidence_title})", "")
        reason = _hide(reason, obligation.evidence_title, "an item")
    return reason


def _meeting_day(meeting):
    return format_date(local_day(meeting.start))


def public_row(obligation, result, visibility):
    meeting = result.meeting
    meeting_public = meeting is not None and visibility.page_is_public(meeting)
    item = result.agenda_item
    title_is_public = item is not None and meeting_public and not item.is_exempt
    reason = public_reason(obligation, result, title_is_public)
    if item is not None and not meeting_public and result.status == ObligationStatus.PLANNED:
        # Not even the date of a meeting the public cannot see yet.
        reason = "Planned for a meeting whose agenda is not published yet"
    row = ObligationRow(
        obligation=obligation,
        result=result,
        reason=reason,
        tag_class=PUBLIC_TAG_CLASSES[result.status],
        window=window_text(obligation),
    )
    if item is not None and meeting_public:
        number = f"Item {item.display_number}: " if item.display_number else ""
        if item.is_exempt:
            row.item_text = f"{number}{PRIVATE_ITEM}, {_meeting_day(meeting)}"
            row.item_is_private = True
        else:
            row.item_text = f"{number}{item.title}, {_meeting_day(meeting)}"
        row.item_url = result.meeting_url
    minutes = result.minutes
    if minutes is not None and result.minutes_url and visibility.page_is_public(minutes):
        number = f"Minute {result.minute_number}" if result.minute_number else "Minutes"
        row.minutes_text = f"{number} of {_meeting_day(meeting)}"
        row.minutes_url = result.minutes_url
    return row


def officer_row(obligation, result):
    """The row as officers see it: full titles, with exempt items marked as such."""
    row = ObligationRow(
        obligation=obligation,
        result=result,
        reason=result.reason,
        tag_class=PUBLIC_TAG_CLASSES[result.status],
        window=window_text(obligation),
    )
    item, meeting = result.agenda_item, result.meeting
    if item is not None:
        number = f"Item {item.display_number}: " if item.display_number else ""
        row.item_text = f"{number}{item.title}, {_meeting_day(meeting)}"
        row.item_is_private = item.is_exempt
        row.item_url = result.meeting_url
    elif obligation.evidence_title:
        row.item_text = obligation.evidence_title
        row.item_url = obligation.evidence_url
    if result.minutes is not None:
        number = f"Minute {result.minute_number}" if result.minute_number else "Minutes"
        row.minutes_text = f"{number} of {_meeting_day(meeting)}"
        row.minutes_url = result.minutes_url
    return row


def party_names(duties):
    """{duty id: {"from": [names], "to": [names]}} in the parties' order: one query.

    Read as plain rows: building a board page for each party costs more than the rest.
    """
    names = {}
    rows = (
        DutyParty.objects.filter(duty__in=duties)
        .order_by("duty_id", "sort_order", "pk")
        .values_list("duty_id", "role", "board__title", "body_name")
    )
    for duty_id, role, board_title, body_name in rows:
        sides = names.setdefault(duty_id, {PartyRole.FROM: [], PartyRole.TO: []})
        sides.setdefault(role, []).append(board_title or body_name)
    return names


def group_rows(duties, rows, *, keep_empty=True):
    """[DutyGroup] in the duties' order, each with its rows (oldest period first)."""
    by_duty = {}
    for row in rows:
        by_duty.setdefault(row.obligation.duty_id, []).append(row)
    duties = list(duties)
    names = party_names([duty.pk for duty in duties])
    groups = []
    for duty in duties:
        sides = names.get(duty.pk, {})
        group = DutyGroup(
            duty=duty,
            from_names=sides.get(PartyRole.FROM, []),
            to_names=sides.get(PartyRole.TO, []),
            rows=by_duty.get(duty.pk, []),
        )
        if group.rows or keep_empty:
            groups.append(group)
    return groups


def count_statuses(rows):
    """[(status value, label, count)] of the rows, in STATUS_ORDER, leaving out zeros."""
    counts = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return [
        (status.value, status.label, counts[status])
        for status in STATUS_ORDER
        if counts.get(status)
    ]


@dataclass
class DutyListing:
    filters: DutyFilters
    groups: list
    rows: list
    counts: list
    today: datetime.date
    visibility: object = None

    @property
    def receiving_boards(self):
        """The boards the rows go to, and the chosen board, by title (no query)."""
        boards = {row.obligation.receiver_id: row.obligation.receiver for row in self.rows}
        boards.pop(None, None)
        if self.filters.board is not None:
            boards[self.filters.board.pk] = self.filters.board
        return sorted(boards.values(), key=lambda board: board.title.casefold())


def listing(params, *, public, today=None, request=None, extra=None, keep_row=None):
    """Everything a duties page lists for the board and year in `params`, in a fixed number
    of queries.

    `extra` narrows the obligations' queryset further (e.g. to one duty); `keep_row` keeps only
    the rows it accepts (statuses are derived, so a status filter can only work on rows), and
    then duties with no row left are not listed.
    """
    from .models import BoardPage

    today = today or timezone.localdate()
    if public:
        boards = list(
            public_boards().order_by("title").only("title", "slug", "path", "depth", "live")
        )
        obligations = public_obligations()
        duties = Duty.objects.filter(is_public=True)
    else:
        boards = list(
            BoardPage.objects.order_by("title").only("title", "slug", "path", "depth", "live")
        )
        obligations = Obligation.objects.all()
        duties = Duty.objects.all()
    filters = read_filters(params, boards=boards, obligations=obligations, today=today)
    if not filters.is_valid:
        return DutyListing(filters=filters, groups=[], rows=[], counts=[], today=today)
    obligations = in_year(obligations, filters.year)
    if filters.board is not None:
        obligations = involving(obligations, filters.board)
        duties = involving(duties, filters.board, duty_field="pk")
    if extra is not None:
        obligations = extra(obligations)
    obligations = list(
        obligations.select_related("duty").order_by(
            "duty__title", "duty_id", "window_end", "receiver__title", "receiver_body", "pk"
        )
    )
    # The receiving boards are among those already loaded: no board page built twice.
    by_pk = {board.pk: board for board in boards}
    for obligation in obligations:
        if obligation.receiver_id in by_pk:
            obligation.receiver = by_pk[obligation.receiver_id]
    statuses = obligation_statuses(obligations, today=today, request=request)
    visibility = None
    if public:
        visibility = Visibility()
        rows = [public_row(o, statuses[o.pk], visibility) for o in obligations]
    else:
        rows = [officer_row(o, statuses[o.pk]) for o in obligations]
    if keep_row is not None:
        rows = [row for row in rows if keep_row(row)]
    groups = group_rows(duties.order_by("title", "pk"), rows, keep_empty=keep_row is None)
    return DutyListing(
        filters=filters,
        groups=groups,
        rows=rows,
        counts=count_statuses(rows),
        today=today,
        visibility=visibility,
    )
