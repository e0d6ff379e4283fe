"""Every status of an obligation with its reason, derived in a fixed number of queries; the
history of changes; linking, waiving and recording evidence, and the bad input each refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.duties import Obligation, ObligationStatus, ObligationStatusChange
from boards.obligation_status import (
    link_obligation,
    obligation_status,
    obligation_statuses,
    record_met,
    record_status_changes,
    reinstate,
    unlink_obligation,
    waive,
)
from boards.obligations import generate_obligations
from meetings.models import MeetingStatus
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


def obligation_of(duty, window_end, receiver=None):
    queryset = Obligation.objects.filter(duty=duty, window_end=window_end)
    if receiver is not None:
        queryset = queryset.filter(receiver=receiver)
    return queryset.get()


@pytest.fixture
def annual_report(hwb, rsab):
    """The SAB's annual report to the HWB, September to November, 2016 to 2028."""
    duty = make_duty(from_boards=[rsab], to_boards=[hwb])
    generate_obligations(duty, until=D(2028, 12, 31))
    return duty


def status_of(duty, window_end, today=TODAY):
    return obligation_status(obligation_of(duty, window_end), today=today)


# Each status and its reason ----------


def test_met_by_the_minute_of_the_published_minutes(hwb, annual_report):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Rotherham Safeguarding Adult Board 2015-16 Annual Report")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    link_obligation(obligation, item, today=D(2016, 11, 1))
    assert status_of(annual_report, D(2016, 11, 30), today=D(2016, 11, 20)).status == S.PLANNED

    minutes = minutes_for(november, [(45, "ROTHERHAM SAFEGUARDING ADULT BOARD", item)])
    result = status_of(annual_report, D(2016, 11, 30))
    assert (result.status, result.reason) == (S.MET, "Met by minute 45 of 16 November 2016")
    assert result.label == "Met"
    assert result.agenda_item == item
    assert result.minutes.pk == minutes.pk
    assert result.minutes_url.endswith(f"{minutes.url_path.split('/', 2)[2]}#minute-45")


def test_unpublished_minutes_do_not_meet_it(hwb, annual_report):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Safeguarding Adults Board annual report")
    link_obligation(obligation_of(annual_report, D(2016, 11, 30)), item, today=D(2016, 11, 1))
    minutes = minutes_for(november, [(45, "SAFEGUARDING ADULTS BOARD", item)])
    minutes.unpublish()
    result = status_of(annual_report, D(2016, 11, 30))
    assert (result.status, result.reason) == (
        S.PLANNED,
        "Taken as item 12 of Wednesday 16 November 2016; the minutes are not published yet",
    )


def test_met_at_the_meeting_when_no_minute_names_the_item(hwb, annual_report):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Safeguarding Adults Board annual report")
    link_obligation(obligation_of(annual_report, D(2016, 11, 30)), item, today=D(2016, 11, 1))
    minutes_for(november, [(45, "OTHER BUSINESS", None)])
    assert status_of(annual_report, D(2016, 11, 30)).reason == (
        "Met at the meeting of 16 November 2016 (item 12)"
    )


def test_met_on_a_date_recorded_for_a_body_that_is_not_a_board_here(srp, officer):
    duty = make_duty(
        "Quarterly report to scrutiny",
        from_boards=[srp],
        to_bodies=["Overview and Scrutiny Management Board"],
    )
    (obligation,) = generate_obligations(duty, until=D(2016, 12, 31))
    result = record_met(
        obligation,
        met_on=D(2016, 10, 3),
        evidence_note="Report to OSMB, 3 October 2016",
        user=officer,
        today=D(2016, 12, 1),
    )
    assert (result.status, result.reason) == (S.MET, "Met on 3 October 2016")
    change = obligation.status_changes.get()
    assert (change.status, change.user) == (S.MET, officer)


