"""The public register of decisions: which resolutions are public, the register page, a
decision's page and the JSON open data. Every request is made as an anonymous visitor."""

import datetime
import html as html_lib
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from boards.factories import BoardPageFactory
from meetings.citations import decision_citation, decision_url
from meetings.decisions import public_decisions, read_filters
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinuteItem, MinutesPage, Resolution

REGISTER = "/decisions/"
API = "/decisions/api/"

# Text that only ever appears in minutes the public must not see.
EXEMPT_TEXT = "award the care home contract to Bidder B"
EXEMPT_HEADING = "CARE HOME CONTRACT (EXEMPT)"
DRAFT_TEXT = "approve the unpublished draft budget"
RESTRICTED_TEXT = "restricted board resolution on case reviews"
HIDDEN_MEETING_TEXT = "resolution of a meeting taken off the site"


def minute(number, heading, *texts, topics=(), **kwargs):
    """A minute with numbered resolutions (1), (2)… and topic tags, ready to publish."""
    # sort_order as the admin sets it: the rules check numbers in the order the minutes are listed.
    item = MinuteItem(
        number=number,
        heading=heading,
        sort_order=number,
        resolutions=[
            Resolution(number=n, text=text, sort_order=n) for n, text in enumerate(texts, 1)
        ],
        **kwargs,
    )
    for topic in topics:
        item.tags.add(topic)
    return item


def publish_minutes(meeting, items, publish=True):
    # A draft is saved with Wagtail's minimal clean, which does not fill in the title.
    title, slug = ("", "") if publish else ("Minutes", "minutes")
    minutes = MinutesPage(title=title, slug=slug, live=publish)
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    revision = minutes.save_revision()
    if publish:
        revision.publish()
    return MinutesPage.objects.get(pk=minutes.pk)


def html_of(response):
    assert response.status_code == 200, response.status_code
    return html_lib.unescape(response.content.decode())


def make_hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
    )


@pytest.fixture
def hwb(board_index):
    return make_hwb(board_index)


@pytest.fixture
def register_data(board_index, hwb):
    return make_register_data(board_index, hwb)


def make_register_data(board_index, hwb):
    """The 16 November 2016 and 11 January 2017 HWB minutes (the January ones approving the
    November ones), a safeguarding board's minutes, and minutes the public must not see."""
    november = MeetingPageFactory(parent=hwb, slug="16-november-2016", start=london(2016, 11, 16))
    january = MeetingPageFactory(parent=hwb, slug="11-january-2017", start=london(2017, 1, 11))
    november_minutes = publish_minutes(
        november,
        [
            minute(
                36,
                "HEALTH AND WELLBEING STRATEGY",
                "That the refreshed strategy be noted.",
                "That the governance framework be reviewed.",
                topics=["Health and wellbeing strategy"],
            )
        ],
    )
    january_minutes = publish_minutes(
        january,
        [
            minute(
                50,
                "MINUTES OF THE PREVIOUS MEETING",
                "That the minutes of the meeting held on 16th November, 2016, be approved as a "
                "correct record.",
                approves=november_minutes,
            ),
            minute(
                53,
                "MAKING EVERY CONTACT COUNT",
                "That there be a rolling programme approach of 2 themes at a time.",
                "The first 2 themes to be Healthy Weight and Mental Health.",
                "That each organisation be responsible for internal implementation.",
                "That the suggested approaches to pilot in a locality be endorsed.",
                topics=["Mental health", "Public health"],
            ),
            minute(
                55,
                "CARING TOGETHER - THE ROTHERHAM CARERS STRATEGY",
                "That the Caring Together, Rotherham Carers' Strategy 2016-2021, be approved.",
                topics=["Carers"],
            ),
            minute(
                56,
                EXEMPT_HEADING,
                f"That the board {EXEMPT_TEXT}.",
                topics=["Commissioning secrets"],
                is_exempt=True,
                exempt_paragraph=3,
            ),
        ],
    )
    rsab = BoardPageFactory(
        parent=board_index,
        title="Rotherham Safeguarding Adults Board",
        slug="safeguarding-adults-board",
        short_name="RSAB",
    )
    rsab_meeting = MeetingPageFactory(parent=rsab, slug="1-march-2017", start=london(2017, 3, 1))
    publish_minutes(
        rsab_meeting,
        [
            minute(
                7,
                "CARERS AND SAFEGUARDING",
                "That the carers' pathway be adopted.",
                topics=["Carers"],
            )
        ],
    )
    # Minutes saved but never published.
    march = MeetingPageFactory(parent=hwb, slug="8-march-2017", start=london(2017, 3, 8))
    publish_minutes(
        march,
        [minute(60, "BUDGET", f"That the board {DRAFT_TEXT}.", topics=["Budget drafts"])],
        publish=False,
    )
    # A board open only to signed-in users.
    private_board = BoardPageFactory(
        parent=board_index, title="Case Review Group", slug="case-review-group", short_name="CRG"
    )
    PageViewRestriction.objects.create(page=private_board, restriction_type="login")
    private_meeting = MeetingPageFactory(parent=private_board, start=london(2017, 2, 1))
    publish_minutes(private_meeting, [minute(1, "CASE REVIEWS", f"That the {RESTRICTED_TEXT}.")])
    # Published minutes of a meeting later unpublished.
    hidden = MeetingPageFactory(parent=rsab, slug="2-february-2017", start=london(2017, 2, 2))
    publish_minutes(hidden, [minute(5, "WITHDRAWN", f"That the {HIDDEN_MEETING_TEXT}.")])
    Page.objects.filter(pk=hidden.pk).update(live=False)
    return {
        "hwb": hwb,
        "rsab": rsab,
        "november": november_minutes,
        "january": january_minutes,
    }


