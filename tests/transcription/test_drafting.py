"""Draft minutes from an aligned transcript: what is proposed, and how it reaches the minutes.

The transcript is the Health and Wellbeing Board of 11 January 2017 as spoken from its minutes
(drafting_helpers.py), so what is proposed can be checked against what the clerk wrote.
"""

import datetime
import re

import pytest
from wagtail.models import ModelLogEntry

from actions_log.models import Action, ActionSource
from boards.factories import MembershipFactory
from meetings.factories import AgendaItemFactory
from meetings.minutes import MinuteItem, MinutesPage
from transcription.drafting import (
    DraftingRefused,
    add_to_minutes,
    owner_pairs,
    propose_minutes,
)
from transcription.drafting_text import (
    in_minute_style,
    is_decision,
    restore_that,
    split_sentences,
)
from transcription.models import DraftKind, DraftProposal
from transcription.testing import recordings

from .drafting_helpers import Line, add_transcript, hwb_meeting
from .job_helpers import make_officer


@pytest.fixture
def hwb(board_index):
    return hwb_meeting(board_index)


def of(proposals, number, hwb, kind):
    item = hwb.item(number)
    return [p for p in proposals if p.agenda_item_id == item.pk and p.kind == kind]


def texts(proposals):
    return [p.text for p in proposals]


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def printed_resolutions(number):
    """The resolutions of a minute as the clerk printed them, without their numbers."""
    item = next(i for i in recordings.parse_minutes().items if i.number == number)
    found = []
    for paragraph in item.paragraphs:
        if paragraph.startswith(("Resolved", "(")):
            found.append(re.sub(r"^(Resolved:-)?\s*(\(\d+\))?\s*", "", paragraph))
    return found


# Proposals ------------------------------------------------------------------------------------


def test_the_narrative_is_chosen_from_the_items_own_words(hwb):
    proposals = propose_minutes(hwb.recording)

    narrative = of(proposals, 52, hwb, DraftKind.NARRATIVE)
    assert 2 <= len(narrative) <= 4
    assert "Helen Stevens to assist with the engagement and communication" in narrative[0].text
    assert any("Rotherham Place Plan" in p.text for p in narrative)
    for proposal in narrative:
        assert not re.search(r"^Item \d+|I call on|Thank you|questions or comments", proposal.text)
    # Spoken in order, and every sentence is the words of a segment of the item.
    assert [p.start for p in narrative] == sorted(p.start for p in narrative)
    spoken = " ".join(s.text for s in hwb.segments_of(52))
    for proposal in narrative:
        said = re.sub(r"^[A-Z][a-z]+ [A-Z][\w-]+ reported that ", "", proposal.text)
        assert said[1:].rstrip(".") in spoken


def test_a_known_speaker_is_reported_in_the_minutes_voice(hwb):
    proposals = propose_minutes(hwb.recording)

    narrative = texts(of(proposals, 52, hwb, DraftKind.NARRATIVE))
    assert (
        "Tony Clabby reported that the presentation prepared by the CCG would be used with the "
        "aim of describing the STP as context" in " ".join(narrative)
    )
    # The chair's own statements are minuted as they stand.
    assert texts(of(proposals, 48, hwb, DraftKind.NARRATIVE)) == [
        "There were no Declarations of Interest made at this meeting."
    ]


def test_minute_style_only_where_it_reads_safely():
    speaker = "Kate Green"
    assert in_minute_style("The report was considered.", speaker) == (
        "Kate Green reported that the report was considered."
    )
    for spoken in (
        "I think we should note the report.",  # first person: it would change the sense
        "Healthwatch had been contacted.",  # a proper name must keep its capital
        "Is the report late?",
        "It was noted that the plan was late.",  # already in the minutes' voice
        "Kate Green presented the report.",  # names herself already
    ):
        assert in_minute_style(spoken, speaker) == spoken


