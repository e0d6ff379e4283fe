"""The rules minutes keep: numbering across the municipal year, resolutions, approval, citations.

Each rule is checked on minutes as they are about to be saved (`find_problems`), with the exact
message an officer sees; the editor tests (test_minutes_admin.py) show where those messages go.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from boards.factories import BoardPageFactory
from boards.models import DEMOCRATIC_SERVICES_GROUP
from meetings.factories import MeetingPageFactory, london
from meetings.minute_rules import ProposedMinute, check_minutes, find_problems, record_citations
from meetings.minutes import MinuteItem, MinutesPage, Resolution
from tests.meetings.minutes_helpers import (
    add_url,
    draft_minutes,
    minute_row,
    minutes_form_data,
    publish_minutes,
)


@pytest.fixture
def board(board_index):
    # May is the default start of the municipal year.
    return BoardPageFactory(
        parent=board_index, title="Health and Wellbeing Board", short_name="HWB"
    )


def meeting_on(board, year, month, day):
    return MeetingPageFactory(parent=board, start=london(year, month, day))


def minutes_with(numbers, resolutions=None):
    """Minute items numbered as given (None for blank), the first with these resolutions."""
    items = [MinuteItem(number=n, heading=f"ITEM {n}") for n in numbers]
    if resolutions is not None:
        items[0].resolutions = [Resolution(number=r, text=f"That {r}.") for r in resolutions]
    return items


def check(meeting, items, pk=None):
    """(problems as messages, the proposal after numbering) for unsaved minutes of `meeting`."""
    minutes = MinutesPage(pk=pk, meeting=meeting, board_id=meeting.get_parent().pk)
    proposed = [ProposedMinute(item=i, resolutions=list(i.resolutions.all())) for i in items]
    return [p.message for p in find_problems(minutes, proposed)], proposed


def numbers(proposed):
    return [p.item.number for p in proposed]


# Resolutions ------------------------------------------------------------------------------


def test_a_resolution_number_used_twice_in_a_minute(board):
    meeting = meeting_on(board, 2017, 1, 11)
    problems, _ = check(meeting, minutes_with([48], resolutions=[1, 2, 2]))
    assert problems == [
        "Minute 48: resolution (2) is used twice. Number each resolution of a minute once: "
        "(1), (2)…"
    ]


def test_blank_resolution_numbers_follow_on_and_may_repeat_across_minutes(board):
    meeting = meeting_on(board, 2017, 1, 11)
    items = minutes_with([48, 49], resolutions=[None, None, 5, None])
    items[1].resolutions = [Resolution(text="That it be noted.")]
    problems, proposed = check(meeting, items)
    assert problems == []
    assert [r.number for r in proposed[0].resolutions] == [1, 2, 5, 6]
    assert [r.number for r in proposed[1].resolutions] == [1]


# Minute numbers within a meeting ------------------------------------------------------------


def test_a_minute_number_used_twice_in_a_meeting(board):
    meeting = meeting_on(board, 2017, 1, 11)
    problems, _ = check(meeting, minutes_with([48, 49, 49]))
    assert problems == [
        "Minute 49 is used twice in these minutes. Give each minute its own number, or leave "
        "the number blank to follow on from the minute before."
    ]


def test_a_minute_number_going_backwards(board):
    meeting = meeting_on(board, 2017, 1, 11)
    problems, _ = check(meeting, minutes_with([48, 50, 49]))
    assert problems == [
        "Minute 49 is listed after minute 50: minute numbers must go up in the order the "
        "minutes are listed. Renumber it, or move it up the list."
    ]


def test_gaps_are_allowed(board):
    # Real minutes skip numbers, e.g. for items taken in private.
    meeting = meeting_on(board, 2017, 1, 11)
    assert check(meeting, minutes_with([48, 50, 57]))[0] == []


# Numbering across meetings and the municipal year -------------------------------------------


@pytest.fixture
def hwb_year(board):
    """HWB's 2016/17 municipal year: November reached 47; March will start at 58."""
    november = meeting_on(board, 2016, 11, 16)
    publish_minutes(november, minutes_with([36, 47]))
    march = meeting_on(board, 2017, 3, 8)
    publish_minutes(march, minutes_with([58, 59]))
    return board


def test_unnumbered_minutes_follow_the_last_minute_of_the_earlier_meeting(hwb_year):
    january = meeting_on(hwb_year, 2017, 1, 11)
    problems, proposed = check(january, minutes_with([None, None, None]))
    assert problems == []
    assert numbers(proposed) == [48, 49, 50]


