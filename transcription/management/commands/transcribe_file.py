"""`manage.py transcribe_file AUDIO`: transcribe a recording without the database.

For trying the engine on a council's own recordings, and for scripts: prints progress to
stderr and writes `{"duration": seconds, "segments": [{"start", "end", "text", "speaker"}]}` to
`--json OUT` (or to stdout). Names given with `--attendees` and terms with `--terms` are used as
the meeting's vocabulary, with the default glossary (JSNA, RDaSH, Healthwatch…). Segments are
grouped by voice as the worker groups them ("Speaker 1", "Speaker 2"…; `--no-speakers` leaves
"speaker" empty).
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcription.audio import AudioError, probe
from transcription.engine import EngineError, WhisperEngine
from transcription.pipeline import chunk_plan, describe_duration, transcribe_recording
from transcription.vocabulary import Vocabulary
from transcription.voices import Stretch, group_segments, voices_of


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class Command(BaseCommand):
    help = (
        "Transcribe an audio or video file (mp3, m4a, wav, ogg, webm, mp4) with the configured "
        "Whisper model, without touching the database."
    )
    # Runs where there is no database (a laptop, a worker without migrations).
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("audio", help="The recording to transcribe.")
        parser.add_argument(
            "--attendees",
            default="",
            help='Names to spell right, e.g. "Councillor Roche, Jo Abbott".',
        )
        parser.add_argument("--terms", default="", help='Terms to spell right, e.g. "JSNA, RDaSH".')
        parser.add_argument(
            "--model", default="", help="A CTranslate2 Whisper model directory (default: setting)."
        )
        parser.add_argument(
            "--threads", type=int, default=0, help="CPU threads (default: setting)."
        )
        parser.add_argument("--json", dest="json_path", default="", help="Write the JSON here.")
        parser.add_argument(
            "--no-speakers",
            action="store_true",
            help='Leave "speaker" empty instead of grouping the segments by voice.',
        )

    def handle(self, *args, **options):
        path = Path(options["audio"])
        vocabulary = Vocabulary.build(
            attendees=_split(options["attendees"]), terms=_split(options["terms"])
        )
        started = time.monotonic()
        try:
            info = probe(path)
            total = len(chunk_plan(info.duration))
            self.progress(
                f"{path.name}: {describe_duration(info.duration)} of {info.codec or 'audio'}, "
                f"{total} chunk{'s' if total != 1 else ''}."
            )
            engine = WhisperEngine(options["model"] or None, cpu_threads=options["threads"] or None)
            transcript = transcribe_recording(
                path, engine, vocabulary=vocabulary, info=info, on_chunk=self.chunk_done
            )
            if not options["no_speakers"] and transcript.segments:
                self.progress("Telling the voices apart.")
                label_voices(path, transcript.segments)
        except (AudioError, EngineError) as error:
            raise CommandError(str(error)) from error
        for note in transcript.notes:
            self.progress(note)
        self.progress(
            f"Done: {len(transcript.segments)} segments in "
            f"{describe_duration(time.monotonic() - started)}."
        )
        data = {
            "duration": transcript.duration,
            "segments": [segment.to_dict(words=False) for segment in transcript.segments],
        }
        text = json.dumps(data, indent=1, ensure_ascii=False)
        if options["json_path"]:
            Path(options["json_path"]).write_text(text + "\n", encoding="utf-8")
            self.progress(f"Written to {options['json_path']}.")
        else:
            self.stdout.write(text)

    def chunk_done(self, index, total, segments, elapsed):
        done = index + 1
        left = elapsed / done * (total - done)
        self.progress(
            f"Chunk {done} of {total} ({done * 100 // total}%): {len(segments)} segments; "
            f"about {describe_duration(left)} left."
        )

    def progress(self, message: str) -> None:
        self.stderr.write(message)
        sys.stderr.flush()


def label_voices(path, segments):
    """Give each segment its voice's label ("Speaker 1", ...) as the worker does (voices.py)."""
    stretches = [Stretch(index, s.start, s.end) for index, s in enumerate(segments)]
    found = voices_of(path, stretches)
    groups = group_segments([found[index] for index in range(len(segments))])
    for segment, group in zip(segments, groups, strict=True):
        segment.speaker = f"Speaker {group}" if group is not None else ""
