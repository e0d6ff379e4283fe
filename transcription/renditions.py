"""The published audio: the whole recording, silent wherever the public may not listen.

The public never hear the uploaded file. They hear a rendition of it (mono MP3 at a modest
bitrate) in which everything outside `public.public_stretches()` is silenced, not cut: the
rendition lasts as long as the recording, so every timestamp in the transcript and captions
points at the same moment in both. Silence is applied to the samples before encoding, so what an
exempt item said is not in the file at all, however it is decoded.

The rendition is stored in `Recording.public_audio` with `public_audio_key`, the fingerprint of
the stretches it was made for. Whenever the stretches change (an item marked or moved, an item
made exempt) the key no longer matches, the public audio view stops serving the old file at once
(`public_audio_is_current`), and `refresh_public_audio` has it rebuilt in the background.
"""

import logging
import math
import subprocess  # noqa: S404 - runs ffmpeg with an argument list, never a shell
import tempfile
from functools import partial
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.db import transaction

from .audio import AudioError, CorruptRecordingError
from .jobs import RecordingFileMissing, local_copy
from .models import Recording, public_audio_upload_to
from .public import fingerprint, public_stretches

logger = logging.getLogger(__name__)

SAMPLE_RATE = 22050
BITRATE = "48k"  # constant bitrate: players seek in it exactly, without an index
# The sound is silenced in frames of this many samples (10 ms); a frame is heard only when it lies
# wholly inside a public stretch, so no part of a frame outside one can be heard.
FRAME_SAMPLES = 220
FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE
CONTENT_TYPE = "audio/mpeg"
EXTENSION = ".mp3"
# A rebuild asked for again within this time (by a page view, or another change to the same
# stretches) is not queued twice.
REBUILD_GRACE_SECONDS = 15 * 60
BUILD_TIMEOUT_BASE = 300


class PublicAudioError(AudioError):
    """The published audio could not be made."""


def audible_expression(stretches, frame_seconds=FRAME_SECONDS):
    """An ffmpeg expression in `t` (a frame's start) that is non-zero where a frame may be heard.

    Starts are rounded up and ends down to the millisecond, so rounding never widens a stretch.
    """
    terms = []
    for stretch in stretches:
        start = math.ceil(stretch.start * 1000) / 1000
        last_start = math.floor((stretch.end - frame_seconds) * 1000) / 1000
        if last_start >= start:
            terms.append(f"between(t,{start:.3f},{last_start:.3f})")
    return "+".join(terms) or "0"


def silencing_filter(stretches):
    """The audio filter chain: resample, mono, sample-count time, silence outside the stretches."""
    audible = audible_expression(stretches)
    return ",".join(
        [
            f"aresample={SAMPLE_RATE}",
            "aformat=channel_layouts=mono",
            # Time from the count of samples, as the transcript's times are.
            "asetpts=N/SR/TB",
            f"asetnsamples=n={FRAME_SAMPLES}:p=0",
            f"volume=0:enable='eq({audible},0)'",
        ]
    )


def render_public_audio(source, target, stretches, *, duration=None, name=None):
    """Write to `target` the audio of `source` with everything outside `stretches` silent."""
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-i", str(source),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        # Nothing of the upload but its sound: no tags, chapters or cover art.
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-af", silencing_filter(stretches),
        "-ac", "1", "-ar", str(SAMPLE_RATE),
        "-c:a", "libmp3lame", "-b:a", BITRATE,
        "-f", "mp3", str(target),
    ]  # fmt: skip
    timeout = BUILD_TIMEOUT_BASE + (duration or 0)
    label = f"“{name or Path(source).name}”"
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except (FileNotFoundError, subprocess.TimeoutExpired) as error:
        raise PublicAudioError(
            f"The published audio of {label} could not be made: ffmpeg is missing or took too "
            "long. The transcript is still published; please ask the system administrator.",
            path=source,
            detail=str(error),
        ) from error
    if result.returncode != 0 or not Path(target).is_file() or not Path(target).stat().st_size:
        raise PublicAudioError(
            f"The published audio of {label} could not be made: the recording could not be "
            "read. The transcript is still published.",
            path=source,
            detail=result.stderr.decode(errors="replace")[-500:],
        )
    return Path(target)


