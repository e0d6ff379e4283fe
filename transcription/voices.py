"""Telling voices apart offline: which segments of a recording were said by the same person.

No model is downloaded and nothing but numpy and ffmpeg is used. Each segment gets a voice
vector: the means and variances of its voiced frames' mel-frequency cepstrum (the shape of the
vocal tract) and its median pitch. Two segments are as far apart as the symmetric
Kullback-Leibler divergence of their cepstra taken as Gaussians (scaled by its median over the
recording) plus `PITCH_WEIGHT` per semitone of pitch between them. Segments are grouped by
agglomerative clustering with average linkage until the closest groups are further apart than
`DISTANCE_THRESHOLD`, and labelled "Speaker 1", "Speaker 2"... in the order they first speak.
(Cosine distance between standardised vectors was measured too, and was clearly worse: see
benchmarks/speakers.py.)

Memory stays bounded however long the meeting: the audio is decoded window by window
(`read_chunk`, about `WINDOW_SECONDS` at a time, never the whole file) and only one small vector
per segment is kept. Clustering holds one float32 distance matrix of at most `MAX_CLUSTERED`
segments (36 MB for 3,000); segments beyond that number, and those with too little voiced sound
to judge, join the group they are closest to on average.

Distances are scaled by their median over the recording, which assumes what a meeting is: several
people speaking. A recording of a single voice is split into several groups.

How well it works is measured by `benchmarks/speakers.py` on the synthetic meetings: it is a
starting point that an officer corrects (`transcription:speakers`), never a record of who spoke.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from .audio import SAMPLE_RATE, read_chunk

logger = logging.getLogger(__name__)

# Decode about this much audio at a time (segments are never split between windows).
WINDOW_SECONDS = 120.0
# Only the first minute of a very long segment is analysed: plenty to characterise a voice.
MAX_SEGMENT_SECONDS = 60.0
# Distance (see `voice_distances`) above which groups of segments are not merged, and what a
# semitone of difference in median pitch adds to it. Tuned on the synthetic meetings
# (benchmarks/speakers.py).
DISTANCE_THRESHOLD = 1.0
PITCH_WEIGHT = 0.5
SEMITONE = float(np.log(2) / 12)
# Segments with less voiced sound than this are too short to judge: they join the nearest group.
MIN_VOICED_SECONDS = 0.6
# Less than this is nothing to go on at all.
MIN_SOUND_SECONDS = 0.1
# At most this many segments go into the distance matrix (memory and time are quadratic in it).
MAX_CLUSTERED = 3000
BLOCK_ROWS = 64  # rows of distances computed at once (64 × 3,000 × 19 floats: 29 MB)
VARIANCE_FLOOR = 1e-3
MIN_PITCHED_FRAMES = 5

FRAME = 400  # 25 ms at 16 kHz
HOP = 160  # 10 ms
FFT_SIZE = 512
MEL_BANDS = 40
CEPSTRA = 20  # c1..c19 are kept (c0 is loudness, which says more about the microphone)
PITCH_MIN, PITCH_MAX = 60.0, 400.0
PITCH_FRAME = 640  # 40 ms: two periods of the lowest pitch
VOICED_CORRELATION = 0.45
SILENCE_DB = 35.0  # frames this far below the segment's loudest are pauses

AUTOMATIC_LABEL = re.compile(r"^Speaker (\d+)$")


# --- Features ---------------------------------------------------------------------------------


def _mel_filterbank() -> np.ndarray:
    def to_mel(hz):
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    def to_hz(mel):
        return 700.0 * (10.0 ** (np.asarray(mel) / 2595.0) - 1.0)

    edges = to_hz(np.linspace(to_mel(60.0), to_mel(7600.0), MEL_BANDS + 2))
    bins = np.fft.rfftfreq(FFT_SIZE, 1.0 / SAMPLE_RATE)
    bank = np.zeros((MEL_BANDS, len(bins)), dtype=np.float32)
    for band in range(MEL_BANDS):
        low, centre, high = edges[band : band + 3]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        bank[band] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank


def _dct_matrix() -> np.ndarray:
    n = np.arange(MEL_BANDS)
    k = np.arange(CEPSTRA)[:, None]
    matrix = np.cos(np.pi * k * (2 * n + 1) / (2 * MEL_BANDS)) * np.sqrt(2.0 / MEL_BANDS)
    matrix[0] /= np.sqrt(2.0)
    return matrix.astype(np.float32)


MEL_BANK = _mel_filterbank()
DCT = _dct_matrix()
WINDOW = np.hamming(FRAME).astype(np.float32)
KEPT = CEPSTRA - 1
FEATURE_SIZE = 2 * KEPT + 1  # cepstral means, cepstral variances, median log pitch


def _frames(samples: np.ndarray, size: int) -> np.ndarray:
    count = 1 + (len(samples) - size) // HOP
    return np.lib.stride_tricks.sliding_window_view(samples, size)[::HOP][:count]


def _pitch(samples: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """Pitch in Hz of the voiced frames that have a clear period (autocorrelation)."""
    if len(samples) < PITCH_FRAME:
        return np.empty(0)
    frames = _frames(samples, PITCH_FRAME)[: len(voiced)]
    frames = frames[voiced[: len(frames)]]
    if not len(frames):
        return np.empty(0)
    frames = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames, 2 * PITCH_FRAME, axis=1)
    correlation = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :PITCH_FRAME]
    energy = correlation[:, :1] + 1e-9
    # Correct for the shrinking overlap at longer lags, so low voices are not penalised.
    lags = np.arange(PITCH_FRAME)
    correlation = correlation / energy * (PITCH_FRAME / (PITCH_FRAME - lags))
    low, high = int(SAMPLE_RATE / PITCH_MAX), int(SAMPLE_RATE / PITCH_MIN)
    window = correlation[:, low:high]
    best = window.argmax(axis=1)
    strength = window[np.arange(len(window)), best]
    return SAMPLE_RATE / (best[strength > VOICED_CORRELATION] + low)


@dataclass(frozen=True)
class Voice:
    """The voice features of one stretch of speech, and how many seconds of it were voiced."""

    vector: np.ndarray
    seconds: float


def voice_of(samples: np.ndarray) -> Voice | None:
    """The voice features of one stretch of speech, or None if it holds almost no sound."""
    samples = np.asarray(samples, dtype=np.float32)
    if len(samples) < FRAME + HOP:
        return None
    samples = np.append(samples[0], samples[1:] - 0.97 * samples[:-1])  # pre-emphasis
    frames = _frames(samples, FRAME) * WINDOW
    power = np.abs(np.fft.rfft(frames, FFT_SIZE, axis=1)) ** 2
    mel = np.log(power @ MEL_BANK.T + 1e-8)
    loudness = 10.0 * np.log10(power.sum(axis=1) + 1e-8)
    voiced = loudness > loudness.max() - SILENCE_DB
    seconds = float(voiced.sum() * HOP / SAMPLE_RATE)
    if seconds < MIN_SOUND_SECONDS:
        return None
    cepstra = (mel[voiced] @ DCT.T)[:, 1:]
    pitch = _pitch(samples, voiced)
    log_pitch = float(np.median(np.log(pitch))) if len(pitch) >= MIN_PITCHED_FRAMES else np.nan
    vector = np.concatenate([cepstra.mean(axis=0), cepstra.var(axis=0), [log_pitch]])
    return Voice(vector.astype(np.float32), seconds)


@dataclass(frozen=True)
class Stretch:
    """A stretch of the recording to characterise: a segment's key and its times in seconds."""

    key: object
    start: float
    end: float


