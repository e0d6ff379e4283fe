"""The published audio (silent outside the public stretches), its serving with HTTP Range, and
the officers' original audio.

The recording is a 12-second WAV with a pitch of its own for each part of the meeting
(public_helpers.py): 440 Hz for item 52, 1000 Hz for the exempt item 53, 660 Hz for item 54 and
300 Hz for the unmarked talk before and after. Decoding the published audio then shows, from the
sound alone, what the public can hear.
"""

import subprocess
from types import SimpleNamespace

import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from transcription import renditions, streaming
from transcription.models import TranscriptSpan
from transcription.public import fingerprint, public_stretches
from transcription.renditions import (
    make_public_audio,
    public_audio_is_current,
    rebuild_public_audio,
    refresh_public_audio,
)

from .job_helpers import make_officer, make_recording
from .public_helpers import make_published_meeting, write_item_tones

RATE = 22050


@pytest.fixture(autouse=True)
def no_cached_flags():
    cache.clear()


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path):
    """Each test's files in a folder of its own, so that what is left behind can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tones_dir(tmp_path):
    return tmp_path


@pytest.fixture
def tones(tones_dir):
    return write_item_tones(tones_dir / "meeting.wav")


@pytest.fixture
def published(board_index, tones):
    return make_published_meeting(board_index, path=tones)


@pytest.fixture
def recording_of(published):
    """Another recording of the same meeting, with the same spans, from a file of its own."""

    def make(path, **tone_options):
        write_item_tones(path, **tone_options)
        recording = make_recording(published.meeting, path=path, name=path.name)
        for span in TranscriptSpan.objects.filter(recording=published.recording):
            TranscriptSpan.objects.create(
                recording=recording, agenda_item=span.agenda_item, start=span.start, end=span.end
            )
        return recording

    return make


def decode(field_file):
    """The stored file's sound as 22.05 kHz mono float samples, decoded by ffmpeg."""
    with field_file.open("rb") as stored:
        data = stored.read()
    result = subprocess.run(  # noqa: S603
        ["ffmpeg", "-v", "error", "-i", "-", "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],  # noqa: S607
        input=data,
        capture_output=True,
        check=True,
    )
    return np.frombuffer(result.stdout, dtype=np.float32)


def rms(samples, start, end):
    window = samples[int(start * RATE) : int(end * RATE)]
    return float(np.sqrt(np.mean(window.astype(np.float64) ** 2)))


def audio_url(published):
    return f"{published.meeting.url}recordings/{published.recording.pk}/audio/"


# Making it ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_published_audio_is_silent_outside_the_public_items(published, recording_of, tones_dir):
    assert make_public_audio(published.recording) is True

    recording = published.recording
    recording.refresh_from_db()
    samples = decode(recording.public_audio)
    assert len(samples) / RATE == pytest.approx(12.0, abs=0.1)  # the same length: times line up
    # Public items are heard...
    assert rms(samples, 2.1, 4.9) > 0.1
    assert rms(samples, 8.1, 10.9) > 0.1
    # ...the exempt item, and talk before and after the items, are not.
    assert rms(samples, 5.1, 7.9) < 1e-3
    assert rms(samples, 0.0, 1.9) < 1e-3
    assert rms(samples, 11.1, 12.0) < 1e-3

    # Not a moment of the exempt item or the unmarked talk, even at their edges: the published
    # audio is exactly what it would be had nothing been said outside the public items.
    control = recording_of(tones_dir / "only-public.wav", only_public=True)
    make_public_audio(control)
    assert np.array_equal(samples, decode(control.public_audio))


@pytest.mark.django_db
def test_the_check_can_fail_the_exempt_item_is_heard_if_not_marked(
    published, recording_of, tones_dir
):
    """With the exempt item's span removed from the silence (marked public), it is heard."""
    span = TranscriptSpan.objects.get(agenda_item=published.exempt_item)
    span.agenda_item = published.public_item
    TranscriptSpan.objects.filter(agenda_item=published.public_item).delete()
    span.start = 2.0
    span.save()

    make_public_audio(published.recording)
    samples = decode(published.recording.public_audio)
    control = recording_of(tones_dir / "only-public.wav", only_public=True)
    make_public_audio(control)

    assert rms(samples, 5.1, 7.9) > 0.1
    assert not np.array_equal(samples, decode(control.public_audio))


@pytest.mark.django_db
def test_it_is_an_mp3_with_nothing_of_the_upload_but_its_sound(published):
    make_public_audio(published.recording)
    recording = published.recording

    assert recording.public_audio.name.startswith(f"recordings/{recording.meeting_id}/public/")
    assert recording.public_audio.name.endswith(".mp3")
    info = subprocess.run(  # noqa: S603
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels:format_tags",  # noqa: S607
         "-of", "default=noprint_wrappers=1", recording.public_audio.path],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert "codec_name=mp3" in info and "channels=1" in info
    with recording.public_audio.open("rb") as stored:
        assert b"HWB 11 Jan" not in stored.read()


@pytest.mark.django_db
def test_key_and_currency_follow_the_spans(published):
    recording = published.recording
    assert not public_audio_is_current(recording)

    make_public_audio(recording)

    assert recording.public_audio_key == fingerprint(public_stretches(recording))
    assert public_audio_is_current(recording)
    span = TranscriptSpan.objects.get(recording=recording, agenda_item=published.second_item)
    span.end = 10.0
    span.save()
    assert not public_audio_is_current(recording)


@pytest.mark.django_db
def test_an_item_made_exempt_makes_the_audio_stale(published):
    make_public_audio(published.recording)
    published.second_item.is_exempt = True
    published.second_item.exempt_paragraph = 3
    published.second_item.save()

    assert not public_audio_is_current(published.recording)


@pytest.mark.django_db
def test_a_rebuild_replaces_the_old_file(published, django_capture_on_commit_callbacks):
    recording = published.recording
    make_public_audio(recording)
    old = recording.public_audio.name
    storage = recording.public_audio.storage
    TranscriptSpan.objects.filter(agenda_item=published.second_item).update(end=9.0)

    with django_capture_on_commit_callbacks(execute=True):
        assert rebuild_public_audio(recording.pk) == "made"

    recording.refresh_from_db()
    assert recording.public_audio.name != old
    assert not storage.exists(old)
    assert public_audio_is_current(recording)
    samples = decode(recording.public_audio)
    assert rms(samples, 9.1, 10.9) < 1e-3  # what is no longer in a span is silent now
    assert rms(samples, 8.1, 8.9) > 0.1


@pytest.mark.django_db
def test_audio_made_for_stretches_that_changed_meanwhile_is_thrown_away(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    recording = published.recording
    real_render = renditions.render_public_audio

    def render_while_an_officer_moves_a_span(*args, **kwargs):
        TranscriptSpan.objects.filter(agenda_item=published.second_item).update(start=8.5)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(renditions, "render_public_audio", render_while_an_officer_moves_a_span)
    with django_capture_on_commit_callbacks(execute=True):
        assert make_public_audio(recording) is False

    recording.refresh_from_db()
    assert not recording.public_audio
    stored = recording.public_audio.storage.listdir(f"recordings/{recording.meeting_id}/public")
    assert stored[1] == []


@pytest.mark.django_db
def test_a_recording_that_cannot_be_read_fails_with_a_message_and_loses_nothing(board_index):
    published = make_published_meeting(board_index)  # the file is not audio

    result = rebuild_public_audio(published.recording.pk)

    assert result.startswith("failed: The published audio of “HWB 11 Jan incl. private")
    assert "The transcript is still published." in result
    published.recording.refresh_from_db()
    assert not published.recording.public_audio
    assert published.recording.publish_recording


@pytest.mark.django_db
def test_an_unpublished_recording_is_not_rendered(board_index, tones):
    published = make_published_meeting(board_index, path=tones, publish=False)

    assert rebuild_public_audio(published.recording.pk) == "skipped"
    assert refresh_public_audio(published.recording) is False


# Rebuilding when what is public changes ------------------------------------------------------


@pytest.mark.django_db
def test_publishing_and_moving_a_span_rebuild_the_audio_when_committed(
    board_index, tones, django_capture_on_commit_callbacks
):
    published = make_published_meeting(board_index, path=tones, publish=False)
    recording = published.recording

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recording.publish_recording = True
        recording.save(update_fields=["publish_recording"])
    assert len(callbacks) >= 1
    recording.refresh_from_db()
    assert public_audio_is_current(recording)

    span = TranscriptSpan.objects.get(agenda_item=published.second_item)
    with django_capture_on_commit_callbacks(execute=True):
        span.start = 9.0
        span.save()
    recording.refresh_from_db()
    assert public_audio_is_current(recording)
    assert rms(decode(recording.public_audio), 8.1, 8.9) < 1e-3


@pytest.mark.django_db
def test_a_rebuild_is_queued_once_for_many_changes(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    from transcription import rendition_tasks

    queued = []
    monkeypatch.setattr(
        rendition_tasks, "rebuild_public_audio_task", SimpleNamespace(enqueue=queued.append)
    )
    with django_capture_on_commit_callbacks(execute=True):
        for span in TranscriptSpan.objects.filter(recording=published.recording):
            span.end -= 0.5
            span.save()
        assert refresh_public_audio(published.recording)

    assert queued == [published.recording.pk]


# Serving it --------------------------------------------------------------------------------


@pytest.fixture
def rendered(published):
    make_public_audio(published.recording)
    published.recording.refresh_from_db()
    with published.recording.public_audio.open("rb") as stored:
        published.data = stored.read()
    return published


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_whole_published_audio_to_an_anonymous_visitor(client, rendered):
    response = client.get(audio_url(rendered))

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(rendered.data))
    assert response["Content-Disposition"].startswith("inline;")
    assert body(response) == rendered.data
    with rendered.recording.file.open("rb") as original:
        assert body(client.get(audio_url(rendered))) != original.read()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", None, None)],
)
def test_a_range_is_answered_with_206(client, rendered, header, first, last):
    size = len(rendered.data)
    if first is None:
        first, last = size - 50, size - 1
    last = size - 1 if last is None else last

    response = client.get(audio_url(rendered), headers={"Range": header})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == rendered.data[first : last + 1]


@pytest.mark.django_db
def test_a_range_past_the_end_is_416(client, rendered):
    size = len(rendered.data)

    response = client.get(audio_url(rendered), headers={"Range": f"bytes={size}-"})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "bytes=50-10", "pages=1-2", "bytes=x-"])