def public_citations():
    return [decision_citation(resolution) for resolution in public_decisions()]


# Which resolutions are public ------------------------------------------------


def test_public_decisions_are_published_non_exempt_and_open(register_data):
    assert public_citations() == [
        "RSAB 1 March 2017, minute 7(1)",
        "HWB 11 January 2017, minute 50(1)",
        "HWB 11 January 2017, minute 53(1)",
        "HWB 11 January 2017, minute 53(2)",
        "HWB 11 January 2017, minute 53(3)",
        "HWB 11 January 2017, minute 53(4)",
        "HWB 11 January 2017, minute 55(1)",
        "HWB 16 November 2016, minute 36(1)",
        "HWB 16 November 2016, minute 36(2)",
    ]


def test_public_decisions_carry_their_minutes_status_without_more_queries(register_data):
    decisions = list(public_decisions())
    with CaptureQueriesContext(connection) as queries:
        statuses = {decision_citation(d): d.is_approved for d in decisions}
        topics = {
            decision_citation(d): [t.tag.name for t in d.minute.tagged_items.all()]
            for d in decisions
        }
    assert len(queries) == 0
    assert statuses["HWB 16 November 2016, minute 36(1)"] is True
    assert statuses["HWB 11 January 2017, minute 53(4)"] is False
    assert topics["HWB 11 January 2017, minute 53(4)"] == ["Mental health", "Public health"]


def test_unpublishing_minutes_or_restricting_a_meeting_withdraws_their_decisions(register_data):
    january = register_data["january"]
    PageViewRestriction.objects.create(
        page=january.meeting, restriction_type="password", password="x"
    )
    assert not any("11 January 2017" in citation for citation in public_citations())
    january.unpublish()
    november = MinutesPage.objects.get(pk=register_data["november"].pk)
    # The approving minutes are no longer published, so the November minutes are unapproved again.
    assert not public_decisions().get(minute__minutes=november, number=1).is_approved


def test_citation_and_address(register_data):
    resolution = public_decisions().get(minute__number=53, number=4)
    assert decision_citation(resolution) == "HWB 11 January 2017, minute 53(4)"
    assert decision_url(resolution) == "/decisions/health-and-wellbeing-board/2017-01-11/53/4/"
    assert decision_url(resolution) == reverse(
        "decision_detail",
        kwargs={
            "board_slug": "health-and-wellbeing-board",
            "day": "2017-01-11",
            "minute": "53",
            "resolution": "4",
        },
    )


# A decision's page -----------------------------------------------------------


def test_decision_page(client, register_data):
    page = html_of(client.get("/decisions/health-and-wellbeing-board/2017-01-11/53/4/"))
    assert "HWB 11 January 2017, minute 53(4)" in page
    assert "Wednesday 11 January 2017" in page
    assert "53. MAKING EVERY CONTACT COUNT" in page
    assert "(4) That the suggested approaches to pilot in a locality be endorsed." in page
    assert "Draft minutes, not yet approved" in page
    assert 'href="/decisions/?topic=mental-health"' in page
    minutes_url = register_data["january"].url
    assert f'href="{minutes_url}#minute-53-4"' in page
    assert f'href="{register_data["hwb"].url}"' in page
    assert 'value="http://testserver/decisions/health-and-wellbeing-board/2017-01-11/53/4/"' in page
    # The frame: breadcrumbs back to the register, the service navigation marks "Decisions".
    assert 'class="govuk-breadcrumbs__link" href="/decisions/">Register of decisions' in page
    assert "govuk-service-navigation__item--active" in page


