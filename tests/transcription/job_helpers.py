"""Shared set-up for the transcription job tests: a meeting, an officer, a recording."""

import wave

import numpy as np
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.files.base import ContentFile

from boards.factories import BoardPageFactory
from boards.models import DEMOCRATIC_SERVICES_GROUP
from meetings.factories import MeetingPageFactory
from transcription.models import Recording

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def make_meeting(board_index):
    board = BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")
    return MeetingPageFactory(parent=board, title="Health and Wellbeing Board, 11 January 2017")


def make_officer(django_user_model, username="officer"):
    officer = django_user_model.objects.create_user(username, password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return officer


def write_tone(path, seconds, *, rate=16000, frequency=440.0):
    """A WAV file of a quiet tone: real audio that every decoder reads, made without tools."""
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.2 * np.sin(2 * np.pi * frequency * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def make_recording(meeting, *, path=None, name="meeting.wav", content=b"placeholder", **fields):
    """A stored recording: the file at `path`, or `content` when the audio is never read."""
    recording = Recording(meeting=meeting, original_name=name, **fields)
    if path is not None:
        with open(path, "rb") as source:
            recording.size = recording.size or path.stat().st_size
            recording.file.save(name, File(source), save=False)
    else:
        recording.size = recording.size or len(content)
        recording.file.save(name, ContentFile(content), save=False)
    recording.save()
    return recording
