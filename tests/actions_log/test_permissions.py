"""Who may do what with actions: officers their boards' actions, members only their own."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions_log.models import Action, ActionUpdate
from actions_log.permissions import (
    action_permission_policy,
    boards_managed_by,
    may_update_action,
)
from boards.factories import PersonFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP

from .admin_builders import action, board, board_officer, member, officer


def snippet_url(name, *args):
    return reverse(f"wagtailsnippets_actions_log_action:{name}", args=args)


@pytest.fixture
def hwb(board_index):
    return board(board_index, "Health and Wellbeing Board", "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, "Safer Rotherham Partnership", "SRP")


@pytest.fixture
def actions(hwb, srp):
    kate = PersonFactory(given_name="Kate", family_name="Green")
    return {
        "hwb": action(hwb, "HWB: report on care homes", [kate]),
        "srp": action(srp, "SRP: share the Prevent report", [kate]),
    }


@pytest.mark.django_db
def test_democratic_services_manage_actions_and_plans():
    group = Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP)
    codenames = set(
        group.permissions.filter(content_type__app_label="actions_log").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {
        f"{verb}_{model}"
        for verb in ("add", "change", "delete", "view")
        for model in ("action", "actionplan")
    }


@pytest.mark.django_db
def test_board_members_have_no_action_permissions_but_sign_in():
    group = Group.objects.get(name=BOARD_MEMBERS_GROUP)
    assert list(group.permissions.values_list("codename", flat=True)) == ["access_admin"]


def test_a_board_officer_manages_only_that_boards_actions(django_user_model, hwb, srp, actions):
    hwb_officer = board_officer(django_user_model, hwb)

    assert list(boards_managed_by(hwb_officer)) == [hwb]
    assert action_permission_policy.user_has_permission_for_instance(
        hwb_officer, "change", actions["hwb"]
    )
    assert not action_permission_policy.user_has_permission_for_instance(
        hwb_officer, "change", actions["srp"]
    )
    assert set(
        action_permission_policy.instances_user_has_permission_for(hwb_officer, "change")
    ) == {actions["hwb"]}


def test_democratic_services_manage_every_board(django_user_model, hwb, srp, actions):
    everyone = officer(django_user_model)

    assert set(boards_managed_by(everyone)) == {hwb, srp}
    assert set(
        action_permission_policy.instances_user_has_permission_for(everyone, "delete")
    ) == set(actions.values())


def test_an_action_without_a_board_is_for_superusers_only(django_user_model, actions):
    orphan = action(None, "An action whose board was deleted")
    superuser = django_user_model.objects.create_superuser("root", password="pw")

    assert not action_permission_policy.user_has_permission_for_instance(
        officer(django_user_model), "change", orphan
    )
    assert action_permission_policy.user_has_permission_for_instance(superuser, "change", orphan)


def test_the_listing_shows_only_the_officers_boards(client, django_user_model, hwb, actions):
    client.force_login(board_officer(django_user_model, hwb))

    response = client.get(snippet_url("list"))

    assert response.status_code == 200
    assert [str(a) for a in response.context["object_list"]] == [str(actions["hwb"])]
    export = client.get(snippet_url("list"), {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert "HWB: report on care homes" in body
    assert "SRP" not in body


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_boards_action_is_not_found(client, django_user_model, hwb, actions, view):
    client.force_login(board_officer(django_user_model, hwb))

    assert client.get(snippet_url(view, actions["hwb"].pk)).status_code == 200
    assert client.get(snippet_url(view, actions["srp"].pk)).status_code == 404


def test_another_boards_action_cannot_be_edited_or_deleted_by_post(
    client, django_user_model, hwb, actions
):
    client.force_login(board_officer(django_user_model, hwb))
    srp_action = actions["srp"]

    edit = client.post(snippet_url("edit", srp_action.pk), {"text": "Changed"})
    delete = client.post(snippet_url("delete", srp_action.pk))

    assert edit.status_code == 404
    assert delete.status_code == 404
    srp_action.refresh_from_db()
    assert srp_action.text == "SRP: share the Prevent report"


def test_bulk_delete_skips_another_boards_actions(client, django_user_model, hwb, actions):
    client.force_login(board_officer(django_user_model, hwb))
    url = (
        reverse("wagtail_bulk_action", args=("actions_log", "action", "delete"))
        + f"?id={actions['hwb'].pk}&id={actions['srp'].pk}"
    )

    client.post(url)

    assert list(Action.objects.all()) == [actions["srp"]]


def test_a_board_officer_cannot_put_an_action_on_another_board(
    client, django_user_model, hwb, srp, actions
):
    client.force_login(board_officer(django_user_model, hwb))

    response = client.get(snippet_url("add"))

    choices = [str(choice[1]) for choice in response.context["form"].fields["board"].choices]
    assert "Health and Wellbeing Board" in choices
    assert "Safer Rotherham Partnership" not in choices


def test_board_members_cannot_use_the_officers_listing_or_editor(
    client, django_user_model, hwb, actions
):
    user = member(django_user_model, "kate", "Kate", "Green", boards=[hwb])
    client.force_login(user)

    assert client.get(snippet_url("list")).status_code in (302, 403)
    assert client.get(snippet_url("edit", actions["hwb"].pk)).status_code in (302, 403)
    response = client.post(snippet_url("edit", actions["hwb"].pk), {"text": "Changed"})
    assert response.status_code in (302, 403)
    assert Action.objects.get(pk=actions["hwb"].pk).text == "HWB: report on care homes"


def test_members_update_their_own_actions_and_officers_their_boards(
    django_user_model, hwb, srp, actions
):
    owner = member(django_user_model, "kate", "Kate", "Green", boards=[hwb])
    other = member(django_user_model, "giles", "Giles", "Ratcliffe", boards=[hwb])
    owned = action(hwb, "Kate's action", [owner.person])

    assert may_update_action(owner, owned)
    assert not may_update_action(other, owned)
    assert may_update_action(board_officer(django_user_model, hwb), owned)
    assert not may_update_action(board_officer(django_user_model, srp, "srp-officer"), owned)
    assert not ActionUpdate.objects.exists()
