"""How fast the public pages render with ten years of meetings, and how many queries they make.

Builds (in its own scratch database) 7 boards with 8 meetings a year each, every meeting with 15
agenda items and 20 papers, then renders a plain content page (for comparison), the home page, a
board page, a meeting page and the all-boards iCalendar feed through Django's test client and
prints the median and 95th percentile render time and the query count of each. The issue's aims:
at most 15 queries per page, and a 95th percentile under 25 ms for a meeting page.

    .venv/bin/python benchmarks/pages.py [--years 10] [--runs 50] [--keep]

The database is DATABASE_URL if set, otherwise sqlite:////tmp/benchmark-pages.sqlite3; it is
rebuilt on every run unless --keep is given and it already holds the data.
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/benchmark-pages.sqlite3")
MEDIA_ROOT = Path(
    os.environ.get("BENCHMARK_MEDIA_ROOT", Path(tempfile.gettempdir()) / "benchmark-pages-media")
)

BOARDS = [
    ("Health and Wellbeing Board", "HWB", "statutory_committee"),
    ("Safeguarding Adults Board", "RSAB", "statutory_partnership"),
    ("Safer Rotherham Partnership", "SRP", "statutory_partnership"),
    ("Mental Health Partnership Board", "MHPB", "partnership"),
    ("Children and Young People's Partnership Board", "CYPPB", "partnership"),
    ("Safeguarding Children Partnership", "RSCP", "statutory_partnership"),
    ("Health Select Commission", "HSC", "scrutiny"),
]
MEETING_MONTHS = [1, 3, 4, 6, 7, 9, 10, 12]  # eight meetings a year
ITEMS_PER_MEETING = 15
PAPERS_PER_MEETING = 20
MEMBERS_PER_BOARD = 16
AIM_QUERIES = 15
AIM_MEETING_P95_MS = 25.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="years of meetings (default 10)")
    parser.add_argument("--runs", type=int, default=50, help="timed renders per page (50)")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed renders first (5)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the scratch database if it holds the data"
    )
    parser.add_argument(
        "--queries", action="store_true", help="print every page's queries, not only misses"
    )
    return parser.parse_args()


# The scratch database -------------------------------------------------------------------


def reset_database():
    """Start from an empty scratch database; refuses anything that does not look like one."""
    from django.db import connection

    settings_dict = connection.settings_dict
    name = str(settings_dict["NAME"])
    if connection.vendor == "sqlite":
        connection.close()
        Path(name).unlink(missing_ok=True)
        return
    if "bench" not in name:
        sys.exit(f"Refusing to empty database {name!r}: give the benchmark a database of its own.")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def database_holds(years):
    from django.db.utils import OperationalError, ProgrammingError

    from meetings.models import MeetingPage

    try:
        return MeetingPage.objects.count() == len(BOARDS) * len(MEETING_MONTHS) * years
    except (OperationalError, ProgrammingError):
        return False


# Building ten years of meetings ---------------------------------------------------------


def london(day, hour):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def wednesday_on_or_after(day):
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def write_paper_file(meeting):
    """One tiny file per meeting, which its twenty documents share.

    Rendering never opens the files; writing eleven thousand of them would only slow the build.
    """
    name = f"documents/benchmark-{meeting.pk}.pdf"
    path = MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%benchmark paper\n%%EOF\n")
    return name


def build(years):
    from django.utils import timezone
    from wagtail.documents.models import Document
    from wagtail.models import Collection, Page, Site

    from boards.models import BoardIndexPage, BoardPage, Membership, Person
    from home.models import ContentPage, HomePage
    from meetings.calendars import calendar_fingerprint
    from meetings.exempt import exempt_collection_for
    from meetings.models import (
        AgendaItem,
        AgendaPaper,
        AgendaSection,
        MeetingCalendarState,
        MeetingPage,
        MeetingStatus,
        StandardItem,
    )

    home = HomePage.objects.get()
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = home.add_child(instance=BoardIndexPage(title="Partnership boards", slug="boards"))
    # A plain text page: the floor that the other pages' figures can be compared with.
    home.add_child(
        instance=ContentPage(
            title="Accessibility statement",
            slug="accessibility",
            body="<p>This website is run by Rotherham Metropolitan Borough Council.</p>",
        )
    )
    root_collection = Collection.get_first_root_node()

    people = Person.objects.bulk_create(
        Person(
            title="Councillor" if n % 4 == 0 else "",
            given_name=f"Given{n}",
            family_name=f"Member{n}",
            organisation="RMBC" if n % 2 else "Rotherham CCG",
            job_title="Officer",
        )
        for n in range(len(BOARDS) * MEMBERS_PER_BOARD)
    )

    this_year = timezone.localdate().year
    first_year = this_year - years + 2  # so the data runs into next year and has upcoming meetings
    boards = []
    meetings = []
    for board_number, (title, short_name, kind) in enumerate(BOARDS):
        board = index.add_child(
            instance=BoardPage(
                title=title,
                short_name=short_name,
                kind=kind,
                summary=f"What the {title} does.",
                terms_of_reference="<p>Terms of reference.</p>",
                cadence="About eight times a year, on Wednesdays",
                contact_name="Democratic Services",
                contact_email="democratic.services@example.gov.uk",
            )
        )
        boards.append(board)
        members = people[board_number * MEMBERS_PER_BOARD : (board_number + 1) * MEMBERS_PER_BOARD]
        Membership.objects.bulk_create(
            Membership(
                board=board,
                person=person,
                role=("chair" if n == 0 else "vice_chair" if n == 1 else "member"),
                seat="Director of Public Health" if n == 2 else "",
                sort_order=n,
                # A quarter of the seats changed hands: past memberships stay on the board.
                end_date=datetime.date(this_year - 3, 5, 1) if n % 4 == 3 else None,
            )
            for n, person in enumerate(members)
        )
        # Exempt papers go where publishing would move them: the board's private collection.
        board.exempt_papers = exempt_collection_for(board)
        board.members = members

        previous = None
        for year in range(first_year, first_year + years):
            for month in MEETING_MONTHS:
                day = wednesday_on_or_after(datetime.date(year, month, 1 + board_number * 2))
                start = london(day, 10 if board_number % 2 else 14)
                meeting = board.add_child(
                    instance=MeetingPage(
                        title=f"{title}, {day:%-d %B %Y}",
                        slug=f"{day:%Y-%m-%d}",
                        start=start,
                        end=start + datetime.timedelta(hours=2),
                        venue="Rotherham Town Hall\nMoorgate Street\nRotherham S60 2TH",
                        status=(
                            MeetingStatus.CANCELLED
                            if (year + month + board_number) % 13 == 0
                            else MeetingStatus.HELD
                            if start < timezone.now()
                            else MeetingStatus.SCHEDULED
                        ),
                    )
                )
                meeting.board = board
                meeting.previous = previous
                previous = meeting
                meetings.append(meeting)

    # Published a week before the meeting, as the five clear days rule makes it.
    for meeting in meetings:
        meeting.first_published_at = meeting.last_published_at = meeting.start - datetime.timedelta(
            days=7
        )
    Page.objects.bulk_update(meetings, ["first_published_at", "last_published_at"])
    MeetingCalendarState.objects.bulk_create(
        MeetingCalendarState(
            meeting=meeting,
            fingerprint=calendar_fingerprint(meeting),
            changed_at=meeting.first_published_at,
        )
        for meeting in meetings
    )

    agendas = [
        (meeting, agenda_of(meeting, number, AgendaItem, AgendaSection, StandardItem))
        for number, meeting in enumerate(meetings)
    ]
    AgendaItem.objects.bulk_create(item for _, agenda in agendas for item in agenda)

    Presenter = AgendaItem.presenters.through
    Presenter.objects.bulk_create(
        Presenter(agendaitem_id=item.pk, person_id=meeting.board.members[item.sort_order].pk)
        for meeting, agenda in agendas
        for item in agenda
        if item.section in (AgendaSection.DISCUSSION, AgendaSection.DECISION)
    )

    # The meeting's papers go round its items that have papers: 20 over 9 items.
    placed = []
    for meeting, agenda in agendas:
        with_papers = [item for item in agenda if not item.is_verbal]
        file_name = write_paper_file(meeting)
        for number in range(PAPERS_PER_MEETING):
            placed.append((meeting, with_papers[number % len(with_papers)], number, file_name))
    now = timezone.now()
    documents = Document.objects.bulk_create(
        Document(
            title=f"{item.title}: paper {number + 1}",
            file=file_name,
            collection=meeting.board.exempt_papers if item.is_exempt else root_collection,
            file_size=32,
            created_at=now,
        )
        for meeting, item, number, file_name in placed
    )
    papers = []
    for (_, item, number, _), document in zip(placed, documents, strict=True):
        page_start = item.sort_order * 10 + number * 2 + 1
        papers.append(
            AgendaPaper(
                item=item,
                document=document,
                page_start=page_start,
                page_end=page_start + 1,
                sort_order=number,
            )
        )
    AgendaPaper.objects.bulk_create(papers)
    return boards, meetings


def agenda_of(meeting, meeting_number, AgendaItem, AgendaSection, StandardItem):  # noqa: N803
    """Fifteen items in the shape of a real agenda: opening items, business, 10(a) and 10(b).

    Every fourth meeting has an exempt item (number 13), whose papers go in the board's private
    collection.
    """
    opening = [
        StandardItem.PRIVATE_DETERMINATION,
        StandardItem.URGENT_ITEMS,
        StandardItem.APOLOGIES,
        StandardItem.DECLARATIONS,
        StandardItem.PUBLIC_QUESTIONS,
    ]
    items = [
        AgendaItem(
            meeting=meeting,
            number=number,
            title=StandardItem(kind).label,
            kind=kind,
            section=AgendaSection.PROCEDURAL,
            is_verbal=True,
        )
        for number, kind in enumerate(opening, start=1)
    ]
    items.append(
        AgendaItem(
            meeting=meeting,
            number=6,
            title="Minutes of the previous meeting",
            kind=StandardItem.PREVIOUS_MINUTES,
            section=AgendaSection.PROCEDURAL,
            previous_meeting=meeting.previous,
        )
    )
    business = [
        (7, "", AgendaSection.DISCUSSION, "Better Care Fund"),
        (8, "", AgendaSection.DISCUSSION, "Sustainability and Transformation Plan"),
        (9, "", AgendaSection.DECISION, "Joint Strategic Needs Assessment"),
        (10, "a", AgendaSection.INFORMATION, "Prevent update"),
        (10, "b", AgendaSection.INFORMATION, "Cross-board protocol"),
        (11, "", AgendaSection.INFORMATION, "Performance report"),
        (12, "", AgendaSection.DISCUSSION, "Winter plan"),
    ]
    for number, sub_item, section, title in business:
        items.append(
            AgendaItem(
                meeting=meeting,
                number=number,
                sub_item=sub_item,
                title=title,
                section=section,
                presenter_text="Presented by the Director of Public Health",
                summary=f"A report on the {title.lower()}.",
            )
        )
    exempt = meeting_number % 4 == 0
    item = AgendaItem(
        meeting=meeting,
        number=13,
        title="Care home contract: provider finances" if exempt else "Commissioning update",
        section=AgendaSection.DECISION,
        is_exempt=exempt,
        exempt_paragraph=3 if exempt else None,
        public_interest_reason="Commercially sensitive." if exempt else "",
    )
    items.append(item)
    items.append(
        AgendaItem(
            meeting=meeting,
            number=14,
            title="Date, time and venue of future meetings",
            kind=StandardItem.FUTURE_MEETINGS,
            section=AgendaSection.PROCEDURAL,
            is_verbal=True,
        )
    )
    for sort_order, agenda_item in enumerate(items):
        agenda_item.sort_order = sort_order
    assert len(items) == ITEMS_PER_MEETING, len(items)  # noqa: S101 - a guard on the builder
    return items


# Measuring ------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def measure(fetch, runs, warm_up):
    """Time `fetch` (which renders a page and returns the response) and count its queries."""
    from django.db import connection

    for _ in range(warm_up):
        fetch()
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper sees every query, whatever the request cycle does to the connection's query log.
    with connection.execute_wrapper(record):
        fetch()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": queries,
    }


def through_client(client, url):
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise LookupError(f"{url} returned {response.status_code}")
        return response

    return fetch


def pages_to_measure(client, boards):
    from django.utils import timezone

    from boards.models import BoardPage
    from home.models import ContentPage
    from meetings.models import MeetingPage

    board = BoardPage.objects.get(pk=boards[0].pk) if boards else BoardPage.objects.first()
    # The board's last held meeting with an exempt item: a full agenda with papers, presenters
    # and an item whose papers are withheld.
    meeting = (
        MeetingPage.objects.child_of(board)
        .filter(start__lt=timezone.now(), status="held", agenda_items__is_exempt=True)
        .order_by("-start")
        .first()
    )
    pages = [
        ("content page (floor)", ContentPage.objects.get(slug="accessibility").url),
        ("home", "/"),
        ("board", board.url),
        ("meeting", meeting.url),
        ("all-boards calendar", "/boards/calendar.ics"),
    ]
    return [(label, url, through_client(client, url)) for label, url in pages]


def condensed(sql, width=400):
    """A query with its column list left out, so that what it reads and why fits on a line."""
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1... FROM ", sql, count=1)
    return sql if len(sql) <= width else sql[: width - 3] + "..."


def main():
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings
    from wagtail.signal_handlers import disable_reference_index_auto_update

    override_settings(MEDIA_ROOT=MEDIA_ROOT).enable()
    # WhiteNoise warns that collectstatic has not been run; irrelevant to page rendering.
    warnings.filterwarnings("ignore", message="No directory at")
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")

    boards = []
    reuse = False
    if args.keep:
        # Bring the kept database up to date with the models first.
        call_command("migrate", verbosity=0, interactive=False)
        reuse = database_holds(args.years)
    if reuse:
        print("Reusing the data already in the database (--keep).")
    else:
        reset_database()
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        # The admin's reference index ("usage" of documents and pages) plays no part in the
        # public pages, and updating it on every page saved would only slow the build.
        with transaction.atomic(), disable_reference_index_auto_update():
            boards, meetings = build(args.years)
        print(
            f"Built {len(boards)} boards, {len(meetings)} meetings, "
            f"{len(meetings) * ITEMS_PER_MEETING} agenda items and "
            f"{len(meetings) * PAPERS_PER_MEETING} papers in {time.perf_counter() - started:.1f} s."
        )

    client = Client()
    results = []
    failures = []
    for label, url, fetch in pages_to_measure(client, boards):
        try:
            results.append((label, url, measure(fetch, args.runs, args.warm_up)))
        except LookupError as error:
            failures.append(f"{label}: {error}")

    print(f"\n{args.runs} renders of each page after {args.warm_up} to warm up", end="")
    print(f" (DEBUG={settings.DEBUG}):\n")
    print(f"{'page':<22}{'median ms':>11}{'p95 ms':>9}{'queries':>9}  url")
    for label, url, figures in results:
        print(
            f"{label:<22}{figures['median']:>11.1f}{figures['p95']:>9.1f}"
            f"{len(figures['queries']):>9}  {url}"
        )

    misses = []
    for label, url, figures in results:
        reasons = []
        if len(figures["queries"]) > AIM_QUERIES:
            reasons.append(f"{len(figures['queries'])} queries (aim: at most {AIM_QUERIES})")
        if label == "meeting" and figures["p95"] > AIM_MEETING_P95_MS:
            reasons.append(f"p95 {figures['p95']:.1f} ms (aim: under {AIM_MEETING_P95_MS:.0f} ms)")
        if reasons or args.queries:
            misses.append((label, url, reasons, figures["queries"]))
    for label, url, reasons, queries in misses:
        heading = "misses the aims: " + "; ".join(reasons) if reasons else "queries"
        print(f"\n{label} ({url}) {heading}")
        for number, sql in enumerate(queries, start=1):
            print(f"  {number:>3}. {condensed(sql)}")
    for failure in failures:
        print(f"\nNot measured, {failure}")
    if failures:
        sys.exit(1)
    if not any(reasons for _, _, reasons, _ in misses):
        print("\nEvery page meets the aims.")


if __name__ == "__main__":
    main()
