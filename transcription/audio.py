"""Reading recordings: what a file holds (`probe`) and a window of its sound (`read_chunk`).

Everything goes through ffmpeg, so any container a council's recorder or video platform produces
(mp3, m4a, wav, ogg, webm, mp4 video…) is read the same way, and only the window asked for is
decoded: a ten-hour recording costs no more memory than a ten-minute one. Windows come back as
16 kHz mono float32 samples, which is what Whisper expects.

Files that cannot be transcribed raise an `AudioError` whose message is written for the clerk who
uploaded the file (what is wrong and what to do), with ffmpeg's own words at the end for whoever
supports the system. Two cases are deliberately *not* errors:

- silence only: the file is read and the transcript simply has no segments (the pipeline adds a
  note saying no speech was found);
- a truncated or partly corrupt file: what can be decoded is transcribed and the pipeline notes how
  much of the announced length could be read. Only a file with no decodable sound at all fails.
"""

from __future__ import annotations

import json
import math
import subprocess  # noqa: S404 - runs ffmpeg/ffprobe with argument lists, never a shell
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
# ffmpeg starts in well under a second; a window of a minute decodes in a second or two. These
# limits only stop a stuck process from holding a worker for ever.
PROBE_TIMEOUT = 120
DECODE_TIMEOUT_BASE = 120
# Anything shorter is treated as containing no sound.
MIN_DURATION = 0.05


class AudioError(Exception):
    """A recording that cannot be transcribed. `str(error)` is the message for the clerk."""

    def __init__(self, message: str, *, path: str | Path | None = None, detail: str = ""):
        super().__init__(message)
        self.path = path
        self.detail = detail


class MissingRecordingError(AudioError):
    """The file is not where the job expected it."""


class EmptyRecordingError(AudioError):
    """Zero bytes, or a container with no sound in it (zero length)."""


class NotAudioError(AudioError):
    """ffmpeg cannot read the file, or it holds no sound track (a document, a picture)."""


class CorruptRecordingError(AudioError):
    """It looks like a recording, but not a moment of it can be decoded."""


class AudioToolMissingError(AudioError):
    """ffmpeg or ffprobe is not installed on the worker."""


@dataclass(frozen=True)
class AudioInfo:
    """What a recording holds, from ffprobe. `duration` is in seconds, as its header says."""

    duration: float
    format_name: str = ""
    codec: str = ""
    sample_rate: int = 0
    channels: int = 0
    has_video: bool = False
    size_bytes: int = 0
    duration_measured: bool = False  # True when the header had none and the file was decoded


@dataclass
class DecodedAudio:
    """A decoded window: samples (16 kHz mono float32) and ffmpeg's complaints, if any."""

    samples: np.ndarray
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _label(path: Path, name: str | None) -> str:
    return f"“{name or path.name}”"


def _last_lines(text: str, count: int = 2) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-count:])


def _run(command: list[str], *, timeout: float, path: Path, name: str | None):
    try:
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise AudioToolMissingError(
            f"The recording {_label(path, name)} cannot be read because {command[0]} is not "
            "installed on the transcription worker. Please ask the system administrator to "
            "install ffmpeg.",
            path=path,
            detail=str(error),
        ) from error
    except subprocess.TimeoutExpired as error:
        raise CorruptRecordingError(
            f"The recording {_label(path, name)} could not be read: reading it took longer than "
            f"{int(timeout)} seconds. The file may be damaged; please try exporting it again.",
            path=path,
            detail=f"{command[0]} timed out",
        ) from error