def test_approved_decision_says_when_its_minutes_were_approved(client, register_data):
    page = html_of(client.get("/decisions/health-and-wellbeing-board/2016-11-16/36/2/"))
    assert "Approved as a correct record" in page
    assert "Approved at the meeting on Wednesday 11 January 2017." in page


HIDDEN_OR_UNKNOWN = [
    "/decisions/health-and-wellbeing-board/2017-01-11/53/5/",  # no such resolution
    "/decisions/health-and-wellbeing-board/2017-01-11/54/1/",  # no such minute
    "/decisions/health-and-wellbeing-board/2017-01-12/53/1/",  # wrong date
    "/decisions/safeguarding-adults-board/2017-01-11/53/1/",  # wrong board
    "/decisions/no-such-board/2017-01-11/53/1/",
    "/decisions/health-and-wellbeing-board/2017-02-31/53/1/",  # impossible date
    "/decisions/health-and-wellbeing-board/2017-01-11/999999999999/1/",  # overflow
    "/decisions/health-and-wellbeing-board/2017-01-11/56/1/",  # exempt
    "/decisions/health-and-wellbeing-board/2017-03-08/60/1/",  # draft minutes
    "/decisions/case-review-group/2017-02-01/1/1/",  # restricted board
    "/decisions/safeguarding-adults-board/2017-02-02/5/1/",  # unpublished meeting
]


def test_unknown_or_hidden_decisions_are_not_found(client, register_data):
    # One set of minutes for all the cases: building it is most of the test's time.
    found = {path: client.get(path).status_code for path in HIDDEN_OR_UNKNOWN}
    assert found == dict.fromkeys(HIDDEN_OR_UNKNOWN, 404)


# The register ----------------------------------------------------------------


def test_register_lists_public_decisions_only(client, register_data):
    page = html_of(client.get(REGISTER))
    assert "9 decisions" in page
    assert (
        '<a class="govuk-link" href="/decisions/health-and-wellbeing-board/2017-01-11/53/4/">'
        "HWB 11 January 2017, minute 53(4)</a>" in page
    )
    assert "That the carers' pathway be adopted." in page
    assert "Approved as a correct record" in page
    assert "Draft minutes, not yet approved" in page
    for hidden in (EXEMPT_TEXT, EXEMPT_HEADING, DRAFT_TEXT, RESTRICTED_TEXT, HIDDEN_MEETING_TEXT):
        assert hidden not in page
    # Topics and boards offered as filters come only from public decisions.
    assert '<option value="carers">Carers</option>' in page
    assert "Commissioning secrets" not in page
    assert "Budget drafts" not in page
    assert "Case Review Group" not in page
    assert '<option value="safeguarding-adults-board">' in page


def test_register_links_its_feeds_in_the_head(client, register_data):
    page = html_of(client.get(REGISTER, {"board": "health-and-wellbeing-board"}))
    head = page.split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/decisions/feed/rss/"' in head
    assert 'href="/decisions/feed/atom/"' in head
    assert 'href="/decisions/health-and-wellbeing-board/feed/rss/"' in head
    assert 'href="/decisions/health-and-wellbeing-board/feed/atom/"' in head
    assert 'type="application/json"' in head
    assert 'href="/decisions/api/?board=health-and-wellbeing-board"' in head


def rows_of(page):
    """The citations listed in the register's table, in order."""
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in body.split('<th scope="row"')[1:]]


