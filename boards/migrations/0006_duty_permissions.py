"""Democratic services manage duties between boards and keep their obligations and forward
programmes; board members get no permission on them (the public duties page is for everyone)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEMOCRATIC_SERVICES = "Democratic services"
CODENAMES = [f"{verb}_duty" for verb in ("add", "change", "delete", "view")] + [
    f"{verb}_{model}"
    for model in ("obligation", "forwardplanitem", "dutyevent")
    for verb in ("add", "change", "view")
]


def ensure_permissions(apps):
    # On a new database this runs before post_migrate has created the permissions.
    app_config = apps.get_app_config("boards")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES)
    officers.permissions.add(
        *Permission.objects.filter(content_type__app_label="boards", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officers = Group.objects.filter(name=DEMOCRATIC_SERVICES).first()
    if officers is not None:
        officers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="boards", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0005_duties"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
