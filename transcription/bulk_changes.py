"""Changing many spans or segments of a recording at once.

Saving or deleting one span or segment keeps the search index and the published audio in step
through signals (search_signals.py, rendition_signals.py). Replacing a recording's spans, or
assigning a speaker to hundreds of segments, would run those handlers once a row; inside
`bulk_change(recording)` they stand aside, and the index and the audio are brought up to date
once when the block ends without an error.
"""

import threading
from contextlib import contextmanager

_state = threading.local()


def in_bulk_change():
    """Whether the current thread is inside `bulk_change` (signal handlers then do nothing)."""
    return getattr(_state, "depth", 0) > 0


@contextmanager
def bulk_change(recording):
    from .renditions import refresh_public_audio
    from .search_index import reindex_recordings

    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
    refresh_public_audio(recording)
    reindex_recordings([recording.pk])
