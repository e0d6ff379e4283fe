"""Transcripts in the public search: what is searched and the passage each result shows.

A recording is searched only among `transcription.public.published_recordings()` (published by
the board, transcribed, on a live public meeting outside any view restriction) and the index holds
only its public text (transcription/search_index.py). A result shows the passage that matched:
the first public segment holding a searched-for word, under its agenda item, linked to that
segment's line in the item's transcript on the meeting page. A page of results costs the same
queries whatever it holds.
"""

from dataclasses import dataclass

from meetings.models import AgendaItem
from transcription.models import Recording, format_timestamp
from transcription.public import published_recordings, segment_anchor
from transcription.search_index import Passage, public_passages

# The meeting page's anchors (transcription/public_views.py, templates/transcription/public/):
# a line of the transcript, and the recording and transcript section.
RECORDING_ANCHOR = "recording-heading"
LONGEST_FRAGMENT = 6
SHORTEST_FRAGMENT = 3


def public_transcripts(meeting_ids):
    """The published recordings of these meetings, as a plain queryset to search."""
    published = published_recordings().filter(meeting__in=meeting_ids)
    return Recording.objects.filter(pk__in=published.values("pk")).only("pk")


def word_fragments(stems):
    """The start of each stem, which every word the search matched for it begins with.

    Step 1 stems ("carer", "care" for "caring") and the database's own stemming change at most
    the end of a word, so a segment that said a matched word holds one of these; a few that hold
    them by chance ("care" in "scared") are read and then not marked.
    """
    fragments = set()
    for stem in stems:
        if len(stem) > SHORTEST_FRAGMENT:
            stem = stem[: max(SHORTEST_FRAGMENT, min(len(stem) - 1, LONGEST_FRAGMENT))]
        fragments.add(stem.lower())
    return sorted(fragments)


@dataclass
class TranscriptMatch:
    """A recording found, the passage shown for it (if any) and that passage's agenda item."""

    recording: Recording
    passage: Passage | None
    item: AgendaItem | None
    extract: str

    @property
    def heading(self):
        if self.item is None:
            return ""
        number = item_number(self.item)
        heading = f"Item {number}: {self.item.title}" if number else self.item.title
        return f"{heading}, at {format_timestamp(self.passage.start)}"

    @property
    def anchor(self):
        """The line said on the meeting page; the recording section if no line matched."""
        if self.passage is None:
            return RECORDING_ANCHOR
        return segment_anchor(self.passage.recording_id, self.passage.segment_id)


def item_number(item):
    number = "" if item.number is None else str(item.number)
    if number and item.sub_item:
        number += f"({item.sub_item})"
    return number


def transcript_matches(recording_ids, highlighter):
    """{recording id: TranscriptMatch} for the results on one page. Five queries, any number.

    Loaded again through `published_recordings()`, so that nothing found is shown unless it is
    published; the passages are the public segments (search_index.public_passages).
    """
    recordings = {
        recording.pk: recording
        for recording in published_recordings()
        .filter(pk__in=recording_ids)
        .select_related("meeting")
    }
    if not recordings:
        return {}
    passages = public_passages(list(recordings), containing=word_fragments(highlighter.stems))
    chosen = {}
    for recording_id, rows in passages.items():
        for passage in rows:
            extract, matched = highlighter.extract(passage.text)
            if matched:
                chosen[recording_id] = (passage, extract)
                break
    items = AgendaItem.objects.in_bulk(
        [passage.agenda_item_id for passage, _extract in chosen.values()]
    )
    matches = {}
    for recording_id, recording in recordings.items():
        passage, extract = chosen.get(recording_id, (None, ""))
        item = items.get(passage.agenda_item_id) if passage is not None else None
        matches[recording_id] = TranscriptMatch(recording, passage, item, extract)
    return matches
