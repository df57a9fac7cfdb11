"""Rooms: adding them and their housekeeping status, which every door changes through here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require
from core.clock import now, to_local
from core.errors import UserError
from core.i18n import format_clock, reader_language
from core.models import Property
from guests.models import HOUSEKEEPING_STATUSES, Room


def add_room(
    session: Session,
    who: Who,
    property_id: int,
    number: str,
    *,
    room_type: str = "",
    floor: int = 0,
    features: list[str] | None = None,
    connecting_to: str | None = None,
    housekeeping_status: str = "dirty",
) -> Room:
    room = Room(
        property_id=property_id,
        number=number,
        room_type=room_type,
        floor=floor,
        features=list(features or []),
        connecting_to=connecting_to,
        housekeeping_status=housekeeping_status,
    )
    _created(session, who, property_id, [room])
    return room


def add_rooms(
    session: Session, who: Who, property_id: int, rooms: dict[str, str]
) -> dict[str, Room]:
    """Rooms that new reservations name and the hotel did not have (number -> room type),
    added together, with add_room's defaults: the first import of a hotel brings them all."""
    added = {number: Room(property_id=property_id, number=number, room_type=room_type)
             for number, room_type in rooms.items()}
    _created(session, who, property_id, list(added.values()))
    return added


def _created(session: Session, who: Who, property_id: int, rooms: list[Room]) -> None:
    session.add_all(rooms)
    session.flush()
    audit.record_many(session, who, [
        {"action": "room_created", "entity": "room", "entity_id": room.id,
         "after": audit.snapshot(room), "property_id": property_id}
        for room in rooms
    ])


def set_housekeeping_status(
    session: Session, who: Who, room_id: int, status: str, *, seen_version: int | None = None
) -> Room:
    """Sets a room's housekeeping status, with the rules every door applies.

    A room is inspected only once it is clean ("inspect after cleaning"). `seen_version` is
    the status version the person was shown: if someone changed the status since, nothing is
    saved and the refusal says who and when.
    """
    require(who, "housekeeping", "manager")
    if status not in HOUSEKEEPING_STATUSES:
        raise UserError("room.error_status")
    # PostgreSQL: one saver at a time, reading the row as committed (not the session's copy).
    room = session.get(Room, room_id, with_for_update=True, populate_existing=True)
    if room is None:
        raise UserError("room.error_not_found")
    if seen_version is not None and room.status_version != seen_version:
        hotel = session.get(Property, room.property_id)
        changed_at = room.status_changed_at
        raise UserError(
            "room.error_status_changed",
            room=room.number,
            by=room.status_changed_by or "—",
            at=format_clock(to_local(changed_at, hotel.timezone), reader_language(who))
            if changed_at and hotel
            else "—",
        )
    if status == "inspected" and room.housekeeping_status not in ("clean", "inspected"):
        raise UserError("room.error_inspect_before_clean", room=room.number)
    record_room_status(session, who, room, status)
    return room


def record_room_status(
    session: Session, who: Who, room: Room, status: str, note: str | None = None
) -> None:
    """Writes a status change the way every door must: a new version, who and when (what the
    housekeeping board's version check reads), and the audit event. Callers hold the rules."""
    if room.housekeeping_status == status:
        return
    before = {"housekeeping_status": room.housekeeping_status}
    room.housekeeping_status = status
    room.status_version += 1
    room.status_changed_at = now()
    room.status_changed_by = who.name
    audit.record(
        session,
        who,
        "room_status_set",
        "room",
        room.id,
        before=before,
        after={"housekeeping_status": status},
        note=note,
        property_id=room.property_id,
    )


def room_by_number(session: Session, property_id: int, number: str) -> Room | None:
    return session.scalar(
        select(Room).where(Room.property_id == property_id, Room.number == number)
    )


def rooms(session: Session, property_id: int) -> list[Room]:
    return list(
        session.scalars(select(Room).where(Room.property_id == property_id).order_by(Room.number))
    )
