"""The stay after booking, at the front desk: moving a guest to another room, checking out.

A move changes the reservation's room and its room nights together (the database refuses a
room someone else holds); the wish tasks belong to the reservation, so the new room's checklist
carries them and the old room's loses them, and the briefing, which shows rooms, changes
version. Check-out frees the room's nights and leaves the room dirty for housekeeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, events
from core.audit import Who
from core.auth import require
from core.clock import now, to_local
from core.errors import UserError
from core.i18n import format_clock, reader_language
from core.models import Property
from guests.models import Guest, Reservation, Room, RoomNight
from guests.room_nights import HOLDING, hold_nights, release_nights
from guests.rooms import record_room_status, room_by_number, rooms

FRONT_DESK = ("front_desk", "manager")


def _locked(session: Session, property_id: int, reservation_id: int) -> Reservation:
    reservation = session.scalar(
        select(Reservation)
        .where(Reservation.id == reservation_id)
        .with_for_update(of=Reservation)
        .execution_options(populate_existing=True)
    )
    if reservation is None or reservation.property_id != property_id:
        raise UserError("reservation.error_not_found")
    return reservation


def move_reservation(
    session: Session,
    who: Who,
    property_id: int,
    reservation_id: int,
    room_number: str,
    *,
    from_room: str | None,
) -> Reservation:
    """Moves a booked or in-house reservation to another room; RoomTaken names who holds it.

    `from_room`: the room the agent saw (None: no room); if someone moved the guest since,
    the move is refused with who, when and where to, rather than undoing theirs."""
    require(who, *FRONT_DESK)
    reservation = _locked(session, property_id, reservation_id)
    if reservation.status not in HOLDING:
        raise UserError("stay.error_not_movable", status=reservation.status)
    current = reservation.room.number if reservation.room else None
    if from_room != current:
        hotel = session.get(Property, property_id)
        at = reservation.updated_at
        raise UserError(
            "stay.error_moved_meanwhile",
            who=reservation.updated_by or "?",
            at=format_clock(to_local(at, hotel.timezone), reader_language(who))
            if at and hotel
            else "?",
            room=current or "—",
        )
    room = room_by_number(session, property_id, room_number.strip())
    if room is None:
        raise UserError("room.error_not_found")
    if room.id == reservation.room_id:
        return reservation
    old = reservation.room.number if reservation.room else None
    reservation.room = room
    reservation.updated_by = who.name
    session.flush()
    hold_nights(session, reservation)
    audit.record(
        session,
        who,
        "reservation_moved",
        "reservation",
        reservation.id,
        before={"room": old},
        after={"room": room.number},
        property_id=property_id,
    )
    events.publish(
        events.RESERVATION_SAVED,
        session,
        reservation_id=reservation.id,
        who=who,
        changed=["room_id"],
    )
    return reservation


def check_out(session: Session, who: Who, property_id: int, reservation_id: int) -> Reservation:
    """The guest leaves: the reservation is checked out, its nights are free, the room dirty."""
    require(who, *FRONT_DESK)
    reservation = _locked(session, property_id, reservation_id)
    if reservation.status != "checked_in":
        raise UserError("stay.error_not_in_house", status=reservation.status)
    reservation.status = "checked_out"
    reservation.checked_out_at = now()
    reservation.updated_by = who.name
    release_nights(session, reservation.id)
    if reservation.room_id is not None:  # versioned like every status change, row locked
        room = session.get(Room, reservation.room_id, with_for_update=True, populate_existing=True)
        record_room_status(session, who, room, "dirty", note="check-out")
    session.flush()
    audit.record(
        session,
        who,
        "checked_out",
        "reservation",
        reservation.id,
        before={"status": "checked_in"},
        after={"status": "checked_out", "room": room.number if room else None},
        property_id=property_id,
    )
    return reservation


@dataclass(frozen=True)
class Departure:
    reservation_id: int
    confirmation_number: str
    guest_name: str
    room_number: str | None
    arrival_date: date
    departure_date: date


def departures_of_day(session: Session, who: Who, property_id: int, day: date) -> list[Departure]:
    """In-house guests due out on `day`, or already past their departure date."""
    require(who, *FRONT_DESK)
    rows = session.execute(  # rows, not objects: the arrivals page reads them on every rerun
        select(
            Reservation.id,
            Reservation.confirmation_number,
            Guest.name,
            Room.number,
            Reservation.arrival_date,
            Reservation.departure_date,
        )
        .join(Guest, Guest.id == Reservation.guest_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(
            Reservation.property_id == property_id,
            Reservation.status == "checked_in",
            Reservation.departure_date <= day,
        )
        .order_by(Reservation.departure_date, Reservation.confirmation_number)
    )
    return [Departure(*row) for row in rows]


def free_rooms(
    session: Session, property_id: int, arrival: date, departure: date
) -> list[Room]:
    """Rooms nobody holds on any night from `arrival` to the night before `departure`."""
    taken = set(
        session.scalars(
            select(RoomNight.room_id).where(
                RoomNight.property_id == property_id,
                RoomNight.night >= arrival,
                RoomNight.night < departure,
            )
        )
    )
    return [
        room for room in rooms(session, property_id)
        if room.id not in taken and room.housekeeping_status != "out_of_order"
    ]