FILTER_CASES = [
    ({"board": "safeguarding-adults-board"}, ["RSAB 1 March 2017, minute 7(1)"]),
    (
        {"topic": "carers"},
        ["RSAB 1 March 2017, minute 7(1)", "HWB 11 January 2017, minute 55(1)"],
    ),
    (
        {"status": "approved"},
        ["HWB 16 November 2016, minute 36(1)", "HWB 16 November 2016, minute 36(2)"],
    ),
    (
        {
            "from-day": "1",
            "from-month": "12",
            "from-year": "2016",
            "to-day": "11",
            "to-month": "1",
            "to-year": "2017",
            "topic": "mental-health",
            "status": "unapproved",
        },
        [f"HWB 11 January 2017, minute 53({n})" for n in range(1, 5)],
    ),
    (
        {"from": "2017-01-12", "board": "health-and-wellbeing-board"},
        [],
    ),
    (
        {"to": "2016-11-16"},
        ["HWB 16 November 2016, minute 36(1)", "HWB 16 November 2016, minute 36(2)"],
    ),
]


def test_register_filters(client, register_data):
    for params, expected in FILTER_CASES:
        page = html_of(client.get(REGISTER, params))
        assert "There is a problem" not in page, params
        if expected:
            assert rows_of(page) == expected, params
            assert f"{len(expected)} decision" in page, params
        else:
            assert "0 decisions matching your filters" in page, params
            assert "No decisions match your filters" in page, params


def test_iso_dates_fill_in_the_date_inputs(client, register_data):
    page = html_of(client.get(REGISTER, {"from": "2017-01-11"}))
    assert 'name="from-day" type="text" inputmode="numeric" value="11"' in page
    assert 'name="from-month" type="text" inputmode="numeric" value="1"' in page
    assert 'name="from-year" type="text" inputmode="numeric" value="2017"' in page


BAD_FILTERS = [
    (
        {"from-day": "31", "from-month": "2", "from-year": "2017"},
        "Date from must be a real date: February 2017 has 28 days",
        "from-day",
    ),
    (
        {"to-day": "29", "to-month": "2", "to-year": "2017"},
        "Date to must be a real date: February 2017 has 28 days",
        "to-day",
    ),
    ({"from-day": "1", "from-year": "2017"}, "Date from must include a month", "from-month"),
    (
        {"from-day": "1", "from-month": "13", "from-year": "2017"},
        "Date from must be a real date: the month must be between 1 and 12",
        "from-month",
    ),
    (
        {"from-day": "1", "from-month": "1", "from-year": "17"},
        "The year of date from must include 4 numbers",
        "from-year",
    ),
    (
        {"from-day": "first", "from-month": "1", "from-year": "2017"},
        "Date from must be a real date, in numbers, for example 11 1 2017",
        "from-day",
    ),
    (
        {"from-day": "²", "from-month": "1", "from-year": "2017"},
        "Date from must be a real date, in numbers, for example 11 1 2017",
        "from-day",
    ),
    (
        {"from": "2017-02-31"},
        "Date from must be a real date written as YYYY-MM-DD, for example 2017-01-11",
        "from-day",
    ),
    (
        {"from": "2017-02-01", "to": "2017-01-01"},
        "Date to must be the same as or after date from",
        "to-day",
    ),
    ({"board": "no-such-board"}, "Choose a board from the list", "board"),
    ({"board": "case-review-group"}, "Choose a board from the list", "board"),
    ({"topic": "x" * 10_000}, "Choose a topic from the list", "topic"),
    ({"topic": "commissioning-secrets"}, "Choose a topic from the list", "topic"),
    ({"status": "draft"}, "Choose approved or not yet approved minutes", "status"),
]


def test_bad_filters_give_an_error_summary(client, register_data):
    for params, message, target in BAD_FILTERS:
        page = html_of(client.get(REGISTER, params))
        assert "<title>Error: Register of decisions" in page, params
        assert f'<li><a href="#{target}">{message}</a></li>' in page, params
        assert f'id="{target}"' in page, params
        assert '<span class="govuk-visually-hidden">Error:</span> ' + message in page, params
        assert "govuk-table__body" not in page, params


def test_read_filters_keeps_what_the_visitor_typed():
    filters = read_filters(
        {"from-day": "31", "from-month": "2", "from-year": "2017"}, boards=[], topics=[]
    )
    assert not filters.is_valid
    typed = filters.inputs["from"]
    assert (typed.day, typed.month, typed.year, typed.wrong) == ("31", "2", "2017", {"day"})


