"""An arrivals import that lets everyone else keep working, and survives being killed.

The file is read and checked before any transaction (guests.import_file); then the rows go in
short write transactions (sized to last about BATCH_SECONDS, at most BATCH_ROWS rows), every
one planned again inside its own transaction (so a staff edit made
meanwhile is seen, never overwritten). Between two batches other people's saves go through:
on SQLite the write lock is held for one batch at a time.

Each batch commits its reservations together with what the import remembers of them
(ImportedReservation) and the running counts on the import record. Killed halfway, the
record stays unfinished; running the same file again resumes that record: the rows already
applied are recognised (their remembered values are the file's) and skipped, the others are
applied, and the record is finished with the counts of the whole job.

A dry run takes no write lock on the database people work in: on SQLite it rehearses on a
private snapshot copy (the online backup API, which readers and writers do not notice); on
PostgreSQL, where writers do not lock each other out, each batch is rehearsed and rolled back.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require
from core.backup import sqlite_path
from core.clock import now
from core.db import Database
from core.lib import chunks, get_property
from core.settings import env_int
from guests.import_file import ImportRow
from guests.importer import (
    IMPORTERS,
    ImportSummary,
    ParsedFile,
    PlannedRow,
    Progress,
    _apply_row,
    _cancel_missing,
    _create_many,
    _finish,
    _leave_out_taken_rooms,
    plan_import,
)
from guests.models import ImportedReservation, ImportRecord, Reservation

BATCH_ROWS = 2000  # at most, per transaction (HOTEL_IMPORT_BATCH_ROWS)
BATCH_SECONDS = 0.3  # a batch aims at this long: a staff save waits for one batch at most
FIRST_BATCH = 25
SMALLEST_BATCH = 25  # on a loaded machine: below this, the pauses would be all the import does
SQLITE_PAUSE = 0.12  # seconds between two batches, longer than SQLite's busy-handler sleep
# SQLite's busy handler (sqliteDefaultBusyCallback) sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50,
# 50 ms, then 100 ms at a time: how long a writer sleeps depends on how long it has waited.
_BUSY_DELAYS = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05, 0.1)
_COUNTS = ("created", "updated", "unchanged", "cancelled", "requests_created", "tasks_created",
           "tasks_cancelled")


def import_in_batches(
    database: Database,
    who: Who,
    property_id: int,
    parsed: ParsedFile,
    *,
    replace_range: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_rows: int | None = None,
) -> ImportSummary:
    """Applies the file in short transactions (or rehearses it, `dry_run`); see the module."""
    require(who, *IMPORTERS)
    batch_rows = batch_rows or max(env_int("HOTEL_IMPORT_BATCH_ROWS", BATCH_ROWS), 1)
    if dry_run and database.is_sqlite:
        with _snapshot(database) as copy:
            return _run(copy, who, property_id, parsed, replace_range, True, progress,
                        batch_rows)
    return _run(database, who, property_id, parsed, replace_range, dry_run, progress,
                batch_rows)


def _run(
    database: Database, who: Who, property_id: int, parsed: ParsedFile, replace_range: bool,
    dry_run: bool, progress: Progress | None, batch_rows: int,
) -> ImportSummary:
    export = parsed.export
    summary = ImportSummary(
        file_name=export.name, file_hash=export.sha256, rows=parsed.rows_read,
        errors=list(parsed.problems), unknown_columns=list(export.unknown_columns),
        unchanged=parsed.repeats, dry_run=dry_run, sheets_left_out=list(export.sheets_left_out),
    )
    with _unit(database, dry_run) as session:
        get_property(session, property_id)
        record = None if dry_run else _unfinished(session, property_id, export.sha256,
                                                   replace_range)
        if record is not None:  # a run that was killed: carry on with its counts
            for name in _COUNTS:
                setattr(summary, name, getattr(record, name))
            summary.unchanged = record.unchanged
        else:
            record = _new_record(session, who, property_id, parsed, replace_range)
        record_id = record.id
        resumed = record.created + record.updated + record.cancelled + record.unchanged > 0
    rows = parsed.rows
    total = len(rows)
    room_of = {number: channel for channel, numbers in export.channel_rooms.items()
               for number in numbers if len(numbers) > 1}
    # The parsed file is a large heap of objects that lives to the end: left to the garbage
    # collector, a full collection would walk it inside a batch, holding the write lock. (No
    # collection first: it would walk it too; what garbage is frozen goes after unfreeze.)
    gc.freeze()
    try:
        start, size = 0, min(FIRST_BATCH, batch_rows)
        probe = True  # plan in a read transaction first: the file may not have changed here
        while start < total:
            chunk = rows[start:_batch_end(rows, start + size, room_of)]
            batch = replace(parsed, rows=chunk, problems=[], repeats=0)
            if probe and _nothing_to_write(database, who, property_id, batch, resumed,
                                           record_id, summary):
                start += len(chunk)  # no write lock taken: nobody waited, no pause
                size = min(size * 2, batch_rows)
                if progress is not None:
                    progress(start, total)
                continue
            began = time.perf_counter()
            with _unit(database, dry_run) as session:
                record = _record(session, record_id, who, property_id, parsed, replace_range)
                plan = plan_import(session, who, property_id, batch)
                # Rooms held (in the database, or by an earlier row) are left out before the
                # batch is written, so that its new rows go in together, never one by one.
                _leave_out_taken_rooms(session, property_id, plan, summary)
                new = [p for p in plan.rows if p.reservation is None and p.target is not None]
                if new:
                    _create_many(session, who, property_id, record, new, summary)
                for planned in plan.rows:
                    if planned.reservation is None and planned.target is not None:
                        continue  # created above
                    if _applied_before(planned, resumed, record.id):
                        continue  # applied by the run that was killed, and counted then
                    _apply_row(session, who, property_id, record, planned, summary)
                _store_counts(record, summary)
                # A batch mostly written (a first import) makes the next one likely to be
                # too: planning it twice, once to find that out, would be wasted.
                probe = _written(plan.rows) * 2 < len(plan.rows)
            start += len(chunk)
            held = time.perf_counter() - began
            size = _next_size(len(chunk), held, batch_rows)
            _checkpoint(database)
            _let_others_in(database, held)
            if progress is not None:
                progress(start, total)
        if replace_range and rows:
            _cancel_the_missing(database, who, property_id, parsed, record_id, summary, dry_run,
                                batch_rows)
    finally:
        gc.unfreeze()
    with _unit(database, dry_run) as session:
        record = _record(session, record_id, who, property_id, parsed, replace_range)
        summary.errors.sort(key=lambda p: (p.sheet or "", p.row))
        _finish(session, who, record, summary)
        summary.import_id = None if dry_run else record.id
    return summary


def _batch_end(rows: list[ImportRow], end: int, room_of: dict[str, str]) -> int:
    """A batch never splits the rooms of a channel's reservation (OpenTravel XML): they are
    planned together against the rooms imported before, or one would look dropped."""
    while 0 < end < len(rows) and (channel := room_of.get(rows[end].confirmation_number)) and (
            room_of.get(rows[end - 1].confirmation_number) == channel):
        end += 1
    return end


def _written(rows: list[PlannedRow]) -> int:
    return sum(1 for planned in rows if planned.action not in ("unchanged", "stale"))


def _applied_before(planned: PlannedRow, resumed: bool, record_id: int) -> bool:
    return resumed and planned.state is not None and planned.state_is_current and (
        planned.state.import_id == record_id)


def _nothing_to_write(
    database: Database, who: Who, property_id: int, batch: ParsedFile, resumed: bool,
    record_id: int, summary: ImportSummary,
) -> bool:
    """Rows the file did not change (a re-import) are planned in a read transaction, which
    takes no write lock; if none of them needs a write, they are counted and that is all.
    Otherwise the batch is planned again inside its write transaction, as any other."""
    with database.read() as session:
        said = _said_before(session, property_id, batch)
        if len(said) == len(batch.rows) and all(
                said[row.confirmation_number][0] == row.fingerprint() for row in batch.rows):
            # Every row is what the last import said, to the letter: unchanged, and so far
            # the quickest check (no reservation is read).
            for row in batch.rows:
                if not (resumed and said[row.confirmation_number][1] == record_id):
                    summary.unchanged += 1
            return True
        plan = plan_import(session, who, property_id, batch)
        quiet = all(
            planned.action == "stale"
            or (planned.action == "unchanged"
                and (planned.reservation is None or planned.state_is_current))
            for planned in plan.rows
        )
        if not quiet:
            return False
        for planned in plan.rows:
            if _applied_before(planned, resumed, record_id):
                continue
            summary.conflicts += planned.conflicts
            summary.unchanged += 1
    return True


def _said_before(
    session: Session, property_id: int, batch: ParsedFile
) -> dict[str, tuple[dict, int]]:
    """What the last import said of each of these reservations, and which import it was."""
    said: dict[str, tuple[dict, int]] = {}
    for numbers in chunks([row.confirmation_number for row in batch.rows]):
        said.update(
            (number, (values, import_id))
            for number, values, import_id in session.execute(
                select(Reservation.confirmation_number, ImportedReservation.file_values,
                       ImportedReservation.import_id)
                .join(ImportedReservation, ImportedReservation.reservation_id == Reservation.id)
                .where(Reservation.property_id == property_id,
                       Reservation.confirmation_number.in_(numbers))))
    return said


def _cancel_the_missing(
    database: Database, who: Who, property_id: int, parsed: ParsedFile, record_id: int,
    summary: ImportSummary, dry_run: bool, batch_rows: int,
) -> None:
    """--replace-range, once every row is in: the reservations of those dates the file does
    not name were cancelled in the PMS."""
    arrivals = [row.values["arrival"] for row in parsed.rows if "arrival" in row.values]
    if not arrivals:
        return
    first, last = min(arrivals), max(arrivals)
    with database.read() as session:
        candidates = [
            (reservation_id, number)
            for reservation_id, number in session.execute(
                select(Reservation.id, Reservation.confirmation_number).where(
                    Reservation.property_id == property_id,
                    Reservation.arrival_date >= first,
                    Reservation.arrival_date <= last,
                    Reservation.status == "booked",
                )
            )
            if number not in parsed.numbers
        ]
    for batch in chunks(candidates, batch_rows):
        ids = [reservation_id for reservation_id, _ in batch]
        with _unit(database, dry_run) as session:
            record = _record(session, record_id, who, property_id, parsed, False)
            for reservation in session.scalars(
                select(Reservation).where(Reservation.id.in_(ids),
                                          Reservation.status == "booked")
            ).unique():
                _cancel_missing(session, who, property_id, record, reservation, summary)
            _store_counts(record, summary)


@contextmanager
def _unit(database: Database, rehearsal: bool) -> Iterator[Session]:
    """A short write transaction, which gives way to people's saves (core.db); in a
    rehearsal, rolled back at its end."""
    with database.write(background=True) as session:
        if not rehearsal:
            yield session
            return
        nested = session.begin_nested()
        try:
            yield session
        finally:
            nested.rollback()


def _unfinished(
    session: Session, property_id: int, file_hash: str, replace_range: bool
) -> ImportRecord | None:
    return session.scalars(
        select(ImportRecord)
        .where(
            ImportRecord.property_id == property_id,
            ImportRecord.file_hash == file_hash,
            ImportRecord.replace_range.is_(replace_range),
            ImportRecord.finished_at.is_(None),
        )
        .order_by(ImportRecord.started_at.desc(), ImportRecord.id.desc())
    ).first()


def _new_record(
    session: Session, who: Who, property_id: int, parsed: ParsedFile, replace_range: bool
) -> ImportRecord:
    export = parsed.export
    record = ImportRecord(
        property_id=property_id, file_name=export.name[:300], file_hash=export.sha256,
        file_kind=export.kind, actor_id=who.id, actor_name=who.name,
        replace_range=replace_range, started_at=now(), rows=parsed.rows_read,
    )
    session.add(record)
    session.flush()
    return record


def _record(
    session: Session, record_id: int, who: Who, property_id: int, parsed: ParsedFile,
    replace_range: bool,
) -> ImportRecord:
    """The import's record; in a rehearsal (rolled back each time), a stand-in made again."""
    record = session.get(ImportRecord, record_id)
    if record is None:
        record = _new_record(session, who, property_id, parsed, replace_range)
    return record


