"""Reservations as the briefing reads them: the columns it uses, with the guest's and the
room's, in one query of rows.

A shift of a big hotel is hundreds of reservations, read on every rerun of the briefing and
of the dashboard (its version); building their Reservation, Guest and Room objects took five
times as long as reading the rows (measured). These read the same attributes, so the
briefing's functions take either.

`stays` reads less again, for the version alone (the dashboard's every run): what it hashes
and what orders the shift's guests, without the guest's preferences or the room's details
(two JSON columns a row, decoded, were a third of the read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from guests.models import Guest, Reservation, Room


@dataclass(frozen=True)
class BookedGuest:
    name: str
    vip_level: int
    preferences: list[str] | None


@dataclass(frozen=True)
class BookedRoom:
    number: str
    floor: int
    features: list[str] | None
    connecting_to: str | None
    housekeeping_status: str


@dataclass(frozen=True)
class Booked:
    id: int
    confirmation_number: str
    guest_id: int
    arrival_date: date
    departure_date: date
    eta: time | None
    room_id: int | None
    adults: int
    children: int
    status: str
    wish_text: str
    checked_in_at: datetime | None
    guest: BookedGuest
    room: BookedRoom | None

    @property
    def nights(self) -> int:
        return (self.departure_date - self.arrival_date).days

    # Stay's flat names, so that the version's content reads either.
    @property
    def guest_name(self) -> str:
        return self.guest.name

    @property
    def vip_level(self) -> int:
        return self.guest.vip_level

    @property
    def room_number(self) -> str | None:
        return self.room.number if self.room else None


class Stay(NamedTuple):
    """A reservation as the briefing's version reads it (`stays`)."""

    id: int
    confirmation_number: str
    arrival_date: date
    departure_date: date
    eta: time | None
    adults: int
    children: int
    status: str
    wish_text: str
    checked_in_at: datetime | None
    guest_name: str
    vip_level: int
    room_number: str | None

    @property
    def nights(self) -> int:
        return (self.departure_date - self.arrival_date).days


_COLUMNS = (
    Reservation.id,
    Reservation.confirmation_number,
    Reservation.guest_id,
    Reservation.arrival_date,
    Reservation.departure_date,
    Reservation.eta,
    Reservation.room_id,
    Reservation.adults,
    Reservation.children,
    Reservation.status,
    Reservation.wish_text,
    Reservation.checked_in_at,
    Guest.name,
    Guest.vip_level,
    Guest.preferences,
    Room.number,
    Room.floor,
    Room.features,
    Room.connecting_to,
    Room.housekeeping_status,
)


def booked(
    session: Session, *where: ColumnElement[bool], order_by: tuple[Any, ...] = (Reservation.id,)
) -> list[Booked]:
    """The reservations matching `where`, each with its guest and its room (None if none)."""
    return [
        Booked(
            *row[:12],
            guest=BookedGuest(*row[12:15]),
            room=BookedRoom(*row[15:]) if row.room_id is not None else None,
        )
        for row in _rows(session, _COLUMNS, where, order_by)
    ]


_STAY_COLUMNS = (
    Reservation.id,
    Reservation.confirmation_number,
    Reservation.arrival_date,
    Reservation.departure_date,
    Reservation.eta,
    Reservation.adults,
    Reservation.children,
    Reservation.status,
    Reservation.wish_text,
    Reservation.checked_in_at,
    Guest.name,
    Guest.vip_level,
    Room.number,
)


def stays(
    session: Session, *where: ColumnElement[bool], order_by: tuple[Any, ...] = (Reservation.id,)
) -> list[Stay]:
    """The reservations matching `where`, as the version reads them (`booked`'s order)."""
    return list(map(Stay._make, _rows(session, _STAY_COLUMNS, where, order_by)))


def _rows(
    session: Session, columns: tuple[Any, ...], where: tuple[ColumnElement[bool], ...],
    order_by: tuple[Any, ...],
) -> Any:
    """`columns` of the reservations matching `where`, joined to their guest and room."""
    return session.execute(
        select(*columns)
        .join(Guest, Guest.id == Reservation.guest_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(*where)
        .order_by(*order_by)
    )


# What the briefing's functions take: a reservation loaded either way.
AnyReservation = Reservation | Booked
AnyRoom = Room | BookedRoom
