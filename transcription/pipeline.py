"""Transcribing a recording of any length, chunk by chunk, so it can stop and resume.

A recording is cut into chunks of at most 24 seconds (`chunk_plan`, evenly). Each border is then
moved, up to `overlap / 2` (3 s) either way, to the middle of the longest pause there, found from
the sound's energy; the chunks tile the recording exactly, end to end, so a word is never heard
by two chunks (no duplicates) nor cut in two (no losses), and no text needs de-duplicating.

A chunk is therefore at most 30 seconds: one Whisper window. The engine decodes it whole, with
the meeting's names and terms as its prompt, and times the words by alignment. Measured on the
16-minute test meeting (benchmarks/transcription.py), this beats both plain faster-whisper on the
whole file and minute-long chunks: the prompt reaches every window instead of only the first,
and tiny.en cannot skip speech by jumping its timestamps.

Only one chunk is decoded and held at a time (about 2 MB of samples), so memory does not grow
with the length of the recording. Each finished chunk is handed to `on_chunk` (to be saved)
before the next starts; a job killed mid-way calls `transcribe_recording` again with
`start_chunk` = the first chunk not saved. A chunk's audio depends only on the file and the
chunk's index (its borders are found from windows decoded the same way every time), so a resumed
run produces exactly the segments the full run would have.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE, AudioInfo, decode_window, probe
from .engine import Engine, Segment, Transcript, Word, setting
from .vocabulary import Vocabulary

FRAME = SAMPLE_RATE // 100  # 10 ms energy frames for finding pauses
PAUSE_FRAMES = 25  # the energy is averaged over 250 ms: a pause, not a gap between syllables
# A chunk whose loudest 100 ms is quieter than this (about -66 dBFS) is silence: no engine call,
# so the model cannot "hear" words in it.
SILENCE_RMS = 5e-4
# A chunk shorter than planned by more than this means the decodable sound ended early.
SHORT_READ_TOLERANCE = 0.5

OnChunk = Callable[[int, int, list[Segment], float], None]


@dataclass(frozen=True)
class ChunkWindow:
    """A chunk as planned: its index and nominal start and end (seconds)."""

    index: int
    start: float
    end: float


class TranscriptionStopped(Exception):
    """`should_stop()` said to stop. `next_chunk` is the first chunk not transcribed."""

    def __init__(self, next_chunk: int):
        super().__init__(f"Transcription stopped before chunk {next_chunk}.")
        self.next_chunk = next_chunk


def chunk_plan(
    duration: float, chunk_seconds: float | None = None, overlap: float | None = None
) -> list[ChunkWindow]:
    """The chunks of a recording of `duration` seconds: equal, at most `chunk_seconds` long.

    The pipeline moves each border between chunks to a pause up to `overlap / 2` seconds either
    side. A resumed job must use the same `chunk_seconds` and `overlap` as the run it continues.
    """
    chunk_seconds = float(chunk_seconds or setting("TRANSCRIPTION_CHUNK_SECONDS"))
    overlap = float(setting("TRANSCRIPTION_CHUNK_OVERLAP") if overlap is None else overlap)
    if chunk_seconds <= 2 * overlap:
        raise ValueError("A chunk must be longer than twice the overlap.")
    if duration <= 0:
        return []
    count = max(1, math.ceil(duration / chunk_seconds))
    length = duration / count
    return [
        ChunkWindow(
            index,
            round(index * length, 3),
            duration if index == count - 1 else round((index + 1) * length, 3),
        )
        for index in range(count)
    ]


def find_pause(samples: np.ndarray, window_start: float, nominal: float) -> float:
    """The middle of the longest pause (time in the recording) in samples from `window_start`.

    Energy is averaged over 250 ms so the cut falls in a pause rather than between two
    syllables. Rounded to the centisecond.
    """
    frames = len(samples) // FRAME
    if frames < PAUSE_FRAMES:
        return round(nominal, 2)
    energy = (
        np.square(samples[: frames * FRAME].astype(np.float64)).reshape(frames, FRAME).mean(axis=1)
    )
    smoothed = np.convolve(energy, np.ones(PAUSE_FRAMES) / PAUSE_FRAMES, mode="valid")
    centres = window_start + (np.arange(len(smoothed)) + PAUSE_FRAMES / 2) * FRAME / SAMPLE_RATE
    quiet = np.flatnonzero(smoothed <= smoothed.min() * 1.05 + 1e-12)
    # Runs of equally quiet moments are pauses: take the middle of the longest, the safest place
    # to cut (a pause between sentences rather than one between words), the nearest if equal.
    runs = np.split(quiet, np.flatnonzero(np.diff(quiet) > 1) + 1)
    middles = [centres[run].mean() for run in runs]
    best = max(range(len(runs)), key=lambda i: (len(runs[i]), -abs(middles[i] - nominal)))
    return round(float(middles[best]), 2)


def is_silent(samples: np.ndarray) -> bool:
    """True if no 100 ms of the samples is louder than `SILENCE_RMS`."""
    step = SAMPLE_RATE // 10
    frames = len(samples) // step
    if frames == 0:
        return not len(samples) or float(np.sqrt(np.mean(np.square(samples)))) < SILENCE_RMS
    rms = np.sqrt(np.square(samples[: frames * step]).reshape(frames, step).mean(axis=1))
    return float(rms.max()) < SILENCE_RMS


def describe_duration(seconds: float) -> str:
    """ "1 hour 2 minutes", "9 minutes 58 seconds", "40 seconds": for notes to a clerk."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(hours, "hour"), (minutes, "minute")] + ([] if hours else [(secs, "second")])
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "0 seconds"


