"""Emails to the officers responsible for a duty when one of its obligations becomes at risk.

Each obligation is notified once, ever: `at_risk_notified_at` is claimed (set) before the email
is sent, by an update that only succeeds if it was still empty, so two runs at the same moment
cannot both send. If sending fails the claim is released, so the next run tries again; if no
responsible officer has an email address nothing is sent and nothing is claimed, so adding one
later still brings the email.

`refresh_duties` is the daily job the `refresh_obligations` command runs: generate obligations
ahead, record status changes, and queue an at-risk email task for each newly at-risk obligation.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .duties import Obligation, ObligationStatus
from .obligation_status import obligation_status, obligation_statuses, record_status_changes, the
from .obligations import ensure_obligations, shift_months

DEFAULT_YEARS_AHEAD = 2


def at_risk_email(obligation, result):
    """(subject, body) of the email about an obligation at risk; plain text, no exempt detail."""
    duty = obligation.duty
    receiver = obligation.receiver_name
    subject = f"At risk: {duty.title} to {the(receiver)} ({obligation.period_label})"
    lines = [
        "This obligation has become at risk.",
        "",
        f"Duty: {duty.title}",
        f"To: {receiver}",
        f"Period: {obligation.period_label}",
        f"Why it is at risk: {result.reason}.",
    ]
    if duty.what:
        lines.append(f"What is due: {duty.what}")
    if duty.presented_by:
        lines.append(f"By: {duty.presented_by}")
    source = ", ".join(part for part in (duty.source_document, duty.source_clause) if part)
    if source:
        lines.append(f"Source: {source}")
    if duty.legal_basis:
        lines.append(f"Legal basis: {duty.legal_basis}")
    lines += [
        "",
        "Place it on a meeting of the board's forward programme, or record why it is waived.",
        f"Sign in: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/",
        "",
        "You receive this because you are named as responsible for this duty. You will not be "
        "emailed about this obligation again.",
    ]
    return subject, "\n".join(lines)


def send_at_risk_email(obligation_id, *, today=None):
    """Email the duty's responsible officers if the obligation is at risk and not yet notified.

    Returns what happened: "sent", "already notified", "not at risk", "no recipients" or
    "no such obligation".
    """
    today = today or timezone.localdate()
    obligation = (
        Obligation.objects.select_related("duty", "receiver").filter(pk=obligation_id).first()
    )
    if obligation is None:
        return "no such obligation"
    if obligation.at_risk_notified_at is not None:
        return "already notified"
    result = obligation_status(obligation, today=today)
    if result.status != ObligationStatus.AT_RISK:
        return "not at risk"
    recipients = sorted(
        {person.email for person in obligation.duty.responsible.all() if person.email}
    )
    if not recipients:
        return "no recipients"
    claimed = Obligation.objects.filter(pk=obligation.pk, at_risk_notified_at__isnull=True).update(
        at_risk_notified_at=timezone.now()
    )
    if not claimed:
        return "already notified"
    subject, body = at_risk_email(obligation, result)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        Obligation.objects.filter(pk=obligation.pk).update(at_risk_notified_at=None)
        raise
    return "sent"


def notify_at_risk(*, today=None, obligations=None):
    """Queue an email task for each obligation at risk that has not been notified.

    Returns the ids queued. Obligations without a responsible officer with an email are skipped.
    """
    from .tasks import notify_obligation_at_risk_task

    today = today or timezone.localdate()
    queryset = Obligation.objects.all() if obligations is None else obligations
    candidates = list(
        queryset.filter(
            at_risk_notified_at__isnull=True,
            window_end__gte=today,
            duty__responsible__email__gt="",
        )
        .order_by("pk")
        .distinct()
    )
    statuses = obligation_statuses(candidates, today=today)
    queued = []
    for obligation in candidates:
        if statuses[obligation.pk].status == ObligationStatus.AT_RISK:
            notify_obligation_at_risk_task.enqueue(obligation.pk, today.isoformat())
            queued.append(obligation.pk)
    return queued


@dataclass
class RefreshReport:
    today: datetime.date
    until: datetime.date
    obligations: int = 0
    refused: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    emails_queued: list = field(default_factory=list)

    def lines(self):
        yield (
            f"Obligations up to {self.until:%-d %B %Y}: {self.obligations} "
            f"({len(self.refused)} duties refused)."
        )
        for duty, messages in self.refused:
            yield f"  Refused {duty}: {' '.join(messages)}"
        yield f"Status changes recorded: {len(self.changes)}."
        yield f"At-risk emails queued: {len(self.emails_queued)}."


def refresh_duties(*, today=None, years=DEFAULT_YEARS_AHEAD, email=True):
    """The daily job: obligations `years` ahead, status changes, at-risk emails. Safe to repeat."""
    today = today or timezone.localdate()
    until = shift_months(today, 12 * years)
    ensured = ensure_obligations(until=until)
    report = RefreshReport(today=today, until=until, obligations=ensured.obligations)
    report.refused = ensured.refused
    report.changes = record_status_changes(today)
    if email:
        report.emails_queued = notify_at_risk(today=today)
    return report
