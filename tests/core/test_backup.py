"""The nightly backup: a consistent copy of the SQLite database that restores; 7 kept."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.auth import system_actor
from core.backup import backup_sqlite, backups, restore_sqlite
from core.clock import set_now
from core.db import Database
from core.models import Property
from core.scheduling import run_job
from guests.service import create_property

NIGHT = datetime(2026, 7, 14, 1, 0, tzinfo=UTC)  # 03:00 in Paris


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """SQLite only: what these tests pin is its online backup API."""
    path = tmp_path / "live" / "hotel.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    with database.write() as session:
        create_property(session, system_actor(None), code="HOTEL", name="Hôtel des Tilleuls")
    yield database
    database.dispose()


@pytest.fixture
def backup_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv("HOTEL_BACKUP_DIR", str(folder))
    return folder


def test_the_nightly_backup_is_a_copy_that_restores(sqlite_database, backup_dir, tmp_path):
    set_now(NIGHT)
    outcome = run_job(sqlite_database, "backup_database", None, NIGHT, holder="test")
    assert outcome is not None and outcome.status == "ok"
    [copy] = backups(backup_dir, "hotel")
    assert copy.name == "hotel-backup-20260714-010000.db"
    assert outcome.result.startswith(copy.name) and outcome.result.endswith("1 copies kept")
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file

    restored = tmp_path / "restored" / "hotel.db"
    restored.parent.mkdir()
    restore_sqlite(copy, restored)
    database = Database(f"sqlite:///{restored}")
    try:
        with database.read() as session:
            assert session.scalars(select(Property.name)).all() == ["Hôtel des Tilleuls"]
    finally:
        database.dispose()


def test_a_backup_is_taken_while_someone_is_writing(sqlite_database, backup_dir):
    """The online backup copies what is committed; a write in progress neither blocks it nor
    gets half into it."""
    writer = sqlite_database.engine.raw_connection()
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE properties SET name = 'Half-written'")
        copy = backup_sqlite(sqlite_database, backup_dir, NIGHT)
    finally:
        writer.rollback()
        writer.close()
    with sqlite3.connect(copy) as check:
        assert check.execute("SELECT name FROM properties").fetchall() == [("Hôtel des Tilleuls",)]


def test_only_the_last_seven_copies_are_kept(sqlite_database, backup_dir):
    for night in range(9):
        backup_sqlite(sqlite_database, backup_dir, NIGHT + timedelta(days=night), keep=7)
    kept = backups(backup_dir, "hotel")
    assert [p.name[13:21] for p in kept] == [f"202607{day}" for day in range(16, 23)]
    assert not list(backup_dir.glob("*.partial"))


def test_on_postgresql_the_job_says_to_use_pg_dump(database, hotel, backup_dir):
    set_now(NIGHT)
    outcome = run_job(database, "backup_database", None, NIGHT, holder="test")
    assert outcome is not None and outcome.status == "ok"
    if database.is_sqlite:
        assert outcome.result.endswith("1 copies kept")
    else:
        assert outcome.result == "skipped: use pg_dump"
        assert not backup_dir.exists()
