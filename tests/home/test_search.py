"""The public search: what is indexed, what anonymous visitors find, and bad input.

Runs on SQLite (FTS5) and PostgreSQL (full-text search, English configuration) alike; the tests of
English stemming run on PostgreSQL only.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

from boards.factories import BoardPageFactory
from home.search import Highlighter, read_words, stem
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import MinuteItem, MinutesPage, Resolution
from meetings.models import MeetingPage

# Words that appear only in exempt material: none may ever be indexed or shown.
EXEMPT_WORDS = ["zanzibarco", "quetzalcorp", "xylophonia", "wolframite"]


# Building boards, agendas and minutes ---------------------------------------------------


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def publish_minutes(meeting, items):
    # In the order given, as the editor's formsets would number them.
    for position, item in enumerate(items):
        item.sort_order = position
        for resolution_position, resolution in enumerate(item.resolutions.all()):
            resolution.sort_order = resolution_position
    minutes = MinutesPage(title="", slug="")
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    return publish(minutes)


def exempt_agenda_item(meeting):
    return AgendaItemFactory(
        meeting=meeting,
        title="Contract award: Zanzibarco Holdings",
        summary="Bids compared",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive",
    )


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        short_name="HWB",
        slug="health-and-wellbeing-board",
    )


@pytest.fixture
def safer(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Safer Rotherham Partnership",
        short_name="SRP",
        slug="safer-rotherham-partnership",
    )


@pytest.fixture
def january(hwb):
    """HWB, 11 January 2017: an agenda with a public and an exempt item, and its minutes."""
    meeting = MeetingPageFactory(
        parent=hwb, title="Health and Wellbeing Board, 11 January 2017", start=london(2017, 1, 11)
    )
    AgendaItemFactory(
        meeting=meeting,
        number=7,
        title="Carers strategy",
        summary="Respite for young carers and their families across the borough.",
    )
    exempt_agenda_item(meeting)
    meeting = publish(meeting)
    minutes = publish_minutes(
        meeting,
        [
            MinuteItem(
                number=52,
                heading="CARERS STRATEGY",
                narrative="The Board considered the carers strategy and the respite offer.",
                resolutions=[
                    Resolution(text="That the carers strategy be endorsed."),
                    Resolution(text="That a progress report on respite be submitted."),
                ],
            ),
            MinuteItem(
                heading="CONTRACT AWARD",
                narrative="Quetzalcorp offered the lowest price.",
                is_exempt=True,
                exempt_paragraph=3,
                resolutions=[Resolution(text="That Xylophonia be awarded the contract.")],
            ),
        ],
    )
    return meeting, minutes


def search(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response


def result_titles(response):
    return [(result.kind.value, result.title) for result in response.context["results"]]


def index_text():
    """Everything the search index tables hold, as text, whatever the database."""
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT title::text, body::text, autocomplete::text, title_text, body_text "  # noqa: S608
                f"FROM {table}"
            )
        else:
            cursor.execute(f"SELECT title, body, autocomplete FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
        if connection.vendor == "sqlite":
            # The FTS5 table that is actually searched: kept by triggers, checked all the same.
            cursor.execute(f"SELECT title, body, autocomplete FROM {table}_fts")  # noqa: S608
            rows += cursor.fetchall()
    return " ".join(str(value) for row in rows for value in row if value).lower()


def decision_entries():
    return IndexEntry.objects.filter(
        content_type__app_label="meetings", content_type__model="resolution"
    )


# What is in the index -------------------------------------------------------------------


def test_exempt_material_is_never_in_the_index(january):
    text = index_text()
    # The public parts are there (so this test can fail), the exempt parts are not.
    assert "respite" in text
    assert "endorsed" in text or "endors" in text
    for word in EXEMPT_WORDS:
        assert word not in text
    _, minutes = january
    public = Resolution.objects.filter(minute__minutes=minutes, minute__is_exempt=False)
    assert set(decision_entries().values_list("object_id", flat=True)) == {
        str(pk) for pk in public.values_list("pk", flat=True)
    }


def test_a_minute_made_exempt_in_a_correction_leaves_the_index(january, client):
    _, minutes = january
    assert search(client, q="endorsed").context["outcome"].counts["decision"] == 1

    correction = minutes.get_latest_revision_as_object()
    items = list(correction.minute_items.all())
    carers = next(item for item in items if item.number == 52)
    carers.is_exempt = True
    carers.exempt_paragraph = 1
    correction.minute_items = items
    publish(correction)
    assert MinuteItem.objects.get(pk=carers.pk).is_exempt

    text = index_text()
    assert "endorsed" not in text and "endors" not in text
    assert not decision_entries().exists()
    response = search(client, q="endorsed")
    assert response.context["outcome"].total == 0


def test_unpublished_minutes_leave_no_decision_in_the_index_and_return_when_republished(
    january, client
):
    _, minutes = january
    assert decision_entries().count() == 2

    minutes.unpublish()
    assert not decision_entries().exists()
    assert search(client, q="endorsed").context["outcome"].total == 0

    publish(MinutesPage.objects.get(pk=minutes.pk))
    assert decision_entries().count() == 2
    assert search(client, q="endorsed").context["outcome"].counts["decision"] == 1


def test_an_unpublished_meeting_or_board_withdraws_its_decisions(january, hwb, client):
    meeting, _ = january
    meeting.unpublish()
    assert not decision_entries().exists()
    assert search(client, q="carers").context["outcome"].total == 0

    publish(MeetingPage.objects.get(pk=meeting.pk))
    assert decision_entries().count() == 2

    hwb.unpublish()
    assert not decision_entries().exists()
    assert search(client, q="carers").context["outcome"].total == 0

    publish(type(hwb).objects.get(pk=hwb.pk))
    assert decision_entries().count() == 2
    assert search(client, q="endorsed").context["outcome"].counts["decision"] == 1


def test_a_resolution_saved_in_code_is_indexed_only_if_it_is_a_public_decision(january):
    _, minutes = january
    public, exempt = minutes.minute_items.order_by("sort_order")
    Resolution.objects.create(minute=exempt, number=2, text="That Wolframite be paid.")
    added = Resolution.objects.create(minute=public, number=3, text="That Healthwatch be thanked.")
    text = index_text()
    assert "wolframite" not in text
    assert "healthwatch" in text
    assert str(added.pk) in decision_entries().values_list("object_id", flat=True)


def test_deleted_minutes_leave_nothing_in_the_index(january, client):
    _, minutes = january
    minutes_pk = minutes.pk
    minutes.delete()
    assert not decision_entries().exists()
    assert (
        not IndexEntry.objects.filter(object_id=str(minutes_pk))
        .filter(content_type__model="minutespage")
        .exists()
    )
    assert "endorsed" not in index_text()
    assert search(client, q="endorsed").context["outcome"].total == 0


def test_drafts_are_not_found(hwb, client):
    meeting = MeetingPageFactory(parent=hwb, start=london(2017, 3, 8), live=False)
    AgendaItemFactory(meeting=meeting, title="Loneliness strategy")
    meeting.save_revision()
    assert search(client, q="loneliness").context["outcome"].total == 0


def test_pages_behind_a_view_restriction_are_not_found(january, hwb, client):
    PageViewRestriction.objects.create(page=hwb, restriction_type="login")
    response = search(client, q="carers")
    assert response.context["outcome"].total == 0
    assert response.context["boards"] == []


# What anonymous visitors find -----------------------------------------------------------


def test_one_search_finds_agendas_minutes_and_decisions(january, client):
    response = search(client, q="carers strategy")
    outcome = response.context["outcome"]
    # Both resolutions of minute 52 are found: its heading is indexed with them.
    assert outcome.counts == {"agenda": 1, "minutes": 1, "decision": 2, "transcript": 0}
    results = response.context["results"]
    kinds = {result.kind.value: result for result in results if result.title[-3:] != "(2)"}
    if outcome.by_relevance:
        # Of the two, the resolution whose own words match ranks first.
        decisions = [result.title for result in results if result.kind.value == "decision"]
        assert decisions == [
            "HWB 11 January 2017, minute 52(1)",
            "HWB 11 January 2017, minute 52(2)",
        ]

    agenda = kinds["agenda"]
    assert agenda.title == "Health and Wellbeing Board, 11 January 2017"
    assert agenda.board == "Health and Wellbeing Board"
    assert agenda.date == "Wednesday 11 January 2017"
    assert agenda.citation == "HWB 11 January 2017, agenda item 7"
    assert agenda.extract == (
        "<mark>Carers</mark> <mark>strategy</mark>. Respite for young <mark>carers</mark> and "
        "their families across the borough."
    )

    minutes = kinds["minutes"]
    assert minutes.citation == "HWB 11 January 2017, minute 52"
    assert minutes.citation_url.endswith("#minute-52")
    assert minutes.status_label == "Draft minutes, not yet approved"

    decision = kinds["decision"]
    assert decision.title == decision.citation == "HWB 11 January 2017, minute 52(1)"
    assert decision.url == "/decisions/health-and-wellbeing-board/2017-01-11/52/1/"
    assert decision.citation_url == (
        "http://testserver/decisions/health-and-wellbeing-board/2017-01-11/52/1/"
    )
    assert decision.extract == "That the <mark>carers</mark> <mark>strategy</mark> be endorsed."
    assert decision.heading == "<mark>CARERS</mark> <mark>STRATEGY</mark>"
    second = next(r for r in results if r.title == "HWB 11 January 2017, minute 52(2)")
    assert second.citation == "HWB 11 January 2017, minute 52(2)"
    assert "<mark>" not in second.extract

    html = response.content.decode()
    assert "<mark>carers</mark>" in html
    assert "HWB 11 January 2017, minute 52(1)" in html
    assert 'href="/decisions/health-and-wellbeing-board/2017-01-11/52/1/"' in html
    for word in EXEMPT_WORDS:
        assert word not in html.lower()


def test_exempt_words_find_nothing(january, client):
    for word in EXEMPT_WORDS + ["contract award", "lowest price"]:
        response = search(client, q=word)
        assert response.context["outcome"].total == 0, word
        html = response.content.decode().lower()
        assert "search-result " not in html
        # The query is shown back to the visitor; nothing else exempt is.
        for other in EXEMPT_WORDS + ["holdings", "lowest price", "awarded the contract"]:
            if other != word:
                assert other not in html, (word, other)


def test_english_stemming_on_postgresql(hwb, client):
    if connection.vendor != "postgresql":
        pytest.skip("English stemming is PostgreSQL's; SQLite FTS5 matches whole words")
    meeting = MeetingPageFactory(parent=hwb, start=london(2017, 3, 8))
    AgendaItemFactory(meeting=meeting, title="Young carer support", summary="Caring at home")
    publish(meeting)
    response = search(client, q="carers")
    assert result_titles(response) == [("agenda", meeting.title)]
    assert "<mark>carer</mark>" in response.context["results"][0].extract
    assert search(client, q="cared").context["outcome"].total == 1  # caring -> care


def test_filters_by_board_type_and_date(january, safer, client):
    community = MeetingPageFactory(
        parent=safer, title="Safer Rotherham Partnership, 8 March 2017", start=london(2017, 3, 8)
    )
    AgendaItemFactory(meeting=community, title="Carers and community safety")
    publish(community)

    assert search(client, q="carers").context["outcome"].total == 5
    by_board = search(client, q="carers", board="safer-rotherham-partnership")
    assert result_titles(by_board) == [("agenda", "Safer Rotherham Partnership, 8 March 2017")]
    assert "from the Safer Rotherham Partnership" in by_board.content.decode()

    decisions = search(client, q="carers", type="decision")
    assert [r.kind.value for r in decisions.context["results"]] == ["decision", "decision"]
    assert decisions.context["outcome"].counts == {
        "agenda": 2,
        "minutes": 1,
        "decision": 2,
        "transcript": 0,
    }

    march = search(client, q="carers", **{"from": "2017-02-01", "to": "2017-03-31"})
    assert result_titles(march) == [("agenda", "Safer Rotherham Partnership, 8 March 2017")]
    january_only = search(
        client,
        q="carers",
        **{"from-day": "11", "from-month": "1", "from-year": "2017", "to": "2017-01-11"},
    )
    assert january_only.context["outcome"].total == 4


def test_results_are_ordered_by_relevance_or_newest_first(hwb, client):
    older = MeetingPageFactory(parent=hwb, title="Older meeting", start=london(2016, 1, 6))
    AgendaItemFactory(
        meeting=older,
        title="Winter plan",
        summary="Winter pressures, winter funding and the winter discharge plan.",
    )
    newer = MeetingPageFactory(parent=hwb, title="Newer meeting", start=london(2017, 1, 4))
    AgendaItemFactory(meeting=newer, title="Winter plan")
    publish(older)
    publish(newer)
    response = search(client, q="winter")
    titles = [result.title for result in response.context["results"]]
    if connection.vendor == "postgresql":
        assert response.context["outcome"].by_relevance
        assert titles == ["Older meeting", "Newer meeting"]
        assert "Best matches first." in response.content.decode()
    else:
        assert not response.context["outcome"].by_relevance
        assert titles == ["Newer meeting", "Older meeting"]
        assert "Newest meetings first." in response.content.decode()


def test_results_are_paginated(hwb, client):
    for number in range(23):
        meeting = MeetingPageFactory(
            parent=hwb, start=london(2016, 1, 6) + datetime.timedelta(7 * number)
        )
        AgendaItemFactory(meeting=meeting, title="Winter plan")
        publish(meeting)
    first = search(client, q="winter")
    assert first.context["outcome"].total == 23
    assert len(first.context["results"]) == 20
    assert first.context["pagination"]["next"] == "/search/?q=winter&page=2"
    second = search(client, q="winter", page="2")
    assert len(second.context["results"]) == 3
    titles = {r.title for r in first.context["results"]} | {
        r.title for r in second.context["results"]
    }
    assert len(titles) == 23
    # A page past the last shows the last.
    assert len(search(client, q="winter", page="99").context["results"]) == 3


def test_query_count_does_not_grow_with_the_results(hwb, client):
    def add_meeting_with_minutes(number):
        meeting = MeetingPageFactory(
            parent=hwb, start=london(2018, 1, 3) + datetime.timedelta(days=7 * number)
        )
        AgendaItemFactory(meeting=meeting, title="Mental health crisis pathway")
        AgendaItemFactory(meeting=meeting, title="Mental health workforce")
        meeting = publish(meeting)
        publish_minutes(
            meeting,
            [
                MinuteItem(
                    heading="MENTAL HEALTH",
                    narrative="Mental health services were discussed.",
                    resolutions=[
                        Resolution(text="That the mental health report be noted."),
                        Resolution(text="That mental health be a standing item."),
                    ],
                )
            ],
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = search(client, q="mental health")
        return len(captured), response

    add_meeting_with_minutes(0)
    few, response = queries()
    assert response.context["outcome"].total == 4
    for number in range(1, 5):
        add_meeting_with_minutes(number)
    many, response = queries()
    assert response.context["outcome"].total == 20
    assert len(response.context["results"]) == 20
    assert many == few


# Bad input ------------------------------------------------------------------------------


def test_a_very_long_query_is_shortened_and_says_so(january, client):
    response = search(client, q="carers " * 1500)  # 10,500 characters
    assert response.context["outcome"].counts["decision"] == 2
    assert response.context["search"].words.terms == ["carers"]
    assert len(response.context["query"]) <= 200
    assert "only the first 200 were used" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        'carers AND "respite',
        "carers OR NOT (respite)",
        "carers*",
        "^carers",
        "-carers +respite",
        "NEAR(carers respite)",
        "carers ~ respite",
        "carers' {respite} [young] | & !",
        "'carers' \\ respite; --",
    ],
)
def test_operators_are_ignored_and_explained(january, client, query):
    response = search(client, q=query)
    outcome = response.context["outcome"]
    assert outcome is not None and outcome.total >= 1
    assert "Search operators such as AND" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "title:carers",
        "<b>carers</b>",
        "'; DROP TABLE wagtailcore_page; --",
        "%s %% %(name)s {0} $1 ?",
        "NEAR/2 AND OR NOT carers",
        "\\x00 \\u0000 carers",
        "a" * 300,
    ],
)
def test_hostile_queries_are_searched_as_words(january, client, query):
    response = search(client, q=query)
    assert response.context["outcome"] is not None
    assert "There is a problem" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Enter words to search for"),
        ({"q": "   "}, "Enter words to search for"),
        ({"q": '"*()":-+~^ &|!'}, "your search had no letters or numbers"),
        ({"q": "carers", "board": "no-such-board"}, "Choose a board from the list"),
        ({"q": "carers", "board": "x\x00y"}, "Choose a board from the list"),
        ({"q": "carers", "type": "papers"}, "Choose agendas, minutes, decisions or transcripts"),
        ({"q": "carers", "from": "2017-02-30"}, "Date from must be a real date"),
        ({"q": "carers", "to": "30/02/2017"}, "Date to must be a real date"),
        ({"q": "carers", "from": "99999-01-01"}, "Date from must be a real date"),
        (
            {"q": "carers", "from-day": "31", "from-month": "2", "from-year": "2017"},
            "February 2017 has 28 days",
        ),
        (
            {"q": "carers", "from-day": "1", "from-month": "1", "from-year": "0001"},
            "must include 4 numbers",
        ),
        (
            {"q": "carers", "from": "2017-03-01", "to": "2017-01-01"},
            "Date to must be the same as or after date from",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_not_a_server_error(january, client, params, message):
    response = search(client, **params)
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert response.context["outcome"] is None
    assert "<title>Error:" in html


def test_odd_but_harmless_input_never_fails(january, client):
    for params in [
        {"q": "carers\x00respite"},
        {"q": "carers", "page": "abc"},
        {"q": "carers", "page": "-1"},
        {"q": "carers", "page": "9" * 40},
        {"q": "café naïve 日本語"},
        {"q": "x" * 3000},
        {"q": "carers", "from": "0001-01-01"},
        {"q": "carers", "to": "9999-12-31"},
    ]:
        response = search(client, **params)
        assert response.context["outcome"] is not None, params


def test_the_first_visit_shows_the_form_without_errors(db, client):
    response = search(client)
    html = response.content.decode()
    assert '<form method="get" action="/search/"' in html
    assert "There is a problem" not in html
    assert response.context["outcome"] is None


# The pieces -----------------------------------------------------------------------------


def test_read_words_keeps_letters_and_digits_only():
    words = read_words('  Carers AND "mental health" OR NOT (x*) minute:52 the ')
    assert words.terms == ["carers", "mental", "health", "x", "minute", "52"]
    assert words.typed == 'Carers AND "mental health" OR NOT (x*) minute:52 the'
    assert len(words.notes) == 1
    assert read_words("the").terms == ["the"]  # only common words: keep them
    assert read_words("plain words").notes == []
    many = read_words(" ".join(f"w{n}" for n in range(30)))
    assert len(many.terms) == 20 and "first 20 words" in many.notes[0]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("carers", "carer"),
        ("carer", "carer"),
        ("caring", "care"),
        ("cared", "care"),
        ("meetings", "meet"),
        ("services", "service"),
        ("agreed", "agree"),
        ("strategies", "strategi"),
        ("strategy", "strategi"),
        ("hopping", "hop"),
        ("52", "52"),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


def test_extract_marks_matches_and_escapes_everything_else():
    text = "Intro " * 20 + "the <script>alert(1)</script> carers & families " + "tail " * 40
    extract, matched = Highlighter(["carer"]).extract(text)
    assert matched
    assert "<mark>carers</mark>" in extract
    assert "<script>" not in extract and "&lt;script&gt;" in extract
    assert "&amp; families" in extract
    assert extract.startswith("… ") and extract.endswith(" …")
    assert len(re.findall(r"[^\W_]+", re.sub(r"<[^>]+>|&\w+;", " ", extract))) <= 32

    opening, matched = Highlighter(["absent"]).extract("One two three")
    assert not matched and opening == "One two three"
