"""The demo sign-ins the README lists: an officer, a board member and an administrator.

Only the demo loader creates them. Their password is $DEMO_PASSWORD, or "changeme-demo".
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import boards.models

DEFAULT_PASSWORD = "changeme-demo"  # noqa: S105 - a documented demo sign-in, never production

# The groups are created, with their permissions, by migration boards 0002; found by name.
DEMOCRATIC_SERVICES = getattr(boards.models, "DEMOCRATIC_SERVICES_GROUP", "Democratic services")
BOARD_MEMBERS = getattr(boards.models, "BOARD_MEMBERS_GROUP", "Board members")


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def _sync_user(username, summary, password, groups=(), **fields):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    changed = created
    for name, value in fields.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    # Checked rather than set every time: setting re-salts the hash, which is a change.
    if created or not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            changed = True
    summary.record("user", created=created, updated=changed and not created)
    return user


def sync_demo_users(member_person, summary):
    """officer (democratic services), member (an HWB member) and admin (superuser)."""
    password = demo_password()
    officer = _sync_user(
        "officer",
        summary,
        password,
        groups=[DEMOCRATIC_SERVICES],
        first_name="Demo",
        last_name="Officer",
        email="officer@example.gov.uk",
        is_staff=False,
        is_superuser=False,
    )
    member = _sync_user(
        "member",
        summary,
        password,
        groups=[BOARD_MEMBERS],
        first_name=member_person.given_name,
        last_name=member_person.family_name,
        email=member_person.email or "member@example.org",
        is_staff=False,
        is_superuser=False,
    )
    if member_person.user_id != member.pk:
        member_person.user = member
        member_person.save(update_fields=["user"])
    admin = _sync_user(
        "admin",
        summary,
        password,
        first_name="Demo",
        last_name="Administrator",
        email="admin@example.gov.uk",
        is_staff=True,
        is_superuser=True,
    )
    return {"officer": officer, "member": member, "admin": admin}, password
