"""Reminder emails to owners about their actions that are overdue or due within a few days.

Each owner gets at most one email a day, listing all their open actions that are overdue or due
within `days_ahead` days (ACTIONS_REMINDER_DAYS, 7 by default). Every action in it is recorded as
an `ActionReminder` (unique per action, owner and day) in the same transaction as the email is
sent, so running again the same day, by hand, by the daily task or by two workers at once, sends
nothing more. An owner who has already had their email today gets no second one, even if another
action has fallen due since: it will be in tomorrow's.

Owners are reached at their email address (`Person.email`, or their sign-in account's). Owners
with neither are skipped with a log line, once per owner. A failure to send one owner's email
is logged and recorded nothing, so the next run tries again; the others still go.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from meetings.dates import format_date

from .models import Action, ActionOwner, ActionReminder, ReminderKind

logger = logging.getLogger(__name__)

DEFAULT_DAYS_AHEAD = 7


def reminder_days():
    """How many days ahead to remind owners (the ACTIONS_REMINDER_DAYS setting, default 7)."""
    return int(getattr(settings, "ACTIONS_REMINDER_DAYS", DEFAULT_DAYS_AHEAD))


def owner_email(person):
    """The address to remind `person` at: their own, else their sign-in account's."""
    if person.email:
        return person.email
    user = getattr(person, "user", None) if person.user_id else None
    return (user.email if user else "") or ""


def my_actions_url():
    """The absolute address of "my actions" in the admin, for the email."""
    try:
        path = reverse("actions_log_admin:my_actions")
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


@dataclass
class ReminderItem:
    """One action in an owner's email."""

    action: Action
    due_on: datetime.date
    kind: str
    board_name: str

    @property
    def due_label(self):
        return format_date(self.due_on)


@dataclass
class OwnerReminder:
    """The email one owner gets today: their overdue actions, then those due soon."""

    person: object
    email: str
    items: list = field(default_factory=list)

    @property
    def overdue(self):
        return [item for item in self.items if item.kind == ReminderKind.OVERDUE]

    @property
    def due_soon(self):
        return [item for item in self.items if item.kind == ReminderKind.DUE_SOON]

    def subject(self):
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} due soon")
        count = len(self.items)
        return f"Your board actions: {' and '.join(parts)} ({count} action{'s' * (count != 1)})"


@dataclass
class ReminderRun:
    """What one run did, for the command's output, the task's result and the tests."""

    on: datetime.date
    days_ahead: int
    emails_sent: int = 0
    actions_reminded: int = 0
    already_reminded: list = field(default_factory=list)
    without_email: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    dry_run: bool = False
    planned: list = field(default_factory=list)

    def as_dict(self):
        """JSON for the task's stored result."""
        return {
            "on": self.on.isoformat(),
            "days_ahead": self.days_ahead,
            "emails_sent": self.emails_sent,
            "actions_reminded": self.actions_reminded,
            "already_reminded": self.already_reminded,
            "without_email": self.without_email,
            "failed": self.failed,
        }

    def lines(self):
        verb = "Would send" if self.dry_run else "Sent"
        count = len(self.planned) if self.dry_run else self.emails_sent
        yield (
            f"{verb} {count} reminder email{'s' * (count != 1)} for {format_date(self.on)} "
            f"(actions overdue or due within {self.days_ahead} days)."
        )
        for reminder in self.planned if self.dry_run else ():
            yield f"  {reminder.person.full_name} <{reminder.email}>: {reminder.subject()}"
        if self.already_reminded:
            yield "Already reminded today: " + ", ".join(self.already_reminded) + "."
        if self.without_email:
            yield "Skipped, no email address: " + ", ".join(self.without_email) + "."
        if self.failed:
            yield "Could not send to: " + ", ".join(self.failed) + " (see the log)."


def actions_to_remind(on, days_ahead):
    """Open actions overdue or due within `days_ahead` days of `on`, with `due_on` (one query)."""
    last = on + datetime.timedelta(days=days_ahead)
    return (
        Action.objects.with_due()
        .open()
        .filter(due_on__isnull=False, due_on__lte=last)
        .select_related("board")
        .order_by("due_on", "pk")
    )


