"""`manage.py transcribe_file`: a recording to JSON without the database.

These tests have no database fixture: pytest-django fails any test that touches the database,
so they also show the command never does.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from transcription.scoring import similarity


def test_the_command_writes_the_transcript_as_json(tmp_path, meeting_recording, capsys):
    out = tmp_path / "meeting.json"

    call_command(
        "transcribe_file",
        str(meeting_recording.path),
        "--attendees",
        "Tony Clabby, Janet Wheatley, Chris Edwards, Sharon Kemp, Councillor D. Roche",
        "--terms",
        "Healthwatch Rotherham, STP",
        "--json",
        str(out),
    )

    data = json.loads(out.read_text())
    assert set(data) == {"duration", "segments"}
    assert data["duration"] == pytest.approx(meeting_recording.duration, abs=0.2)
    assert data["segments"]
    assert all(set(s) == {"start", "end", "text", "speaker"} for s in data["segments"])
    text = " ".join(segment["text"] for segment in data["segments"])
    assert similarity(meeting_recording.text, text) >= 0.7
    assert "Tony Clabby" in text
    # The voices are told apart as the worker does: the chair's opening is one voice, and the
    # eight voices of the meeting give several labels.
    speakers = [segment["speaker"] for segment in data["segments"]]
    assert all(speaker.startswith("Speaker ") for speaker in speakers)
    assert speakers[0] == speakers[1] == "Speaker 1"
    assert 4 <= len(set(speakers)) <= 12
    progress = capsys.readouterr().err
    assert "short-meeting.mp3: 1 minute" in progress
    assert "Chunk 1 of " in progress and "Done: " in progress


def test_without_json_the_transcript_goes_to_stdout_and_notes_to_stderr(bad_recordings, capsys):
    call_command("transcribe_file", str(bad_recordings["silence"]))

    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["segments"] == []
    assert data["duration"] == pytest.approx(30.0, abs=0.5)
    assert "No speech was found in the recording" in captured.err


@pytest.mark.parametrize("kind", ["not_audio", "zero_length", "corrupt_mp3"])
def test_a_bad_file_stops_the_command_with_the_clerks_message(bad_recordings, kind, tmp_path):
    out = tmp_path / "out.json"

    with pytest.raises(CommandError, match="^The file “"):
        call_command("transcribe_file", str(bad_recordings[kind]), "--json", str(out))

    assert not out.exists()


def test_a_model_directory_without_a_model_stops_the_command(tmp_path, meeting_recording):
    with pytest.raises(CommandError, match="has no model.bin"):
        call_command("transcribe_file", str(meeting_recording.path), "--model", str(tmp_path))
