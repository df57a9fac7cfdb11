"""The nightly backup: a consistent copy of the SQLite database that restores; 7 kept."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.auth import system_actor
from core.backup import PG_DUMP, backup_sqlite, backups, restore_sqlite
from core.clock import set_now
from core.db import Database
from core.i18n import t
from core.models import Property
from core.scheduling import run_job, save_job_setting
from core.settings import ROOT
from guests.properties import create_property

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
        assert outcome.result == t(PG_DUMP, "en")  # and the README says how
        assert "pg_dump" in (ROOT / "README.md").read_text()
        assert not backup_dir.exists()


def test_a_backup_is_readable_by_its_owner_only(sqlite_database, backup_dir):
    """Every guest's data is in it: not for the other local users (0700 folder, 0600 file)."""
    backup_dir.mkdir(mode=0o755)
    old = backup_dir / "hotel-backup-20260713-010000.db"
    old.write_bytes(b"an older copy")
    old.chmod(0o644)
    previous = os.umask(0o022)
    try:
        copy = backup_sqlite(sqlite_database, backup_dir, NIGHT)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(old.stat().st_mode) == 0o600  # an earlier copy is tightened too


def test_no_backup_outlives_the_guest_data_retention(sqlite_database, backup_dir, tmp_path):
    """What the purge erased must not live on in a copy: older than the retention, it goes."""
    with sqlite_database.write() as session:
        hotel = session.scalars(select(Property)).one()
        manager = system_actor(hotel.id, "test")
        save_job_setting(session, manager, "purge_guest_data", True, {"retention_days": 10})
    for days_ago in (30, 11, 9):
        backup_sqlite(sqlite_database, backup_dir, NIGHT - timedelta(days=days_ago), keep=365)
    set_now(NIGHT)
    outcome = run_job(sqlite_database, "backup_database", None, NIGHT, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    kept = [p.name[13:21] for p in backups(backup_dir, "hotel")]
    assert kept == ["20260705", "20260714"]  # 9 days old, and tonight's
    assert "none older than 10 days" in outcome.result
