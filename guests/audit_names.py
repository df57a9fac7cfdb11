"""Names for the audit log's rows that guests/ owns: rooms by number, reservations and guests
by the guest's name (see core/audit_text.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit_text import finder, namer
from guests.models import Guest, Reservation, Room


def _ids(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


@namer("room")
def room_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(Room.id, Room.number).where(Room.property_id == property_id, Room.id.in_(_ids(ids)))
    )
    return {str(i): {"room": number} for i, number in rows}


@namer("reservation")
def reservation_names(
    session: Session, property_id: int, ids: list[str]
) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(Reservation.id, Reservation.confirmation_number, Guest.name, Room.number)
        .join(Guest, Guest.id == Reservation.guest_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(Reservation.property_id == property_id, Reservation.id.in_(_ids(ids)))
    )
    return {
        str(i): {"confirmation": number, "guest": guest, "room": room or "—"}
        for i, number, guest, room in rows
    }


@namer("guest")
def guest_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(Guest.id, Guest.name).where(
            Guest.property_id == property_id, Guest.id.in_(_ids(ids))
        )
    )
    return {str(i): {"guest": name} for i, name in rows}


def matching_reservations(
    session: Session, property_id: int, guest: str | None, room: str | None
) -> list[tuple[int, int]]:
    """(reservation id, guest id) of the stays of guests named so, or in that room."""
    query = (
        select(Reservation.id, Reservation.guest_id)
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(Reservation.property_id == property_id)
    )
    if guest:
        query = query.where(Guest.name.ilike(f"%{guest}%"))
    if room:
        query = query.join(Room, Room.id == Reservation.room_id).where(Room.number == room)
    return [(r, g) for r, g in session.execute(query)]


@finder
def guest_rows(
    session: Session, property_id: int, guest: str | None, room: str | None
) -> dict[str, set[str]]:
    stays = matching_reservations(session, property_id, guest, room)
    rows = {"reservation": {str(r) for r, _ in stays}}
    if guest and not room:
        rows["guest"] = {
            str(i)
            for i in session.scalars(
                select(Guest.id).where(
                    Guest.property_id == property_id, Guest.name.ilike(f"%{guest}%")
                )
            )
        }
    if room and not guest:
        rows["room"] = {
            str(i)
            for i in session.scalars(
                select(Room.id).where(Room.property_id == property_id, Room.number == room)
            )
        }
    return rows
