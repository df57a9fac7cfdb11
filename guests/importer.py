"""Arrivals import from property-management-system exports: plan, then apply, idempotently.

`read_file` reads and checks the file (guests.import_file); `plan_import` compares its rows with
the database and writes nothing (the preview); `run_import` applies the plan, one savepoint per
row so that a bad row writes nothing, and records the import.

Each reservation remembers what the last import said about it and what that import left in the
database (ImportedReservation). A row the file did not change is left alone, whatever staff
did in the app since; a value the file changed wins, except a wish text that staff also changed
in the app: theirs is kept and the summary reports the conflict.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require
from core.clock import now
from core.collector import cycle_collection_paused
from core.errors import UserError
from core.i18n import t
from core.lib import chunks, get_property, insert_with_ids
from guests.import_file import (
    ExportFile,
    ImportLimits,
    ImportRow,
    RowProblem,
    UnreadableFile,
    check_rows,
    check_size,
    confirmation_numbers,
    parse_rows,
    read_export,
)
from guests.import_ota import ROOM_OF, VERSION, looks_like_xml, read_ota
from guests.models import ImportedReservation, ImportRecord, Reservation, Room
from guests.reservations import (
    ReservationChanged,
    ReservationInput,
    create_reservations,
    save_reservation,
)
from guests.room_nights import HOLDING, RoomTaken, holders, nights_of

IMPORTERS = ("reservations", "manager")
APP_STATUSES = ("checked_in", "checked_out", "no_show")  # the hotel's own, never the file's
KEEP_WHEN_EMPTY = ("language", "email", "phone")  # an empty cell does not erase what we know
_BULK = 1000  # new reservations created together
_MISSING = object()
ROOM_LEFT_OUT = "import.error_room_taken"  # a row imported without its room, which was taken

__all__ = [
    "Conflict", "ImportPlan", "ImportSummary", "ParsedFile", "PlannedRow", "UnreadableFile",
    "plan_import", "problems_csv", "read_file", "run_import", "unreadable_json",
]


@dataclass
class ParsedFile:
    """A file read, its header matched and its rows checked; nothing compared with the database."""

    export: ExportFile
    rows: list[ImportRow]
    problems: list[RowProblem]
    repeats: int  # rows that repeat an earlier row exactly, skipped
    numbers: set[str]  # every confirmation number in the file, of good rows and bad
    rows_read: int  # the file's rows, cancellations included (export.rows is let go once read)


def read_file(data: bytes, file_name: str) -> ParsedFile:
    """Raises UnreadableFile when nothing in the file can be imported, or it is over a limit
    (guests.import_file.ImportLimits), checked before it is parsed."""
    with cycle_collection_paused():  # a file's rows and cells hold no cycles
        return _read_file(data, file_name)


def _read_file(data: bytes, file_name: str) -> ParsedFile:
    if looks_like_xml(data):
        limits = ImportLimits.from_environment()
        check_size(len(data), limits)
        export = read_ota(data, file_name)
        check_rows(len(export.rows) + len(export.cancellations), limits)
    else:
        export = read_export(data, file_name)
    rows, problems, repeats = parse_rows(export)
    rows += export.cancellations
    for row in rows:
        row.values.update(export.extras.get(row.confirmation_number, {}))
    numbers = confirmation_numbers(export) | {r.confirmation_number for r in export.cancellations}
    read = len(export.rows) + len(export.cancellations)
    # The raw cells, two thirds of a big file's memory, are not needed once rows are parsed.
    return ParsedFile(replace(export, rows=[]), rows, problems, repeats, numbers, read)


@dataclass(frozen=True)
class Conflict:
    """Something the file wanted to change and the import left as staff set it."""

    row: int | None
    confirmation_number: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        return t(self.key, language, number=self.confirmation_number, **self.values)

    def english(self) -> str:
        where = t("import.where_row", "en", row=self.row) if self.row else ""
        return f"{where}: {self.message('en')}" if where else self.message("en")


@dataclass
class PlannedRow:
    row: ImportRow
    action: str  # "create", "update", "cancel", "unchanged" or "stale" (an older version)
    target: ReservationInput | None
    reservation: Reservation | None
    state: ImportedReservation | None
    applied_override: dict[str, Any]  # values to remember as applied although staff's were kept
    conflicts: list[Conflict]
    planned_version: int | None = None  # the reservation's version the plan was made from

    @property
    def state_is_current(self) -> bool:
        return self.state is not None and self.state.file_values == self.row.fingerprint()


@dataclass
class ImportPlan:
    """What an import would do: the preview shows it, `run_import` does it."""

    parsed: ParsedFile
    rows: list[PlannedRow]
    missing: list[Reservation]  # not in the file although in its dates (replace-range only)
    date_range: tuple[date, date] | None

    def count(self, action: str) -> int:
        counted = sum(1 for planned in self.rows if planned.action == action)
        if action == "cancel":
            counted += len(self.missing)
        if action == "unchanged":
            counted += self.parsed.repeats + self.count("stale")
        return counted

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for planned in self.rows for c in planned.conflicts]


@dataclass
class ImportSummary:
    file_name: str
    file_hash: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    requests_created: int = 0
    tasks_created: int = 0
    tasks_cancelled: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    import_id: int | None = None
    dry_run: bool = False
    sheets_left_out: list[str] = field(default_factory=list)  # workbook sheets without a header

    def as_json(self) -> dict[str, Any]:
        """The command line's --json contract: these keys (new keys are added, never renamed)."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "cancelled": self.cancelled,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.english()} for p in self.errors
            ],
            "unknown_columns": list(self.unknown_columns),
            "requests_created": self.requests_created,
            "tasks_created": self.tasks_created,
            "tasks_cancelled": self.tasks_cancelled,
            "sheets_left_out": list(self.sheets_left_out),
        }

    @property
    def rejected(self) -> int:
        """Rows not imported: every error but a room left out (that row was imported)."""
        return sum(1 for p in self.errors if p.key != ROOM_LEFT_OUT)

    @property
    def exit_status(self) -> int:
        return 1 if self.errors else 0


