"""Recordings of meetings, the jobs that transcribe them, and the transcript they produce.

A recording belongs to a meeting. Transcribing it is a `TranscriptionJob` run by a background
worker chunk by chunk: each finished chunk's segments are stored in the same transaction that
counts the chunk done, so a job picked up again after its worker stopped carries on from the last
finished chunk, and the (recording, chunk, start) constraint means no segment can be stored twice.

Speakers are per recording ("Speaker 2") and are mapped to people by officers; spans tie stretches
of the recording to agenda items. Officers' edits are kept as log entries (see `log_edit`).
"""

import datetime
import math
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.search import index

RECORDING_STORAGE_ALIAS = "recordings"
UNCHANGED = object()


def recording_storage():
    """The storage recordings live in: STORAGES["recordings"] if defined, else the default.

    A council can keep hours of audio in object storage (S3 and the like) that every worker host
    can read, without moving the papers. Called by the file field, so changing the setting needs
    no migration.
    """
    if RECORDING_STORAGE_ALIAS in settings.STORAGES:
        return storages[RECORDING_STORAGE_ALIAS]
    return default_storage


def recording_upload_to(instance, filename):
    """recordings/<meeting id>/<random name><extension>.

    The stored name is random so that a recording is never found by guessing its address (media
    may be served directly in development); the name the officer uploaded is kept in
    `original_name`.
    """
    extension = PurePath(filename).suffix.lower()[:10]
    return f"recordings/{instance.meeting_id}/{uuid.uuid4().hex}{extension}"


def public_audio_upload_to(instance, filename):
    """recordings/<meeting id>/public/<random name><extension> (see recording_upload_to)."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"recordings/{instance.meeting_id}/public/{uuid.uuid4().hex}{extension}"


class Recording(index.Indexed, models.Model):
    """An audio or video recording of a meeting, uploaded by an officer."""

    meeting = models.ForeignKey(
        "meetings.MeetingPage", on_delete=models.CASCADE, related_name="recordings"
    )
    file = models.FileField(
        upload_to=recording_upload_to, storage=recording_storage, max_length=255
    )
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    content_type = models.CharField(max_length=100, blank=True)
    duration = models.FloatField(
        null=True, blank=True, help_text="In seconds; known once the file has been read."
    )
    language = models.CharField(max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    publish_recording = models.BooleanField(
        default=False,
        help_text="Publish the recording and its transcript with the meeting (never the spans of "
        "exempt items).",
    )
    public_audio = models.FileField(
        upload_to=public_audio_upload_to,
        storage=recording_storage,
        max_length=255,
        blank=True,
        help_text="The published audio: silent wherever the public may not listen.",
    )
    public_audio_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of the public spans the published audio was made for.",
    )

    # The public search indexes only the public transcript of published recordings (search_index);
    # search_signals.py adds and withdraws them, so a save does not enqueue indexing.
    search_fields = [
        index.SearchField("public_transcript_text"),
        index.FilterField("id"),
        index.FilterField("meeting"),
    ]
    search_auto_update = False

    class Meta:
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @classmethod
    def get_indexed_objects(cls):
        from .public import published_recordings

        return published_recordings()

    def public_transcript_text(self):
        from .search_index import public_transcript_text

        return public_transcript_text(self)

    @property
    def latest_job(self):
        """The most recent job: the one whose state the officer sees.

        Uses prefetched `jobs` when they were prefetched (listings), a query otherwise.
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "jobs" in cache:
            jobs = sorted(cache["jobs"], key=lambda job: (job.created_at, job.pk))
            return jobs[-1] if jobs else None
        return self.jobs.order_by("-created_at", "-pk").first()


