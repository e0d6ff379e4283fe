"""Exempt papers live in private collections and are served only to those allowed to see them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from meetings.exempt import (
    EXEMPT_PAPERS_COLLECTION,
    exempt_collection_for,
    secure_exempt_papers,
    user_may_see_exempt,
)
from meetings.factories import (
    AgendaItemFactory,
    AgendaPaperFactory,
    DocumentFactory,
    MeetingPageFactory,
)
from meetings.models import AgendaItem, AgendaPaper, ExemptCollection
from tests.meetings.admin_form_data import meeting_form_data


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")


@pytest.fixture
def srp(board_index):
    return BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership")


@pytest.fixture
def meeting(hwb):
    return MeetingPageFactory(parent=hwb)


def exempt_item(meeting, **kwargs):
    return AgendaItemFactory(
        meeting=meeting,
        title="Residential care contract",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive prices.",
        **kwargs,
    )


def user_with_membership(django_user_model, username, board, **membership):
    user = django_user_model.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    person = PersonFactory(user=user)
    MembershipFactory(board=board, person=person, **membership)
    return user


def refreshed(document):
    document.refresh_from_db()
    return document


# The private collections ------------------------------------------------------------------


def test_each_board_gets_a_login_restricted_collection_under_exempt_papers(hwb, srp):
    hwb_collection = exempt_collection_for(hwb)
    assert exempt_collection_for(hwb).pk == hwb_collection.pk
    srp_collection = exempt_collection_for(srp)
    assert srp_collection.pk != hwb_collection.pk

    parent = hwb_collection.get_parent()
    assert parent.name == EXEMPT_PAPERS_COLLECTION
    assert parent.depth == 2
    assert srp_collection.get_parent().pk == parent.pk
    assert Collection.objects.filter(name=EXEMPT_PAPERS_COLLECTION).count() == 1
    assert ExemptCollection.objects.get(board=hwb).collection_id == hwb_collection.pk
    restrictions = hwb_collection.get_view_restrictions()
    assert restrictions.exists()
    assert {r.restriction_type for r in restrictions} == {CollectionViewRestriction.LOGIN}


def test_securing_a_meeting_moves_exempt_papers_only(meeting):
    secret = AgendaPaperFactory(item=exempt_item(meeting)).document
    public = AgendaPaperFactory(item=AgendaItemFactory(meeting=meeting)).document
    public_collection = public.collection_id
    assert not ExemptCollection.objects.exists()

    assert secure_exempt_papers(meeting) == 1

    private = exempt_collection_for(meeting.get_parent().specific)
    assert refreshed(secret).collection_id == private.pk
    assert refreshed(public).collection_id == public_collection
    # Running it again (as every publication does) moves nothing more.
    assert secure_exempt_papers(meeting) == 0


def test_a_saved_draft_already_secures_exempt_papers(meeting):
    document = DocumentFactory()
    meeting.agenda_items = [
        AgendaItem(
            number=1,
            title="Residential care contract",
            is_exempt=True,
            exempt_paragraph=3,
            public_interest_reason="Commercially sensitive prices.",
            papers=[AgendaPaper(document=document, page_start=1, page_end=4)],
        )
    ]
    meeting.save_revision()  # a draft: nothing in the live rows yet
    assert not AgendaPaper.objects.filter(document=document).exists()
    private = exempt_collection_for(meeting.get_parent().specific)
    assert refreshed(document).collection_id == private.pk


def test_marking_an_item_exempt_in_the_editor_secures_its_papers(client, meeting, admin_user):
    item = AgendaItemFactory(meeting=meeting, title="Residential care contract", number=1)
    document = AgendaPaperFactory(item=item).document
    data = meeting_form_data(meeting)
    data["agenda_items-0-is_exempt"] = "on"
    data["agenda_items-0-exempt_paragraph"] = "3"
    data["agenda_items-0-public_interest_reason"] = "Commercially sensitive prices."
    client.force_login(admin_user)
    response = client.post(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)), data)
    assert response.status_code == 302  # saved as a draft, not published
    private = exempt_collection_for(meeting.get_parent().specific)
    assert refreshed(document).collection_id == private.pk


# Who may see them -------------------------------------------------------------------------


def test_who_may_see_a_boards_exempt_papers(django_user_model, hwb, srp):
    from django.contrib.auth.models import AnonymousUser

    member = user_with_membership(django_user_model, "member", hwb)
    other = user_with_membership(django_user_model, "other", srp)
    past = user_with_membership(
        django_user_model,
        "past",
        hwb,
        start_date=datetime.date(2015, 5, 1),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    officer = django_user_model.objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    superuser = django_user_model.objects.create_superuser("root", password="pw")
    inactive = user_with_membership(django_user_model, "inactive", hwb)
    inactive.is_active = False
    inactive.save()

    assert user_may_see_exempt(member, hwb)
    assert not user_may_see_exempt(member, srp)
    assert not user_may_see_exempt(other, hwb)
    assert not user_may_see_exempt(past, hwb)
    assert not user_may_see_exempt(inactive, hwb)
    assert user_may_see_exempt(officer, hwb) and user_may_see_exempt(officer, srp)
    assert user_may_see_exempt(superuser, hwb)
    assert not user_may_see_exempt(AnonymousUser(), hwb)


# Serving the files ------------------------------------------------------------------------


@pytest.fixture
def exempt_document(meeting):
    document = AgendaPaperFactory(item=exempt_item(meeting)).document
    meeting.save_revision().publish()
    return refreshed(document)


def test_document_url_is_served_by_django(exempt_document):
    assert exempt_document.url.startswith(f"/documents/{exempt_document.pk}/")


def test_anonymous_visitor_is_refused_an_exempt_paper(client, exempt_document):
    response = client.get(exempt_document.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_board_member_gets_the_exempt_paper(client, django_user_model, hwb, exempt_document):
    client.force_login(user_with_membership(django_user_model, "member", hwb))
    response = client.get(exempt_document.url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_member_of_another_board_is_refused(client, django_user_model, srp, exempt_document):
    client.force_login(user_with_membership(django_user_model, "other", srp))
    response = client.get(exempt_document.url)
    assert response.status_code == 403


def test_former_member_is_refused(client, django_user_model, hwb, exempt_document):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    user = user_with_membership(
        django_user_model, "past", hwb, start_date=datetime.date(2015, 5, 1), end_date=yesterday
    )
    client.force_login(user)
    assert client.get(exempt_document.url).status_code == 403


def test_democratic_services_get_the_exempt_paper(client, django_user_model, exempt_document):
    officer = django_user_model.objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    client.force_login(officer)
    assert client.get(exempt_document.url).status_code == 200


def test_a_paper_put_straight_into_exempt_papers_is_for_officers_only(
    client, django_user_model, hwb
):
    exempt_collection_for(hwb)
    parent = Collection.objects.get(name=EXEMPT_PAPERS_COLLECTION)
    document = DocumentFactory(collection=parent)
    client.force_login(user_with_membership(django_user_model, "member", hwb))
    assert client.get(document.url).status_code == 403


def test_public_papers_are_served_to_everyone(client, meeting):
    document = AgendaPaperFactory(item=AgendaItemFactory(meeting=meeting)).document
    meeting.save_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
