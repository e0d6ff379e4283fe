"""How fast "my actions", a board's public action log and the minutes importer are.

Builds (in its own scratch database) the ten-year data set of benchmarks/search.py (7 boards, 8
meetings a year, with minutes of every meeting held) and adds actions recorded in those minutes:
5,000 on the Health and Wellbeing Board, each with one or two owners, a third with a public
update and a seventh with an internal one, and a board member who owns 500 actions across all 7
boards. Then, through Django's test client, it times:

- "my actions" (/admin/my-actions/) signed in as that member: the first page, a filtered page
  and the CSV export of all 500;
- the board's public action log (/boards/<board>/actions/): the first page, the last page and the
  CSV export of all 5,000;

printing the median and 95th percentile in ms and the number of queries of each; and then the
importer on the reference pack's minutes of 11 January 2017 (`import_minutes ... --dry-run`):
seconds per document, in process (median and p95) and once as a separate command, start-up
included.

    .venv/bin/python benchmarks/actions.py [--years 10] [--runs 30] [--imports 10] [--keep]

The database is DATABASE_URL if set, otherwise sqlite:////tmp/benchmark-actions.sqlite3; a
PostgreSQL database must have "bench" in its name, because it is emptied. It is rebuilt on every
run unless --keep is given and it already holds the data.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/benchmark-actions.sqlite3")

from benchmarks import pages, search  # noqa: E402 - after the environment they read

BOARD_LOG_ACTIONS = 5000
MY_ACTIONS = 500
MEMBER_USERNAME = "bench-member"
MINUTES_FILE = BASE_DIR / "home" / "demo" / "data" / "hwb-2017-01-11-minutes.txt"

ACTION_TEXTS = [
    "Circulate the {theme} report to partners",
    "Bring an update on {theme} to the next meeting",
    "Agree the {theme} action plan with the {org}",
    "Share the data on {theme} with Healthwatch",
    "Write to the {org} about {theme}",
    "Report progress on {theme} to the Health Select Commission",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="years of meetings (default 10)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per URL (30)")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument("--imports", type=int, default=10, help="timed imports (10)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the scratch database if it holds the data"
    )
    parser.add_argument("--queries", action="store_true", help="print every request's queries")
    return parser.parse_args()


def database_holds(years):
    from django.db.utils import OperationalError, ProgrammingError

    from actions_log.models import Action

    try:
        return search.database_holds(years) and Action.objects.count() >= BOARD_LOG_ACTIONS
    except (OperationalError, ProgrammingError):
        return False


# Actions ----------------------------------------------------------------------------------


def build_actions(boards, items):
    """5,000 actions on the first board, and a member owning 500 across all the boards."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from actions_log.models import (
        Action,
        ActionOwner,
        ActionSource,
        ActionStatus,
        ActionUpdate,
    )
    from boards.models import BOARD_MEMBERS_GROUP, Membership, Person
    from meetings.minutes import MinuteItem

    rng = random.Random(2017)  # noqa: S311 - repeatable data, not security
    user = get_user_model().objects.create_user(MEMBER_USERNAME)  # signs in by force_login
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    member = Person.objects.create(
        given_name="Bench", family_name="Owner", organisation="RMBC", user=user
    )
    Membership.objects.bulk_create(
        Membership(board=board, person=member, role="member", sort_order=99) for board in boards
    )

    minutes_items = {}
    loaded = (
        MinuteItem.objects.filter(pk__in=[item.pk for item in items])
        .select_related("minutes__meeting")
        .prefetch_related("resolutions")
        .order_by("minutes__meeting__start", "number")
    )
    board_of_path = {board.path: board for board in boards}
    for item in loaded:
        board = board_of_path[item.minutes.meeting.path[: len(boards[0].path)]]
        minutes_items.setdefault(board.pk, []).append(item)

    statuses = list(ActionStatus)
    today = timezone.localdate()

    def action_for(board, item, number):
        raised_on = timezone.localdate(item.minutes.meeting.start)
        resolutions = list(item.resolutions.all())
        resolution = resolutions[number % len(resolutions)] if resolutions else None
        status = statuses[number % len(statuses)]
        due = raised_on + datetime.timedelta(days=rng.choice((28, 56, 90)))
        return Action(
            board=board,
            text=rng.choice(ACTION_TEXTS).format(
                theme=rng.choice(search.THEMES), org=rng.choice(search.ORGANISATIONS)
            ),
            source=ActionSource.RESOLUTION if resolution else ActionSource.MINUTE_ITEM,
            meeting=item.minutes.meeting,
            minute_item=item,
            resolution=resolution,
            as_printed=f"Action: {rng.choice(search.OFFICERS)}",
            raised_on=raised_on,
            due_date=due,
            status=status,
            completed_on=min(due, today) if status == ActionStatus.COMPLETED else None,
        )

    first = boards[0]
    log_items = minutes_items[first.pk]
    board_actions = Action.objects.bulk_create(
        (action_for(first, log_items[n % len(log_items)], n) for n in range(BOARD_LOG_ACTIONS)),
        batch_size=1000,
    )
    per_board = [MY_ACTIONS // len(boards) + (n < MY_ACTIONS % len(boards)) for n in range(7)]
    mine = list(rng.sample(board_actions, per_board[0]))
    for board, count in zip(boards[1:], per_board[1:], strict=True):
        board_items = minutes_items[board.pk]
        mine += Action.objects.bulk_create(
            action_for(board, board_items[n % len(board_items)], n) for n in range(count)
        )
    mine_ids = {action.pk for action in mine}

    owners = []
    for action in [*board_actions, *mine[per_board[0] :]]:
        board = next(b for b in boards if b.pk == action.board_id)
        people = rng.sample(board.members, 2)
        if action.pk in mine_ids:
            people = [member, people[0]]
        elif rng.random() < 0.5:
            people = people[:1]
        owners += [
            ActionOwner(action=action, person=person, sort_order=order)
            for order, person in enumerate(people)
        ]
    ActionOwner.objects.bulk_create(owners, batch_size=2000)

    updates = []
    for number, action in enumerate(board_actions + mine[per_board[0] :]):
        when = timezone.make_aware(
            datetime.datetime.combine(
                action.raised_on + datetime.timedelta(days=14), datetime.time(12)
            )
        )
        if number % 3 == 0:
            updates.append(
                ActionUpdate(
                    action=action,
                    created_at=when,
                    author_name="Democratic Services",
                    text="Report circulated; on the agenda of the next meeting.",
                )
            )
        if number % 7 == 0:
            updates.append(
                ActionUpdate(
                    action=action,
                    created_at=when,
                    author_name="Democratic Services",
                    text="Internal: waiting for the provider's figures.",
                    is_internal=True,
                )
            )
    ActionUpdate.objects.bulk_create(updates, batch_size=2000)
    return first, member, len(board_actions), len(mine), len(owners), len(updates)


# Measuring --------------------------------------------------------------------------------


def urls_to_measure(board):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    public = Client()
    member = Client()
    member.force_login(get_user_model().objects.get(username=MEMBER_USERNAME))
    my_actions = reverse("actions_log_admin:my_actions")
    log = f"{board.url}actions/"
    last_page = -(-board_public_count(board) // public_page_size())
    return [
        ("my actions", my_actions, member),
        ("my actions, open and overdue", f"{my_actions}?status=outstanding&overdue=on", member),
        ("my actions, CSV of all", f"{my_actions}?export=csv", member),
        ("action log, first page", log, public),
        ("action log, last page", f"{log}?page={last_page}", public),
        ("action log, CSV of all", f"{board.url}actions.csv", public),
    ]


def board_public_count(board):
    from actions_log.public import public_board_actions

    return public_board_actions(board).count()


def public_page_size():
    from actions_log import public_views

    return public_views.PAGE_SIZE


def through(client, url):
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise LookupError(f"{url} returned {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    return fetch


def time_imports(board, runs):
    """Seconds per import of the reference minutes (dry run), in process and as a command."""
    from django.core.management import call_command

    args = [str(MINUTES_FILE), "--board", board.slug, "--dry-run"]
    call_command("import_minutes", *args, stdout=io.StringIO(), stderr=io.StringIO())  # warm
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call_command("import_minutes", *args, stdout=io.StringIO(), stderr=io.StringIO())
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(BASE_DIR / "manage.py"), "import_minutes", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    command_seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"import_minutes failed:\n{completed.stderr or completed.stdout}")
    return timings, command_seconds, completed.stdout


def main():
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import override_settings
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from boards.models import BoardPage

    override_settings(MEDIA_ROOT=pages.MEDIA_ROOT).enable()
    warnings.filterwarnings("ignore", message="No directory at")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")

    reuse = False
    if args.keep:
        call_command("migrate", verbosity=0, interactive=False)
        reuse = database_holds(args.years)
    if reuse:
        print("Reusing the data already in the database (--keep).")
        board = BoardPage.objects.order_by("pk").first()
    else:
        pages.reset_database()
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        with transaction.atomic(), disable_reference_index_auto_update():
            boards, meetings = pages.build(args.years)
            minutes, items, resolutions = search.build_minutes(boards, meetings)
            board, member, logged, mine, owners, updates = build_actions(boards, items)
        print(
            f"Built {len(boards)} boards, {len(meetings)} meetings, {len(minutes)} minutes and "
            f"{len(items)} minute items; {logged} actions on the {board.title} and {mine} owned "
            f"by {member.full_name} on {len(boards)} boards, with {owners} owners and {updates} "
            f"updates, in {time.perf_counter() - started:.1f} s."
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    results = []
    failures = []
    for label, url, client in urls_to_measure(board):
        try:
            results.append(
                (label, url, pages.measure(through(client, url), args.runs, args.warm_up))
            )
        except LookupError as error:
            failures.append(f"{label}: {error}")

    print(f"\n{args.runs} requests of each URL after {args.warm_up} to warm up", end="")
    print(f" (DEBUG={settings.DEBUG}, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}):\n")
    print(f"{'request':<32}{'median ms':>11}{'p95 ms':>9}{'queries':>9}  url")
    for label, url, figures in results:
        print(
            f"{label:<32}{figures['median']:>11.1f}{figures['p95']:>9.1f}"
            f"{len(figures['queries']):>9}  {url}"
        )
    if args.queries:
        for label, url, figures in results:
            print(f"\n{label} ({url})")
            for number, sql in enumerate(figures["queries"], start=1):
                print(f"  {number:>3}. {pages.condensed(sql)}")

    print(f"\nImporting {MINUTES_FILE.name} (--dry-run) into the {board.title}:")
    try:
        timings, command_seconds, output = time_imports(board, args.imports)
    except RuntimeError as error:
        failures.append(str(error))
    else:
        summary = next((line for line in output.splitlines() if "minute" in line.lower()), "")
        print(
            f"  in process, {len(timings)} runs: median {statistics.median(timings):.3f} s, "
            f"p95 {pages.percentile(timings, 0.95):.3f} s per document"
        )
        print(f"  as a command, start-up included: {command_seconds:.2f} s")
        if summary:
            print(f"  the importer said: {summary.strip()}")

    for failure in failures:
        print(f"\nNot measured, {failure}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
