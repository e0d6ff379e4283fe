"""Shared recordings for the transcription tests (session-scoped: built and transcribed once).

- `meeting_recording`: the short synthetic meeting (about 1.6 minutes, eight voices) with its
  exact script (`.lines`, `.text`, `.attendees`, `.path`): transcription/testing/recordings.py.
- `bad_recordings`: a dict of small bad files: not_audio, image, zero_length, truncated_mp3,
  corrupt_mp3, silence.
- `whisper_engine`: the real engine (bundled tiny.en, int8, 2 threads), loaded once.
- `meeting_vocabulary`: the names of everyone in the minutes' attendance, and the glossary.
- `meeting_transcript`: the pipeline's transcript of `meeting_recording` (with the vocabulary).

They need espeak-ng, sox and ffmpeg, which `make test` installs. Also the users of the admin
tests: `officer` (with `officer_client`) and `viewer`.
"""

import pytest
from django.contrib.auth.models import Permission

from transcription.engine import WhisperEngine
from transcription.pipeline import transcribe_recording
from transcription.testing import recordings
from transcription.vocabulary import Vocabulary

from .job_helpers import make_officer


@pytest.fixture(scope="session")
def meeting_recording():
    return recordings.short_meeting()


@pytest.fixture(scope="session")
def bad_recordings(tmp_path_factory, meeting_recording):
    return recordings.bad_files(tmp_path_factory.mktemp("bad-recordings"), meeting_recording.path)


@pytest.fixture(scope="session")
def whisper_engine():
    return WhisperEngine(cpu_threads=2)


@pytest.fixture(scope="session")
def meeting_vocabulary(meeting_recording):
    return Vocabulary.build(attendees=meeting_recording.attendees)


@pytest.fixture(scope="session")
def meeting_transcript(meeting_recording, whisper_engine, meeting_vocabulary):
    return transcribe_recording(
        meeting_recording.path, whisper_engine, vocabulary=meeting_vocabulary
    )


@pytest.fixture
def officer(django_user_model):
    """A democratic services officer (may upload, correct, align, draft and publish)."""
    return make_officer(django_user_model)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def viewer(django_user_model):
    """May read recordings in the admin, but not change anything."""
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_recording"),
    )
    return user
