"""Names and terms: the prompt, and correction after recognition that leaves ordinary words be."""

import difflib
from pathlib import Path

import pytest

from transcription.engine import Segment, Word
from transcription.testing.recordings import MINUTES_PATH, attendee_names
from transcription.vocabulary import (
    DEFAULT_GLOSSARY,
    PROMPT_WORDS,
    Vocabulary,
    common_words,
    phonetic,
    spoken_forms,
)

CABINET_REPORT = Path(MINUTES_PATH).with_name("cabinet-2023-02-13-mental-health-service-review.txt")


@pytest.fixture(scope="module")
def vocabulary():
    """The Health and Wellbeing Board of 11 January 2017: attendance, apologies, glossary."""
    return Vocabulary.build(attendees=attendee_names())


@pytest.mark.parametrize(
    ("printed", "forms"),
    [
        ("Councillor D. Roche", ["Councillor Roche", "Roche"]),
        ("Dr. Richard Cullen", ["Richard Cullen", "Dr Cullen", "Cullen"]),
        ("Tony Clabby", ["Tony Clabby", "Clabby"]),
        ("Cllr Yasseen", ["Councillor Yasseen", "Yasseen"]),
        ("Ruth Fletcher-Brown", ["Ruth Fletcher-Brown", "Fletcher-Brown"]),
    ],
)
def test_a_printed_name_is_said_in_these_ways(printed, forms):
    assert spoken_forms(printed) == forms


def test_the_vocabulary_gathers_people_titles_and_the_glossary():
    vocabulary = Vocabulary.build(
        attendees=["Tony Clabby"],
        members=["Tony Clabby", "Kathryn Singh"],
        presenters=["Giles Ratcliffe"],
        agenda_titles=["Voice of the Child Lifestyle Survey 2016", "CAMHS Transformation Plan"],
    )

    assert vocabulary.names == ["Tony Clabby", "Kathryn Singh", "Giles Ratcliffe"]
    assert "CAMHS" in vocabulary.terms
    assert "Survey" not in vocabulary.terms  # an ordinary word of a title is no term
    assert set(DEFAULT_GLOSSARY) <= set(vocabulary.terms)


def test_the_prompt_lists_the_names_as_said_then_terms_within_its_length(vocabulary):
    prompt = vocabulary.prompt()

    assert prompt.startswith("Councillor Roche, Jo Abbott, Karen Borthwick, Tony Clabby,")
    assert len(prompt.split()) <= PROMPT_WORDS
    assert prompt.endswith(".")


def test_common_words_come_from_the_models_own_vocabulary():
    words = common_words()

    assert {"green", "short", "council", "health"} <= words
    assert not {"clabby", "kitlowski", "rdash"} & words


def test_the_phonetic_key_hears_spellings_alike():
    assert phonetic("Kathryn") == phonetic("Catherine")
    assert phonetic("Clabby") == phonetic("Clabbie")
    assert phonetic("Roche") != phonetic("Smith")


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        # What tiny.en wrote for the synthetic meeting's voices.
        (
            "I call on Janet Wheatley and Tony Clabbitt.",
            "I call on Janet Wheatley and Tony Clabby.",
        ),
        ("I call on Giles Radcliffe.", "I call on Giles Ratcliffe."),
        ("received from Louise Barnard.", "received from Louise Barnett."),
        ("Councilor Malinda, wardman.", "Councillor Mallinder, wardman."),
        ("Catherine Singh, R&R SH.", "Kathryn Singh, R&R SH."),
        ("Action for Sharon Kempe.", "Action for Sharon Kemp."),
        (
            "Action for Giles Radcliffe and Julie Kittleowski.",
            "Action for Giles Ratcliffe and Julie Kitlowski.",
        ),
        ("Sarah Farra, adult care and housing.", "Sarah Farragher, adult care and housing."),
        ("Tony Clabbie's report was noted.", "Tony Clabby's report was noted."),
        ("the healthwatch and RDASH reports", "the Healthwatch and RDaSH reports"),
    ],
)
def test_misheard_names_and_terms_are_corrected(vocabulary, heard, meant):
    assert vocabulary.correct_text(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Wilson asked about the great green spaces.",  # Wilson is another known name
        "In short, the council will report in the spring.",
        "The Rotherham health and social care teams met.",
        "There are 20,500 registered social workers in England.",
        "The MBC and the CCG agreed.",
        "The Safeguarding Adult Board met in Rotherham, placing it on the agenda.",
        "Kate Green and Sue Wilson will report back.",
    ],
)
def test_right_and_ordinary_words_are_left_alone(vocabulary, text):
    assert vocabulary.correct_text(text) == text


def _changes(vocabulary, lines):
    changes = []
    for line in lines:
        words = line.split()
        corrected = vocabulary.correct_text(line).split()
        matcher = difflib.SequenceMatcher(None, words, corrected)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                changes.append((" ".join(words[i1:i2]), " ".join(corrected[j1:j2])))
    return changes


def test_the_reference_minutes_are_left_as_they_are_but_for_a_misspelt_name(vocabulary):
    """About 3,600 words of real minutes: the only change is the typo "Ruther" for "Ruth"."""
    lines = MINUTES_PATH.read_text(encoding="utf-8").splitlines()[62:428]

    changes = _changes(vocabulary, [line for line in lines if line.strip()])

    assert changes == [("Ruther Fletcher-Brown", "Ruth Fletcher Brown")]


def test_a_cabinet_report_is_left_exactly_as_it_is(vocabulary):
    """Another body's report, about 7,400 words of ordinary council English: nothing changes."""
    text = CABINET_REPORT.read_text(encoding="utf-8")

    changes = _changes(vocabulary, [line for line in text.splitlines() if line.strip()])

    assert changes == []


def test_corrected_segments_keep_their_times_and_merge_the_words_of_a_name(vocabulary):
    words = [
        Word(10.0, 10.3, " Thank", 0.9),
        Word(10.3, 10.5, " you,", 0.9),
        Word(10.6, 10.9, " Tony", 0.8),
        Word(10.9, 11.1, " Clabbitt,", 0.4),
        Word(11.2, 11.5, " Health", 0.7),
        Word(11.5, 11.8, " watch.", 0.6),
    ]
    segment = Segment(10.0, 11.8, "Thank you, Tony Clabbitt, Health watch.", words, "SPEAKER_1")

    [corrected] = vocabulary.correct([segment])

    assert corrected.text == "Thank you, Tony Clabby, Healthwatch."
    assert (corrected.start, corrected.end, corrected.speaker) == (10.0, 11.8, "SPEAKER_1")
    assert [w.text for w in corrected.words] == [
        " Thank",
        " you,",
        " Tony Clabby,",
        " Healthwatch.",
    ]
    assert [(w.start, w.end) for w in corrected.words[2:]] == [(10.6, 11.1), (11.2, 11.8)]
    assert [w.probability for w in corrected.words[2:]] == [0.4, 0.6]
    assert segment.text == "Thank you, Tony Clabbitt, Health watch."  # the original is unchanged


def test_an_empty_vocabulary_changes_nothing():
    assert Vocabulary().correct_text("Tony Clabbitt") == "Tony Clabbitt"
    assert not Vocabulary()
