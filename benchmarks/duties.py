"""How fast the public duties page and its calendar are with ten years of obligations.

Builds (in its own scratch database) the ten-year data set of benchmarks/search.py (7 boards, 8
meetings a year with 15 agenda items each, minutes of every meeting held) and adds 20 duties
between the 7 boards and outside bodies: annual windows (the safeguarding boards' annual reports,
five receiving boards a year), twice-yearly, quarterly and every-18-months reporting lines, and
deadlines. Their obligations run over the ten years; about two thirds of those past are linked
to an agenda item of the receiving board inside the window (every fourth meeting's item is
exempt), so statuses are met, planned, missed, due, at risk and not yet due, as in life. Then,
through Django's test client as an anonymous visitor, it times the public page (all boards this
year, a past year, one board) and the iCalendar feed of every public obligation, printing the
median and 95th percentile in ms and the number of queries of each. The issue's aim: a query
count that does not grow with the obligations shown.

    .venv/bin/python benchmarks/duties.py [--years 10] [--runs 30] [--keep] [--queries]

The database is DATABASE_URL if set, otherwise sqlite:////tmp/benchmark-duties.sqlite3; a
PostgreSQL database must have "bench" in its name, because it is emptied. It is rebuilt on every
run unless --keep is given and it already holds the data.
"""

import argparse
import datetime
import os
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/benchmark-duties.sqlite3")

from benchmarks import pages, search  # noqa: E402 - after the environment they read

HWB, RSAB, SRP, MHPB, CYPPB, RSCP, HSC = range(7)  # positions in pages.BOARDS
SCRUTINY = "Overview and Scrutiny Management Board"
CHAIRS = "Meeting of the chairs of the partnership boards"
BCF = "Better Care Fund Executive Group"

# (title, from boards or bodies, to boards or bodies, frequency, interval, window months)
# A window is (start month, end month) of the first year; None: a plain deadline (end month).
DUTIES = [
    ("Safeguarding Adults Board annual report", [RSAB], [HWB, SRP], "annual", None, (9, 11)),
    (
        "Safeguarding Children Partnership annual report",
        [RSCP],
        [HWB, SRP, CYPPB],
        "annual",
        None,
        (9, 11),
    ),
    ("Health and Wellbeing Strategy update", [HWB], [RSAB, RSCP], "annual", None, (4, 6)),
    ("Safer Rotherham Partnership Plan update", [SRP], [RSAB, RSCP], "annual", None, (4, 6)),
    ("Children and Young People's Plan update", [CYPPB], [RSAB, RSCP], "annual", None, (4, 6)),
    ("Chairs of the partnership boards meet", [HWB, SRP], [CHAIRS], "twice_yearly", None, (4, 9)),
    ("Better Care Fund quarterly report", [BCF], [HWB], "quarterly", None, (4, 6)),
    (
        "Safer Rotherham Partnership report to scrutiny",
        [SRP],
        [SCRUTINY],
        "quarterly",
        None,
        (4, 6),
    ),
    ("Mental Health Partnership Board report", [MHPB], [HWB], "twice_yearly", None, (1, 6)),
    ("Mental health update to scrutiny", [MHPB], [HSC], "every_n_months", 18, (1, 6)),
    ("Health and Wellbeing Board annual report", [HWB], [HSC], "annual", None, (6, 7)),
    ("Public health annual report", [HWB], [HSC, SCRUTINY], "annual", None, (10, 12)),
    ("Joint Strategic Needs Assessment refresh", [HWB], [MHPB, CYPPB], "annual", None, (1, 3)),
    ("Prevent annual update", [SRP], [HWB, CYPPB], "annual", None, (1, 3)),
    ("Domestic abuse strategy report", [SRP], [HWB], "twice_yearly", None, (2, 4)),
    ("Child exploitation report", [RSCP], [CYPPB, SRP], "quarterly", None, (1, 3)),
    ("Carers strategy update", [MHPB], [HWB], "annual", None, None),
    ("Winter plan", [HWB], [HSC], "annual", None, None),
    ("Learning disability partnership report", [MHPB], [HWB, HSC], "annual", None, (7, 9)),
    ("Autism strategy update", [CYPPB], [HWB, MHPB], "every_n_months", 18, (5, 8)),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="years of meetings (default 10)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per URL (30)")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the scratch database if it holds the data"
    )
    parser.add_argument("--queries", action="store_true", help="print every request's queries")
    return parser.parse_args()


