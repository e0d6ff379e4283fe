"""Synthetic recordings of the Health and Wellbeing Board meeting of 11 January 2017.

The reference minutes (`tests/fixtures/hwb-2017-03-08-agenda-pack.txt`, lines 63-428) are turned
into the script of a meeting: the chair opens it, everyone present introduces themselves, the chair
calls each item ("Item 52, ...") and the people who presented it speak the minute's paragraphs;
the chair calls members by name for the discussion points and reads the resolutions and actions.
Each person has an espeak-ng voice of their own (accent, pitch, speed), the utterances are joined
with pauses and a little room noise, and the whole is encoded as an mp3, as a council's recorder
would produce.

The exact script is kept (speaker, text, start and end of every utterance) so transcripts can be
scored (word error rate, names recognised). Recordings are cached outside the repository (the
system temporary directory, or `TRANSCRIPTION_TEST_CACHE`) under a key made from the script, the
voices and the espeak-ng version, so they are built once per machine.

    short_meeting()   about 1.6 minutes (8 voices): tests
    long_meeting()    about 16 minutes (23 voices): the benchmark
    looped_recording(recording, minutes)   the same meeting repeated (memory of long recordings)
    bad_files(directory)   not audio, an image, zero length, truncated and corrupt mp3, silence
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

MINUTES_PATH = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "hwb-2017-03-08-agenda-pack.txt"
)
MINUTES_FIRST_LINE, MINUTES_LAST_LINE = 63, 428
SAMPLE_RATE = 22050  # what espeak-ng produces
# Bump when the way scripts or audio are made changes, so cached recordings are rebuilt.
RECIPE_VERSION = "3"

CHAIR = "Councillor Roche"


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: `-v name[+variant] -p pitch -s words-per-minute`."""

    name: str
    pitch: int = 50
    speed: int = 165


# Everyone who speaks, with a voice of their own (accents of England, Scotland, the US and the
# Caribbean; male and female variants), so the model hears a room of different people.
CAST: dict[str, Voice] = {
    CHAIR: Voice("en-gb", 42, 172),
    "Jo Abbott": Voice("en-gb-x-rp+f3", 62, 179),
    "Karen Borthwick": Voice("en-gb+f2", 58, 184),
    "Tony Clabby": Voice("en-gb-x-gbclan", 45, 182),
    "Richard Cullen": Voice("en-gb-scotland", 40, 174),
    "Chris Edwards": Voice("en-us", 48, 186),
    "Sharon Kemp": Voice("en-gb-x-rp+f4", 60, 176),
    "Julie Kitlowski": Voice("en-gb-x-gbcwmd+f1", 64, 179),
    "Carole Lavelle": Voice("en-us+f2", 60, 182),
    "Councillor Mallinder": Voice("en-029", 44, 174),
    "Kathryn Singh": Voice("en-gb+f5", 66, 184),
    "Janet Wheatley": Voice("en-gb-scotland+f3", 58, 176),
    "Sarah Farragher": Voice("en-gb-x-gbclan+f2", 60, 182),
    "Ruth Fletcher-Brown": Voice("en-gb-x-rp+f1", 64, 179),
    "Giles Ratcliffe": Voice("en-gb-x-rp", 46, 180),
    "Sue Wilson": Voice("en-gb-x-gbcwmd+f4", 58, 178),
    "Kate Green": Voice("en-gb+f3", 62, 182),
    "Gordon Laidlaw": Voice("en-gb-scotland+m3", 38, 174),
    "Dawn Mitchell": Voice("en-us+f4", 60, 179),
    "Councillor Sansome": Voice("en-gb-x-gbcwmd", 44, 176),
    "Councillor Short": Voice("en-gb+m2", 40, 178),
    "Janet Spurling": Voice("en-gb-x-gbclan+f4", 58, 180),
    "Councillor Yasseen": Voice("en-029+f2", 60, 176),
}

# Who presented what (from the minutes' text); the chair takes the formal items.
PRESENTERS: dict[int, list[str]] = {
    50: ["Kate Green"],
    52: ["Janet Wheatley", "Tony Clabby"],
    53: ["Giles Ratcliffe"],
    54: ["Sue Wilson"],
    55: ["Sarah Farragher"],
    56: ["Jo Abbott", "Ruth Fletcher-Brown"],
}
# Long lists of points are cut to their first few, so the meeting lasts about a quarter of an hour.
BULLETS_READ_OUT = 2
PARAGRAPHS_READ_OUT = 5
# Members the chair calls on, in turn, for the points raised in discussion.
DISCUSSANTS = [
    "Chris Edwards",
    "Kathryn Singh",
    "Sharon Kemp",
    "Julie Kitlowski",
    "Tony Clabby",
    "Richard Cullen",
    "Carole Lavelle",
    "Councillor Mallinder",
    "Karen Borthwick",
    "Janet Wheatley",
    "Councillor Sansome",
    "Councillor Short",
    "Councillor Yasseen",
]


