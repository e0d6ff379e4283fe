"""Importing existing minutes (Word or plain text) into minutes, resolutions and actions."""
