"""Roles in the admin: democratic services (edit, approve, publish) and board members.

Board members only sign in to the admin; which exempt papers they may open follows from their
memberships (meetings.exempt.user_may_see_exempt), not from a permission here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEMOCRATIC_SERVICES = "Democratic services"
BOARD_MEMBERS = "Board members"

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]
PERSON_PERMISSIONS = ["add_person", "change_person", "view_person"]

# On a new database this migration runs before post_migrate has created any permissions.
APPS_NEEDING_PERMISSIONS = ["wagtailcore", "wagtaildocs", "wagtailimages", "boards"]


def ensure_permissions(apps):
    for label in APPS_NEEDING_PERMISSIONS:
        app_config = apps.get_app_config(label)
        # create_permissions skips app configs without a models module, as migration states are.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = permission(apps, "wagtailadmin", "access_admin")

    officers, _ = Group.objects.get_or_create(name=DEMOCRATIC_SERVICES)
    officers.permissions.add(access_admin)
    officers.permissions.add(*(permission(apps, "boards", c) for c in PERSON_PERMISSIONS))

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=officers,
                page=root_page,
                permission=permission(apps, "wagtailcore", codename),
            )

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, codenames in (
            ("wagtaildocs", DOCUMENT_PERMISSIONS),
            ("wagtailimages", IMAGE_PERMISSIONS),
        ):
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=officers,
                    collection=root_collection,
                    permission=permission(apps, app_label, codename),
                )

    members, _ = Group.objects.get_or_create(name=BOARD_MEMBERS)
    members.permissions.add(access_admin)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[DEMOCRATIC_SERVICES, BOARD_MEMBERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("boards", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
