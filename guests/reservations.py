"""Guests and reservations: creating and changing them, and reading arrivals.

Properties are guests.properties, rooms and their housekeeping status guests.rooms."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import audit, events
from core.audit import Who
from core.auth import require
from core.clock import to_local
from core.errors import UserError
from core.i18n import format_moment, reader_language
from core.lib import get_property, insert_with_ids
from guests.identity import GuestKey, guest_key, returning_guest, returning_guests, same_name
from guests.models import Guest, Reservation, Room
from guests.room_nights import hold_nights, hold_nights_many
from guests.rooms import add_room, add_rooms, room_by_number, rooms

WRITERS = ("reservations", "manager")
READERS = ("reservations", "front_desk", "housekeeping", "manager")


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


class ReservationExists(UserError):
    """A new reservation with a confirmation number the hotel already holds: open it instead."""

    def __init__(self, reservation: Reservation) -> None:
        super().__init__(
            "reservation.error_exists",
            number=reservation.confirmation_number,
            guest=reservation.guest.name,
            arrival=reservation.arrival_date,
            departure=reservation.departure_date,
        )
        self.reservation_id = reservation.id
        self.confirmation_number = reservation.confirmation_number


class ReservationChanged(UserError):
    """Someone saved the reservation (or its guest) after the agent opened it.

    Carries who and when, and the values as they are now (`theirs`), so that the agent sees
    both before choosing; `version` and `guest_version` are what "keep mine" must save over.
    """

    def __init__(
        self, reservation: Reservation, theirs: ReservationInput, by: str, at: str
    ) -> None:
        super().__init__("reservation.error_changed", who=by, at=at)
        self.reservation_id = reservation.id
        self.version = reservation.version
        self.guest_version = reservation.guest.version
        self.theirs = theirs
        self.by = by
        self.at = at


# What the reservation form shows and edits, in its order.
FORM_FIELDS = (
    "guest_name", "arrival_date", "departure_date", "eta", "room_number", "adults", "children",
    "vip_level", "email", "phone", "language", "wish_text",
)


def field_differences(
    opened: ReservationInput, theirs: ReservationInput, mine: ReservationInput
) -> list[tuple[str, Any, Any, bool]]:
    """Each field where the stored value and the agent's differ: (field, theirs, mine, whether
    the other person changed it since the agent opened the reservation)."""
    return [
        (name, getattr(theirs, name), getattr(mine, name),
         getattr(theirs, name) != getattr(opened, name))
        for name in FORM_FIELDS
        if getattr(theirs, name) != getattr(mine, name)
    ]


def keep_mine(
    opened: ReservationInput, theirs: ReservationInput, mine: ReservationInput
) -> ReservationInput:
    """"Keep mine" after a conflict: the fields the agent changed take the agent's value, the
    others keep what the other person saved (so their change is not undone unseen)."""
    merged = replace(theirs)
    for name in FORM_FIELDS:
        if getattr(mine, name) != getattr(opened, name):
            setattr(merged, name, getattr(mine, name))
    return merged


@dataclass
class Saved:
    reservation: Reservation
    created: bool
    changed: list[str]
    consequences: list[Any]  # what the listening domains report, e.g. tasks created


def create_reservation(
    session: Session, who: Who, property_id: int, data: ReservationInput
) -> Saved:
    """A new reservation; a confirmation number the hotel already holds is refused, never
    overwritten (ReservationExists says which reservation to open)."""
    require(who, *WRITERS)
    data.check()
    existing = reservation_by_confirmation(session, property_id, data.confirmation_number)
    if existing is not None:
        raise ReservationExists(existing)
    try:
        with session.begin_nested():
            return _write(session, who, property_id, None, data)
    except IntegrityError:
        existing = reservation_by_confirmation(session, property_id, data.confirmation_number)
        if existing is None:
            raise
        raise ReservationExists(existing) from None


def update_reservation(
    session: Session,
    who: Who,
    property_id: int,
    reservation_id: int,
    data: ReservationInput,
    *,
    version: int,
    guest_version: int | None = None,
) -> Saved:
    """Saves an edit over the version the agent opened (`version`, and the guest's); if
    someone saved in between, ReservationChanged says who, when and what they hold."""
    require(who, *WRITERS)
    data.check()
    reservation = _locked_reservation(
        session, select(Reservation).where(Reservation.id == reservation_id)
    )
    if reservation is None or reservation.property_id != property_id:
        raise UserError("reservation.error_not_found")
    _check_version(session, property_id, reservation, version, guest_version, who)
    data.confirmation_number = reservation.confirmation_number  # an edit keeps its number
    return _write(session, who, property_id, reservation, data)


def _check_version(
    session: Session, property_id: int, reservation: Reservation, version: int,
    guest_version: int | None, who: Who,
) -> None:
    guest = reservation.guest
    if reservation.version == version and (
        guest_version is None or guest.version == guest_version
    ):
        return
    if reservation.version != version:
        by, at = reservation.updated_by, reservation.updated_at
    else:
        by, at = guest.updated_by, guest.updated_at
    hotel = get_property(session, property_id)
    raise ReservationChanged(
        reservation,
        reservation_input(reservation),
        by or "?",
        format_moment(to_local(at, hotel.timezone), reader_language(who), "short") if at else "?",
    )


def save_reservation(
    session: Session, who: Who, property_id: int, data: ReservationInput,
    *, version: int | None = None,
) -> Saved:
    """Creates or updates by confirmation number: the import and the demo, whose file or story
    is the truth for that number. The form uses create_reservation and update_reservation.

    `version`: the version the caller planned from (an import); ReservationChanged if someone
    saved since, so the caller plans again from what is stored instead of overwriting it."""
    require(who, *WRITERS)
    data.check()
    reservation = _locked_reservation(
        session,
        select(Reservation).where(
            Reservation.property_id == property_id,
            Reservation.confirmation_number == data.confirmation_number.strip(),
        ),
    )
    if reservation is not None and version is not None:
        _check_version(session, property_id, reservation, version, None, who)
    return _write(session, who, property_id, reservation, data)


def _locked_reservation(session: Session, query: Any) -> Reservation | None:
    """The row as stored now, held until the transaction ends, so that two saves queue up
    instead of the second failing at its UPDATE (PostgreSQL; SQLite writes one at a time)."""
    reservation = session.scalar(
        query.with_for_update(of=Reservation).execution_options(populate_existing=True)
    )
    if reservation is not None:
        session.scalar(
            select(Guest)
            .where(Guest.id == reservation.guest_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    return reservation


def _guest_for_edit(
    session: Session, property_id: int, reservation: Reservation, data: ReservationInput
) -> Guest:
    """The person of an edited reservation. A new name is another person, unless this is the
    guest's only stay (a typo corrected): the other stays of a guest are never renamed."""
    current = reservation.guest
    if same_name(current.name, data.guest_name):
        return current
    found = returning_guest(
        session, property_id, data.guest_name, data.email, data.phone, lock=True
    )
    if found is not None:
        return found
    others = session.scalar(
        select(func.count())
        .select_from(Reservation)
        .where(Reservation.guest_id == current.id, Reservation.id != reservation.id)
    )
    if not others:
        return current
    return Guest(property_id=property_id, name=data.guest_name.strip())


def _write(
    session: Session, who: Who, property_id: int, reservation: Reservation | None,
    data: ReservationInput,
) -> Saved:
    room = None
    if data.room_number:
        room = room_by_number(session, property_id, data.room_number.strip())
        if room is None:
            room = add_room(
                session, who, property_id, data.room_number.strip(), room_type=data.room_type or ""
            )
    if reservation is None:
        guest = returning_guest(
            session, property_id, data.guest_name, data.email, data.phone, lock=True
        ) or Guest(property_id=property_id, name=data.guest_name.strip())
        reservation = Reservation(
            property_id=property_id,
            confirmation_number=data.confirmation_number.strip(),
            guest=guest,
        )
        session.add(reservation)
        before: dict = {}
    else:
        before = {**audit.snapshot(reservation), "guest": audit.snapshot(reservation.guest)}
        guest = _guest_for_edit(session, property_id, reservation, data)
        if guest is not reservation.guest:
            reservation.guest = guest
    _set_guest(guest, data)
    if guest.id is None or session.is_modified(guest):
        guest.updated_by = who.name
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
    if not before or session.is_modified(reservation):
        reservation.updated_by = who.name
    try:
        session.flush()
    except StaleDataError:  # a save slipped in without the row lock: say so, never crash
        raise UserError("reservation.error_changed_meanwhile") from None
    hold_nights(session, reservation)
    after = {**audit.snapshot(reservation), "guest": audit.snapshot(guest)}
    if before == after:
        return Saved(reservation, created=False, changed=[], consequences=[])
    old, new = audit.changed_fields(before, after)
    for bookkeeping in ("updated_at", "version", "updated_by"):  # they change with any change
        old.pop(bookkeeping, None)
        new.pop(bookkeeping, None)
    for side in (old.get("guest"), new.get("guest")):
        if isinstance(side, dict):
            for bookkeeping in ("updated_at", "version", "updated_by"):
                side.pop(bookkeeping, None)
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


_GuestRow = Guest | dict[str, Any]  # a guest already stored, or one about to be inserted


@dataclass(slots=True)
class NewReservation:
    """A reservation just inserted in bulk, as the code that follows reads it: the row, its
    guest and room, no requests yet. An import of thousands reads no ORM object back."""

    id: int
    property_id: int
    confirmation_number: str
    guest_id: int
    arrival_date: date
    departure_date: date
    eta: time | None
    room_type: str | None
    room_id: int | None
    adults: int
    children: int
    wish_text: str
    status: str
    source: str
    updated_by: str
    guest: Any  # the Guest, or the values of the guest inserted with it
    room: Room | None
    requests: list[Any] = field(default_factory=list)


def create_reservations(
    session: Session, who: Who, property_id: int, inputs: list[ReservationInput]
) -> tuple[list[NewReservation], list[Any]]:
    """New reservations in bulk, as save_reservation would create them one by one.

    Lookups are made once and rows inserted together; the reservations are announced in one
    RESERVATIONS_SAVED event, which carries them. Returns them, in order, and what the
    listening domains report.
    """
    require(who, *WRITERS)
    for data in inputs:
        data.check()
    rooms_by_number = {room.number: room for room in rooms(session, property_id)}
    keys = [guest_key(d.guest_name, d.email, d.phone) for d in inputs]
    known: dict[GuestKey, _GuestRow] = dict(
        returning_guests(session, property_id, [k for k in keys if k], lock=True)
    )
    unknown_rooms: dict[str, str] = {}
    for data in inputs:
        number = (data.room_number or "").strip()
        if number and number not in rooms_by_number:
            unknown_rooms.setdefault(number, data.room_type or "")
    rooms_by_number.update(add_rooms(session, who, property_id, unknown_rooms))
    room_of = [rooms_by_number.get((data.room_number or "").strip()) for data in inputs]
    new_guests: list[dict[str, Any]] = []
    guest_of: list[_GuestRow] = []
    for data, key in zip(inputs, keys, strict=True):
        guest = known.get(key) if key else None
        if guest is None:
            guest = {
                "property_id": property_id,
                "name": "",
                "language": None,
                "email": None,
                "phone": None,
                "vip_level": 0,
                "preferences": [],
                "version": 1,
                "updated_by": who.name,
            }
            new_guests.append(guest)
            if key:
                known[key] = guest
        _set_guest(guest, data)
        guest_of.append(guest)
    insert_with_ids(session, Guest, new_guests)
    rows = [
        {
            "property_id": property_id,
            "confirmation_number": data.confirmation_number.strip(),
            "guest_id": guest["id"] if isinstance(guest, dict) else guest.id,
            "arrival_date": data.arrival_date,
            "departure_date": data.departure_date,
            "eta": data.eta,
            "room_type": data.room_type,
            "room_id": room.id if room is not None else None,
            "adults": data.adults,
            "children": data.children,
            "wish_text": data.wish_text,
            "status": data.status,
            "source": data.source,
            "updated_by": who.name,
        }
        for data, guest, room in zip(inputs, guest_of, room_of, strict=True)
    ]
    insert_with_ids(session, Reservation, rows)
    ids = [row["id"] for row in rows]
    created = [
        NewReservation(**row, guest=SimpleNamespace(**guest) if isinstance(guest, dict)
                       else guest, room=room)
        for row, guest, room in zip(rows, guest_of, room_of, strict=True)
    ]
    hold_nights_many(session, created)
    audit.record_many(
        session,
        who,
        [
            {
                "action": "reservation_created",
                "entity": "reservation",
                "entity_id": reservation_id,
                "property_id": property_id,
                "after": {
                    **audit.json_safe({"id": reservation_id, **row}),
                    "guest": audit.json_safe(guest)
                    if isinstance(guest, dict)
                    else audit.snapshot(guest),
                },
            }
            for reservation_id, row, guest in zip(ids, rows, guest_of, strict=True)
        ],
    )
    consequences = events.publish(events.RESERVATIONS_SAVED, session, reservation_ids=ids,
                                  created=created, who=who)
    return created, consequences


def _set_guest(guest: _GuestRow, data: ReservationInput) -> None:
    """A guest's details as save_reservation sets them, on a row or on a row to insert."""

    def known(name: str) -> Any:
        return guest.get(name) if isinstance(guest, dict) else getattr(guest, name)

    changes = {
        "name": data.guest_name.strip(),
        "language": data.language or known("language"),
        "email": data.email or known("email"),
        "phone": data.phone or known("phone"),
        "vip_level": data.vip_level,
    }
    if data.preferences:
        changes["preferences"] = sorted(set(known("preferences") or []) | set(data.preferences))
    if isinstance(guest, dict):
        guest.update(changes)
    else:
        for name, value in changes.items():
            setattr(guest, name, value)


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
    # Columns, not entities: a week of a big hotel's arrivals is hundreds of reservations.
    rows = session.execute(
        select(
            Reservation.id.label("reservation_id"),
            Reservation.confirmation_number,
            Guest.name.label("guest_name"),
            Guest.vip_level,
            Reservation.arrival_date,
            Reservation.departure_date,
            Reservation.eta,
            Room.number.label("room_number"),
            Reservation.room_type,
            Reservation.adults,
            Reservation.children,
            Reservation.status,
            Reservation.wish_text,
        )
        .join(Guest, Guest.id == Reservation.guest_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(
            Reservation.property_id == property_id,
            Reservation.arrival_date >= first,
            Reservation.arrival_date <= last,
            Reservation.status != "cancelled",
        )
        .order_by(Reservation.arrival_date, Reservation.eta, Reservation.confirmation_number)
    )
    return [
        Arrival(**row._asdict(), nights=(row.departure_date - row.arrival_date).days)
        for row in rows
    ]