@dataclass
class Attendee:
    """A line of the minutes' attendance: the name as printed, the role, the group."""

    printed: str
    role: str
    group: str

    @property
    def name(self) -> str:
        """The name as people say it: "Councillor D. Roche" is "Councillor Roche"."""
        name = self.printed.replace("Dr. ", "")
        return re.sub(r"^Councillor [A-Z]\. ", "Councillor ", name).replace(
            "Fletcher Brown", "Fletcher-Brown"
        )


@dataclass
class MinuteItem:
    number: int
    title: str
    paragraphs: list[str]


@dataclass
class Minutes:
    attendees: list[Attendee]
    apologies: list[str]
    items: list[MinuteItem]


@dataclass
class ScriptLine:
    """One utterance of the meeting: who said it, what, and when (seconds into the recording)."""

    speaker: str
    text: str
    start: float = 0.0
    end: float = 0.0


@dataclass
class Recording:
    """A synthetic meeting: the audio file and the exact script it was spoken from."""

    path: Path
    duration: float
    lines: list[ScriptLine]
    attendees: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    def text_between(self, start: float, end: float) -> str:
        """The script of the utterances that lie (by their midpoint) between two times."""
        return " ".join(
            line.text for line in self.lines if start <= (line.start + line.end) / 2 < end
        )

    def to_json(self) -> dict:
        return {
            "audio": self.path.name,
            "duration": self.duration,
            "attendees": self.attendees,
            "lines": [asdict(line) for line in self.lines],
        }

    @classmethod
    def from_json(cls, directory: Path, data: dict) -> Recording:
        return cls(
            path=directory / data["audio"],
            duration=data["duration"],
            attendees=data["attendees"],
            lines=[ScriptLine(**line) for line in data["lines"]],
        )


# --- The script -------------------------------------------------------------------------------


def parse_minutes(path: Path = MINUTES_PATH) -> Minutes:
    """Read the attendance, apologies and minute items of 11 January 2017."""
    lines = path.read_text(encoding="utf-8").splitlines()[
        MINUTES_FIRST_LINE - 1 : MINUTES_LAST_LINE
    ]
    attendees: list[Attendee] = []
    apologies: list[str] = []
    items: list[MinuteItem] = []
    group = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        heading = re.fullmatch(r"(Members|Report Presenters|Officers|Observers):-", line)
        item = re.fullmatch(r"(\d{2})\. ([A-Z][A-Z0-9 ,'’/&-]+)", line)
        if heading:
            group = heading.group(1)
        elif line.startswith("Apologies for absence"):
            names = line.split("received from ", 1)[1].rstrip(".")
            for part in re.split(r", | and ", names):
                apologies.append(re.sub(r" \(.*\)", "", part).strip())
            group = ""
        elif item:
            items.append(MinuteItem(int(item.group(1)), item.group(2).strip(), []))
            group = ""
        elif items:
            items[-1].paragraphs.append(line)
        elif group and "\t" in raw:
            printed, role = raw.split("\t", 1)
            attendees.append(Attendee(printed.strip(), role.strip(), group))
        elif group and line.startswith("Councillor"):
            attendees.append(Attendee(line, "", group))
    return Minutes(attendees, apologies, items)


_REPLACEMENTS = [
    (r"£([\d.,]+)M\b", r"\1 million pounds"),
    (r"£([\d,]+)", r"\1 pounds"),
    (r"(\d)%", r"\1 percent"),
    (r"\be\.g\.", "for example"),
    (r"\bi\.e\.", "that is"),
    (r"\betc\.", "etcetera"),
    (r"\bNo\. ", "number "),
    (r"\bDr\. ", ""),
    (r"\+/or", "and or"),
    (r"(\d+)\((\d+)\)", r"\1, part \2"),
    (r"(\d)-(\d)", r"\1 to \2"),
    (r"9\.00 a\.m\.", "9 in the morning"),
    (r"Fletcher Brown", "Fletcher-Brown"),
    (r"Ruther Fletcher", "Ruth Fletcher"),
    (r"(\w)/(\w)", r"\1 or \2"),
    (r"\s[–—]\s", ", "),
    (r"[“”\"‘]", ""),
    (r"’", "'"),
    (r"\s*\(([^)]*)\)", r", \1,"),
    (r":-", ":"),
    (r",\s*([,.:;])", r"\1"),
    (r"\s+", " "),
]


