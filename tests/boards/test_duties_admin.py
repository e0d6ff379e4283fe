"""Bad input in the admin: a duty's parties checked together by its form, and deletions that
would lose the evidence that a duty was met (or break a duty) refused with a clear message."""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList

from boards.duties import Duty, DutyForm, DutyParty, Obligation, PartyRole, check_parties
from boards.obligation_status import link_obligation, obligation_status
from boards.obligations import generate_obligations
from meetings.models import MeetingPage
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
def admin_client_(client, django_user_model):
    """A superuser: democratic services do not delete pages, but an administrator might."""
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


# The duty form ----------


def duty_form_class():
    handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("what"),
            FieldPanel("frequency"),
            FieldPanel("first_window_start"),
            FieldPanel("first_window_end"),
            InlinePanel(
                "parties",
                panels=[FieldPanel("role"), FieldPanel("board"), FieldPanel("body_name")],
            ),
        ]
    ).bind_to_model(Duty)
    return handler.get_form_class()


def form_data(parties, start="2016-09-01", end="2016-11-30"):
    data = {
        "title": "Safeguarding Adults Board annual report",
        "slug": "sab-annual-report",
        "what": "Annual report",
        "frequency": "annual",
        "first_window_start": start,
        "first_window_end": end,
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, (role, board_page, body_name) in enumerate(parties):
        data.update(
            {
                f"parties-{index}-role": role,
                f"parties-{index}-board": str(board_page.pk) if board_page else "",
                f"parties-{index}-body_name": body_name,
                f"parties-{index}-ORDER": str(index + 1),
                f"parties-{index}-id": "",
            }
        )
    return data


def test_the_duty_admin_form_is_a_duty_form():
    assert issubclass(duty_form_class(), DutyForm)


def test_a_duty_from_a_board_to_itself_is_refused_by_the_form(hwb, srp, django_user_model):
    user = django_user_model.objects.create_superuser("a", "a@example.org", "pw")
    form = duty_form_class()(
        form_data([("from", hwb, ""), ("to", hwb, ""), ("to", srp, "")]),
        instance=Duty(),
        for_user=user,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == [f"A duty cannot run from the {HWB_TITLE} to itself."]
    assert not Duty.objects.exists()


def test_a_window_that_ends_before_it_starts_is_refused_by_the_form(hwb, srp, django_user_model):
    user = django_user_model.objects.create_superuser("a", "a@example.org", "pw")
    form = duty_form_class()(
        form_data([("from", hwb, ""), ("to", srp, "")], start="2016-11-30", end="2016-09-01"),
        instance=Duty(),
        for_user=user,
    )
    assert not form.is_valid()
    assert form.errors["first_window_end"] == [
        "The window ends (1 September 2016) before it starts (30 November 2016)."
    ]


def test_a_good_duty_saves_with_its_parties(hwb, srp, django_user_model):
    user = django_user_model.objects.create_superuser("a", "a@example.org", "pw")
    form = duty_form_class()(
        form_data([("from", hwb, ""), ("to", srp, ""), ("to", None, "Scrutiny")]),
        instance=Duty(),
        for_user=user,
    )
    assert form.is_valid(), form.errors
    duty = form.save()
    assert [(p.role, p.name) for p in duty.parties.all()] == [
        ("from", HWB_TITLE),
        ("to", SRP_TITLE),
        ("to", "Scrutiny"),
    ]


def test_check_parties_lists_every_problem(hwb, srp):
    parties = [
        DutyParty(role=PartyRole.FROM, board=hwb),
        DutyParty(role=PartyRole.TO, board=hwb),
        DutyParty(role=PartyRole.TO, board=srp),
        DutyParty(role=PartyRole.TO, board=srp),
        DutyParty(role=PartyRole.TO, board=srp, body_name="Also a body"),
    ]
    with pytest.raises(Exception) as error:
        check_parties(Duty(title="Report"), parties)
    assert error.value.messages == [
        f"The {SRP_TITLE} is listed twice as 'to'.",
        "Each board or body needs a board chosen or a body named (not both).",
        f"A duty cannot run from the {HWB_TITLE} to itself.",
    ]


# Deleting pages ----------


@pytest.fixture
def met(hwb, rsab):
    """The SAB's 2015-16 report to the HWB, met by minute 45 of 16 November 2016."""
    duty = make_duty(from_boards=[rsab], to_boards=[hwb])
    generate_obligations(duty, until=D(2016, 12, 31))
    obligation = Obligation.objects.get(duty=duty)
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Rotherham Safeguarding Adult Board 2015-16 Annual Report")
    link_obligation(obligation, item, today=D(2016, 11, 1))
    minutes = minutes_for(november, [(45, "SAFEGUARDING ADULT BOARD ANNUAL REPORT", item)])
    assert obligation_status(obligation).status == "met"
    return obligation, november, minutes


def messages_of(response):
    """The admin's messages as text (Wagtail stores them escaped)."""
    return [html.unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]


def delete(client, page, follow=True):
    return client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)), follow=follow)


def test_a_meeting_that_evidences_a_met_obligation_is_not_deleted(admin_client_, met):
    obligation, november, minutes = met
    response = delete(admin_client_, november)
    assert MeetingPage.objects.filter(pk=november.pk).exists()
    assert messages_of(response) == [
        f"'{november.title}' was not deleted: its agenda item 'Rotherham Safeguarding Adult "
        "Board 2015-16 Annual Report' of 16 November 2016 is the evidence that 'Safeguarding "
        f"Adults Board annual report' to the {HWB_TITLE} (September to November 2016) was met "
        "(met by minute 45 of 16 November 2016). Unlink the obligation first if that evidence "
        "is wrong."
    ]
    # Its minutes cannot be deleted either, nor can the page be opened for deletion.
    delete(admin_client_, minutes)
    assert type(minutes).objects.filter(pk=minutes.pk).exists()
    response = admin_client_.get(reverse("wagtailadmin_pages:delete", args=(november.pk,)))
    assert response.status_code == 302


def test_a_meeting_whose_item_is_only_planned_can_be_deleted_and_keeps_the_history(
    admin_client_, hwb, rsab
):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb])
    generate_obligations(duty, until=D(2027, 12, 31))
    obligation = Obligation.objects.get(duty=duty, window_end=D(2027, 11, 30))
    autumn = meeting(hwb, D(2027, 9, 8))
    link_obligation(obligation, agenda_item(autumn, 12, "SAB annual report"))
    delete(admin_client_, autumn)
    assert not MeetingPage.objects.filter(pk=autumn.pk).exists()
    obligation.refresh_from_db()
    assert (obligation.agenda_item, obligation.evidence_title) == (None, "SAB annual report")
    assert obligation.status_changes.count() == 1


def test_a_board_that_is_party_to_a_duty_is_not_deleted(admin_client_, hwb, rsab):
    make_duty(from_boards=[rsab], to_boards=[hwb])
    response = delete(admin_client_, rsab)
    assert type(rsab).objects.filter(pk=rsab.pk).exists()
    assert messages_of(response) == [
        f"'{rsab.title}' was not deleted: it includes a board that is a party to duties between "
        "boards (Safeguarding Adults Board annual report). Remove the board from those duties "
        "first."
    ]


def test_a_meeting_without_evidence_is_deleted_as_usual(admin_client_, hwb):
    ordinary = meeting(hwb, D(2027, 3, 10))
    delete(admin_client_, ordinary)
    assert not MeetingPage.objects.filter(pk=ordinary.pk).exists()