def test_sentences_split_at_their_ends_not_at_initials():
    assert split_sentences("Councillor D. Roche was in the Chair. Dr. Cullen agreed. Okay.") == [
        "Councillor D. Roche was in the Chair.",
        "Dr. Cullen agreed.",
        "Okay.",
    ]


def test_resolutions_are_found_and_put_as_minutes_put_them(hwb):
    proposals = propose_minutes(hwb.recording)

    assert texts(of(proposals, 54, hwb, DraftKind.RESOLUTION))[0] == "The report be noted."
    previous = texts(of(proposals, 50, hwb, DraftKind.RESOLUTION))
    assert previous[0] == (
        "That the minutes of the meeting held on 16th November, 2016, be approved as a correct "
        "record."
    )
    # Item 52's four resolutions, as the clerk printed them.
    found = of(proposals, 52, hwb, DraftKind.RESOLUTION)
    assert [words(p.text) for p in found] == [words(t) for t in printed_resolutions(52)]
    # The chair's "So, resolved:" is the heading, not the resolution.
    assert not any("resolved" in p.text.lower() for p in proposals if p.kind == "resolution")
    # Reports of what others decided are narrative, not this board's resolutions.
    carers = texts(of(proposals, 55, hwb, DraftKind.RESOLUTION))
    assert not any("endorsed for partnership approval" in text for text in carers)


def test_actions_name_their_owners_matched_to_people(hwb):
    proposals = propose_minutes(hwb.recording)
    kate = hwb.people["Kate Green"]

    actions = of(proposals, 50, hwb, DraftKind.ACTION)
    timetable = actions[0]
    assert timetable.owner_text == "Kate Green"
    assert list(timetable.owners.all()) == [kate]
    # "Action for Kate Green" follows the note it is about.
    assert timetable.text.startswith("A timetable would be sent to all Board sponsors")
    care_homes = actions[-1]
    assert care_homes.text == (
        "That the issue of care homes be included as an agenda item at the next meeting."
    )
    assert list(care_homes.owners.all()) == [kate]
    assert owner_pairs(care_homes) == [("Anne Marie Lubanski", None), ("Kate Green", kate)]

    strategy = of(proposals, 56, hwb, DraftKind.ACTION)
    assert {p.full_name for p in strategy[0].owners.all()} == {"Giles Ratcliffe", "Julie Kitlowski"}
    assert list(strategy[1].owners.all()) == [hwb.people["Ruth Fletcher-Brown"]]


def test_an_owner_nobody_knows_is_kept_as_heard(hwb):
    proposals = propose_minutes(hwb.recording)

    ian = next(p for p in of(proposals, 50, hwb, DraftKind.ACTION) if "Ian" in p.owner_text)
    assert ian.owner_text == "Ian Thomas"
    assert list(ian.owners.all()) == []
    assert owner_pairs(ian) == [("Ian Thomas", None)]


def test_agreement_actions_and_dates_in_a_members_own_words(board_index):
    hwb = hwb_meeting(board_index, items=[57])
    # Kate Green is on the board, so "Kate" alone is her: nobody else there is a Kate.
    MembershipFactory(board=hwb.board, person=hwb.people["Kate Green"])
    hwb.agenda[58] = AgendaItemFactory(
        meeting=hwb.meeting, number=58, title="Rotherham Carers Strategy", sort_order=20
    )
    add_transcript(
        hwb,
        [
            Line("Councillor Roche", "Item 58, Rotherham Carers Strategy."),
            Line("Councillor Roche", "I propose that the report be noted. Is that agreed?"),
            Line("Sharon Kemp", "Agreed."),
            Line("Councillor Roche", "Kate Green to circulate the timetable to all sponsors."),
            Line("Sharon Kemp", "Sharon Kemp will report back to the Board by 31st March 2017."),
            Line("Councillor Roche", "Can you, Kate, send the slides round?"),
            Line("Councillor Roche", "Officers to take the work forward."),
        ],
    )

    proposals = propose_minutes(hwb.recording)

    agreed = of(proposals, 58, hwb, DraftKind.RESOLUTION)
    assert texts(agreed) == ["That the report be noted."]
    question = next(s for s in hwb.segments if "Is that agreed" in s.text)
    answer = next(s for s in hwb.segments if s.text == "Agreed.")
    assert (agreed[0].start, agreed[0].end) == (question.start, answer.end)

    actions = of(proposals, 58, hwb, DraftKind.ACTION)
    kate, sharon = hwb.people["Kate Green"], hwb.people["Sharon Kemp"]
    assert [(p.text, p.owner_text, list(p.owners.all())) for p in actions] == [
        ("Kate Green to circulate the timetable to all sponsors.", "Kate Green", [kate]),
        (
            "Sharon Kemp will report back to the Board by 31st March 2017.",
            "Sharon Kemp",
            [sharon],
        ),
        ("Kate to send the slides round.", "Kate", [kate]),
    ]

    officer = make_officer_for(hwb)
    add_to_minutes(actions, user=officer)
    report_back = Action.objects.get(text__startswith="Sharon Kemp will report back")
    assert report_back.due_date == datetime.date(2017, 3, 31)
    assert not report_back.due_by_next_meeting
    assert Action.objects.get(text__startswith="Kate to send").due_by_next_meeting