def speakable(text: str) -> str:
    """The minute's words as a person would say them (no symbols, brackets or bullets)."""
    text = text.strip().lstrip("-").strip()
    for pattern, replacement in _REPLACEMENTS:
        text = re.sub(pattern, replacement, text)
    text = text.strip(" ,")
    if text and text[-1] not in ".?!:":
        text += "."
    return text


def _title(title: str) -> str:
    words = title.lower().replace("/", " and ").split()
    proper = {"rotherham": "Rotherham", "stp": "STP", "carers": "Carers"}
    return (
        " ".join(proper.get(word, word) for word in words)
        .capitalize()
        .replace("rotherham", "Rotherham")
    )


def _surname(name: str) -> str:
    return name.split()[-1]


def _action(text: str) -> str:
    names = re.sub(r"^Action:-?\s*", "", text).replace("Ruther ", "Ruth ")
    return "Action for " + " and ".join(part.strip() for part in names.split("/")) + "."


def meeting_script(length: str = "long") -> list[ScriptLine]:
    """The meeting as utterances. `short` is the opening and one item (about 1.6 minutes)."""
    minutes = parse_minutes()
    script: list[ScriptLine] = []

    def say(speaker: str, text: str) -> None:
        script.append(ScriptLine(speaker, speakable(text)))

    say(
        CHAIR,
        "Good morning everyone, and welcome to the Health and Wellbeing Board. "
        "Let's go round the table and introduce ourselves. I'm Councillor Roche, Cabinet Member "
        "for Adult Social Care and Health, and I'm in the chair.",
    )
    introductions = [a for a in minutes.attendees if a.name != CHAIR]
    if length == "short":
        introductions = [a for a in introductions if a.group == "Members"][:6]
    for attendee in introductions:
        role = attendee.role.replace("RMBC", "Rotherham Council") or "Ward Member"
        say(attendee.name, f"{attendee.name}, {role}.")
    say(
        CHAIR,
        "Thank you. Apologies for absence have been received from "
        + ", ".join(minutes.apologies[:-1])
        + f" and {minutes.apologies[-1]}.",
    )

    items = minutes.items
    if length == "short":
        items = [item for item in items if item.number == 52]
    discussants = iter(DISCUSSANTS * 20)
    for item in items:
        presenters = PRESENTERS.get(item.number, [CHAIR])
        cue = f"Item {item.number}, {_title(item.title)}."
        if presenters != [CHAIR]:
            cue += " I call on " + " and ".join(presenters) + "."
        say(CHAIR, cue)
        in_discussion = False
        turn = 0
        paragraphs = item.paragraphs
        if length == "short":
            paragraphs = paragraphs[:1] + [p for p in paragraphs if p.startswith(("(4)", "Action"))]
        read = 0  # presenters' paragraphs read out in this item
        bullets = 0  # consecutive points read out
        skipped = False  # the last paragraph was left out (so is its action line)
        for paragraph in paragraphs:
            is_bullet = paragraph.startswith("-")
            bullets = bullets + 1 if is_bullet else 0
            if paragraph.startswith("Public Health Outcomes Framework"):
                skipped = True  # a slide of figures nobody would read out
            elif is_bullet and (skipped or bullets > BULLETS_READ_OUT):
                pass
            elif paragraph.startswith("Action"):
                if not skipped:
                    say(CHAIR, _action(paragraph))
                continue
            elif paragraph.startswith("Discussion ensued"):
                in_discussion, skipped = True, False
                say(CHAIR, "Thank you. Are there any questions or comments?")
                continue
            elif paragraph.startswith(("Resolved", "(")):
                in_discussion, skipped = False, False
                text = re.sub(r"^(Resolved:-)?\s*(\(\d+\))?\s*", "", paragraph)
                say(CHAIR, ("So, resolved: " if paragraph.startswith("Resolved") else "") + text)
                continue
            elif in_discussion and is_bullet:
                member = next(discussants)
                while member in presenters:
                    member = next(discussants)
                say(CHAIR, f"{member}.")
                say(member, paragraph)
                skipped = False
                continue
            elif is_bullet or read < PARAGRAPHS_READ_OUT:
                speaker = next(
                    (name for name in CAST if name != CHAIR and paragraph.startswith(name)),
                    presenters[turn % len(presenters)],
                )
                if speaker in presenters and not is_bullet:
                    turn += 1
                    read += 1
                say(speaker, paragraph)
                skipped = False
                continue
            if not is_bullet:
                skipped = True
    say(CHAIR, "Thank you all for coming. The meeting is closed.")
    return script


