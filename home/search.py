"""The public search: what a visitor asked for, what the index found, and how it is shown.

Four kinds of result, each an indexed model searched through Wagtail search (PostgreSQL full-text
search with the English configuration, or SQLite FTS5):

- agenda: a MeetingPage, indexed by its public agenda text (exempt items left out);
- minutes: a MinutesPage, indexed by its public minutes text (exempt minutes left out);
- decision: a Resolution, indexed only while it is a public decision
  (Resolution.get_indexed_objects; meetings/signals.py adds and withdraws it as minutes, their
  meeting or their board are published and unpublished);
- transcript: a Recording, indexed by its public transcript only while it is published
  (`transcription.public`: never an exempt item's words, nor an unpublished recording's or a
  private meeting's; transcription/search_signals.py adds and withdraws it). The passage shown
  is found by home/search_transcripts.py.

The index is only asked which of the things the public may see match the words: each kind is
searched on a queryset of what is public (live, no view restriction, under a live, public board;
for decisions, numbered resolutions of numbered, non-exempt minutes of those public minutes; for
transcripts, `published_recordings()` of those meetings), narrowed by the filters. One query a
kind ranks the matches and counts them; the rankings are merged (by score on PostgreSQL, newest
meeting first on SQLite: see `ranks_by_relevance`), and only the results on the page shown are
then loaded with what they display - decisions through `meetings.decisions.public_decisions()`,
the register's own door, transcripts through `published_recordings()` and the public segments -
so a page costs the same number of queries whatever it holds.

The visitor's words never reach the backend's query syntax: they are reduced to letters and digits
first, so operators and quotes cannot make a malformed FTS5 or tsquery expression.
"""

import functools
import html
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.utils.safestring import mark_safe
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from boards.models import BoardPage
from meetings.citations import citation_text, meeting_day
from meetings.dates import format_date
from meetings.decisions import FilterError, day_bounds, present, public_decisions, read_filters
from meetings.minutes import MinuteItem, MinutesPage, MinutesStatus, Resolution
from meetings.minutes_record import minute_anchor
from meetings.models import AgendaItem, AgendaPaper, MeetingPage

from .search_transcripts import public_transcripts, transcript_matches

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
RESULTS_PER_PAGE = 20
# Merging three rankings means fetching every result up to the page shown from each; past this
# many, a visitor is better served by more words or a filter.
MAX_RESULTS = 1000
EXTRACT_WORDS = 30
# Words shown before the first match, so that the match is read in its sentence.
EXTRACT_LEAD = 8


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    plural: str


KINDS = {
    "agenda": Kind("agenda", "Agenda", "Agendas"),
    "minutes": Kind("minutes", "Minutes", "Minutes"),
    "decision": Kind("decision", "Decision", "Decisions"),
    "transcript": Kind("transcript", "Transcript", "Transcripts"),
}
TRANSCRIPT_LABEL = "Unofficial transcript"

# Letters and digits in any script; everything else (operators, quotes, punctuation) separates.
WORD_RE = re.compile(r"[^\W_]+")
OPERATOR_WORDS = {"AND", "OR", "NOT", "NEAR"}
OPERATOR_RE = re.compile(r"[\"*()\[\]{}:^~+|&!<>\\]|(?:^|\s)-\S")
# Words PostgreSQL's English configuration ignores; left out everywhere so that SQLite, which
# would otherwise require them, finds what PostgreSQL finds.
STOP_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
    "s", "t",  # what is left of "carer's" and "don't"
}  # fmt: skip


# What was asked -------------------------------------------------------------------------


@dataclass
class SearchWords:
    """The visitor's query: as shown back in the box, the words searched for, and notes."""

    typed: str = ""
    terms: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def text(self):
        return " ".join(self.terms)


