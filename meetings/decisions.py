"""The public register of decisions: which resolutions are public, and how they are filtered.

A decision is a numbered resolution of a non-exempt minute in published minutes whose meeting and
board are published and open to the public (no view restriction anywhere above them). Everything
the public site serves about decisions - the register, a decision's page, the feeds and the JSON
endpoint - starts from `public_decisions()`, so that exempt or restricted minutes cannot leak
through one door while the others are shut.

The register's filters (board, meeting date range, topic, minutes status) are read from query
parameters by `read_filters`, which never raises: bad input becomes messages an error summary can
show, or a 400 from the JSON endpoint.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Length, Substr
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from boards.models import BoardPage

from .citations import decision_citation, decision_url, meeting_day
from .minutes import MinuteItem, MinuteItemTag, MinutesStatus, Resolution
from .minutes_record import minute_anchor

# The two states a public decision's minutes can be in (drafts are never public).
STATUS_CHOICES = [
    (MinutesStatus.APPROVED.value, MinutesStatus.APPROVED.label),
    (MinutesStatus.UNAPPROVED.value, MinutesStatus.UNAPPROVED.label),
]
STATUS_TAG_CLASSES = {
    MinutesStatus.APPROVED.value: "govuk-tag--green",
    MinutesStatus.UNAPPROVED.value: "govuk-tag--yellow",
}

# The largest number a minute or resolution number column holds on every database we support;
# anything larger in a URL cannot exist and must not reach the database as an overflow error.
MAX_NUMBER = 2**31 - 1


def _restricted_above(path_field):
    """Whether any view restriction sits on the page at `path_field` or one of its ancestors.

    Treebeard paths make an ancestor's path a prefix of its descendants' paths, so one correlated
    subquery answers it for every row, whatever the number of restrictions.
    """
    outer_path = OuterRef(path_field)
    return Exists(
        PageViewRestriction.objects.alias(
            prefix=Substr(outer_path, 1, Length("page__path"))
        ).filter(prefix=F("page__path"))
    )


def _with_everything(resolutions):
    """Resolutions with their minute, minutes, meeting and board (one query), their topics
    (one more) and `is_approved`: the minutes have been approved as a correct record by a
    published minute of a later meeting."""
    approvals = MinuteItem.objects.filter(approves=OuterRef("minute__minutes"), minutes__live=True)
    return (
        resolutions.select_related("minute__minutes__meeting", "minute__minutes__board")
        .prefetch_related(
            Prefetch(
                "minute__tagged_items",
                queryset=MinuteItemTag.objects.select_related("tag").order_by("tag__name"),
            )
        )
        .annotate(is_approved=Exists(approvals))
    )


def public_decisions():
    """Every public decision, newest meeting first, then by minute and resolution number.

    Loaded with everything a page, feed or export shows about it (see `_with_everything`).
    """
    decisions = Resolution.objects.filter(
        number__isnull=False,
        minute__number__isnull=False,
        minute__is_exempt=False,
        minute__minutes__live=True,
        minute__minutes__meeting__live=True,
        minute__minutes__board__live=True,
    ).exclude(
        # The minutes page lies below its meeting and board, so a restriction on any of them
        # (or on the sections above) shows in the minutes page's path.
        _restricted_above("minute__minutes__path")
    )
    # The meeting's id keeps each meeting's decisions together when two meetings start at once.
    return _with_everything(decisions).order_by(
        "-minute__minutes__meeting__start",
        "minute__minutes__meeting",
        "minute__number",
        "number",
        "pk",
    )


def decision_ids(decisions):
    """Only the ids of a `public_decisions()` queryset, in its order, for paging through.

    Sorting thousands of narrow rows and then loading one page of wide ones (`load_decisions`)
    is about twice as fast as sorting the wide rows, on PostgreSQL and SQLite alike.
    """
    return decisions.prefetch_related(None).values_list("pk", flat=True)


def load_decisions(ids):
    """The decisions with these ids (already known to be public), fully loaded, in that order."""
    ids = list(ids)
    loaded = {
        resolution.pk: resolution
        for resolution in _with_everything(Resolution.objects.filter(pk__in=ids))
    }
    return [loaded[pk] for pk in ids if pk in loaded]


def decision_status(resolution):
    """'approved' or 'unapproved': a public decision's minutes are never a draft."""
    return (
        MinutesStatus.APPROVED.value if resolution.is_approved else MinutesStatus.UNAPPROVED.value
    )


def decision_topics(resolution):
    """The topic tags of the decision's minute, by name (prefetched by `public_decisions`)."""
    return [tagged.tag for tagged in resolution.minute.tagged_items.all()]


