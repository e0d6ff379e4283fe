"""Recording minutes in the admin: new minutes start from the agenda and the board, nested rows
save end to end, refused saves show why and lose nothing, and only democratic services edit."""

import datetime
import html as html_lib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import escape

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import Attendance, MinuteItem, MinutesPage, Resolution
from meetings.models import StandardItem
from tests.meetings.minutes_helpers import (
    add_url,
    attendance_row,
    declaration_row,
    edit_url,
    minute_row,
    minutes_form_data,
    page_form_data,
    publish_minutes,
    resolution_row,
)


@pytest.fixture
def officer(django_user_model, db):
    user = django_user_model.objects.create_user("officer", password="pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def board(board_index):
    return BoardPageFactory(
        parent=board_index, title="Health and Wellbeing Board", short_name="HWB"
    )


@pytest.fixture
def people(board):
    """The board's memberships on 11 January 2017, with a substitute and a past member."""
    roche = PersonFactory(title="Councillor", given_name="David", family_name="Roche")
    terri = PersonFactory(given_name="Terri", family_name="Roche")
    people = {
        "chair": MembershipFactory(board=board, person=roche, role="chair").person,
        "member": MembershipFactory(
            board=board, person=PersonFactory(given_name="Tony", family_name="Clabby")
        ).person,
        "principal": MembershipFactory(board=board, person=terri).person,
        "officer": MembershipFactory(
            board=board,
            role="officer",
            person=PersonFactory(
                given_name="Dawn",
                family_name="Mitchell",
                job_title="Democratic Services",
                organisation="RMBC",
            ),
        ).person,
        "observer": MembershipFactory(
            board=board,
            role="observer",
            person=PersonFactory(title="Councillor", family_name="Sansome"),
        ).person,
        "substitute": MembershipFactory(
            board=board,
            role="substitute",
            represents=terri,
            person=PersonFactory(given_name="Jo", family_name="Abbott"),
        ).person,
        "former": MembershipFactory(
            board=board,
            end_date=datetime.date(2016, 6, 30),
            person=PersonFactory(given_name="Former", family_name="Member"),
        ).person,
    }
    return people


@pytest.fixture
def november(board):
    return MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board, 16 November 2016",
        start=london(2016, 11, 16),
    )


@pytest.fixture
def november_minutes(november):
    return publish_minutes(
        november,
        [
            MinuteItem(
                number=36,
                heading="HEALTH AND WELLBEING STRATEGY",
                resolutions=[Resolution(text="That the report be noted."), Resolution(text="2.")],
            ),
            MinuteItem(number=47, heading="DATE AND TIME OF NEXT MEETING"),
        ],
    )


@pytest.fixture
def january(board, november):
    meeting = MeetingPageFactory(
        parent=board, title="Health and Wellbeing Board, 11 January 2017", start=london(2017, 1, 11)
    )
    for number, (title, kind) in enumerate(
        [
            ("Declarations of interest", StandardItem.DECLARATIONS),
            ("Questions from members of the public and the press", StandardItem.PUBLIC_QUESTIONS),
            ("Minutes of the previous meeting", StandardItem.PREVIOUS_MINUTES),
            ("Better Care Fund", StandardItem.BUSINESS),
        ],
        start=1,
    ):
        AgendaItemFactory(
            meeting=meeting,
            number=number,
            title=title,
            kind=kind,
            sort_order=number,
            previous_meeting=november if kind == StandardItem.PREVIOUS_MINUTES else None,
        )
    return meeting


def agenda(meeting):
    return list(meeting.agenda_items.order_by("sort_order"))


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def page_text(response):
    return html_lib.unescape(response.content.decode())


# Starting new minutes ----------------------------------------------------------------------


def test_new_minutes_start_with_a_minute_per_agenda_item(
    officer_client, january, november_minutes, people
):
    response = officer_client.get(add_url(january))
    assert response.status_code == 200
    form = response.context["form"]
    minute_forms = form.formsets["minute_items"].forms
    assert [f.initial["heading"] for f in minute_forms] == [
        "DECLARATIONS OF INTEREST",
        "QUESTIONS FROM MEMBERS OF THE PUBLIC AND THE PRESS",
        "MINUTES OF THE PREVIOUS MEETING",
        "BETTER CARE FUND",
    ]
    assert [f.initial["agenda_item"] for f in minute_forms] == [i.pk for i in agenda(january)]
    # Unnumbered, so that they follow on from the board's last minute when saved.
    assert all(f.initial["number"] is None for f in minute_forms)
    assert [f.initial["approves"] for f in minute_forms] == [None, None, november_minutes.pk, None]