def unreadable_json(error: UnreadableFile) -> dict[str, Any]:
    """The --json object for a file that could not be read at all."""
    summary = ImportSummary(file_name="", file_hash="", rows=0)
    payload = summary.as_json()
    payload["errors"] = [{"row": None, "column": None, "message": error.english()}]
    return payload


# --- planning ------------------------------------------------------------------------------------


def plan_import(
    session: Session, who: Who, property_id: int, parsed: ParsedFile, *,
    replace_range: bool = False,
) -> ImportPlan:
    """Compares the file's good rows with the database; writes nothing."""
    require(who, *IMPORTERS)
    get_property(session, property_id)
    rows, stale, known = _channel_rows(session, property_id, parsed)
    existing = {**known, **_reservations(session, property_id, [
        r.confirmation_number for r in rows if r.confirmation_number not in known])}
    states = _states(session, [r.id for r in existing.values()])
    planned = []
    for row in rows:
        reservation = existing.get(row.confirmation_number)
        state = states.get(reservation.id) if reservation is not None else None
        if id(row) in stale:
            planned.append(_stale(row, reservation, state))
        else:
            planned.append(_plan_row(row, reservation, state))
    numbers = parsed.numbers | {row.confirmation_number for row in rows}
    arrivals = [row.values["arrival"] for row in parsed.rows if "arrival" in row.values]
    date_range = (min(arrivals), max(arrivals)) if arrivals else None
    missing: list[Reservation] = []
    if replace_range and date_range is not None:
        missing = [
            reservation
            for reservation in session.scalars(
                select(Reservation)
                .where(
                    Reservation.property_id == property_id,
                    Reservation.arrival_date >= date_range[0],
                    Reservation.arrival_date <= date_range[1],
                    Reservation.status == "booked",
                )
                .order_by(Reservation.arrival_date, Reservation.confirmation_number)
            ).unique()
            if reservation.confirmation_number not in numbers
        ]
    return ImportPlan(parsed, planned, missing, date_range)


def _reservations(
    session: Session, property_id: int, numbers: list[str]
) -> dict[str, Reservation]:
    found: dict[str, Reservation] = {}
    unique = sorted(set(numbers))
    for chunk in chunks(unique):
        query = select(Reservation).where(
            Reservation.property_id == property_id,
            Reservation.confirmation_number.in_(chunk),
        )
        found.update((r.confirmation_number, r) for r in session.scalars(query).unique())
    return found