@receiver(post_delete, sender=Recording)
def delete_recording_file(sender, instance, **kwargs):
    """Hours of audio are not left behind in storage when their recording (or meeting) goes."""
    for field in (instance.file, instance.public_audio):
        if field:
            storage, name = field.storage, field.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class TranscriptionJob(models.Model):
    """One request to transcribe a recording, and where it has got to.

    `run_token` identifies the task run that owns the job while it runs: every write a worker makes
    is conditional on it, so a worker that was given up for dead (and replaced) can never write
    over its replacement's work. `task_result_id` is the latest django_tasks result enqueued for
    the job, for tracing it in the task backend.
    """

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    task_result_id = models.CharField(max_length=64, blank=True)
    run_token = models.CharField(max_length=64, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    seconds_per_chunk = models.FloatField(
        null=True, blank=True, help_text="Measured on this run; gives the time left."
    )
    chunk_seconds = models.FloatField(
        null=True, blank=True, help_text="The chunking it started with, kept for resuming."
    )
    chunk_overlap = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why it failed, in words a clerk understands.")
    note = models.TextField(blank=True, help_text="Anything else the officer should know.")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Times a worker has started it since it was last queued by an officer."
    )
    worker_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording"],
                condition=Q(status__in=["queued", "running"]),
                name="transcription_one_active_job_per_recording",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="transcription_job_progress_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="transcription_job_stale")]

    def __str__(self):
        return f"Transcription of {self.recording} ({self.get_status_display().lower()})"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def can_cancel(self):
        return self.is_active

    @property
    def can_retry(self):
        return self.status in (JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def time_left(self):
        """Estimated time to finish, from this run's seconds per chunk; None if not yet known."""
        if self.status != JobStatus.RUNNING or not self.seconds_per_chunk or not self.chunks_total:
            return None
        remaining = max(self.chunks_total - self.chunks_done, 0)
        return datetime.timedelta(seconds=math.ceil(remaining * self.seconds_per_chunk))

    @property
    def status_message(self):
        """One sentence for the officer about where the job is."""
        if self.status == JobStatus.QUEUED:
            if self.chunks_done:
                return (
                    f"Waiting for a worker to carry on from part {self.chunks_done + 1} "
                    f"of {self.chunks_total}."
                )
            return "Waiting for a worker. It starts as soon as a background worker is free."
        if self.status == JobStatus.RUNNING:
            if not self.chunks_total:
                return "Reading the recording."
            return (
                f"Transcribing: {self.progress}% done "
                f"({self.chunks_done} of {self.chunks_total} parts)."
            )
        if self.status == JobStatus.DONE:
            return self.note or "The transcript is ready."
        if self.status == JobStatus.FAILED:
            return self.error or "The transcription failed."
        return self.note or "The transcription was cancelled."


class Speaker(models.Model):
    """A voice in one recording ("Speaker 2"), which an officer can say is a person."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="speakers")
    label = models.CharField(max_length=50)
    person = models.ForeignKey(
        "boards.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transcript_speakers",
    )

    class Meta:
        ordering = ["recording", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "label"], name="transcription_speaker_label_unique"
            )
        ]

    def __str__(self):
        return self.name

    def assign(self, person, *, user):
        """Say who this voice is (or None: not known), and log it."""
        from wagtail.log_actions import log

        before = self.person_id
        self.person = person
        self.save(update_fields=["person"])
        log(
            instance=self,
            action="transcription.assign_speaker",
            user=user,
            data={"before": before, "after": self.person_id, "label": self.label},
        )

    @property
    def name(self):
        """The person's name once mapped, the label until then."""
        if self.person_id is not None:
            return self.person.full_name
        return self.label


class TranscriptSegment(models.Model):
    """A stretch of speech with its text, times in seconds from the start of the recording."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="segments")
    chunk_index = models.PositiveIntegerField(
        help_text="The chunk of the recording it was transcribed from (0 is the first)."
    )
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    words = models.JSONField(
        default=list, blank=True, help_text='[{"start", "end", "word", "probability"}, ...]'
    )
    edited = models.BooleanField(default=False, help_text="An officer has corrected it.")

    class Meta:
        ordering = ["recording", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "chunk_index", "start"],
                name="transcription_segment_once_per_chunk",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="transcription_segment_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["recording", "start"], name="transcription_seg_time")]

    def __str__(self):
        return f"{format_timestamp(self.start)} {self.text[:60]}"

    @property
    def timestamp(self):
        return format_timestamp(self.start)

    def correct(self, *, user, text=UNCHANGED, speaker=UNCHANGED):
        """Save an officer's correction, logging the text and speaker before and after.

        The log entries are the transcript's revision history (an hours-long transcript is too
        big to copy whole into a revision at every correction).
        """
        from wagtail.log_actions import log

        before = {"text": self.text, "speaker": self.speaker_id}
        if text is not UNCHANGED:
            self.text = text
        if speaker is not UNCHANGED:
            self.speaker = speaker
        after = {"text": self.text, "speaker": self.speaker_id}
        if after == before:
            return False
        self.edited = True
        self.save(update_fields=["text", "speaker", "edited"])
        log(
            instance=self,
            action="transcription.edit_segment",
            user=user,
            data={"before": before, "after": after},
        )
        return True


class SpanSource(models.TextChoices):
    MANUAL = "manual", "Marked by an officer"
    SUGGESTED = "suggested", "Suggested from the transcript"


class TranscriptSpan(models.Model):
    """The part of a recording in which one agenda item was taken."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="spans")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="transcript_spans"
    )
    start = models.FloatField()
    end = models.FloatField()
    source = models.CharField(max_length=20, choices=SpanSource.choices, default=SpanSource.MANUAL)
    cue = models.CharField(
        max_length=255, blank=True, help_text='What suggested it, e.g. "moving on to item 8".'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recording", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="transcription_span_ends_after"
            ),
            models.UniqueConstraint(
                fields=["recording", "agenda_item"], name="transcription_one_span_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.agenda_item}: {format_timestamp(self.start)}-{format_timestamp(self.end)}"


class DraftKind(models.TextChoices):
    NARRATIVE = "narrative", "Narrative"
    RESOLUTION = "resolution", "Resolved"
    ACTION = "action", "Action"


class DraftProposal(models.Model):
    """A sentence proposed for the minutes of one agenda item, from a span of the transcript.

    Proposals are suggestions only: nothing reaches the minutes until an officer adds them, and
    the minutes are then a draft for the officer to edit and publish. `start` and `end` are the
    part of the recording the sentence came from, shown beside it.
    """

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="draft_proposals"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="draft_proposals"
    )
    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    owner_text = models.CharField(
        max_length=255, blank=True, help_text="For an action: the owners as heard."
    )
    owners = models.ManyToManyField("boards.Person", blank=True, related_name="+")
    start = models.FloatField()
    end = models.FloatField()
    added_to_minutes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recording", "agenda_item", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="transcription_draft_ends_after"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def source_timestamps(self):
        return f"{format_timestamp(self.start)}-{format_timestamp(self.end)}"


class SweeperState(models.Model):
    """Which sweep task is the head of the self-rescheduling sweep chain (a single row).

    Kept so that at most one chain of periodic sweeps keeps going however many uploads start one.
    """

    task_result_id = models.CharField(max_length=64, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Next sweep at {self.next_run_at}"


def format_timestamp(seconds):
    """0:05:07 style: hours always shown, as meeting recordings run for hours."""
    whole = max(int(seconds or 0), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
