"""The one place that opens database sessions.

SQLite is tuned so that a hotel's handful of writers never sees "database is locked": WAL lets
readers go on during a write, `busy_timeout` makes a writer wait its turn, and write sessions
begin with BEGIN IMMEDIATE so the lock is taken at the start rather than half-way through.

SQLite has no queue for its write lock, so a long background writer (the arrivals import)
pauses between its short transactions for whoever waits. A person's write says that it is
waiting: it leaves a marker file next to the database (`<database>-writers`) before each try
of BEGIN IMMEDIATE, and tries again every WAIT_STEP_MS while the lock is taken. The
background writer pauses after a transaction only if it finds the marker (and removes it), so
an import nobody waits for runs without pauses.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from core import settings
from core.errors import RefusedAndRecorded, UserError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
BUSY_SECONDS = 30  # a writer waits this long for SQLite's write lock, then fails
WAIT_STEP_MS = 100  # a waiting writer says so again this often (see the module docstring)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Database:
    """An engine with its two kinds of session: `read()` and `write()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.waiting_marker: Path | None = None
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.waiting_marker = Path(f"{path}-writers")
            self.engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
            _tune_sqlite(self.engine, self.waiting_marker)
        else:
            # No server-side prepared statements: after five runs of one statement psycopg
            # prepares it, and PostgreSQL then plans it once for any values. For the chunked
            # `IN (500 values)` lookups of an import, that generic plan took 80 ms a chunk
            # instead of 4: what the last import said of 10,000 rows was read in 2 s instead
            # of 0.3 s, and a 30,000-row first import took 17-23 s instead of 13-14 s.
            self.engine = create_engine(url, pool_pre_ping=True,
                                        connect_args={"prepare_threshold": None})
            # Bulk inserts without RETURNING as multi-row INSERTs ("insertmanyvalues"), as
            # psycopg2's dialect does: psycopg 3's executemany sends one INSERT per row.
            self.engine.dialect.use_insertmanyvalues_wo_returning = True
        self._write_engine = self.engine.execution_options(hotel_write=True)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self._background_writes = sessionmaker(
            self._write_engine.execution_options(hotel_background=True),
            expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session:
            yield session

    @contextmanager
    def write(self, *, background: bool = False) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back when it raises; except a
        `RefusedAndRecorded` refusal, which commits its record (a counted wrong password) and
        then goes on to the caller. A `background` writer does not say that it waits: it is
        the one that gives way (`someone_waited`)."""
        kept: RefusedAndRecorded | None = None
        sessions = self._background_writes if background else self._writes
        try:
            with sessions() as session, session.begin():
                try:
                    yield session
                except RefusedAndRecorded as refused:
                    kept = refused
        except StaleDataError as lost:
            # A versioned row saved by someone else between this unit's read and its write;
            # services tell who and when themselves (core/versions.py), this is the backstop.
            raise UserError("error.changed_meanwhile") from lost
        if kept is not None:
            raise kept

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        with self._write_engine.begin() as connection:
            yield connection

    def someone_waited(self) -> bool:
        """SQLite: has a writer asked for the write lock since the last call? (It has until
        it gets the lock: its marker comes back every WAIT_STEP_MS.)"""
        if self.waiting_marker is None:
            return self.is_sqlite  # an in-memory database: nobody can tell, so assume so
        try:
            self.waiting_marker.unlink()
        except FileNotFoundError:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def _say_waiting(marker: Path) -> None:
    os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))


def _begin_immediate(raw: sqlite3.Connection, marker: Path) -> None:
    """BEGIN IMMEDIATE, saying that this writer waits before every try (module docstring)."""
    deadline = time.monotonic() + BUSY_SECONDS
    raw.execute(f"PRAGMA busy_timeout={WAIT_STEP_MS}")
    try:
        while True:
            _say_waiting(marker)
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise DBAPIError.instance("BEGIN IMMEDIATE", None, error,
                                              sqlite3.Error) from error
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")


def _tune_sqlite(engine: Engine, marker: Path | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("hotel_write"):
            if marker is None or options.get("hotel_background"):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                _begin_immediate(connection.connection.driver_connection, marker)
        else:
            connection.exec_driver_sql("BEGIN")


_databases: dict[str, Database] = {}
_lock = threading.Lock()


def get_database(url: str | None = None) -> Database:
    """The process's Database for `url` (by default DATABASE_URL), made once."""
    url = url or settings.database_url()
    with _lock:
        if url not in _databases:
            _databases[url] = Database(url)
        return _databases[url]


def forget_database(url: str) -> None:
    with _lock:
        database = _databases.pop(url, None)
    if database is not None:
        database.dispose()
