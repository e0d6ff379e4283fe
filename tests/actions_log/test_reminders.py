"""Reminder emails: who gets one, what it lists, once a day at most, and the daily task that
keeps itself scheduled without piling up duplicates."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from actions_log import reminders
from actions_log.models import Action, ActionOwner, ActionReminder, ActionStatus, ReminderKind
from actions_log.reminders import send_action_reminders
from actions_log.tasks import (
    CannotSchedule,
    next_reminder_time,
    schedule_daily_reminders,
    send_daily_action_reminders,
)
from boards.factories import BoardPageFactory, PersonFactory
from meetings.factories import MeetingPageFactory, london

D = datetime.date
TODAY = D(2026, 11, 26)  # a Thursday
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_PATH = "actions_log.tasks.send_daily_action_reminders"

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index, title="Mental Health Partnership Board", slug="mhpb"
    )


def make_action(board, owners, due, status=ActionStatus.OPEN, text=None, **fields):
    action = Action.objects.create(
        board=board,
        text=text or f"Do something by {due}",
        raised_on=D(2026, 4, 1),
        due_date=due,
        status=status,
        **fields,
    )
    for order, person in enumerate(owners):
        ActionOwner.objects.create(action=action, person=person, sort_order=order)
    return action


@pytest.fixture
def helen():
    return PersonFactory(given_name="Helen", family_name="Marsh", email="helen@example.org")


@pytest.fixture
def jordan():
    return PersonFactory(given_name="Jordan", family_name="Reeve", email="jordan@example.org")


@pytest.fixture
def no_email():
    return PersonFactory(given_name="Pat", family_name="Nomail", email="")


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


# What is sent -------------------------------------------------------------------------


def test_one_email_per_owner_listing_overdue_and_due_soon_actions(board, helen, jordan):
    overdue = make_action(board, [helen], D(2026, 10, 1), ActionStatus.IN_PROGRESS, "Open late")
    soon = make_action(board, [helen, jordan], D(2026, 11, 30), text="Agree the protocol")
    on_the_edge = make_action(board, [helen], D(2026, 12, 3), text="Due in exactly seven days")
    make_action(board, [helen], D(2026, 12, 4), text="Due in eight days")
    make_action(board, [helen], D(2026, 10, 1), ActionStatus.COMPLETED, "Done already")
    make_action(board, [helen], D(2026, 10, 1), ActionStatus.NOT_REQUIRED, "Dropped")
    make_action(board, [helen], None, text="No due date")

    run = send_action_reminders(today=TODAY, days_ahead=7)

    assert run.emails_sent == 2
    assert run.actions_reminded == 4
    [to_helen] = sent_to("helen@example.org")
    [to_jordan] = sent_to("jordan@example.org")
    assert to_helen.subject == "Your board actions: 1 overdue and 2 due soon (3 actions)"
    body = to_helen.body
    assert "Open late" in body and "Was due: Thursday 1 October 2026" in body
    assert "Agree the protocol" in body and "Due: Monday 30 November 2026" in body
    assert "Due in exactly seven days" in body
    for absent in ("Due in eight days", "Done already", "Dropped", "No due date"):
        assert absent not in body
    # Overdue first, then due soon.
    assert body.index("Overdue") < body.index("Open late") < body.index("Due soon")
    assert "/admin/my-actions/" in body
    assert to_jordan.subject == "Your board actions: 1 due soon (1 action)"
    assert "Open late" not in to_jordan.body

    recorded = set(ActionReminder.objects.values_list("action_id", "person_id", "sent_on", "kind"))
    assert recorded == {
        (overdue.pk, helen.pk, TODAY, ReminderKind.OVERDUE),
        (soon.pk, helen.pk, TODAY, ReminderKind.DUE_SOON),
        (on_the_edge.pk, helen.pk, TODAY, ReminderKind.DUE_SOON),
        (soon.pk, jordan.pk, TODAY, ReminderKind.DUE_SOON),
    }


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(board, helen):
    make_action(board, [helen], D(2026, 11, 20))
    first = send_action_reminders(today=TODAY)
    assert first.emails_sent == 1
    assert len(mail.outbox) == 1

    again = send_action_reminders(today=TODAY)
    assert again.emails_sent == 0
    assert again.already_reminded == ["Helen Marsh"]
    assert len(mail.outbox) == 1
    assert ActionReminder.objects.count() == 1

    # Even an action that has fallen due since waits for tomorrow: one email a day.
    make_action(board, [helen], D(2026, 11, 27), text="New today")
    assert send_action_reminders(today=TODAY).emails_sent == 0
    assert len(mail.outbox) == 1

    tomorrow = send_action_reminders(today=TODAY + datetime.timedelta(days=1))
    assert tomorrow.emails_sent == 1
    assert "New today" in mail.outbox[-1].body
    assert ActionReminder.objects.count() == 3


def test_owners_without_an_email_address_are_skipped_with_a_log_line(
    board, helen, no_email, caplog
):
    make_action(board, [no_email, helen], D(2026, 11, 20))
    make_action(board, [no_email], D(2026, 11, 21))
    with caplog.at_level(logging.INFO, logger="actions_log.reminders"):
        run = send_action_reminders(today=TODAY)
    assert run.without_email == ["Pat Nomail"]
    assert [message.to for message in mail.outbox] == [["helen@example.org"]]
    assert not ActionReminder.objects.filter(person=no_email).exists()
    skipped = [r.getMessage() for r in caplog.records if "no email address" in r.getMessage()]
    assert skipped == [
        f"No reminder for Pat Nomail (person {no_email.pk}): no email address for 2 action(s)."
    ]


def test_an_owner_is_reached_at_their_sign_in_account_when_they_have_no_email_of_their_own(
    board, no_email
):
    no_email.user = get_user_model().objects.create_user("pat", email="pat@example.gov.uk")
    no_email.save()
    make_action(board, [no_email], D(2026, 11, 20))
    assert send_action_reminders(today=TODAY).emails_sent == 1
    assert mail.outbox[0].to == ["pat@example.gov.uk"]


def test_days_ahead_comes_from_the_setting_unless_given(board, helen, settings):
    make_action(board, [helen], D(2026, 12, 10))  # 14 days ahead
    settings.ACTIONS_REMINDER_DAYS = 7
    assert send_action_reminders(today=TODAY, dry_run=True).planned == []
    settings.ACTIONS_REMINDER_DAYS = 14
    assert len(send_action_reminders(today=TODAY, dry_run=True).planned) == 1
    assert send_action_reminders(today=TODAY, days_ahead=3, dry_run=True).planned == []
    with pytest.raises(ValueError, match="negative"):
        send_action_reminders(today=TODAY, days_ahead=-1)


def test_due_by_the_next_meeting_counts_from_that_meeting(board, helen):
    MeetingPageFactory(parent=board, slug="2026-11-30", start=london(2026, 11, 30, 13, 30))
    make_action(board, [helen], None, text="By the next meeting", due_by_next_meeting=True)
    run = send_action_reminders(today=TODAY)
    assert run.emails_sent == 1
    assert "Due: Monday 30 November 2026" in mail.outbox[0].body


def test_a_dry_run_sends_and_records_nothing(board, helen):
    make_action(board, [helen], D(2026, 11, 20))
    run = send_action_reminders(today=TODAY, dry_run=True)
    assert [reminder.email for reminder in run.planned] == ["helen@example.org"]
    assert mail.outbox == []
    assert not ActionReminder.objects.exists()


def test_a_failed_send_records_nothing_so_the_next_run_tries_again(
    board, helen, jordan, monkeypatch, caplog
):
    make_action(board, [helen, jordan], D(2026, 11, 20))
    real_send = reminders.EmailMessage.send

    def refuse_helen(message, *args, **kwargs):
        if "helen@example.org" in message.to:
            raise OSError("SMTP server went away")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(reminders.EmailMessage, "send", refuse_helen)
    with caplog.at_level(logging.ERROR, logger="actions_log.reminders"):
        run = send_action_reminders(today=TODAY)
    assert run.failed == ["Helen Marsh"]
    assert run.emails_sent == 1
    assert "Could not send the action reminder to Helen Marsh." in caplog.text
    assert list(ActionReminder.objects.values_list("person_id", flat=True)) == [jordan.pk]

    monkeypatch.setattr(reminders.EmailMessage, "send", real_send)
    retry = send_action_reminders(today=TODAY)
    assert retry.emails_sent == 1
    assert sent_to("helen@example.org")


def test_the_number_of_queries_does_not_grow_with_the_number_of_actions(
    board, helen, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for day in range(3):
        make_action(board, [helen], D(2026, 11, 20 + day))
    with CaptureQueriesContext(connection) as few:
        send_action_reminders(today=TODAY)
    ActionReminder.objects.all().delete()
    for day in range(30):
        make_action(board, [helen], D(2026, 11, 1 + day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        run = send_action_reminders(today=TODAY)
    assert run.actions_reminded == 33


# The daily task and its schedule ------------------------------------------------------


def test_the_next_run_is_7am_uk_time_in_winter_and_summer():
    utc = datetime.UTC
    # Before 7am GMT: the same morning; after it: the next.
    assert next_reminder_time(datetime.datetime(2026, 11, 26, 2, 30, tzinfo=utc)) == (
        datetime.datetime(2026, 11, 26, 7, 0, tzinfo=utc)
    )
    assert next_reminder_time(datetime.datetime(2026, 11, 26, 7, 0, tzinfo=utc)) == (
        datetime.datetime(2026, 11, 27, 7, 0, tzinfo=utc)
    )
    # The clocks go forward on 29 March 2026: 7am BST is 6am UTC.
    assert next_reminder_time(datetime.datetime(2026, 3, 28, 8, 0, tzinfo=utc)) == (
        datetime.datetime(2026, 3, 29, 6, 0, tzinfo=utc)
    )


def test_the_task_sends_the_days_reminders(board, helen, caplog):
    make_action(board, [helen], D(2026, 11, 20))
    with caplog.at_level(logging.INFO, logger="actions_log.tasks"):
        result = send_daily_action_reminders.enqueue()
    # The tests' immediate backend ran it at once, and cannot queue tomorrow's run.
    assert result.status == "SUCCESSFUL"
    assert result.return_value["emails_sent"] == 1
    assert len(mail.outbox) == 1
    assert "cannot run tasks at a later time" in caplog.text


def test_scheduling_needs_a_backend_that_can_run_tasks_later():
    with pytest.raises(CannotSchedule, match="ImmediateBackend"):
        schedule_daily_reminders()
    with pytest.raises(CommandError, match="cannot run tasks at a later time"):
        call_command("send_action_reminders", "--schedule")


def queued():
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")


@override_settings(TASKS=DB_TASKS)
def test_scheduling_twice_queues_one_run():
    now = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
    run_after, created = schedule_daily_reminders(now=now)
    assert created
    assert run_after == datetime.datetime(2026, 11, 27, 7, 0, tzinfo=datetime.UTC)
    again, created_again = schedule_daily_reminders(now=now + datetime.timedelta(hours=1))
    assert not created_again
    assert again == run_after
    assert queued().count() == 1
    assert queued().get().run_after == run_after


@override_settings(TASKS=DB_TASKS)
def test_the_command_schedules_once_however_often_it_runs(capsys):
    call_command("send_action_reminders", "--schedule")
    call_command("send_action_reminders", "--schedule")
    out = capsys.readouterr().out
    assert "Daily action reminders queued" in out
    assert "already queued" in out
    assert queued().count() == 1


@override_settings(TASKS=DB_TASKS)
def test_the_task_body_sends_then_queues_tomorrows_run_once(board, helen):
    make_action(board, [helen], D(2026, 11, 20))
    result = send_daily_action_reminders.call()
    assert result["emails_sent"] == 1
    assert queued().count() == 1
    # Running again (a second worker, or a retry) sends nothing and queues nothing more.
    result = send_daily_action_reminders.call()
    assert result["emails_sent"] == 0
    assert queued().count() == 1
    assert len(mail.outbox) == 1


@override_settings(TASKS=DB_TASKS)
def test_the_chain_goes_on_when_sending_fails(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("actions_log.tasks.send_action_reminders", broken)
    with pytest.raises(RuntimeError):
        send_daily_action_reminders.call()
    assert queued().count() == 1


# The command --------------------------------------------------------------------------


def test_the_command_sends_for_a_given_date_and_days(board, helen, capsys):
    make_action(board, [helen], D(2026, 12, 10))
    call_command("send_action_reminders", "--date", "2026-11-26", "--days", "14")
    out = capsys.readouterr().out
    assert "Sent 1 reminder email for Thursday 26 November 2026" in out
    assert ActionReminder.objects.get().sent_on == TODAY
    call_command("send_action_reminders", "--date", "2026-11-26", "--days", "14")
    assert "Already reminded today: Helen Marsh." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_dry_run_lists_who_would_be_emailed(board, helen, capsys):
    make_action(board, [helen], D(2026, 11, 20))
    call_command("send_action_reminders", "--date", "2026-11-26", "--dry-run")
    out = capsys.readouterr().out
    assert "Would send 1 reminder email" in out
    assert "Helen Marsh <helen@example.org>" in out
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--date", "26/11/2026"], "YYYY-MM-DD"),
        (["--date", "2026-02-30"], "YYYY-MM-DD"),
        (["--days", "seven"], "whole number"),
        (["--days", "-1"], "between 0 and 366"),
        (["--schedule", "--days", "3"], "without --days"),
    ],
)
def test_the_command_explains_bad_input(board, helen, arguments, message):
    make_action(board, [helen], D(2026, 11, 20))
    with pytest.raises(CommandError, match=message):
        call_command("send_action_reminders", *arguments)
    assert mail.outbox == []
    assert not ActionReminder.objects.exists()