def test_planned_for_an_item_of_a_future_meeting(hwb, annual_report):
    autumn = meeting(hwb, D(2027, 9, 8))
    item = agenda_item(autumn, 12, "Safeguarding Adults Board annual report 2026-27")
    link_obligation(obligation_of(annual_report, D(2027, 11, 30)), item, today=TODAY)
    result = status_of(annual_report, D(2027, 11, 30))
    assert (result.status, result.reason) == (
        S.PLANNED,
        "Planned for item 12 of Wednesday 8 September 2027",
    )
    assert result.public_item_title == "Safeguarding Adults Board annual report 2026-27"


def test_an_exempt_or_unpublished_item_has_no_public_title(hwb, annual_report):
    autumn = meeting(hwb, D(2027, 9, 8))
    item = agenda_item(
        autumn,
        12,
        "Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Prices",
    )
    link_obligation(obligation_of(annual_report, D(2027, 11, 30)), item, today=TODAY)
    assert status_of(annual_report, D(2027, 11, 30)).public_item_title == ""
    item.is_exempt = False
    item.save()
    autumn.unpublish()
    assert status_of(annual_report, D(2027, 11, 30)).public_item_title == ""


def test_missed_when_the_window_closed_without_it(annual_report):
    result = status_of(annual_report, D(2018, 11, 30))
    assert (result.status, result.reason) == (
        S.MISSED,
        "Window closed on 30 November 2018 and it was not met",
    )
    assert not result.is_open


def test_at_risk_when_no_meeting_of_the_board_falls_in_a_future_window(hwb, annual_report):
    meeting(hwb, D(2027, 7, 14))
    meeting(hwb, D(2028, 1, 12))
    result = status_of(annual_report, D(2027, 11, 30))
    assert (result.status, result.reason) == (
        S.AT_RISK,
        f"No meeting of the {HWB_TITLE} falls between 1 September and 30 November 2027",
    )
    assert result.is_open


def test_a_future_window_is_not_at_risk_before_the_board_has_set_its_dates(hwb, annual_report):
    meeting(hwb, D(2027, 7, 14))
    result = status_of(annual_report, D(2027, 11, 30))
    assert (result.status, result.reason) == (S.NOT_YET_DUE, "Window opens on 1 September 2027")


def test_a_cancelled_meeting_does_not_count(hwb, annual_report):
    meeting(hwb, D(2027, 10, 13), status=MeetingStatus.CANCELLED, status_note="Not quorate")
    meeting(hwb, D(2028, 1, 12))
    assert status_of(annual_report, D(2027, 11, 30)).status == S.AT_RISK


def test_at_risk_when_no_meeting_is_left_in_an_open_window(hwb, annual_report):
    meeting(hwb, D(2026, 11, 11))
    meeting(hwb, D(2027, 1, 13))
    result = status_of(annual_report, D(2026, 11, 30))
    assert (result.status, result.reason) == (
        S.AT_RISK,
        f"No meeting of the {HWB_TITLE} is left in the window, which closes on 30 November 2026",
    )


def test_at_risk_when_the_window_closes_within_four_weeks_with_nothing_planned(hwb, annual_report):
    meeting(hwb, D(2026, 11, 28))
    result = status_of(annual_report, D(2026, 11, 30), today=D(2026, 11, 2))
    assert (result.status, result.reason) == (
        S.AT_RISK,
        "Window closes on 30 November 2026 and nothing is planned",
    )
    # Four weeks and a day before the close it is only due, with the next meeting named.
    result = status_of(annual_report, D(2026, 11, 30), today=D(2026, 11, 1))
    assert (result.status, result.reason) == (
        S.DUE,
        f"Window open until 30 November 2026; the {HWB_TITLE} next meets on Saturday 28 November "
        "2026",
    )


def test_due_while_the_window_is_open(hwb, annual_report):
    result = status_of(annual_report, D(2026, 11, 30), today=D(2026, 9, 20))
    assert (result.status, result.reason) == (
        S.DUE,
        f"Window open until 30 November 2026; no meeting of the {HWB_TITLE} is scheduled in it yet",
    )


