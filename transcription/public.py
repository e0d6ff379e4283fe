"""What of a recording the public may read and hear: the one rule every public door uses.

The meeting page, the captions (WebVTT and SRT), the published audio and the public search all
ask this module, and nothing else, what is public.

A recording is public only when the board publishes it (`Recording.publish_recording`), its
transcription is done, and its meeting is live, open to the public (not `is_private`) and not in
a section with a view restriction. Even then the rule is an allow-list: a stretch of the
recording is public only inside the span of a non-exempt agenda item, and never where it touches
the span of an exempt one. Speech before the first item, between items and in any part nobody
has aligned is withheld, so an exempt item that was never marked can still not leak.

A segment is public when it lies wholly inside a public stretch (a tolerance of
`EDGE_TOLERANCE` seconds at either end, as recognition times are approximate, but never into an
exempt span).
"""

import hashlib
from dataclasses import dataclass

from wagtail.models import Page

from .models import JobStatus, Recording, TranscriptSegment, TranscriptSpan

EDGE_TOLERANCE = 0.5
UNOFFICIAL_NOTICE = "Unofficial transcript; the approved minutes are the formal record."


@dataclass(frozen=True)
class PublicStretch:
    """A part of the recording the public may hear and read, and the agenda item it belongs to."""

    start: float
    end: float
    agenda_item_id: int


def _subtract(start, end, holes):
    """[start, end) with each (hole_start, hole_end) taken out, as a list of pieces."""
    pieces = [(start, end)]
    for hole_start, hole_end in holes:
        next_pieces = []
        for piece_start, piece_end in pieces:
            if hole_end <= piece_start or hole_start >= piece_end:
                next_pieces.append((piece_start, piece_end))
                continue
            if hole_start > piece_start:
                next_pieces.append((piece_start, hole_start))
            if hole_end < piece_end:
                next_pieces.append((hole_end, piece_end))
        pieces = next_pieces
    return [(a, b) for a, b in pieces if b > a]


def stretches_from_spans(spans):
    """Public stretches from (start, end, agenda_item_id, is_exempt) tuples, in time order."""
    exempt = [(start, end) for start, end, _item, is_exempt in spans if is_exempt]
    stretches = []
    for start, end, item_id, is_exempt in spans:
        if is_exempt:
            continue
        for piece_start, piece_end in _subtract(start, end, exempt):
            stretches.append(PublicStretch(piece_start, piece_end, item_id))
    return sorted(stretches, key=lambda stretch: (stretch.start, stretch.end))


def public_stretches(recording):
    """The public stretches of `recording` (one query), whether or not it is published."""
    spans = TranscriptSpan.objects.filter(recording=recording).values_list(
        "start", "end", "agenda_item_id", "agenda_item__is_exempt"
    )
    return stretches_from_spans(list(spans))


def exempt_spans(recording):
    """(start, end) of every exempt item's span: the parts that must stay silent."""
    return list(
        TranscriptSpan.objects.filter(recording=recording, agenda_item__is_exempt=True)
        .order_by("start")
        .values_list("start", "end")
    )


def segment_anchor(recording_id, segment_id):
    """The id of a segment's line on the meeting page (the search links to it)."""
    return f"transcript-{recording_id}-{segment_id}"


def fingerprint(stretches):
    """A short key for a set of stretches: the published audio is remade when it changes."""
    text = ";".join(f"{s.start:.3f}-{s.end:.3f}" for s in stretches)
    return hashlib.sha256(text.encode()).hexdigest()[:64]


def segment_is_public(segment, stretches, exempt):
    """Whether `segment` (anything with .start and .end) may be shown, given the stretches."""
    for hole_start, hole_end in exempt:
        if segment.start < hole_end and segment.end > hole_start:
            return False
    return any(
        segment.start >= stretch.start - EDGE_TOLERANCE
        and segment.end <= stretch.end + EDGE_TOLERANCE
        for stretch in stretches
    )


def stretch_of(segment, stretches):
    """The stretch a public segment is shown under (the one holding its start)."""
    for stretch in stretches:
        if stretch.start - EDGE_TOLERANCE <= segment.start <= stretch.end + EDGE_TOLERANCE:
            return stretch
    return None


def published_recordings():
    """Recordings the public may see: published by the board, transcribed, on a live public
    meeting outside any view restriction. Two queries: the view restrictions when called, the
    recordings when evaluated."""
    restricted = Page.objects.all().private_q()
    public_meeting_ids = (
        Page.objects.live().exclude(restricted).values("pk")
    )  # a subquery: live pages outside restricted sections
    return (
        Recording.objects.filter(
            publish_recording=True,
            meeting__is_private=False,
            meeting__live=True,
            meeting__in=public_meeting_ids,
            jobs__status=JobStatus.DONE,
        )
        .exclude(jobs__status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .distinct()
    )


def public_segments(recording, stretches=None):
    """The segments of a published recording the public may read, each with `.agenda_item_id`,
    in time order. Three queries whatever the length (spans, exempt spans, segments with their
    speakers); two when the caller has the `stretches` already."""
    if stretches is None:
        stretches = public_stretches(recording)
    if not stretches:
        return []
    exempt = exempt_spans(recording)
    segments = (
        TranscriptSegment.objects.filter(
            recording=recording,
            start__gte=stretches[0].start - EDGE_TOLERANCE,
            start__lte=max(stretch.end for stretch in stretches) + EDGE_TOLERANCE,
        )
        .select_related("speaker__person")
        .order_by("start", "pk")
    )
    shown = []
    for segment in segments:
        if not segment_is_public(segment, stretches, exempt):
            continue
        segment.agenda_item_id = stretch_of(segment, stretches).agenda_item_id
        shown.append(segment)
    return shown
