"""The engine end to end on the short synthetic meeting, and its settings."""

import os
import subprocess
import sys

import numpy as np
import pytest
from django.conf import settings

from transcription.audio import SAMPLE_RATE
from transcription.engine import (
    Engine,
    EngineError,
    Segment,
    Transcript,
    WhisperEngine,
    Word,
    default_model_dir,
    get_engine,
    load_whisper_model,
    sentences,
)
from transcription.scoring import name_recall, similarity


def test_the_meeting_is_transcribed_close_to_its_script(meeting_recording, meeting_transcript):
    """Compared as normalised words, not exact text: tiny.en mishears some synthetic voices."""
    assert similarity(meeting_recording.text, meeting_transcript.text) >= 0.7
    assert "Item 52" in meeting_transcript.text


def test_attendees_names_come_out_spelt_right(meeting_recording, meeting_transcript):
    recall = name_recall(
        meeting_recording.text, meeting_transcript.text, meeting_recording.attendees
    )

    assert recall.share >= 0.75, recall.missed
    for name in ("Tony Clabby", "Janet Wheatley", "Chris Edwards", "Sharon Kemp"):
        assert name in meeting_transcript.text


def test_segments_are_in_order_within_the_recording_with_their_words(
    meeting_recording, meeting_transcript
):
    segments = meeting_transcript.segments

    assert meeting_transcript.duration == pytest.approx(meeting_recording.duration, abs=0.2)
    assert segments[0].start >= 0 and segments[-1].end <= meeting_transcript.duration + 0.01
    assert all(a.start <= b.start for a, b in zip(segments, segments[1:], strict=False))
    for segment in segments:
        assert segment.start <= segment.end
        assert segment.words and segment.speaker == ""
        assert "".join(word.text for word in segment.words).strip() == segment.text
        assert all(
            segment.start - 0.01 <= w.start <= w.end <= segment.end + 0.01 for w in segment.words
        )
        assert all(0 <= word.probability <= 1 for word in segment.words)


def test_the_engine_puts_times_in_the_recording(whisper_engine, meeting_recording):
    from transcription.audio import read_chunk

    audio = read_chunk(meeting_recording.path, 0.0, 8.0)

    at_start = whisper_engine.transcribe(audio)
    later = whisper_engine.transcribe(audio, offset=1000.0)

    assert [s.text for s in at_start] == [s.text for s in later]
    assert later[0].start == pytest.approx(at_start[0].start + 1000.0)
    assert later[0].words[0].end == pytest.approx(at_start[0].words[0].end + 1000.0)


def test_the_transcript_serialises_for_storage():
    transcript = Transcript(
        duration=12.5,
        segments=[Segment(1.0, 2.5, "Item 52.", [Word(1.0, 1.4, " Item", 0.9)], speaker="Chair")],
        notes=["A note."],
    )

    assert transcript.to_dict() == {
        "duration": 12.5,
        "language": "en",
        "segments": [
            {
                "start": 1.0,
                "end": 2.5,
                "text": "Item 52.",
                "speaker": "Chair",
                "words": [{"start": 1.0, "end": 1.4, "text": " Item", "probability": 0.9}],
            }
        ],
        "notes": ["A note."],
    }
    assert Segment.from_dict(transcript.to_dict()["segments"][0]) == transcript.segments[0]


def test_the_whisper_engine_is_an_engine():
    assert isinstance(WhisperEngine(), Engine)


def test_settings_choose_the_engine_and_its_options(settings):
    settings.TRANSCRIPTION_CPU_THREADS = 1
    settings.TRANSCRIPTION_BEAM_SIZE = 2
    settings.TRANSCRIPTION_COMPUTE_TYPE = "int8_float32"

    engine = get_engine()

    assert isinstance(engine, WhisperEngine)
    assert (engine.cpu_threads, engine.beam_size, engine.compute_type) == (1, 2, "int8_float32")
    assert engine.model_dir == default_model_dir()
    assert get_engine(cpu_threads=3).cpu_threads == 3


def test_another_engine_can_be_configured(settings):
    settings.TRANSCRIPTION_ENGINE = "tests.transcription.test_engine.SilentEngine"

    assert isinstance(get_engine(), SilentEngine)


class SilentEngine:
    name = "silent"

    def transcribe(self, audio, *, offset=0.0, vocabulary=None):
        return []


def test_the_model_is_loaded_once_per_process():
    first = load_whisper_model(default_model_dir(), "int8", 2)

    assert load_whisper_model(default_model_dir(), "int8", 2) is first


def test_a_model_directory_without_a_model_is_refused_and_nothing_is_downloaded(
    tmp_path, monkeypatch
):
    def no_download(*args, **kwargs):
        raise AssertionError("faster-whisper was asked for a model it does not have")

    monkeypatch.setattr("faster_whisper.WhisperModel", no_download)
    (tmp_path / "config.json").write_text("{}")

    engine = WhisperEngine(tmp_path)

    with pytest.raises(EngineError, match="has no model.bin or tokenizer.json"):
        engine.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32))


def test_the_engine_works_where_django_is_not_configured():
    """The command line and the benchmark use it without settings: the defaults apply."""
    code = (
        "from transcription.engine import WhisperEngine; e = WhisperEngine(); "
        "print(e.model_dir.name, e.compute_type, e.cpu_threads, e.beam_size, "
        "e.model.supported_languages)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment,
        cwd=settings.BASE_DIR, check=True,
    )  # fmt: skip

    assert result.stdout.split() == ["model", "int8", "2", "5", "['en']"]


@pytest.mark.parametrize("vad_filter", [True, False])
def test_nothing_is_made_up_in_the_silence_after_the_speech(meeting_recording, vad_filter):
    """Eight seconds of speech then twenty of silence: every segment lies over the speech
    (which ends at about 7.7 s), with or without the voice activity filter."""
    from transcription.audio import read_chunk

    speech = read_chunk(meeting_recording.path, 0.0, 8.0)
    audio = np.concatenate([speech, np.zeros(20 * SAMPLE_RATE, dtype=np.float32)])

    segments = WhisperEngine(vad_filter=vad_filter).transcribe(audio)

    assert segments
    assert all(segment.end <= 8.1 for segment in segments), [s.text for s in segments]
    assert all(type(word.start) is float for s in segments for word in s.words)


def test_words_are_grouped_into_sentences_and_at_long_pauses():
    words = [
        Word(0.0, 0.4, " Thank"),
        Word(0.4, 0.8, " you,"),
        Word(0.9, 1.2, " Dr."),
        Word(1.2, 1.6, " Cullen."),
        Word(1.7, 2.0, " The"),
        Word(2.0, 2.6, " C.C.G."),
        Word(2.6, 3.0, " agreed"),
        Word(4.5, 4.9, " Next"),
        Word(4.9, 5.3, " item?"),
    ]

    segments = sentences(words)

    assert [(s.start, s.end, s.text) for s in segments] == [
        (0.0, 1.6, "Thank you, Dr. Cullen."),
        (1.7, 3.0, "The C.C.G. agreed"),
        (4.5, 5.3, "Next item?"),
    ]
    assert segments[0].words == words[:4]
