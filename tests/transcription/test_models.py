"""The transcription data model: its constraints, the job's words for officers, edit history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import InMemoryStorage
from django.db import IntegrityError, transaction
from django.test import override_settings
from wagtail.models import ModelLogEntry

from boards.factories import PersonFactory
from boards.models import DEMOCRATIC_SERVICES_GROUP
from meetings.factories import AgendaItemFactory
from transcription.models import (
    JobStatus,
    Recording,
    Speaker,
    TranscriptionJob,
    TranscriptSegment,
    TranscriptSpan,
    format_timestamp,
    recording_storage,
    recording_upload_to,
)

from .job_helpers import make_meeting, make_officer, make_recording


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


@pytest.fixture
def recording(meeting):
    return make_recording(meeting)


def segment(recording, chunk_index=0, start=0.0, end=None, text="Good morning."):
    return TranscriptSegment.objects.create(
        recording=recording,
        chunk_index=chunk_index,
        start=start,
        end=start + 1 if end is None else end,
        text=text,
    )


def test_a_segment_cannot_be_stored_twice_for_the_same_chunk_and_start(recording):
    segment(recording, chunk_index=3, start=61.5)
    with pytest.raises(IntegrityError), transaction.atomic():
        segment(recording, chunk_index=3, start=61.5, text="Good morning again.")
    # The same time in another chunk, or another recording, is a different segment.
    segment(recording, chunk_index=4, start=61.5)
    segment(make_recording(recording.meeting), chunk_index=3, start=61.5)
    assert TranscriptSegment.objects.filter(start=61.5).count() == 3


def test_a_segment_cannot_end_before_it_starts(recording):
    with pytest.raises(IntegrityError), transaction.atomic():
        segment(recording, start=10.0, end=9.0)


def test_a_span_cannot_end_before_it_starts(recording):
    item = AgendaItemFactory(meeting=recording.meeting)
    TranscriptSpan.objects.create(recording=recording, agenda_item=item, start=5, end=90)
    with pytest.raises(IntegrityError), transaction.atomic():
        TranscriptSpan.objects.create(recording=recording, agenda_item=item, start=90, end=5)


def test_only_one_active_job_per_recording(recording):
    first = TranscriptionJob.objects.create(recording=recording)
    with pytest.raises(IntegrityError), transaction.atomic():
        TranscriptionJob.objects.create(recording=recording, status=JobStatus.RUNNING)
    first.status = JobStatus.FAILED
    first.save()
    second = TranscriptionJob.objects.create(recording=recording)
    assert recording.latest_job == second


def test_progress_cannot_pass_100(recording):
    with pytest.raises(IntegrityError), transaction.atomic():
        TranscriptionJob.objects.create(recording=recording, progress=101)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "Waiting for a worker"),
        ({"chunks_done": 3, "chunks_total": 10}, "carry on from part 4 of 10"),
        ({"status": "running"}, "Reading the recording."),
        (
            {"status": "running", "chunks_done": 3, "chunks_total": 10, "progress": 30},
            "Transcribing: 30% done (3 of 10 parts).",
        ),
        ({"status": "done"}, "The transcript is ready."),
        ({"status": "done", "note": "No speech was found."}, "No speech was found."),
        ({"status": "failed", "error": "The file is not audio."}, "The file is not audio."),
        ({"status": "cancelled"}, "cancelled"),
    ],
)
def test_status_message_tells_the_officer_where_the_job_is(recording, fields, expected):
    job = TranscriptionJob(recording=recording, **fields)
    assert expected in job.status_message


def test_time_left_comes_from_the_measured_seconds_per_chunk(recording):
    job = TranscriptionJob(
        recording=recording,
        status=JobStatus.RUNNING,
        chunks_total=10,
        chunks_done=4,
        seconds_per_chunk=12.5,
    )
    assert job.time_left == datetime.timedelta(seconds=75)
    job.seconds_per_chunk = None
    assert job.time_left is None
    job.seconds_per_chunk, job.status = 12.5, JobStatus.QUEUED
    assert job.time_left is None


def test_cancel_and_retry_are_offered_in_the_right_states(recording):
    job = TranscriptionJob(recording=recording)
    offered = {}
    for status in JobStatus.values:
        job.status = status
        offered[status] = (job.can_cancel, job.can_retry)
    assert offered == {
        "queued": (True, False),
        "running": (True, False),
        "done": (False, False),
        "failed": (False, True),
        "cancelled": (False, True),
    }


def test_latest_job_uses_prefetched_jobs_without_a_query_per_recording(
    meeting, django_assert_max_num_queries
):
    for index in range(5):
        recording = make_recording(meeting, name=f"part-{index}.wav")
        TranscriptionJob.objects.create(recording=recording, status=JobStatus.FAILED)
        TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    with django_assert_max_num_queries(2):
        recordings = list(Recording.objects.prefetch_related("jobs"))
        statuses = [recording.latest_job.status for recording in recordings]
    assert statuses == ["done"] * 5


def test_stored_name_is_random_under_recordings_and_keeps_the_extension(meeting):
    recording = Recording(meeting=meeting)
    first = recording_upload_to(recording, "HWB 11 Jan 2017 (exempt item).MP3")
    second = recording_upload_to(recording, "HWB 11 Jan 2017 (exempt item).MP3")
    assert first.startswith(f"recordings/{meeting.pk}/")
    assert first.endswith(".mp3")
    assert "exempt" not in first
    assert first != second


def test_recordings_can_have_a_storage_of_their_own(settings):
    assert recording_storage().__class__.__name__ == "FileSystemStorage"
    storages = {
        **settings.STORAGES,
        "recordings": {"BACKEND": InMemoryStorage.__module__ + ".InMemoryStorage"},
    }
    with override_settings(STORAGES=storages):
        assert isinstance(recording_storage(), InMemoryStorage)


def test_correcting_a_segment_keeps_before_and_after_in_the_log(recording, django_user_model):
    officer = make_officer(django_user_model)
    speaker = Speaker.objects.create(recording=recording, label="Speaker 2")
    item = segment(recording, text="Councillor Rush opened the meeting.")

    assert item.correct(user=officer, text="Councillor Roche opened the meeting.", speaker=speaker)
    assert not item.correct(user=officer, text="Councillor Roche opened the meeting.")

    item.refresh_from_db()
    assert item.edited
    assert item.text == "Councillor Roche opened the meeting."
    entries = ModelLogEntry.objects.filter(action="transcription.edit_segment")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == officer
    assert entry.object_id == str(item.pk)
    assert entry.data["before"] == {"text": "Councillor Rush opened the meeting.", "speaker": None}
    assert entry.data["after"] == {
        "text": "Councillor Roche opened the meeting.",
        "speaker": speaker.pk,
    }


def test_a_speaker_is_named_once_assigned_to_a_person(recording, django_user_model):
    officer = make_officer(django_user_model)
    speaker = Speaker.objects.create(recording=recording, label="Speaker 2")
    assert speaker.name == "Speaker 2"
    roche = PersonFactory(title="Councillor", given_name="David", family_name="Roche")
    speaker.assign(roche, user=officer)
    speaker.refresh_from_db()
    assert speaker.name == roche.full_name
    assert "Roche" in speaker.name
    entry = ModelLogEntry.objects.get(action="transcription.assign_speaker")
    assert entry.data == {"before": None, "after": roche.pk, "label": "Speaker 2"}


def test_a_label_is_used_once_per_recording(recording):
    Speaker.objects.create(recording=recording, label="Speaker 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(recording=recording, label="Speaker 1")


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0:00:00"),
        (5.9, "0:00:05"),
        (307, "0:05:07"),
        (3 * 3600 + 61, "3:01:01"),
        (-2, "0:00:00"),
    ],
)
def test_timestamps_show_hours_minutes_and_seconds(seconds, expected):
    assert format_timestamp(seconds) == expected


@pytest.mark.django_db
def test_democratic_services_may_upload_and_correct_transcripts():
    officers = Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP)
    codenames = set(
        officers.permissions.filter(content_type__app_label="transcription").values_list(
            "codename", flat=True
        )
    )
    assert {"add_recording", "view_recording", "change_transcriptsegment"} <= codenames
    assert {"change_transcriptionjob", "change_speaker", "add_transcriptspan"} <= codenames


def test_deleting_a_recording_deletes_its_file(meeting, django_capture_on_commit_callbacks):
    recording = make_recording(meeting, content=b"audio")
    storage, name = recording.file.storage, recording.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        recording.delete()

    assert not storage.exists(name)
