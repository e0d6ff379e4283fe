"""A board's forward programme: planned items, placeholders for open obligations, placing them on
meetings and turning them into agenda items; and the obligations offered for a meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from boards.duties import ForwardPlanItem, Obligation, ObligationStatus
from boards.forward_programme import (
    forward_programme,
    make_agenda_item,
    place_obligation,
    suggested_obligations,
)
from boards.obligation_status import link_obligation, obligation_status, waive
from boards.obligations import generate_obligations
from meetings.agenda import standard_opening_items
from meetings.factories import london
from meetings.models import AgendaItem, MeetingPage, MeetingStatus, StandardItem
from tests.boards.test_duties_support import (
    HWB_TITLE,
    SRP_TITLE,
    agenda_item,
    board,
    make_duty,
    meeting,
)

D = datetime.date
TODAY = D(2026, 11, 26)
S = ObligationStatus


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
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password="pw")


@pytest.fixture
def duties(hwb, srp, rsab):
    """An annual report (September to November) and a quarterly report, both to the HWB."""
    annual = make_duty(
        from_boards=[rsab],
        to_boards=[hwb, srp],
        presented_by="The independent chair",
        what="Annual report and position statement",
    )
    quarterly = make_duty(
        "Better Care Fund quarterly report",
        from_bodies=["Better Care Fund Executive Group"],
        to_boards=[hwb],
        frequency="quarterly",
        start=D(2026, 4, 1),
        end=D(2026, 6, 30),
    )
    for duty in (annual, quarterly):
        generate_obligations(duty, until=D(2029, 12, 31))
    return annual, quarterly


@pytest.fixture
def meetings(hwb):
    """The HWB's coming meetings: January, March, May, July and September 2027."""
    return {
        month: meeting(hwb, D(2027, month, 13 if month != 9 else 8)) for month in (1, 3, 5, 7, 9)
    }


def ob(duty, window_end, receiver):
    return Obligation.objects.get(duty=duty, window_end=window_end, receiver=receiver)


# The programme ----------


def test_open_obligations_within_a_year_are_placeholders(hwb, duties, meetings):
    annual, quarterly = duties
    programme = forward_programme(hwb, today=TODAY)
    titles = [(p.title, p.obligation.period_label, p.status.status) for p in programme.placeholders]
    assert titles == [
        # Closes in four days with no meeting left: at risk, but still to be placed.
        ("Safeguarding Adults Board annual report", "September to November 2026", S.AT_RISK),
        ("Better Care Fund quarterly report", "Quarter to 31 December 2026", S.AT_RISK),
        ("Better Care Fund quarterly report", "Quarter to 31 March 2027", S.NOT_YET_DUE),
        ("Better Care Fund quarterly report", "Quarter to 30 June 2027", S.NOT_YET_DUE),
        ("Better Care Fund quarterly report", "Quarter to 30 September 2027", S.NOT_YET_DUE),
        ("Safeguarding Adults Board annual report", "September to November 2027", S.NOT_YET_DUE),
        ("Better Care Fund quarterly report", "Quarter to 31 December 2027", S.NOT_YET_DUE),
    ]
    # Each placeholder lists the meetings inside its window.
    autumn = programme.placeholders[5]
    assert autumn.meetings == [meetings[9]]
    assert [plan.meeting for plan in programme.meetings] == list(meetings.values())
    assert all(plan.items == [] for plan in programme.meetings)


def test_obligations_that_are_covered_met_or_waived_are_not_placeholders(
    hwb, duties, meetings, officer
):
    annual, quarterly = duties
    place_obligation(ob(quarterly, D(2027, 3, 31), hwb), meetings[3], today=TODAY)
    link_obligation(
        ob(quarterly, D(2027, 6, 30), hwb),
        agenda_item(meetings[5], 9, "Better Care Fund quarterly report"),
        today=TODAY,
    )
    waive(ob(quarterly, D(2027, 9, 30), hwb), "Reported with the annual plan instead", officer)
    programme = forward_programme(hwb, today=TODAY)
    labels = [p.obligation.period_label for p in programme.placeholders]
    assert "Quarter to 31 March 2027" not in labels
    assert "Quarter to 30 June 2027" not in labels
    assert "Quarter to 30 September 2027" not in labels
    assert "Quarter to 31 December 2026" in labels
    march = next(plan for plan in programme.meetings if plan.meeting == meetings[3])
    assert [(item.title, item.obligation.period_label) for item in march.items] == [
        ("Better Care Fund quarterly report", "Quarter to 31 March 2027")
    ]


