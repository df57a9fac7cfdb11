"""An import lets everyone else work: short transactions, a dry run without the write lock,
and a run killed halfway that the next run finishes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from core.settings import ROOT
from guests.import_run import import_in_batches
from guests.importer import read_file, run_import
from guests.models import ImportRecord, Reservation
from requests.models import Task

ARRIVAL = date(2026, 7, 14)


def arrivals_file(count: int, wish: str = "baby cot please") -> bytes:
    lines = ["Conf. No;Guest Name;Arrival;Departure;Specials"]
    for n in range(count):
        day = ARRIVAL + timedelta(days=n % 20)
        lines.append(f"B{n:05d};Guest {n};{day:%d/%m/%Y};{day + timedelta(days=2):%d/%m/%Y};{wish}")
    return ("\n".join(lines) + "\n").encode()


def reservations(database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Reservation.id)))


def already_booked(database, who, hotel) -> None:
    """B00000 is in the database before the file changes its wish: the import updates it."""
    import_in_batches(database, who, hotel.id, read_file(arrivals_file(1, "quiet room"), "a.csv"))


def save_without_waiting(database_url: str) -> None:
    """Another person's save that may not wait for the import: it fails if the import holds
    the write lock (SQLite) or a lock on that row (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        other = sqlite3.connect(database_url.split("///", 1)[1], timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE reservations SET adults = 2 WHERE confirmation_number = 'B00000'")
            other.execute("COMMIT")
        finally:
            other.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.begin() as other:
            other.execute(text("SET LOCAL lock_timeout = '200ms'"))
            other.execute(text(
                "UPDATE reservations SET adults = 2 WHERE confirmation_number = 'B00000'"))
    finally:
        engine.dispose()


def test_staff_save_between_two_batches(database, database_url, hotel, rita):
    saves: list[int] = []

    def between_batches(done: int, total: int) -> None:
        if done < total:
            save_without_waiting(database_url)  # raises if the import still holds its locks
            saves.append(done)

    already_booked(database, rita, hotel)
    parsed = read_file(arrivals_file(250), "arrivals.csv")
    summary = import_in_batches(database, rita, hotel.id, parsed, progress=between_batches,
                                batch_rows=100)
    assert len(saves) >= 2  # batches of at most 100 rows: at least three of them
    assert (summary.created, summary.updated, summary.errors) == (249, 1, [])
    with database.read() as session:
        record = session.scalars(select(ImportRecord).order_by(ImportRecord.id.desc())).first()
        assert (record.created, record.finished_at is not None) == (249, True)
        first = session.scalars(select(Reservation).where(
            Reservation.confirmation_number == "B00000")).one()
        assert first.adults == 2  # the other person's save stayed


def test_a_single_transaction_import_would_block_them(database, database_url, hotel, rita):
    """What the batches are for: inside one long transaction the same save fails."""
    already_booked(database, rita, hotel)
    parsed = read_file(arrivals_file(250), "arrivals.csv")
    blocked: list[Exception] = []

    def during(done: int, total: int) -> None:
        if not blocked:
            try:
                save_without_waiting(database_url)
            except Exception as error:  # database is locked / lock timeout
                blocked.append(error)

    with database.write() as session:
        run_import(session, rita, hotel.id, parsed, progress=during)
    assert blocked


def test_a_dry_run_counts_like_the_real_run_and_takes_no_write_lock(
    database, database_url, hotel, rita
):
    parsed = read_file(arrivals_file(250), "arrivals.csv")
    already_booked(database, rita, hotel)
    holder = None
    if database.is_sqlite:  # someone holds the write lock for the whole dry run
        holder = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    try:
        summary = import_in_batches(
            database, rita, hotel.id, parsed, dry_run=True, batch_rows=100,
            progress=lambda done, total: None if holder else save_without_waiting(database_url),
        )
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    assert (summary.created, summary.updated, summary.tasks_created) == (249, 1, 250)
    assert summary.import_id is None
    assert reservations(database) == 1
    with database.read() as session:
        assert session.scalar(select(func.count(ImportRecord.id))) == 1


def test_an_import_killed_halfway_is_finished_by_running_it_again(
    database, database_url, hotel, tmp_path
):
    total = 3000
    path = tmp_path / "arrivals.csv"
    path.write_bytes(arrivals_file(total))
    environment = {**os.environ, "DATABASE_URL": database_url, "HOTEL_IMPORT_BATCH_ROWS": "50"}
    command = [sys.executable, "-m", "guests", "import", str(path), "--json"]
    first = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while reservations(database) == 0:
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    done_before = reservations(database)
    assert 0 < done_before < total, "the import finished before it could be killed"

    again = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    with database.read() as session:
        numbers = session.scalars(select(Reservation.confirmation_number)).all()
        tasks = session.scalar(select(func.count(Task.id)))
        [record] = session.scalars(select(ImportRecord)).all()  # the same import, resumed
    assert len(numbers) == len(set(numbers)) == total
    assert tasks == total  # one cot each: nothing twice, nothing lost
    assert (record.created, record.rejected, record.finished_at is not None) == (total, 0, True)


@pytest.mark.parametrize("rows", [1])
def test_an_interrupted_record_is_not_resumed_by_another_file(database, hotel, rita, rows):
    with database.write() as session:
        session.add(ImportRecord(property_id=hotel.id, file_name="other.csv", file_hash="x" * 64,
                                 file_kind="csv", actor_name="import"))
    summary = import_in_batches(database, rita, hotel.id,
                                read_file(arrivals_file(rows), "arrivals.csv"))
    assert summary.created == rows
    with database.read() as session:
        assert session.scalar(select(func.count(ImportRecord.id))) == 2