def _clamp(segment: Segment, low: float, high: float) -> Segment:
    def inside(value: float) -> float:
        return round(min(max(value, low), high), 3)

    return Segment(
        start=inside(segment.start),
        end=inside(segment.end),
        text=segment.text,
        words=[Word(inside(w.start), inside(w.end), w.text, w.probability) for w in segment.words],
        speaker=segment.speaker,
    )


def transcribe_recording(
    path: str | Path,
    engine: Engine,
    *,
    vocabulary: Vocabulary | None = None,
    start_chunk: int = 0,
    on_chunk: OnChunk | None = None,
    should_stop: Callable[[], bool] | None = None,
    chunk_seconds: float | None = None,
    overlap: float | None = None,
    info: AudioInfo | None = None,
    name: str | None = None,
) -> Transcript:
    """Transcribe `path` chunk by chunk from `start_chunk`, correcting names and terms.

    After each chunk, `on_chunk(index, total, segments, elapsed)` receives that chunk's segments
    (times in the recording, names corrected) and the seconds spent so far in this call; save
    them there to be able to resume. `should_stop()` is asked before each chunk; if it says yes,
    `TranscriptionStopped(next_chunk)` is raised (everything before is already handed over).

    Returns the segments of the chunks transcribed by this call (a resumed call's earlier chunks
    are the caller's) and notes for the clerk: no speech found, or the file ending before its
    header said. Raises `AudioError` (with a message for the clerk) if the file cannot be read.
    `name` is the file's name as the clerk knows it, for messages.
    """
    started = time.monotonic()
    info = info or probe(path, name=name)
    plan = chunk_plan(info.duration, chunk_seconds, overlap)
    overlap = float(setting("TRANSCRIPTION_CHUNK_OVERLAP") if overlap is None else overlap)
    total = len(plan)
    if not 0 <= start_chunk <= total:
        raise ValueError(f"start_chunk must be between 0 and {total}.")
    borders: dict[int, float] = {0: 0.0, total: info.duration}

    def border(index: int) -> float:
        """Where chunk `index` starts: the quietest moment near its nominal start."""
        if index not in borders:
            nominal = plan[index].start
            window = decode_window(path, nominal - overlap / 2, overlap, name=name)
            borders[index] = find_pause(window.samples, nominal - overlap / 2, nominal)
        return borders[index]

    segments: list[Segment] = []
    notes: list[str] = []

    decode_problems = 0
    readable_end: float | None = None
    for index in range(start_chunk, total):
        if should_stop is not None and should_stop():
            raise TranscriptionStopped(index)
        start, end = border(index), border(index + 1)
        decoded = decode_window(path, start, end - start, name=name)
        decode_problems += len(decoded.errors)
        chunk_segments: list[Segment] = []
        if decoded.seconds and not is_silent(decoded.samples):
            heard = engine.transcribe(decoded.samples, offset=start, vocabulary=vocabulary)
            chunk_segments = [_clamp(segment, start, end) for segment in heard]
            if vocabulary is not None:
                chunk_segments = vocabulary.correct(chunk_segments)
        segments.extend(chunk_segments)
        if on_chunk is not None:
            on_chunk(index, total, chunk_segments, time.monotonic() - started)
        if decoded.seconds < end - start - SHORT_READ_TOLERANCE:
            readable_end = start + decoded.seconds
            break

    duration = info.duration
    if readable_end is not None:
        duration = round(readable_end, 3)
        notes.append(
            f"The recording stops after {describe_duration(readable_end)}, although the file says "
            f"it lasts {describe_duration(info.duration)}: the rest could not be read (the file "
            "was probably cut short when it was copied or uploaded). What could be read has been "
            "transcribed; upload the complete file to transcribe the rest."
        )
    elif decode_problems:
        notes.append(
            "Parts of the recording could not be decoded cleanly, so a few words may be missing "
            "where the sound is damaged."
        )
    if start_chunk == 0 and not segments:
        notes.append(
            f"No speech was found in the recording ({describe_duration(duration)} of silence or "
            "background sound). Check that the right file was uploaded and that the microphones "
            "were on."
        )
    return Transcript(duration=duration, segments=segments, language="en", notes=notes)
