"""The officers' duties dashboard and an obligation's page: who may use them, filters, and
linking, unlinking, waiving and recording evidence, each logged with who did it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from boards.duties import ObligationStatus, ObligationStatusChange
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from boards.obligation_status import link_obligation, obligation_status
from boards.obligations import generate_obligations
from tests.boards.test_duties_support import (
    HWB_TITLE,
    SRP_TITLE,
    agenda_item,
    board,
    make_duty,
    meeting,
    minutes_for,
)

D = datetime.date
S = ObligationStatus
DASHBOARD = "duty_obligations:index"


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user(
        "officer", password="pw", first_name="Dawn", last_name="Mitchell"
    )
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("member", password="pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def hwb(board_index):
    return board(board_index, HWB_TITLE, "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, SRP_TITLE, "SRP")


@pytest.fixture
def rsab(board_index):
    return board(board_index, "Safeguarding Adults Board", "RSAB")


@pytest.fixture
def annual_report(hwb, srp, rsab):
    duty = make_duty(
        "Safeguarding Adults Board annual report", from_boards=[rsab], to_boards=[hwb, srp]
    )
    generate_obligations(duty, until=D(2017, 12, 31))
    return duty


@pytest.fixture
def hwb_2016(annual_report, hwb):
    return annual_report.obligations.get(receiver=hwb, window_end__year=2016)


@pytest.fixture
def bcf_to_outside_body(hwb):
    """A duty to a body that is not a board here: its evidence is recorded by hand."""
    duty = make_duty(
        "Report to the Better Care Fund Executive Group",
        from_boards=[hwb],
        to_bodies=["Better Care Fund Executive Group"],
    )
    generate_obligations(duty, until=D(2016, 12, 31))
    return duty.obligations.get()


def obligation_url(obligation, action=None):
    if action:
        return reverse("duty_obligations:action", args=(obligation.pk, action))
    return reverse("duty_obligations:obligation", args=(obligation.pk,))


def logs_of(obligation):
    return list(ModelLogEntry.objects.for_instance(obligation).order_by("pk"))


# Who may use them ---------------------------------------------------------------------------


def admin_urls(obligation, board_page):
    return [
        reverse(DASHBOARD),
        obligation_url(obligation),
        reverse("forward_programme:index"),
        reverse("forward_programme:board", args=(board_page.pk,)),
        reverse("wagtailsnippets_boards_duty:list"),
        reverse("wagtailsnippets_boards_duty:add"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, hwb_2016, hwb):
    for url in admin_urls(hwb_2016, hwb):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("wagtailadmin_login") in response["Location"]


def test_board_members_are_refused(client, member, hwb_2016, hwb):
    client.force_login(member)
    for url in admin_urls(hwb_2016, hwb):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(DASHBOARD) not in home


def test_board_members_cannot_change_an_obligation(client, member, hwb_2016):
    client.force_login(member)
    response = client.post(obligation_url(hwb_2016, "waive"), {"reason": "Not needed."})
    assert response.status_code in (302, 403)
    hwb_2016.refresh_from_db()
    assert hwb_2016.waived_reason == ""
    assert logs_of(hwb_2016) == []


def test_officers_see_every_screen_and_the_menu(officer_client, hwb_2016, hwb):
    for url in admin_urls(hwb_2016, hwb):
        assert officer_client.get(url).status_code == 200, url
    home = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(DASHBOARD) in home
    assert reverse("forward_programme:index") in home


# The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_lists_each_period_with_status_reason_and_evidence(
    officer_client, hwb, hwb_2016
):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Rotherham Safeguarding Adult Board 2015-16 Annual Report")
    link_obligation(hwb_2016, item, today=D(2016, 11, 1))
    minutes = minutes_for(november, [(45, "SAFEGUARDING ADULT BOARD", item)])
    html = officer_client.get(reverse(DASHBOARD), {"year": 2016}).content.decode()
    assert "Met by minute 45 of 16 November 2016" in html
    assert "Item 12: Rotherham Safeguarding Adult Board 2015-16 Annual Report" in html
    assert f"{minutes.url}#minute-45" in html
    assert "duty-status--met" in html and "duty-status--missed" in html
    assert 'class="duty-timeline"' in html


def test_the_dashboard_shows_exempt_titles_to_officers_marked_exempt(officer_client, hwb, hwb_2016):
    october = meeting(hwb, D(2016, 10, 12))
    item = agenda_item(
        october,
        9,
        "Care home contract",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Sensitive.",
    )
    link_obligation(hwb_2016, item, today=D(2016, 10, 1))
    html = officer_client.get(reverse(DASHBOARD), {"year": 2016}).content.decode()
    assert "Item 9: Care home contract" in html
    assert ">Exempt</span>" in html


def rows_of(html):
    return re.findall(r'<tr data-status="(\w+)" id="obligation-(\d+)"', html)


def test_the_dashboard_filters_by_board_year_status_and_duty(
    officer_client, hwb, srp, annual_report, hwb_2016, rsab
):
    assert (
        len(rows_of(officer_client.get(reverse(DASHBOARD), {"year": 2016}).content.decode())) == 2
    )
    html = officer_client.get(
        reverse(DASHBOARD), {"year": 2016, "board": hwb.slug}
    ).content.decode()
    assert rows_of(html) == [("missed", str(hwb_2016.pk))]
    other = make_duty("Chairs meet", from_boards=[hwb], to_boards=[srp])
    generate_obligations(other, until=D(2016, 12, 31))
    html = officer_client.get(
        reverse(DASHBOARD), {"year": 2016, "duty": other.slug}
    ).content.decode()
    assert len(rows_of(html)) == 1
    assert ">Safeguarding Adults Board annual report</a></h2>" not in html
    assert ">Chairs meet</a></h2>" in html
    link_obligation(hwb_2016, agenda_item(meeting(hwb, D(2016, 10, 5)), 4, "SAB report"))
    html = officer_client.get(
        reverse(DASHBOARD), {"year": 2016, "status": "planned"}
    ).content.decode()
    assert rows_of(html) == [("planned", str(hwb_2016.pk))]


def test_a_bad_filter_is_explained(officer_client, annual_report):
    html = officer_client.get(reverse(DASHBOARD), {"board": "nowhere"}).content.decode()
    assert "Choose a board from the list." in html
    assert rows_of(html) == []


# Linking an agenda item ----------------------------------------------------------------------


def test_linking_an_item_inside_the_window_needs_no_reason(officer_client, officer, hwb, hwb_2016):
    october = meeting(hwb, D(2016, 10, 12))
    item = agenda_item(october, 7, "Safeguarding Adults Board annual report 2015-16")
    page = officer_client.get(obligation_url(hwb_2016)).content.decode()
    assert f'<option value="{item.pk}">7. Safeguarding Adults Board annual report' in page
    response = officer_client.post(obligation_url(hwb_2016, "link"), {"agenda_item": item.pk})
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item == item
    assert obligation_status(hwb_2016, today=D(2016, 10, 1)).status == S.PLANNED
    [entry] = logs_of(hwb_2016)
    assert entry.action == "boards.obligation.link"
    assert entry.user == officer
    assert "Linked 'Safeguarding Adults Board annual report 2015-16'" in entry.message
    change = ObligationStatusChange.objects.filter(obligation=hwb_2016).last()
    assert change.user == officer
    page = officer_client.get(obligation_url(hwb_2016)).content.decode()
    assert "Dawn Mitchell" in page
    assert "Link an agenda item" in page


def test_an_item_of_another_board_needs_a_reason(officer_client, srp, hwb_2016):
    srp_meeting = meeting(srp, D(2016, 10, 19))
    item = agenda_item(srp_meeting, 5, "Safeguarding Adults Board annual report")
    url = obligation_url(hwb_2016, "link") + f"?board={srp.pk}&start=2016-08-01&end=2016-12-31"
    response = officer_client.post(url, {"agenda_item": item.pk, "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is business of the Safer Rotherham Partnership, not of the Health and Wellbeing" in html
    assert "Give the reason to link it anyway." in html
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item is None
    assert logs_of(hwb_2016) == []

    reason = "Presented at a joint session chaired by the SRP."
    response = officer_client.post(url, {"agenda_item": item.pk, "reason": reason})
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert (hwb_2016.agenda_item, hwb_2016.link_reason) == (item, reason)
    assert reason in logs_of(hwb_2016)[0].message


def test_an_item_outside_the_window_needs_a_reason(officer_client, hwb, hwb_2016):
    january = meeting(hwb, D(2017, 1, 11))
    item = agenda_item(january, 8, "Safeguarding Adults Board annual report")
    url = obligation_url(hwb_2016, "link") + f"?board={hwb.pk}&start=2016-08-01&end=2017-02-01"
    response = officer_client.post(url, {"agenda_item": item.pk})
    assert "is outside the window (1 September to 30 November 2016)" in response.content.decode()
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item is None
    response = officer_client.post(
        url, {"agenda_item": item.pk, "reason": "Deferred by the chair."}
    )
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item == item


def test_linking_with_no_item_chosen_is_explained(officer_client, hwb_2016):
    response = officer_client.post(obligation_url(hwb_2016, "link"), {"agenda_item": ""})
    assert response.status_code == 200
    assert "No meeting in these dates has agenda items." in response.content.decode()
    response = officer_client.post(obligation_url(hwb_2016, "link"), {"agenda_item": "999999"})
    assert response.status_code == 200
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item is None


def test_the_meeting_filter_offers_that_meetings_items(officer_client, hwb, hwb_2016):
    october = meeting(hwb, D(2016, 10, 12))
    agenda_item(october, 7, "Item of the meeting")
    other = meeting(hwb, D(2016, 9, 14))
    agenda_item(other, 3, "Item of another meeting")
    html = officer_client.get(obligation_url(hwb_2016) + f"?meeting={october.pk}").content.decode()
    assert "Item of the meeting" in html
    assert "Item of another meeting" not in html


def test_unlinking_keeps_the_history(officer_client, officer, hwb, hwb_2016):
    item = agenda_item(meeting(hwb, D(2016, 10, 12)), 7, "SAB annual report")
    link_obligation(hwb_2016, item, today=D(2016, 10, 1))
    response = officer_client.post(obligation_url(hwb_2016, "unlink"))
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert hwb_2016.agenda_item is None
    assert [e.action for e in logs_of(hwb_2016)] == ["boards.obligation.unlink"]
    reasons = list(
        ObligationStatusChange.objects.filter(obligation=hwb_2016).values_list("reason", flat=True)
    )
    assert any("Unlinked from 'SAB annual report'" in reason for reason in reasons)


# Waiving -----------------------------------------------------------------------------------


def test_waiving_needs_a_reason(officer_client, hwb_2016):
    response = officer_client.post(obligation_url(hwb_2016, "waive"), {"reason": "   "})
    assert response.status_code == 200
    assert "Give the reason the obligation is waived: it is shown with it." in (
        response.content.decode()
    )
    hwb_2016.refresh_from_db()
    assert hwb_2016.waived_reason == ""
    assert logs_of(hwb_2016) == []


def test_waiving_with_a_reason_and_withdrawing_it(officer_client, officer, hwb_2016):
    reason = "The board agreed to take the report with the 2017 report."
    response = officer_client.post(obligation_url(hwb_2016, "waive"), {"reason": reason})
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert (hwb_2016.waived_reason, hwb_2016.waived_by) == (reason, officer)
    assert obligation_status(hwb_2016).status == S.WAIVED
    html = officer_client.get(obligation_url(hwb_2016)).content.decode()
    assert "Withdraw the waiver" in html

    response = officer_client.post(obligation_url(hwb_2016, "reinstate"))
    assert response.status_code == 302
    hwb_2016.refresh_from_db()
    assert hwb_2016.waived_reason == ""
    assert [e.action for e in logs_of(hwb_2016)] == [
        "boards.obligation.waive",
        "boards.obligation.reinstate",
    ]
    statuses = list(
        ObligationStatusChange.objects.filter(obligation=hwb_2016).values_list("status", flat=True)
    )
    assert statuses == [S.WAIVED, S.MISSED]


# Outside bodies --------------------------------------------------------------------------------


def test_recording_that_an_outside_body_was_reported_to(officer_client, bcf_to_outside_body):
    o = bcf_to_outside_body
    html = officer_client.get(obligation_url(o)).content.decode()
    assert "Record that it was met" in html
    assert "Link the agenda item that meets it" not in html

    response = officer_client.post(obligation_url(o, "met"), {"met_on": "", "evidence_note": ""})
    html = response.content.decode()
    assert "Give the date it was met." in html
    assert "Say what shows it was met (e.g. the report and where it is)." in html

    response = officer_client.post(
        obligation_url(o, "met"), {"met_on": "2999-01-01", "evidence_note": "Report to the group."}
    )
    assert "The date it was met cannot be in the future." in response.content.decode()
    o.refresh_from_db()
    assert o.met_on is None

    response = officer_client.post(
        obligation_url(o, "met"),
        {"met_on": "2016-10-20", "evidence_note": "Quarterly report, group minutes item 4."},
    )
    assert response.status_code == 302
    o.refresh_from_db()
    assert o.met_on == D(2016, 10, 20)
    assert obligation_status(o).reason == "Met on 20 October 2016"
    assert [e.action for e in logs_of(o)] == ["boards.obligation.record_met"]


def test_a_board_obligation_cannot_be_recorded_as_met_by_hand(officer_client, hwb_2016):
    response = officer_client.post(
        obligation_url(hwb_2016, "met"), {"met_on": "2016-10-20", "evidence_note": "Report."}
    )
    assert response.status_code == 302
    html = officer_client.get(response["Location"]).content.decode()
    assert "Link the agenda item that met it instead." in html
    hwb_2016.refresh_from_db()
    assert hwb_2016.met_on is None


def test_the_history_report_names_the_action(officer_client, hwb_2016):
    officer_client.post(obligation_url(hwb_2016, "waive"), {"reason": "No longer required."})
    html = officer_client.get(obligation_url(hwb_2016)).content.decode()
    assert "<strong>Waive</strong>" in html
    assert "Waived: No longer required." in html


# Events of event-driven duties ----------------------------------------------------------------


@pytest.fixture
def refreshed_plan(hwb, srp, rsab):
    from boards.duties import DutyFrequency

    return make_duty(
        "Refreshed plans shared",
        from_boards=[srp],
        to_boards=[hwb, rsab],
        frequency=DutyFrequency.ON_EVENT,
        interval_months=3,
        event_description="when the Safer Rotherham Partnership publishes a refreshed plan",
    )


def test_recording_an_event_makes_its_obligations(officer_client, officer, refreshed_plan, hwb):
    url = reverse("duty_obligations:events", args=(refreshed_plan.pk,))
    html = officer_client.get(url).content.decode()
    assert "No event has been recorded yet" in html

    response = officer_client.post(url, {"happened_on": "", "description": ""})
    html = response.content.decode()
    assert "Give the date it happened." in html and "Say what happened." in html
    assert not refreshed_plan.events.exists()

    response = officer_client.post(
        url, {"happened_on": "2017-04-12", "description": "Safer Rotherham Partnership Plan"}
    )
    assert response.status_code == 302
    made = refreshed_plan.obligations.order_by("receiver__title")
    assert [(o.receiver_name, o.window_start, o.window_end) for o in made] == [
        ("Health and Wellbeing Board", D(2017, 4, 12), D(2017, 7, 12)),
        ("Safeguarding Adults Board", D(2017, 4, 12), D(2017, 7, 12)),
    ]
    [entry] = ModelLogEntry.objects.for_instance(refreshed_plan).filter(action="boards.duty.event")
    assert entry.user == officer
    assert "2 obligations" in entry.message
    dashboard = officer_client.get(reverse(DASHBOARD), {"year": 2017}).content.decode()
    assert url in dashboard


def test_a_duty_not_started_by_events_has_no_events_page(officer_client, annual_report):
    url = reverse("duty_obligations:events", args=(annual_report.pk,))
    response = officer_client.get(url)
    assert response.status_code == 302
    html = officer_client.get(response["Location"]).content.decode()
    assert "is not started by events" in html
