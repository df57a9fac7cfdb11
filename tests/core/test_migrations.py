"""The schema comes only from Alembic migrations, applied at start-up, and matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

# Every table must be known to the comparison, as in migrations/env.py.
import core.models  # noqa: F401
import guests.models  # noqa: F401
import requests.models  # noqa: F401
import shift_briefing.models  # noqa: F401
from core.db import Base
from core.startup import ready_database

APP_TABLES = set(Base.metadata.tables)


@pytest.mark.filterwarnings("ignore:.*expression-based index")  # SQLite cannot reflect them
def test_the_models_and_the_migrations_agree(database):
    """`alembic revision --autogenerate` would find nothing to write."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_first_start_creates_every_table(empty_database_url):
    database = ready_database(empty_database_url)
    tables = set(inspect(database.engine).get_table_names())
    assert tables >= APP_TABLES
    assert "alembic_version" in tables


def test_starting_again_is_harmless(empty_database_url):
    ready_database(empty_database_url)
    database = ready_database(empty_database_url)
    with database.engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(versions) == 1
