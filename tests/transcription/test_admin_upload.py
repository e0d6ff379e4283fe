"""The admin: uploading a meeting's recording, following its job, cancel, retry, the transcript.

Tasks go to the dummy backend unless a test says otherwise: that is a site whose worker is down,
so an upload must stay queued, "waiting for a worker".
"""

import datetime
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from wagtail.models import ModelLogEntry

from boards.models import BOARD_MEMBERS_GROUP
from transcription.models import JobStatus, Recording, TranscriptionJob, TranscriptSegment

from .job_helpers import DUMMY_TASKS, make_meeting, make_recording, write_tone


@pytest.fixture(autouse=True)
def worker_down(settings):
    settings.TASKS = DUMMY_TASKS
    settings.TRANSCRIPTION_CHUNK_SECONDS = 10
    settings.TRANSCRIPTION_CHUNK_OVERLAP = 2


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("uploads")
    write_tone(directory / "meeting.wav", 12)
    return directory


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


def upload(client, meeting, name, content, content_type="audio/mpeg"):
    return client.post(
        reverse("transcription:meeting", args=[meeting.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def wav_bytes(audio_dir):
    return (audio_dir / "meeting.wav").read_bytes()


def test_a_meeting_offers_recordings_in_its_admin_header(officer_client, meeting):
    response = officer_client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk]))

    assert reverse("transcription:meeting", args=[meeting.pk]) in response.content.decode()


def test_the_recordings_menu_is_for_officers(officer_client, meeting, django_user_model, client):
    response = officer_client.get(reverse("wagtailadmin_home"))
    assert reverse("transcription:index") in response.content.decode()

    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    client.force_login(member)
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("transcription:index") not in response.content.decode()
    assert_refused_access(client.get(reverse("transcription:index")))
    assert_refused_access(client.get(reverse("transcription:meeting", args=[meeting.pk])))
    assert_refused_access(upload(client, meeting, "meeting.wav", b"RIFF"))
    assert not Recording.objects.exists()


