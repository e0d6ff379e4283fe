"""Granting transcription permissions to the democratic services group from migrations."""

from django.contrib.auth.management import create_permissions

DEMOCRATIC_SERVICES = "Democratic services"


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="transcription", codename__in=codenames
    )


def grant_to_officers(apps, codenames):
    # On a new database the permissions do not exist until post_migrate; make them now.
    app_config = apps.get_app_config("transcription")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    officers, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES)
    officers.permissions.add(*_permissions(apps, codenames))


def revoke_from_officers(apps, codenames):
    Group = apps.get_model("auth", "Group")
    for officers in Group.objects.filter(name=DEMOCRATIC_SERVICES):
        officers.permissions.remove(*_permissions(apps, codenames))