def find_decision(board_slug, day, minute_number, resolution_number):
    """The public decision at /decisions/<board>/<date>/<minute>/<resolution>/, or None."""
    if minute_number > MAX_NUMBER or resolution_number > MAX_NUMBER:
        return None
    start, end = day_bounds(day, day)
    decisions = public_decisions().filter(
        minute__minutes__board__slug=board_slug,
        minute__number=minute_number,
        number=resolution_number,
        minute__minutes__meeting__start__gte=start,
    )
    if end is not None:
        decisions = decisions.filter(minute__minutes__meeting__start__lt=end)
    # Two meetings of a board on one day numbering each from 1 could share a citation; the
    # earlier meeting keeps it, so that an address never changes its meaning.
    return decisions.order_by("minute__minutes__meeting__start", "pk").first()


# Presenting a decision ------------------------------------------------------


@dataclass
class Decision:
    """A public decision as the register, its page, the feeds and the JSON show it."""

    resolution: Resolution
    citation: str
    path: str
    url: str
    board_name: str
    board_short_name: str
    board_slug: str
    board_url: str
    date: datetime.date
    meeting_url: str
    minute_number: int
    minute_heading: str
    minute_url: str
    resolution_number: int
    text: str
    topics: list
    status: str
    status_label: str
    status_class: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def present(resolution, request):
    """A `Decision` from a resolution loaded by `public_decisions()`. Costs no query."""
    minute = resolution.minute
    minutes = minute.minutes
    meeting = minutes.meeting
    board = minutes.board
    path = decision_url(resolution, minute=minute, meeting=meeting, board=board)
    status = decision_status(resolution)
    minutes_url = minutes.get_url(request) or ""
    return Decision(
        resolution=resolution,
        citation=decision_citation(resolution, minute=minute, meeting=meeting, board=board),
        path=path,
        url=request.build_absolute_uri(path),
        board_name=board.title,
        board_short_name=board.short_name,
        board_slug=board.slug,
        board_url=board.get_url(request) or "",
        date=meeting_day(meeting),
        meeting_url=meeting.get_url(request) or "",
        minute_number=minute.number,
        minute_heading=minute.heading,
        # The resolution's own place on the minutes page: '#minute-52-4'.
        minute_url=(
            f"{minutes_url}#{minute_anchor(minute.number, resolution.number)}"
            if minutes_url
            else ""
        ),
        resolution_number=resolution.number,
        text=resolution.text,
        topics=decision_topics(resolution),
        status=status,
        status_label=MinutesStatus(status).label,
        status_class=STATUS_TAG_CLASSES[status],
        published_at=minutes.first_published_at,
        updated_at=minutes.last_published_at,
    )


# Filters --------------------------------------------------------------------


def board_choices():
    """(slug, title) of the published boards open to the public, by title. One query.

    Every public board, not only those with decisions yet, so that a board's feed and its
    register link agree from the start.
    """
    return list(
        BoardPage.objects.live()
        .exclude(_restricted_above("path"))
        .order_by("title")
        .values_list("slug", "title")
    )


