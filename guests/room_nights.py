"""Room inventory: a room holds one reservation per night, and the database enforces it.

Each night a reservation holds a room is a row of `room_nights`, unique per (room, night). The
services keep those rows in step with the reservation's room, dates and status; two processes
booking the same room for the same night cannot both succeed, since the second insert breaks
the unique constraint and is told who holds the room.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import UserError
from core.lib import chunks, insert_with_ids
from guests.models import Guest, Reservation, Room, RoomNight

HOLDING = ("booked", "checked_in")  # the statuses that occupy a room


def nights_of(arrival: date, departure: date) -> list[date]:
    """The nights of a stay: from the arrival day to the day before departure."""
    return [arrival + timedelta(days=n) for n in range((departure - arrival).days)]


@dataclass(frozen=True)
class RoomClash:
    """The booking that already holds a room on one of the wanted nights."""

    room_number: str
    reservation_id: int
    confirmation_number: str
    guest_name: str
    arrival_date: date
    departure_date: date

    def values(self) -> dict[str, Any]:
        return {
            "room": self.room_number,
            "number": self.confirmation_number,
            "guest": self.guest_name,
            "arrival": self.arrival_date.isoformat(),
            "departure": self.departure_date.isoformat(),
        }


class RoomTaken(UserError):
    """The room is held by another reservation on at least one of the nights."""

    def __init__(self, clash: RoomClash) -> None:
        super().__init__("room.error_taken", **clash.values())
        self.clash = clash


def room_clash(
    session: Session,
    room_id: int,
    arrival: date,
    departure: date,
    reservation_id: int | None = None,
) -> RoomClash | None:
    """Who else holds this room on one of these nights, if anyone."""
    query = (
        select(Reservation.id, Reservation.confirmation_number, Guest.name,
               Reservation.arrival_date, Reservation.departure_date, Room.number)
        .join(RoomNight, RoomNight.reservation_id == Reservation.id)
        .join(Guest, Guest.id == Reservation.guest_id)
        .join(Room, Room.id == RoomNight.room_id)
        .where(RoomNight.room_id == room_id, RoomNight.night >= arrival,
               RoomNight.night < departure)
        .order_by(RoomNight.night)
        .limit(1)
    )
    if reservation_id is not None:
        query = query.where(RoomNight.reservation_id != reservation_id)
    row = session.execute(query).first()
    if row is None:
        return None
    return RoomClash(row[5], row[0], row[1], row[2], row[3], row[4])


def wanted_nights(reservation: Reservation) -> set[tuple[int, date]]:
    """The (room, night) pairs a reservation should hold now."""
    if reservation.room_id is None or reservation.status not in HOLDING:
        return set()
    return {
        (reservation.room_id, night)
        for night in nights_of(reservation.arrival_date, reservation.departure_date)
    }


def hold_nights(session: Session, reservation: Reservation) -> None:
    """Brings the reservation's room nights in line with its room, dates and status.

    Raises RoomTaken when another reservation holds one of the nights, including one that
    another process booked a moment ago (the unique constraint says so)."""
    session.flush()
    held = {
        (row.room_id, row.night): row.id
        for row in session.scalars(
            select(RoomNight).where(RoomNight.reservation_id == reservation.id)
        )
    }
    wanted = wanted_nights(reservation)
    if set(held) == wanted:
        return
    if wanted and reservation.room_id is not None:
        clash = room_clash(session, reservation.room_id, reservation.arrival_date,
                           reservation.departure_date, reservation.id)
        if clash is not None:
            raise RoomTaken(clash)
    gone = [row_id for pair, row_id in held.items() if pair not in wanted]
    if gone:
        session.execute(delete(RoomNight).where(RoomNight.id.in_(gone)))
    _insert(session, reservation.property_id, reservation.id, reservation,
            sorted(wanted - set(held)))


def hold_nights_many(session: Session, reservations: Iterable[Reservation]) -> None:
    """New reservations in bulk: their nights in one insert; RoomTaken on the first clash."""
    rows: list[dict[str, Any]] = []
    for reservation in reservations:
        for room_id, night in sorted(wanted_nights(reservation)):
            rows.append({"property_id": reservation.property_id, "room_id": room_id,
                         "night": night, "reservation_id": reservation.id})
    if not rows:
        return
    try:
        with session.begin_nested():
            insert_with_ids(session, RoomNight, rows)
    except IntegrityError:
        for reservation in reservations:
            if reservation.room_id is None:
                continue
            clash = room_clash(session, reservation.room_id, reservation.arrival_date,
                               reservation.departure_date, reservation.id)
            if clash is not None:
                raise RoomTaken(clash) from None
        raise


def release_nights(session: Session, reservation_id: int) -> None:
    """The reservation holds no room any more (checked out, cancelled, no-show)."""
    session.execute(delete(RoomNight).where(RoomNight.reservation_id == reservation_id))


def _insert(
    session: Session, property_id: int, reservation_id: int, reservation: Reservation,
    nights: list[tuple[int, date]],
) -> None:
    if not nights:
        return
    try:
        with session.begin_nested():
            session.execute(insert(RoomNight), [
                {"property_id": property_id, "room_id": room_id, "night": night,
                 "reservation_id": reservation_id}
                for room_id, night in nights
            ])
    except IntegrityError:
        # Another process took a night between our look and our insert.
        assert reservation.room_id is not None
        clash = room_clash(session, reservation.room_id, reservation.arrival_date,
                           reservation.departure_date, reservation_id)
        if clash is None:
            raise
        raise RoomTaken(clash) from None


_HOLDERS = (  # {asked}: "(?, ?), (?, ?)...", placeholders only
    "SELECT held.room_id, held.night, held.reservation_id FROM (VALUES {asked}) AS asked"
    " JOIN room_nights AS held ON held.room_id = asked.column1 AND held.night = asked.column2"
    " WHERE held.property_id = ?"
)
_HOLDERS_PG = (  # the same with two arrays: one short statement, whatever the number of pairs
    "SELECT held.room_id, held.night, held.reservation_id"
    " FROM unnest(CAST(:rooms AS integer[]), CAST(:nights AS date[])) AS asked (room_id, night)"
    " JOIN room_nights AS held ON held.room_id = asked.room_id AND held.night = asked.night"
    " WHERE held.property_id = :property_id"
)


def holders(
    session: Session, property_id: int, pairs: Iterable[tuple[int, date]]
) -> dict[tuple[int, date], int]:
    """Who holds each of these (room, night) pairs, if anyone: reservation ids. Only the pairs
    asked are read, so that the cost follows the rows being booked, not the nights stored:
    the pairs are joined to the (room, night) index, one lookup each (SQLite reads every
    night stored for `(room, night) IN (VALUES ...)`)."""
    wanted = sorted(set(pairs))
    if session.get_bind().dialect.name != "sqlite":
        rows = session.execute(text(_HOLDERS_PG), {
            "property_id": property_id, "rooms": [room_id for room_id, _ in wanted],
            "nights": [night for _, night in wanted]}).all()
        return {(room_id, night): reservation_id for room_id, night, reservation_id in rows}
    found: dict[tuple[int, date], int] = {}
    connection = session.connection()
    for chunk in chunks(wanted, 250):  # two parameters a pair
        values: list[Any] = []
        for room_id, night in chunk:
            values += (room_id, night.isoformat())  # a date as SQLite stores it
        statement = _HOLDERS.format(asked=", ".join(["(?, ?)"] * len(chunk)))
        for room_id, night, reservation_id in connection.exec_driver_sql(
                statement, (*values, property_id)).all():
            found[(room_id, date.fromisoformat(night))] = reservation_id
    return found