def make_officer_for(hwb):
    from django.contrib.auth import get_user_model

    return make_officer(get_user_model(), username=f"officer-{hwb.recording.pk}")


def test_every_proposal_says_which_part_of_the_item_it_came_from(hwb):
    proposals = propose_minutes(hwb.recording)

    starts = {s.start for s in hwb.segments}
    ends = {s.end for s in hwb.segments}
    assert proposals
    for proposal in proposals:
        number = next(n for n, item in hwb.agenda.items() if item.pk == proposal.agenda_item_id)
        span = hwb.spans[number]
        assert proposal.start in starts and proposal.end in ends
        assert span.start <= proposal.start <= proposal.end <= span.end
    resolution = of(proposals, 54, hwb, DraftKind.RESOLUTION)[0]
    said = next(s for s in hwb.segments if s.text == "So, resolved: The report be noted.")
    assert (resolution.start, resolution.end) == (said.start, said.end)
    assert resolution.source_timestamps == "0:12:50-0:12:59"


def test_nothing_is_proposed_before_the_transcript_is_aligned(hwb):
    hwb.recording.spans.all().delete()

    assert propose_minutes(hwb.recording) == []
    assert not DraftProposal.objects.exists()


def test_proposing_again_replaces_only_what_was_not_added(hwb, officer):
    first = propose_minutes(hwb.recording)
    kept = of(first, 54, hwb, DraftKind.RESOLUTION)[0]
    add_to_minutes([kept], user=officer)

    second = propose_minutes(hwb.recording)

    assert DraftProposal.objects.filter(pk=kept.pk).exists()
    assert not DraftProposal.objects.filter(pk__in=[p.pk for p in first if p != kept]).exists()
    # What was added is not proposed again.
    assert "The report be noted." not in texts(of(second, 54, hwb, DraftKind.RESOLUTION))
    assert len(second) == len(first) - 1
    assert ModelLogEntry.objects.filter(action="transcription.propose_minutes").count() == 2


def test_proposing_takes_the_same_queries_however_long_the_meeting(
    board_index, django_assert_max_num_queries
):
    short = hwb_meeting(board_index, items=[50, 51])
    with django_assert_max_num_queries(40) as counted:
        propose_minutes(short.recording)
    few = len(counted)
    DraftProposal.objects.all().delete()
    MinutesPage.objects.all().delete()

    whole = hwb_meeting(board_index)
    with django_assert_max_num_queries(few) as counted:
        proposals = propose_minutes(whole.recording)
    assert len(proposals) > 40


# Adding to the minutes ------------------------------------------------------------------------