def test_items_without_a_meeting_are_listed_as_unscheduled(hwb, duties, meetings):
    ForwardPlanItem.objects.create(board=hwb, title="Loneliness and isolation")
    programme = forward_programme(hwb, today=TODAY)
    assert [item.title for item in programme.unscheduled] == ["Loneliness and isolation"]


def test_the_programme_takes_the_same_queries_however_much_is_planned(
    hwb, duties, meetings, django_assert_max_num_queries
):
    annual, quarterly = duties
    with django_assert_max_num_queries(10):
        small = forward_programme(hwb, today=TODAY)
    for window_end, month in ((D(2027, 3, 31), 3), (D(2027, 6, 30), 5), (D(2027, 9, 30), 7)):
        place_obligation(ob(quarterly, window_end, hwb), meetings[month], today=TODAY)
    for number in range(5):
        ForwardPlanItem.objects.create(board=hwb, title=f"Item {number}", meeting=meetings[1])
    with django_assert_max_num_queries(10):
        large = forward_programme(hwb, today=TODAY)
    assert len(large.placeholders) == len(small.placeholders) - 3


# Placing ----------


def test_placing_an_obligation_creates_one_item_and_moves_it_when_placed_again(
    hwb, duties, meetings
):
    annual, _ = duties
    obligation = ob(annual, D(2027, 11, 30), hwb)
    item = place_obligation(obligation, meetings[9], today=TODAY)
    assert (item.board, item.meeting, item.obligation) == (hwb, meetings[9], obligation)
    assert (item.title, item.lead, item.description) == (
        "Safeguarding Adults Board annual report",
        "The independent chair",
        "Annual report and position statement",
    )
    with pytest.raises(ValidationError) as error:
        place_obligation(obligation, meetings[7], today=TODAY)
    assert error.value.messages == [
        "The meeting of Tuesday 13 July 2027 is outside the window (1 September to 30 November "
        "2027). Give the reason to plan it there anyway."
    ]
    again = place_obligation(
        obligation, meetings[7], reason="The chair is away in the autumn", today=TODAY
    )
    assert again.pk == item.pk
    assert ForwardPlanItem.objects.filter(obligation=obligation).count() == 1
    obligation.refresh_from_db()
    assert obligation.link_reason == "The chair is away in the autumn"


def test_an_obligation_cannot_be_placed_on_another_boards_meeting(hwb, srp, duties, meetings):
    annual, _ = duties
    other = meeting(srp, D(2027, 10, 21))
    with pytest.raises(ValidationError) as error:
        place_obligation(ob(annual, D(2027, 11, 30), hwb), other, today=TODAY)
    assert error.value.messages == [
        f"The meeting of Thursday 21 October 2027 is a meeting of the {SRP_TITLE}; this "
        f"obligation is to the {HWB_TITLE}."
    ]
    assert not ForwardPlanItem.objects.exists()


def test_past_and_called_off_meetings_are_refused(hwb, duties):
    annual, _ = duties
    past = meeting(hwb, D(2026, 11, 11))
    off = meeting(hwb, D(2027, 9, 15), status=MeetingStatus.CANCELLED, status_note="Not quorate")
    obligation = ob(annual, D(2027, 11, 30), hwb)
    with pytest.raises(ValidationError, match="has already taken place"):
        place_obligation(obligation, past, today=TODAY)
    with pytest.raises(ValidationError, match="was cancelled: choose another meeting"):
        place_obligation(obligation, off, today=TODAY)
    assert not ForwardPlanItem.objects.exists()


# Turning a placeholder into an agenda item ----------


def _draft_meeting(hwb, day):
    """An agenda being prepared: saved with the standard items, never published."""
    page = MeetingPage(
        title=f"{HWB_TITLE}, {day.day} {day:%B %Y}",
        slug=f"{day:%Y-%m-%d}",
        start=london(day.year, day.month, day.day),
        venue="Oak House",
        live=False,
    )
    items = standard_opening_items()
    items.append(
        AgendaItem(
            number=len(items) + 1,
            title="Date, time and venue of future meetings",
            kind=StandardItem.FUTURE_MEETINGS,
            section="information",
            sort_order=len(items),
        )
    )
    page.agenda_items = items
    hwb.add_child(instance=page)
    page.save_revision()
    return MeetingPage.objects.get(pk=page.pk)


