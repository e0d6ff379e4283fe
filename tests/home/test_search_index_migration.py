"""PostgreSQL's search index table gets the expression index its full-text search needs."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_title_body_index_exists_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("The expression index is for PostgreSQL's full-text search only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["wagtailsearch_indexentry_title_body_gin"],
        )
        row = cursor.fetchone()
    assert row is not None
    assert "gin" in row[0].lower()
