"""What the public may see of a board's actions, as plain rows for pages, CSV and Word.

Every public view of actions (the board's action log and its CSV and Word exports, the
carried-forward list on a meeting page, the actions under each resolution of the minutes, the
public agenda pack) starts from `public_board_actions` and is turned into `ActionRow`s by
`present`. A row carries owners' names and organisations only, never their contact details, and
the updates it was given: the public loaders never fetch an internal update at all, so no template
or document can show one.

Lists are loaded in a fixed number of queries whatever their length: the actions with their
minute, minutes, meeting, resolution, plan and evidence in one query, owners in one more and the
public updates in a third.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from wagtail.models import PageViewRestriction

from meetings.citations import board_label, citation_text, decision_path, meeting_day
from meetings.dates import format_date
from meetings.minutes_record import minute_anchor

from .models import (
    OPEN_STATUSES,
    Action,
    ActionOwner,
    ActionSource,
    ActionStatus,
    ActionUpdate,
)

# GOV.UK tag colour for each status; "overdue" is derived and shown as a tag of its own.
STATUS_TAG_CLASSES = {
    ActionStatus.OPEN: "govuk-tag--blue",
    ActionStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ActionStatus.COMPLETED: "govuk-tag--green",
    ActionStatus.NOT_REQUIRED: "govuk-tag--grey",
}
OVERDUE_LABEL = "Overdue"
OVERDUE_CLASS = "govuk-tag--red"

# Newest meeting first, then in the order the minutes record them (a minute's notes after its
# resolutions, on every database).
ORDER = (
    F("raised_on").desc(),
    F("minute_item__number").asc(nulls_last=True),
    F("resolution__number").asc(nulls_last=True),
    "pk",
)
IN_MINUTES_ORDER = ORDER[1:]

RELATED = (
    "minute_item__minutes__meeting",
    "resolution",
    "plan",
    "discharged_by_agenda_item__meeting",
    "discharged_by_minute__minutes__meeting",
)


# Which actions -----------------------------------------------------------------------------


def _under_restricted_pages(path_field):
    """A filter matching rows whose page at `path_field` lies at or below a view restriction.

    Restrictions are few, so their paths are read once (one query) and matched as prefixes: a
    correlated subquery per row instead took seconds for a log of thousands on SQLite.
    """
    paths = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def public_board_actions(board):
    """The board's actions the public may see (`Action.objects.public()`), less any from minutes
    under a page with a view restriction: those minutes are not public even when published."""
    return (
        Action.objects.public()
        .filter(board=board)
        .exclude(_under_restricted_pages("minute_item__minutes__path"))
    )


def members_board_actions(board):
    """The board's actions for its members and officers: everything but actions recorded in
    minutes that are still a draft (the board has not yet published what it agreed)."""
    return Action.objects.filter(board=board).filter(
        Q(minute_item__isnull=True) | Q(minute_item__minutes__live=True)
    )


def owners_prefetch():
    """Owners with their names and organisations, in the order the minutes print them."""
    return Prefetch(
        "owners",
        queryset=ActionOwner.objects.select_related("person").order_by("sort_order", "pk"),
        to_attr="owner_list",
    )


def updates_prefetch(include_internal=False):
    """The updates, oldest first; internal ones only when asked for, never for the public."""
    updates = ActionUpdate.objects.order_by("created_at", "pk")
    if not include_internal:
        updates = updates.filter(is_internal=False)
    return Prefetch("updates", queryset=updates, to_attr="update_list")


def with_everything(actions, include_internal=False):
    """Actions with all a row shows: three queries for any number of them."""
    return (
        actions.with_due()
        .select_related(*RELATED)
        .prefetch_related(owners_prefetch(), updates_prefetch(include_internal))
    )


def load_actions(ids, include_internal=False):
    """The actions with these ids (already known to be visible), fully loaded, in that order."""
    ids = list(ids)
    if not ids:
        return []
    loaded = {
        action.pk: action
        for action in with_everything(Action.objects.filter(pk__in=ids), include_internal)
    }
    return [loaded[pk] for pk in ids if pk in loaded]


# Rows --------------------------------------------------------------------------------------


@dataclass
class OwnerRow:
    """An owner as the public sees them: a name and an organisation, nothing else."""

    name: str
    organisation: str

    @property
    def label(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


@dataclass
class UpdateRow:
    """A dated update; `author` is the name written with it, never an account name."""

    on: datetime.date
    date_label: str
    author: str
    text: str
    status_label: str = ""
    is_internal: bool = False

    @property
    def plain(self):
        """'Wednesday 8 March 2017, Kate Green: text (status: Completed)', for CSV and Word."""
        who = f", {self.author}" if self.author else ""
        status = f" (status: {self.status_label})" if self.status_label else ""
        internal = "Internal: " if self.is_internal else ""
        return f"{internal}{self.date_label}{who}: {self.text}{status}".rstrip()


@dataclass
class Link:
    label: str
    url: str = ""


@dataclass
class ActionRow:
    """One action as a reader sees it: what, who, where it was raised, when due, how it went."""

    pk: int
    text: str
    owners: list
    raised_on: datetime.date
    raised_at: Link
    source_label: str
    due_on: datetime.date | None
    due_label: str
    by_next_meeting: bool
    status: str
    status_label: str
    status_class: str
    is_overdue: bool
    completed_on: datetime.date | None = None
    evidence: str = ""
    evidence_links: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    # From an exempt minute: only ever in a members' pack, marked so.
    not_for_publication: bool = False

    @property
    def anchor(self):
        return f"action-{self.pk}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def owner_labels(self):
        return "; ".join(owner.label for owner in self.owners)

    @property
    def raised_on_label(self):
        return format_date(self.raised_on)

    @property
    def completed_label(self):
        return format_date(self.completed_on) if self.completed_on else ""

    @property
    def latest_update(self):
        return self.updates[-1] if self.updates else None

    @property
    def status_text(self):
        """'Open, overdue', 'Completed on Wednesday 8 March 2017': the status in words."""
        text = self.status_label
        if self.is_overdue:
            text += ", overdue"
        if self.completed_on and self.status == ActionStatus.COMPLETED:
            text += f" on {self.completed_label}"
        return text


def owner_rows(action):
    owners = getattr(action, "owner_list", None)
    if owners is None:
        owners = action.owners.select_related("person").order_by("sort_order", "pk")
    return [
        OwnerRow(name=owner.person.full_name, organisation=owner.person.organisation)
        for owner in owners
    ]


def update_row(update):
    created = timezone.localtime(update.created_at)
    status = ActionStatus(update.status).label if update.status else ""
    return UpdateRow(
        on=created.date(),
        date_label=format_date(created),
        author=update.author_name,
        text=update.text,
        status_label=status,
        is_internal=update.is_internal,
    )


def _url(page, request):
    return (page.get_url(request) or "") if request is not None else ""


def raised_at(action, board, request=None):
    """Where the action was raised, as 'HWB 11 January 2017, minute 50(3)' with its address:
    the decision for a numbered resolution, else the minute on its minutes page."""
    minute = action.minute_item
    if minute is not None and minute.minutes is not None:
        minutes = minute.minutes
        meeting = minutes.meeting
        day = meeting_day(meeting) if meeting is not None else action.raised_on
        resolution = action.resolution
        number = resolution.number if resolution is not None else None
        if not minute.number:
            return Link(f"{board_label(board)} {day.day} {day:%B %Y}, {minute.heading}")
        label = citation_text(board, day, minute.number, number)
        url = ""
        if request is not None and not minute.is_exempt:
            if number:
                url = decision_path(board.slug, day, minute.number, number)
            else:
                page_url = _url(minutes, request)
                url = f"{page_url}#{minute_anchor(minute.number)}" if page_url else ""
        return Link(label, url)
    if action.plan is not None:
        url = ""
        if request is not None:
            board_url = _url(board, request)
            url = f"{board_url}plans/{action.plan.slug}/" if board_url else ""
        return Link(action.plan.title, url)
    return Link(f"{board_label(board)}, {format_date(action.raised_on)}")


def due_label(due, by_next_meeting):
    if by_next_meeting:
        if due:
            return f"By the next meeting ({format_date(due)})"
        return "By the next meeting (not yet arranged)"
    return format_date(due) if due else "No date set"


def evidence_links(action, board, request=None):
    """The agenda item and the minute that discharged the action, where the public may see them."""
    links = []
    item = action.discharged_by_agenda_item
    if item is not None and item.meeting is not None and item.meeting.live:
        number = item.display_number
        label = f"Item {number}, " if number else ""
        label += f"{item.title}, at the meeting on {format_date(item.meeting.start)}"
        links.append(Link(label, _url(item.meeting, request)))
    minute = action.discharged_by_minute
    minutes = minute.minutes if minute is not None else None
    meeting = minutes.meeting if minutes is not None else None
    if minute is not None and minutes.live and meeting is not None and meeting.live:
        # An exempt minute is named by its number only, as the public minutes show it.
        day = meeting_day(meeting)
        label = citation_text(board, day, minute.number) if minute.number else minute.heading
        if not minute.is_exempt and minute.number:
            label += f", {minute.heading}"
        page_url = _url(minutes, request)
        anchor = f"#{minute_anchor(minute.number)}" if minute.number else ""
        links.append(Link(label, f"{page_url}{anchor}" if page_url else ""))
    return links


def present(action, board, request=None, *, on=None, updates=None):
    """An `ActionRow` from an action loaded by `with_everything`. Costs no query.

    `on` is the date overdue is judged at (today unless given); `updates` replaces the loaded
    updates (the carried-forward list brings only the latest).
    """
    on = on or timezone.localdate()
    due = action.due()
    is_open = action.is_open
    if updates is None:
        updates = [update_row(update) for update in getattr(action, "update_list", [])]
    minute = action.minute_item
    return ActionRow(
        pk=action.pk,
        text=action.text,
        owners=owner_rows(action),
        raised_on=action.raised_on,
        raised_at=raised_at(action, board, request),
        source_label=ActionSource(action.source).label,
        due_on=due,
        due_label=due_label(due, action.due_by_next_meeting),
        by_next_meeting=action.due_by_next_meeting,
        status=action.status,
        status_label=ActionStatus(action.status).label,
        status_class=STATUS_TAG_CLASSES.get(action.status, ""),
        is_overdue=action.is_overdue(on),
        completed_on=action.completed_on if not is_open else None,
        evidence=action.evidence,
        evidence_links=evidence_links(action, board, request),
        updates=updates,
        not_for_publication=bool(minute is not None and minute.is_exempt),
    )


# Filters -----------------------------------------------------------------------------------

STATUS_FILTERS = [
    ("all", "All actions"),
    ("open", "Open (including overdue)"),
    ("overdue", "Overdue"),
    ("completed", "Completed or no longer required"),
]
DEFAULT_STATUS = "all"


@dataclass
class FilterError:
    name: str
    message: str


@dataclass
class ActionFilters:
    """The action log's filters as read from the query string; bad input becomes messages."""

    status: str = DEFAULT_STATUS
    year: int | None = None
    typed_year: str = ""
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def any_applied(self):
        return self.status != DEFAULT_STATUS or self.year is not None

    def error_for(self, name):
        return next((error.message for error in self.errors if error.name == name), "")

    def query_params(self):
        params = {}
        if self.status != DEFAULT_STATUS:
            params["status"] = self.status
        if self.year is not None:
            params["year"] = self.year
        return params

    def describe(self):
        """'Overdue actions raised in 2017', for a heading or a document's first lines."""
        labels = {
            "all": "All actions",
            "open": "Open actions",
            "overdue": "Overdue actions",
            "completed": "Completed actions and actions no longer required",
        }
        text = labels.get(self.status, "All actions")
        if self.year is not None:
            text += f" raised in {self.year}"
        return text


