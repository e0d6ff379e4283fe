"""The original recording, for officers only: `/admin/recordings/<recording>/audio/`.

Officers who may see recordings (`transcription.view_recording`) hear the whole file as uploaded,
exempt items included, with HTTP Range so that the player can seek; nobody else may (403). The
public never gets this file: they hear `Recording.public_audio` (see renditions.py).
"""

import mimetypes

from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views import View

from .admin_views import may_view_recordings
from .models import Recording
from .streaming import serve_stored_file


def recording_content_type(recording):
    """The type the upload declared, else one guessed from its name; never a guess at HTML."""
    declared = (recording.content_type or "").split(";")[0].strip().lower()
    if declared.startswith(("audio/", "video/")):
        return declared
    guessed, _encoding = mimetypes.guess_type(recording.original_name or recording.file.name)
    if guessed and guessed.startswith(("audio/", "video/")):
        return guessed
    return "application/octet-stream"


class RecordingAudioView(View):
    """GET or HEAD: the original file, inline, Range-capable."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not may_view_recordings(request.user):
            # A plain 403, not the admin's redirect to the dashboard: players fetch this address.
            return HttpResponseForbidden("You may not listen to recordings.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, recording_id):
        recording = get_object_or_404(Recording, pk=recording_id)
        return serve_stored_file(
            request,
            recording.file,
            content_type=recording_content_type(recording),
            filename=recording.original_name,
            cache_control="private, no-store",
        )

    head = get