def read_words(raw):
    """Reduce what was typed to the words to search for, saying what was left out and why."""
    words = SearchWords()
    typed = " ".join((raw or "").replace("\x00", "").split())
    if len(typed) > MAX_QUERY_LENGTH:
        # Cut at a space if there is one, so that no word is searched for half-typed.
        cut = typed[: MAX_QUERY_LENGTH + 1].rfind(" ")
        typed = typed[: cut if cut > 0 else MAX_QUERY_LENGTH].rstrip()
        words.notes.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters, so only the first "
            f"{MAX_QUERY_LENGTH} were used."
        )
    words.typed = typed
    found = WORD_RE.findall(typed)
    if OPERATOR_RE.search(typed) or any(word in OPERATOR_WORDS for word in found):
        words.notes.append(
            "Search operators such as AND, OR, NOT, quotation marks, brackets and wildcards are "
            "not used: results contain all of the words you typed."
        )
    terms = []
    for word in found:
        if word in OPERATOR_WORDS:
            continue
        lowered = word.lower()
        if lowered not in terms:
            terms.append(lowered)
    meaningful = [term for term in terms if term not in STOP_WORDS]
    terms = meaningful or terms
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        words.notes.append(f"Only the first {MAX_TERMS} words of your search were used.")
    words.terms = terms
    return words


@dataclass
class SearchRequest:
    """A search as read from the query string: words, filters, kind, page and any errors."""

    words: SearchWords
    filters: object  # meetings.decisions.DecisionFilters: board slug, date_from, date_to
    kind: str = ""
    page: int = 1
    submitted: bool = False
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return self.submitted and not self.errors

    def error_for(self, name):
        return next((error.message for error in self.errors if error.name == name), "")

    def query_params(self, **changes):
        """The search as query parameters, for links to other pages and kinds."""
        params = {"q": self.words.typed}
        params.update(self.filters.query_params())
        if self.kind:
            params["type"] = self.kind
        params.update(changes)
        return {name: value for name, value in params.items() if value}


SEARCH_PARAMETERS = ("q", "type", "board", "from", "to", "page")
DATE_PARTS = tuple(f"{name}-{part}" for name in ("from", "to") for part in ("day", "month", "year"))


def read_search(params, boards):
    """The search in a query string, never raising: bad input becomes messages to show.

    `boards` are the (slug, title) pairs the board filter offers.
    """
    submitted = any(name in params for name in SEARCH_PARAMETERS + DATE_PARTS)
    # The register's reader checks the board and both dates; give it only those parameters.
    filter_params = {
        name: params.get(name, "")
        for name in ("board", "from", "to", *DATE_PARTS)
        if name in params
    }
    filters = read_filters(filter_params, boards=boards, topics=[])
    request = SearchRequest(words=read_words(params.get("q", "")), filters=filters)
    request.submitted = submitted
    if not submitted:
        return request

    errors = []
    if not request.words.typed:
        errors.append(FilterError("q", "q", "Enter words to search for"))
    elif not request.words.terms:
        errors.append(
            FilterError(
                "q", "q", "Enter words to search for: your search had no letters or numbers"
            )
        )
    kind = (params.get("type") or "").strip()
    if kind and kind not in KINDS:
        errors.append(
            FilterError("type", "type", "Choose agendas, minutes, decisions or transcripts")
        )
    else:
        request.kind = kind
    page = (params.get("page") or "").strip()
    request.page = int(page) if page.isdigit() and len(page) < 6 and int(page) > 0 else 1
    request.errors = errors + filters.errors
    return request


# What the public may see ----------------------------------------------------------------


def private_q():
    """Pages in a section with a view restriction. One query; reused for every kind."""
    return Page.objects.all().private_q()


def public_boards(private):
    """Live boards open to the public, by title. One query."""
    return list(
        BoardPage.objects.live()
        .exclude(private)
        .order_by("title")
        .only("title", "slug", "short_name", "path", "depth")
    )


def _date_range(filters, field_name):
    conditions = {}
    if filters.date_from:
        start, _ = day_bounds(filters.date_from, filters.date_from)
        conditions[f"{field_name}__gte"] = start
    if filters.date_to:
        _, end = day_bounds(filters.date_to, filters.date_to)
        if end is not None:
            conditions[f"{field_name}__lt"] = end
    return conditions