def plan_reminders(on, days_ahead):
    """(reminders to send, names already reminded today, names without an email address).

    Three queries whatever the number of actions: the actions, their owners with people and
    accounts, and today's reminders already sent to those people.
    """
    actions = {action.pk: action for action in actions_to_remind(on, days_ahead)}
    if not actions:
        return [], [], []
    owners = (
        ActionOwner.objects.filter(action_id__in=list(actions))
        .select_related("person", "person__user")
        .order_by("person__family_name", "person__given_name", "person_id")
    )
    by_person = {}
    for owner in owners:
        by_person.setdefault(owner.person_id, (owner.person, []))[1].append(
            actions[owner.action_id]
        )
    reminded_today = set(
        ActionReminder.objects.filter(sent_on=on, person_id__in=list(by_person)).values_list(
            "person_id", flat=True
        )
    )

    reminders, already, without_email = [], [], []
    for person_id, (person, owned) in by_person.items():
        if person_id in reminded_today:
            already.append(person.full_name)
            continue
        email = owner_email(person)
        if not email:
            without_email.append(person.full_name)
            logger.info(
                "No reminder for %s (person %s): no email address for %d action(s).",
                person.full_name,
                person.pk,
                len(owned),
            )
            continue
        reminder = OwnerReminder(person=person, email=email)
        for action in sorted(owned, key=lambda a: (a.due_on, a.pk)):
            board = action.board
            reminder.items.append(
                ReminderItem(
                    action=action,
                    due_on=action.due_on,
                    kind=ReminderKind.OVERDUE if action.due_on < on else ReminderKind.DUE_SOON,
                    board_name=board.title if board else "",
                )
            )
        reminders.append(reminder)
    return reminders, already, without_email


def render_email(reminder, on, days_ahead):
    context = {
        "reminder": reminder,
        "person": reminder.person,
        "today": format_date(on),
        "days_ahead": days_ahead,
        "my_actions_url": my_actions_url(),
        "council_name": getattr(settings, "COUNCIL_NAME", ""),
    }
    return EmailMessage(
        subject=reminder.subject(),
        body=render_to_string("actions_log/email/action_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.email],
    )


def send_one(reminder, on, days_ahead):
    """Record and send one owner's email as one unit: if sending fails nothing is recorded, and
    if another run has just recorded the same reminders, nothing is sent. True if sent."""
    message = render_email(reminder, on, days_ahead)
    with transaction.atomic():
        ActionReminder.objects.bulk_create(
            ActionReminder(action=item.action, person=reminder.person, sent_on=on, kind=item.kind)
            for item in reminder.items
        )
        message.send()
    return True


def send_action_reminders(today=None, days_ahead=None, dry_run=False):
    """Email each owner about their open actions overdue or due within `days_ahead` days.

    `today` defaults to today in the UK, `days_ahead` to ACTIONS_REMINDER_DAYS. Returns a
    ReminderRun. With `dry_run`, works out the emails but neither sends nor records them.
    """
    on = today or timezone.localdate()
    days = reminder_days() if days_ahead is None else int(days_ahead)
    if days < 0:
        raise ValueError("The number of days ahead cannot be negative.")
    reminders, already, without_email = plan_reminders(on, days)
    run = ReminderRun(
        on=on,
        days_ahead=days,
        already_reminded=already,
        without_email=without_email,
        dry_run=dry_run,
        planned=reminders,
    )
    if dry_run:
        return run
    for reminder in reminders:
        name = reminder.person.full_name
        try:
            send_one(reminder, on, days)
        except IntegrityError:
            # Another run recorded this owner's reminders first: it sends their email.
            run.already_reminded.append(name)
            continue
        except Exception:
            logger.exception("Could not send the action reminder to %s.", name)
            run.failed.append(name)
            continue
        run.emails_sent += 1
        run.actions_reminded += len(reminder.items)
        logger.info("Sent %s a reminder about %d action(s).", name, len(reminder.items))
    return run
