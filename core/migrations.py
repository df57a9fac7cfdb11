"""Applies Alembic migrations at start-up and before every command line: the only schema path."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from core.db import Database
from core.settings import ROOT

_MIGRATION_LOCK_ID = 715_2026  # PostgreSQL advisory lock: two processes starting do not race


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def is_at_head(database: Database, config: Config) -> bool:
    """Read without the write lock: loading the migration scripts takes seconds on a busy
    machine, and every command line starts here; writers must not wait for that."""
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with database.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        connection.rollback()
    return current == heads


def upgrade_to_head(database: Database) -> None:
    config = alembic_config()
    if is_at_head(database, config):
        return
    # The write engine starts SQLite transactions with BEGIN IMMEDIATE, which serialises two
    # processes migrating at once; PostgreSQL gets an advisory lock for the same effect.
    with database.write_connection() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