def test_register_is_paginated_without_javascript(client, register_data):
    meeting = MeetingPageFactory(
        parent=register_data["hwb"], slug="5-april-2017", start=london(2017, 4, 5)
    )
    publish_minutes(
        meeting,
        [
            minute(
                70,
                "CARERS' WEEK",
                *[f"Carers decision {n}." for n in range(1, 31)],
                topics=["Carers"],
            )
        ],
    )
    first = html_of(client.get(REGISTER, {"topic": "carers"}))
    assert "32 decisions matching your filters" in first
    assert len(rows_of(first)) == 20
    assert '<nav class="govuk-pagination" aria-label="Pages of decisions">' in first
    assert 'href="/decisions/?topic=carers&page=2" rel="next"' in first
    second = html_of(client.get(REGISTER, {"topic": "carers", "page": "2"}))
    assert rows_of(second) == [
        *[f"HWB 5 April 2017, minute 70({n})" for n in range(21, 31)],
        "RSAB 1 March 2017, minute 7(1)",
        "HWB 11 January 2017, minute 55(1)",
    ]
    assert "(page 2 of 2)" in second
    assert 'href="/decisions/?topic=carers" rel="prev"' in second
    # A page number that is not one shows the nearest page rather than an error.
    assert rows_of(html_of(client.get(REGISTER, {"topic": "carers", "page": "abc"})))
    assert rows_of(html_of(client.get(REGISTER, {"topic": "carers", "page": "99"}))) == rows_of(
        second
    )


def test_register_without_decisions(client, board_index):
    page = html_of(client.get(REGISTER))
    assert "0 decisions" in page
    assert 'href="/decisions/feed/rss/"' in page


# Query counts -----------------------------------------------------------------


def add_many_decisions(board_index, boards=3, meetings=3, minutes_each=4, resolutions_each=3):
    for b in range(boards):
        board = BoardPageFactory(parent=board_index, slug=f"many-board-{b}")
        for m in range(meetings):
            meeting = MeetingPageFactory(parent=board, start=london(2018, 1 + m, 10))
            publish_minutes(
                meeting,
                [
                    minute(
                        10 * m + n + 1,
                        f"ITEM {n}",
                        *[f"Decision {b}-{m}-{n}-{r}." for r in range(resolutions_each)],
                        topics=[f"Topic {n}", "Carers"],
                    )
                    for n in range(minutes_each)
                ],
            )


def count_queries(client, url, params=None):
    cache.clear()
    client.get(url, params)  # Warm the site-root cache as a live site has it.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


QUERY_COUNTED = [
    (REGISTER, None),
    (REGISTER, {"topic": "carers", "status": "unapproved", "from": "2016-01-01"}),
    (API, None),
    (API, {"topic": "carers", "board": "health-and-wellbeing-board"}),
    ("/decisions/health-and-wellbeing-board/2017-01-11/55/1/", None),
]


def test_query_counts_do_not_grow_with_decisions(client, register_data, board_index):
    few = [count_queries(client, url, params) for url, params in QUERY_COUNTED]
    add_many_decisions(board_index)
    assert public_decisions().count() > 100
    assert [count_queries(client, url, params) for url, params in QUERY_COUNTED] == few
    assert max(few) <= 12


# JSON open data ------------------------------------------------------------------