def test_due_by_a_deadline_for_a_body_that_is_not_a_board_here(srp):
    duty = make_duty(
        "Report to scrutiny",
        from_boards=[srp],
        to_bodies=["Overview and Scrutiny Management Board"],
        start=None,
        end=D(2027, 3, 31),
        frequency="once",
    )
    (obligation,) = generate_obligations(duty, until=D(2030, 1, 1))
    result = obligation_status(obligation, today=TODAY)
    assert (result.status, result.reason) == (S.DUE, "Due by 31 March 2027")
    result = obligation_status(obligation, today=D(2027, 3, 10))
    assert (result.status, result.reason) == (
        S.AT_RISK,
        "Window closes on 31 March 2027 and nothing is planned",
    )
    result = obligation_status(obligation, today=D(2027, 4, 1))
    assert (result.status, result.reason) == (
        S.MISSED,
        "The deadline of 31 March 2027 passed and it was not met",
    )


def test_not_yet_due_before_the_window_opens(annual_report):
    result = status_of(annual_report, D(2027, 11, 30))
    assert (result.status, result.reason) == (S.NOT_YET_DUE, "Window opens on 1 September 2027")


def test_waived_with_its_reason_beats_everything(hwb, annual_report, officer):
    obligation = obligation_of(annual_report, D(2018, 11, 30))
    result = waive(obligation, "  The board met jointly with the SAB instead. ", officer)
    assert (result.status, result.reason) == (
        S.WAIVED,
        "Waived: The board met jointly with the SAB instead.",
    )
    obligation.refresh_from_db()
    assert (obligation.waived_by, obligation.waived_reason) == (
        officer,
        "The board met jointly with the SAB instead.",
    )
    assert obligation.waived_at is not None
    result = reinstate(obligation, officer)
    assert result.status == S.MISSED
    assert [c.status for c in obligation.status_changes.all()] == [S.WAIVED, S.MISSED]


def test_a_called_off_meeting_turns_a_plan_into_a_risk(hwb, annual_report):
    autumn = meeting(hwb, D(2027, 9, 8))
    meeting(hwb, D(2028, 1, 12))
    item = agenda_item(autumn, 12, "Safeguarding Adults Board annual report")
    link_obligation(obligation_of(annual_report, D(2027, 11, 30)), item, today=TODAY)
    autumn.status = MeetingStatus.CANCELLED
    autumn.save()
    result = status_of(annual_report, D(2027, 11, 30))
    assert (result.status, result.reason) == (
        S.AT_RISK,
        "The meeting of Wednesday 8 September 2027 it was planned for was cancelled and no other "
        f"meeting of the {HWB_TITLE} is left in the window",
    )


# Queries ----------