def _channel_rows(
    session: Session, property_id: int, parsed: ParsedFile
) -> tuple[list[ImportRow], set[int], dict[str, Reservation]]:
    """The file's rows, a channel's rooms numbered as they were imported (the rule in
    guests.import_ota's docstring): a cancellation becomes one row per room, a version of
    fewer rooms one more row per room it dropped, which cancels it. Also the rows left alone,
    by id(), as older than the version imported; and the reservations read on the way."""
    channels = parsed.export.channel_rooms
    if not channels:
        return parsed.rows, set(), {}
    channel_of = {number: channel for channel, numbers in channels.items() for number in numbers}
    channel_of.update((channel, channel) for channel, numbers in channels.items() if not numbers)
    imported, known = _imported_rooms(session, property_id, sorted(channels))
    by_number = {row.confirmation_number: row for row in parsed.rows}
    rows: list[ImportRow] = []
    stale: set[int] = set()
    seen: set[str] = set()
    for row in parsed.rows:
        channel = channel_of.get(row.confirmation_number)
        if channel is None:
            rows.append(row)
            continue
        if channel in seen:
            continue
        seen.add(channel)
        read = channels[channel]
        version = [by_number[number] for number in read if number in by_number] or [row]
        rooms = imported.get(channel, [])
        newest = max((state.file_values.get(VERSION) or "" for _, state in rooms
                      if state is not None), default="")
        said = row.values.get(VERSION)
        if said and newest and said < newest:  # every room of an older version changes nothing
            rows += version
            stale.update(id(r) for r in version)
        elif not read:  # a cancellation names the reservation: all its rooms
            several = len(rooms) > 1
            rows += [_as_room(row, room.confirmation_number, channel, several)
                     for room, _ in rooms] or [row]
        elif rooms:
            # a room rejected by the checks is not a room dropped: nothing is cancelled then
            rows += _matched(channel, version, rooms, complete=len(version) == len(read))
        else:
            rows += version
    return rows, stale, known


STAY = ("arrival", "departure", "room_type", "room", "adults", "children", "wish_text")


def _matched(
    channel: str, version: list[ImportRow], rooms: list[tuple[Reservation, Any]],
    complete: bool,
) -> list[ImportRow]:
    """A version's rooms given the numbers of the rooms imported before: a room the version
    repeats (same stay, room, guests and wishes as last imported) keeps its number; the others
    take the remaining numbers in order, booked rooms before cancelled ones; more rooms than
    before are added as ID-n, the next number; a booked room left over is cancelled."""
    def stay(values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values.get(name) for name in STAY)

    free = list(rooms)
    numbers: dict[int, str] = {}
    for index, row in enumerate(version):
        wanted = stay(row.fingerprint())
        same = next((room for room in free if room[1] is not None
                     and stay(room[1].file_values) == wanted), None)
        if same is not None:
            numbers[index] = same[0].confirmation_number
            free.remove(same)
    free.sort(key=lambda room: room[0].status == "cancelled")  # stable: otherwise in order
    last = max(_room_index(channel, room.confirmation_number) for room, _ in rooms)
    for index in range(len(version)):
        if index in numbers:
            continue
        if free:
            numbers[index] = free.pop(0)[0].confirmation_number
        else:
            last += 1
            numbers[index] = f"{channel}-{last}"
    several = len(version) > 1 or len(rooms) > 1
    dropped = [ImportRow(version[0].row, room.confirmation_number, {
        "status": "cancelled", ROOM_OF: channel,
        **({VERSION: version[0].values[VERSION]} if VERSION in version[0].values else {})})
        for room, _ in free if complete and room.status != "cancelled"]
    # the dropped rooms first: a room they free is there for the rooms the version keeps
    return dropped + [_as_room(row, numbers[index], channel, several)
                      for index, row in enumerate(version)]


def _room_index(channel: str, number: str) -> int:
    """1 for ID itself, n for ID-n."""
    suffix = number[len(channel) + 1:]
    return int(suffix) if number != channel and suffix.isdigit() else 1


