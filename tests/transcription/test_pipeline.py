"""The chunked pipeline: chunks cut at pauses, bounded memory, stop and resume, bad files.

Most tests use small stand-in engines (fast, and exact about what audio each chunk received);
the real engine is tested end to end in test_engine.py and here for resuming.
"""

import hashlib
import subprocess

import numpy as np
import pytest

from transcription.audio import (
    SAMPLE_RATE,
    AudioError,
    CorruptRecordingError,
    EmptyRecordingError,
    NotAudioError,
    probe,
    read_chunk,
)
from transcription.engine import Segment, Word
from transcription.pipeline import (
    ChunkWindow,
    TranscriptionStopped,
    chunk_plan,
    describe_duration,
    find_pause,
    transcribe_recording,
)
from transcription.testing.recordings import looped_recording
from transcription.vocabulary import Vocabulary


class Fingerprints:
    """An engine that 'hears' a chunk as the digest of its samples, and notes every call."""

    name = "fingerprints"

    def __init__(self):
        self.calls = []

    def transcribe(self, audio, *, offset=0.0, vocabulary=None):
        self.calls.append((offset, len(audio) / SAMPLE_RATE))
        digest = hashlib.sha256(np.ascontiguousarray(audio).tobytes()).hexdigest()[:16]
        end = offset + len(audio) / SAMPLE_RATE
        return [Segment(offset, end, digest, [Word(offset, end, " " + digest, 1.0)])]


class ScriptListener:
    """An engine that 'hears' the script lines of a recording that lie within its chunk.

    A line wholly inside the chunk is heard whole; a line a border cuts through is heard as
    "(cut)", so a test can see whether the borders fell in pauses.
    """

    name = "script"

    def __init__(self, recording):
        self.recording = recording

    def transcribe(self, audio, *, offset=0.0, vocabulary=None):
        end = offset + len(audio) / SAMPLE_RATE
        heard = []
        for line in self.recording.lines:
            if line.end <= offset or line.start >= end:
                continue
            whole = offset <= line.start and line.end <= end
            text = line.text if whole else f"(cut) {line.text}"
            heard.append(Segment(max(line.start, offset), min(line.end, end), text))
        return heard


class Deaf:
    """An engine that must not be called (silence is skipped before the engine)."""

    name = "deaf"

    def transcribe(self, audio, **kwargs):
        raise AssertionError("The engine was asked to transcribe silence.")


# --- The plan and the borders ----------------------------------------------------------------


@pytest.mark.parametrize("duration", [5.0, 29.9, 30.0, 61.0, 3 * 3600 + 7.5])
def test_chunks_cover_the_recording_end_to_end_and_are_no_longer_than_asked(duration):
    plan = chunk_plan(duration, chunk_seconds=30, overlap=6)

    assert plan[0].start == 0.0 and plan[-1].end == duration
    assert all(a.end == b.start for a, b in zip(plan, plan[1:], strict=False))
    assert all(0 < chunk.end - chunk.start <= 30.0 for chunk in plan)
    assert [chunk.index for chunk in plan] == list(range(len(plan)))


def test_the_plan_depends_only_on_the_duration_and_settings():
    assert chunk_plan(100.0, 30, 6) == chunk_plan(100.0, 30, 6)
    assert chunk_plan(100.0, 30, 6) == [
        ChunkWindow(0, 0.0, 25.0),
        ChunkWindow(1, 25.0, 50.0),
        ChunkWindow(2, 50.0, 75.0),
        ChunkWindow(3, 75.0, 100.0),
    ]
    assert chunk_plan(0.0, 30, 6) == []


def test_a_chunk_must_be_longer_than_twice_the_overlap():
    with pytest.raises(ValueError, match="twice the overlap"):
        chunk_plan(100.0, chunk_seconds=10, overlap=6)


def test_the_border_moves_to_the_pause():
    """A tone with a 400 ms gap at 2.6-3.0 s: the border goes to its middle, not to 2.0."""
    t = np.arange(5 * SAMPLE_RATE) / SAMPLE_RATE
    samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    samples[int(2.6 * SAMPLE_RATE) : int(3.0 * SAMPLE_RATE)] = 0.0

    assert find_pause(samples, window_start=100.0, nominal=102.0) == pytest.approx(102.8, abs=0.05)


