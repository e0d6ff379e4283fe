"""Boards, people and memberships: validation, and the admin for people."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import querydict_from_html

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import DEMOCRATIC_SERVICES_GROUP, BoardPage, Membership, Person

D = datetime.date


@pytest.fixture
def board(board_index):
    return BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")


@pytest.fixture
def officer_client(client, django_user_model, db):
    officer = django_user_model.objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    client.force_login(officer)
    return client


@pytest.fixture
def terri(db):
    return PersonFactory(
        given_name="Terri", family_name="Roche", job_title="Director of Public Health"
    )


@pytest.fixture
def jo(db):
    return PersonFactory(given_name="Jo", family_name="Abbott", job_title="Public Health")


# Membership rules -------------------------------------------------------------------------


def test_a_substitute_must_say_whom_they_represent(board, jo):
    with pytest.raises(ValidationError) as caught:
        Membership(board=board, person=jo, role="substitute").clean()
    assert caught.value.message_dict["represents"] == [
        "Say which member this substitute represents."
    ]


def test_a_substitute_representing_a_member_is_fine(board, jo, terri):
    Membership(board=board, person=jo, role="substitute", represents=terri).clean()


def test_nobody_substitutes_for_themselves(board, jo):
    with pytest.raises(ValidationError) as caught:
        Membership(board=board, person=jo, role="substitute", represents=jo).clean()
    assert "represents" in caught.value.message_dict


def test_a_membership_cannot_end_before_it_starts(board, terri):
    membership = Membership(
        board=board, person=terri, start_date=D(2017, 5, 1), end_date=D(2017, 4, 30)
    )
    with pytest.raises(ValidationError) as caught:
        membership.clean()
    assert caught.value.message_dict["end_date"] == ["A membership cannot end before it starts."]


def test_current_memberships_keep_the_past(board, terri, jo):
    MembershipFactory(board=board, person=terri, start_date=D(2015, 5, 1))
    MembershipFactory(board=board, person=jo, start_date=D(2015, 5, 1), end_date=D(2017, 1, 11))
    assert [m.person for m in board.current_memberships(on=D(2017, 3, 8))] == [terri]
    assert {m.person for m in board.current_memberships(on=D(2016, 11, 16))} == {terri, jo}
    assert board.memberships.count() == 2


# Through the board editor -----------------------------------------------------------------


def board_form(client, board):
    url = reverse("wagtailadmin_pages:edit", args=(board.pk,))
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    return url, data


def with_membership(data, **fields):
    data["memberships-TOTAL_FORMS"] = "1"
    data["memberships-INITIAL_FORMS"] = "0"
    row = {"id": "", "ORDER": "1", "seat": "", "represents": "", "start_date": "", "end_date": ""}
    row.update(fields)
    for name, value in row.items():
        data[f"memberships-0-{name}"] = str(value)
    return data


def form_errors(response):
    form = response.context["form"]
    errors = [str(e) for errs in form.errors.values() for e in errs]
    for membership_form in form.formsets["memberships"].forms:
        errors += [str(e) for errs in membership_form.errors.values() for e in errs]
    return " ".join(errors)


def test_editor_refuses_a_substitute_without_a_principal(officer_client, board, jo):
    url, data = board_form(officer_client, board)
    response = officer_client.post(url, with_membership(data, person=jo.pk, role="substitute"))
    assert response.status_code == 200
    assert "Say which member this substitute represents." in form_errors(response)
    assert not board.memberships.exists()


def test_editor_refuses_a_membership_ending_before_it_starts(officer_client, board, terri):
    url, data = board_form(officer_client, board)
    data = with_membership(
        data, person=terri.pk, role="member", start_date="2017-05-01", end_date="2017-04-30"
    )
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert "A membership cannot end before it starts." in form_errors(response)
    assert not board.memberships.exists()


def test_editor_saves_a_valid_substitute(officer_client, board, jo, terri):
    url, data = board_form(officer_client, board)
    data = with_membership(data, person=jo.pk, role="substitute", represents=terri.pk)
    response = officer_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    draft = BoardPage.objects.get(pk=board.pk).get_latest_revision_as_object()
    saved = draft.memberships.get()
    assert (saved.person, saved.role, saved.represents) == (jo, "substitute", terri)


# People in the admin ----------------------------------------------------------------------


def test_people_are_listed_with_organisation_and_job_title(officer_client, terri):
    response = officer_client.get(reverse("wagtailsnippets_boards_person:list"))
    html = response.content.decode()
    assert "Terri Roche" in html
    assert "Director of Public Health" in html
    assert terri.organisation in html
    assert "Organisation" in html and "Job title" in html


def test_people_can_be_searched(officer_client, terri, jo):
    response = officer_client.get(reverse("wagtailsnippets_boards_person:list"), {"q": "Roche"})
    html = response.content.decode()
    assert "Terri Roche" in html
    assert "Jo Abbott" not in html


def test_contact_details_are_not_exported(officer_client, terri):
    terri.email = "terri.roche@example.gov.uk"
    terri.save()
    response = officer_client.get(reverse("wagtailsnippets_boards_person:list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert "Roche" in content
    assert "terri.roche@example.gov.uk" not in content


def test_changes_to_a_person_are_revisioned_and_logged(officer_client, terri):
    url = reverse("wagtailsnippets_boards_person:edit", args=(terri.pk,))
    data = querydict_from_html(officer_client.get(url).content.decode(), form_id="w-editor-form")
    data["job_title"] = "Director of Public Health (interim)"
    response = officer_client.post(url, data)
    assert response.status_code == 302
    terri = Person.objects.get(pk=terri.pk)
    assert terri.job_title == "Director of Public Health (interim)"
    assert terri.revisions.count() == 1
    assert ModelLogEntry.objects.filter(
        content_type__model="person", object_id=str(terri.pk), action="wagtail.edit"
    ).exists()


def test_the_people_menu_sits_in_a_boards_group(officer_client):
    response = officer_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Boards" in html
    assert reverse("wagtailsnippets_boards_person:list") in html
