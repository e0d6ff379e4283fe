"""Publishing a recording with its meeting: refused until it can show something, logged."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from meetings.models import AgendaItem
from transcription.models import JobStatus, Recording, TranscriptionJob, TranscriptSpan

from .job_helpers import make_meeting, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(board_index):
    meeting = make_meeting(board_index)
    recording = Recording.objects.create(
        meeting=meeting, original_name="hwb.mp3", size=10, file="recordings/x.mp3", duration=600
    )
    return recording


def items_for(meeting):
    public = AgendaItem.objects.create(meeting=meeting, number=8, title="Better Care Fund")
    exempt = AgendaItem.objects.create(
        meeting=meeting,
        number=9,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive.",
    )
    return public, exempt


def publish(client, recording, value="yes"):
    return client.post(reverse("transcription:publish", args=[recording.pk]), {"publish": value})


def test_publishing_needs_a_finished_transcription_and_a_marked_item(
    client, django_user_model, recording
):
    client.force_login(make_officer(django_user_model))
    response = publish(client, recording)
    assert response.status_code == 302
    recording.refresh_from_db()
    assert not recording.publish_recording
    page = client.get(response.url).content.decode()
    assert "until its transcription is done" in page

    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    publish(client, recording)
    recording.refresh_from_db()
    assert not recording.publish_recording  # nothing marked: nothing would be shown

    public, exempt = items_for(recording.meeting)
    TranscriptSpan.objects.create(recording=recording, agenda_item=exempt, start=0, end=60)
    publish(client, recording)
    recording.refresh_from_db()
    assert not recording.publish_recording  # only an exempt item marked: still nothing to show

    TranscriptSpan.objects.create(recording=recording, agenda_item=public, start=60, end=600)
    publish(client, recording)
    recording.refresh_from_db()
    assert recording.publish_recording
    entry = ModelLogEntry.objects.get(action="transcription.publish")
    assert entry.object_id == str(recording.pk)

    page = client.get(reverse("transcription:recording", args=[recording.pk])).content.decode()
    assert "Exempt items are never published: 9" in page
    assert "Withdraw the recording and transcript" in page

    publish(client, recording, "no")
    recording.refresh_from_db()
    assert not recording.publish_recording
    assert ModelLogEntry.objects.filter(action="transcription.unpublish").count() == 1


def test_a_private_meeting_s_recording_is_never_published(client, django_user_model, recording):
    client.force_login(make_officer(django_user_model))
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    public, _ = items_for(recording.meeting)
    TranscriptSpan.objects.create(recording=recording, agenda_item=public, start=0, end=600)
    recording.meeting.is_private = True
    recording.meeting.save()
    response = publish(client, recording)
    recording.refresh_from_db()
    assert not recording.publish_recording
    assert "closed to the public" in client.get(response.url).content.decode()


def test_only_officers_who_may_edit_the_meeting_publish(client, django_user_model, recording):
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    public, _ = items_for(recording.meeting)
    TranscriptSpan.objects.create(recording=recording, agenda_item=public, start=0, end=600)
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_recording"),
    )
    client.force_login(viewer)
    response = publish(client, recording)
    # Wagtail's admin answers PermissionDenied by sending the user to the dashboard.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    recording.refresh_from_db()
    assert not recording.publish_recording
    assert not ModelLogEntry.objects.filter(action__startswith="transcription.").exists()
