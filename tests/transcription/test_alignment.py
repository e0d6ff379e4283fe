"""Suggesting where agenda items start from what was said, and checking starts an officer types.

The transcripts are the meeting of 11 January 2017 (items 48 to 57) as the chair and presenters
would say it (`meeting_script`), timed as a reader speaks and written as Whisper writes it.
"""

import re
from dataclasses import dataclass, field

import pytest

from transcription.alignment import (
    Span,
    TimeInputError,
    _Segment,
    check_order,
    parse_time,
    spans_from_starts,
    spoken_number,
    suggest_starts,
)
from transcription.testing.recordings import meeting_script, parse_minutes


@dataclass(frozen=True)
class Item:
    pk: int
    number: int | None
    title: str
    sub_item: str = ""


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list = field(default_factory=list)


AGENDA = [
    Item(pk=item.number, number=item.number, title=item.title.title())
    for item in parse_minutes().items
]
CHARACTERS_PER_SECOND = 15
PAUSE = 0.7


def timed(texts):
    """Segments from utterances, spoken one after another at a reader's pace."""
    segments, clock = [], 0.0
    for text in texts:
        length = len(text) / CHARACTERS_PER_SECOND
        segments.append(Segment(round(clock, 2), round(clock + length, 2), text))
        clock += length + PAUSE
    return segments


def meeting(rewrite=lambda number, text: text):
    """The whole meeting as segments, each chair's "Item N, Title." passed through `rewrite`,
    and the true start of each item (where the chair called it)."""
    texts, called = [], []
    for line in meeting_script("long"):
        cue = re.match(r"Item (\d+), ", line.text)
        if cue:
            called.append((int(cue.group(1)), len(texts)))
            texts.append(rewrite(int(cue.group(1)), line.text))
        else:
            texts.append(line.text)
    segments = timed(texts)
    return segments, {number: segments[index].start for number, index in called}


def starts(suggestions):
    return {s.agenda_item.number: s.start for s in suggestions}


def assert_in_agenda_order(suggestions):
    positions = [AGENDA.index(s.agenda_item) for s in suggestions]
    assert positions == sorted(positions)
    times = [s.start for s in suggestions]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_the_chair_calling_each_item_by_number_places_every_item():
    segments, truth = meeting()

    suggestions = suggest_starts(segments, AGENDA)

    assert starts(suggestions) == pytest.approx(truth, abs=0.01)
    item_52 = next(s for s in suggestions if s.agenda_item.number == 52)
    assert item_52.cue.startswith("Item 52, Communicating and engaging on the regional")
    assert "number" in item_52.reason and "title" in item_52.reason


@pytest.mark.parametrize(
    "spoken",
    [
        "Item number {words}.",
        "Agenda item {words}.",
        "Thank you. We now come to item {words}.",
        "Item {digits}.",
        "Agenda item number {digits}, please.",
    ],
)
def test_item_numbers_in_words_or_digits_without_the_title(spoken):
    words = {
        48: "forty-eight",
        49: "forty nine",
        50: "fifty",
        51: "fifty-one",
        52: "Fifty two",
        53: "fifty-three",
        54: "fifty four",
        55: "fifty-five",
        56: "fifty six",
        57: "fifty-seven",
    }
    segments, truth = meeting(lambda n, text: spoken.format(words=words[n], digits=n))

    suggestions = suggest_starts(segments, AGENDA)

    assert set(starts(suggestions)) == set(truth)
    for number, start in starts(suggestions).items():
        # At the item's line; "Thank you." before the cue moves it a little into the segment.
        assert truth[number] <= start <= truth[number] + 1.0, number
    assert all("number" in s.reason for s in suggestions)


def test_titles_alone_place_the_items():
    segments, truth = meeting(lambda number, text: re.sub(r"^Item \d+, ", "", text))

    suggestions = suggest_starts(segments, AGENDA)

    assert starts(suggestions) == pytest.approx(truth, abs=0.01)
    assert {s.reason for s in suggestions} == {"Its title was said"}


