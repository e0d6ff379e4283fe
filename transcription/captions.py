"""Captions of the public transcript: WebVTT (for the player's <track>) and SubRip (SRT).

Both start with the notice that the transcript is unofficial: WebVTT as a NOTE block (read by
whoever opens the file) and, in both, as a caption over the first second (seen by whoever watches
with captions on). Cue times are the segments' own, so they match the published audio, which is
the whole recording with everything not public silenced.
"""

import re

from .public import UNOFFICIAL_NOTICE

NOTICE_SECONDS = 1.0
MIN_CUE_SECONDS = 0.1


def _clock(seconds, separator):
    milliseconds = max(round(seconds * 1000), 0)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def vtt_time(seconds):
    """00:05:07.250"""
    return _clock(seconds, ".")


def srt_time(seconds):
    """00:05:07,250"""
    return _clock(seconds, ",")


def one_line(text):
    """Text on one line: a blank line would end a cue, and "-->" would look like a timing."""
    return re.sub(r"\s+", " ", text or "").replace("-->", "->").strip()


def _vtt_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _times(segment):
    return segment.start, max(segment.end, segment.start + MIN_CUE_SECONDS)


def _with_text(segments):
    return [segment for segment in segments if one_line(segment.text)]


def _speaker(segment):
    speaker = getattr(segment, "speaker", None)
    return one_line(speaker.name) if speaker is not None else ""


def webvtt(segments, notice=UNOFFICIAL_NOTICE):
    """A WebVTT file of `segments` (with .start, .end, .text, .speaker), voices named."""
    blocks = [
        "WEBVTT",
        f"NOTE\n{one_line(notice)}",
        f"notice\n{vtt_time(0)} --> {vtt_time(NOTICE_SECONDS)}\n{_vtt_escape(one_line(notice))}",
    ]
    for number, segment in enumerate(_with_text(segments), start=1):
        start, end = _times(segment)
        text = _vtt_escape(one_line(segment.text))
        speaker = _speaker(segment)
        if speaker:
            text = f"<v {_vtt_escape(speaker)}>{text}</v>"
        blocks.append(f"{number}\n{vtt_time(start)} --> {vtt_time(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def srt(segments, notice=UNOFFICIAL_NOTICE):
    """A SubRip file of `segments`, the speaker's name before each caption's text."""
    blocks = [f"1\n{srt_time(0)} --> {srt_time(NOTICE_SECONDS)}\n{one_line(notice)}"]
    for number, segment in enumerate(_with_text(segments), start=2):
        start, end = _times(segment)
        text = one_line(segment.text)
        speaker = _speaker(segment)
        if speaker:
            text = f"{speaker}: {text}"
        blocks.append(f"{number}\n{srt_time(start)} --> {srt_time(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"
