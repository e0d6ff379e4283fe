"""The officers' action editor: panels, revisions, history, and what it refuses with a message."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from actions_log.models import Action, ActionStatus
from boards.factories import MembershipFactory, PersonFactory
from meetings.factories import AgendaItemFactory
from meetings.minutes import MinuteItem
from tests.meetings.minutes_builders import hwb_minutes, meeting_on, publish_minutes

from .admin_builders import action, board, board_officer, officer

ADD = reverse("wagtailsnippets_actions_log_action:add")


def edit_url(pk):
    return reverse("wagtailsnippets_actions_log_action:edit", args=(pk,))


def history_url(pk):
    return reverse("wagtailsnippets_actions_log_action:history", args=(pk,))


@pytest.fixture
def minutes(board_index):
    """The Health and Wellbeing Board with its published minutes of 11 January 2017."""
    hwb, _november, january, january_minutes = hwb_minutes(board_index)
    return hwb, january, january_minutes


@pytest.fixture
def client_officer(client, django_user_model):
    user = officer(django_user_model)
    client.force_login(user)
    return client


def form_data(board_page, owners, existing=None, **fields):
    """The editor's POST for an action of `board_page` owned by `owners` (Person list). For an
    `existing` action, its saved owners are sent back first, as the editor would."""
    saved = list(existing.owners.order_by("sort_order")) if existing else []
    rows = [
        {"person": o.person_id, "printed_name": o.printed_name, "id": o.pk, "ORDER": str(n)}
        for n, o in enumerate(saved)
    ]
    saved_people = {o.person_id for o in saved}
    rows += [
        {"person": person.pk, "printed_name": "", "id": "", "ORDER": str(len(rows) + n)}
        for n, person in enumerate(p for p in owners if p.pk not in saved_people)
    ]
    data = {
        "text": "Report back on the quality of care homes",
        "board": board_page.pk,
        "source": "resolution",
        "meeting": "",
        "minute_item": "",
        "resolution": "",
        "as_printed": "",
        "plan": "",
        "priority": "",
        "raised_on": "2017-01-11",
        "due_date": "2017-03-08",
        "status": "open",
        "completed_on": "",
        "discharged_by_agenda_item": "",
        "discharged_by_minute": "",
        "evidence": "",
        "owners": inline_formset(rows, initial=len(saved)),
    }
    data.update(fields)
    return nested_form_data({k: v for k, v in data.items() if v is not None})


def test_the_editor_shows_every_panel(client_officer, minutes):
    html = client_officer.get(ADD).content.decode()

    for label in (
        "Where it came from",
        "When it is due",
        "Owners",
        "Progress and evidence of completion",
        "Assign to people who have left the board",
        "Choose a minute",
        "Choose a resolution",
        "Choose an agenda item",
    ):
        assert label in html, label


def test_an_officer_adds_an_action_with_owners_and_its_history_shows_edits(client_officer, minutes):
    hwb, _january, _minutes = minutes
    kate = PersonFactory(given_name="Kate", family_name="Green")
    anne = PersonFactory(given_name="Anne Marie", family_name="Lubanski")

    response = client_officer.post(ADD, form_data(hwb, [kate, anne]))

    assert response.status_code == 302, response.context["form"].errors
    created = Action.objects.get()
    assert [o.person for o in created.owners.order_by("sort_order")] == [kate, anne]
    response = client_officer.post(
        edit_url(created.pk),
        form_data(hwb, [], existing=created, text="Report back on care homes, revised"),
    )
    assert response.status_code == 302
    assert Revision.objects.for_instance(created).count() == 2
    actions = list(
        ModelLogEntry.objects.for_instance(created)
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions == ["wagtail.create", "wagtail.edit"]
    history = client_officer.get(history_url(created.pk)).content.decode()
    assert "Created" in history and "Edited" in history


def test_a_due_date_before_the_meeting_is_refused_on_the_field(client_officer, minutes):
    hwb, *_ = minutes
    kate = PersonFactory(given_name="Kate", family_name="Green")

    response = client_officer.post(
        ADD, form_data(hwb, [kate], text="Kept as typed", due_date="2016-12-01")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "before the meeting that raised the action (11 January 2017)" in errors["due_date"][0]
    assert "Kept as typed" in response.content.decode()
    assert not Action.objects.exists()


def test_an_owner_who_has_left_the_board_is_refused_unless_confirmed(client_officer, minutes):
    hwb, *_ = minutes
    former = PersonFactory(given_name="John", family_name="Former")
    MembershipFactory(
        board=hwb,
        person=former,
        start_date=datetime.date(2014, 5, 1),
        end_date=datetime.date(2016, 3, 31),
    )
    current = PersonFactory(given_name="Kate", family_name="Green")
    MembershipFactory(board=hwb, person=current, start_date=datetime.date(2014, 5, 1))

    refused = client_officer.post(ADD, form_data(hwb, [current, former]))

    assert refused.status_code == 200
    message = refused.context["form"].errors["confirm_former_owners"][0]
    assert "John Former left the Health and Wellbeing Board on Thursday 31 March 2016" in message
    assert "raised on Wednesday 11 January 2017" in message
    assert "Kate Green" not in message
    assert not Action.objects.exists()

    confirmed = client_officer.post(
        ADD, form_data(hwb, [current, former], confirm_former_owners="on")
    )

    assert confirmed.status_code == 302
    assert Action.objects.get().owners.count() == 2


def test_an_officer_or_presenter_who_never_sat_on_the_board_may_own_an_action(
    client_officer, minutes
):
    hwb, *_ = minutes
    presenter = PersonFactory(given_name="Nathan", family_name="Atkinson")

    response = client_officer.post(ADD, form_data(hwb, [presenter]))

    assert response.status_code == 302


def test_the_minute_and_meeting_are_filled_in_from_the_resolution(client_officer, minutes):
    hwb, january, january_minutes = minutes
    minute = january_minutes.minute_items.get(number=52)
    resolution = minute.resolutions.order_by("sort_order").first()
    kate = PersonFactory()

    response = client_officer.post(
        ADD, form_data(hwb, [kate], resolution=resolution.pk, raised_on="")
    )

    assert response.status_code == 302, response.context["form"].errors
    created = Action.objects.get()
    assert created.minute_item == minute
    assert created.meeting.pk == january.pk
    assert created.raised_on == datetime.date(2017, 1, 11)


def test_a_minute_of_another_board_is_refused(client_officer, minutes, board_index):
    hwb, *_ = minutes
    other_board = board(board_index, "Safer Rotherham Partnership", "SRP")
    srp_minutes = publish_minutes(
        meeting_on(other_board, 2017, 1, 20, "20-january-2017"),
        [MinuteItem(number=1, heading="PREVENT")],
    )
    item = AgendaItemFactory(meeting=srp_minutes.meeting, title="Prevent")

    response = client_officer.post(
        ADD,
        form_data(
            hwb,
            [PersonFactory()],
            minute_item=srp_minutes.minute_items.get().pk,
            discharged_by_agenda_item=item.pk,
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "not the Health and Wellbeing Board's" in errors["minute_item"][0]
    assert "not the Health and Wellbeing Board's" in errors["discharged_by_agenda_item"][0]
    assert not Action.objects.exists()


def test_evidence_of_completion_is_saved(client_officer, minutes):
    hwb, january, january_minutes = minutes
    march_item = AgendaItemFactory(meeting=january, title="Care homes quality report")
    existing = action(hwb, "Report back on care homes", [PersonFactory()])

    response = client_officer.post(
        edit_url(existing.pk),
        form_data(
            hwb,
            [],
            existing=existing,
            text=existing.text,
            status=ActionStatus.COMPLETED,
            completed_on="2017-03-08",
            discharged_by_agenda_item=march_item.pk,
            evidence="Item 12 of 8 March 2017.",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    existing.refresh_from_db()
    assert existing.discharged_by_agenda_item == march_item
    assert existing.completed_on == datetime.date(2017, 3, 8)


def test_the_minute_chooser_lists_only_the_officers_boards(client, django_user_model, minutes):
    hwb, _january, january_minutes = minutes
    srp = board(hwb.get_parent(), "Safer Rotherham Partnership", "SRP")
    srp_minutes = publish_minutes(
        meeting_on(srp, 2017, 1, 20, "20-january-2017"),
        [MinuteItem(number=1, heading="PREVENT DUTY")],
    )
    client.force_login(board_officer(django_user_model, hwb))

    listing = client.get(reverse("actions_log_minute_chooser:choose")).json()["html"]
    searched = client.get(
        reverse("actions_log_minute_chooser:choose_results"), {"q": "carers strategy"}
    ).content.decode()
    chosen = client.get(
        reverse(
            "actions_log_minute_chooser:chosen", args=(january_minutes.minute_items.first().pk,)
        )
    )
    other = client.get(
        reverse("actions_log_minute_chooser:chosen", args=(srp_minutes.minute_items.get().pk,))
    )

    assert "HWB Wednesday 11 January 2017, minute 48" in listing
    assert "PREVENT DUTY" not in listing
    assert "minute 55: CARING TOGETHER - THE ROTHERHAM CARERS STRATEGY" in searched
    assert "minute 48" not in searched
    assert chosen.json()["result"]["title"] == (
        "HWB Wednesday 11 January 2017, minute 48: DECLARATIONS OF INTEREST"
    )
    assert other.status_code == 404
