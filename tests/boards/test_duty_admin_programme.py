"""A board's forward programme in the admin (placeholders placed on meetings and turned into
agenda items), the obligations offered on a meeting's edit page, and the duty's own form."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from boards.duties import Duty, DutyFrequency, ForwardPlanItem, ObligationStatus
from boards.models import DEMOCRATIC_SERVICES_GROUP
from boards.obligation_status import obligation_status
from boards.obligations import generate_obligations
from meetings.models import AgendaItem
from tests.boards.test_duties_support import HWB_TITLE, SRP_TITLE, board, make_duty, meeting

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
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
def coming(hwb, rsab, today):
    """An obligation to the HWB whose window opens in a month and closes in four."""
    duty = make_duty(
        "Safeguarding Adults Board annual report",
        from_boards=[rsab],
        to_boards=[hwb],
        frequency=DutyFrequency.ONCE,
        start=today + 30 * DAY,
        end=today + 120 * DAY,
        presented_by="The independent chair",
    )
    generate_obligations(duty, until=today + 365 * DAY)
    return duty.obligations.get()


def programme_url(board_page, action=None, target=None):
    if action == "add":
        return reverse("forward_programme:add", args=(board_page.pk,))
    if action:
        return reverse("forward_programme:action", args=(board_page.pk, action, target))
    return reverse("forward_programme:board", args=(board_page.pk,))


def logs_of(instance):
    return [e.action for e in ModelLogEntry.objects.for_instance(instance).order_by("pk")]


# The forward programme ------------------------------------------------------------------------


def test_an_open_obligation_is_a_placeholder_offering_the_meetings_in_its_window(
    officer_client, hwb, coming, today
):
    inside = meeting(hwb, today + 60 * DAY)
    outside = meeting(hwb, today + 200 * DAY)
    html = officer_client.get(programme_url(hwb)).content.decode()
    assert "Obligations to plan" in html
    assert f'id="placeholder-{coming.pk}"' in html
    assert f'<option value="{inside.pk}" selected>' in html
    assert f'<option value="{outside.pk}">' in html
    index = officer_client.get(reverse("forward_programme:index")).content.decode()
    assert programme_url(hwb) in index


def test_placing_a_placeholder_on_a_meeting(officer_client, officer, hwb, coming, today):
    inside = meeting(hwb, today + 60 * DAY)
    response = officer_client.post(
        programme_url(hwb, "place", coming.pk), {f"place-{coming.pk}-meeting": inside.pk}
    )
    assert response.status_code == 302
    item = ForwardPlanItem.objects.get(obligation=coming)
    assert (item.meeting_id, item.board_id, item.lead) == (
        inside.pk,
        hwb.pk,
        "The independent chair",
    )
    assert logs_of(coming) == ["boards.obligation.place"]
    html = officer_client.get(programme_url(hwb)).content.decode()
    assert f'id="placeholder-{coming.pk}"' not in html
    assert "Add to the agenda" in html


def test_a_meeting_outside_the_window_needs_a_reason(officer_client, hwb, coming, today):
    outside = meeting(hwb, today + 200 * DAY)
    field = f"place-{coming.pk}"
    response = officer_client.post(
        programme_url(hwb, "place", coming.pk), {f"{field}-meeting": outside.pk}
    )
    assert response.status_code == 200
    assert "Give the reason to plan it there anyway." in response.content.decode()
    assert not ForwardPlanItem.objects.exists()
    response = officer_client.post(
        programme_url(hwb, "place", coming.pk),
        {f"{field}-meeting": outside.pk, f"{field}-reason": "The chair is away until then."},
    )
    assert response.status_code == 302
    coming.refresh_from_db()
    assert coming.link_reason == "The chair is away until then."


def test_a_meeting_of_another_board_cannot_be_chosen(officer_client, hwb, srp, coming, today):
    other = meeting(srp, today + 60 * DAY)
    response = officer_client.post(
        programme_url(hwb, "place", coming.pk), {f"place-{coming.pk}-meeting": other.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ForwardPlanItem.objects.exists()


def test_on_a_draft_meeting_the_placeholder_becomes_a_linked_agenda_item(
    officer_client, hwb, coming, today
):
    draft = meeting(hwb, today + 60 * DAY, live=False)
    officer_client.post(
        programme_url(hwb, "place", coming.pk), {f"place-{coming.pk}-meeting": draft.pk}
    )
    plan_item = ForwardPlanItem.objects.get()
    response = officer_client.post(programme_url(hwb, "agenda_item", plan_item.pk))
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=draft)
    assert item.title == "Safeguarding Adults Board annual report"
    coming.refresh_from_db()
    assert coming.agenda_item == item
    assert obligation_status(coming).status == ObligationStatus.PLANNED
    assert logs_of(coming) == ["boards.obligation.place", "boards.obligation.agenda_item"]


def test_on_a_published_meeting_the_item_waits_in_a_draft(officer_client, hwb, coming, today):
    live = meeting(hwb, today + 60 * DAY)
    officer_client.post(
        programme_url(hwb, "place", coming.pk), {f"place-{coming.pk}-meeting": live.pk}
    )
    plan_item = ForwardPlanItem.objects.get()
    response = officer_client.post(programme_url(hwb, "agenda_item", plan_item.pk), follow=True)
    assert "Publish the agenda to link the obligation." in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=live).exists()
    live.refresh_from_db()
    assert live.has_unpublished_changes
    coming.refresh_from_db()
    assert coming.agenda_item is None


def test_adding_a_plain_item_to_the_programme(officer_client, hwb, today):
    future = meeting(hwb, today + 60 * DAY)
    response = officer_client.post(
        programme_url(hwb, "add"),
        {"add-title": "Joint Strategic Needs Assessment", "add-meeting": future.pk},
    )
    assert response.status_code == 302
    item = ForwardPlanItem.objects.get()
    assert (item.board, item.meeting_id, item.obligation) == (hwb, future.pk, None)
    assert logs_of(item) == ["boards.forward_plan.add"]
    response = officer_client.post(programme_url(hwb, "add"), {"add-title": ""})
    assert response.status_code == 200
    assert ForwardPlanItem.objects.count() == 1


# The suggestion on a meeting's edit page --------------------------------------------------------


def test_the_meeting_editor_offers_the_obligations_it_could_meet(
    officer_client, hwb, srp, coming, today
):
    inside = meeting(hwb, today + 60 * DAY)
    html = officer_client.get(reverse("wagtailadmin_pages:edit", args=(inside.pk,))).content
    html = html.decode()
    assert "Obligations this meeting could meet" in html
    assert "Safeguarding Adults Board annual report" in html
    link = reverse("duty_obligations:obligation", args=(coming.pk,)) + f"?meeting={inside.pk}"
    assert link in html

    other = meeting(srp, today + 60 * DAY)
    html = officer_client.get(reverse("wagtailadmin_pages:edit", args=(other.pk,))).content
    assert "Safeguarding Adults Board annual report" not in html.decode()


def test_a_meeting_outside_the_window_is_offered_it_with_a_warning(
    officer_client, hwb, coming, today
):
    near = meeting(hwb, today + 130 * DAY)  # ten days after the window closes
    html = officer_client.get(reverse("wagtailadmin_pages:edit", args=(near.pk,))).content
    assert "this meeting is outside the window, so linking needs a reason" in html.decode()


# The duty's own form ------------------------------------------------------------------------


def duty_form(parties, **fields):
    data = {
        "title": "Mental Health Partnership Board report",
        "slug": "mhpb-report",
        "kind": "report",
        "what": "A report on the board's work.",
        "presented_by": "The chair",
        "frequency": "annual",
        "interval_months": "",
        "first_window_start": "2016-04-01",
        "first_window_end": "2016-06-30",
        "last_period_end": "",
        "event_description": "",
        "source_document": "",
        "source_clause": "",
        "legal_basis": "",
        "is_public": "on",
        "notes": "",
        "parties": inline_formset(
            [
                {"role": role, "board": board_page.pk if board_page else "", "body_name": body}
                for role, board_page, body in parties
            ]
        ),
    }
    data.update(fields)
    return nested_form_data(data)


def test_an_officer_adds_a_duty_and_its_obligations_are_made(officer_client, hwb, rsab):
    response = officer_client.post(
        reverse("wagtailsnippets_boards_duty:add"),
        duty_form([("from", rsab, ""), ("to", hwb, ""), ("to", None, "Health Select Commission")]),
    )
    assert response.status_code == 302, response.context["form"].errors
    duty = Duty.objects.get()
    assert duty.obligations.filter(receiver=hwb).count() >= 10  # 2016 to two years ahead
    assert duty.obligations.filter(receiver_body="Health Select Commission").exists()
    html = officer_client.get(response["Location"]).content.decode()
    assert "has " in html and "obligations up to" in html


def test_a_duty_from_a_board_to_itself_is_refused(officer_client, hwb):
    response = officer_client.post(
        reverse("wagtailsnippets_boards_duty:add"), duty_form([("from", hwb, ""), ("to", hwb, "")])
    )
    assert response.status_code == 200
    assert "A duty cannot run from the Health and Wellbeing Board to itself." in (
        response.content.decode()
    )
    assert not Duty.objects.exists()


def test_a_window_that_ends_before_it_starts_is_refused(officer_client, hwb, rsab):
    response = officer_client.post(
        reverse("wagtailsnippets_boards_duty:add"),
        duty_form([("from", rsab, ""), ("to", hwb, "")], first_window_end="2016-03-01"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The window ends (1 March 2016) before it starts (1 April 2016)." in html
    assert 'value="Mental Health Partnership Board report"' in html  # what was typed is kept
    assert not Duty.objects.exists()


def test_a_duty_with_obligations_is_not_deleted(officer_client, coming):
    duty = coming.duty
    url = reverse("wagtailsnippets_boards_duty:delete", args=(duty.pk,))
    for response in (officer_client.get(url), officer_client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailsnippets_boards_duty:edit", args=(duty.pk,))
    html = officer_client.get(response["Location"]).content.decode()
    assert "was not deleted: it has 1 obligation, and their status history is kept." in html
    assert Duty.objects.filter(pk=duty.pk).exists()


def test_a_duty_without_obligations_can_be_deleted(officer_client, hwb, rsab):
    duty = make_duty("Draft duty", from_boards=[rsab], to_boards=[hwb])
    url = reverse("wagtailsnippets_boards_duty:delete", args=(duty.pk,))
    assert officer_client.post(url).status_code == 302
    assert not Duty.objects.filter(pk=duty.pk).exists()
