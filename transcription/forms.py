"""The officer's upload form: a recording of a meeting, checked by reading it, not by its name."""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

ALLOWED_EXTENSIONS = {
    ".mp3": "MP3",
    ".m4a": "M4A",
    ".wav": "WAV",
    ".ogg": "OGG",
    ".webm": "WebM",
    ".mp4": "MP4",
}
ALLOWED_NAMES = "an MP3, M4A, WAV, OGG, WebM or MP4 file"


def max_upload_bytes():
    return getattr(settings, "TRANSCRIPTION_MAX_UPLOAD_BYTES", 2 * 1024 * 1024 * 1024)


@contextmanager
def uploaded_file_path(upload):
    """A local path to the uploaded file: Django's temporary file, or a copy of a small upload."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=PurePath(upload.name).suffix) as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy, 1024 * 1024)
        copy.flush()
        upload.seek(0)
        yield copy.name


class RecordingUploadForm(forms.Form):
    file = forms.FileField(
        label="Recording",
        help_text=(
            f"{ALLOWED_NAMES[0].upper()}{ALLOWED_NAMES[1:]}, audio or video, up to "
            f"{filesizeformat(max_upload_bytes())}. Hours-long recordings are fine."
        ),
        error_messages={
            "required": "Select a recording of the meeting",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded: try again",
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join([*ALLOWED_EXTENSIONS, "audio/*", "video/mp4", "video/webm"])}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audio_info = None

    def clean_file(self):
        """Refuse a wrong type, an empty or too large file, or one that is not playable audio.

        The extension gives the first, friendlier message; the file is then read (probed) for
        audio, so a renamed document or a truncated recording is refused here, not by the worker.
        """
        from .audio import AudioError, probe

        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(f"The selected file must be {ALLOWED_NAMES}")
        if not upload.size:
            raise forms.ValidationError("The selected file is empty")
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"The selected file must be smaller than {filesizeformat(max_upload_bytes())}"
            )
        try:
            with uploaded_file_path(upload) as path:
                self.audio_info = probe(path, name=upload.name)
        except AudioError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
