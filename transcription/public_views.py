"""The recording and transcript on the public meeting page, and the files it links to.

Everything here asks `transcription.public` what is public: which recordings
(`published_recordings`), which segments (`public_segments`) and which stretches of sound
(`public_stretches`, through the published audio). The meeting page's routes
(`MeetingPage.recording_file`) come here:

    recordings/<id>/audio/           the published audio (silent outside the public stretches)
    recordings/<id>/captions.vtt     WebVTT captions, for the player's <track>
    recordings/<id>/captions.srt     SubRip captions
    recordings/<id>/transcript.txt   the transcript as plain text, item by item

Each answers 404 unless the recording is published and belongs to the meeting.
"""

from dataclasses import dataclass, field

from django.http import Http404, HttpResponse, HttpResponseNotAllowed

from meetings.dates import format_meeting_datetime
from meetings.models import AgendaItem

from . import captions
from .models import Recording, format_timestamp
from .public import (
    UNOFFICIAL_NOTICE,
    public_segments,
    public_stretches,
    published_recordings,
    segment_anchor,
)
from .renditions import CONTENT_TYPE, EXTENSION, public_audio_is_current, refresh_public_audio
from .streaming import serve_stored_file

FILES = {
    "audio": "audio",
    "captions.vtt": "vtt",
    "captions.srt": "srt",
    "transcript.txt": "text",
}


@dataclass
class PublicRecording:
    """A published recording as the meeting page shows it."""

    pk: int
    label: str
    player_id: str
    audio_url: str  # empty while the published audio is being made
    vtt_url: str
    srt_url: str
    text_url: str


@dataclass
class TranscriptLine:
    """One public segment under its agenda item."""

    anchor: str
    start: float
    end: float
    timestamp: str
    seek_url: str
    speaker: str
    text: str


@dataclass
class ItemTranscript:
    """An agenda item's part of one recording's transcript."""

    recording: PublicRecording
    lines: list = field(default_factory=list)


@dataclass
class MeetingTranscript:
    """The recordings of a meeting the public may hear, and their transcript by agenda item."""

    notice: str
    recordings: list
    by_item: dict  # agenda item id: [ItemTranscript, ...]

    def for_item(self, item_id):
        return self.by_item.get(item_id, [])


def _recording_urls(meeting_url, recording_pk):
    base = f"{meeting_url}recordings/{recording_pk}/"
    return {
        "audio_url": f"{base}audio/",
        "vtt_url": f"{base}captions.vtt",
        "srt_url": f"{base}captions.srt",
        "text_url": f"{base}transcript.txt",
    }


def _line(segment, recording):
    speaker = segment.speaker.name if segment.speaker_id else ""
    seek_url = f"{recording.audio_url}#t={segment.start:.1f}" if recording.audio_url else ""
    return TranscriptLine(
        anchor=segment_anchor(recording.pk, segment.pk),
        start=round(segment.start, 3),
        end=round(segment.end, 3),
        timestamp=format_timestamp(segment.start),
        seek_url=seek_url,
        speaker=speaker,
        text=segment.text,
    )


def transcript_context(meeting, request):
    """The meeting's published recordings and public transcript, or None when there are none.

    One query for a meeting without a recording marked for publication; with one, six (the
    view restrictions and the recordings, then per recording its stretches, its exempt spans and
    its segments with their speakers), however long the transcript.
    """
    if meeting.pk is None or meeting.is_private:
        return None
    if not Recording.objects.filter(meeting=meeting, publish_recording=True).exists():
        return None
    recordings = list(published_recordings().filter(meeting=meeting).order_by("uploaded_at", "pk"))
    if not recordings:
        return None
    meeting_url = meeting.get_url(request)
    shown, by_item = [], {}
    for number, recording in enumerate(recordings, start=1):
        stretches = public_stretches(recording)
        segments = public_segments(recording, stretches)
        if not segments:
            continue
        urls = _recording_urls(meeting_url, recording.pk)
        if not public_audio_is_current(recording, stretches):
            urls["audio_url"] = ""
        public = PublicRecording(
            pk=recording.pk,
            label=f"Part {number}" if len(recordings) > 1 else "",
            player_id=f"recording-{recording.pk}-player",
            **urls,
        )
        shown.append(public)
        parts = {}
        for segment in segments:
            part = parts.get(segment.agenda_item_id)
            if part is None:
                part = parts[segment.agenda_item_id] = ItemTranscript(recording=public)
                by_item.setdefault(segment.agenda_item_id, []).append(part)
            part.lines.append(_line(segment, public))
    if not shown:
        return None
    return MeetingTranscript(notice=UNOFFICIAL_NOTICE, recordings=shown, by_item=by_item)


# The files -------------------------------------------------------------------------------


def published_recording(meeting, recording_id):
    """The meeting's recording if the public may have it; Http404 otherwise."""
    recording = published_recordings().filter(meeting=meeting, pk=recording_id).first()
    if recording is None:
        raise Http404("No published recording.")
    return recording


def recording_file_response(request, *, meeting, recording_id, name):
    """The response for one of a published recording's public files (see FILES)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    kind = FILES.get(name)
    if kind is None:
        raise Http404("No such file.")
    recording = published_recording(meeting, recording_id)
    if kind == "audio":
        return audio_response(request, meeting, recording)
    segments = public_segments(recording)
    if kind == "vtt":
        return HttpResponse(captions.webvtt(segments), content_type="text/vtt; charset=utf-8")
    filename = f"{meeting.slug}-recording-{recording.pk}"
    if kind == "srt":
        response = HttpResponse(
            captions.srt(segments), content_type="application/x-subrip; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.srt"'
        return response
    response = HttpResponse(
        transcript_text(meeting, segments), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.txt"'
    return response


def audio_response(request, meeting, recording):
    """The published audio, only if it was made for the present public stretches.

    Otherwise 404 (never older audio, never the original), and a rebuild is asked for.
    """
    if not public_audio_is_current(recording):
        refresh_public_audio(recording)
        raise Http404("The published audio is being prepared.")
    return serve_stored_file(
        request,
        recording.public_audio,
        content_type=CONTENT_TYPE,
        filename=f"{meeting.slug}-recording-{recording.pk}{EXTENSION}",
        # Anyone may keep a copy, but must check it is still published before using it.
        cache_control="public, no-cache",
    )


def transcript_text(meeting, segments):
    """The public transcript as plain text, under the agenda items' numbers and titles."""
    items = {
        item.pk: item
        for item in AgendaItem.objects.filter(
            meeting=meeting, is_exempt=False, pk__in={s.agenda_item_id for s in segments}
        )
    }
    lines = [
        f"{meeting.title}, {format_meeting_datetime(meeting.start)}",
        "Transcript of the recording",
        UNOFFICIAL_NOTICE,
    ]
    current = None
    for segment in segments:
        item = items.get(segment.agenda_item_id)
        if item is None:
            continue
        if segment.agenda_item_id != current:
            current = segment.agenda_item_id
            number = f"{item.display_number}. " if item.display_number else ""
            lines += ["", f"{number}{item.title}", ""]
        speaker = f"{segment.speaker.name}: " if segment.speaker_id else ""
        lines.append(
            f"{format_timestamp(segment.start)} {speaker}{captions.one_line(segment.text)}"
        )
    return "\n".join(lines) + "\n"