def test_new_minutes_list_the_board_as_attendance(officer_client, january, people):
    response = officer_client.get(add_url(january))
    rows = [f.initial for f in response.context["form"].formsets["attendance"].forms]
    assert [(r["person"], r["group"], r["status"], r["in_the_chair"]) for r in rows] == [
        (people["chair"].pk, "member", "present", True),
        (people["member"].pk, "member", "present", False),
        (people["principal"].pk, "member", "present", False),
        (people["officer"].pk, "officer", "present", False),
        (people["observer"].pk, "observer", "present", False),
    ]
    # A standing substitute is added only when they attend; a past member is not listed.
    listed = {r["person"] for r in rows}
    assert people["substitute"].pk not in listed
    assert people["former"].pk not in listed
    assert rows[3]["role_text"] == "Democratic Services, RMBC"


def test_minutes_offer_only_their_own_meetings_agenda_items(officer_client, january, november):
    AgendaItemFactory(meeting=november, title="An item of another meeting")
    response = officer_client.get(add_url(january))
    formset = response.context["form"].formsets["minute_items"]
    own = {item.pk for item in agenda(january)}
    for form in [*formset.forms, formset.empty_form]:
        assert {item.pk for item in form.fields["agenda_item"].queryset} == own
        declarations = form.formsets["declarations"]
        assert {i.pk for i in declarations.empty_form.fields["agenda_item"].queryset} == own
    assert "An item of another meeting" not in response.content.decode()


def test_no_previous_minutes_are_offered_before_they_are_published(officer_client, january):
    response = officer_client.get(add_url(january))
    forms = response.context["form"].formsets["minute_items"].forms
    assert [f.initial["approves"] for f in forms] == [None] * 4


# Saving through the editor ------------------------------------------------------------------


def test_minutes_round_trip_through_the_add_view(officer_client, january, november_minutes, people):
    """The prefilled form, filled in and published as the browser sends it."""
    data = page_form_data(officer_client.get(add_url(january)))
    # The officer minutes the Better Care Fund item: two resolutions and a declaration.
    data["minute_items-3-narrative"] = "Consideration was given to the Better Care Fund plan."
    data["minute_items-3-resolutions-TOTAL_FORMS"] = "2"
    data["minute_items-3-resolutions-0-text"] = "That the report be noted."
    data["minute_items-3-resolutions-0-action_line"] = "Action: Kate Green"
    data["minute_items-3-resolutions-0-ORDER"] = "1"
    data["minute_items-3-resolutions-1-text"] = "That the plan be approved."
    data["minute_items-3-resolutions-1-ORDER"] = "2"
    data["minute_items-0-declarations-TOTAL_FORMS"] = "1"
    data["minute_items-0-declarations-0-person"] = str(people["member"].pk)
    data["minute_items-0-declarations-0-agenda_item"] = str(agenda(january)[3].pk)
    data["minute_items-0-declarations-0-nature"] = "Personal interest: his wife works there."
    data["minute_items-0-declarations-0-ORDER"] = "1"
    # The principal sent apologies and a substitute came in their place.
    data["attendance-2-status"] = "apologies"
    data["attendance-TOTAL_FORMS"] = "6"
    for key, value in attendance_row(
        people["substitute"], 6, group="substitute", represents=people["principal"]
    ).items():
        data[f"attendance-5-{key}"] = str(value)
    data["action-publish"] = "action-publish"

    response = officer_client.post(add_url(january), data)
    assert response.status_code == 302, response.context["form"].errors

    minutes = MinutesPage.objects.get(meeting=january)
    assert (minutes.live, minutes.board_id, minutes.slug) == (
        True,
        january.get_parent().pk,
        "minutes",
    )
    assert minutes.title == "Minutes: Health and Wellbeing Board, 11 January 2017"
    items = list(minutes.minute_items.order_by("sort_order"))
    # November reached minute 47, so January follows on at 48.
    assert [(i.number, i.heading) for i in items] == [
        (48, "DECLARATIONS OF INTEREST"),
        (49, "QUESTIONS FROM MEMBERS OF THE PUBLIC AND THE PRESS"),
        (50, "MINUTES OF THE PREVIOUS MEETING"),
        (51, "BETTER CARE FUND"),
    ]
    assert [i.agenda_item_id for i in items] == [i.pk for i in agenda(january)]
    assert [(r.number, r.text, r.action_line) for r in items[3].resolutions.all()] == [
        (1, "That the report be noted.", "Action: Kate Green"),
        (2, "That the plan be approved.", ""),
    ]
    declaration = items[0].declarations.get()
    assert (declaration.person, declaration.agenda_item_id) == (
        people["member"],
        agenda(january)[3].pk,
    )
    assert items[2].approves == november_minutes
    assert november_minutes.status == "approved"
    attendance = list(minutes.attendance.order_by("sort_order"))
    assert [(a.person, a.group, a.status) for a in attendance][2:] == [
        (people["principal"], "member", "apologies"),
        (people["officer"], "officer", "present"),
        (people["observer"], "observer", "present"),
        (people["substitute"], "substitute", "present"),
    ]
    assert attendance[0].in_the_chair
    assert attendance[5].represents == people["principal"]