def public_sets(boards, filters, private):
    """For each kind, what the public may see that the filters allow, as a queryset.

    Meetings and minutes are listed once (two small queries) so that the searches that follow
    filter on plain lists of ids rather than re-plan the page tree's joins each time (a council's
    lifetime of meetings is thousands, well within what a query may carry). Decisions
    follow `meetings.decisions.public_decisions()`: a numbered resolution of a numbered,
    non-exempt minute of public minutes (live, under a live meeting and a public board, no view
    restriction above them); the results shown are loaded through `public_decisions()` itself.
    """
    if filters.board:
        boards = [board for board in boards if board.slug == filters.board]
    # A meeting is a child of its board: its path starts with the board's, one level down.
    under_boards = Q(pk__in=[])
    for board in boards:
        under_boards |= Q(path__startswith=board.path, depth=board.depth + 1)
    meeting_ids = list(
        MeetingPage.objects.live()
        .filter(under_boards, **_date_range(filters, "start"))
        .exclude(private)
        .values_list("pk", flat=True)
    )
    minutes_ids = list(
        MinutesPage.objects.live()
        .filter(meeting__in=meeting_ids)
        .exclude(private)
        .values_list("pk", flat=True)
    )
    public_minutes = MinuteItem.objects.filter(
        minutes__in=minutes_ids, number__isnull=False, is_exempt=False
    )
    # Each row found carries the number found: the count costs nothing more than the ranking,
    # which reads every match anyway.
    found = {"matches": Window(Count("pk"))}
    return {
        "agenda": MeetingPage.objects.filter(pk__in=meeting_ids).only("pk").annotate(**found),
        "minutes": MinutesPage.objects.filter(pk__in=minutes_ids).only("pk").annotate(**found),
        "decision": Resolution.objects.filter(
            number__isnull=False, minute__in=public_minutes.values("pk")
        )
        .only("pk")
        .annotate(**found),
        "transcript": public_transcripts(meeting_ids).annotate(**found),
    }


# Searching ------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    pk: int
    score: float = 0.0
    start: object = None


@dataclass
class SearchOutcome:
    """What a valid search found: counts of each kind, the page shown and its results."""

    counts: dict
    total: int
    page: object  # a django.core.paginator.Page over the (capped) total
    hits: list
    capped: bool
    by_relevance: bool


# The date a result is listed by when results are listed newest first.
MEETING_START = {
    "agenda": "start",
    "minutes": "meeting__start",
    "decision": "minute__minutes__meeting__start",
    "transcript": "meeting__start",
}


def ranks_by_relevance():
    """Whether the search backend ranks matches by relevance in good time.

    PostgreSQL scores each match in the query that finds it. Wagtail's SQLite backend scores
    each match with bm25() in a subquery that compares the index's text ids with numbers, which
    SQLite cannot look up by index: a few hundred matches take seconds. On SQLite, therefore,
    the matches are listed newest first.
    """
    return connection.vendor != "sqlite"


