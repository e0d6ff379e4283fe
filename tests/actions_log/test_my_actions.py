""" "My actions": a member's own actions across boards, updates to them, the home panel."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from actions_log.models import Action, ActionStatus, ActionUpdate
from boards.factories import PersonFactory

from .admin_builders import action, board, board_officer, many_actions, member, officer

MY_ACTIONS = reverse("actions_log_admin:my_actions")
HOME = reverse("wagtailadmin_home")


def update_url(pk):
    return reverse("actions_log_admin:update", args=(pk,))


def update_data(pk, status, text="", internal=False, next_url=""):
    data = {f"action-{pk}-status": status, f"action-{pk}-text": text, "next": next_url}
    if internal:
        data[f"action-{pk}-is_internal"] = "on"
    return data


@pytest.fixture
def boards(board_index):
    return {
        "hwb": board(board_index, "Health and Wellbeing Board", "HWB"),
        "srp": board(board_index, "Safer Rotherham Partnership", "SRP"),
        "mhpb": board(board_index, "Mental Health Partnership Board", "MHPB"),
    }


@pytest.fixture
def kate(django_user_model, boards):
    return member(django_user_model, "kate", "Kate", "Green", boards=[boards["hwb"]])


@pytest.fixture
def giles(django_user_model, boards):
    return member(django_user_model, "giles", "Giles", "Ratcliffe", boards=[boards["hwb"]])


@pytest.fixture
def kates_actions(boards, kate, giles):
    """Kate owns three actions on three boards (one shared with Giles); Giles owns one alone."""
    return {
        "care_homes": action(
            boards["hwb"],
            "Report back on care homes quality",
            [kate.person, giles.person],
            due_date=datetime.date(2017, 3, 8),
        ),
        "prevent": action(
            boards["srp"],
            "Share the Prevent annual report",
            [kate.person],
            raised_on=datetime.date(2017, 2, 1),
            due_date=datetime.date(2099, 4, 1),
            status=ActionStatus.IN_PROGRESS,
        ),
        "strategy": action(
            boards["mhpb"],
            "Publish the delivery plan",
            [kate.person],
            raised_on=datetime.date(2026, 5, 1),
            status=ActionStatus.COMPLETED,
            completed_on=datetime.date(2026, 6, 1),
        ),
        "giles_only": action(
            boards["hwb"],
            "Giles's own action on the Better Care Fund",
            [giles.person],
            due_date=datetime.date(2017, 3, 8),
        ),
    }


def titles(response):
    return [row.action.text for row in response.context["rows"]]


# The list ------------------------------------------------------------------------------------


def test_my_actions_lists_every_action_i_own_across_boards(client, kate, kates_actions):
    client.force_login(kate)

    response = client.get(MY_ACTIONS)

    assert response.status_code == 200
    assert set(titles(response)) == {
        "Report back on care homes quality",
        "Share the Prevent annual report",
        "Publish the delivery plan",
    }
    html = response.content.decode()
    assert "Giles&#x27;s own action" not in html and "Giles's own action" not in html
    assert "You own 3 actions: 2 open, of which <strong>1 overdue</strong>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "completed"}, ["Publish the delivery plan"]),
        (
            {"status": "outstanding"},
            ["Report back on care homes quality", "Share the Prevent annual report"],
        ),
        ({"overdue": "on"}, ["Report back on care homes quality"]),
        ({"due_after": "2017-03-09"}, ["Share the Prevent annual report"]),
        ({"due_before": "2017-03-08"}, ["Report back on care homes quality"]),
    ],
)
def test_filters_in_the_address(client, kate, kates_actions, query, expected):
    client.force_login(kate)

    assert titles(client.get(MY_ACTIONS, query)) == expected


def test_filter_by_board(client, kate, kates_actions, boards):
    client.force_login(kate)

    response = client.get(MY_ACTIONS, {"board": boards["srp"].pk})

    assert titles(response) == ["Share the Prevent annual report"]
    # Only the boards of my actions are offered.
    offered = [label for value, label in response.context["filter_form"].fields["board"].choices]
    assert offered == [
        "All boards",
        "Health and Wellbeing Board",
        "Mental Health Partnership Board",
        "Safer Rotherham Partnership",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due", ["care_homes", "prevent", "strategy"]),
        ("board", ["care_homes", "strategy", "prevent"]),
        ("status", ["care_homes", "prevent", "strategy"]),
        ("raised", ["strategy", "prevent", "care_homes"]),
    ],
)
def test_sorting(client, kate, kates_actions, sort, expected):
    client.force_login(kate)

    response = client.get(MY_ACTIONS, {"sort": sort})

    assert titles(response) == [kates_actions[key].text for key in expected]


def test_unknown_filter_values_are_ignored_with_a_message(client, kate, kates_actions, boards):
    client.force_login(kate)

    response = client.get(
        MY_ACTIONS,
        {
            "board": "not-a-board",
            "status": "finished-ish",
            "due_after": "2017-02-30",
            "sort": "by-colour",
            "overdue": "on",
        },
    )

    assert response.status_code == 200
    # The one filter that was understood still applies.
    assert titles(response) == ["Report back on care homes quality"]
    html = response.content.decode()
    assert "These filters were not understood and were ignored" in html
    assert "Due on or after" in html


def test_csv_export_of_the_filtered_list_reads_back(client, kate, kates_actions):
    client.force_login(kate)

    response = client.get(MY_ACTIONS, {"status": "outstanding", "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="my-actions.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "Action",
        "Board",
        "Owners",
        "Raised on",
        "Due",
        "Status",
        "Overdue",
        "Completed on",
        "Latest update",
    ]
    assert rows[1][:7] == [
        "Report back on care homes quality",
        "Health and Wellbeing Board",
        "Kate Green, Giles Ratcliffe",
        "2017-01-11",
        "2017-03-08",
        "Open",
        "Yes",
    ]
    assert [row[0] for row in rows[1:]] == [
        "Report back on care homes quality",
        "Share the Prevent annual report",
    ]


def test_csv_export_cannot_carry_a_formula(client, kate, boards):
    action(boards["hwb"], '=HYPERLINK("http://example.com")', [kate.person])
    client.force_login(kate)

    rows = list(csv.reader(io.StringIO(client.get(MY_ACTIONS, {"export": "csv"}).content.decode())))

    assert rows[1][0].startswith("'=")


def test_a_signed_in_user_without_a_person_is_told_why_the_list_is_empty(client, django_user_model):
    client.force_login(officer(django_user_model))

    response = client.get(MY_ACTIONS)

    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, kates_actions):
    response = client.get(MY_ACTIONS)
    update = client.post(
        update_url(kates_actions["care_homes"].pk),
        update_data(kates_actions["care_homes"].pk, "completed"),
    )

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url
    assert update.status_code == 302
    assert not ActionUpdate.objects.exists()


def test_my_actions_queries_do_not_grow_with_actions(
    client, kate, boards, django_assert_max_num_queries
):
    many_actions(boards["hwb"], kate.person, 5)
    client.force_login(kate)
    with django_assert_max_num_queries(40) as few:
        assert client.get(MY_ACTIONS).status_code == 200
    many_actions(boards["srp"], kate.person, 40)
    many_actions(boards["mhpb"], kate.person, 5)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MY_ACTIONS)

    assert len(response.context["rows"]) == 50


# Updates -------------------------------------------------------------------------------------


def test_an_owner_updates_status_and_the_history_records_it(client, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)

    response = client.post(
        update_url(care_homes.pk),
        update_data(
            care_homes.pk,
            "completed",
            "The report is item 12 of 8 March 2017.",
            next_url=MY_ACTIONS + "?sort=board",
        ),
    )

    assert response.status_code == 302
    assert response.url == MY_ACTIONS + "?sort=board"
    care_homes.refresh_from_db()
    assert care_homes.status == ActionStatus.COMPLETED
    assert care_homes.completed_on is not None
    update = ActionUpdate.objects.get(action=care_homes)
    assert (update.author, update.author_name, update.status, update.is_internal) == (
        kate,
        "Kate Green",
        "completed",
        False,
    )
    assert update.text == "The report is item 12 of 8 March 2017."
    revision = Revision.objects.for_instance(care_homes).get()
    assert revision.user == kate
    assert revision.content["status"] == "completed"
    entry = ModelLogEntry.objects.for_instance(care_homes).get()
    assert entry.action == "actions_log.update"
    assert entry.user == kate
    assert entry.revision == revision
    assert entry.message == "Progress update: status changed from Open to Completed, with a note"


def test_an_internal_note_without_a_status_change(client, kate, kates_actions):
    prevent = kates_actions["prevent"]
    client.force_login(kate)

    client.post(
        update_url(prevent.pk),
        update_data(prevent.pk, "in_progress", "Waiting for the police figures.", internal=True),
    )

    update = ActionUpdate.objects.get(action=prevent)
    assert update.is_internal and update.status == ""
    prevent.refresh_from_db()
    assert prevent.status == ActionStatus.IN_PROGRESS
    entry = ModelLogEntry.objects.for_instance(prevent).get()
    assert entry.message == "Progress update added (internal)"


def test_the_officers_history_view_reads_the_update(client, django_user_model, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)
    client.post(update_url(care_homes.pk), update_data(care_homes.pk, "in_progress"))
    client.force_login(officer(django_user_model))

    history = client.get(
        reverse("wagtailsnippets_actions_log_action:history", args=(care_homes.pk,))
    ).content.decode()

    assert "Progress update: status changed from Open to In progress" in history


def test_an_update_to_someone_elses_action_is_refused_and_nothing_saved(
    client, kate, kates_actions
):
    giles_only = kates_actions["giles_only"]
    client.force_login(kate)

    response = client.post(
        update_url(giles_only.pk), update_data(giles_only.pk, "completed", "Done, honestly")
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "You can only update actions you own" in html
    assert "This action belongs to Giles Ratcliffe" in html
    assert "Nothing has been saved" in html
    giles_only.refresh_from_db()
    assert giles_only.status == ActionStatus.OPEN
    assert not ActionUpdate.objects.exists()
    assert not Revision.objects.for_instance(giles_only).exists()
    assert client.get(update_url(giles_only.pk)).status_code == 403


def test_an_invalid_status_is_a_form_error_and_nothing_is_saved(client, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)

    response = client.post(
        update_url(care_homes.pk), update_data(care_homes.pk, "finished", "Kept as typed")
    )

    assert response.status_code == 200
    form = response.context["row"].form
    assert "'finished' is not a status an action can have" in form.errors["status"][0]
    assert "Kept as typed" in response.content.decode()
    care_homes.refresh_from_db()
    assert care_homes.status == ActionStatus.OPEN
    assert not ActionUpdate.objects.exists()


def test_an_update_with_nothing_in_it_is_refused(client, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)

    response = client.post(update_url(care_homes.pk), update_data(care_homes.pk, "open", "  "))

    assert response.status_code == 200
    assert "Nothing to save" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_an_offsite_next_address_is_not_followed(client, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)

    response = client.post(
        update_url(care_homes.pk),
        update_data(care_homes.pk, "in_progress", next_url="https://evil.example/"),
    )

    assert response.url == MY_ACTIONS


def test_an_officer_updates_any_action_of_their_boards_only(
    client, django_user_model, boards, kates_actions
):
    hwb_officer = board_officer(django_user_model, boards["hwb"])
    giles_only, prevent = kates_actions["giles_only"], kates_actions["prevent"]
    client.force_login(hwb_officer)

    allowed = client.post(
        update_url(giles_only.pk), update_data(giles_only.pk, "not_required", "Superseded.")
    )
    refused = client.post(update_url(prevent.pk), update_data(prevent.pk, "completed"))

    assert allowed.status_code == 302
    giles_only.refresh_from_db()
    assert giles_only.status == ActionStatus.NOT_REQUIRED
    assert refused.status_code == 403
    prevent.refresh_from_db()
    assert prevent.status == ActionStatus.IN_PROGRESS


def test_the_action_page_shows_the_history_of_updates(client, kate, kates_actions):
    care_homes = kates_actions["care_homes"]
    client.force_login(kate)
    client.post(
        update_url(care_homes.pk), update_data(care_homes.pk, "open", "First note", internal=True)
    )

    html = client.get(update_url(care_homes.pk)).content.decode()

    assert "History of updates" in html
    assert "First note" in html
    assert "Internal" in html


# The home panel and menu -----------------------------------------------------------------------


def test_the_home_panel_counts_my_actions_and_lists_the_next_due(client, kate, kates_actions):
    client.force_login(kate)

    html = client.get(HOME).content.decode()

    assert "Your actions" in html
    assert "2 open actions" in html
    assert "1 overdue" in html
    assert "Report back on care homes quality" in html
    assert "Publish the delivery plan" not in html  # completed
    assert MY_ACTIONS in html


def test_no_panel_and_no_menu_item_without_a_person(client, django_user_model, kates_actions):
    client.force_login(officer(django_user_model))

    html = client.get(HOME).content.decode()

    assert "Your actions" not in html
    assert '"my-actions"' not in html


def test_a_member_sees_the_my_actions_menu_item(client, kate):
    client.force_login(kate)

    html = client.get(HOME).content.decode()

    assert '"my-actions"' in html


def test_owners_not_in_the_members_group_see_the_menu_if_they_own_actions(
    client, django_user_model, boards
):
    user = officer(django_user_model, "presenter")
    presenter = PersonFactory(user=user)
    client.force_login(user)
    assert '"my-actions"' not in client.get(HOME).content.decode()

    action(boards["hwb"], "Present the BCF figures", [presenter])

    assert '"my-actions"' in client.get(HOME).content.decode()
    assert Action.objects.count() == 1