def _windows(stretches: Sequence[Stretch]) -> Iterable[list[Stretch]]:
    """Stretches in time order, grouped so that each group's audio is about one window."""
    group: list[Stretch] = []
    for stretch in sorted(stretches, key=lambda s: (s.start, s.end)):
        end = min(stretch.end, stretch.start + MAX_SEGMENT_SECONDS)
        if group and end - group[0].start > WINDOW_SECONDS:
            yield group
            group = []
        group.append(stretch)
    if group:
        yield group


def voices_of(
    path, stretches: Sequence[Stretch], *, reader: Callable = read_chunk
) -> dict[object, Voice | None]:
    """{key: Voice or None} for each stretch, decoding one window of audio at a time."""
    vectors: dict[object, Voice | None] = {}
    for group in _windows(stretches):
        start = group[0].start
        end = max(min(s.end, s.start + MAX_SEGMENT_SECONDS) for s in group)
        audio = reader(path, start, end - start)
        for stretch in group:
            first = int((stretch.start - start) * SAMPLE_RATE)
            last = int(
                (min(stretch.end, stretch.start + MAX_SEGMENT_SECONDS) - start) * SAMPLE_RATE
            )
            vectors[stretch.key] = voice_of(audio[max(first, 0) : max(last, 0)])
    return vectors


