"""Democratic services officers upload recordings, follow and correct their transcripts."""

from django.db import migrations

from transcription.migrations_support import grant_to_officers, revoke_from_officers

PERMISSIONS = [
    "add_recording",
    "change_recording",
    "delete_recording",
    "view_recording",
    "change_transcriptionjob",
    "view_transcriptionjob",
    "change_transcriptsegment",
    "view_transcriptsegment",
    "add_speaker",
    "change_speaker",
    "view_speaker",
    "add_transcriptspan",
    "change_transcriptspan",
    "delete_transcriptspan",
    "view_transcriptspan",
]


def grant(apps, schema_editor):
    grant_to_officers(apps, PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_from_officers(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("transcription", "0001_initial"),
        ("boards", "0002_admin_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