def test_added_proposals_make_draft_minutes_numbered_on(hwb, officer):
    proposals = propose_minutes(hwb.recording)
    chosen = [p for p in proposals if p.agenda_item_id in {hwb.item(50).pk, hwb.item(52).pk}]

    result = add_to_minutes(chosen, user=officer)

    minutes = MinutesPage.objects.get(pk=result.minutes.pk)
    assert minutes.get_parent().pk == hwb.meeting.pk
    assert not minutes.live
    assert minutes.latest_revision is not None
    assert result.created_minutes
    items = list(minutes.minute_items.order_by("sort_order"))
    # Numbered on from last meeting's minute 47, as the clerk numbered them.
    assert [(item.number, item.heading) for item in items] == [
        (48, "Minutes of the previous meeting"),
        (49, "Communicating and engaging on the regional sustainability and transformation "
         "plan and Rotherham place plan"),
    ]  # fmt: skip
    previous, engagement = items
    assert previous.agenda_item_id == hwb.item(50).pk
    assert "Action: Kate Green" in previous.paragraphs
    resolutions = list(previous.resolutions.order_by("sort_order"))
    assert [r.number for r in resolutions] == [1, 2, 3]
    assert resolutions[1].action_line == "Action: Ian Thomas"
    assert resolutions[2].action_line == "Action: Anne Marie Lubanski/Kate Green"
    assert engagement.resolutions.get(number=4).action_line == "Action: Chris Edwards/Sharon Kemp"
    for proposal in of(proposals, 52, hwb, DraftKind.NARRATIVE):
        assert proposal.text in engagement.narrative

    action = Action.objects.get(as_printed="Action: Anne Marie Lubanski/Kate Green")
    assert action.board_id == hwb.board.pk
    assert action.meeting_id == hwb.meeting.pk
    assert action.minute_item_id == previous.pk
    assert action.resolution_id == resolutions[2].pk
    assert action.source == ActionSource.RESOLUTION
    assert action.raised_on == datetime.date(2017, 1, 11)
    assert action.due_by_next_meeting
    assert [(o.person, o.printed_name) for o in action.owners.all()] == [
        (hwb.people["Kate Green"], "Kate Green")
    ]
    unowned = Action.objects.get(as_printed="Action: Ian Thomas")
    assert not unowned.owners.exists()
    assert any("Ian Thomas not matched" in note for note in result.notes)
    timetable = Action.objects.get(as_printed="Action: Kate Green")
    assert timetable.source == ActionSource.MINUTE_ITEM and timetable.resolution_id is None
    # Nothing public: the minutes are a draft, so are their actions.
    assert not Action.objects.public().exists()

    assert all(p.added_to_minutes_at for p in DraftProposal.objects.filter(pk__in=ids(chosen)))
    assert (
        not DraftProposal.objects.exclude(pk__in=ids(chosen))
        .exclude(added_to_minutes_at=None)
        .exists()
    )
    entry = ModelLogEntry.objects.get(action="transcription.draft_minutes")
    assert entry.user_id == officer.pk
    assert entry.object_id == str(hwb.recording.pk)
    assert entry.data["minutes_id"] == minutes.pk
    assert entry.data["minute_numbers"] == [48, 49]
    assert sorted(entry.data["proposals"]) == sorted(ids(chosen))


def ids(proposals):
    return [p.pk for p in proposals]


def test_adding_the_same_proposals_twice_changes_nothing(hwb, officer):
    proposals = propose_minutes(hwb.recording)
    chosen = [p for p in proposals if p.agenda_item_id == hwb.item(56).pk]
    add_to_minutes(chosen, user=officer)
    minutes = MinutesPage.objects.child_of(hwb.meeting).get()
    before = snapshot(minutes)
    revisions = minutes.revisions.count()

    again = add_to_minutes(chosen, user=officer)
    # And proposed again, with the same proposals added from the new list.
    proposals = propose_minutes(hwb.recording)
    add_to_minutes([p for p in proposals if p.agenda_item_id == hwb.item(56).pk] or chosen,
                   user=officer)  # fmt: skip

    assert again.added == [] and len(again.already_added) == len(chosen)
    assert snapshot(MinutesPage.objects.child_of(hwb.meeting).get()) == before
    assert minutes.revisions.count() == revisions
    assert Action.objects.count() == 2
    assert ModelLogEntry.objects.filter(action="transcription.draft_minutes").count() == 1