def test_ranges_it_does_not_serve_get_the_whole_file(client, rendered, header):
    response = client.get(audio_url(rendered), headers={"Range": header})

    assert response.status_code == 200
    assert body(response) == rendered.data


@pytest.mark.django_db
def test_if_range_with_an_old_etag_gets_the_whole_new_file(client, rendered):
    etag = client.get(audio_url(rendered))["ETag"]

    same = client.get(audio_url(rendered), headers={"Range": "bytes=0-9", "If-Range": etag})
    other = client.get(audio_url(rendered), headers={"Range": "bytes=0-9", "If-Range": '"old"'})

    assert same.status_code == 206
    assert other.status_code == 200


@pytest.mark.django_db
def test_head_gives_the_headers_without_the_file(client, rendered):
    response = client.head(audio_url(rendered), headers={"Range": "bytes=0-9"})

    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response.content == b""


@pytest.mark.django_db
def test_the_file_is_sent_in_blocks(client, rendered, monkeypatch):
    monkeypatch.setattr(streaming, "BLOCK_SIZE", 1000)

    response = client.get(audio_url(rendered), headers={"Range": "bytes=10-4509"})

    blocks = list(response.streaming_content)
    assert [len(block) for block in blocks] == [1000] * 4 + [500]
    assert b"".join(blocks) == rendered.data[10:4510]


