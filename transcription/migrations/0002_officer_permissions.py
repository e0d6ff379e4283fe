"""Democratic services officers upload recordings, follow and correct their transcripts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEMOCRATIC_SERVICES = "Democratic services"

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
    # On a new database the permissions do not exist until post_migrate; make them now.
    app_config = apps.get_app_config("transcription")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES)
    officers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="transcription", codename__in=PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for officers in Group.objects.filter(name=DEMOCRATIC_SERVICES):
        officers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="transcription", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("transcription", "0001_initial"),
        ("boards", "0002_admin_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