def test_a_title_heard_with_words_missed_still_counts():
    segments = timed(
        [
            "Thank you all. That concludes that item.",
            "Communicating and engaging on the regional sustainability and transformation.",
            "Plan and Rotherham place plan. I call on Janet Wheatley.",
        ]
    )

    (suggestion,) = suggest_starts(segments, AGENDA)

    assert suggestion.agenda_item.number == 52
    assert suggestion.start == segments[1].start


def test_items_with_no_cue_are_left_out_and_the_rest_still_found():
    def rewrite(number, text):
        return "Thank you." if number in (50, 53) else text

    segments, truth = meeting(rewrite)

    found = starts(suggest_starts(segments, AGENDA))

    for number in (48, 49, 51, 52, 54, 55, 56, 57):
        assert found[number] == pytest.approx(truth[number], abs=0.01)
    # The presenters still say what items 50 and 53 are about: found near the start, or not at all.
    for number in (50, 53):
        if number in found:
            assert truth[number] < found[number] < truth[number] + 15


def test_the_chair_moving_on_places_an_item_nothing_else_names():
    def rewrite(number, text):
        return "Thank you. Moving on to the next one." if number == 54 else text

    segments, truth = meeting(rewrite)

    suggestions = suggest_starts(segments, AGENDA)

    item_54 = next(s for s in suggestions if s.agenda_item.number == 54)
    assert truth[54] <= item_54.start <= truth[54] + 1.0
    assert item_54.reason.startswith("The chair moved on")
    assert item_54.cue == "Moving on to the next one."


def test_items_mentioned_out_of_turn_keep_to_the_agenda_order():
    """A look back to an earlier item and a look ahead to a later one are not their starts."""
    segments, truth = meeting()
    opening = next(s for s in segments if s.text.startswith("Item 48,"))
    opening.text = "We will come to item 56 and the mental health strategy later. " + opening.text
    during_53 = next(s for s in segments if s.start > truth[53] + 30)
    during_53.text = "As we agreed under item 50, the minutes stand. " + during_53.text

    suggestions = suggest_starts(segments, AGENDA)

    assert_in_agenda_order(suggestions)
    assert starts(suggestions)[56] == pytest.approx(truth[56], abs=0.01)
    assert starts(suggestions)[50] == pytest.approx(truth[50], abs=0.01)


def test_suggestions_follow_the_agenda_order_even_against_stronger_cues():
    segments = timed(
        [
            "Item 53, Health and wellbeing strategy.",
            "Giles Ratcliffe gave a presentation.",
            "Item 52, Communicating and engaging on the regional sustainability plan.",
            "Janet Wheatley reported.",
        ]
    )

    suggestions = suggest_starts(segments, AGENDA)

    assert_in_agenda_order(suggestions)
    assert len(suggestions) == 1  # both cannot be right; one of them is suggested


def test_marked_starts_are_kept_and_suggestions_fit_around_them():
    segments, truth = meeting()
    item_53 = next(item for item in AGENDA if item.number == 53)

    marked = truth[54] + 20

    suggestions = suggest_starts(segments, AGENDA, fixed={item_53.pk: marked})

    found = starts(suggestions)
    assert 53 not in found
    # Item 54 was called before the start an officer marked for item 53: a later cue is used.
    assert marked < found[54] < truth[55]
    assert found[55] == pytest.approx(truth[55], abs=0.01)
    assert found[52] == pytest.approx(truth[52], abs=0.01)


def test_word_timings_place_a_cue_inside_a_long_segment():
    text = "Thank you, that is agreed. Item 52, Communicating and engaging."
    words = [
        {"word": f" {word}", "start": 100.0 + index, "end": 100.5 + index}
        for index, word in enumerate(text.split())
    ]
    segment = Segment(100.0, 110.0, text, words)

    (suggestion,) = suggest_starts([segment], AGENDA)

    assert suggestion.agenda_item.number == 52
    assert suggestion.start == 105.0  # "Item" is the sixth word
    assert suggestion.cue.startswith("Item 52,")