def run_search(search, boards, private):
    """Search every kind and merge the rankings of those asked for. See the module docstring.

    One query a kind: the index ranks a queryset of ids, and each row found says how many were
    found. Every kind is counted, for the links to each; only the kinds asked for are read up
    to the page shown. Only the hits on that page are then loaded in full, by `present_results`.
    """
    backend = get_search_backend()
    query = PlainText(search.words.text, operator="and")
    public = public_sets(boards, search.filters, private)
    kinds = [search.kind] if search.kind else list(KINDS)
    wanted = min(search.page, MAX_RESULTS // RESULTS_PER_PAGE) * RESULTS_PER_PAGE
    by_relevance = ranks_by_relevance()

    counts = {}
    hits = []
    for kind, queryset in public.items():
        if by_relevance:
            ranked = backend.search(query, queryset).annotate_score("_score")
        else:
            newest_first = queryset.annotate(meeting_start=F(MEETING_START[kind])).order_by(
                F("meeting_start").desc(), F("pk").desc()
            )
            ranked = backend.search(query, newest_first, order_by_relevance=False)
        found = list(ranked[: wanted if kind in kinds else 1])
        counts[kind] = found[0].matches if found else 0
        if kind not in kinds:
            continue
        for row in found:
            if by_relevance:
                hits.append(Hit(kind, row.pk, score=row._score or 0.0))
            else:
                hits.append(Hit(kind, row.pk, start=row.meeting_start))
    total = sum(counts[kind] for kind in kinds)
    # Past the last page, the last page.
    page = Paginator(range(min(total, MAX_RESULTS)), RESULTS_PER_PAGE).get_page(search.page)
    if by_relevance:
        # Best first; of equal scores (every "That the report be noted."), the latest added.
        hits.sort(key=lambda hit: (-hit.score, -hit.pk))
    else:
        hits.sort(key=lambda hit: (-hit.start.timestamp(), -hit.pk))
    shown = hits[page.start_index() - 1 : page.end_index()] if total else []
    return SearchOutcome(
        counts=counts,
        total=total,
        page=page,
        hits=shown,
        capped=total > MAX_RESULTS,
        by_relevance=by_relevance,
    )


# Showing the results --------------------------------------------------------------------


@dataclass
class Result:
    """One result as the search page shows it.

    `extract` and `heading` are HTML: escaped text and <mark>s around the words searched for.
    """

    kind: Kind
    title: str
    url: str
    board: str
    date: str
    extract: str
    citation: str
    citation_url: str
    heading: str = ""
    status_label: str = ""


@dataclass
class Passage:
    """A public agenda item or minute, as far as a result's extract and citation need it."""

    number: str
    text: str


def _grouped(rows, key):
    grouped = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _agenda_passages(meeting_ids):
    """The public agenda items of each meeting, in order. Two queries, no model instances.

    Exempt items are left out in the database: their text is never loaded for the public.
    """
    items = list(
        AgendaItem.objects.filter(meeting__in=meeting_ids, is_exempt=False)
        .order_by("sort_order", "pk")
        .values("pk", "meeting_id", "number", "sub_item", "title", "summary", "presenter_text")
    )
    papers = _grouped(
        AgendaPaper.objects.filter(item__in=[item["pk"] for item in items])
        .order_by("sort_order", "pk")
        .values("item_id", "title"),
        "item_id",
    )
    passages = {}
    for item in items:
        number = "" if item["number"] is None else str(item["number"])
        if number and item["sub_item"]:
            number += f"({item['sub_item']})"
        parts = [item["title"], item["summary"], item["presenter_text"]]
        parts += [paper["title"] for paper in papers.get(item["pk"], [])]
        passages.setdefault(item["meeting_id"], []).append(Passage(number, _as_sentences(parts)))
    return passages


def _minutes_passages(minutes_ids):
    """The public minutes of each set of minutes, in order. Two queries, no model instances."""
    items = list(
        MinuteItem.objects.filter(minutes__in=minutes_ids, is_exempt=False)
        .order_by("sort_order", "pk")
        .values("pk", "minutes_id", "number", "heading", "narrative", "discussion_points")
    )
    resolutions = _grouped(
        Resolution.objects.filter(minute__in=[item["pk"] for item in items])
        .order_by("sort_order", "pk")
        .values("minute_id", "text"),
        "minute_id",
    )
    passages = {}
    for item in items:
        parts = [item["heading"], item["narrative"], item["discussion_points"]]
        parts += [resolution["text"] for resolution in resolutions.get(item["pk"], [])]
        number = "" if item["number"] is None else str(item["number"])
        passages.setdefault(item["minutes_id"], []).append(Passage(number, _as_sentences(parts)))
    return passages


def present_results(hits, boards, words, request):
    """The results of one page, loaded in a fixed number of queries whatever their number."""
    highlighter = Highlighter(words.terms)
    board_by_pk = {board.pk: board for board in boards}
    board_by_path = {board.path: board for board in boards}
    ids = {kind: [hit.pk for hit in hits if hit.kind == kind] for kind in KINDS}

    loaded = {kind: {} for kind in KINDS}
    passages = {}
    if ids["agenda"]:
        loaded["agenda"] = {
            meeting.pk: meeting for meeting in MeetingPage.objects.filter(pk__in=ids["agenda"])
        }
        passages.update(_agenda_passages(ids["agenda"]))
    approved = set()
    if ids["minutes"]:
        loaded["minutes"] = {
            minutes.pk: minutes
            for minutes in MinutesPage.objects.filter(pk__in=ids["minutes"]).select_related(
                "meeting"
            )
        }
        passages.update(_minutes_passages(ids["minutes"]))
        approved = set(
            MinuteItem.objects.filter(approves__in=ids["minutes"], minutes__live=True).values_list(
                "approves_id", flat=True
            )
        )
    if ids["decision"]:
        # Through the register's own door: what is shown as a decision is a public decision.
        loaded["decision"] = {
            resolution.pk: present(resolution, request)
            for resolution in public_decisions().filter(pk__in=ids["decision"])
        }
    if ids["transcript"]:
        # Through the recordings' own door: published, and only their public segments.
        loaded["transcript"] = transcript_matches(ids["transcript"], highlighter)

    results = []
    for hit in hits:
        found = loaded[hit.kind].get(hit.pk)
        if found is None:
            continue
        if hit.kind == "agenda":
            board = board_by_path.get(found.path[: -found.steplen])
            results.append(
                _agenda_result(found, passages.get(found.pk, []), board, highlighter, request)
            )
        elif hit.kind == "minutes":
            board = board_by_pk.get(found.board_id)
            status = MinutesStatus.APPROVED if found.pk in approved else MinutesStatus.UNAPPROVED
            results.append(
                _minutes_result(
                    found, passages.get(found.pk, []), board, status, highlighter, request
                )
            )
        elif hit.kind == "decision":
            results.append(_decision_result(found, highlighter))
        else:
            meeting = found.recording.meeting
            board = board_by_path.get(meeting.path[: -meeting.steplen])
            results.append(_transcript_result(found, board, request))
    return results


def _as_sentences(parts):
    """Headings, paragraphs and one-per-line points run together as readable sentences."""
    sentences = []
    for part in parts:
        for line in (part or "").splitlines():
            line = line.strip(" -•\t")
            if line:
                sentences.append(line if line[-1] in ".!?:;" else f"{line}.")
    return " ".join(sentences)


def _first_matching(passages, highlighter):
    """(passage, extract) of the first passage that matches, else of the first passage."""
    for passage in passages:
        extract, matched = highlighter.extract(passage.text)
        if matched:
            return passage, extract
    if passages:
        return passages[0], highlighter.extract(passages[0].text)[0]
    return None, ""


def _agenda_result(meeting, passages, board, highlighter, request):
    passage, extract = _first_matching(passages, highlighter)
    day = meeting_day(meeting)
    citation = f"{board.short_name or board.title} {day.day} {day:%B %Y}, agenda" if board else ""
    if citation and passage is not None and passage.number:
        citation += f" item {passage.number}"
    url = meeting.get_url(request) or ""
    return Result(
        kind=KINDS["agenda"],
        title=meeting.title,
        url=url,
        board=board.title if board else "",
        date=format_date(day),
        extract=extract,
        citation=citation,
        citation_url=request.build_absolute_uri(url) if url else "",
    )


def _minutes_result(minutes, passages, board, status, highlighter, request):
    passage, extract = _first_matching(passages, highlighter)
    day = meeting_day(minutes.meeting)
    url = minutes.get_url(request) or ""
    citation = ""
    citation_url = request.build_absolute_uri(url) if url else ""
    if passage is not None and board is not None:
        if passage.number:
            citation = citation_text(board, day, passage.number)
            citation_url += f"#{minute_anchor(passage.number)}" if citation_url else ""
        else:
            citation = f"{board.short_name or board.title} {day.day} {day:%B %Y}, minutes"
    return Result(
        kind=KINDS["minutes"],
        title=minutes.title,
        url=url,
        board=board.title if board else "",
        date=format_date(day),
        extract=extract,
        citation=citation,
        citation_url=citation_url,
        status_label=MinutesStatus(status).label,
    )


def _decision_result(decision, highlighter):
    # The minute's heading is indexed with the decision: show it marked too, so that a decision
    # found by its heading shows why.
    heading, _ = highlighter.extract(decision.minute_heading, length=len(decision.minute_heading))
    return Result(
        kind=KINDS["decision"],
        title=decision.citation,
        url=decision.path,
        board=decision.board_name,
        date=format_date(decision.date),
        extract=highlighter.extract(decision.text)[0],
        citation=decision.citation,
        citation_url=decision.url,
        heading=heading,
        status_label=decision.status_label,
    )


def _transcript_result(match, board, request):
    meeting = match.recording.meeting
    url = meeting.get_url(request) or ""
    return Result(
        kind=KINDS["transcript"],
        title=meeting.title,
        url=f"{url}#{match.anchor}" if url else "",
        board=board.title if board else "",
        date=format_date(meeting_day(meeting)),
        extract=match.extract,
        citation="",
        citation_url="",
        heading=match.heading,
        status_label=TRANSCRIPT_LABEL,
    )


# Highlighting ---------------------------------------------------------------------------


def _is_consonant(word, i):
    letter = word[i]
    if letter in "aeiou":
        return False
    if letter == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem):
    """Porter's m: the number of vowel-consonant sequences in the stem."""
    pattern = "".join("c" if _is_consonant(stem, i) else "v" for i in range(len(stem)))
    return len(re.findall(r"v+c+", pattern))


