"""A recording in the public search: its public transcript, indexed only while it is published.

`Recording.get_indexed_objects()` is `public.published_recordings()`, and the text indexed is
`public.public_segments()` run together, so the index never holds a word the public may not
read: not an exempt item's, not speech outside every aligned item, not an unpublished
recording's. `reindex_recordings` brings the index into line whenever what is public may have
changed (search_signals.py says when).

`public_passages` serves the search results: the public segments of a page of recordings in a
fixed number of queries, by the same rule (`public.stretches_from_spans`, `segment_is_public`,
`stretch_of`) that `public_segments` applies to one recording.
"""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.search.backends import get_search_backends

from .models import Recording, TranscriptSegment, TranscriptSpan
from .public import public_segments, segment_is_public, stretch_of, stretches_from_spans


def public_transcript_text(recording):
    """What the index holds for `recording`: its public segments' text, in time order."""
    return "\n".join(segment.text.strip() for segment in public_segments(recording))


def reindex_recordings(recording_ids, refresh=True):
    """Index the published recordings among `recording_ids` (ids, or a queryset of them) and
    take the others out of the index.

    With `refresh`, a published recording is indexed again whatever the index holds (its text
    may have changed); without it, only those missing from the index are added: enough when only
    whether a recording is public may have changed (its meeting was published or restricted).
    One query when none of them is marked for publication or indexed (a transcript being
    aligned or corrected before it is published).
    """
    # `index_entries` is the database search backend's relation to its index rows.
    candidates = list(
        Recording.objects.filter(pk__in=recording_ids)
        .filter(Q(publish_recording=True) | Q(index_entries__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    if not candidates:
        return
    public = Recording.get_indexed_objects().filter(pk__in=candidates)
    withdrawn = Recording.objects.filter(pk__in=candidates, index_entries__isnull=False).exclude(
        pk__in=public.values("pk")
    )
    if not refresh:
        public = public.filter(index_entries__isnull=True)
    public = list(public)
    withdrawn = list(withdrawn.only("pk").distinct())
    for backend in get_search_backends(with_auto_update=True):
        for recording in public:
            backend.add(recording)
        for recording in withdrawn:
            backend.delete(recording)


# Showing results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A public segment of a recording, and the agenda item it is shown under."""

    recording_id: int
    segment_id: int
    agenda_item_id: int
    start: float
    end: float
    text: str


def public_passages(recording_ids, *, containing=()):
    """{recording id: [Passage, ...] in time order}: the public segments of each recording.

    Two queries whatever the number of recordings or the length of their transcripts. With
    `containing` (lower-case fragments of words), only segments whose text holds one of them
    are read: a search result needs the passages that match, not hours of transcript.

    The caller must already know the recordings are published (`published_recordings()`).
    """
    spans = {}
    for recording_id, *span in TranscriptSpan.objects.filter(
        recording__in=recording_ids
    ).values_list("recording_id", "start", "end", "agenda_item_id", "agenda_item__is_exempt"):
        spans.setdefault(recording_id, []).append(tuple(span))
    rules = {
        recording_id: (
            stretches_from_spans(rows),
            sorted((start, end) for start, end, _item, is_exempt in rows if is_exempt),
        )
        for recording_id, rows in spans.items()
    }
    rules = {recording_id: rule for recording_id, rule in rules.items() if rule[0]}
    if not rules:
        return {}

    segments = TranscriptSegment.objects.filter(recording__in=list(rules))
    if containing:
        matches_any = Q()
        for fragment in containing:
            matches_any |= Q(text__icontains=fragment)
        segments = segments.filter(matches_any)
    passages = {}
    for segment in segments.order_by("recording", "start", "pk").only(
        "recording_id", "start", "end", "text"
    ):
        stretches, exempt = rules[segment.recording_id]
        if not segment_is_public(segment, stretches, exempt):
            continue
        passages.setdefault(segment.recording_id, []).append(
            Passage(
                recording_id=segment.recording_id,
                segment_id=segment.pk,
                agenda_item_id=stretch_of(segment, stretches).agenda_item_id,
                start=segment.start,
                end=segment.end,
                text=segment.text,
            )
        )
    return passages
