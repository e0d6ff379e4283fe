"""Transcription: plain faster-whisper against our pipeline, on a synthetic 16-minute meeting.

The meeting of the Health and Wellbeing Board of 11 January 2017 is spoken from its minutes by
23 espeak-ng voices (transcription/testing/recordings.py) and transcribed, in the same run:

- plain faster-whisper: the same model and settings (the bundled tiny.en, int8, CPU threads),
  the whole file at once, default options (and, for comparison, with the names as its
  initial prompt);
- our pipeline: chunks cut at pauses, names and terms from the attendance and the glossary;
- the ways of getting names right, each on the pipeline: none, Whisper's initial prompt, its
  hotwords, correction after recognition, prompt and correction;
- the pipeline on the same meeting looped to `--long-minutes` (default 60; 180 for a 3-hour
  recording), to show memory does not grow with the length.

For each it prints the real-time factor (RTF: wall-clock processing seconds per audio second),
the CPU seconds spent per audio second by all threads and the ffmpeg decoders (CPU/s: a figure
that other load on the machine barely changes; with two idle cores the RTF lies between half of
it and all of it), word error rate against the script, the share of attendees' names spelt
right, and peak memory. Every run is its own process, which reports its peak resident set
size (`ru_maxrss`); the pipeline's ffmpeg decoders run one at a time and their peak is measured
on its own and added. The issue's aims: word error rate no worse than plain, names at least
80%, real-time factor at most 0.10 on 2 threads, peak memory under 1.5 GB for a 3-hour recording.

    .venv/bin/python benchmarks/transcription.py [--threads 2] [--long-minutes 60]
        [--skip-methods] [--skip-long] [--plain-long]

Timings depend on the machine and what else it runs: compare runs made on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from transcription.vocabulary import Vocabulary  # noqa: E402 - after the path is set

AIM_RTF = 0.10
AIM_NAMES = 0.80
AIM_PEAK_MB = 1536

# The ways of getting names right, as (label, prompt, hotwords, correction).
METHODS = [
    ("none", False, False, False),
    ("initial_prompt", True, False, False),
    ("hotwords", False, True, False),
    ("correction", False, False, True),
    ("prompt + correction", True, False, True),
]


def child(args) -> dict:
    """One measured run, in its own process; returns the figures as a dict."""
    from transcription.testing import recordings

    recording = recordings.long_meeting()
    audio = Path(args.audio) if args.audio else recording.path
    started_wall, started_cpu = time.monotonic(), _cpu_seconds()
    if args.child == "plain":
        from faster_whisper import WhisperModel

        from transcription.engine import default_model_dir

        model = WhisperModel(
            str(default_model_dir()), device="cpu", compute_type="int8", cpu_threads=args.threads
        )
        options = {}
        if args.prompt:
            options["initial_prompt"] = Vocabulary.build(attendees=recording.attendees).prompt()
        pieces, info = model.transcribe(str(audio), **options)
        text = " ".join(piece.text.strip() for piece in pieces)
        duration = info.duration
    else:
        from transcription.engine import WhisperEngine
        from transcription.pipeline import transcribe_recording

        prompt, hotwords, correction = (args.prompt, args.hotwords, args.correction)
        vocabulary = Vocabulary.build(attendees=recording.attendees)
        if not correction:
            vocabulary = PromptOnly(names=vocabulary.names, terms=vocabulary.terms)
        engine = WhisperEngine(
            cpu_threads=args.threads, prompt_vocabulary=prompt, hotwords=hotwords
        )
        transcript = transcribe_recording(audio, engine, vocabulary=vocabulary)
        text, duration = transcript.text, transcript.duration
    wall = time.monotonic() - started_wall
    figures = {
        "duration": duration,
        "wall": wall,
        "cpu": _cpu_seconds() - started_cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if audio == recording.path:
        from transcription.scoring import name_recall, word_error_rate

        names = name_recall(recording.text, text, recording.attendees)
        figures.update(
            wer=word_error_rate(recording.text, text),
            names_found=names.found,
            names_mentioned=names.mentioned,
            names_missed=names.missed,
        )
    return figures


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pipeline's ffmpeg decoders)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PromptOnly(Vocabulary):
    """A vocabulary used only as a prompt or hotwords: `correct` leaves the text alone."""

    def correct(self, segments):
        return list(segments)


def decoder_peak_mb(audio: Path) -> float:
    """Peak memory of the ffmpeg that decodes one chunk (30 s) from the end of `audio`.

    Measured from a small Python parent: a child's peak as the kernel reports it includes the
    parent's memory at the moment of the fork, which for the pipeline's process is the model.
    """
    code = (
        "import resource, sys; from transcription.audio import decode_window, probe; "
        "info = probe(sys.argv[1]); decode_window(sys.argv[1], info.duration - 31, 30); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    command = [sys.executable, "-c", code, str(audio)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=BASE_DIR)  # noqa: S603
    return float(result.stdout.split()[-1])


def run(kind: str, threads: int, *, audio: Path | None = None, method=None) -> dict:
    """Run one measurement in a fresh process and return its figures."""
    command = [sys.executable, __file__, "--child", kind, "--threads", str(threads)]
    if audio:
        command += ["--audio", str(audio)]
    if method:
        _label, prompt, hotwords, correction = method
        command += [
            f"--prompt={int(prompt)}",
            f"--hotwords={int(hotwords)}",
            f"--correction={int(correction)}",
        ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=BASE_DIR)  # noqa: S603
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"The {kind} run failed.")
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(label: str, figures: dict, threads: int) -> str:
    rtf = figures["wall"] / figures["duration"]
    cpu_rtf = figures["cpu"] / figures["duration"]
    wer = f"{figures['wer']:.3f}" if "wer" in figures else "  -  "
    if "names_found" in figures:
        share = figures["names_found"] / figures["names_mentioned"]
        names = f"{figures['names_found']:>2}/{figures['names_mentioned']} {share:4.0%}"
    else:
        names = "      -    "
    memory = f"{figures['peak_mb']:6.0f} MB"
    minutes = figures["duration"] / 60
    return f"{label:<30} {minutes:6.1f} {rtf:7.3f} {cpu_rtf:8.3f} {wer:>6} {names:>12}  {memory}"


HEADER = f"{'':<30} {'min':>6} {'RTF':>7} {'CPU/s':>8} {'WER':>6} {'names':>12}  peak memory"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--long-minutes", type=float, default=60)
    parser.add_argument("--skip-methods", action="store_true")
    parser.add_argument("--skip-long", action="store_true")
    parser.add_argument("--plain-long", action="store_true", help="also plain on the long file")
    parser.add_argument("--child", choices=["plain", "pipeline"], help=argparse.SUPPRESS)
    parser.add_argument("--audio", default="", help=argparse.SUPPRESS)
    for flag, default in (("prompt", 1), ("hotwords", 0), ("correction", 1)):
        parser.add_argument(f"--{flag}", type=int, default=default, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)  # the engine runs on its defaults here
    if args.child:
        print(json.dumps(child(args)))
        return

    from transcription.engine import DEFAULTS
    from transcription.testing import recordings

    recording = recordings.long_meeting()
    print(
        f"Test meeting: {recording.duration / 60:.1f} minutes, {len(recording.lines)} utterances "
        f"by {len({line.speaker for line in recording.lines})} voices, "
        f"{len(recording.text.split())} words ({recording.path})."
    )
    print(
        f"Model: bundled tiny.en, {DEFAULTS['TRANSCRIPTION_COMPUTE_TYPE']}, "
        f"{args.threads} threads, beam {DEFAULTS['TRANSCRIPTION_BEAM_SIZE']}. Load average now: "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )
    print()
    print(HEADER)
    plain = run("plain", args.threads, method=("plain", False, False, False))
    print(row("plain faster-whisper", plain, args.threads), flush=True)
    if not args.skip_methods:
        prompted = run("plain", args.threads, method=("plain", True, False, False))
        print(row("plain + initial_prompt", prompted, args.threads), flush=True)
    adopted = METHODS[-1]
    ours = run("pipeline", args.threads, method=adopted)
    print(row("our pipeline", ours, args.threads), flush=True)

    if not args.skip_methods:
        print("\nNames and terms, each way on the pipeline:")
        print(HEADER)
        for method in METHODS:
            figures = ours if method == adopted else run("pipeline", args.threads, method=method)
            print(row(method[0], figures, args.threads), flush=True)

    if not args.skip_long:
        print("\nMemory with the length of the recording (the meeting looped):")
        print(HEADER)
        print(row("pipeline, the meeting", ours, args.threads))
        looped = recordings.looped_recording(recording, args.long_minutes)
        long_run = run("pipeline", args.threads, audio=looped, method=adopted)
        print(row(f"pipeline, {args.long_minutes:.0f} minutes", long_run, args.threads), flush=True)
        decoder = decoder_peak_mb(looped)
        print(
            f"(The pipeline's ffmpeg, one at a time, peaks at {decoder:.0f} MB decoding a chunk "
            f"at the end of the {args.long_minutes:.0f}-minute file.)"
        )
        if args.plain_long:
            plain_long = run("plain", args.threads, audio=looped, method=("", False, False, False))
            print(row(f"plain, {args.long_minutes:.0f} minutes", plain_long, args.threads))

    print("\nAims:")
    rtf = ours["wall"] / ours["duration"]
    share = ours["names_found"] / ours["names_mentioned"]
    print(
        f"  word error rate no worse than plain: {ours['wer']:.3f} vs {plain['wer']:.3f}"
        f" {'met' if ours['wer'] <= plain['wer'] else 'NOT met'}"
    )
    verdict = "met" if share >= AIM_NAMES else "NOT met"
    print(f"  names at least {AIM_NAMES:.0%}: {share:.0%} {verdict}")
    print(
        f"  real-time factor at most {AIM_RTF}: {rtf:.3f} {'met' if rtf <= AIM_RTF else 'NOT met'}"
        f" (CPU seconds per second of audio, all threads and ffmpeg: "
        f"{ours['cpu'] / ours['duration']:.3f})"
    )
    if not args.skip_long:
        peak = long_run["peak_mb"] + decoder
        print(
            f"  peak memory under {AIM_PEAK_MB} MB ({args.long_minutes:.0f} minutes): {peak:.0f} MB"
            f" {'met' if peak < AIM_PEAK_MB else 'NOT met'}"
        )
    print(f"  names still missed by the pipeline: {ours['names_missed']}")


if __name__ == "__main__":
    main()