def _has_vowel(stem):
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _ends_cvc(word):
    return (
        len(word) >= 3
        and _is_consonant(word, -3 % len(word))
        and not _is_consonant(word, len(word) - 2)
        and _is_consonant(word, len(word) - 1)
        and word[-1] not in "wxy"
    )


@functools.lru_cache(maxsize=8192)
def stem(word):
    """Step 1 of Porter's stemmer: plurals, -ed and -ing ("carers" -> "carer", "caring" -> "care").

    Enough to mark the words PostgreSQL's English stemming matched in most searches; a word it
    matched by a further step simply goes unmarked.
    """
    word = word.lower()
    if len(word) <= 2 or not word.isalpha():
        return word
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    stripped = False
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                stripped = True
                break
    if stripped:
        if word.endswith(("at", "bl", "iz")):
            word += "e"
        elif (
            len(word) >= 2
            and word[-1] == word[-2]
            and _is_consonant(word, len(word) - 1)
            and word[-1] not in "lsz"
        ):
            word = word[:-1]
        elif _measure(word) == 1 and _ends_cvc(word):
            word += "e"
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


class Highlighter:
    """Marks the searched-for words (and their plurals and -ed/-ing forms) in an extract."""

    def __init__(self, terms):
        self.stems = {stem(term) for term in terms}

    def matches(self, word):
        return stem(word) in self.stems

    def extract(self, text, length=EXTRACT_WORDS):
        """(HTML, matched): about `length` words of `text` around the first match, escaped.

        Without a match, the opening words. Matches are wrapped in <mark>; everything else is
        escaped, so the extract is safe to show as it is.
        """
        text = text or ""
        words = list(WORD_RE.finditer(text))
        if not words:
            return mark_safe(html.escape(" ".join(text.split()))), False  # noqa: S308
        first = next((i for i, word in enumerate(words) if self.matches(word.group())), None)
        start = 0 if first is None else max(0, first - EXTRACT_LEAD)
        start = max(0, min(start, len(words) - length))
        end = min(len(words), start + length)
        begin_at = 0 if start == 0 else words[start].start()
        end_at = len(text) if end == len(words) else words[end - 1].end()

        pieces = []
        position = begin_at
        for word in words[start:end]:
            pieces.append(html.escape(text[position : word.start()]))
            if self.matches(word.group()):
                pieces.append(f"<mark>{html.escape(word.group())}</mark>")
            else:
                pieces.append(html.escape(word.group()))
            position = word.end()
        pieces.append(html.escape(text[position:end_at]))
        body = " ".join("".join(pieces).split())
        if start > 0:
            body = "… " + body
        if end < len(words):
            body += " …"
        # Built from escaped pieces and our own <mark> tags only.
        return mark_safe(body), first is not None  # noqa: S308