def test_chunks_tile_the_recording_exactly(meeting_recording):
    engine = Fingerprints()

    transcribe_recording(meeting_recording.path, engine, chunk_seconds=20, overlap=6)

    starts = [offset for offset, _length in engine.calls]
    ends = [offset + length for offset, length in engine.calls]
    assert starts[0] == 0.0
    assert all(abs(end - start) < 0.01 for end, start in zip(ends, starts[1:], strict=False))
    assert ends[-1] == pytest.approx(meeting_recording.duration, abs=0.1)
    nominal = [chunk.start for chunk in chunk_plan(probe(meeting_recording.path).duration, 20, 6)]
    assert all(abs(start - planned) <= 3.0 for start, planned in zip(starts, nominal, strict=True))


def test_borders_fall_in_pauses_so_no_short_utterance_is_cut_or_heard_twice(meeting_recording):
    """Every utterance shorter than the search window is heard whole, by exactly one chunk."""
    transcript = transcribe_recording(
        meeting_recording.path, ScriptListener(meeting_recording), chunk_seconds=20, overlap=6
    )

    heard = [segment.text for segment in transcript.segments]
    short = [line.text for line in meeting_recording.lines if line.end - line.start < 6]
    assert len(short) >= 5
    for text in short:
        assert heard.count(text) == 1, text
        assert f"(cut) {text}" not in heard
    # Long utterances may be cut, but only in a quiet moment: never twice or lost.
    for line in meeting_recording.lines:
        pieces = [t for t in heard if t in (line.text, f"(cut) {line.text}")]
        assert 1 <= len(pieces) <= 1 + (line.end - line.start) // 14


def test_each_border_is_quiet(meeting_recording):
    engine = Fingerprints()
    transcribe_recording(meeting_recording.path, engine, chunk_seconds=20, overlap=6)

    for offset, _length in engine.calls[1:]:
        around = read_chunk(meeting_recording.path, offset - 0.05, 0.1)
        loud = read_chunk(meeting_recording.path, offset - 3, 6)
        assert np.sqrt(np.mean(around**2)) < 0.1 * np.abs(loud).max()


# --- Progress, stopping and resuming ----------------------------------------------------------


def test_each_chunk_is_handed_over_in_order_as_it_is_done(meeting_recording):
    handed = []

    transcript = transcribe_recording(
        meeting_recording.path,
        Fingerprints(),
        chunk_seconds=20,
        overlap=6,
        on_chunk=lambda index, total, segments, elapsed: handed.append(
            (index, total, segments, elapsed)
        ),
    )

    total = len(chunk_plan(probe(meeting_recording.path).duration, 20, 6))
    assert [(index, n) for index, n, _s, _e in handed] == [(i, total) for i in range(total)]
    assert [s for *_x, segments, _e in handed for s in segments] == transcript.segments
    elapsed = [e for *_x, e in handed]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0


def test_stopping_then_resuming_gives_exactly_the_full_runs_segments(meeting_recording):
    """The audio of each chunk is identical in a resumed run: nothing lost, nothing twice."""
    full = transcribe_recording(meeting_recording.path, Fingerprints(), chunk_seconds=20, overlap=6)
    saved = []
    asked = []

    def should_stop():
        asked.append(True)
        return len(saved) == 2

    with pytest.raises(TranscriptionStopped) as stopped:
        transcribe_recording(
            meeting_recording.path,
            Fingerprints(),
            chunk_seconds=20,
            overlap=6,
            on_chunk=lambda index, total, segments, elapsed: saved.extend(segments),
            should_stop=should_stop,
        )
    resumed = transcribe_recording(
        meeting_recording.path,
        Fingerprints(),
        chunk_seconds=20,
        overlap=6,
        start_chunk=stopped.value.next_chunk,
    )

    assert stopped.value.next_chunk == 2
    assert len(asked) == 3
    assert saved + resumed.segments == full.segments
    assert len({segment.text for segment in full.segments}) == len(full.segments)


def test_resuming_with_the_real_engine_matches_the_full_run(
    meeting_recording, whisper_engine, meeting_vocabulary, meeting_transcript
):
    saved = []

    with pytest.raises(TranscriptionStopped) as stopped:
        transcribe_recording(
            meeting_recording.path,
            whisper_engine,
            vocabulary=meeting_vocabulary,
            on_chunk=lambda index, total, segments, elapsed: saved.extend(segments),
            should_stop=lambda: bool(saved),
        )
    resumed = transcribe_recording(
        meeting_recording.path,
        whisper_engine,
        vocabulary=meeting_vocabulary,
        start_chunk=stopped.value.next_chunk,
    )

    assert stopped.value.next_chunk == 1
    assert saved + resumed.segments == meeting_transcript.segments


