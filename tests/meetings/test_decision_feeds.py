"""RSS and Atom feeds of decisions, read back with xml.etree as a feed reader would."""

import email.utils
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from boards.factories import BoardPageFactory
from meetings.decision_feeds import FEED_LENGTH
from meetings.decisions import public_decisions
from meetings.factories import MeetingPageFactory, london
from tests.meetings.test_decisions import (
    DRAFT_TEXT,
    EXEMPT_HEADING,
    EXEMPT_TEXT,
    HIDDEN_MEETING_TEXT,
    RESTRICTED_TEXT,
    add_many_decisions,
    make_hwb,
    make_register_data,
    minute,
    publish_minutes,
)


@pytest.fixture
def hwb(board_index):
    return make_hwb(board_index)


@pytest.fixture
def register_data(board_index, hwb):
    return make_register_data(board_index, hwb)


ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = (EXEMPT_TEXT, EXEMPT_HEADING, DRAFT_TEXT, RESTRICTED_TEXT, HIDDEN_MEETING_TEXT)


def fetch(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    text = response.content.decode()
    for hidden in HIDDEN:
        assert hidden not in text
    # Our own output, parsed to check it: not untrusted data.
    return ET.fromstring(response.content)  # noqa: S314


def rss_items(client, url):
    channel = fetch(client, url, "application/rss+xml").find("channel")
    return channel, [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "guid": item.findtext("guid"),
            "permalink": item.find("guid").get("isPermaLink"),
            "description": item.findtext("description"),
            "pubDate": email.utils.parsedate_to_datetime(item.findtext("pubDate")),
            "categories": [category.text for category in item.findall("category")],
        }
        for item in channel.findall("item")
    ]


def atom_entries(client, url):
    feed = fetch(client, url, "application/atom+xml")
    return feed, [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "published": entry.findtext(f"{ATOM}published"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_rss_feed_of_all_boards(client, register_data):
    channel, items = rss_items(client, "/decisions/feed/rss/")
    assert channel.findtext("title") == "Decisions of Rotherham's partnership boards"
    assert channel.findtext("link") == "http://testserver/decisions/"
    # Latest published minutes first: the RSAB minutes were published after the HWB ones.
    assert [item["title"] for item in items] == [
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
    mecc = items[5]
    url = "http://testserver/decisions/health-and-wellbeing-board/2017-01-11/53/4/"
    assert mecc["link"] == url
    assert mecc["guid"] == url
    assert mecc["permalink"] == "true"
    assert (
        mecc["description"] == "That the suggested approaches to pilot in a locality be endorsed."
    )
    assert mecc["categories"] == ["Mental health", "Public health"]
    first_published = register_data["january"].first_published_at
    assert mecc["pubDate"] == first_published.replace(microsecond=0)
    assert len({item["guid"] for item in items}) == len(items)
    # The link leads to the decision's page.
    assert client.get(mecc["link"]).status_code == 200


def test_atom_feed_of_all_boards(client, register_data):
    feed, entries = atom_entries(client, "/decisions/feed/atom/")
    assert feed.findtext(f"{ATOM}title") == "Decisions of Rotherham's partnership boards"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://testserver/decisions/feed/atom/"
    )
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Rotherham Metropolitan Borough Council"
    assert len(entries) == 9
    strategy = next(e for e in entries if e["title"] == "HWB 16 November 2016, minute 36(2)")
    url = "http://testserver/decisions/health-and-wellbeing-board/2016-11-16/36/2/"
    assert strategy["link"] == url
    assert strategy["id"] == url
    assert strategy["summary"] == "That the governance framework be reviewed."
    assert strategy["categories"] == ["Health and wellbeing strategy"]
    assert strategy["published"] == register_data["november"].first_published_at.isoformat()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_board_feeds(client, register_data, kind):
    url = f"/decisions/safeguarding-adults-board/feed/{kind}/"
    if kind == "rss":
        channel, items = rss_items(client, url)
        title = channel.findtext("title")
        link = channel.findtext("link")
    else:
        feed, items = atom_entries(client, url)
        title = feed.findtext(f"{ATOM}title")
        link = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert title == "Decisions of the Rotherham Safeguarding Adults Board"
    assert link == "http://testserver/decisions/?board=safeguarding-adults-board"
    assert [item["title"] for item in items] == ["RSAB 1 March 2017, minute 7(1)"]


def test_board_feed_of_a_board_without_decisions_is_empty(client, board_index):
    BoardPageFactory(parent=board_index, slug="new-board")
    channel, items = rss_items(client, "/decisions/new-board/feed/rss/")
    assert items == []
    # The feed's link is the board's register, which offers the board though it has no decisions.
    assert channel.findtext("link") == "http://testserver/decisions/?board=new-board"
    page = client.get(channel.findtext("link")).content.decode()
    assert "There is a problem" not in page
    assert "0 decisions matching your filters" in page


def test_unknown_restricted_or_unpublished_boards_have_no_feed(client, register_data):
    Page.objects.filter(pk=register_data["rsab"].pk).update(live=False)
    for path in (
        "/decisions/no-such-board/feed/rss/",
        "/decisions/no-such-board/feed/atom/",
        "/decisions/case-review-group/feed/rss/",  # open to signed-in users only
        "/decisions/case-review-group/feed/atom/",
        "/decisions/safeguarding-adults-board/feed/rss/",  # unpublished
    ):
        assert client.get(path).status_code == 404, path
    # A restriction above the boards hides them all.
    PageViewRestriction.objects.create(page=register_data["hwb"], restriction_type="login")
    assert client.get("/decisions/health-and-wellbeing-board/feed/atom/").status_code == 404
    assert rss_items(client, "/decisions/feed/rss/")[1] == []


def test_feeds_carry_the_latest_fifty(client, board_index, hwb):
    meeting = MeetingPageFactory(parent=hwb, start=london(2018, 3, 14))
    publish_minutes(
        meeting,
        [minute(n, f"ITEM {n}", "That it be noted.", "That it be done.") for n in range(1, 31)],
    )
    assert public_decisions().count() == 60
    _, items = rss_items(client, "/decisions/feed/rss/")
    assert len(items) == FEED_LENGTH == 50
    assert items[0]["title"] == "HWB 14 March 2018, minute 1(1)"
    assert items[-1]["title"] == "HWB 14 March 2018, minute 25(2)"
    _, entries = atom_entries(client, "/decisions/health-and-wellbeing-board/feed/atom/")
    assert len(entries) == 50


FEEDS = [
    "/decisions/feed/rss/",
    "/decisions/feed/atom/",
    "/decisions/health-and-wellbeing-board/feed/rss/",
    "/decisions/health-and-wellbeing-board/feed/atom/",
]


def feed_queries(client):
    counts = []
    for url in FEEDS:
        cache.clear()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_feed_query_counts_do_not_grow_with_decisions(client, register_data, board_index):
    few = feed_queries(client)
    add_many_decisions(board_index)
    meeting = MeetingPageFactory(parent=register_data["hwb"], start=london(2019, 3, 14))
    publish_minutes(
        meeting,
        [minute(n, f"ITEM {n}", "That it be noted.", topics=["Carers"]) for n in range(1, 41)],
    )
    assert public_decisions().count() > FEED_LENGTH
    assert feed_queries(client) == few
    assert max(few) <= 6
