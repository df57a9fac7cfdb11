"""Properties, rooms, guests and reservations: creating and changing them, and reading arrivals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, events
from core.audit import Who
from core.auth import require
from core.errors import UserError
from core.models import Property
from guests.models import Guest, Reservation, Room

WRITERS = ("reservations", "manager")
READERS = ("reservations", "front_desk", "housekeeping", "manager")


def create_property(
    session: Session,
    who: Who,
    *,
    code: str,
    name: str,
    timezone: str = "Europe/Paris",
    check_in_time: time = time(15, 0),
    check_out_time: time = time(11, 0),
    default_language: str = "fr",
    is_demo: bool = False,
) -> Property:
    hotel = Property(
        code=code,
        name=name,
        timezone=timezone,
        check_in_time=check_in_time,
        check_out_time=check_out_time,
        default_language=default_language,
        is_demo=is_demo,
    )
    session.add(hotel)
    session.flush()
    audit.record(
        session,
        who,
        "property_created",
        "property",
        hotel.id,
        after=audit.snapshot(hotel),
        property_id=hotel.id,
    )
    events.publish(events.PROPERTY_CREATED, session, property_id=hotel.id, who=who)
    return hotel


def get_property(session: Session, property_id: int) -> Property:
    hotel = session.get(Property, property_id)
    if hotel is None:
        raise UserError("error.no_property")
    return hotel


def property_by_code(session: Session, code: str) -> Property | None:
    return session.scalar(select(Property).where(Property.code == code))


def first_property(session: Session) -> Property | None:
    return session.scalar(select(Property).order_by(Property.id))


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Property)) == 0


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
    session.add(room)
    session.flush()
    audit.record(
        session,
        who,
        "room_created",
        "room",
        room.id,
        after=audit.snapshot(room),
        property_id=property_id,
    )
    return room


def room_by_number(session: Session, property_id: int, number: str) -> Room | None:
    return session.scalar(
        select(Room).where(Room.property_id == property_id, Room.number == number)
    )


@dataclass
class ReservationInput:
    """A reservation as reservations staff, an import or the demo state it."""

    confirmation_number: str
    guest_name: str
    arrival_date: date
    departure_date: date
    eta: time | None = None
    room_number: str | None = None
    room_type: str | None = None
    adults: int = 1
    children: int = 0
    vip_level: int = 0
    language: str | None = None
    email: str | None = None
    phone: str | None = None
    wish_text: str = ""
    status: str = "booked"
    source: str = "manual"
    preferences: list[str] = field(default_factory=list)

    def check(self) -> None:
        if not self.confirmation_number.strip():
            raise UserError("reservation.error_no_confirmation")
        if not self.guest_name.strip():
            raise UserError("reservation.error_no_guest_name")
        if self.departure_date <= self.arrival_date:
            raise UserError("reservation.error_departure_before_arrival")
        if self.adults < 0 or self.children < 0:
            raise UserError("reservation.error_negative_guests")


def returning_guest(session: Session, property_id: int, data: ReservationInput) -> Guest | None:
    """The same person on an earlier stay: same e-mail, or same name and phone."""
    query = select(Guest).where(Guest.property_id == property_id, Guest.anonymised_at.is_(None))
    if data.email and data.email.strip():
        query = query.where(func.lower(Guest.email) == data.email.strip().lower())
    elif data.phone and data.phone.strip():
        query = query.where(
            func.lower(Guest.name) == data.guest_name.strip().lower(),
            Guest.phone == data.phone.strip(),
        )
    else:
        return None
    return session.scalars(query.order_by(Guest.id)).first()


@dataclass
class Saved:
    reservation: Reservation
    created: bool
    changed: list[str]
    consequences: list[Any]  # what the listening domains report, e.g. tasks created


def save_reservation(session: Session, who: Who, property_id: int, data: ReservationInput) -> Saved:
    """Creates or updates by confirmation number; the wishes domain reacts to the change."""
    require(who, *WRITERS)
    data.check()
    reservation = session.scalar(
        select(Reservation).where(
            Reservation.property_id == property_id,
            Reservation.confirmation_number == data.confirmation_number.strip(),
        )
    )
    room = None
    if data.room_number:
        room = room_by_number(session, property_id, data.room_number.strip())
        if room is None:
            room = add_room(
                session, who, property_id, data.room_number.strip(), room_type=data.room_type or ""
            )
    if reservation is None:
        guest = returning_guest(session, property_id, data) or Guest(
            property_id=property_id, name=data.guest_name.strip()
        )
        reservation = Reservation(
            property_id=property_id,
            confirmation_number=data.confirmation_number.strip(),
            guest=guest,
        )
        session.add(reservation)
        before: dict = {}
    else:
        guest = reservation.guest
        before = {**audit.snapshot(reservation), "guest": audit.snapshot(guest)}
    guest.name = data.guest_name.strip()
    guest.language = data.language or guest.language
    guest.email = data.email or guest.email
    guest.phone = data.phone or guest.phone
    guest.vip_level = data.vip_level
    if data.preferences:
        guest.preferences = sorted(set(guest.preferences) | set(data.preferences))
    reservation.arrival_date = data.arrival_date
    reservation.departure_date = data.departure_date
    reservation.eta = data.eta
    reservation.room_type = data.room_type
    reservation.room = room
    reservation.adults = data.adults
    reservation.children = data.children
    reservation.wish_text = data.wish_text
    reservation.status = data.status
    reservation.source = data.source
    session.flush()
    after = {**audit.snapshot(reservation), "guest": audit.snapshot(guest)}
    if before == after:
        return Saved(reservation, created=False, changed=[], consequences=[])
    old, new = audit.changed_fields(before, after)
    action = "reservation_created" if not before else "reservation_updated"
    audit.record(
        session,
        who,
        action,
        "reservation",
        reservation.id,
        before=old or None,
        after=new,
        property_id=property_id,
    )
    consequences = events.publish(
        events.RESERVATION_SAVED,
        session,
        reservation_id=reservation.id,
        who=who,
        changed=sorted(new),
    )
    return Saved(reservation, created=not before, changed=sorted(new), consequences=consequences)


def reservation_by_confirmation(
    session: Session, property_id: int, confirmation_number: str
) -> Reservation | None:
    return session.scalar(
        select(Reservation).where(
            Reservation.property_id == property_id,
            Reservation.confirmation_number == confirmation_number.strip(),
        )
    )


def reservation_input(reservation: Reservation) -> ReservationInput:
    """A stored reservation as the form to edit it."""
    guest = reservation.guest
    return ReservationInput(
        confirmation_number=reservation.confirmation_number,
        guest_name=guest.name,
        arrival_date=reservation.arrival_date,
        departure_date=reservation.departure_date,
        eta=reservation.eta,
        room_number=reservation.room.number if reservation.room else None,
        room_type=reservation.room_type,
        adults=reservation.adults,
        children=reservation.children,
        vip_level=guest.vip_level,
        language=guest.language,
        email=guest.email,
        phone=guest.phone,
        wish_text=reservation.wish_text,
        status=reservation.status,
        source=reservation.source,
    )


def rooms(session: Session, property_id: int) -> list[Room]:
    return list(
        session.scalars(select(Room).where(Room.property_id == property_id).order_by(Room.number))
    )


@dataclass(frozen=True)
class Arrival:
    reservation_id: int
    confirmation_number: str
    guest_name: str
    vip_level: int
    arrival_date: date
    departure_date: date
    nights: int
    eta: time | None
    room_number: str | None
    room_type: str | None
    adults: int
    children: int
    status: str
    wish_text: str


def arrivals_between(
    session: Session, who: Who, property_id: int, first: date, last: date
) -> list[Arrival]:
    """Reservations arriving from `first` to `last` inclusive, in order of date and ETA."""
    require(who, *READERS)
    rows = session.scalars(
        select(Reservation)
        .where(
            Reservation.property_id == property_id,
            Reservation.arrival_date >= first,
            Reservation.arrival_date <= last,
            Reservation.status != "cancelled",
        )
        .order_by(Reservation.arrival_date, Reservation.eta, Reservation.confirmation_number)
    )
    return [
        Arrival(
            reservation_id=r.id,
            confirmation_number=r.confirmation_number,
            guest_name=r.guest.name,
            vip_level=r.guest.vip_level,
            arrival_date=r.arrival_date,
            departure_date=r.departure_date,
            nights=r.nights,
            eta=r.eta,
            room_number=r.room.number if r.room else None,
            room_type=r.room_type,
            adults=r.adults,
            children=r.children,
            status=r.status,
            wish_text=r.wish_text,
        )
        for r in rows.unique()
    ]
