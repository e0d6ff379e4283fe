"""Roles in the admin: democratic services edit, approve and publish; board members only sign in."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from boards.factories import BoardPageFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from meetings.factories import MeetingPageFactory
from meetings.workflows import AgendaApprovalTask


@pytest.fixture
def officer(django_user_model, db):
    user = django_user_model.objects.create_user("officer", password="pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


@pytest.fixture
def member(django_user_model, db):
    user = django_user_model.objects.create_user("member", password="pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    return user


@pytest.fixture
def meeting(board_index):
    return MeetingPageFactory(parent=BoardPageFactory(parent=board_index))


def codenames(queryset):
    return set(queryset.values_list("permission__codename", flat=True))


@pytest.mark.django_db
def test_democratic_services_group_has_the_intended_permissions():
    group = Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP)
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "add_person",
        "change_person",
        "view_person",
        # Actions and action plans (actions_log 0002).
        "add_action",
        "change_action",
        "delete_action",
        "view_action",
        "add_actionplan",
        "change_actionplan",
        "delete_actionplan",
        "view_actionplan",
        # Duties between boards (boards 0006).
        "add_duty",
        "change_duty",
        "delete_duty",
        "view_duty",
        "add_obligation",
        "change_obligation",
        "view_obligation",
        "add_forwardplanitem",
        "change_forwardplanitem",
        "view_forwardplanitem",
        "add_dutyevent",
        "change_dutyevent",
        "view_dutyevent",
        # Recordings and transcripts (transcription 0002).
        "add_recording",
        "change_recording",
        "delete_recording",
        "view_recording",
        "change_transcriptionjob",
        "view_transcriptionjob",
        "change_transcriptsegment",
        "view_transcriptsegment",
        "add_speaker",
        "change_speaker",
        "view_speaker",
        "add_transcriptspan",
        "change_transcriptspan",
        "delete_transcriptspan",
        "view_transcriptspan",
        "add_draftproposal",
        "change_draftproposal",
        "delete_draftproposal",
        "view_draftproposal",
    }
    root_page = Page.get_first_root_node()
    assert codenames(GroupPagePermission.objects.filter(group=group, page=root_page)) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert not GroupPagePermission.objects.filter(group=group).exclude(page=root_page).exists()
    root_collection = Collection.get_first_root_node()
    assert codenames(
        GroupCollectionPermission.objects.filter(group=group, collection=root_collection)
    ) == {
        "add_document",
        "change_document",
        "choose_document",
        "add_image",
        "change_image",
        "choose_image",
    }
    assert AgendaApprovalTask.objects.filter(groups=group).exists()


@pytest.mark.django_db
def test_board_members_group_only_signs_in():
    group = Group.objects.get(name=BOARD_MEMBERS_GROUP)
    assert list(group.permissions.values_list("codename", flat=True)) == ["access_admin"]
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
    assert not AgendaApprovalTask.objects.filter(groups=group).exists()


def test_board_member_signs_in_but_cannot_edit_a_page(client, member, meeting):
    client.force_login(member)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    edit = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    response = client.get(edit)
    assert response.status_code in (302, 403)
    response = client.post(edit, {"title": "Changed by a member", "action-publish": "1"})
    assert response.status_code in (302, 403)
    meeting.refresh_from_db()
    assert meeting.title != "Changed by a member"
    add = reverse(
        "wagtailadmin_pages:add",
        args=("meetings", "meetingpage", meeting.get_parent().pk),
    )
    assert client.get(add).status_code in (302, 403)


def test_board_member_cannot_manage_people_or_documents(client, member):
    client.force_login(member)
    assert client.get(reverse("wagtailsnippets_boards_person:list")).status_code in (302, 403)
    assert client.get(reverse("wagtaildocs:add")).status_code in (302, 403)


def test_democratic_services_officer_can_edit_and_add_meetings(client, officer, meeting):
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))
    assert response.status_code == 200
    assert b"action-publish" in response.content
    add = reverse(
        "wagtailadmin_pages:add",
        args=("meetings", "meetingpage", meeting.get_parent().pk),
    )
    assert client.get(add).status_code == 200


def test_democratic_services_officer_manages_people_and_documents(client, officer):
    client.force_login(officer)
    assert client.get(reverse("wagtailsnippets_boards_person:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_boards_person:add")).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url