def test_an_edit_is_saved_as_a_new_draft_revision(officer_client, january, november_minutes):
    minutes = publish_minutes(january, [MinuteItem(heading="BETTER CARE FUND")])
    data = page_form_data(officer_client.get(edit_url(minutes)))
    data["minute_items-0-narrative"] = "A corrected account of the discussion."
    response = officer_client.post(edit_url(minutes), data)
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.has_unpublished_changes
    draft = minutes.get_latest_revision_as_object()
    assert draft.minute_items.get().narrative == "A corrected account of the discussion."
    # The published minutes are unchanged until the correction is published.
    assert minutes.minute_items.get().narrative == ""


# Refused saves: clear messages, nothing lost --------------------------------------------


def test_a_refused_new_minutes_shows_why_and_keeps_the_input(officer_client, january):
    rows = [
        minute_row(
            "BETTER CARE FUND",
            1,
            agenda_item=agenda(january)[3],
            narrative="Consideration was given to the Better Care Fund plan.",
            resolutions=[
                resolution_row("That the report be noted.", number=1, order=1),
                resolution_row("That the plan be approved by 31 March.", number=1, order=2),
            ],
        )
    ]
    response = officer_client.post(add_url(january), minutes_form_data(rows))

    assert response.status_code == 200
    message = (
        "Minute 1: resolution (1) is used twice. Number each resolution of a minute once: (1), (2)…"
    )
    # At the top of the page, in the error banner...
    assert any(message in text for text in messages_of(response))
    html = response.content.decode()
    assert f'<ul class="errorlist"><li>{escape(message)}</li></ul>' in html
    text = page_text(response)
    assert text.count(message) == 2
    # ...and beside the resolution it is about.
    resolutions = response.context["form"].formsets["minute_items"].forms[0].formsets["resolutions"]
    assert resolutions.forms[1].errors["number"] == [message]
    # Everything typed comes back.
    assert "That the plan be approved by 31 March." in text
    assert "Consideration was given to the Better Care Fund plan." in text
    assert not MinutesPage.objects.exists()


def test_a_refused_edit_leaves_the_saved_minutes_unchanged(
    officer_client, january, november_minutes
):
    minutes = publish_minutes(january, [MinuteItem(heading="BETTER CARE FUND")])
    revisions = minutes.revisions.count()
    data = page_form_data(officer_client.get(edit_url(minutes)))
    data["minute_items-0-number"] = "47"  # November already reached 47
    data["minute_items-0-narrative"] = "Typed before the mistake was noticed."
    data["action-publish"] = "action-publish"
    response = officer_client.post(edit_url(minutes), data)

    assert response.status_code == 200
    message = (
        "Minute 47 breaks the HWB sequence: the minutes of Wednesday 16 November 2016 already "
        "reach minute 47 in 2016/17, so these minutes should start at 48 or later."
    )
    assert any(message in text for text in messages_of(response))
    assert response.context["form"].formsets["minute_items"].forms[0].errors["number"] == [message]
    assert "Typed before the mistake was noticed." in page_text(response)
    minutes.refresh_from_db()
    assert minutes.revisions.count() == revisions
    assert not minutes.has_unpublished_changes
    assert [(i.number, i.narrative) for i in minutes.minute_items.all()] == [(48, "")]


