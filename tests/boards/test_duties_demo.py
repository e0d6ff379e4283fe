"""The demo's duties, loaded by the real `load_demo_data`: the protocol and the reporting lines,
five presentations each autumn, and the SAB's 2015-16 annual report met by minute 45 of the HWB's
16 November 2016 minutes. Loading again adds nothing.

The loader is slow, so it runs twice once for the module inside a transaction rolled back at the
end (as tests/home/test_demo_data.py does).
"""

import datetime
import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from boards.duties import Duty, DutyParty, Obligation, ObligationStatusChange
from boards.models import BoardPage
from boards.obligation_status import obligation_status, obligation_statuses
from home.demo.duties import DUTIES
from home.models import HomePage

pytestmark = pytest.mark.django_db

D = datetime.date
COUNTED = {
    "duties": Duty.objects,
    "parties": DutyParty.objects,
    "obligations": Obligation.objects,
    "status changes": ObligationStatusChange.objects,
}


def counts():
    return {name: manager.count() for name, manager in COUNTED.items()}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        if not HomePage.objects.exists():
            migration = importlib.import_module("home.migrations.0002_create_home_page")
            migration.create_home_page(apps, None)
        first, second = io.StringIO(), io.StringIO()
        call_command("load_demo_data", stdout=first)
        after_first = counts()
        call_command("load_demo_data", stdout=second)
        yield SimpleNamespace(
            first=first.getvalue(),
            second=second.getvalue(),
            after_first=after_first,
            after_second=counts(),
        )
        transaction.set_rollback(True)


def board(slug):
    return BoardPage.objects.get(slug=slug)


def test_the_safeguarding_adults_report_of_2015_16_was_met_by_minute_45(demo):
    hwb = board("health-and-wellbeing-board")
    obligation = Obligation.objects.get(
        duty__slug="safeguarding-adults-board-annual-report",
        receiver=hwb,
        window_start=D(2016, 9, 1),
        window_end=D(2016, 11, 30),
    )
    assert obligation.period_label == "September to November 2016"
    assert obligation.agenda_item.title == (
        "Rotherham Safeguarding Adult Board 2015-16 Annual Report"
    )
    result = obligation_status(obligation)
    assert (result.status, result.reason) == ("met", "Met by minute 45 of 16 November 2016")
    assert result.minutes.live
    assert result.minutes_url.endswith("/2016-11-16/minutes/#minute-45")
    assert obligation.status_changes.last().status == "met"
    assert "Safeguarding Adults Board annual report to the HWB, September to November 2016: " in (
        demo.first
    )


def test_each_autumn_brings_five_presentations_of_annual_reports(demo):
    for year in (2016, 2020, 2026):
        autumn = Obligation.objects.filter(
            duty__source_clause__endswith="Between September and November",
            window_start=D(year, 9, 1),
            window_end=D(year, 11, 30),
        )
        assert sorted(o.receiver.short_name for o in autumn) == [
            "CYPPB",
            "HWB",
            "HWB",
            "SRP",
            "SRP",
        ]


def test_the_protocol_and_the_reporting_lines_are_duties(demo):
    duties = {duty.slug: duty for duty in Duty.objects.all()}
    sab = duties["safeguarding-adults-board-annual-report"]
    assert sab.legal_basis.startswith("Care Act 2014, Schedule 2")
    assert sab.source_document == "Rotherham Safeguarding Partnership Protocol"
    assert [p.name for p in sab.parties.filter(role="to")] == [
        "Health and Wellbeing Board",
        "Safer Rotherham Partnership",
    ]
    chairs = duties["chairs-meet"]
    assert chairs.frequency == "twice_yearly"
    assert sorted(p.name for p in chairs.parties.filter(role="to")) == [
        "Meeting of the chairs of the partnership boards",
        "Partnership Steering Group (supporting officers)",
    ]
    (midpoint,) = duties["mental-health-strategy-mid-point-update"].obligations.all()
    assert (midpoint.receiver.short_name, midpoint.period_label) == ("HSC", "July to December 2027")
    bcf = duties["better-care-fund-quarterly-report"]
    assert [p.name for p in bcf.parties.filter(role="from")] == ["Better Care Fund Executive Group"]
    assert bcf.obligations.first().period_label == "Quarter to 30 June 2016"
    scrutiny = duties["safer-rotherham-partnership-scrutiny-report"]
    assert {o.receiver_body for o in scrutiny.obligations.all()} == {
        "Overview and Scrutiny Management Board"
    }
    updates = [slug for slug in duties if slug.endswith("-annual-update")]
    assert sorted(updates) == [
        "cyp-plan-annual-update",
        "hwb-strategy-annual-update",
        "srp-plan-annual-update",
    ]
    assert duties["hwb-strategy-annual-update"].obligations.first().period_label == "2016-17"
    assert all(duty.frequency == "on_event" for slug, duty in duties.items() if "refreshed" in slug)


def test_the_better_care_fund_quarter_3_report_is_planned_for_march_2017(demo):
    obligation = Obligation.objects.get(
        duty__slug="better-care-fund-quarterly-report", window_end=D(2017, 3, 31)
    )
    result = obligation_status(obligation, today=D(2017, 3, 1))
    assert result.reason == "Planned for item 10(b) of Wednesday 8 March 2017"


def test_every_obligation_has_a_recorded_status(demo):
    obligations = list(Obligation.objects.all())
    statuses = obligation_statuses(obligations)
    latest = {
        o.pk: o.status_changes.order_by("-changed_at", "-pk").first().status for o in obligations
    }
    assert latest == {pk: result.status for pk, result in statuses.items()}


def test_loading_again_adds_nothing(demo):
    assert demo.after_first["duties"] == len(DUTIES) == 15
    assert demo.after_second == demo.after_first
    assert "duty: 15 created" in demo.first
    assert "duty: 0 created, 0 updated, 15 unchanged" in demo.second
    assert "0 newly linked to agenda items; 0 status changes recorded." in demo.second