def _let_others_in(database: Database, held: float = SQLITE_PAUSE) -> None:
    """SQLite has no queue for its write lock: a waiting writer sleeps in its busy handler (up
    to 100 ms between two tries), and a batch that began at once would take the lock again
    every time. A pause longer than the sleep a writer can be in lets every waiting save in
    first: one that began waiting during this batch (`held` seconds) sleeps no longer than the
    busy handler's step at that time, which is shorter than 100 ms after a short batch.
    Nobody waiting (core.db: no writer said so), the next batch begins at once."""
    if database.is_sqlite and database.someone_waited():
        time.sleep(_pause_after(held))


def _pause_after(held: float) -> float:
    waited = 0.0
    for delay in _BUSY_DELAYS:
        waited += delay
        if waited >= held:
            return min(delay + 0.01, SQLITE_PAUSE)
    return SQLITE_PAUSE


def _checkpoint(database: Database) -> None:
    """SQLite: the import moves its own pages from the WAL into the database file between two
    batches (a passive checkpoint waits for nobody), so that no staff save's commit pays for
    copying the import's megabytes."""
    if not database.is_sqlite:
        return
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _next_size(size: int, seconds: float, most: int) -> int:
    """Batches as long as BATCH_SECONDS, whatever the machine's load: the rows the last batch
    wrote in that time, growing at most fourfold at once, never over `most` rows."""
    wanted = int(size * BATCH_SECONDS / max(seconds, 1e-3))
    return max(min(wanted, size * 4, most), min(SMALLEST_BATCH, most))


def _store_counts(record: ImportRecord, summary: ImportSummary) -> None:
    for name in _COUNTS:
        setattr(record, name, getattr(summary, name))
    record.rejected = len(summary.errors)


@contextmanager
def _snapshot(database: Database) -> Iterator[Database]:
    """A private copy of the SQLite database (owner-only, deleted after): rehearsals go there."""
    source_path = sqlite_path(database)
    folder = Path(tempfile.mkdtemp(prefix="hotel-dry-run-"))  # 0700
    copy_path = folder / source_path.name
    os.close(os.open(copy_path, os.O_WRONLY | os.O_CREAT, 0o600))
    source = sqlite3.connect(source_path, timeout=30)  # WAL: a reader, nobody waits for it
    try:
        target = sqlite3.connect(copy_path)
        try:
            source.backup(target, pages=1024)
        finally:
            target.close()
    finally:
        source.close()
    copy = Database(f"sqlite:///{copy_path}")
    try:
        yield copy
    finally:
        copy.dispose()
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