# --- Grouping ---------------------------------------------------------------------------------


def _split(vectors: np.ndarray):
    means = vectors[:, :KEPT].astype(np.float64)
    variances = vectors[:, KEPT : 2 * KEPT].astype(np.float64) + VARIANCE_FLOOR
    pitch = vectors[:, 2 * KEPT].astype(np.float64)
    return means, variances, pitch


def _distances(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Voice distances between two sets of vectors (float32, len(rows) × len(columns)).

    The symmetric Kullback-Leibler divergence of the segments' cepstra taken as Gaussians with
    diagonal covariance (a classic measure of whether two stretches of speech share a speaker),
    plus `PITCH_WEIGHT` per semitone between their median pitches where both have one. Not yet
    scaled: see `_scale`. Computed in blocks of rows, so memory stays near the result's size.
    """
    row_means, row_variances, row_pitch = _split(rows)
    column_means, column_variances, column_pitch = _split(columns)
    result = np.empty((len(rows), len(columns)), dtype=np.float32)
    for first in range(0, len(rows), BLOCK_ROWS):
        block = slice(first, first + BLOCK_ROWS)
        mean_a, variance_a = row_means[block, None, :], row_variances[block, None, :]
        mean_b, variance_b = column_means[None], column_variances[None]
        divergence = 0.5 * (
            variance_a / variance_b
            + variance_b / variance_a
            - 2.0
            + (mean_a - mean_b) ** 2 * (1.0 / variance_a + 1.0 / variance_b)
        ).sum(axis=2)
        result[block] = divergence
    return result


def _pitch_gaps(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    gaps = np.abs(rows[:, 2 * KEPT, None] - columns[None, :, 2 * KEPT]) / SEMITONE
    return np.nan_to_num(gaps, nan=0.0).astype(np.float32)


def voice_distances(vectors: np.ndarray) -> np.ndarray:
    """The square matrix of distances between voice vectors, on the scale of the threshold.

    Divergences are divided by their median over the recording, so the threshold does not
    depend on how noisy or long the recording is; the pitch term is added after that.
    """
    divergence = _distances(vectors, vectors)
    scale = _scale(divergence)
    return divergence / scale + PITCH_WEIGHT * _pitch_gaps(vectors, vectors)


def _scale(divergence: np.ndarray) -> float:
    count = len(divergence)
    if count < 2:
        return 1.0
    off_diagonal = divergence[~np.eye(count, dtype=bool)]
    median = float(np.median(off_diagonal))
    return median if median > 1e-9 else 1.0


def _average_linkage(distance: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster ids: average-linkage merges at distances up to `threshold`.

    The nearest-neighbour chain algorithm: O(n²) time, working in place on the n×n float32
    matrix, with the same result as merging the closest pair again and again (average linkage
    is reducible, so the dendrogram can be cut at the threshold afterwards).
    """
    count = len(distance)
    if count == 1:
        return np.zeros(1, dtype=int)
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(count)
    active = np.ones(count, dtype=bool)
    merges: list[tuple[float, int, int]] = []
    chain: list[int] = []
    for _ in range(count - 1):
        if not chain:
            chain.append(int(np.flatnonzero(active)[0]))
        while True:
            top = chain[-1]
            row = np.where(active, distance[top], np.inf)
            row[top] = np.inf
            nearest = int(row.argmin())
            if len(chain) > 1 and row[chain[-2]] <= row[nearest]:
                break
            chain.append(nearest)
        a, b = chain.pop(), chain.pop()
        merges.append((float(distance[a, b]), a, b))
        # Lance-Williams for average linkage; the merged group keeps index a.
        merged = (sizes[a] * distance[a] + sizes[b] * distance[b]) / (sizes[a] + sizes[b])
        distance[a], distance[:, a] = merged, merged
        distance[a, a] = np.inf
        distance[b], distance[:, b] = np.inf, np.inf
        sizes[a] += sizes[b]
        active[b] = False
    parent = list(range(count))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for gap, a, b in sorted(merges):
        if gap > threshold:
            break
        parent[root(b)] = root(a)
    return np.array([root(i) for i in range(count)])


def group_voices(
    vectors: Sequence[np.ndarray | None], *, threshold: float = DISTANCE_THRESHOLD
) -> list[int | None]:
    """A group number for each voice vector (1, 2... in order of first appearance).

    Vectors are given in time order; None (nothing to judge by) stays None.
    """
    present = [i for i, vector in enumerate(vectors) if vector is not None]
    labels: list[int | None] = [None] * len(vectors)
    if present:
        matrix = np.stack([np.asarray(vectors[i], dtype=np.float32) for i in present])
        grouping = _Grouping(matrix, threshold)
        for index, group in zip(present, grouping.groups, strict=True):
            labels[index] = int(group)
    return _renumber(labels)


class _Grouping:
    """Clusters of a matrix of voice vectors; `closest` places further vectors among them.

    Beyond `MAX_CLUSTERED` vectors, an even sample of them is clustered and the rest join the
    group they are closest to on average, so the distance matrix never exceeds that size.
    """

    def __init__(self, matrix: np.ndarray, threshold: float):
        if len(matrix) > MAX_CLUSTERED:
            chosen = np.linspace(0, len(matrix) - 1, MAX_CLUSTERED).round().astype(int)
        else:
            chosen = np.arange(len(matrix))
        self.members = matrix[chosen]
        distance = _distances(self.members, self.members)
        self.scale = _scale(distance)
        distance /= self.scale
        distance += PITCH_WEIGHT * _pitch_gaps(self.members, self.members)
        self.member_groups = _average_linkage(distance, threshold)
        del distance
        self.groups = np.full(len(matrix), -1)
        self.groups[chosen] = self.member_groups
        rest = np.flatnonzero(self.groups < 0)
        if len(rest):
            self.groups[rest] = self.closest(matrix[rest])

    def closest(self, vectors: np.ndarray) -> np.ndarray:
        """For each vector, the group it is closest to on average (as average linkage would)."""
        ids = np.unique(self.member_groups)
        result = np.empty(len(vectors), dtype=int)
        for first in range(0, len(vectors), BLOCK_ROWS):
            block = vectors[first : first + BLOCK_ROWS]
            distance = _distances(block, self.members) / self.scale
            distance += PITCH_WEIGHT * _pitch_gaps(block, self.members)
            means = np.stack(
                [distance[:, self.member_groups == group].mean(axis=1) for group in ids], axis=1
            )
            result[first : first + BLOCK_ROWS] = ids[means.argmin(axis=1)]
        return result


def group_segments(
    voices: Sequence[Voice | None], *, threshold: float = DISTANCE_THRESHOLD
) -> list[int | None]:
    """Group numbers for segments' voices, in time order: segments with enough voiced sound are
    clustered; shorter ones join the group they are closest to; no sound at all gives None."""
    reliable = [
        i for i, v in enumerate(voices) if v is not None and v.seconds >= MIN_VOICED_SECONDS
    ]
    if not reliable:
        # Nothing long enough anywhere: do what can be done with the short ones.
        return group_voices([v.vector if v is not None else None for v in voices])
    labels: list[int | None] = [None] * len(voices)
    grouping = _Grouping(np.stack([voices[i].vector for i in reliable]), threshold)
    for index, group in zip(reliable, grouping.groups, strict=True):
        labels[index] = int(group)
    short = [i for i, v in enumerate(voices) if v is not None and labels[i] is None]
    if short:
        found = grouping.closest(np.stack([voices[i].vector for i in short]))
        for index, group in zip(short, found, strict=True):
            labels[index] = int(group)
    return _renumber(labels)


def _renumber(labels: Sequence[int | None]) -> list[int | None]:
    """Groups numbered 1, 2... in the order they first appear."""
    numbers: dict[int, int] = {}
    return [
        None if label is None else numbers.setdefault(label, len(numbers) + 1) for label in labels
    ]


# --- A recording's segments -------------------------------------------------------------------


def label_speakers(recording, path, *, reader: Callable = read_chunk) -> int:
    """Group the recording's segments by voice and label them "Speaker 1", "Speaker 2"...

    Returns the number of speakers found. What officers have said is left alone: segments they
    corrected (`edited`) keep their speaker, and so does every segment of a speaker mapped to a
    person; those speakers' labels are never reused. Run again (after more of the recording is
    transcribed), it relabels the other segments and removes unmapped "Speaker N" rows that no
    segment uses any more. `path` is a local copy of the recording's file.

    Writes are in bulk and conditional (one UPDATE per speaker, never per segment), so an
    officer's correction made while the voices were being analysed is not overwritten.
    """
    from django.db import transaction

    from .models import Speaker, TranscriptSegment

    free = list(
        TranscriptSegment.objects.filter(recording=recording, edited=False)
        .filter(_unmapped())
        .order_by("start", "pk")
        .values_list("pk", "start", "end")
    )
    found = voices_of(path, [Stretch(pk, start, end) for pk, start, end in free], reader=reader)
    groups = group_segments([found[pk] for pk, _start, _end in free])
    members: dict[int, list[int]] = {}
    for (pk, _start, _end), group in zip(free, groups, strict=True):
        if group is not None:
            members.setdefault(group, []).append(pk)

    with transaction.atomic():
        speakers = {s.label: s for s in Speaker.objects.filter(recording=recording)}
        reserved = {
            label
            for label, speaker in speakers.items()
            if speaker.person_id is not None or not AUTOMATIC_LABEL.match(label)
        }
        reserved |= set(
            Speaker.objects.filter(recording=recording, segments__edited=True).values_list(
                "label", flat=True
            )
        )
        labels = _free_labels(reserved, len(members))
        missing = [
            Speaker(recording=recording, label=label) for label in labels if label not in speakers
        ]
        Speaker.objects.bulk_create(missing)
        speakers.update({speaker.label: speaker for speaker in missing})
        if any(speaker.pk is None for speaker in missing):  # backends without RETURNING
            speakers = {s.label: s for s in Speaker.objects.filter(recording=recording)}
        for label, group in zip(labels, sorted(members), strict=True):
            for batch in _batches(members[group]):
                TranscriptSegment.objects.filter(pk__in=batch, edited=False).filter(
                    _unmapped()
                ).update(speaker=speakers[label])
        Speaker.objects.filter(recording=recording, person=None, segments=None).exclude(
            label__in=reserved | set(labels)
        ).filter(label__regex=AUTOMATIC_LABEL.pattern).delete()
    return len(members)


def _unmapped() -> Q:
    """Segments whose speaker is not yet said to be a person (or that have none)."""
    return Q(speaker=None) | Q(speaker__person=None)


def _free_labels(reserved: set[str], count: int) -> list[str]:
    """`count` labels "Speaker N", lowest numbers first, skipping those officers rely on."""
    labels, number = [], 1
    while len(labels) < count:
        label = f"Speaker {number}"
        if label not in reserved:
            labels.append(label)
        number += 1
    return labels


def _batches(items: list, size: int = 500):
    for first in range(0, len(items), size):
        yield items[first : first + size]