def _as_room(row: ImportRow, number: str, channel: str, several: bool) -> ImportRow:
    """The row as the room `number` of the channel's reservation: a room of several remembers
    the channel's ID, by which a later version or a cancellation finds it."""
    values = dict(row.values)
    if several or number != channel:
        values[ROOM_OF] = channel
    else:
        values.pop(ROOM_OF, None)
    return replace(row, confirmation_number=number, values=values)


def _imported_rooms(
    session: Session, property_id: int, channels: list[str]
) -> tuple[dict[str, list[tuple[Reservation, ImportedReservation | None]]],
           dict[str, Reservation]]:
    """The rooms imported before for each channel's ID, ID first, then ID-1, ID-2... in order;
    and the reservations read. ID and ID-1 are looked up by number; only a reservation whose
    ID or ID-1 says it has several rooms is searched for the others."""
    known = _reservations(session, property_id, [
        number for channel in channels for number in (channel, f"{channel}-1")])
    states = _states(session, [r.id for r in known.values()])
    found: dict[str, list[tuple[Reservation, ImportedReservation | None]]] = {}
    for channel in channels:
        own = known.get(channel)
        rooms: list[tuple[Reservation, ImportedReservation | None]] = []
        if own is not None:
            rooms.append((own, states.get(own.id)))
        several = any(
            r is not None and r.id in states and states[r.id].file_values.get(ROOM_OF) == channel
            for r in (own, known.get(f"{channel}-1")))
        if several:
            query = (
                select(Reservation, ImportedReservation)
                .join(ImportedReservation, ImportedReservation.reservation_id == Reservation.id)
                .where(Reservation.property_id == property_id,
                       Reservation.confirmation_number.startswith(f"{channel}-", autoescape=True))
            )
            others = [(reservation, state)
                      for reservation, state in session.execute(query).unique()
                      if state.file_values.get(ROOM_OF) == channel
                      and reservation.confirmation_number[len(channel) + 1:].isdigit()]
            others.sort(key=lambda room: _room_index(channel, room[0].confirmation_number))
            rooms += others
            known.update((r.confirmation_number, r) for r, _ in others)
        if rooms:
            found[channel] = rooms
    return found, known


def _states(session: Session, reservation_ids: list[int]) -> dict[int, ImportedReservation]:
    found: dict[int, ImportedReservation] = {}
    for chunk in chunks(reservation_ids):
        query = select(ImportedReservation).where(ImportedReservation.reservation_id.in_(chunk))
        found.update((s.reservation_id, s) for s in session.scalars(query))
    return found


def current_values(reservation: Reservation) -> dict[str, Any]:
    """A reservation as the import compares it: the file's fields, as JSON-safe values."""
    guest = reservation.guest
    return {
        "guest_name": guest.name,
        "arrival": reservation.arrival_date.isoformat(),
        "departure": reservation.departure_date.isoformat(),
        "eta": reservation.eta.isoformat() if reservation.eta else None,
        "room": reservation.room.number if reservation.room else None,
        "room_type": reservation.room_type,
        "adults": reservation.adults,
        "children": reservation.children,
        "vip_level": guest.vip_level,
        "language": guest.language,
        "email": guest.email,
        "phone": guest.phone,
        "wish_text": reservation.wish_text or "",
        "status": reservation.status,
    }


_NEW = {"eta": None, "room": None, "room_type": None, "adults": 1, "children": 0,
        "vip_level": 0, "language": None, "email": None, "phone": None, "wish_text": "",
        "status": "booked"}


def _stale(
    row: ImportRow, reservation: Reservation | None, state: ImportedReservation | None
) -> PlannedRow:
    """A version older than the one imported: it changes nothing, and the summary says so."""
    older = Conflict(row.row, row.confirmation_number, "import.conflict_older_version")
    return PlannedRow(row, "stale", None, reservation, state, {}, [older])