def topic_choices():
    """(slug, name) of the topics of public decisions, by name. One query.

    Topics used only by exempt or unpublished minutes are left out: even a topic's name can
    say more than the public may know.
    """
    with_decisions = public_decisions().order_by().values("minute")
    return list(
        Tag.objects.filter(meetings_minuteitemtag_items__content_object__in=with_decisions)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


@dataclass
class FilterError:
    """A problem with one filter: the message, and the id of the input to correct."""

    name: str
    target: str
    message: str


@dataclass
class DateInput:
    """The three parts of a GOV.UK date input as the visitor typed them, and which are wrong."""

    day: str = ""
    month: str = ""
    year: str = ""
    wrong: set = field(default_factory=set)


@dataclass
class DecisionFilters:
    """The register's filters, as read from the query string."""

    board: str = ""
    topic: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    inputs: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def any_applied(self):
        return bool(self.board or self.topic or self.status or self.date_from or self.date_to)

    def error_for(self, name):
        return next((error.message for error in self.errors if error.name == name), "")

    def query_params(self):
        """The filters as query parameters, ISO dates, for links, the feeds and the JSON."""
        params = {}
        for name in ("board", "topic", "status"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        return params


DATE_LABELS = {"from": "Date from", "to": "Date to"}
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NUMBER_RE = re.compile(r"^[0-9]{1,4}$")
# A slug or a topic name typed by hand: anything longer is not one of ours.
MAX_CHOICE_LENGTH = 255


def _clean(value):
    return (value or "").strip()


def _read_date(params, name, filters):
    """A date from GOV.UK date-input parts (`from-day`...) or an ISO value (`from=2017-01-11`)."""
    label = DATE_LABELS[name]
    parts = DateInput(
        day=_clean(params.get(f"{name}-day"))[:10],
        month=_clean(params.get(f"{name}-month"))[:10],
        year=_clean(params.get(f"{name}-year"))[:10],
    )
    filters.inputs[name] = parts
    iso = _clean(params.get(name))
    if not (parts.day or parts.month or parts.year):
        if not iso:
            return None
        day = _iso_date(iso)
        if day is None:
            parts.wrong = {"day", "month", "year"}
            filters.errors.append(
                FilterError(
                    name,
                    f"{name}-day",
                    f"{label} must be a real date written as YYYY-MM-DD, for example 2017-01-11",
                )
            )
            return None
        parts.day, parts.month, parts.year = str(day.day), str(day.month), str(day.year)
        return day
    return _date_from_parts(name, label, parts, filters)


def _iso_date(value):
    if not ISO_DATE_RE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _date_from_parts(name, label, parts, filters):
    def fail(wrong, message):
        parts.wrong = set(wrong)
        first = next(p for p in ("day", "month", "year") if p in parts.wrong)
        filters.errors.append(FilterError(name, f"{name}-{first}", message))

    missing = [p for p in ("day", "month", "year") if not getattr(parts, p)]
    if missing:
        fail(missing, f"{label} must include a {' and '.join(missing)}")
        return None
    not_numbers = [p for p in ("day", "month", "year") if not NUMBER_RE.match(getattr(parts, p))]
    if not_numbers:
        fail(not_numbers, f"{label} must be a real date, in numbers, for example 11 1 2017")
        return None
    day, month, year = int(parts.day), int(parts.month), int(parts.year)
    if len(parts.year) != 4 or year < 1000:
        fail(["year"], f"The year of {label.lower()} must include 4 numbers")
        return None
    if not 1 <= month <= 12:
        fail(["month"], f"{label} must be a real date: the month must be between 1 and 12")
        return None
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        month_name = datetime.date(year, month, 1).strftime("%B %Y")
        fail(
            ["day"],
            f"{label} must be a real date: {month_name} has {days_in_month} days",
        )
        return None
    return datetime.date(year, month, day)


def _read_choice(params, name, choices, message, filters):
    value = _clean(params.get(name))
    if not value:
        return ""
    if len(value) > MAX_CHOICE_LENGTH or value not in {slug for slug, _ in choices}:
        filters.errors.append(FilterError(name, name, message))
        return ""
    return value


def read_filters(params, boards=None, topics=None):
    """The filters in a query string (a QueryDict or dict), with messages for any bad input.

    Board and topic are checked against those that have public decisions, so that a mistyped
    address gets a message rather than an empty list. Pass `boards` and `topics` (as from
    `board_choices()` and `topic_choices()`) when they are loaded already; otherwise each costs
    one query, and only when that filter is given.
    """
    filters = DecisionFilters()
    if boards is None and _clean(params.get("board")):
        boards = board_choices()
    if topics is None and _clean(params.get("topic")):
        topics = topic_choices()
    filters.board = _read_choice(
        params, "board", boards or [], "Choose a board from the list", filters
    )
    filters.date_from = _read_date(params, "from", filters)
    filters.date_to = _read_date(params, "to", filters)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        filters.inputs["to"].wrong = {"day", "month", "year"}
        filters.errors.append(
            FilterError("to", "to-day", "Date to must be the same as or after date from")
        )
        filters.date_to = None
    filters.topic = _read_choice(
        params, "topic", topics or [], "Choose a topic from the list", filters
    )
    status = _clean(params.get("status"))
    if status and status not in dict(STATUS_CHOICES):
        filters.errors.append(
            FilterError("status", "status", "Choose approved or not yet approved minutes")
        )
    elif status:
        filters.status = status
    return filters


def day_bounds(first, last):
    """The moments (UK time) at which `first` begins and the day after `last` begins.

    The end is None when there is no day after `last` to speak of (31 December 9999).
    """
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    if last >= datetime.date.max:
        return start, None
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def filter_decisions(decisions, filters):
    """Narrow a `public_decisions()` queryset to the valid filters."""
    if filters.board:
        decisions = decisions.filter(minute__minutes__board__slug=filters.board)
    if filters.date_from:
        start, _ = day_bounds(filters.date_from, filters.date_from)
        decisions = decisions.filter(minute__minutes__meeting__start__gte=start)
    if filters.date_to:
        _, end = day_bounds(filters.date_to, filters.date_to)
        if end is not None:
            decisions = decisions.filter(minute__minutes__meeting__start__lt=end)
    if filters.topic:
        # An uncorrelated IN: SQLite runs a correlated EXISTS here once per resolution.
        tagged = MinuteItemTag.objects.filter(tag__slug=filters.topic).values("content_object")
        decisions = decisions.filter(minute__in=tagged)
    if filters.status:
        decisions = decisions.filter(is_approved=filters.status == MinutesStatus.APPROVED)
    return decisions
