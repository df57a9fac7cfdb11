"""Small helpers every domain needs, kept in one place so that no module grows its own copy:
batches of ids for IN (...) lists, ids taken before a bulk insert, the insert that a second
writer cannot repeat, and the hotel a page works for."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Column, Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.db import Base
from core.errors import UserError
from core.models import Property

if TYPE_CHECKING:  # core.audit batches with chunks: a run-time import would be circular
    from core.audit import Who

# Rows or ids per statement: one IN (...) list or one multi-row INSERT stays far below the
# bound-parameter limits (SQLite 32766, PostgreSQL 65535) and the statement stays small.
BATCH = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`, in order (none when `items` is empty)."""
    if size < 1:
        raise ValueError("chunks: size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_with_ids(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Inserts the rows, each given its "id" first, so that the insert needs no RETURNING.

    With RETURNING, SQLite sends one statement per row (it does not promise their order); with
    the ids known, the rows go in one executemany on SQLite and in one COPY on PostgreSQL. The
    ids come from the table's sequence on PostgreSQL; on SQLite from the largest id, which is
    safe because a write transaction holds the database's write lock (BEGIN IMMEDIATE) from its
    start, so no one else inserts until it commits.
    """
    if not rows:
        return
    table = model.__table__
    session.flush()  # the ORM's pending rows go first
    if session.get_bind().dialect.name == "sqlite":
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids: list[int] = list(range(first, first + len(rows)))
    else:
        ids = session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)}).all()  # one fetch, not one per id
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    insert_rows(session, table, rows)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """The rows straight to the driver, in the session's transaction: one executemany on
    SQLite, one COPY on PostgreSQL (psycopg 3 sends an executemany as one INSERT per row, and
    parses a multi-row INSERT of thousands again each time). Values go through the columns'
    own bind processors, and the columns the rows leave out get their defaults, as
    SQLAlchemy's INSERT would give them (a callable one called once for all the rows: `now`
    is the moment of the insert); the refusals are SQLAlchemy's (IntegrityError...)."""
    if not rows:
        return
    session.flush()  # the ORM's pending rows go first
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    defaults = [column for column in table.columns
                if column.key not in rows[0] and column.default is not None]
    columns = [table.c[key] for key in keys] + defaults
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect)
                  for column in columns]
    # Only the columns with a processor go through it, and a value met before (a date, the
    # batch's timestamp) is processed once: thousands of rows share a few dozen of them.
    processed = [(index, process, {}) for index, process in enumerate(processors)
                 if process is not None]

    given = [_default(column) for column in defaults]  # once: the rows go in at one moment

    def values() -> Iterator[list[Any]]:
        for row in rows:
            raw = [row[key] for key in keys] + given
            for index, process, seen in processed:
                value = raw[index]
                if type(value) not in _MEMO:
                    raw[index] = process(value)
                    continue
                if value not in seen:
                    seen[value] = process(value)
                raw[index] = seen[value]
            yield raw

    names = ", ".join(f'"{column.name}"' for column in columns)  # the model's, not input
    driver = connection.connection.driver_connection
    if dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608
    else:
        statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    try:
        if dialect.name == "sqlite":
            driver.executemany(statement, values())
            return
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values():
                copy.write_row(row)
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(statement, None, error, dialect.loaded_dbapi.Error) from error


_MEMO = frozenset((str, int, date, datetime, type(None)))  # processed alike whenever they recur


def _default(column: Column) -> Any:
    default = column.default
    return default.arg(None) if default.is_callable else default.arg


def insert_unless_exists(
    session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> list[Any]:
    """INSERT ... ON CONFLICT (keys) DO NOTHING, on SQLite and PostgreSQL alike; returns the
    primary keys of the rows inserted (a row whose key exists is left out).

    The claim behind once-only work: whoever inserts the row first owns it; a second insert of
    the same unique key does nothing (on PostgreSQL it waits for the first to commit).
    """
    if not rows:
        return []
    build = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    primary_key = next(iter(model.__table__.primary_key.columns))
    statement = (
        build(model.__table__)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(primary_key)
    )
    if len(rows) == 1:
        return list(session.scalars(statement.values(**rows[0])))
    return list(session.scalars(statement, list(rows)))


def get_property(session: Session, property_id: int | None) -> Property:
    """The hotel, or a refusal a person can read: it may have been removed since they looked."""
    hotel = session.get(Property, property_id) if property_id is not None else None
    if hotel is None:
        raise UserError("error.no_property")
    return hotel


def current_property(session: Session, actor: Who) -> Property:
    """The hotel of the signed-in person, which every page starts from."""
    return get_property(session, actor.property_id)