def get_json(client, params=None, status=200):
    response = client.get(API, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_json_decisions(client, register_data):
    data = get_json(client)
    assert data["count"] == 9
    assert data["next"] is None and data["previous"] is None
    by_citation = {result["citation"]: result for result in data["results"]}
    assert list(by_citation) == public_citations()
    result = by_citation["HWB 11 January 2017, minute 53(4)"]
    january = register_data["january"]
    assert result == {
        "citation": "HWB 11 January 2017, minute 53(4)",
        "url": "http://testserver/decisions/health-and-wellbeing-board/2017-01-11/53/4/",
        "board": {
            "name": "Health and Wellbeing Board",
            "short_name": "HWB",
            "slug": "health-and-wellbeing-board",
            "url": f"http://testserver{register_data['hwb'].url}",
        },
        "meeting": {"date": "2017-01-11", "url": f"http://testserver{january.meeting.url}"},
        "minute": {
            "number": 53,
            "heading": "MAKING EVERY CONTACT COUNT",
            "url": f"http://testserver{january.url}#minute-53-4",
        },
        "resolution_number": 4,
        "text": "That the suggested approaches to pilot in a locality be endorsed.",
        "topics": [
            {"name": "Mental health", "slug": "mental-health"},
            {"name": "Public health", "slug": "public-health"},
        ],
        "minutes_status": "unapproved",
        "minutes_published": january.first_published_at.isoformat(),
    }
    assert by_citation["HWB 16 November 2016, minute 36(1)"]["minutes_status"] == "approved"
    text = json.dumps(data)
    for hidden in (EXEMPT_TEXT, EXEMPT_HEADING, DRAFT_TEXT, RESTRICTED_TEXT, HIDDEN_MEETING_TEXT):
        assert hidden not in text


def test_json_filters_and_pagination(client, register_data):
    data = get_json(client, {"topic": "carers", "page_size": "1"})
    assert data["count"] == 2
    assert [r["citation"] for r in data["results"]] == ["RSAB 1 March 2017, minute 7(1)"]
    assert data["next"] == "http://testserver/decisions/api/?topic=carers&page_size=1&page=2"
    assert data["previous"] is None
    second = client.get(data["next"])
    data = json.loads(second.content)
    assert [r["citation"] for r in data["results"]] == ["HWB 11 January 2017, minute 55(1)"]
    assert data["next"] is None
    assert data["previous"] == "http://testserver/decisions/api/?topic=carers&page_size=1&page=1"
    data = get_json(
        client, {"from-day": "16", "from-month": "11", "from-year": "2016", "to": "2016-11-16"}
    )
    assert [r["citation"] for r in data["results"]] == [
        "HWB 16 November 2016, minute 36(1)",
        "HWB 16 November 2016, minute 36(2)",
    ]
    assert get_json(client, {"status": "approved", "board": "safeguarding-adults-board"}) == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


BAD_JSON_FILTERS = [
    ({"from": "2017-02-31"}, "from", "Date from must be a real date written as YYYY-MM-DD"),
    (
        {"to-day": "31", "to-month": "2", "to-year": "2017"},
        "to",
        "Date to must be a real date: February 2017 has 28 days",
    ),
    ({"board": "nowhere"}, "board", "Choose a board from the list"),
    ({"topic": "commissioning-secrets"}, "topic", "Choose a topic from the list"),
    ({"status": "maybe"}, "status", "Choose approved or not yet approved minutes"),
    ({"page": "0"}, "page", "'page' must be a whole number"),
    ({"page": "x" * 10_000}, "page", "'page' must be a whole number"),
    ({"page_size": "1000"}, "page_size", "'page_size' must be a whole number from 1 to 100"),
]


def test_json_bad_filters_are_a_400(client, register_data):
    for params, field, message in BAD_JSON_FILTERS:
        data = get_json(client, params, status=400)
        assert data["error"] == "Invalid filters.", params
        assert data["errors"][field].startswith(message), params


def test_json_page_beyond_the_last_is_not_found(client, register_data):
    data = get_json(client, {"page": "3", "page_size": "5"}, status=404)
    assert data["error"] == "There is no page 3: the last is 2."


def test_json_is_read_only(client, register_data):
    for method in ("post", "put", "patch", "delete", "options"):
        response = getattr(client, method)(API, {"text": "That everything be approved."})
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
        assert json.loads(response.content)["error"] == "This endpoint is read-only: use GET."
    assert client.head(API).status_code == 200
    assert Resolution.objects.filter(text="That everything be approved.").count() == 0


def test_json_refuses_posts_even_with_csrf_checks(register_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(API)
    assert response.status_code == 405


def test_dates_in_the_address_are_uk_dates(client, board_index, hwb):
    """A meeting at 00:30 on 1 June (UK summer time) is on 1 June, though it is 31 May in UTC."""
    meeting = MeetingPageFactory(parent=hwb, start=london(2017, 6, 1, 0, 30))
    publish_minutes(meeting, [minute(1, "LATE SITTING", "That the board sit late.")])
    assert public_citations() == ["HWB 1 June 2017, minute 1(1)"]
    assert client.get("/decisions/health-and-wellbeing-board/2017-06-01/1/1/").status_code == 200
    data = get_json(client, {"from": "2017-06-01", "to": "2017-06-01"})
    assert data["count"] == 1
    assert get_json(client, {"to": "2017-05-31"})["count"] == 0
    assert datetime.date(2017, 6, 1).isoformat() == data["results"][0]["meeting"]["date"]


def test_decision_links_to_its_resolution_on_the_minutes_page(client, register_data):
    decision = html_of(client.get("/decisions/health-and-wellbeing-board/2017-01-11/53/4/"))
    link = decision.split("Read minute 53 in full")[0].rsplit('href="', 1)[1].split('"')[0]
    path, anchor = link.split("#")
    assert anchor == "minute-53-4"
    assert f'id="{anchor}"' in html_of(client.get(path))
