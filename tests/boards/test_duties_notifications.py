"""At-risk emails: the responsible officers hear once, ever, per obligation; and the daily
`refresh_obligations` command that generates, records and notifies is safe to run again."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from boards.duties import Obligation, ObligationStatus, ObligationStatusChange
from boards.factories import PersonFactory
from boards.obligation_status import link_obligation, unlink_obligation
from tests.boards.test_duties_support import HWB_TITLE, agenda_item, board, make_duty, meeting

D = datetime.date


@pytest.fixture
def hwb(board_index):
    return board(board_index, HWB_TITLE, "HWB")


@pytest.fixture
def rsab(board_index):
    return board(board_index, "Safeguarding Adults Board", "RSAB")


@pytest.fixture
def manager():
    return PersonFactory(
        given_name="Daniel", family_name="Brooks", email="daniel.brooks@example.org"
    )


@pytest.fixture
def duty(hwb, rsab, manager):
    """The SAB's annual report to the HWB, whose meetings leave no date in the 2026 window."""
    duty = make_duty(
        from_boards=[rsab],
        to_boards=[hwb],
        source_document="Rotherham Safeguarding Partnership Protocol",
        legal_basis="Care Act 2014, Schedule 2",
    )
    duty.responsible = [manager, PersonFactory(email="")]
    duty.save()
    meeting(hwb, D(2026, 11, 11))
    meeting(hwb, D(2027, 1, 13))
    return duty


def refresh(today="2026-11-26", *extra):
    out = io.StringIO()
    call_command("refresh_obligations", "--today", today, *extra, stdout=out)
    return out.getvalue()


def autumn_2026(duty):
    return Obligation.objects.get(duty=duty, window_end=D(2026, 11, 30))


def test_an_obligation_at_risk_is_emailed_once_however_often_the_command_runs(duty, manager):
    first = refresh()
    assert "At-risk emails queued: 1." in first
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["daniel.brooks@example.org"]
    assert message.subject == (
        f"At risk: Safeguarding Adults Board annual report to the {HWB_TITLE} "
        "(September to November 2026)"
    )
    assert (
        f"Why it is at risk: No meeting of the {HWB_TITLE} is left in the window, which closes "
        "on 30 November 2026." in message.body
    )
    assert "Legal basis: Care Act 2014, Schedule 2" in message.body
    assert autumn_2026(duty).at_risk_notified_at is not None

    second = refresh()
    third = refresh("2026-11-27")
    assert "At-risk emails queued: 0." in second
    assert "At-risk emails queued: 0." in third
    assert len(mail.outbox) == 1


def test_the_command_generates_ahead_and_records_each_change_once(duty):
    output = refresh("2026-11-26", "--years", "1")
    obligations = Obligation.objects.filter(duty=duty)
    assert obligations.count() == 12  # 2016 to 2027: the 2027 window opens within the year
    assert "Obligations up to 26 November 2027: 12 (0 duties refused)." in output
    assert f"Status changes recorded: {obligations.count()}." in output
    assert "Status changes recorded: 0." in refresh("2026-11-26", "--years", "1")
    assert ObligationStatusChange.objects.count() == 12
    assert "Status changes recorded: 1." in refresh("2026-12-01", "--years", "1")
    assert autumn_2026(duty).status_changes.last().status == ObligationStatus.MISSED


def test_it_is_never_emailed_again_even_after_it_recovers_and_slips_again(duty, hwb):
    refresh()
    obligation = autumn_2026(duty)
    extra = meeting(hwb, D(2026, 11, 28))
    link_obligation(obligation, agenda_item(extra, 8, "SAB annual report"), today=D(2026, 11, 26))
    refresh()
    unlink_obligation(obligation, today=D(2026, 11, 26))
    extra.delete()
    refresh()
    assert len(mail.outbox) == 1


def test_nobody_with_an_email_means_no_email_and_no_claim(duty, manager):
    manager.email = ""
    manager.save()
    assert "At-risk emails queued: 0." in refresh()
    assert mail.outbox == []
    assert autumn_2026(duty).at_risk_notified_at is None
    # Naming someone later still brings the one email.
    manager.email = "daniel.brooks@example.org"
    manager.save()
    refresh()
    assert len(mail.outbox) == 1


def test_obligations_not_at_risk_are_not_emailed(duty):
    refresh("2026-09-20")
    assert mail.outbox == []


def test_a_failed_send_is_tried_again_next_time(duty, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("boards.duty_notifications.send_mail", broken)
    refresh()  # the task fails (the immediate backend records the error)
    assert autumn_2026(duty).at_risk_notified_at is None
    monkeypatch.undo()
    refresh()
    assert len(mail.outbox) == 1


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(
        CommandError, match="--today must be a date as YYYY-MM-DD, not '26/11/2026'"
    ):
        call_command("refresh_obligations", "--today", "26/11/2026", stdout=io.StringIO())