def action_years(actions):
    """The years in which these actions were raised, newest first (one query)."""
    return [day.year for day in actions.dates("raised_on", "year", order="DESC")]


def read_filters(params, years):
    """The filters from `params`; an unknown status or a year with no actions is an error."""
    filters = ActionFilters()
    status = (params.get("status") or "").strip()
    if status:
        if status in dict(STATUS_FILTERS):
            filters.status = status
        else:
            filters.errors.append(
                FilterError("status", "Choose a status from the list: open, overdue, completed")
            )
    year = (params.get("year") or "").strip()
    filters.typed_year = year[:10]
    if year:
        number = int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None
        if number is None:
            filters.errors.append(FilterError("year", "Enter the year as 4 digits, like 2017"))
        elif number not in years:
            filters.errors.append(
                FilterError("year", f"The board has no actions raised in {number}: choose a year")
            )
        else:
            filters.year = number
    return filters


def filter_actions(actions, filters, on=None):
    """The actions matching the filters, in the log's order (needs valid filters)."""
    on = on or timezone.localdate()
    if filters.year is not None:
        actions = actions.filter(
            raised_on__gte=datetime.date(filters.year, 1, 1),
            raised_on__lt=datetime.date(filters.year + 1, 1, 1),
        )
    if filters.status == "open":
        actions = actions.open()
    elif filters.status == "overdue":
        actions = actions.with_due().overdue(on=on)
    elif filters.status == "completed":
        actions = actions.closed()
    return actions.order_by(*ORDER)