def probe(path: str | Path, *, name: str | None = None) -> AudioInfo:
    """Check that a file is a recording we can transcribe and say how long it is.

    `name` is the file name the clerk knows (an upload may be stored under another name).
    Raises `MissingRecordingError`, `EmptyRecordingError`, `NotAudioError` or
    `CorruptRecordingError` (nothing at its start can be decoded).
    """
    path = Path(path)
    label = _label(path, name)
    if not path.is_file():
        raise MissingRecordingError(
            f"The recording {label} could not be found. It may have been deleted; please upload "
            "it again.",
            path=path,
        )
    size = path.stat().st_size
    if size == 0:
        raise EmptyRecordingError(
            f"The file {label} is empty (0 bytes), so there is nothing to transcribe. The upload "
            "may have failed; please upload the recording again.",
            path=path,
        )
    result = _run(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        timeout=PROBE_TIMEOUT,
        path=path,
        name=name,
    )
    stderr = result.stderr.decode(errors="replace")
    try:
        data = json.loads(result.stdout or b"{}")
    except json.JSONDecodeError:
        data = {}
    streams = data.get("streams") or []
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if result.returncode != 0 or not data.get("format"):
        raise NotAudioError(
            f"The file {label} is not a recording we can read: it is not in a sound or video "
            "format we know (it may be a document or a picture saved with a sound file's name). "
            "Please upload the recording as mp3, m4a, wav, ogg, webm or mp4.",
            path=path,
            detail=_last_lines(stderr),
        )
    if audio is None:
        if data["format"].get("format_name") == "tty":
            what = "text, not sound"  # ffmpeg reads any text file as "ANSI art"
        elif any(s.get("codec_type") == "video" for s in streams):
            what = "a picture or a video without sound"
        else:
            what = "no sound track"
        raise NotAudioError(
            f"The file {label} is not a recording we can read: it holds {what}. Please upload "
            "the recording of the meeting (mp3, m4a, wav, ogg, webm or mp4).",
            path=path,
            detail=_last_lines(stderr),
        )
    duration = _number(data["format"].get("duration")) or _number(audio.get("duration"))
    measured = False
    if not duration:
        duration = measure_duration(path, name=name)
        measured = True
    info = AudioInfo(
        duration=duration,
        format_name=data["format"].get("format_name", ""),
        codec=audio.get("codec_name", ""),
        sample_rate=int(_number(audio.get("sample_rate"))),
        channels=int(audio.get("channels") or 0),
        has_video=any(
            s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
            for s in streams
        ),
        size_bytes=size,
        duration_measured=measured,
    )
    if info.duration < MIN_DURATION:
        raise EmptyRecordingError(
            f"The file {label} contains no sound: the recording lasts 0 seconds. Please check "
            "that the recorder was running and upload the recording again.",
            path=path,
        )
    start = decode_window(path, 0.0, min(info.duration, 5.0), name=name)
    if not start.seconds:
        raise CorruptRecordingError(
            f"The file {label} is not a recording we can read: it says it is "
            f"{info.codec or 'sound'} but none of it can be decoded, so it is probably damaged. "
            "Please export or copy the recording again and upload the new file.",
            path=path,
            detail=" ".join(start.errors[-2:]),
        )
    return info


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def decode_window(
    path: str | Path, start: float, length: float, *, name: str | None = None
) -> DecodedAudio:
    """Decode `length` seconds from `start` (16 kHz mono float32), keeping ffmpeg's complaints.

    Only that window is decoded (`-ss` before `-i` seeks in the file), so memory is bounded by
    the window. Past the end of the decodable audio the window is short or empty: the caller
    decides what that means.
    """
    path = Path(path)
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error",
        "-ss", f"{max(0.0, start):.3f}", "-t", f"{max(0.0, length):.3f}", "-i", str(path),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-",
    ]  # fmt: skip
    result = _run(command, timeout=DECODE_TIMEOUT_BASE + length, path=path, name=name)
    usable = len(result.stdout) // 4 * 4
    samples = np.frombuffer(result.stdout[:usable], dtype=np.float32).copy()
    errors = [line for line in result.stderr.decode(errors="replace").splitlines() if line.strip()]
    return DecodedAudio(samples=samples, errors=errors)


def read_chunk(path: str | Path, start: float, length: float) -> np.ndarray:
    """The samples of `length` seconds from `start`: 16 kHz mono float32, as Whisper wants."""
    return decode_window(path, start, length).samples


def measure_duration(path: str | Path, *, name: str | None = None) -> float:
    """Decode the whole file (streamed, 8 kHz, nothing kept) to find how long it really is.

    Used only when the header gives no duration (some webm files from browsers).
    """
    path = Path(path)
    command = [
        "ffmpeg", "-nostdin", "-v", "error", "-i", str(path),
        "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "8000", "-f", "s16le", "-",
    ]  # fmt: skip
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # noqa: S603
    except FileNotFoundError as error:
        raise AudioToolMissingError(
            f"The recording {_label(path, name)} cannot be read because ffmpeg is not installed "
            "on the transcription worker. Please ask the system administrator to install it.",
            path=path,
        ) from error
    total = 0
    assert process.stdout is not None  # noqa: S101 - Popen was given stdout=PIPE
    with process:
        while block := process.stdout.read(1 << 20):
            total += len(block)
    return total / 2 / 8000