def _plan_row(
    row: ImportRow, reservation: Reservation | None, state: ImportedReservation | None
) -> PlannedRow:
    wanted = row.fingerprint()
    if reservation is None and "arrival" not in wanted:  # cancelling what we never had
        return PlannedRow(row, "unchanged", None, None, None, {}, [])
    said_version = state.file_values.get(VERSION) if state is not None else None
    if said_version and wanted.get(VERSION) and wanted[VERSION] < said_version:
        return _stale(row, reservation, state)
    if reservation is None:
        target = {**_NEW, **wanted}
        action = "cancel" if target["status"] == "cancelled" else "create"
        return PlannedRow(row, action, _input(row.confirmation_number, target, "import"), None,
                          None, {}, [])
    if state is not None and state.file_values == wanted:
        return PlannedRow(row, "unchanged", None, reservation, state, {}, [], reservation.version)
    current = current_values(reservation)
    target, override, conflicts = _merge(row, current, wanted, state)
    if target == current:
        action = "unchanged"
    elif target["status"] == "cancelled" and current["status"] != "cancelled":
        action = "cancel"
    else:
        action = "update"
    return PlannedRow(row, action, _input(row.confirmation_number, target, reservation.source),
                      reservation, state, override, conflicts, reservation.version)


def _merge(
    row: ImportRow, current: dict[str, Any], wanted: dict[str, Any],
    state: ImportedReservation | None,
) -> tuple[dict[str, Any], dict[str, Any], list[Conflict]]:
    """Three-way: what the last import said and left, what the app holds now, the new file."""
    said = state.file_values if state is not None else None
    left = state.applied_values if state is not None else None
    target = dict(current)
    override: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name, value in wanted.items():
        if name.startswith("_") or current.get(name) == value:  # "_": no field of ours
            continue
        if value is None and name in KEEP_WHEN_EMPTY:
            continue
        file_changed = said is None or said.get(name, _MISSING) != value
        if left is not None:
            edited = current.get(name) != left.get(name, _MISSING)
        else:  # never imported: only wishes typed in the app are staff's own
            edited = name == "wish_text" and bool(current.get(name))
        parser_eta = name == "eta" and value is None and said is not None
        if parser_eta and not file_changed and said.get("wish_text") == wanted.get("wish_text"):
            continue  # the ETA the parser read in wishes that did not change stays
        if name == "status" and current["status"] in APP_STATUSES:
            if value == "cancelled" and file_changed:
                conflicts.append(Conflict(row.row, row.confirmation_number,
                                          "import.conflict_status",
                                          {"status": current["status"]}))
            continue
        if not edited or (file_changed and name != "wish_text"):
            target[name] = value
        elif file_changed:  # a wish text changed both in the app and in the file
            override[name] = value
            conflicts.append(Conflict(row.row, row.confirmation_number,
                                      "import.conflict_wish_text"))
    return target, override, conflicts


def _input(number: str, values: dict[str, Any], source: str) -> ReservationInput:
    return ReservationInput(
        confirmation_number=number,
        guest_name=values["guest_name"],
        arrival_date=date.fromisoformat(values["arrival"]),
        departure_date=date.fromisoformat(values["departure"]),
        eta=time.fromisoformat(values["eta"]) if values["eta"] else None,
        room_number=values["room"],
        room_type=values["room_type"],
        adults=values["adults"],
        children=values["children"],
        vip_level=values["vip_level"],
        language=values["language"],
        email=values["email"],
        phone=values["phone"],
        wish_text=values["wish_text"],
        status=values["status"],
        source=source,
    )


# --- applying ------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]  # (done, total)


