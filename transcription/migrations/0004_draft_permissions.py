"""Democratic services officers make, review and discard draft minutes proposals."""

from django.db import migrations

from transcription.migrations_support import grant_to_officers, revoke_from_officers

PERMISSIONS = [
    "add_draftproposal",
    "change_draftproposal",
    "delete_draftproposal",
    "view_draftproposal",
]


def grant(apps, schema_editor):
    grant_to_officers(apps, PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_from_officers(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("transcription", "0003_published_audio_spans_drafts")]

    operations = [migrations.RunPython(grant, revoke)]
