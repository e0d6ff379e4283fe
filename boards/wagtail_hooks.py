"""The admin for people: a snippet, so every change is revisioned and logged."""

from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Person


class PersonViewSet(SnippetViewSet):
    """Members, presenters and officers; their contact details stay in the admin."""

    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["full_name", "organisation", "job_title", UpdatedAtColumn()]
    list_export = ["title", "given_name", "family_name", "organisation", "job_title"]
    ordering = ["family_name", "given_name"]


class BoardsViewSetGroup(SnippetViewSetGroup):
    """The "Boards" menu: the people who sit on boards (boards themselves are pages)."""

    items = (PersonViewSet,)
    menu_icon = "group"
    menu_label = "Boards"
    menu_name = "boards"


register_snippet(BoardsViewSetGroup)

from . import duty_hooks  # noqa: E402, F401  (refuse deletes that would lose duties' evidence)

# Duties between boards: the "Duties" menu (duties, obligations, forward programmes).
from .duty_admin import DutiesViewSetGroup  # noqa: E402

register_snippet(DutiesViewSetGroup)