def snapshot(minutes):
    return [
        (item.number, item.heading, item.narrative, [(r.number, r.text, r.action_line)
                                                      for r in item.resolutions.all()])
        for item in minutes.minute_items.order_by("sort_order")
    ]  # fmt: skip


def test_an_exempt_item_gives_an_exempt_minute(hwb, officer):
    carers = hwb.item(55)
    carers.is_exempt, carers.exempt_paragraph = True, 3
    carers.public_interest_reason = "Commercially sensitive."
    carers.save()

    proposals = propose_minutes(hwb.recording)
    exempt = [p for p in proposals if p.agenda_item_id == carers.pk]
    assert {p.kind for p in exempt} == {"narrative", "resolution", "action"}
    add_to_minutes(exempt, user=officer)

    minute = MinuteItem.objects.get(agenda_item=carers)
    assert minute.is_exempt and minute.exempt_paragraph == 3
    assert minute.resolutions.count() == 3
    assert not Action.objects.public().exists()


def test_published_minutes_get_a_draft_revision_and_stay_as_published(hwb, officer):
    from tests.meetings.minutes_helpers import publish_minutes

    published = publish_minutes(
        hwb.meeting,
        [MinuteItem(number=48, heading="Declarations of interest", agenda_item=hwb.item(48))],
    )
    live_revision = published.live_revision_id
    live_rows = snapshot(published)
    proposals = propose_minutes(hwb.recording)
    chosen = [p for p in proposals if p.agenda_item_id in {hwb.item(48).pk, hwb.item(54).pk}]

    result = add_to_minutes(chosen, user=officer)

    minutes = MinutesPage.objects.get(pk=published.pk)
    assert result.minutes_published
    assert minutes.live and minutes.live_revision_id == live_revision
    assert minutes.has_unpublished_changes
    assert minutes.latest_revision_id != live_revision
    assert snapshot(minutes) == live_rows  # the public see what was published
    draft = minutes.get_latest_revision_as_object()
    rows = sorted(draft.minute_items.all(), key=lambda item: item.sort_order)
    assert [(item.number, item.heading) for item in rows] == [
        (48, "Declarations of interest"),
        (49, "Voice of the child lifestyle survey 2016"),
    ]
    assert "There were no Declarations of Interest" in rows[0].narrative
    assert [r.text for r in rows[1].resolutions.all()][0] == "The report be noted."


def test_proposals_of_two_recordings_are_refused_together(hwb, officer):
    from .job_helpers import make_recording

    proposals = propose_minutes(hwb.recording)
    other = make_recording(hwb.meeting, name="second.wav")
    stray = DraftProposal.objects.create(
        recording=other, agenda_item=hwb.item(48), kind="narrative", text="Stray.", start=0, end=1
    )

    with pytest.raises(DraftingRefused, match="more than one recording"):
        add_to_minutes([proposals[0], stray], user=officer)
    with pytest.raises(DraftingRefused, match="Choose at least one"):
        add_to_minutes([], user=officer)
    assert not MinutesPage.objects.child_of(hwb.meeting).exists()
    assert not DraftProposal.objects.exclude(added_to_minutes_at=None).exists()


@pytest.mark.parametrize(
    ("heard", "resolution"),
    [
        ("At the report be noted.", "That the report be noted."),
        ("At future meetings take place on 17th May 2017,", "That future meetings take place on"),
        (
            "At children and young people's services submit proposals to the next board meeting.",
            "That children and young people's services submit proposals",
        ),
        ("At the last meeting the report was noted.", None),
        ("At 10am the board would be updated.", None),
        ("At the meeting it would be considered again.", None),
    ],
)
def test_a_resolution_whose_that_was_heard_as_at(heard, resolution):
    restored = restore_that(heard)
    if resolution is None:
        assert restored == heard
    else:
        assert restored.startswith(resolution)
        assert is_decision(restored)