def run_import(
    session: Session, who: Who, property_id: int, parsed: ParsedFile, *,
    replace_range: bool = False, dry_run: bool = False, progress: Progress | None = None,
) -> ImportSummary:
    """Applies the file in the caller's unit of work; a dry run rolls everything back."""
    require(who, *IMPORTERS)
    rehearsal = session.begin_nested() if dry_run else None
    plan = plan_import(session, who, property_id, parsed, replace_range=replace_range)
    export = parsed.export
    rows = parsed.rows_read
    summary = ImportSummary(
        file_name=export.name, file_hash=export.sha256, rows=rows,
        errors=list(parsed.problems), unknown_columns=list(export.unknown_columns),
        unchanged=parsed.repeats, dry_run=dry_run, sheets_left_out=list(export.sheets_left_out),
    )
    record = ImportRecord(
        property_id=property_id, file_name=export.name[:300], file_hash=export.sha256,
        file_kind=export.kind, actor_id=who.id, actor_name=who.name,
        replace_range=replace_range, started_at=now(), rows=rows,
    )
    session.add(record)
    session.flush()
    _leave_out_taken_rooms(session, property_id, plan, summary)
    total = len(plan.rows) + len(plan.missing)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if progress is not None and (done // 100 > before // 100 or done == total):
            progress(done, total)

    new = [p for p in plan.rows if p.reservation is None and p.target is not None]
    for chunk in chunks(new, _BULK):
        _create_many(session, who, property_id, record, chunk, summary)
        advance(len(chunk))
    for planned in (p for p in plan.rows if p.reservation is not None or p.target is None):
        _apply_row(session, who, property_id, record, planned, summary)
        advance(1)
    for reservation in plan.missing:
        _cancel_missing(session, who, property_id, record, reservation, summary)
        advance(1)
    summary.errors.sort(key=lambda p: (p.sheet or "", p.row))
    _finish(session, who, record, summary)
    summary.import_id = record.id
    if rehearsal is not None:
        rehearsal.rollback()
        summary.import_id = None
    return summary


def _leave_out_taken_rooms(
    session: Session, property_id: int, plan: ImportPlan, summary: ImportSummary
) -> None:
    """A room held on one of a row's nights (in the database, or by an earlier row of the
    file) is left out: the reservation is imported without a room, and the row is reported in
    `errors`, column `room`, with the booking it clashes with."""
    rows = plan.rows  # the file's order: its earlier row gets the room
    wanted = [p for p in rows if p.target is not None and p.target.room_number]
    if not wanted:
        return
    numbers = {(p.target.room_number or "").strip() for p in wanted if p.target}
    room_of = {  # only the rooms these rows ask for
        number: room_id for room_id, number in session.execute(
            select(Room.id, Room.number).where(Room.property_id == property_id))
        if number in numbers}
    asked = [(room_of[number], night) for p in wanted if p.target
             if (number := (p.target.room_number or "").strip()) in room_of
             for night in nights_of(p.target.arrival_date, p.target.departure_date)]
    number_of = {room_id: number for number, room_id in room_of.items()}
    holder: dict[tuple[str, date], Any] = {  # (room number, night) -> reservation id or row
        (number_of[room_id], night): reservation_id
        for (room_id, night), reservation_id in holders(session, property_id, asked).items()
    }
    held_by: dict[Any, list[tuple[str, date]]] = {}
    in_file: dict[Any, PlannedRow] = {}
    left_out: list[tuple[RowProblem, str, Any]] = []  # the clash told once all are known
    for pair, who_holds in holder.items():
        held_by.setdefault(who_holds, []).append(pair)
    for planned in rows:
        target = planned.target
        if target is None:
            continue
        me: Any = planned.reservation.id if planned.reservation is not None else (
            "row", id(planned))
        in_file[me] = planned
        for pair in held_by.pop(me, []):
            holder.pop(pair, None)
        if target.status not in HOLDING:
            continue
        number = (target.room_number or "").strip()
        if not number:
            continue
        nights = nights_of(target.arrival_date, target.departure_date)
        clash = next((holder[(number, n)] for n in nights if (number, n) in holder), None)
        if clash is not None:
            target.room_number = None
            problem = RowProblem(planned.row.row, "room", ROOM_LEFT_OUT, {})
            summary.errors.append(problem)
            left_out.append((problem, number, in_file.get(clash, clash)))
            continue
        for night in nights:
            holder[(number, night)] = me
        held_by.setdefault(me, []).extend((number, night) for night in nights)
    stored = _bookings(session, [h for _, _, h in left_out if not isinstance(h, PlannedRow)])
    for problem, number, clash in left_out:
        problem.values.update(_clash_values(number, clash, stored))


def _bookings(session: Session, ids: list[int]) -> dict[int, tuple[str, date, date]]:
    """(number, arrival, departure) of these reservations, in a few queries."""
    found: dict[int, tuple[str, date, date]] = {}
    unique = sorted(set(ids))
    for batch in chunks(unique):
        found.update(
            (row[0], (row[1], row[2], row[3])) for row in session.execute(
                select(Reservation.id, Reservation.confirmation_number,
                       Reservation.arrival_date, Reservation.departure_date)
                .where(Reservation.id.in_(batch))))
    return found


def _clash_values(
    number: str, holder: Any, stored: dict[int, tuple[str, date, date]]
) -> dict[str, Any]:
    if isinstance(holder, PlannedRow):
        assert holder.target is not None
        booking = holder.target
        confirmation, arrival, departure = (booking.confirmation_number, booking.arrival_date,
                                            booking.departure_date)
    else:
        confirmation, arrival, departure = stored[holder]
    return {"room": number, "number": confirmation, "guest": "", "arrival": arrival.isoformat(),
            "departure": departure.isoformat()}


def _create_many(
    session: Session, who: Who, property_id: int, record: ImportRecord,
    chunk: list[PlannedRow], summary: ImportSummary,
) -> None:
    """New reservations in one go; should the database refuse one, row by row instead."""
    try:
        with session.begin_nested():
            created, consequences = create_reservations(
                session, who, property_id, [p.target for p in chunk if p.target is not None]
            )
            insert_with_ids(session, ImportedReservation, [
                {"property_id": property_id, "reservation_id": reservation.id,
                 "import_id": record.id, "file_values": planned.row.fingerprint(),
                 "applied_values": current_values(reservation)}
                for planned, reservation in zip(chunk, created, strict=True)
            ])
    except (UserError, SQLAlchemyError):
        for planned in chunk:
            _apply_row(session, who, property_id, record, planned, summary)
        return
    for reservation in created:
        if reservation.status == "cancelled":
            summary.cancelled += 1
        else:
            summary.created += 1
    _add_consequences(summary, consequences, None, "")


def _apply_row(
    session: Session, who: Who, property_id: int, record: ImportRecord, planned: PlannedRow,
    summary: ImportSummary,
) -> None:
    row = planned.row
    summary.conflicts += planned.conflicts
    if planned.action in ("unchanged", "stale"):
        summary.unchanged += 1
        if planned.action == "unchanged" and planned.reservation is not None and not (
                planned.state_is_current):
            _remember(session, record, planned.reservation, planned, planned.state)
        return
    assert planned.target is not None
    try:
        try:
            try:
                with session.begin_nested():
                    saved = save_reservation(
                        session, who, property_id, planned.target,
                        version=planned.planned_version)
                    _remember(session, record, saved.reservation, planned, planned.state)
            except ReservationChanged:  # saved by someone since the plan: plan it again
                planned = _replanned(session, planned)
                if planned.target is None:
                    summary.unchanged += 1
                    return
                with session.begin_nested():
                    saved = save_reservation(session, who, property_id, planned.target)
                    _remember(session, record, saved.reservation, planned, planned.state)
        except RoomTaken as taken:  # booked by someone else since the plan was made
            summary.errors.append(RowProblem(row.row, "room", ROOM_LEFT_OUT,
                                             {**taken.clash.values(), "guest": ""}))
            planned.target.room_number = None
            with session.begin_nested():
                saved = save_reservation(session, who, property_id, planned.target)
                _remember(session, record, saved.reservation, planned, planned.state)
    except (UserError, SQLAlchemyError) as exc:
        summary.errors.append(RowProblem(row.row, None, "import.error_saving",
                                         {"reason": str(exc).splitlines()[0][:200]}))
        return
    _add_consequences(summary, saved.consequences, row.row, row.confirmation_number)
    if saved.created:
        if saved.reservation.status == "cancelled":
            summary.cancelled += 1
        else:
            summary.created += 1
    elif not saved.changed:
        summary.unchanged += 1
    elif planned.action == "cancel":
        summary.cancelled += 1
    else:
        summary.updated += 1


def _replanned(session: Session, planned: PlannedRow) -> PlannedRow:
    """The row compared again with the reservation as stored now (its row is locked)."""
    assert planned.reservation is not None
    reservation = session.scalar(
        select(Reservation).where(Reservation.id == planned.reservation.id)
        .with_for_update(of=Reservation).execution_options(populate_existing=True))
    assert reservation is not None
    state = session.scalar(select(ImportedReservation).where(
        ImportedReservation.reservation_id == planned.reservation.id))
    return _plan_row(planned.row, reservation, state)


def _cancel_missing(
    session: Session, who: Who, property_id: int, record: ImportRecord,
    reservation: Reservation, summary: ImportSummary,
) -> None:
    """--replace-range: the file is the whole list for its dates, so this one was cancelled."""
    current = current_values(reservation)
    target = _input(reservation.confirmation_number, {**current, "status": "cancelled"},
                    reservation.source)
    state = session.scalar(
        select(ImportedReservation).where(ImportedReservation.reservation_id == reservation.id)
    )
    try:
        with session.begin_nested():
            saved = save_reservation(session, who, property_id, target)
            values = current_values(saved.reservation)
            if state is None:
                state = ImportedReservation(property_id=property_id,
                                            reservation_id=reservation.id)
                session.add(state)
            state.import_id = record.id
            state.file_values = {"status": "cancelled"}  # the file's silence, remembered
            state.applied_values = values
            session.flush()
    except (UserError, SQLAlchemyError) as exc:  # pragma: no cover - defensive
        summary.conflicts.append(Conflict(None, reservation.confirmation_number,
                                          "import.error_saving",
                                          {"reason": str(exc).splitlines()[0][:200]}))
        return
    summary.cancelled += 1
    _add_consequences(summary, saved.consequences, None, reservation.confirmation_number)


def _remember(
    session: Session, record: ImportRecord, reservation: Reservation, planned: PlannedRow,
    state: ImportedReservation | None,
) -> None:
    if state is None:
        state = ImportedReservation(property_id=record.property_id, reservation_id=reservation.id)
        session.add(state)
    state.import_id = record.id
    state.file_values = planned.row.fingerprint()
    state.applied_values = {**current_values(reservation), **planned.applied_override}
    planned.state = state


def _add_consequences(
    summary: ImportSummary, consequences: Iterable[Any], row: int | None, number: str
) -> None:
    """What the wishes domain reported; duck-typed, since guests/ may not import requests/."""
    for report in consequences:
        summary.requests_created += getattr(report, "requests_created", 0)
        summary.tasks_created += getattr(report, "tasks_created", 0)
        summary.tasks_cancelled += getattr(report, "tasks_cancelled", 0)
        codes = sorted(set(getattr(report, "conflicts", None) or ()))
        if codes:
            summary.conflicts.append(Conflict(row, number, "import.conflict_request",
                                              {"codes": ", ".join(codes)}))


def _finish(session: Session, who: Who, record: ImportRecord, summary: ImportSummary) -> None:
    record.finished_at = now()
    record.created, record.updated = summary.created, summary.updated
    record.unchanged, record.cancelled = summary.unchanged, summary.cancelled
    record.rejected = summary.rejected
    record.requests_created = summary.requests_created
    record.tasks_created = summary.tasks_created
    record.tasks_cancelled = summary.tasks_cancelled
    record.unknown_columns = list(summary.unknown_columns)
    record.errors = [{"row": p.row, "column": p.column, "key": p.key, "values": p.values}
                     for p in summary.errors]
    record.conflicts = [{"row": c.row, "confirmation_number": c.confirmation_number,
                         "key": c.key, "values": c.values} for c in summary.conflicts]
    counts = {name: getattr(record, name) for name in (
        "rows", "created", "updated", "unchanged", "cancelled", "rejected", "requests_created",
        "tasks_created", "tasks_cancelled")}
    audit.record(session, who, "reservations_imported", "import_record", record.id,
                 after={"file_name": record.file_name, "file_hash": record.file_hash, **counts},
                 property_id=record.property_id)
    session.flush()


# --- the errors, downloadable --------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def problems_csv(problems: Iterable[RowProblem], language: str) -> bytes:
    """The rejected rows as CSV (UTF-8 with BOM, so that Excel reads the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t("import.row", language), t("import.column", language),
                     t("import.message", language)])
    for problem in problems:
        writer.writerow([_neutralised(problem.row), _neutralised(problem.column or ""),
                         _neutralised(problem.message(language))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