def database_holds(years):
    from django.db.utils import OperationalError, ProgrammingError

    from boards.duties import Duty

    try:
        return search.database_holds(years) and Duty.objects.count() == len(DUTIES)
    except (OperationalError, ProgrammingError):
        return False


# Duties and their obligations ------------------------------------------------------------


def _last_day(year, month):
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def build_duties(boards, first_year, years):
    """The 20 duties, their obligations over the years, and links to agenda items."""
    from django.utils import timezone

    from boards.duties import Duty, DutyParty, Obligation, PartyRole
    from boards.obligations import generate_obligations
    from meetings.models import AgendaItem, MeetingPage

    def party(role, who, order):
        if isinstance(who, int):
            return DutyParty(role=role, board=boards[who], sort_order=order)
        return DutyParty(role=role, body_name=who, sort_order=order)

    until = datetime.date(first_year + years - 1, 12, 31)
    for number, (title, sources, receivers, frequency, interval, window) in enumerate(DUTIES):
        if window is None:
            start, end = None, datetime.date(first_year, 12, 31)
        else:
            start = datetime.date(first_year, window[0], 1)
            end = _last_day(first_year, window[1])
        duty = Duty(
            title=title,
            slug=f"duty-{number + 1}",
            what=f"The {title.lower()}, with a position statement on the current year.",
            presented_by="The chair",
            frequency=frequency,
            interval_months=interval,
            first_window_start=start,
            first_window_end=end,
            source_document="Rotherham Safeguarding Partnership Protocol",
            is_public=number != 19,  # one duty the public does not see
        )
        duty.parties = [party(PartyRole.FROM, who, n) for n, who in enumerate(sources)] + [
            party(PartyRole.TO, who, n + len(sources)) for n, who in enumerate(receivers)
        ]
        duty.save()
        generate_obligations(duty, until=until)

    # The first business item of a board's meeting inside the window meets it, or the exempt
    # item 13 at the meetings that have one; a third of those past are left unlinked (missed).
    today = timezone.localdate()
    meetings_of = {}
    by_path = {board.path: board.pk for board in boards}
    for meeting in MeetingPage.objects.exclude(status="cancelled").order_by("start"):
        board_id = by_path.get(meeting.path[: -MeetingPage.steplen])
        meetings_of.setdefault(board_id, []).append(meeting)
    items = {}
    for item in AgendaItem.objects.filter(number__in=[7, 13], sub_item="").order_by("number"):
        if item.number == 13 and item.is_exempt:
            items[item.meeting_id] = item
        else:
            items.setdefault(item.meeting_id, item)
    linked = []
    obligations = Obligation.objects.filter(receiver__isnull=False).order_by("window_end", "pk")
    for position, obligation in enumerate(obligations):
        if position % 3 == 2:
            continue
        start = obligation.window_start or obligation.window_end - datetime.timedelta(days=90)
        inside = [
            m
            for m in meetings_of.get(obligation.receiver_id, [])
            if start <= timezone.localtime(m.start).date() <= obligation.window_end
        ]
        if not inside or timezone.localtime(inside[0].start).date() > today:
            continue
        item = items.get(inside[0].pk)
        if item is not None:
            obligation.agenda_item = item
            obligation.evidence_title = item.title
            obligation.evidence_date = timezone.localtime(inside[0].start).date()
            linked.append(obligation)
    Obligation.objects.bulk_update(
        linked, ["agenda_item", "evidence_title", "evidence_date"], batch_size=500
    )
    return Obligation.objects.count(), len(linked)


