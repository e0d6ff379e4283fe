"""Who may do what with actions.

- **Officers** (democratic services) manage every action of *their* boards: the boards whose
  pages they may change under Wagtail's page permissions. A council can therefore give one
  officer group a single board by granting page permissions on that board only. They also need
  the model permission (add/change/delete/view action), which migration 0002 gives the
  "Democratic services" group. Superusers manage everything, including actions with no board.
- **Board members** have no model permissions: they see and update only the actions they own
  (through their `user.person`), on "my actions".
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from boards.models import BOARD_MEMBERS_GROUP, BoardPage, Person

from .models import Action, ActionOwner

_BOARD_IDS_CACHE = "_actions_log_managed_board_ids"
_PERSON_CACHE = "_actions_log_person"


def boards_managed_by(user):
    """The boards whose actions `user` manages: the board pages they may change."""
    if not (user.is_authenticated and user.is_active):
        return BoardPage.objects.none()
    if user.is_superuser:
        return BoardPage.objects.all()
    return PagePermissionPolicy(BoardPage).instances_user_has_permission_for(user, "change")


def managed_board_ids(user):
    """The ids of `boards_managed_by(user)`, worked out once per user object (one query)."""
    if not hasattr(user, _BOARD_IDS_CACHE):
        ids = frozenset(boards_managed_by(user).values_list("pk", flat=True))
        setattr(user, _BOARD_IDS_CACHE, ids)
    return getattr(user, _BOARD_IDS_CACHE)


def person_of(user):
    """The `boards.Person` signed in as `user`, or None (cached on the user object)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, _PERSON_CACHE):
        setattr(user, _PERSON_CACHE, Person.objects.filter(user=user).first())
    return getattr(user, _PERSON_CACHE)


def is_board_member(user):
    return user.is_authenticated and user.groups.filter(name=BOARD_MEMBERS_GROUP).exists()


def owns_action(user, action):
    person = person_of(user)
    return bool(person and ActionOwner.objects.filter(action_id=action.pk, person=person).exists())


def has_my_actions(user):
    """Whether "my actions" is worth showing: the user is a person who owns actions or sits on
    boards as a board member."""
    person = person_of(user)
    if person is None:
        return False
    return is_board_member(user) or ActionOwner.objects.filter(person=person).exists()


class BoardScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the objects of the boards the user manages.

    The model permission (e.g. `actions_log.change_action`) says what a user may do with the
    model at all; the board says which objects. Objects without a board are for superusers.
    """

    board_field = "board"

    def in_scope(self, user, instance):
        if user.is_active and user.is_superuser:
            return True
        board_id = getattr(instance, f"{self.board_field}_id", None)
        return board_id is not None and board_id in managed_board_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        if user.is_superuser:
            return manager.all()
        return manager.filter(**{f"{self.board_field}__in": boards_managed_by(user)})


class ActionPermissionPolicy(BoardScopedPermissionPolicy):
    """Actions: officers manage those of their boards (see the module docstring)."""


action_permission_policy = ActionPermissionPolicy(Action)


def may_manage_action(user, action, permission="change"):
    """Whether `user` may manage `action` as an officer (its board is theirs)."""
    return action_permission_policy.user_has_permission_for_instance(user, permission, action)


def may_update_action(user, action):
    """Owners update their own actions; officers any action of their boards."""
    return owns_action(user, action) or may_manage_action(user, action)