def attendee_names() -> list[str]:
    """Everyone listed as present or sending apologies, as their names are printed."""
    minutes = parse_minutes()
    return [a.printed for a in minutes.attendees] + minutes.apologies


# --- Synthesis ---------------------------------------------------------------------------------


def cache_directory() -> Path:
    directory = Path(
        os.environ.get("TRANSCRIPTION_TEST_CACHE")
        or Path(tempfile.gettempdir()) / "governance-test-recordings"
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock so parallel test runs build a recording only once."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_tool(*command: str, **options) -> subprocess.CompletedProcess:
    """Run espeak-ng or ffmpeg (found on the PATH; an argument list, never a shell)."""
    program = shutil.which(command[0])
    if program is None:
        raise RuntimeError(f"{command[0]} is not installed: `make test` installs it.")
    return subprocess.run([program, *command[1:]], check=True, capture_output=True, **options)  # noqa: S603


FFMPEG = ("ffmpeg", "-nostdin", "-v", "error", "-y")


def _espeak_version() -> str:
    return run_tool("espeak-ng", "--version", text=True).stdout.strip()


def _speak(line: ScriptLine, path: Path) -> np.ndarray:
    voice = CAST[line.speaker]
    options = ["-v", voice.name, "-p", str(voice.pitch), "-s", str(voice.speed)]
    run_tool("espeak-ng", *options, "-w", str(path), "--stdin", input=line.text.encode())
    with wave.open(str(path)) as handle:
        if handle.getframerate() != SAMPLE_RATE or handle.getnchannels() != 1:
            raise RuntimeError(
                f"espeak-ng wrote {handle.getframerate()} Hz, expected {SAMPLE_RATE}"
            )
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16)


