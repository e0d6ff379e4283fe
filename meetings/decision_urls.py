"""The public register of decisions, its feeds and its open-data endpoint.

/decisions/                                            the register (filters as query parameters)
/decisions/api/                                        the same decisions as JSON open data
/decisions/feed/rss/, /decisions/feed/atom/            feeds of all boards' decisions
/decisions/<board>/feed/rss/, .../feed/atom/           feeds of one board's decisions
/decisions/<board>/<yyyy-mm-dd>/<minute>/<resolution>/ one decision (see meetings.citations)
"""

from django.urls import path, re_path

from . import decision_views
from .decision_feeds import DecisionAtomFeed, DecisionRssFeed

urlpatterns = [
    path("", decision_views.register, name="decision_register"),
    path("api/", decision_views.api, name="decision_api"),
    path("feed/rss/", DecisionRssFeed(), name="decision_feed_rss"),
    path("feed/atom/", DecisionAtomFeed(), name="decision_feed_atom"),
    # [-\w]: Wagtail allows Unicode slugs, which the <slug:> converter would refuse.
    re_path(
        r"^(?P<board_slug>[-\w]+)/feed/rss/$", DecisionRssFeed(), name="decision_board_feed_rss"
    ),
    re_path(
        r"^(?P<board_slug>[-\w]+)/feed/atom/$", DecisionAtomFeed(), name="decision_board_feed_atom"
    ),
    re_path(
        r"^(?P<board_slug>[-\w]+)/(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})/"
        r"(?P<minute>[0-9]{1,12})/(?P<resolution>[0-9]{1,12})/$",
        decision_views.detail,
        name="decision_detail",
    ),
]
