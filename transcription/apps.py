from django.apps import AppConfig


class TranscriptionConfig(AppConfig):
    name = "transcription"
    verbose_name = "Transcription"

    def ready(self):
        from . import rendition_signals, search_signals  # noqa: F401

        rendition_signals.connect()
