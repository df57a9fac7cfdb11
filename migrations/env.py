"""Alembic environment: the app's runner passes its connection; the alembic CLI uses DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

# Every table must be known to autogenerate.
import core.models
import core.notifications
import core.scheduling
import core.shifts  # noqa: F401
import guests.models  # noqa: F401
import requests.models  # noqa: F401
import shift_briefing.models  # noqa: F401
from core.db import Base, get_database

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with get_database().engine.begin() as fresh:
        _run(fresh)