def test_a_minute_number_overlapping_an_earlier_meeting(hwb_year):
    january = meeting_on(hwb_year, 2017, 1, 11)
    problems, _ = check(january, minutes_with([45, 46]))
    assert problems == [
        "Minute 45 breaks the HWB sequence: the minutes of Wednesday 16 November 2016 already "
        "reach minute 47 in 2016/17, so these minutes should start at 48 or later."
    ]


def test_a_minute_number_overlapping_a_later_meeting(hwb_year):
    january = meeting_on(hwb_year, 2017, 1, 11)
    problems, _ = check(january, minutes_with([48, 57, 58]))
    assert problems == [
        "Minute 58 breaks the HWB sequence: the minutes of the later meeting of Wednesday "
        "8 March 2017 start at minute 58 in 2016/17, so these minutes must end before it."
    ]


def test_draft_minutes_of_other_meetings_do_not_fix_the_sequence(board):
    # Only published minutes are the record; a draft may still be renumbered.
    november = meeting_on(board, 2016, 11, 16)
    draft_minutes(november, minutes_with([36, 47]))
    january = meeting_on(board, 2017, 1, 11)
    problems, proposed = check(january, minutes_with([None]))
    assert (problems, numbers(proposed)) == ([], [1])


def test_the_sequence_restarts_in_may(board):
    """April continues the 2016/17 sequence; the May meeting starts 2017/18 at 1."""
    assert board.municipal_year_start_month == 5
    publish_minutes(meeting_on(board, 2017, 3, 8), minutes_with([58, 70]))
    april = meeting_on(board, 2017, 4, 19)
    problems, proposed = check(april, minutes_with([None, None]))
    assert (problems, numbers(proposed)) == ([], [71, 72])
    publish_minutes(april, minutes_with([71, 72]))

    may = meeting_on(board, 2017, 5, 24)
    problems, proposed = check(may, minutes_with([None, None]))
    assert (problems, numbers(proposed)) == ([], [1, 2])
    # An explicit 1 is accepted too, although April reached 72.
    assert check(may, minutes_with([1, 2]))[0] == []
    # And April's numbers do not stop the May meeting of the next year from using them.
    assert check(may, minutes_with([71, 72]))[0] == []


def test_the_municipal_year_start_month_is_the_boards(board_index):
    board = BoardPageFactory(parent=board_index, short_name="SRP", municipal_year_start_month=1)
    publish_minutes(meeting_on(board, 2016, 11, 16), minutes_with([80]))
    january = meeting_on(board, 2017, 1, 11)
    problems, proposed = check(january, minutes_with([None]))
    assert (problems, numbers(proposed)) == ([], [1])
    december = meeting_on(board, 2016, 12, 14)
    problems, proposed = check(december, minutes_with([None]))
    assert (problems, numbers(proposed)) == ([], [81])


def test_boards_numbering_per_meeting_start_each_meeting_at_1(board_index):
    board = BoardPageFactory(parent=board_index, short_name="MHPB", minute_numbering="per_meeting")
    publish_minutes(meeting_on(board, 2026, 9, 2), minutes_with([1, 2, 3]))
    publish_minutes(meeting_on(board, 2026, 12, 2), minutes_with([1, 2]))
    october = meeting_on(board, 2026, 10, 7)
    problems, proposed = check(october, minutes_with([None, None]))
    assert (problems, numbers(proposed)) == ([], [1, 2])
    # Within the meeting the order still holds.
    assert check(october, minutes_with([2, 1]))[0] == [
        "Minute 1 is listed after minute 2: minute numbers must go up in the order the "
        "minutes are listed. Renumber it, or move it up the list."
    ]


def test_other_boards_minutes_do_not_affect_the_sequence(board, board_index):
    other = BoardPageFactory(parent=board_index, short_name="SRP")
    publish_minutes(meeting_on(other, 2016, 11, 16), minutes_with([200]))
    problems, proposed = check(meeting_on(board, 2017, 1, 11), minutes_with([None]))
    assert (problems, numbers(proposed)) == ([], [1])


# Approval of earlier minutes ----------------------------------------------------------------


@pytest.fixture
def november_minutes(board):
    return publish_minutes(meeting_on(board, 2016, 11, 16), minutes_with([36, 47]))


def approving(minutes_page, number=None):
    return [
        MinuteItem(number=number, heading="MINUTES OF THE PREVIOUS MEETING", approves=minutes_page)
    ]


def test_minutes_are_approved_by_a_later_meeting(board, november_minutes):
    january = meeting_on(board, 2017, 1, 11)
    assert check(january, approving(november_minutes))[0] == []