# Measuring ------------------------------------------------------------------------------


def urls_to_measure(first_year):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from boards.models import BoardPage

    board = BoardPage.objects.order_by("title").first()
    page = reverse("duties")
    this_year = timezone.localdate().year
    client = Client()
    urls = [
        (f"duties page, {this_year}", f"{page}?year={this_year}"),
        (f"duties page, {first_year + 2}", f"{page}?year={first_year + 2}"),
        (f"duties page, one board, {this_year}", f"{page}?year={this_year}&board={board.slug}"),
        ("calendar of every obligation", reverse("duties_calendar")),
    ]
    return [(label, url, pages.through_client(client, url)) for label, url in urls]


def rows_shown(client_response):
    return client_response.content.decode().count('id="obligation-')


def main():
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import override_settings
    from django.utils import timezone
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from boards.duties import Obligation
    from boards.obligation_status import obligation_statuses

    override_settings(MEDIA_ROOT=pages.MEDIA_ROOT).enable()
    warnings.filterwarnings("ignore", message="No directory at")
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")

    first_year = timezone.localdate().year - args.years + 2  # as pages.build lays meetings out
    reuse = False
    if args.keep:
        call_command("migrate", verbosity=0, interactive=False)
        reuse = database_holds(args.years)
    if reuse:
        print("Reusing the data already in the database (--keep).")
    else:
        pages.reset_database()
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        with transaction.atomic(), disable_reference_index_auto_update():
            boards, meetings = pages.build(args.years)
            minutes, items, _resolutions = search.build_minutes(boards, meetings)
            obligations, linked = build_duties(boards, first_year, args.years)
        print(
            f"Built {len(boards)} boards, {len(meetings)} meetings, {len(minutes)} minutes and "
            f"{len(DUTIES)} duties with {obligations} obligations ({linked} linked to agenda "
            f"items) in {time.perf_counter() - started:.1f} s."
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    every = list(Obligation.objects.select_related("duty", "receiver"))
    started = time.perf_counter()
    statuses = obligation_statuses(every)
    seconds = time.perf_counter() - started
    counts = {}
    for result in statuses.values():
        counts[result.label] = counts.get(result.label, 0) + 1
    print(
        f"Statuses of all {len(every)} obligations in {seconds * 1000:.0f} ms: "
        + ", ".join(f"{count} {label.lower()}" for label, count in sorted(counts.items()))
    )

    results, failures = [], []
    for label, url, fetch in urls_to_measure(first_year):
        try:
            figures = pages.measure(fetch, args.runs, args.warm_up)
            figures["rows"] = rows_shown(fetch())
            results.append((label, url, figures))
        except LookupError as error:
            failures.append(f"{label}: {error}")

    print(f"\n{args.runs} requests of each URL after {args.warm_up} to warm up", end="")
    print(f" (DEBUG={settings.DEBUG}):\n")
    print(f"{'request':<34}{'rows':>6}{'median ms':>11}{'p95 ms':>9}{'queries':>9}  url")
    for label, url, figures in results:
        rows = figures["rows"] or ""
        print(
            f"{label:<34}{rows:>6}{figures['median']:>11.1f}{figures['p95']:>9.1f}"
            f"{len(figures['queries']):>9}  {url}"
        )
    if args.queries:
        for label, url, figures in results:
            print(f"\n{label} ({url})")
            for number, sql in enumerate(figures["queries"], start=1):
                print(f"  {number:>3}. {pages.condensed(sql)}")

    page_counts = {len(f["queries"]) for label, _, f in results if label.startswith("duties")}
    rows = [f["rows"] for label, _, f in results if label.startswith("duties")]
    if len(page_counts) == 1:
        print(
            f"\nThe page makes {page_counts.pop()} queries whether it shows {min(rows)} or "
            f"{max(rows)} obligations."
        )
    else:
        print(f"\nThe page's query counts differ: {sorted(page_counts)} for {rows} rows.")
    for failure in failures:
        print(f"\nNot measured, {failure}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