def test_sub_items_by_letter():
    agenda = [
        Item(1, 10, "Budget monitoring", "a"),
        Item(2, 10, "Capital programme", "b"),
        Item(3, 11, "Any other business"),
    ]
    segments = timed(
        [
            "Item 10 (a). Please note the figures.",
            "The overspend is forecast to fall.",
            "Item ten b. We have the programme in front of us.",
            "Item 11, a quick one.",
        ]
    )

    found = {s.agenda_item.pk: s.start for s in suggest_starts(segments, agenda)}

    assert found == {1: segments[0].start, 2: segments[2].start, 3: segments[3].start}


def test_no_transcript_or_no_agenda_suggests_nothing():
    assert suggest_starts([], AGENDA) == []
    assert suggest_starts(timed(["Item 52, hello."]), []) == []
    assert suggest_starts(timed(["Good morning everyone."]), AGENDA) == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("52", 52),
        ("eight", 8),
        ("fifty two", 52),
        ("fifty-two", 52),
        ("nineteen", 19),
        ("one hundred and five", 105),
        ("a hundred", 100),
        ("two hundred twelve", 212),
    ],
)
def test_spoken_numbers(words, value):
    tokens = _Segment(Segment(0, 1, words)).tokens
    assert spoken_number(tokens, 0) == (value, len(tokens))


def test_suggestions_from_the_transcribed_meeting(meeting_recording, meeting_transcript):
    """The real pipeline's transcript of the short meeting, in which the chair calls item 52."""
    (called,) = [line for line in meeting_recording.lines if line.text.startswith("Item 52,")]

    suggestions = suggest_starts(meeting_transcript.segments, AGENDA)

    found = starts(suggestions)
    assert found[52] == pytest.approx(called.start, abs=2.0)
    assert set(found) == {52}  # no other item is called, nor its title read out


def test_spans_run_from_each_start_to_the_next():
    a, b, c = AGENDA[:3]

    spans = spans_from_starts({b: 300.0, a: 10.0, c: 900.5}, 1200.0)

    assert spans == [Span(a, 10.0, 300.0), Span(b, 300.0, 900.5), Span(c, 900.5, 1200.0)]
    assert spans_from_starts([], 1200.0) == []
    assert spans_from_starts([(a, 50.0)], None) == [Span(a, 50.0, 50.0)]


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("1:02:03", 3723),
        ("62:03", 3723),
        ("5:07", 307),
        ("307", 307),
        (" 0:05:07 ", 307),
        ("0:00:47.5", 47.5),
        ("0", 0),
    ],
)
def test_times_an_officer_types(typed, seconds):
    assert parse_time(typed, duration=4000) == seconds


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "“abc” is not a time. Enter it like 0:05:07, 5:07 or 307."),
        ("-5", "A time cannot be negative"),
        ("-0:05", "A time cannot be negative"),
        ("5:75", "seconds run from 0 to 59"),
        ("1:75:00", "minutes run from 0 to 59"),
        ("1:2:3:4", "is not a time"),
        ("5.07.1", "is not a time"),
        ("", "Enter a time"),
        ("1:10:00", "1:10:00 is after the end of the recording, which lasts 0:20:00."),
    ],
)
def test_times_that_cannot_be_used_say_why(typed, message):
    with pytest.raises(TimeInputError, match=re.escape(message)):
        parse_time(typed, duration=1200)


def test_a_start_before_the_previous_items_is_refused_naming_both():
    item_8, item_9, item_10 = Item(1, 8, "Minutes"), Item(2, 9, "Budget"), Item(3, 10, "Other")

    errors = check_order([(item_8, 720.0), (item_9, 600.0), (item_10, 900.0)])

    assert errors == {
        item_9: "Item 9 cannot start before item 8, which starts at 0:12:00. Items are taken "
        "in agenda order: check the starts of both."
    }
    assert "at the same time as item 8" in check_order([(item_8, 60.0), (item_9, 60.0)])[item_9]
    assert check_order([(item_8, 60.0), (item_9, None), (item_10, 61.0)]) == {}