def assert_refused_access(response):
    """Wagtail's admin answers PermissionDenied by sending the user to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(reverse("transcription:meeting", args=[meeting.pk]))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_an_upload_while_the_worker_is_down_waits_for_a_worker(
    officer_client, officer, meeting, audio_dir
):
    response = upload(
        officer_client, meeting, "HWB 11 January 2017.wav", wav_bytes(audio_dir), "audio/wav"
    )

    recording = Recording.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transcription:recording", args=[recording.pk])
    assert recording.meeting == meeting
    assert recording.original_name == "HWB 11 January 2017.wav"
    assert recording.size == len(wav_bytes(audio_dir))
    assert recording.duration == pytest.approx(12, abs=0.1)
    assert recording.uploaded_by == officer
    assert recording.file.name.startswith(f"recordings/{meeting.pk}/")
    assert not recording.publish_recording
    job = recording.latest_job
    assert job.status == JobStatus.QUEUED
    assert job.requested_by == officer
    [enqueued] = [r for r in task_backends["default"].results if r.args == [job.pk]]
    assert job.task_result_id == enqueued.id
    assert ModelLogEntry.objects.filter(action="transcription.upload").count() == 1

    page = officer_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert "Cancel transcription" in page
    assert "Retry transcription" not in page


@pytest.mark.parametrize("extension", ["mp3", "m4a", "ogg", "webm", "mp4"])
def test_every_allowed_format_is_accepted(officer_client, meeting, audio_dir, extension):
    from transcription.testing.recordings import convert

    source, target = audio_dir / "meeting.wav", audio_dir / f"meeting.{extension}"
    if extension == "mp3":
        command = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), str(target)]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    else:
        convert(source, target)

    response = upload(officer_client, meeting, target.name, target.read_bytes())

    assert response.status_code == 302, response.content.decode()[:2000]
    # A video's container may run a frame or so past its sound.
    assert Recording.objects.get().duration == pytest.approx(12, abs=1.5)


def assert_refused(response, message):
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "The recording was not uploaded" in page
    assert not Recording.objects.exists()
    assert not TranscriptionJob.objects.exists()


def test_no_file_is_refused(officer_client, meeting):
    response = officer_client.post(reverse("transcription:meeting", args=[meeting.pk]), {})
    assert_refused(response, "Select a recording of the meeting")


def test_a_wrong_type_is_refused_by_its_extension(officer_client, meeting, audio_dir):
    response = upload(officer_client, meeting, "minutes.docx", wav_bytes(audio_dir))
    assert_refused(response, "The selected file must be an MP3, M4A, WAV, OGG, WebM or MP4 file")


def test_an_empty_file_is_refused(officer_client, meeting):
    response = upload(officer_client, meeting, "meeting.mp3", b"")
    assert_refused(response, "The selected file is empty")


def test_a_document_renamed_as_audio_is_refused_by_reading_it(officer_client, meeting):
    response = upload(officer_client, meeting, "minutes.mp3", b"Minutes of the meeting\n" * 200)
    assert_refused(response, "is not a recording we can read")
    assert "minutes.mp3" in response.content.decode()


def test_a_file_over_the_limit_is_refused(officer_client, meeting, audio_dir, settings):
    settings.TRANSCRIPTION_MAX_UPLOAD_BYTES = 1000
    response = upload(officer_client, meeting, "meeting.wav", wav_bytes(audio_dir))
    assert_refused(response, "The selected file must be smaller than 1000")


def test_upload_runs_the_job_when_a_worker_takes_it(officer_client, meeting, audio_dir, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TRANSCRIPTION_ENGINE = "tests.transcription.test_jobs.ScriptedEngine"

    response = upload(officer_client, meeting, "meeting.wav", wav_bytes(audio_dir))

    recording = Recording.objects.get()
    assert recording.latest_job.status == JobStatus.DONE
    page = officer_client.get(response["Location"]).content.decode()
    assert "The transcript is ready." in page
    assert "Read and correct the transcript" in page
    assert "Cancel transcription" not in page


def running(recording, **fields):
    return TranscriptionJob.objects.create(
        recording=recording,
        status=JobStatus.RUNNING,
        run_token="a-run",
        chunks_total=8,
        chunks_done=3,
        progress=37,
        seconds_per_chunk=40,
        started_at=timezone.now() - datetime.timedelta(minutes=2),
        heartbeat_at=timezone.now(),
        attempts=1,
        **fields,
    )


def test_the_status_page_shows_percent_done_and_time_left(officer_client, meeting):
    recording = make_recording(meeting, duration=480.0)
    running(recording)

    page = officer_client.get(
        reverse("transcription:recording", args=[recording.pk])
    ).content.decode()

    assert "Transcribing: 37% done (3 of 8 parts)." in page
    assert 'value="37"' in page
    assert "Time left: about 3 minutes." in page
    assert "Check progress" in page
    assert (
        'action="{}"'.format(reverse("transcription:cancel", args=[recording.latest_job.pk]))
        in page
    )


def test_cancel_is_a_post_that_stops_the_job(officer_client, meeting):
    job = running(make_recording(meeting))
    url = reverse("transcription:cancel", args=[job.pk])

    assert officer_client.get(url).status_code == 405
    response = officer_client.post(url, follow=True)

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    page = response.content.decode()
    assert "The transcription was cancelled." in page
    assert "Retry transcription" in page

    again = officer_client.post(url, follow=True).content.decode()
    assert "had already finished" in again


def test_a_failed_job_shows_its_reason_and_can_be_retried(officer_client, meeting):
    job = TranscriptionJob.objects.create(
        recording=make_recording(meeting),
        status=JobStatus.FAILED,
        error="The file “HWB.mp3” is empty (0 bytes), so there is nothing to transcribe.",
        chunks_done=2,
        chunks_total=5,
    )
    page = officer_client.get(
        reverse("transcription:recording", args=[job.recording_id])
    ).content.decode()
    assert "is empty (0 bytes)" in page
    assert "Retry transcription" in page

    response = officer_client.post(reverse("transcription:retry", args=[job.pk]), follow=True)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "queued again" in response.content.decode()
    assert "carry on from part 3 of 5" in response.content.decode()


def test_a_member_cannot_cancel_or_retry(client, django_user_model, meeting):
    job = running(make_recording(meeting))
    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    client.force_login(member)

    assert_refused_access(client.post(reverse("transcription:cancel", args=[job.pk])))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def add_segments(recording, count, offset=0):
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            recording=recording,
            chunk_index=(offset + index) // 10,
            start=(offset + index) * 7.5,
            end=(offset + index) * 7.5 + 7,
            text=f"Sentence number {offset + index}.",
        )
        for index in range(count)
    )


def test_the_transcript_lists_segments_with_timestamps_in_order(
    officer_client, meeting, django_assert_max_num_queries
):
    recording = make_recording(meeting)
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    add_segments(recording, 10, offset=10)
    add_segments(recording, 10)
    url = reverse("transcription:transcript", args=[recording.pk])

    page = officer_client.get(url).content.decode()
    assert page.index("Sentence number 0.") < page.index("Sentence number 19.")
    assert "0:02:22" in page  # segment 19 starts at 142.5 seconds
    assert "unofficial transcript" in page.lower()

    with django_assert_max_num_queries(30) as few:
        officer_client.get(url)
    add_segments(recording, 200, offset=20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(url)


def test_the_index_lists_recordings_without_a_query_per_row(
    officer_client, meeting, django_assert_max_num_queries
):
    for index in range(3):
        running(make_recording(meeting, name=f"part {index}.mp3"))
    url = reverse("transcription:index")
    with django_assert_max_num_queries(40) as few:
        page = officer_client.get(url).content.decode()
    assert "part 2.mp3" in page
    assert "Running, 37%" in page

    for index in range(3, 12):
        running(make_recording(meeting, name=f"part {index}.mp3"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = officer_client.get(url).content.decode()
    assert "part 11.mp3" in page


def test_the_meeting_page_lists_its_recordings_and_the_upload_form(officer_client, meeting):
    make_recording(meeting, name="morning session.mp3")

    page = officer_client.get(reverse("transcription:meeting", args=[meeting.pk])).content.decode()

    assert "morning session.mp3" in page
    assert "Not transcribed" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Upload and transcribe" in page
