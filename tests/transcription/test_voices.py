"""Offline voice grouping: synthetic vectors, and the short espeak meeting's script as segments.

The recording is read window by window (never the whole file at once): the test shrinks the
window and checks what was decoded. Measured on the short meeting (benchmarks/speakers.py): all
eight voices found, purity 1.0; the assertion leaves room (purity at least 0.9).
"""

from collections import Counter, defaultdict

import numpy as np
import pytest

from boards.factories import PersonFactory
from transcription import voices
from transcription.audio import read_chunk
from transcription.models import Speaker, TranscriptSegment

from .job_helpers import make_meeting, make_recording


def synthetic_voice(rng, centre, pitch_hz):
    means = centre + rng.normal(0, 0.3, voices.KEPT)
    variances = np.abs(1.0 + rng.normal(0, 0.05, voices.KEPT))
    pitch = np.log(pitch_hz * np.exp(rng.normal(0, 0.01)))
    return np.concatenate([means, variances, [pitch]]).astype(np.float32)


def test_group_voices_finds_three_voices_numbered_by_first_appearance():
    rng = np.random.default_rng(1)
    centres = {name: rng.normal(0, 3, voices.KEPT) for name in "abc"}
    pitches = {"a": 100.0, "b": 210.0, "c": 150.0}
    order = list("bbabcacbbaccab")
    vectors = [synthetic_voice(rng, centres[name], pitches[name]) for name in order]

    labels = voices.group_voices([*vectors, None])

    assert labels[-1] is None
    assert labels[:-1] == [{"b": 1, "a": 2, "c": 3}[name] for name in order]


def test_nothing_to_judge_by_is_no_group():
    # (A recording of one voice only is split: distances are scaled by the recording's median,
    # which assumes a meeting, where several people speak. See the module's docstring.)
    assert voices.group_voices([None, None]) == [None, None]
    assert voices.group_voices([]) == []


def test_the_closest_group_takes_vectors_beyond_the_clustered_number(monkeypatch):
    rng = np.random.default_rng(3)
    centres = [rng.normal(0, 3, voices.KEPT) for _ in range(2)]
    order = [i % 2 for i in range(40)]
    vectors = [synthetic_voice(rng, centres[i], 100.0 + 100 * i) for i in order]
    monkeypatch.setattr(voices, "MAX_CLUSTERED", 10)

    assert voices.group_voices(vectors) == [i + 1 for i in order]


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


def script_segments(recording, lines):
    return TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            recording=recording, chunk_index=0, start=line.start, end=line.end, text=line.text
        )
        for line in lines
    )


@pytest.mark.django_db
def test_label_speakers_on_the_short_meeting(
    meeting, meeting_recording, monkeypatch, django_assert_max_num_queries
):
    recording = make_recording(meeting)
    lines = meeting_recording.lines
    segments = script_segments(recording, lines)
    # An officer said the first line is the chair, and corrected another line's speaker.
    chair = Speaker.objects.create(
        recording=recording, label="Speaker 1", person=PersonFactory(family_name="Roche")
    )
    TranscriptSegment.objects.filter(pk=segments[0].pk).update(speaker=chair)
    mistaken = Speaker.objects.create(recording=recording, label="Speaker 9")
    TranscriptSegment.objects.filter(pk=segments[5].pk).update(speaker=mistaken, edited=True)
    windows = []

    def reader(path, start, length):
        windows.append(length)
        return read_chunk(path, start, length)

    monkeypatch.setattr(voices, "WINDOW_SECONDS", 30.0)
    with django_assert_max_num_queries(20):
        found = voices.label_speakers(recording, meeting_recording.path, reader=reader)

    # Read in windows of at most 30 s of segments, never the whole 1.6 minutes.
    assert len(windows) > 2
    assert max(windows) <= 30.0 + voices.MAX_SEGMENT_SECONDS
    labelled = {
        s.pk: s.speaker
        for s in TranscriptSegment.objects.select_related("speaker", "speaker__person")
    }
    assert labelled[segments[0].pk] == chair
    assert labelled[segments[5].pk] == mistaken
    others = [i for i in range(len(lines)) if i not in (0, 5)]
    assert all(labelled[segments[i].pk] is not None for i in others)
    new_labels = {labelled[segments[i].pk].label for i in others}
    assert "Speaker 1" not in new_labels and "Speaker 9" not in new_labels
    assert found == len(new_labels)
    by_group = defaultdict(Counter)
    for i in others:
        by_group[labelled[segments[i].pk].pk][lines[i].speaker] += lines[i].end - lines[i].start
    total = sum(lines[i].end - lines[i].start for i in others)
    purity = sum(max(c.values()) for c in by_group.values()) / total
    assert purity >= 0.9
    assert len({lines[i].speaker for i in others}) - 1 <= found <= 9


@pytest.mark.django_db
def test_label_speakers_again_reuses_and_tidies_labels(meeting, meeting_recording):
    recording = make_recording(meeting)
    script_segments(recording, meeting_recording.lines[:6])
    Speaker.objects.create(recording=recording, label="Speaker 40")  # left from an earlier run

    first = voices.label_speakers(recording, meeting_recording.path)
    labels = set(Speaker.objects.filter(recording=recording).values_list("label", flat=True))
    second = voices.label_speakers(recording, meeting_recording.path)

    assert first == second
    assert labels == {f"Speaker {n}" for n in range(1, first + 1)}
    assert (
        set(Speaker.objects.filter(recording=recording).values_list("label", flat=True)) == labels
    )