def test_a_citation_of_a_missing_minute_is_refused_beside_the_narrative(officer_client, january):
    rows = [minute_row("MATTERS ARISING", 1, narrative="Arising from Minute No. 12(3), noted.")]
    response = officer_client.post(add_url(january), minutes_form_data(rows))
    assert response.status_code == 200
    form = response.context["form"].formsets["minute_items"].forms[0]
    assert form.errors["narrative"] == [
        "Minute 1 cites 'Minute No. 12(3)', but Health and Wellbeing Board has no published "
        "minute 12 before Wednesday 11 January 2017. Check the number, or publish the earlier "
        "minutes first."
    ]
    assert not MinutesPage.objects.exists()


def test_an_agenda_item_of_another_meeting_is_refused(officer_client, january, november):
    other = AgendaItemFactory(meeting=november, title="Not this meeting's")
    rows = [minute_row("BETTER CARE FUND", 1, agenda_item=other)]
    response = officer_client.post(add_url(january), minutes_form_data(rows))
    assert response.status_code == 200
    assert "agenda_item" in response.context["form"].formsets["minute_items"].forms[0].errors
    assert not MinutesPage.objects.exists()


def test_the_same_person_twice_in_the_attendance_is_refused(officer_client, january, people):
    rows = [minute_row("BETTER CARE FUND", 1)]
    attendance = [
        attendance_row(people["member"], 1),
        attendance_row(people["member"], 2, group="observer"),
    ]
    response = officer_client.post(add_url(january), minutes_form_data(rows, attendance))
    assert response.status_code == 200
    form = response.context["form"].formsets["attendance"].forms[1]
    assert form.errors["person"] == [
        "Tony Clabby is listed twice in the attendance. List each person once, in the group "
        "they attended in."
    ]
    assert not Attendance.objects.exists()


def test_a_substitute_must_say_whom_they_represent(officer_client, january, people):
    rows = [minute_row("BETTER CARE FUND", 1)]
    attendance = [attendance_row(people["substitute"], 1, group="substitute")]
    response = officer_client.post(add_url(january), minutes_form_data(rows, attendance))
    assert response.status_code == 200
    errors = response.context["form"].formsets["attendance"].forms[0].errors
    assert errors["represents"] == ["Say which member this substitute represents."]


def test_declarations_and_resolutions_save_through_nested_rows(officer_client, january, people):
    rows = [
        minute_row(
            "DECLARATIONS OF INTEREST",
            1,
            number=48,
            agenda_item=agenda(january)[0],
            declarations=[declaration_row(people["member"], "Personal: employed by the CCG.")],
        ),
        minute_row(
            "BETTER CARE FUND",
            2,
            agenda_item=agenda(january)[3],
            resolutions=[
                resolution_row("That the report be noted.", order=1),
                resolution_row("That a further report be submitted.", order=2),
                resolution_row("That the plan be approved.", number=5, order=3),
            ],
        ),
    ]
    response = officer_client.post(add_url(january), minutes_form_data(rows))
    assert response.status_code == 302
    minutes = MinutesPage.objects.get().get_latest_revision_as_object()
    first, second = minutes.minute_items.all()
    assert (first.number, second.number) == (48, 49)
    assert first.declarations.get().nature == "Personal: employed by the CCG."
    assert [r.number for r in second.resolutions.all()] == [1, 2, 5]


# Deleting approved minutes ------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, django_user_model, db):
    """A superuser: democratic services do not delete pages, but an administrator might."""
    client.force_login(django_user_model.objects.create_superuser("admin", password="pw"))
    return client


def test_approved_minutes_and_their_meeting_cannot_be_deleted(
    admin_client_, january, november, november_minutes
):
    publish_minutes(january, [MinuteItem(heading="MINUTES", approves=november_minutes)])
    for page in (november_minutes, november):
        response = admin_client_.post(
            reverse("wagtailadmin_pages:delete", args=(page.pk,)), follow=True
        )
        assert response.status_code == 200
        assert any(
            "the minutes of Wednesday 16 November 2016 were approved as a correct record at the "
            "meeting of Wednesday 11 January 2017 (minute 48)" in text
            for text in messages_of(response)
        )
    assert MinutesPage.objects.filter(pk=november_minutes.pk).exists()
    # Deleting the whole board takes both minutes with it, so nothing is left dangling.
    board = november.get_parent()
    response = admin_client_.post(reverse("wagtailadmin_pages:delete", args=(board.pk,)))
    assert response.status_code == 302
    assert not MinutesPage.objects.exists()