@pytest.mark.django_db
def test_stale_audio_is_never_served_and_a_rebuild_is_asked_for(
    client, rendered, django_capture_on_commit_callbacks
):
    TranscriptSpan.objects.filter(agenda_item=rendered.second_item).update(end=9.0)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(audio_url(rendered))

    assert response.status_code == 404
    assert any(isinstance(c, renditions._EnqueueRebuild) for c in callbacks)


@pytest.mark.django_db
def test_unpublished_audio_is_not_found(client, rendered):
    rendered.recording.publish_recording = False
    rendered.recording.save(update_fields=["publish_recording"])

    assert client.get(audio_url(rendered)).status_code == 404


@pytest.mark.django_db
def test_a_file_missing_from_storage_is_not_found(client, rendered):
    rendered.recording.public_audio.storage.delete(rendered.recording.public_audio.name)

    assert client.get(audio_url(rendered)).status_code == 404


# The officers' original audio ----------------------------------------------------------------


def admin_audio_url(recording):
    return f"/admin/recordings/{recording.pk}/audio/"


@pytest.mark.django_db
def test_officers_hear_the_original_with_ranges(client, django_user_model, published):
    client.force_login(make_officer(django_user_model))
    with published.recording.file.open("rb") as original:
        data = original.read()

    whole = client.get(admin_audio_url(published.recording))
    part = client.get(admin_audio_url(published.recording), headers={"Range": "bytes=44-143"})

    assert whole.status_code == 200
    assert whole["Content-Type"] == "audio/x-wav"
    assert whole["Content-Disposition"].startswith("inline;")
    assert 'filename="HWB 11 Jan incl. private session.wav"' in whole["Content-Disposition"]
    assert body(whole) == data
    assert part.status_code == 206
    assert body(part) == data[44:144]


@pytest.mark.django_db
def test_original_audio_is_refused_without_the_permission(client, django_user_model, published):
    user = django_user_model.objects.create_user("editor", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get(admin_audio_url(published.recording)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_recording"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(admin_audio_url(published.recording)).status_code == 200


@pytest.mark.django_db
def test_original_audio_sends_visitors_to_sign_in(client, published):
    response = client.get(admin_audio_url(published.recording))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_a_declared_type_that_is_not_sound_is_not_trusted(client, django_user_model, board_index):
    published = make_published_meeting(board_index, publish=False)
    published.recording.content_type = "text/html"
    published.recording.save()
    client.force_login(make_officer(django_user_model))

    response = client.get(admin_audio_url(published.recording))

    assert response["Content-Type"] == "audio/x-wav"


@pytest.mark.django_db
def test_an_unknown_recording_is_not_found(client, django_user_model, published):
    client.force_login(make_officer(django_user_model))

    assert client.get(f"/admin/recordings/{published.recording.pk + 100}/audio/").status_code == 404


def test_parse_range():
    assert streaming.parse_range("", 100) is None
    assert streaming.parse_range("bytes=0-0", 100) == (0, 0)
    assert streaming.parse_range("bytes=90-200", 100) == (90, 99)
    assert streaming.parse_range("bytes=-200", 100) == (0, 99)
    with pytest.raises(streaming.UnsatisfiableRange):
        streaming.parse_range("bytes=-0", 100)
    with pytest.raises(streaming.UnsatisfiableRange):
        streaming.parse_range("bytes=0-", 0)
