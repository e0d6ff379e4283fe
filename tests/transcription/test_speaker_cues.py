"""Suggestions of who speaks next from the chair's cues."""

from types import SimpleNamespace

import pytest

from transcription.speaker_cues import NameFinder, cue_in, suggestions

PEOPLE = [
    SimpleNamespace(pk=1, title="Councillor", given_name="David", family_name="Roche"),
    SimpleNamespace(pk=2, title="", given_name="Kate", family_name="Green"),
    SimpleNamespace(pk=3, title="Dr", given_name="Ruth", family_name="Fletcher Brown"),
    SimpleNamespace(pk=4, title="", given_name="Sue", family_name="Wilson"),
    SimpleNamespace(pk=5, title="", given_name="Tony", family_name="Clabby"),
    SimpleNamespace(pk=6, title="", given_name="Sue", family_name="Hill"),
]
ROCHE, GREEN, FLETCHER_BROWN, WILSON, CLABBY, HILL = PEOPLE


def named(text, people=PEOPLE):
    found = cue_in(text, NameFinder(people))
    return found and found[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Item 50. I call on Kate Green.", [GREEN]),
        ("I'd like to invite Dr Ruth Fletcher-Brown to present the report.", [FLETCHER_BROWN]),
        ("I would like to call upon Dr. Ruth Fletcher Brown", [FLETCHER_BROWN]),
        ("Thank you. Over to you, Kate.", [GREEN]),
        ("Tony, over to you.", [CLABBY]),
        ("I'll hand over to Kate Green who will take us through it.", [GREEN]),
        ("That's all from me. Thank you, Councillor Roche.", [ROCHE]),
        ("Thank you, Cllr Roche", [ROCHE]),
        ("I call on Kate Green and Tony Clabby.", [GREEN, CLABBY]),
        ("Kate Green.", [GREEN]),
    ],
)
def test_cues_name_the_meeting_s_people(text, expected):
    assert named(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thank you, Councillor Roche. The report sets out the plan.",  # thanking the chair
        "Over to you, Sue.",  # two people called Sue
        "I call on Gordon Laidlaw.",  # not at this meeting
        "Green spaces were discussed.",
        "Thank you, Chair.",
        "Over to you.",
    ],
)
def test_no_cue_without_exactly_one_known_person(text):
    assert not named(text)


def test_a_given_name_alone_is_enough_when_only_one_person_has_it():
    assert named("Over to you, Sue.", [p for p in PEOPLE if p is not HILL]) == [WILSON]


def segment(pk, start, text, speaker_id=None):
    return SimpleNamespace(pk=pk, start=start, end=start + 4, text=text, speaker_id=speaker_id)


def test_the_segments_after_a_cue_until_the_next_cue_or_the_chair():
    segments = [
        segment(1, 0, "Item 52, better care fund. I call on Kate Green."),
        segment(2, 5, "Thank you, Chair. The fund pays for care at home."),
        segment(3, 10, "It was agreed last year."),
        segment(4, 15, "Thank you. Are there any questions or comments?"),
        segment(5, 20, "Tony Clabby."),
        segment(6, 25, "Can we see the figures by ward?"),
        segment(7, 30, "Over to you, Dr Fletcher-Brown."),
        segment(8, 35, "Thank you."),
        segment(9, 40, "Item 53, health protection."),
    ]

    found = suggestions(segments, PEOPLE)

    assert [(s.person, s.segment_ids, s.cue_segment_id) for s in found] == [
        (GREEN, [2, 3], 1),
        (CLABBY, [6], 5),
        (FLETCHER_BROWN, [8], 7),
    ]
    assert found[0].cue == "I call on Kate Green"
    assert (found[0].cue_timestamp, found[0].span) == ("0:00:00", "0:00:05-0:00:14")


def test_a_suggestion_stops_where_the_chair_s_voice_or_the_next_item_begins():
    segments = [
        segment(1, 0, "I call on Kate Green.", speaker_id=7),
        segment(2, 5, "The fund pays for care.", speaker_id=8),
        segment(3, 10, "Thanks Kate, very clear.", speaker_id=7),
        segment(4, 15, "I call on Tony Clabby.", speaker_id=7),
        segment(5, 20, "Some words.", speaker_id=9),
        segment(6, 30, "Words in the next item.", speaker_id=9),
    ]

    found = suggestions(segments, PEOPLE, item_starts=[0, 29])

    assert [(s.person, s.segment_ids) for s in found] == [(GREEN, [2]), (CLABBY, [5])]


def test_no_cue_no_suggestion():
    assert suggestions([segment(1, 0, "Good morning."), segment(2, 5, "Hello.")], PEOPLE) == []
