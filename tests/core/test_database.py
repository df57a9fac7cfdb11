"""The database: SQLite tuned so two people saving at once wait their turn, and UTC throughout."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import exc, select

from core.db import Database
from core.models import Staff
from core.settings import ROOT

INCREMENTS = 200


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """SQLite only: what these tests pin is its tuning; PostgreSQL locks rows by itself."""
    path = tmp_path / "hotel.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _sqlite_path(database: Database) -> str:
    return database.url.split("///", 1)[1]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(sqlite_database):
    with sqlite_database.read() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_write_takes_the_write_lock_at_its_start(sqlite_database):
    """BEGIN IMMEDIATE: nobody else can start writing, even before the first UPDATE."""
    other = sqlite3.connect(_sqlite_path(sqlite_database), timeout=0, isolation_level=None)
    try:
        with sqlite_database.write() as session:
            session.connection()  # the transaction has begun; nothing written yet
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
            # WAL: a reader is not kept waiting by the writer.
            assert other.execute("SELECT count(*) FROM properties").fetchone() == (0,)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


WAITING_WRITER = """
import sys
from sqlalchemy import text
from core.db import Database
from core.settings import ROOT
with Database(sys.argv[1]).write() as session:
    session.execute(text("UPDATE properties SET name = 'waited' WHERE 1 = 0"))
"""


def test_a_writer_kept_waiting_says_so_until_it_has_the_lock(sqlite_database):
    """What lets the import pause only for someone (guests.import_run._let_others_in): a
    writer in another process leaves its marker while it waits, again after the marker was
    taken, and the background writer that holds the lock leaves none of its own."""
    with sqlite_database.write(background=True) as session:
        session.connection()  # holding the write lock
        assert not sqlite_database.someone_waited()
        writer = subprocess.Popen([sys.executable, "-c", WAITING_WRITER,
                                   sqlite_database.url], cwd=ROOT)
        try:
            for _ in range(2):  # seen, taken, and seen again: it is still waiting
                deadline = time.monotonic() + 30
                while not sqlite_database.someone_waited():
                    assert writer.poll() is None, "the writer did not wait for the lock"
                    assert time.monotonic() < deadline, "the waiting writer left no marker"
                    time.sleep(0.01)
        except BaseException:
            writer.kill()
            raise
    assert writer.wait(timeout=30) == 0  # it got the lock once the background writer let go


def test_two_front_desk_pcs_saving_at_once_both_succeed(database, hugo):
    """Two writers, 200 read-modify-write increments each: no 'database is locked', none lost.

    On SQLite BEGIN IMMEDIATE serialises the writers; PostgreSQL needs the row lock that
    services take with SELECT ... FOR UPDATE (SQLite ignores it).
    """
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer() -> None:
        try:
            start.wait()
            for _ in range(INCREMENTS):
                with database.write() as session:
                    staff = session.scalars(
                        select(Staff).where(Staff.id == hugo.id).with_for_update()
                    ).one()
                    staff.failed_logins = staff.failed_logins + 1
        except BaseException as error:  # reported below, from the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with database.read() as session:
        assert session.get(Staff, hugo.id).failed_logins == 2 * INCREMENTS


def test_foreign_keys_are_enforced(database, hotel):
    with pytest.raises(exc.IntegrityError), database.write() as session:
        session.add(Staff(property_id=hotel.id + 1000, name="Nobody", login="nobody",
                          roles=["front_desk"], language="fr", password_hash="x"))


def test_timestamps_come_back_as_aware_utc(database, hugo):
    paris_evening = datetime(2026, 3, 29, 23, 30, tzinfo=ZoneInfo("Europe/Paris"))
    with database.write() as session:
        session.get(Staff, hugo.id).locked_until = paris_evening
    with database.read() as session:
        stored = session.get(Staff, hugo.id).locked_until
    assert stored.tzinfo == UTC
    assert stored == paris_evening
    assert stored.hour == 21  # 23:30 in Paris (CEST, the day clocks went forward) is 21:30 UTC


def test_a_naive_timestamp_is_refused(database, hugo):
    with pytest.raises(exc.StatementError, match="naive datetime"), database.write() as session:
        session.get(Staff, hugo.id).locked_until = datetime(2026, 1, 1, 12, 0)
        session.flush()


def test_a_failed_unit_of_work_leaves_nothing_behind(database, hugo):
    with pytest.raises(RuntimeError), database.write() as session:
        session.get(Staff, hugo.id).name = "Changed"
        session.flush()
        raise RuntimeError("the second half of the change failed")
    with database.read() as session:
        assert session.get(Staff, hugo.id).name == "Hugo Housekeeping"