def _many_obligations(hwb, srp, rsab, count):
    """`count` obligations to two boards, some planned, some met by published minutes."""
    duty = make_duty(
        "Monthly report",
        from_boards=[rsab],
        to_boards=[hwb, srp],
        frequency="every_n_months",
        interval_months=1,
        start=D(2024, 1, 1),
        end=D(2024, 1, 31),
    )
    generate_obligations(duty, until=D(2024, 1, 1) + datetime.timedelta(days=31 * (count // 2)))
    obligations = list(Obligation.objects.filter(duty=duty).order_by("window_end", "pk"))[:count]
    for index, obligation in enumerate(obligations[: count // 2]):
        day = obligation.window_start + datetime.timedelta(days=10)
        held = meeting(obligation.receiver, day)
        item = agenda_item(held, 8, f"Monthly report {index}")
        link_obligation(obligation, item, today=D(2024, 1, 1))
        if index % 2:
            minutes_for(held, [(index + 1, "MONTHLY REPORT", item)])
    for board_page in (hwb, srp):
        meeting(board_page, D(2026, 12, 2))
    return obligations


@pytest.mark.parametrize("count", [5, 50])
def test_statuses_take_the_same_few_queries_for_5_or_50_obligations(
    hwb, srp, rsab, count, django_assert_max_num_queries
):
    obligations = _many_obligations(hwb, srp, rsab, count)
    with django_assert_max_num_queries(6):
        statuses = obligation_statuses(
            Obligation.objects.filter(pk__in=[o.pk for o in obligations]), today=TODAY
        )
    assert len(statuses) == count
    found = {result.status for result in statuses.values()}
    assert {S.MET, S.PLANNED, S.MISSED} <= found


def test_the_query_count_does_not_grow_with_the_obligations(hwb, srp, rsab):
    obligations = _many_obligations(hwb, srp, rsab, 50)
    counts = []
    for subset in (obligations[:5] + obligations[-2:], obligations):
        with CaptureQueriesContext(connection) as queries:
            obligation_statuses(subset, today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# History ----------


def test_status_changes_are_recorded_once_and_never_deleted(hwb, annual_report):
    first = record_status_changes(TODAY, obligations=Obligation.objects.filter(duty=annual_report))
    assert len(first) == Obligation.objects.filter(duty=annual_report).count() == 13
    assert record_status_changes(TODAY) == []
    autumn = meeting(hwb, D(2027, 9, 8))
    link_obligation(
        obligation_of(annual_report, D(2027, 11, 30)),
        agenda_item(autumn, 12, "Safeguarding Adults Board annual report"),
        today=TODAY,
    )
    assert record_status_changes(TODAY) == []  # the link recorded its own change
    # The next year the 2027 window opens and the 2026 one closes.
    later = record_status_changes(D(2027, 12, 1))
    assert {(c.obligation.window_end, c.status) for c in later} == {(D(2026, 11, 30), S.MISSED)}
    history = obligation_of(annual_report, D(2027, 11, 30)).status_changes.all()
    assert [(c.status, c.reason) for c in history] == [
        (S.NOT_YET_DUE, "Window opens on 1 September 2027"),
        (S.PLANNED, "Planned for item 12 of Wednesday 8 September 2027"),
    ]


# Linking and its bad input ----------


def test_linking_copies_the_evidence_and_records_who_did_it(hwb, annual_report, officer):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Safeguarding Adults Board 2015-16 Annual Report")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    link_obligation(obligation, item, user=officer, today=D(2016, 11, 1))
    obligation.refresh_from_db()
    assert obligation.agenda_item == item
    assert obligation.evidence_title == "Safeguarding Adults Board 2015-16 Annual Report"
    assert obligation.evidence_date == D(2016, 11, 16)
    assert obligation.evidence_url == november.url
    change = obligation.status_changes.get()
    assert (change.status, change.user, change.reason) == (
        S.PLANNED,
        officer,
        "Planned for item 12 of Wednesday 16 November 2016",
    )


def test_an_item_of_another_board_needs_a_reason(hwb, srp, annual_report, officer):
    other = meeting(srp, D(2016, 10, 20))
    item = agenda_item(other, 5, "Safeguarding Adults Board annual report")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    with pytest.raises(ValidationError) as error:
        link_obligation(obligation, item, user=officer)
    assert error.value.messages == [
        f"Item 5 of Thursday 20 October 2016 is business of the {SRP_TITLE}, not of the "
        f"{HWB_TITLE}.",
        "Give the reason to link it anyway.",
    ]
    obligation.refresh_from_db()
    assert (obligation.agenda_item, obligation.evidence_title) == (None, "")
    assert not ObligationStatusChange.objects.exists()

    link_obligation(obligation, item, reason="Joint meeting of both boards", user=officer)
    obligation.refresh_from_db()
    assert (obligation.agenda_item, obligation.link_reason) == (
        item,
        "Joint meeting of both boards",
    )
    assert obligation.status_changes.get().reason.endswith(
        "Linked with the reason: Joint meeting of both boards"
    )


def test_an_item_outside_the_window_needs_a_reason(hwb, annual_report):
    january = meeting(hwb, D(2017, 1, 11))
    item = agenda_item(january, 9, "Safeguarding Adults Board annual report")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    with pytest.raises(ValidationError) as error:
        link_obligation(obligation, item, reason="   ")
    assert error.value.messages == [
        "The meeting of Wednesday 11 January 2017 is outside the window (1 September to 30 "
        "November 2016).",
        "Give the reason to link it anyway.",
    ]
    assert Obligation.objects.get(pk=obligation.pk).agenda_item is None
    result = link_obligation(obligation, item, reason="The November meeting ran out of time")
    assert result.status == S.PLANNED


def test_an_item_of_a_cancelled_meeting_cannot_be_linked(hwb, annual_report):
    called_off = meeting(hwb, D(2016, 11, 16), status=MeetingStatus.CANCELLED, status_note="x")
    item = agenda_item(called_off, 12, "Safeguarding Adults Board annual report")
    with pytest.raises(ValidationError, match="was cancelled: link an item of a meeting"):
        link_obligation(obligation_of(annual_report, D(2016, 11, 30)), item, reason="Anyway")


def test_unlinking_keeps_the_history(hwb, annual_report, officer):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Wrong item")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    link_obligation(obligation, item, today=D(2016, 11, 1))
    result = unlink_obligation(obligation, user=officer, today=D(2016, 12, 1))
    assert result.status == S.MISSED
    assert [(c.status, c.reason) for c in obligation.status_changes.all()] == [
        (S.PLANNED, "Planned for item 12 of Wednesday 16 November 2016"),
        (
            S.MISSED,
            "Window closed on 30 November 2016 and it was not met. Unlinked from 'Wrong item'",
        ),
    ]


def test_waiving_needs_a_reason(annual_report, officer):
    obligation = obligation_of(annual_report, D(2018, 11, 30))
    with pytest.raises(ValidationError, match="Give the reason the obligation is waived"):
        waive(obligation, "  ", officer)
    obligation.refresh_from_db()
    assert (obligation.waived_reason, obligation.waived_at) == ("", None)
    assert not obligation.status_changes.exists()


def test_recording_met_needs_a_date_and_the_evidence(srp):
    duty = make_duty("Report to scrutiny", from_boards=[srp], to_bodies=["OSMB"])
    (obligation,) = generate_obligations(duty, until=D(2016, 12, 31))
    with pytest.raises(ValidationError) as error:
        record_met(obligation, met_on=D(2030, 1, 1), evidence_note="", today=TODAY)
    assert error.value.message_dict == {
        "met_on": ["The date it was met cannot be in the future."],
        "evidence_note": ["Say what shows it was met (e.g. the report and where it is)."],
    }
    obligation.refresh_from_db()
    assert obligation.met_on is None


# A deleted meeting ----------


def test_a_met_obligation_keeps_its_evidence_and_history_when_the_meeting_goes(hwb, annual_report):
    november = meeting(hwb, D(2016, 11, 16))
    item = agenda_item(november, 12, "Rotherham Safeguarding Adult Board 2015-16 Annual Report")
    obligation = obligation_of(annual_report, D(2016, 11, 30))
    link_obligation(obligation, item, today=D(2016, 11, 1))
    minutes = minutes_for(november, [(45, "SAFEGUARDING ADULT BOARD ANNUAL REPORT", item)])
    record_status_changes(TODAY, obligations=Obligation.objects.filter(pk=obligation.pk))
    obligation.refresh_from_db()
    assert obligation.evidence_title == (
        "Minute 45: Rotherham Safeguarding Adult Board 2015-16 Annual Report"
    )
    assert obligation.evidence_url.endswith("#minute-45")
    assert minutes.url_path.rstrip("/").rsplit("/", 1)[-1] in obligation.evidence_url

    november.delete()  # as from the shell: the admin refuses (see test_duties_admin.py)
    obligation.refresh_from_db()
    assert obligation.agenda_item is None
    assert obligation.evidence_title.startswith("Minute 45")
    result = obligation_status(obligation, today=TODAY)
    assert result.status == S.MET
    assert result.reason == (
        "Met on 16 November 2016 (Minute 45: Rotherham Safeguarding Adult Board 2015-16 Annual "
        "Report); the meeting's page has since been removed"
    )
    assert (
        record_status_changes(TODAY, obligations=Obligation.objects.filter(pk=obligation.pk)) == []
    )
    assert [c.status for c in obligation.status_changes.all()] == [S.PLANNED, S.MET]
