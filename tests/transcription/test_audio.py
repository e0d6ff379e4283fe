"""Reading recordings: every format a council uploads, and every kind of bad file."""

import numpy as np
import pytest

from transcription.audio import (
    SAMPLE_RATE,
    AudioInfo,
    CorruptRecordingError,
    EmptyRecordingError,
    MissingRecordingError,
    NotAudioError,
    decode_window,
    probe,
    read_chunk,
)
from transcription.testing.recordings import convert


def test_probe_reads_the_length_and_codec_of_an_mp3(meeting_recording):
    info = probe(meeting_recording.path)

    assert isinstance(info, AudioInfo)
    assert info.duration == pytest.approx(meeting_recording.duration, abs=0.2)
    assert info.codec == "mp3"
    assert not info.has_video


@pytest.mark.parametrize("suffix", ["wav", "m4a", "ogg", "webm", "mp4"])
def test_every_accepted_format_is_read(tmp_path, meeting_recording, suffix):
    converted = convert(meeting_recording.path, tmp_path / f"clip.{suffix}", seconds=6)

    info = probe(converted)
    samples = read_chunk(converted, 1.0, 2.0)

    assert info.duration == pytest.approx(6.0, abs=0.2)
    assert info.has_video is (suffix == "mp4")
    assert samples.dtype == np.float32
    assert len(samples) == pytest.approx(2 * SAMPLE_RATE, abs=SAMPLE_RATE * 0.05)


def test_a_window_is_the_same_sound_wherever_it_is_read_from(meeting_recording):
    """Seeking is exact: 2 seconds read on their own match the same 2 seconds of a longer read."""
    longer = read_chunk(meeting_recording.path, 10.0, 10.0)
    window = read_chunk(meeting_recording.path, 14.0, 2.0)

    start = 4 * SAMPLE_RATE
    expected = longer[start : start + len(window)]
    assert np.corrcoef(window, expected)[0, 1] > 0.99


def test_reading_past_the_end_gives_what_there_is(meeting_recording):
    tail = read_chunk(meeting_recording.path, meeting_recording.duration - 1.0, 30.0)

    assert 0.5 * SAMPLE_RATE < len(tail) <= 1.2 * SAMPLE_RATE


def test_a_document_with_a_sound_files_name_is_refused_with_a_clear_message(bad_recordings):
    with pytest.raises(NotAudioError) as raised:
        probe(bad_recordings["not_audio"])

    message = str(raised.value)
    assert message.startswith("The file “minutes.mp3” is not a recording we can read:")
    assert "mp3, m4a, wav, ogg, webm or mp4" in message


def test_a_picture_is_refused_as_having_no_sound(bad_recordings):
    with pytest.raises(NotAudioError, match="holds a picture or a video without sound"):
        probe(bad_recordings["image"])


def test_a_text_file_is_refused_as_text(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Apologies were received from Councillor Watson.\n" * 20)

    with pytest.raises(NotAudioError, match="it holds text, not sound"):
        probe(notes)


def test_a_zero_length_file_is_refused(bad_recordings):
    with pytest.raises(EmptyRecordingError, match=r"is empty \(0 bytes\)"):
        probe(bad_recordings["zero_length"])


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(MissingRecordingError, match="could not be found"):
        probe(tmp_path / "gone.mp3")


def test_an_mp3_with_nothing_decodable_is_refused_as_damaged(bad_recordings):
    with pytest.raises(CorruptRecordingError) as raised:
        probe(bad_recordings["corrupt_mp3"])

    assert "none of it can be decoded" in str(raised.value)
    assert raised.value.detail  # ffmpeg's own words, for whoever supports the system


def test_the_name_the_clerk_knows_is_used_in_messages(bad_recordings):
    with pytest.raises(NotAudioError, match="“Board 11 January.mp3”"):
        probe(bad_recordings["not_audio"], name="Board 11 January.mp3")


def test_a_truncated_mp3_is_readable_up_to_where_it_stops(bad_recordings):
    """Its header still announces 20 seconds; only about 10 can be decoded."""
    info = probe(bad_recordings["truncated_mp3"])
    decoded = decode_window(bad_recordings["truncated_mp3"], 0.0, info.duration)

    assert info.duration == pytest.approx(20.0, abs=0.5)
    assert 5.0 < decoded.seconds < 15.0


def test_silence_is_a_recording_not_an_error(bad_recordings):
    info = probe(bad_recordings["silence"])
    samples = read_chunk(bad_recordings["silence"], 0.0, 5.0)

    assert info.duration == pytest.approx(30.0, abs=0.5)
    assert np.abs(samples).max() < 1e-3