def test_a_start_chunk_outside_the_plan_is_refused(meeting_recording):
    with pytest.raises(ValueError, match="start_chunk"):
        transcribe_recording(meeting_recording.path, Fingerprints(), start_chunk=99)


def test_starting_after_the_last_chunk_does_nothing(meeting_recording):
    total = len(chunk_plan(probe(meeting_recording.path).duration))
    engine = Fingerprints()

    transcript = transcribe_recording(meeting_recording.path, engine, start_chunk=total)

    assert engine.calls == [] and transcript.segments == [] and transcript.notes == []


def test_names_are_corrected_before_a_chunk_is_handed_over(meeting_recording):
    class Mishearing:
        name = "mishearing"

        def transcribe(self, audio, *, offset=0.0, vocabulary=None):
            words = [Word(offset, offset + 1, " Tony"), Word(offset + 1, offset + 2, " Clabbitt.")]
            return [Segment(offset, offset + 2, "Tony Clabbitt.", words)]

    handed = []
    transcript = transcribe_recording(
        meeting_recording.path,
        Mishearing(),
        vocabulary=Vocabulary.build(attendees=["Tony Clabby"]),
        on_chunk=lambda index, total, segments, elapsed: handed.extend(segments),
    )

    assert {segment.text for segment in handed} == {"Tony Clabby."}
    assert handed == transcript.segments


# --- Bad and unusual files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("not_audio", NotAudioError),
        ("image", NotAudioError),
        ("zero_length", EmptyRecordingError),
        ("corrupt_mp3", CorruptRecordingError),
    ],
)
def test_a_file_that_cannot_be_read_raises_a_clerks_message(bad_recordings, kind, error):
    engine = Fingerprints()

    with pytest.raises(error) as raised:
        transcribe_recording(bad_recordings[kind], engine)

    assert isinstance(raised.value, AudioError)
    assert str(raised.value).startswith("The file “")
    assert engine.calls == []


def test_silence_gives_no_segments_and_a_note_without_calling_the_engine(bad_recordings):
    transcript = transcribe_recording(bad_recordings["silence"], Deaf())

    assert transcript.segments == []
    assert transcript.duration == pytest.approx(30.0, abs=0.5)
    assert transcript.notes == [
        "No speech was found in the recording (30 seconds of silence or background sound). "
        "Check that the right file was uploaded and that the microphones were on."
    ]


def test_a_truncated_mp3_is_transcribed_as_far_as_it_goes_and_says_so(
    bad_recordings, whisper_engine, meeting_recording
):
    handed = []

    transcript = transcribe_recording(
        bad_recordings["truncated_mp3"],
        whisper_engine,
        on_chunk=lambda index, total, segments, elapsed: handed.append(index),
    )

    assert 5 < transcript.duration < 15
    assert transcript.segments and transcript.segments[-1].end <= transcript.duration + 0.1
    assert "Good morning" in transcript.text
    [note] = transcript.notes
    assert note.startswith(
        f"The recording stops after {describe_duration(transcript.duration)}, although the file "
        "says it lasts 20 seconds: the rest could not be read"
    )
    assert handed == [0]


def test_a_ten_hour_recording_is_planned_and_read_in_bounded_windows(
    tmp_path_factory, meeting_recording
):
    """Ten hours (the meeting looped, copied without re-encoding): the last chunks are read
    straight from the end of the file, in windows of a chunk, whatever the length."""
    low = tmp_path_factory.mktemp("ten-hours") / "meeting-16k.mp3"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(meeting_recording.path), "-ac", "1",  # noqa: S607
         "-ar", "16000", "-b:a", "16k", str(low)],
        check=True,
    )  # fmt: skip
    low_recording = type(meeting_recording)(low, meeting_recording.duration, [])
    ten_hours = looped_recording(low_recording, 600)
    info = probe(ten_hours)
    total = len(chunk_plan(info.duration))
    engine = Fingerprints()
    handed = []

    transcript = transcribe_recording(
        ten_hours,
        engine,
        info=info,
        start_chunk=total - 3,
        on_chunk=lambda index, n, segments, elapsed: handed.append(index),
    )

    assert info.duration == pytest.approx(36000, abs=2)
    assert handed == [total - 3, total - 2, total - 1]
    assert transcript.segments[-1].end == pytest.approx(info.duration, abs=0.5)
    assert max(length for _offset, length in engine.calls) <= 60 + 6
    assert transcript.notes == []