def test_an_unpublished_meeting_gets_the_item_and_the_link_at_once(hwb, duties, officer):
    annual, _ = duties
    draft = _draft_meeting(hwb, D(2027, 9, 8))
    obligation = ob(annual, D(2027, 11, 30), hwb)
    plan_item = place_obligation(obligation, draft, today=TODAY)
    made = make_agenda_item(plan_item, user=officer, today=TODAY)
    assert not made.pending
    assert made.agenda_item.pk is not None
    titles = [
        (i.number, i.title) for i in AgendaItem.objects.filter(meeting=draft).order_by("sort_order")
    ]
    assert titles[-2:] == [
        (7, "Safeguarding Adults Board annual report"),
        (8, "Date, time and venue of future meetings"),
    ]
    # The draft revision has it too, so editing the agenda in the admin keeps it.
    latest = MeetingPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert [i.title for i in latest.agenda_items.all()][
        -2
    ] == "Safeguarding Adults Board annual report"
    assert made.revision.user == officer
    obligation.refresh_from_db()
    assert obligation.agenda_item == made.agenda_item
    assert made.status.reason == "Planned for item 7 of Wednesday 8 September 2027"
    plan_item.refresh_from_db()
    assert plan_item.agenda_item == made.agenda_item
    with pytest.raises(ValidationError, match="already on the agenda"):
        make_agenda_item(plan_item, user=officer)


def test_a_published_agenda_changes_only_when_the_draft_is_published(hwb, duties, officer):
    annual, _ = duties
    live = meeting(hwb, D(2027, 9, 8))
    agenda_item(live, 1, "Apologies for absence")
    obligation = ob(annual, D(2027, 11, 30), hwb)
    plan_item = place_obligation(obligation, live, today=TODAY)
    made = make_agenda_item(plan_item, user=officer, today=TODAY)
    assert made.pending
    assert made.agenda_item.pk is None
    # The public agenda is as it was; the obligation waits for publication.
    assert [i.title for i in AgendaItem.objects.filter(meeting=live)] == ["Apologies for absence"]
    assert obligation_status(obligation, today=TODAY).status == S.NOT_YET_DUE
    revision = MeetingPage.objects.get(pk=live.pk).latest_revision
    assert revision.pk == made.revision.pk
    revision.publish()
    item = AgendaItem.objects.get(meeting=live, title="Safeguarding Adults Board annual report")
    obligation.refresh_from_db()
    assert obligation.agenda_item == item
    assert obligation_status(obligation, today=TODAY).reason == (
        "Planned for item 2 of Wednesday 8 September 2027"
    )
    plan_item.refresh_from_db()
    assert plan_item.agenda_item == item


def test_an_item_needs_a_meeting(hwb, duties):
    plan_item = ForwardPlanItem.objects.create(board=hwb, title="Loneliness and isolation")
    with pytest.raises(ValidationError, match="Place the item on a meeting first"):
        make_agenda_item(plan_item)


def test_an_item_outside_the_window_needs_the_reason_given_when_placed(hwb, duties):
    annual, _ = duties
    draft = _draft_meeting(hwb, D(2027, 7, 14))
    obligation = ob(annual, D(2027, 11, 30), hwb)
    plan_item = ForwardPlanItem.objects.create(
        board=hwb, title=annual.title, meeting=draft, obligation=obligation
    )
    before = AgendaItem.objects.filter(meeting=draft).count()
    with pytest.raises(ValidationError) as error:
        make_agenda_item(plan_item)
    assert "is outside the window (1 September to 30 November 2027)" in error.value.messages[0]
    assert AgendaItem.objects.filter(meeting=draft).count() == before
    obligation.link_reason = "The chair is away in the autumn"
    obligation.save()
    plan_item.refresh_from_db()
    made = make_agenda_item(plan_item, today=TODAY)
    assert made.status.status == S.PLANNED


# Suggestions when adding an agenda item ----------


def test_a_meeting_is_offered_the_open_obligations_it_could_meet(hwb, srp, duties):
    annual, quarterly = duties
    october = meeting(hwb, D(2027, 10, 13))
    offered = suggested_obligations(october)
    assert [(o.duty.title, o.period_label, o.inside_window) for o in offered] == [
        ("Safeguarding Adults Board annual report", "September to November 2027", True),
        ("Better Care Fund quarterly report", "Quarter to 31 December 2027", True),
        # Near the window, so offered, but linking it will need a reason.
        ("Better Care Fund quarterly report", "Quarter to 30 September 2027", False),
    ]
    # The SRP's obligation is not offered to the HWB; a linked one is not offered again.
    link_obligation(
        ob(annual, D(2027, 11, 30), hwb), agenda_item(october, 9, "SAB annual report"), today=TODAY
    )
    assert [o.period_label for o in suggested_obligations(october)] == [
        "Quarter to 31 December 2027",
        "Quarter to 30 September 2027",
    ]
    srp_meeting = meeting(srp, D(2027, 10, 21))
    assert [(o.receiver, o.period_label) for o in suggested_obligations(srp_meeting)] == [
        (srp, "September to November 2027")
    ]