def test_a_meeting_cannot_approve_minutes_of_a_later_meeting(board, november_minutes):
    october = meeting_on(board, 2016, 10, 5)
    problems, _ = check(october, approving(november_minutes, number=30))
    assert problems == [
        "Minute 30: the meeting of Wednesday 5 October 2016 cannot approve the minutes of a "
        "meeting held on or after it (Wednesday 16 November 2016). Choose the minutes of an "
        "earlier meeting."
    ]


def test_a_board_approves_only_its_own_minutes(board, board_index, november_minutes):
    other = BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership")
    problems, _ = check(meeting_on(other, 2017, 1, 11), approving(november_minutes, number=1))
    assert problems == [
        "Minute 1: those minutes are of Health and Wellbeing Board; a board approves only its "
        "own minutes."
    ]


def test_unpublished_minutes_cannot_be_approved(board):
    november = draft_minutes(meeting_on(board, 2016, 11, 16), minutes_with([36]))
    problems, _ = check(meeting_on(board, 2017, 1, 11), approving(november, number=48))
    assert problems == [
        "Minute 48: the minutes of Wednesday 16 November 2016 have not been published yet; "
        "publish them as draft minutes first."
    ]


def test_minutes_are_approved_only_once(board, november_minutes):
    publish_minutes(meeting_on(board, 2017, 1, 11), approving(november_minutes))
    march = meeting_on(board, 2017, 3, 8)
    problems, _ = check(march, approving(november_minutes, number=60))
    assert problems == [
        "Minute 60: the minutes of Wednesday 16 November 2016 were already approved as a "
        "correct record at the meeting of Wednesday 11 January 2017 (minute 48)."
    ]
    # Nor twice in one set of minutes.
    items = approving(november_minutes, number=1) + approving(november_minutes, number=2)
    problems, _ = check(meeting_on(board, 2017, 6, 7), items)
    assert problems[1] == (
        "Minute 2: the minutes of Wednesday 16 November 2016 are already approved by another "
        "minute here."
    )


def test_minutes_cannot_approve_themselves(board):
    january = meeting_on(board, 2017, 1, 11)
    minutes = publish_minutes(january, minutes_with([48]))
    item = minutes.minute_items.get()
    item.approves = minutes
    problems, _ = check(january, [item], pk=minutes.pk)
    assert problems == [
        "Minute 48: minutes cannot approve themselves. Choose the minutes of the previous meeting."
    ]
    # The model refuses it too, whoever saves it.
    minutes.minute_items = [item]
    with pytest.raises(ValidationError, match="cannot approve themselves"):
        minutes.save_revision()


# Citations of earlier minutes ----------------------------------------------------------------


def citing(text, number=50):
    return [MinuteItem(number=number, heading="MINUTES OF THE PREVIOUS MEETING", narrative=text)]


def test_a_citation_of_a_minute_that_does_not_exist(board, november_minutes):
    problems, _ = check(
        meeting_on(board, 2017, 1, 11), citing("Arising from Minute No. 40(1), ok.")
    )
    assert problems == [
        "Minute 50 cites 'Minute No. 40(1)', but Health and Wellbeing Board has no published "
        "minute 40 before Wednesday 11 January 2017. Check the number, or publish the earlier "
        "minutes first."
    ]


def test_a_citation_of_a_resolution_the_minute_does_not_have(board):
    november = meeting_on(board, 2016, 11, 16)
    publish_minutes(november, minutes_with([36], resolutions=[1, 2]))
    problems, _ = check(meeting_on(board, 2017, 1, 11), citing("Minute No. 36(3), it was noted."))
    assert problems == [
        "Minute 50 cites 'Minute No. 36(3)', but minute 36 of the minutes of Wednesday "
        "16 November 2016 has no resolution (3); its resolutions are (1), (2)."
    ]
    assert check(meeting_on(board, 2017, 1, 18), citing("Minute No. 36(2), noted."))[0] == []


def test_a_summary_minute_without_resolutions_accepts_any_resolution(board, november_minutes):
    # Archived minutes are often summaries: minute 36 has no resolutions recorded at all.
    problems, _ = check(meeting_on(board, 2017, 1, 11), citing("Minute No. 36(2), it was noted."))
    assert problems == []


def test_a_citation_of_another_minute_of_the_same_meeting(board):
    items = minutes_with([48], resolutions=[1, 2]) + citing("As Minute No. 48(2) above.", 49)
    assert check(meeting_on(board, 2017, 1, 11), items)[0] == []
    items = minutes_with([48], resolutions=[1, 2]) + citing("As Minute No. 48(4) above.", 49)
    assert check(meeting_on(board, 2017, 1, 11), items)[0] == [
        "Minute 49 cites 'Minute No. 48(4)', but minute 48 of these minutes has no resolution "
        "(4); its resolutions are (1), (2)."
    ]


