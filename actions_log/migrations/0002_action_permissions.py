"""Democratic services manage actions and action plans; board members get no model permission.

Board members see and update only the actions they own, through "my actions" (see
actions_log/permissions.py); they already have access_admin from boards 0002. Which boards an
officer's actions are is decided by page permissions on the boards, not here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEMOCRATIC_SERVICES = "Democratic services"
CODENAMES = [
    f"{verb}_{model}"
    for model in ("action", "actionplan")
    for verb in ("add", "change", "delete", "view")
]


def ensure_permissions(apps):
    # On a new database this runs before post_migrate has created the permissions.
    app_config = apps.get_app_config("actions_log")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES)
    officers.permissions.add(
        *Permission.objects.filter(content_type__app_label="actions_log", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers = Group.objects.filter(name=DEMOCRATIC_SERVICES).first()
    if officers is not None:
        officers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="actions_log", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions_log", "0001_initial"),
        ("boards", "0002_admin_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