def synthesise(lines: list[ScriptLine], path: Path, *, seed: int = 2017) -> Recording:
    """Speak the script, join it with pauses and room noise, and encode it to `path` (mp3)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible pauses, not secrets
    with tempfile.TemporaryDirectory() as work, ThreadPoolExecutor(max_workers=2) as pool:
        clips = list(
            pool.map(lambda pair: _speak(pair[1], Path(work) / f"{pair[0]}.wav"), enumerate(lines))
        )
    pieces: list[np.ndarray] = [np.zeros(int(SAMPLE_RATE * 0.8), dtype=np.int16)]
    position = len(pieces[0])
    timed: list[ScriptLine] = []
    for line, clip in zip(lines, clips, strict=True):
        timed.append(
            ScriptLine(
                line.speaker,
                line.text,
                round(position / SAMPLE_RATE, 3),
                round((position + len(clip)) / SAMPLE_RATE, 3),
            )
        )
        pause = np.zeros(int(SAMPLE_RATE * rng.uniform(0.45, 1.1)), dtype=np.int16)
        pieces += [clip, pause]
        position += len(clip) + len(pause)
    audio = np.concatenate(pieces).astype(np.float32)
    audio += np.random.default_rng(seed).normal(0.0, 40.0, size=len(audio)).astype(np.float32)
    pcm = np.clip(audio, -32768, 32767).astype(np.int16)
    raw = ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "-"]
    run_tool(*FFMPEG, *raw, "-c:a", "libmp3lame", "-b:a", "48k", str(path), input=pcm.tobytes())
    return Recording(path, round(len(pcm) / SAMPLE_RATE, 3), timed, attendee_names())


def _build(name: str, lines: list[ScriptLine]) -> Recording:
    """The recording of a script from the cache, building it the first time."""
    recipe = json.dumps(
        [
            RECIPE_VERSION,
            _espeak_version(),
            [asdict(line) for line in lines],
            {k: asdict(v) for k, v in CAST.items()},
        ]
    )
    key = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    directory = cache_directory() / f"{name}-{key}"
    script_path = directory / "script.json"
    if not script_path.exists():
        directory.mkdir(exist_ok=True)
        with _locked(directory / ".lock"):
            if not script_path.exists():
                recording = synthesise(lines, directory / f"{name}.mp3")
                partial = script_path.with_suffix(".tmp")
                partial.write_text(json.dumps(recording.to_json(), indent=1))
                partial.replace(script_path)
    return Recording.from_json(directory, json.loads(script_path.read_text()))


def short_meeting() -> Recording:
    """About 1.6 minutes: the opening, introductions and item 52, in eight voices."""
    return _build("short-meeting", meeting_script("short"))


def long_meeting() -> Recording:
    """About 16 minutes: every item of the meeting of 11 January 2017 (lists cut), 23 voices."""
    return _build("long-meeting", meeting_script("long"))


def looped_recording(recording: Recording, minutes: float) -> Path:
    """The recording repeated until it lasts `minutes` (an mp3, copied without re-encoding)."""
    repeats = max(1, int(np.ceil(minutes * 60 / recording.duration)))
    path = recording.path.with_name(f"{recording.path.stem}-looped-{int(minutes)}min.mp3")
    with _locked(recording.path.with_suffix(".lock")):
        if not path.exists():
            partial = path.with_suffix(".partial.mp3")
            loop = ["-stream_loop", str(repeats - 1), "-i", str(recording.path)]
            run_tool(*FFMPEG, *loop, "-t", str(minutes * 60), "-c", "copy", str(partial))
            partial.replace(path)
    return path


# --- Other formats and bad files -------------------------------------------------------------

FORMATS = {
    "wav": ["-c:a", "pcm_s16le"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "ogg": ["-c:a", "libvorbis"],
    "webm": ["-c:a", "libopus", "-b:a", "32k"],
}


def convert(source: Path, target: Path, *, seconds: float | None = None) -> Path:
    """`source` re-encoded by its target's extension (wav, m4a, ogg, webm, or mp4 with video)."""
    suffix = target.suffix.lstrip(".")
    limit = ["-t", str(seconds)] if seconds else []
    if suffix == "mp4":
        command = [
            *FFMPEG, "-i", str(source), "-f", "lavfi", "-i", "color=c=navy:s=160x90:r=25",
            "-map", "1:v", "-map", "0:a", "-shortest", *limit,
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "64k", str(target),
        ]  # fmt: skip
    else:
        command = [*FFMPEG, "-i", str(source), *limit, *FORMATS[suffix], str(target)]
    run_tool(*command)
    return target


def bad_files(directory: Path, speech: Path | None = None) -> dict[str, Path]:
    """Small files a clerk might upload by mistake, written into `directory`.

    not_audio: minutes saved as text with an .mp3 name; image: a PNG called .wav (a file ffmpeg
    reads, with no sound); zero_length: an empty .m4a; truncated_mp3: 20 seconds of speech whose
    second half is cut off (the header still announces 20 seconds); corrupt_mp3: an mp3 frame
    header followed by noise bytes; silence: 30 seconds of digital silence as an mp3.
    """
    directory.mkdir(parents=True, exist_ok=True)
    speech = speech or short_meeting().path
    files = {
        "not_audio": directory / "minutes.mp3",
        "image": directory / "logo.wav",
        "zero_length": directory / "empty.m4a",
        "truncated_mp3": directory / "truncated.mp3",
        "corrupt_mp3": directory / "corrupt.mp3",
        "silence": directory / "silence.mp3",
    }
    files["not_audio"].write_text(MINUTES_PATH.read_text(encoding="utf-8")[:4000], encoding="utf-8")
    files["zero_length"].write_bytes(b"")
    picture = ["-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", "-f", "image2"]
    run_tool(*FFMPEG, *picture, "-c:v", "png", str(files["image"]))
    silence = ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "30"]
    run_tool(*FFMPEG, *silence, "-c:a", "libmp3lame", "-b:a", "32k", str(files["silence"]))
    whole = directory / "whole.mp3"
    run_tool(
        *FFMPEG, "-t", "20", "-i", str(speech), "-c:a", "libmp3lame", "-b:a", "48k", str(whole)
    )
    data = whole.read_bytes()
    files["truncated_mp3"].write_bytes(data[: len(data) // 2])
    whole.unlink()
    noise = random.Random(5).randbytes(64 * 1024)  # noqa: S311 - test data, not secrets
    files["corrupt_mp3"].write_bytes(b"\xff\xfb\x90\x64" + noise)
    return files
