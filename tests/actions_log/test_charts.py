"""Actions by board: counting open, overdue and completed actions month by month, and the chart."""

import datetime
import re

import pytest
from django.urls import reverse

from actions_log.charts import build_chart, count_months, figures_by_board, month_ends
from actions_log.models import ActionStatus
from boards.factories import PersonFactory
from meetings.factories import MeetingPageFactory, london

from .admin_builders import action, board, board_officer, member, officer

REPORT = reverse("actions_log_admin:actions_by_board")
TODAY = datetime.date(2017, 3, 15)
D = datetime.date


def test_month_ends_are_the_last_days_and_today():
    ends = month_ends(TODAY)

    assert len(ends) == 12
    assert ends[0] == D(2016, 4, 30)
    assert ends[10] == D(2017, 2, 28)
    assert ends[-1] == TODAY
    assert month_ends(D(2016, 3, 31), 2) == [D(2016, 2, 29), D(2016, 3, 31)]


ROWS = {
    # raised_on, due_on, completed_on, status
    "old, open, no due date": (D(2015, 6, 1), None, None, "open"),
    "completed in January": (D(2016, 11, 16), D(2016, 12, 31), D(2017, 1, 20), "completed"),
    "due 1 February, still open": (D(2017, 1, 11), D(2017, 2, 1), None, "in_progress"),
    "not required from 10 February": (D(2017, 1, 11), None, D(2017, 2, 10), "not_required"),
    "not required, no date": (D(2016, 6, 1), None, None, "not_required"),
}


def figures_as_tuples(figures):
    return {f.month_end: (f.open, f.overdue, f.completed) for f in figures}


def test_counting_at_each_month_end():
    figures = figures_as_tuples(count_months(ROWS.values(), month_ends(TODAY)))

    for month in (D(2016, 4, 30), D(2016, 7, 31), D(2016, 10, 31)):
        assert figures[month] == (1, 0, 0), month
    assert figures[D(2016, 11, 30)] == (2, 0, 0)
    # Due on 31 December is not overdue on 31 December.
    assert figures[D(2016, 12, 31)] == (2, 0, 0)
    # Completed on 20 January: no longer open at the end of January, counted as completed then.
    assert figures[D(2017, 1, 31)] == (3, 0, 1)
    assert figures[D(2017, 2, 28)] == (2, 1, 0)
    assert figures[TODAY] == (2, 1, 0)


def test_an_action_raised_after_a_month_end_does_not_count_then():
    rows = [(D(2017, 2, 1), D(2017, 2, 2), None, "open")]

    figures = figures_as_tuples(count_months(rows, month_ends(TODAY)))

    assert figures[D(2017, 1, 31)] == (0, 0, 0)
    assert figures[D(2017, 2, 28)] == (1, 1, 0)


@pytest.fixture
def boards(board_index):
    return [
        board(board_index, "Health and Wellbeing Board", "HWB"),
        board(board_index, "Safer Rotherham Partnership", "SRP"),
        board(board_index, "Mental Health Partnership Board", "MHPB"),
    ]


def test_figures_by_board_from_the_database_with_next_meeting_due_dates(boards):
    hwb, srp, _mhpb = boards
    kate = PersonFactory()
    MeetingPageFactory(parent=hwb, start=london(2017, 3, 8, 10))
    action(hwb, "Due by the next meeting", [kate], due_by_next_meeting=True)
    action(
        hwb,
        "Done in February",
        [kate],
        status=ActionStatus.COMPLETED,
        completed_on=D(2017, 2, 14),
    )
    action(srp, "Another board's", [kate], due_date=D(2017, 1, 31))

    figures = figures_by_board(boards, today=D(2017, 4, 10))

    hwb_figures = figures_as_tuples(figures[hwb.pk])
    # The next meeting (8 March) is the due date, so overdue at the end of March only.
    assert hwb_figures[D(2017, 1, 31)] == (2, 0, 0)
    assert hwb_figures[D(2017, 2, 28)] == (1, 0, 1)
    assert hwb_figures[D(2017, 3, 31)] == (1, 1, 0)
    assert figures_as_tuples(figures[srp.pk])[D(2017, 2, 28)] == (1, 1, 0)
    assert all(f.open == 0 for f in figures[boards[2].pk])


def test_figures_take_one_query_however_many_boards_and_actions(boards, django_assert_num_queries):
    kate = PersonFactory()
    action(boards[0], "One", [kate])
    with django_assert_num_queries(1):
        figures_by_board(boards[:1], today=TODAY)
    for board_page in boards:
        for n in range(10):
            action(board_page, f"Action {n}", [kate], due_date=D(2017, 2, n + 1))

    with django_assert_num_queries(1):
        figures = figures_by_board(boards, today=TODAY)

    assert figures[boards[1].pk][-1].open == 10


def test_the_chart_is_an_accessible_svg_with_its_figures_in_a_table(
    client, django_user_model, boards
):
    hwb = boards[0]
    action(hwb, "Overdue action", [PersonFactory()], due_date=D(2017, 2, 1))
    client.force_login(officer(django_user_model))

    html = client.get(REPORT).content.decode()

    section = html[html.index(f'id="board-{hwb.pk}-heading"') :]
    section = section[: section.index("</section>")]
    assert 'role="img"' in section
    assert f'aria-labelledby="board-{hwb.pk}-title board-{hwb.pk}-desc"' in section
    assert (
        f'<title id="board-{hwb.pk}-title">Health and Wellbeing Board: open, overdue and '
        "completed actions over the last year</title>"
    ) in section
    assert re.search(r"<desc id=\"board-\d+-desc\">.*1 open, 1 overdue", section)
    assert "<summary>Show the figures as a table" in section
    assert section.count('<th scope="row">') == 12
    # Three series, each with its own marker shape as well as colour.
    assert section.count("<polyline") == 3
    assert section.count("<circle") == 12
    assert section.count("<rect x=") >= 12


def test_the_description_gives_the_latest_figures():
    figures = count_months([(D(2017, 1, 11), D(2017, 2, 1), None, "open")], month_ends(TODAY))

    chart = build_chart("c", "Health and Wellbeing Board", figures)

    assert "April 2016 to March 2017" in chart.description
    assert "On 15 March 2017: 1 open, 1 overdue; 0 completed in March" in chart.description


def test_a_board_officer_sees_only_their_board(client, django_user_model, boards):
    client.force_login(board_officer(django_user_model, boards[1]))

    response = client.get(REPORT)

    assert response.status_code == 200
    assert [entry["board"] for entry in response.context["boards"]] == [boards[1]]


def test_board_members_cannot_see_the_report(client, django_user_model, boards):
    client.force_login(member(django_user_model, "kate", "Kate", "Green", boards=boards[:1]))

    response = client.get(REPORT)

    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert response.status_code in (302, 403)
    assert 'role="img"' not in response.content.decode()


def test_the_report_queries_do_not_grow_with_boards_or_actions(
    client, django_user_model, boards, django_assert_max_num_queries
):
    kate = PersonFactory()
    action(boards[0], "One", [kate])
    client.force_login(officer(django_user_model))
    with django_assert_max_num_queries(30) as few:
        assert client.get(REPORT).status_code == 200
    for board_page in boards:
        for n in range(20):
            action(board_page, f"Action {n}", [kate], due_date=D(2017, 2, 1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REPORT)

    assert len(response.context["boards"]) == 3