def public_audio_is_current(recording, stretches=None):
    """Whether the stored public audio was made for the recording's present public stretches.

    One query, none when `stretches` (from `public_stretches(recording)`) are given.
    """
    if not recording.public_audio or not recording.public_audio_key:
        return False
    if stretches is None:
        stretches = public_stretches(recording)
    return bool(stretches) and recording.public_audio_key == fingerprint(stretches)


def make_public_audio(recording):
    """Build and store the published audio for the recording's present public stretches.

    Returns True when a new file was stored; False when there is nothing public (any old file
    is removed) or the stretches changed while it was being made (it is thrown away: the change
    queues its own rebuild). Raises PublicAudioError, or an AudioError for a missing file.
    """
    stretches = public_stretches(recording)
    if not stretches:
        _install(recording, name="", key="")
        return False
    key = fingerprint(stretches)
    storage = recording.public_audio.storage
    with tempfile.TemporaryDirectory(prefix="public-audio-") as directory:
        try:
            with local_copy(recording.file) as source:
                target = Path(directory) / f"public{EXTENSION}"
                render_public_audio(
                    source,
                    target,
                    stretches,
                    duration=recording.duration,
                    name=recording.original_name,
                )
        except RecordingFileMissing as error:
            raise CorruptRecordingError(
                f"The published audio of “{recording.original_name}” could not be made: the "
                "recording's file is missing from storage.",
                detail=str(error),
            ) from error
        with open(target, "rb") as rendered:
            name = storage.save(public_audio_upload_to(recording, target.name), File(rendered))
    return _install(recording, name=name, key=key)


def _install(recording, *, name, key):
    """Point the recording at the new file, if its stretches are still the ones it was made for."""
    storage = recording.public_audio.storage
    with transaction.atomic():
        current = Recording.objects.select_for_update().filter(pk=recording.pk).first()
        if current is None or (key and fingerprint(public_stretches(current)) != key):
            if name:
                transaction.on_commit(partial(storage.delete, name))
            return False
        old = current.public_audio.name
        current.public_audio = name
        current.public_audio_key = key
        current.save(update_fields=["public_audio", "public_audio_key"])
        if old and old != name:
            transaction.on_commit(partial(storage.delete, old))
    recording.public_audio = current.public_audio
    recording.public_audio_key = key
    return bool(name)


def rebuild_public_audio(recording_id):
    """What the background task does: rebuild a published recording's audio if it is stale.

    Never raises for a bad recording: the reason is logged, and the public audio view keeps
    answering 404 until a rebuild succeeds.
    """
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or not recording.publish_recording:
        return "skipped"
    if public_audio_is_current(recording):
        return "current"
    try:
        made = make_public_audio(recording)
    except AudioError as error:
        logger.warning(
            "Public audio of recording %s not made: %s (%s)", recording_id, error, error.detail
        )
        return f"failed: {error}"
    return "made" if made else "nothing public"


def _rebuild_key(recording_id, key):
    return f"transcription:public-audio-rebuild:{recording_id}:{key}"


class _EnqueueRebuild:
    """The on-commit callback: queue a rebuild if the committed stretches need one."""

    def __init__(self, recording_id):
        self.recording_id = recording_id

    def __call__(self):
        from .rendition_tasks import rebuild_public_audio_task

        recording = Recording.objects.filter(pk=self.recording_id, publish_recording=True).first()
        if recording is None:
            return
        stretches = public_stretches(recording)
        if not stretches or public_audio_is_current(recording, stretches):
            return
        key = _rebuild_key(recording.pk, fingerprint(stretches))
        if cache.add(key, True, REBUILD_GRACE_SECONDS):
            rebuild_public_audio_task.enqueue(recording.pk)


def refresh_public_audio(recording):
    """Have a published recording's audio rebuilt once the present transaction commits.

    Call it after changing spans, an item's exemption or `publish_recording`: signals do for
    single saves (rendition_signals.py), but not for bulk updates. No query is made here. After
    the commit the rebuild is queued only if the stored audio is not current, and at most once
    per set of stretches within REBUILD_GRACE_SECONDS (however many spans one transaction
    saved). Returns whether a check was scheduled.
    """
    if recording is None or not recording.publish_recording or recording.pk is None:
        return False
    transaction.on_commit(_EnqueueRebuild(recording.pk))
    return True
