"""Generating obligations: one per period and per receiving board, across years and leap years,
idempotent, and refusing duties that make no sense without creating anything."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from boards.duties import DutyEvent, DutyFrequency, Obligation, ObligationStatusChange
from boards.obligations import (
    duty_periods,
    ensure_obligations,
    generate_obligations,
    period_label,
    shift_months,
)
from tests.boards.test_duties_support import HWB_TITLE, SRP_TITLE, board, make_duty

D = datetime.date


@pytest.fixture
def hwb(board_index):
    return board(board_index, HWB_TITLE, "HWB")


@pytest.fixture
def srp(board_index):
    return board(board_index, SRP_TITLE, "SRP")


@pytest.fixture
def cyppb(board_index):
    return board(board_index, "Children and Young People's Partnership Board", "CYPPB")


@pytest.fixture
def rsab(board_index):
    return board(board_index, "Safeguarding Adults Board", "RSAB")


@pytest.fixture
def rscp(board_index):
    return board(board_index, "Safeguarding Children Partnership", "RSCP")


# Month arithmetic ----------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2016, 1, 31), 1, D(2016, 2, 29)),  # leap year
        (D(2017, 1, 31), 1, D(2017, 2, 28)),
        (D(2016, 2, 29), 12, D(2017, 2, 28)),
        (D(2016, 2, 29), 48, D(2020, 2, 29)),
        (D(2016, 11, 30), 12, D(2017, 11, 30)),
        (D(2016, 8, 31), -6, D(2016, 2, 29)),
        (D(2016, 12, 15), 1, D(2017, 1, 15)),
    ],
)
def test_months_are_shifted_with_the_day_clamped_to_the_month(day, months, expected):
    assert shift_months(day, months) == expected


def test_a_month_end_can_be_kept_a_month_end():
    assert shift_months(D(2016, 6, 30), 6) == D(2016, 12, 30)
    assert shift_months(D(2016, 6, 30), 6, keep_month_end=True) == D(2016, 12, 31)
    assert shift_months(D(2015, 2, 28), 60, keep_month_end=True) == D(2020, 2, 29)


@pytest.mark.parametrize(
    "start, end, frequency, label",
    [
        (D(2016, 9, 1), D(2016, 11, 30), None, "September to November 2016"),
        (D(2016, 4, 1), D(2017, 3, 31), None, "2016-17"),
        (D(2026, 1, 1), D(2026, 12, 31), None, "2026"),
        (D(2016, 10, 1), D(2017, 3, 31), None, "October 2016 to March 2017"),
        (D(2016, 11, 1), D(2016, 11, 30), None, "November 2016"),
        (D(2016, 9, 15), D(2016, 11, 14), None, "15 September to 14 November 2016"),
        (D(2016, 12, 20), D(2017, 3, 19), None, "20 December 2016 to 19 March 2017"),
        (D(2027, 4, 1), D(2027, 6, 30), DutyFrequency.QUARTERLY, "Quarter to 30 June 2027"),
        (None, D(2027, 12, 31), None, "By 31 December 2027"),
    ],
)
def test_periods_are_named_as_people_name_them(start, end, frequency, label):
    assert period_label(start, end, frequency=frequency) == label


# Recurring duties ----------


def test_an_annual_duty_yields_one_obligation_a_year_per_receiving_board(hwb, srp, rsab):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb, srp])
    obligations = generate_obligations(duty, until=D(2020, 12, 31))
    assert len(obligations) == 10
    windows = sorted({(o.window_start, o.window_end) for o in obligations})
    assert windows == [(D(year, 9, 1), D(year, 11, 30)) for year in range(2016, 2021)]
    assert {o.period_label for o in obligations if o.window_end.year == 2018} == {
        "September to November 2018"
    }
    assert {o.receiver for o in obligations if o.window_end.year == 2019} == {hwb, srp}
    assert all(o.receiver_body == "" for o in obligations)


def test_one_autumn_of_the_protocol_yields_five_presentations(hwb, srp, cyppb, rsab, rscp):
    adults = make_duty(from_boards=[rsab], to_boards=[hwb, srp])
    children = make_duty(
        "Safeguarding Children Partnership annual report",
        from_boards=[rscp],
        to_boards=[hwb, srp, cyppb],
    )
    generate_obligations(adults, until=D(2016, 12, 31))
    generate_obligations(children, until=D(2016, 12, 31))
    autumn = Obligation.objects.filter(window_start=D(2016, 9, 1), window_end=D(2016, 11, 30))
    assert autumn.count() == 5
    assert sorted(o.receiver.title for o in autumn) == sorted(
        [
            HWB_TITLE,
            SRP_TITLE,
            HWB_TITLE,
            SRP_TITLE,
            "Children and Young People's Partnership Board",
        ]
    )


def test_a_window_ending_on_29_february_comes_back_in_leap_years(hwb, rsab):
    duty = make_duty(
        "Winter report",
        from_boards=[rsab],
        to_boards=[hwb],
        start=D(2015, 12, 1),
        end=D(2016, 2, 29),
    )
    obligations = generate_obligations(duty, until=D(2024, 1, 1))
    ends = [o.window_end for o in obligations]
    assert ends == [
        D(2016, 2, 29),
        D(2017, 2, 28),
        D(2018, 2, 28),
        D(2019, 2, 28),
        D(2020, 2, 29),
        D(2021, 2, 28),
        D(2022, 2, 28),
        D(2023, 2, 28),
        D(2024, 2, 29),
    ]
    assert obligations[4].period_label == "December 2019 to February 2020"


def test_a_mid_month_window_is_counted_from_the_first_not_from_the_one_before(hwb, rsab):
    # 30 January + 1 month would be clamped to 28 February, but March is counted from January.
    duty = make_duty(
        "Monthly return",
        from_boards=[rsab],
        to_boards=[hwb],
        frequency=DutyFrequency.EVERY_N_MONTHS,
        interval_months=1,
        start=D(2017, 1, 1),
        end=D(2017, 1, 30),
    )
    ends = [o.window_end for o in generate_obligations(duty, until=D(2017, 3, 31))]
    assert ends == [D(2017, 1, 30), D(2017, 2, 28), D(2017, 3, 30)]


def test_quarterly_windows_end_on_the_last_day_of_each_quarter(hwb):
    duty = make_duty(
        "Better Care Fund quarterly report",
        from_bodies=["Better Care Fund Executive Group"],
        to_boards=[hwb],
        frequency=DutyFrequency.QUARTERLY,
        start=D(2016, 4, 1),
        end=D(2016, 6, 30),
    )
    obligations = generate_obligations(duty, until=D(2017, 6, 30))
    assert [(o.window_start, o.window_end) for o in obligations] == [
        (D(2016, 4, 1), D(2016, 6, 30)),
        (D(2016, 7, 1), D(2016, 9, 30)),
        (D(2016, 10, 1), D(2016, 12, 31)),
        (D(2017, 1, 1), D(2017, 3, 31)),
        (D(2017, 4, 1), D(2017, 6, 30)),
    ]
    assert obligations[2].period_label == "Quarter to 31 December 2016"


def test_twice_yearly_and_every_n_months(hwb, rsab, srp):
    chairs = make_duty(
        "Chairs meet",
        from_boards=[hwb, rsab],
        to_bodies=["Partnership Steering Group"],
        frequency=DutyFrequency.TWICE_YEARLY,
        start=D(2016, 4, 1),
        end=D(2016, 9, 30),
    )
    labels = [o.period_label for o in generate_obligations(chairs, until=D(2017, 12, 31))]
    assert labels == [
        "April to September 2016",
        "October 2016 to March 2017",
        "April to September 2017",
        "October 2017 to March 2018",
    ]
    assert {o.receiver_body for o in chairs.obligations.all()} == {"Partnership Steering Group"}
    every_four = make_duty(
        "Four-monthly update",
        from_boards=[srp],
        to_boards=[hwb],
        frequency=DutyFrequency.EVERY_N_MONTHS,
        interval_months=4,
        start=D(2016, 1, 1),
        end=D(2016, 4, 30),
    )
    assert [o.period_label for o in generate_obligations(every_four, until=D(2016, 12, 31))] == [
        "January to April 2016",
        "May to August 2016",
        "September to December 2016",
    ]


def test_a_recurring_deadline_runs_from_the_day_after_the_previous_one(hwb, srp):
    duty = make_duty(
        "Annual statement",
        from_boards=[srp],
        to_boards=[hwb],
        start=None,
        end=D(2017, 3, 31),
    )
    obligations = generate_obligations(duty, until=D(2018, 12, 31))
    assert [(o.window_start, o.window_end) for o in obligations] == [
        (D(2016, 4, 1), D(2017, 3, 31)),
        (D(2017, 4, 1), D(2018, 3, 31)),
        (D(2018, 4, 1), D(2019, 3, 31)),
    ]
    assert obligations[0].period_label == "2016-17"


def test_periods_stop_at_the_duty_end_and_at_until(hwb, rsab):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb], last_period_end=D(2018, 12, 31))
    assert [o.window_end.year for o in generate_obligations(duty, until=D(2030, 1, 1))] == [
        2016,
        2017,
        2018,
    ]
    open_ended = make_duty("Other report", from_boards=[rsab], to_boards=[hwb])
    # A window is generated once it has opened by `until`.
    assert len(generate_obligations(open_ended, until=D(2019, 8, 31))) == 3
    assert len(generate_obligations(open_ended, until=D(2019, 9, 1))) == 4


# Once and on event ----------


def test_a_duty_done_once_yields_one_obligation(board_index, hwb):
    mhpb = board(board_index, "Mental Health Partnership Board", "MHPB")
    hsc = board(board_index, "Health Select Commission", "HSC")
    duty = make_duty(
        "Mid-point update",
        from_boards=[mhpb],
        to_boards=[hsc],
        frequency=DutyFrequency.ONCE,
        start=D(2027, 7, 1),
        end=D(2027, 12, 31),
    )
    assert generate_obligations(duty, until=D(2027, 6, 30)) == []
    (obligation,) = generate_obligations(duty, until=D(2040, 1, 1))
    assert (obligation.receiver, obligation.window_start, obligation.window_end) == (
        hsc,
        D(2027, 7, 1),
        D(2027, 12, 31),
    )
    assert obligation.period_label == "July to December 2027"
    deadline = make_duty(
        "Deadline", from_boards=[mhpb], to_boards=[hwb], frequency=DutyFrequency.ONCE, start=None
    )
    (due,) = generate_obligations(deadline, until=D(2040, 1, 1))
    assert (due.window_start, due.period_label) == (None, "By 30 November 2016")


def test_an_event_driven_duty_yields_one_obligation_per_event_and_receiver(hwb, srp, rsab):
    duty = make_duty(
        "Refreshed plan shared",
        from_boards=[srp],
        to_boards=[hwb, rsab],
        frequency=DutyFrequency.ON_EVENT,
        start=None,
        end=D(2016, 4, 1),
    )
    assert generate_obligations(duty, until=D(2030, 1, 1)) == []
    DutyEvent.objects.create(duty=duty, happened_on=D(2016, 5, 16), description="Plan published")
    DutyEvent.objects.create(duty=duty, happened_on=D(2017, 4, 3), description="Plan refreshed")
    obligations = generate_obligations(duty, until=D(2016, 1, 1))
    assert len(obligations) == 4
    first = [o for o in obligations if o.event.description == "Plan published"]
    assert {(o.window_start, o.window_end) for o in first} == {(D(2016, 5, 16), D(2016, 8, 16))}
    assert first[0].period_label == "Plan published (16 May 2016)"
    duty.interval_months = 2
    duty.save()
    obligations = generate_obligations(duty, until=D(2016, 1, 1))
    assert {o.window_end for o in obligations} == {D(2016, 7, 16), D(2017, 6, 3)}
    assert Obligation.objects.filter(duty=duty).count() == 4


# Idempotence and edits ----------


def test_generating_again_changes_nothing(hwb, srp, rsab):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb, srp])
    first = generate_obligations(duty, until=D(2026, 12, 31))
    second = generate_obligations(duty, until=D(2026, 12, 31))
    assert [o.pk for o in first] == [o.pk for o in second]
    assert Obligation.objects.filter(duty=duty).count() == 22
    # A shorter horizon later removes nothing generated by a longer one.
    generate_obligations(duty, until=D(2017, 12, 31))
    assert Obligation.objects.filter(duty=duty).count() == 22


def test_an_edited_duty_drops_untouched_obligations_but_keeps_those_with_history(hwb, rsab):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb])
    old = generate_obligations(duty, until=D(2018, 12, 31))
    ObligationStatusChange.objects.create(obligation=old[0], status="missed", reason="Missed")
    duty.first_window_start, duty.first_window_end = D(2016, 10, 1), D(2016, 12, 31)
    duty.save()
    new = generate_obligations(duty, until=D(2018, 12, 31))
    assert [o.window_end for o in new] == [D(2016, 12, 31), D(2017, 12, 31), D(2018, 12, 31)]
    remaining = set(Obligation.objects.filter(duty=duty).values_list("window_end", flat=True))
    assert remaining == {D(2016, 11, 30), D(2016, 12, 31), D(2017, 12, 31), D(2018, 12, 31)}


# Bad input ----------


def test_a_window_that_ends_before_it_starts_is_refused_with_a_clear_message(hwb, rsab):
    duty = make_duty(from_boards=[rsab], to_boards=[hwb], start=D(2016, 11, 30), end=D(2016, 9, 1))
    with pytest.raises(ValidationError) as error:
        generate_obligations(duty, until=D(2020, 1, 1))
    assert "The window ends (1 September 2016) before it starts (30 November 2016)." in str(
        error.value
    )
    assert not Obligation.objects.exists()


def test_a_duty_from_a_board_to_itself_is_refused_and_creates_nothing(hwb, srp):
    duty = make_duty(from_boards=[hwb], to_boards=[hwb, srp])
    with pytest.raises(ValidationError) as error:
        generate_obligations(duty, until=D(2020, 1, 1))
    assert f"A duty cannot run from the {HWB_TITLE} to itself" in " ".join(error.value.messages)
    assert not Obligation.objects.exists()


def test_a_duty_with_nobody_to_receive_it_is_refused(hwb):
    duty = make_duty(from_boards=[hwb])
    with pytest.raises(ValidationError, match="Add at least one board or body the duty runs to"):
        generate_obligations(duty, until=D(2020, 1, 1))


def test_ensure_obligations_skips_a_bad_duty_and_reports_it(hwb, srp, rsab):
    good = make_duty(from_boards=[rsab], to_boards=[hwb, srp])
    bad = make_duty("Self report", from_boards=[srp], to_boards=[srp])
    report = ensure_obligations(until=D(2017, 12, 31))
    assert report.duties == 1
    assert report.obligations == 4
    assert [(duty, " ".join(messages)) for duty, messages in report.refused] == [
        (bad, f"A duty cannot run from the {SRP_TITLE} to itself.")
    ]
    assert Obligation.objects.filter(duty=good).count() == 4
    assert not Obligation.objects.filter(duty=bad).exists()


def test_duty_periods_need_no_saved_rows(hwb):
    duty = make_duty(from_boards=[hwb], to_bodies=["Overview and Scrutiny Management Board"])
    periods = duty_periods(duty, until=D(2017, 9, 1))
    assert [p.label for p in periods] == [
        "September to November 2016",
        "September to November 2017",
    ]
