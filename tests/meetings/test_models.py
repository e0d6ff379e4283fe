"""Meetings and agendas refuse bad input with a clear message, and keep what was saved."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from boards.factories import BoardPageFactory
from boards.models import DEMOCRATIC_SERVICES_GROUP
from meetings.factories import AgendaItemFactory, AgendaPaperFactory, MeetingPageFactory, london
from meetings.models import AgendaItem, AgendaPaper, MeetingPage, StandardItem
from tests.meetings.admin_form_data import meeting_form_data

START = london(2027, 3, 10, 10)


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
def meeting(board):
    meeting = MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board, 10 March 2027",
        start=START,
        end=START + datetime.timedelta(hours=2),
    )
    AgendaItemFactory(meeting=meeting, number=1, title="Apologies for absence")
    return meeting


def edit_url(meeting):
    return reverse("wagtailadmin_pages:edit", args=(meeting.pk,))


def add_url(board):
    return reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", board.pk))


def error_text(response):
    """Every error on the page form and its agenda formsets, as one string."""
    form = response.context["form"]
    errors = [str(e) for field in form.errors.values() for e in field]
    for item_form in form.formsets["agenda_items"].forms:
        errors += [str(e) for field in item_form.errors.values() for e in field]
        for paper_form in item_form.formsets["papers"].forms:
            errors += [str(e) for field in paper_form.errors.values() for e in field]
    return " ".join(errors)


def new_item(position, title, kind=StandardItem.BUSINESS, section="discussion", number=None):
    """A new agenda row as the editor posts it; `number` "" leaves it unnumbered."""
    return {
        "ORDER": position,
        "number": position if number is None else number,
        "title": title,
        "kind": kind,
        "section": section,
        "papers": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
    }


# Model rules ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_meeting_must_end_after_it_starts():
    meeting = MeetingPage(title="x", slug="x", venue="Town Hall", start=START, end=START)
    with pytest.raises(ValidationError) as caught:
        meeting.clean()
    assert caught.value.message_dict["end"] == ["The meeting must end after it starts."]


@pytest.mark.django_db
def test_a_moved_meeting_says_where_it_moved_to():
    meeting = MeetingPage(title="x", venue="Town Hall", start=START, status="moved")
    with pytest.raises(ValidationError) as caught:
        meeting.clean()
    assert "moved_to" in caught.value.message_dict


def test_an_agenda_item_needs_a_title():
    with pytest.raises(ValidationError) as caught:
        AgendaItem(title="   ").clean()
    assert caught.value.message_dict["title"] == ["Every agenda item needs a title."]


def test_an_exempt_item_needs_its_paragraph_and_public_interest_reason():
    with pytest.raises(ValidationError) as caught:
        AgendaItem(title="Residential care contract", is_exempt=True).clean()
    assert set(caught.value.message_dict) == {"exempt_paragraph", "public_interest_reason"}


def test_a_paper_cannot_end_before_it_starts():
    with pytest.raises(ValidationError):
        AgendaPaper(page_start=12, page_end=3).clean()


# Through the admin ------------------------------------------------------------------------


def test_editor_refuses_a_meeting_that_ends_before_it_starts(officer_client, meeting):
    revisions = meeting.revisions.count()
    data = meeting_form_data(meeting, end="2027-03-10 09:00")
    response = officer_client.post(edit_url(meeting), data)
    assert response.status_code == 200
    assert "The meeting must end after it starts." in error_text(response)
    assert "The meeting must end after it starts." in response.content.decode()
    saved = MeetingPage.objects.get(pk=meeting.pk)
    assert saved.end == START + datetime.timedelta(hours=2)
    assert meeting.revisions.count() == revisions
    assert [i.title for i in saved.agenda_items.all()] == ["Apologies for absence"]


@pytest.mark.parametrize("action", ["save a draft", "publish"])
def test_editor_refuses_an_agenda_item_without_a_title(officer_client, meeting, action):
    data = meeting_form_data(meeting)
    data["agenda_items-0-title"] = "  "
    if action == "publish":
        data["action-publish"] = "action-publish"
    response = officer_client.post(edit_url(meeting), data)
    assert response.status_code == 200
    assert "Every agenda item needs a title." in error_text(response)
    saved = MeetingPage.objects.get(pk=meeting.pk)
    assert [i.title for i in saved.agenda_items.all()] == ["Apologies for absence"]
    assert saved.get_latest_revision() is None or (
        saved.get_latest_revision_as_object().agenda_items.first().title == "Apologies for absence"
    )


def test_editor_refuses_an_exempt_item_without_its_paragraph(officer_client, meeting):
    data = meeting_form_data(meeting)
    data["agenda_items-0-is_exempt"] = "on"
    response = officer_client.post(edit_url(meeting), data)
    assert response.status_code == 200
    assert "Say which paragraph of Schedule 12A applies." in error_text(response)
    assert not MeetingPage.objects.get(pk=meeting.pk).agenda_items.get().is_exempt


def test_editor_refuses_a_paper_whose_last_page_is_before_its_first(officer_client, meeting):
    paper = AgendaPaperFactory(item=meeting.agenda_items.get(), page_start=12, page_end=20)
    data = meeting_form_data(meeting)
    data["agenda_items-0-papers-0-page_end"] = "3"
    response = officer_client.post(edit_url(meeting), data)
    assert response.status_code == 200
    assert "The last page cannot come before the first." in error_text(response)
    paper.refresh_from_db()
    assert paper.page_end == 20


def test_a_second_meeting_of_the_board_at_the_same_time_is_refused(officer_client, board, meeting):
    unsaved = MeetingPage(start=START, end=START + datetime.timedelta(hours=1), venue="Town Hall")
    data = meeting_form_data(unsaved, items=[new_item(1, "Apologies for absence")])
    response = officer_client.post(add_url(board), data)
    assert response.status_code == 200
    assert "already has a meeting at this time" in error_text(response)
    assert MeetingPage.objects.child_of(board).count() == 1


def test_moving_a_meeting_onto_another_is_refused(officer_client, board, meeting):
    other = MeetingPageFactory(parent=board, start=START + datetime.timedelta(days=56))
    data = meeting_form_data(other, start="2027-03-10 10:00", end="2027-03-10 12:00")
    response = officer_client.post(edit_url(other), data)
    assert response.status_code == 200
    assert "already has a meeting at this time" in error_text(response)
    other.refresh_from_db()
    assert other.start == START + datetime.timedelta(days=56)


def test_the_same_time_on_another_board_is_fine(officer_client, board_index, meeting):
    other_board = BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership")
    unsaved = MeetingPage(start=START, end=START + datetime.timedelta(hours=1), venue="Town Hall")
    data = meeting_form_data(unsaved, items=[new_item(1, "Apologies for absence")])
    response = officer_client.post(add_url(other_board), data)
    assert response.status_code == 302, error_text(response)
    created = MeetingPage.objects.child_of(other_board).get()
    assert created.title == "Safer Rotherham Partnership, 10 March 2027"
    assert created.slug == "2027-03-10"


def test_a_new_meeting_starts_with_the_standard_opening_items(officer_client, board):
    response = officer_client.get(add_url(board))
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Apologies for absence",
        "Declarations of interest",
        "Questions from members of the public and the press",
        "Minutes of the previous meeting",
        "considered as a matter of urgency",
        "in accordance with the Local Government Act 1972",
    ):
        assert title in html, title
    formset = response.context["form"].formsets["agenda_items"]
    assert [form.initial.get("kind") or form.instance.kind for form in formset.forms] == [
        StandardItem.PRIVATE_DETERMINATION,
        StandardItem.URGENT_ITEMS,
        StandardItem.APOLOGIES,
        StandardItem.DECLARATIONS,
        StandardItem.PUBLIC_QUESTIONS,
        StandardItem.PREVIOUS_MINUTES,
    ]
    # The opening items are editable like any other: the formset posts them back as new rows.
    assert formset.total_form_count() == 6


def test_the_previous_minutes_item_is_linked_to_the_previous_meeting(
    officer_client, board, meeting
):
    earlier = MeetingPageFactory(parent=board, start=START - datetime.timedelta(days=120))
    start = START + datetime.timedelta(days=56)
    unsaved = MeetingPage(start=start, end=start + datetime.timedelta(hours=2), venue="Town Hall")
    items = [
        new_item(1, "Apologies for absence", StandardItem.APOLOGIES, "procedural"),
        new_item(2, "Minutes of the previous meeting", StandardItem.PREVIOUS_MINUTES, "procedural"),
        new_item(3, "Better Care Fund", number=""),
    ]
    data = meeting_form_data(unsaved, items=items)
    response = officer_client.post(add_url(board), data)
    assert response.status_code == 302, error_text(response)
    created = MeetingPage.objects.child_of(board).get(start=start)
    agenda = created.get_latest_revision_as_object().agenda_items.all()
    minutes = next(item for item in agenda if item.kind == StandardItem.PREVIOUS_MINUTES)
    assert minutes.previous_meeting_id == meeting.pk  # not the earlier one
    assert minutes.previous_meeting_id != earlier.pk
    # An unnumbered item follows on from the one before.
    assert [item.number for item in agenda] == [1, 2, 3]


def test_cancelled_meetings_are_not_the_previous_meeting(officer_client, board, meeting):
    MeetingPage.objects.filter(pk=meeting.pk).update(status="cancelled")
    earlier = MeetingPageFactory(parent=board, start=START - datetime.timedelta(days=56))
    start = START + datetime.timedelta(days=56)
    unsaved = MeetingPage(start=start, end=start + datetime.timedelta(hours=2), venue="Town Hall")
    items = [new_item(1, "Minutes", StandardItem.PREVIOUS_MINUTES, "procedural")]
    response = officer_client.post(add_url(board), meeting_form_data(unsaved, items=items))
    assert response.status_code == 302, error_text(response)
    created = MeetingPage.objects.child_of(board).get(start=start)
    minutes = created.get_latest_revision_as_object().agenda_items.get()
    assert minutes.previous_meeting_id == earlier.pk
