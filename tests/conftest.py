import pytest
from wagtail.models import Page

from boards.factories import BoardIndexPageFactory


@pytest.fixture
def home_page(db):
    return Page.objects.get(depth=2).specific


@pytest.fixture
def board_index(home_page):
    return BoardIndexPageFactory(parent=home_page)
