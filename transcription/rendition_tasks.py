"""Background task (django_tasks): rebuilding a recording's published audio.

It only takes the recording's id and rebuilds only when the stored audio does not match the
present public stretches, so it can be queued any number of times.
"""

from django_tasks import task


@task()
def rebuild_public_audio_task(recording_id):
    """Rebuild the published audio if it is stale. Never raises for a bad recording."""
    from .renditions import rebuild_public_audio

    return rebuild_public_audio(recording_id)
