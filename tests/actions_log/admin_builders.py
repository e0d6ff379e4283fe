"""People, boards and actions for the admin tests of actions: officers of all boards or of one,
board members who own actions, and actions built in code."""

import datetime

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from actions_log.models import Action, ActionOwner, ActionStatus
from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from boards.models import BOARD_MEMBERS_GROUP, DEMOCRATIC_SERVICES_GROUP

JAN_2017 = datetime.date(2017, 1, 11)


def board(board_index, title, short_name):
    slug = title.lower().replace(" ", "-")
    return BoardPageFactory(parent=board_index, title=title, slug=slug, short_name=short_name)


def officer(django_user_model, username="officer"):
    """Democratic services: page permissions on the whole tree, so every board."""
    user = django_user_model.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    return user


def board_officer(django_user_model, board_page, username="hwb-officer"):
    """An officer of one board only: a group with the action permissions and page permissions
    on that board alone, as a council would set it up."""
    group = Group.objects.create(name=f"{board_page.short_name} officers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="actions_log",
            codename__in=["add_action", "change_action", "delete_action", "view_action"],
        ),
    )
    GroupPagePermission.objects.create(
        group=group, page=board_page, permission=Permission.objects.get(codename="change_page")
    )
    user = django_user_model.objects.create_user(username, password="pw")
    user.groups.add(group)
    return user


def member(django_user_model, username, given, family, boards=()):
    """A board member who signs in, with their person and memberships."""
    user = django_user_model.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    person = PersonFactory(given_name=given, family_name=family, user=user)
    for board_page in boards:
        MembershipFactory(board=board_page, person=person)
    return user


def action(board_page, text, owners=(), *, raised_on=JAN_2017, **fields):
    fields.setdefault("status", ActionStatus.OPEN)
    created = Action.objects.create(board=board_page, text=text, raised_on=raised_on, **fields)
    for order, person in enumerate(owners):
        ActionOwner.objects.create(action=created, person=person, sort_order=order)
    return created


def many_actions(board_page, owner, count, *, start=JAN_2017):
    """`count` actions of `board_page` owned by `owner` (and a co-owner each), varied in status
    and due date."""
    co_owner = PersonFactory()
    statuses = list(ActionStatus)
    return [
        action(
            board_page,
            f"Action number {n}",
            [owner, co_owner],
            raised_on=start,
            due_date=start + datetime.timedelta(days=10 + n),
            status=statuses[n % len(statuses)],
        )
        for n in range(count)
    ]
