"""Helpers for testing and measuring transcription: synthetic meeting recordings and bad files.

Nothing here runs in production; it needs espeak-ng, sox and ffmpeg (installed by `make test`).
"""