def test_a_citation_of_the_previous_municipal_year(board):
    publish_minutes(meeting_on(board, 2017, 3, 8), minutes_with([60], resolutions=[1]))
    may = meeting_on(board, 2017, 5, 24)
    assert check(may, citing("Arising from Minute No. 60(1), noted.", number=3))[0] == []


def test_citations_link_to_the_cited_minute_when_published(board):
    november = publish_minutes(
        meeting_on(board, 2016, 11, 16), minutes_with([36], resolutions=[1, 2])
    )
    january = publish_minutes(
        meeting_on(board, 2017, 1, 11),
        citing("Minute No. 36(2), it was noted. Minute No. 99 is not on the site."),
    )
    citation = january.minute_items.get().citations.get()
    assert (citation.cited, citation.resolution_number, citation.text) == (
        november.minute_items.get(),
        2,
        "Minute No. 36(2)",
    )
    # Rebuilding does not duplicate the links.
    record_citations(january)
    assert january.minute_items.get().citations.count() == 1


# Minutes built in code -----------------------------------------------------------------------


def test_the_model_keeps_the_rules_about_the_minutes_alone(board):
    meeting = meeting_on(board, 2017, 1, 11)
    with pytest.raises(ValidationError, match=r"resolution \(1\) is used twice"):
        publish_minutes(meeting, minutes_with([48], resolutions=[1, 1]))
    with pytest.raises(ValidationError, match="Minute 47 is listed after minute 48"):
        publish_minutes(meeting, minutes_with([48, 47]))


def test_archived_minutes_loaded_in_code_may_cite_minutes_not_on_the_site(board):
    """Loaders of old minutes are not held to the editor's checks against other pages..."""
    january = publish_minutes(meeting_on(board, 2017, 1, 11), citing("Minute No. 36(2), noted."))
    assert january.live
    # ...but can ask for them.
    with pytest.raises(ValidationError, match="has no published minute 36"):
        check_minutes(january, everything=True)


# Through the editor ---------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, django_user_model, db):
    officer = django_user_model.objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    client.force_login(officer)
    return client


def test_the_editor_numbers_april_on_and_may_from_1(officer_client, board):
    publish_minutes(meeting_on(board, 2017, 3, 8), minutes_with([58, 70]))
    april = meeting_on(board, 2017, 4, 19)
    may = meeting_on(board, 2017, 5, 24)
    for meeting, expected in ((april, [71, 72]), (may, [1, 2])):
        rows = [minute_row("APOLOGIES", 1), minute_row("BETTER CARE FUND", 2)]
        data = minutes_form_data(rows, **{"action-publish": "action-publish"})
        response = officer_client.post(add_url(meeting), data)
        assert response.status_code == 302
        minutes = MinutesPage.objects.get(meeting=meeting)
        assert [i.number for i in minutes.minute_items.all()] == expected


def test_the_editor_refuses_approval_by_an_earlier_meeting(officer_client, board, november_minutes):
    october = meeting_on(board, 2016, 10, 5)
    rows = [minute_row("MINUTES OF THE PREVIOUS MEETING", 1, number=30, approves=november_minutes)]
    response = officer_client.post(add_url(october), minutes_form_data(rows))
    assert response.status_code == 200
    form = response.context["form"].formsets["minute_items"].forms[0]
    assert form.errors["approves"] == [
        "Minute 30: the meeting of Wednesday 5 October 2016 cannot approve the minutes of a "
        "meeting held on or after it (Wednesday 16 November 2016). Choose the minutes of an "
        "earlier meeting."
    ]
    assert not MinutesPage.objects.filter(meeting=october).exists()


def test_minutes_built_in_code_keep_the_order_they_were_given(board):
    items = [MinuteItem(number=n, heading=f"ITEM {n}") for n in (48, 49, 50)]
    items[0].resolutions = [Resolution(text=t) for t in ("First.", "Second.", "Third.")]
    minutes = publish_minutes(meeting_on(board, 2017, 1, 11), items)
    assert [i.sort_order for i in minutes.minute_items.all()] == [0, 1, 2]
    assert [i.number for i in minutes.minute_items.all()] == [48, 49, 50]
    first = minutes.minute_items.get(number=48)
    assert [(r.number, r.text) for r in first.resolutions.all()] == [
        (1, "First."),
        (2, "Second."),
        (3, "Third."),
    ]