def test_unapproved_minutes_can_be_deleted(admin_client_, november_minutes):
    url = reverse("wagtailadmin_pages:delete", args=(november_minutes.pk,))
    response = admin_client_.post(url)
    assert response.status_code == 302
    assert not MinutesPage.objects.filter(pk=november_minutes.pk).exists()


def test_deleting_a_board_with_approved_minutes_never_fails(board, january, november_minutes):
    publish_minutes(january, [MinuteItem(heading="MINUTES", approves=november_minutes)])
    november_minutes.delete()  # as a cascade would, bypassing the admin's refusal
    approval = MinuteItem.objects.get(heading="MINUTES")
    assert approval.approves is None
    board.delete()
    assert not MinutesPage.objects.exists()


# Who may edit minutes -------------------------------------------------------------------


def test_board_members_cannot_add_or_edit_minutes(client, django_user_model, january):
    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    minutes = publish_minutes(january, [MinuteItem(heading="BETTER CARE FUND")])
    client.force_login(member)
    assert client.get(edit_url(minutes)).status_code in (302, 403)
    data = minutes_form_data([minute_row("CHANGED BY A MEMBER", 1)], initial_minutes=0)
    assert client.post(edit_url(minutes), data).status_code in (302, 403)
    assert minutes.minute_items.get().heading == "BETTER CARE FUND"
    assert not minutes.revisions.filter(user=member).exists()
    other = MeetingPageFactory(parent=january.get_parent(), start=london(2017, 3, 8))
    assert client.get(add_url(other)).status_code in (302, 403)


def test_democratic_services_edit_and_add_minutes(officer_client, january, november):
    minutes = publish_minutes(january, [MinuteItem(heading="BETTER CARE FUND")])
    response = officer_client.get(edit_url(minutes))
    assert response.status_code == 200
    assert b"action-publish" in response.content
    assert officer_client.get(add_url(november)).status_code == 200


def test_only_one_set_of_minutes_per_meeting(officer_client, january):
    publish_minutes(january, [MinuteItem(heading="BETTER CARE FUND")])
    response = officer_client.get(add_url(january))
    assert response.status_code in (302, 403)


def test_the_dashboard_lists_minutes_awaiting_approval(officer_client, january, november_minutes):
    response = officer_client.get(reverse("wagtailadmin_home"))
    text = page_text(response)
    assert "Draft minutes awaiting approval as a correct record" in text
    assert "Minutes of Wednesday 16 November 2016" in text
    publish_minutes(january, [MinuteItem(heading="MINUTES", approves=november_minutes)])
    text = page_text(officer_client.get(reverse("wagtailadmin_home")))
    assert "Minutes of Wednesday 16 November 2016" not in text
    assert "Minutes of Wednesday 11 January 2017" in text


def test_minutes_that_break_the_rules_can_be_put_right(officer_client, january):
    """Minutes saved wrongly (by an old import, say) are judged as edited, not as they were."""
    minutes = publish_minutes(
        january, [MinuteItem(number=48, heading="BCF", resolutions=[Resolution(text="A.")])]
    )
    resolution = Resolution.objects.get()
    Resolution.objects.create(minute=resolution.minute, number=1, text="B.", sort_order=1)
    data = page_form_data(officer_client.get(edit_url(minutes)))
    assert data["minute_items-0-resolutions-1-number"] == "1"
    data["minute_items-0-resolutions-1-number"] = "2"
    data["action-publish"] = "action-publish"
    response = officer_client.post(edit_url(minutes), data)
    assert response.status_code == 302
    assert [(r.number, r.text) for r in Resolution.objects.order_by("sort_order")] == [
        (1, "A."),
        (2, "B."),
    ]


def test_board_members_do_not_see_minutes_awaiting_approval(
    client, django_user_model, november_minutes
):
    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    client.force_login(member)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Draft minutes awaiting approval" not in page_text(response)