def action_ids(actions):
    """Only the ids, in order, for paging through narrow rows before loading wide ones."""
    return actions.values_list("pk", flat=True)


# The minutes -------------------------------------------------------------------------------


def minutes_actions(minutes, board, request=None):
    """The public actions recorded in these minutes, keyed by the anchor of what they follow:
    'minute-50-3' for resolution (3) of minute 50, 'minute-50' for a note in the minute.

    Two queries (the actions, their owners), or one when there are none. Exempt minutes and
    unpublished minutes have no public actions, so nothing is found for them.
    """
    actions = (
        public_board_actions(board)
        .filter(minute_item__minutes=minutes)
        .with_due()
        .select_related(*RELATED)
        .prefetch_related(owners_prefetch())
        .order_by(*IN_MINUTES_ORDER)
    )
    found = {}
    for action in actions:
        resolution = action.resolution
        number = resolution.number if resolution is not None else None
        anchor = minute_anchor(action.minute_item.number, number)
        found.setdefault(anchor, []).append(present(action, board, request, updates=[]))
    return found


def attach_to_minutes(rows, actions):
    """Put each action under its resolution's row, or under its minute's row when it follows a
    note rather than a resolution (or its resolution is not shown). Withheld rows get none."""
    for row in rows:
        if row.withheld:
            continue
        shown = set()
        for resolution in row.resolutions:
            resolution.actions = actions.get(resolution.anchor, [])
            shown.add(resolution.anchor)
        row.actions = [
            action
            for anchor, found in actions.items()
            if anchor == row.anchor or (anchor.startswith(f"{row.anchor}-") and anchor not in shown)
            for action in found
        ]
    return rows
