"""The housekeeping board of a day, in the words of a hotel's housekeeping (OPERA, HotSOS).

Every room of the hotel once, by floor, with
- its state: out of order, occupied (a checked-in guest holds it), or vacant dirty / vacant
  clean / inspected (the housekeeping status of a room nobody is in);
- what the day brings to it, read from the reservations: a departure ("due out", or
  "departed" once checked out), a stay-over, an arrival ("arrival", or "arrived" once checked
  in). A room can have several: "due out + arrival" is one room with both facts;
- its checklist: cleaned and inspected (the room's status) and the items the arriving guest's
  wishes add (each item is its task: ticking one finishes the task, and the other way round).

Reservations are read, never changed, here. For a day to come, a booked stay counts as it is
expected; for today and before, a booking that never checked in counts only on its arrival day.
A guest still checked in after their departure date is due out today until checked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require
from core.clock import today
from core.models import Property
from guests.models import Reservation, Room
from shift_briefing.booked import Booked, booked
from shift_briefing.readiness import (
    ARRIVAL_ORDER,
    READERS,
    ChecklistItem,
    RoomChecklist,
    arriving_on,
    checklists_for,
    standard_items,
)

ROOM_STATES = ("vacant_dirty", "vacant_clean", "inspected", "occupied", "out_of_order")
# In the order a room card tells them: who leaves, who stays, who comes.
STAY_FACTS = ("departed", "due_out", "stay_over", "arrived", "arrival")
ARRIVING = ("arrival", "arrived")
_IN_HOUSE = ("due_out", "stay_over", "arrived")


@dataclass(frozen=True)
class Stay:
    """One reservation's part in the room's day."""

    reservation_id: int
    confirmation_number: str
    guest_name: str
    fact: str  # one of STAY_FACTS
    at: time  # the expected time: arrival (ETA or check-in time) or check-out time
    checked_in: bool


@dataclass(frozen=True)
class BoardRoom:
    room_id: int
    number: str
    floor: int
    housekeeping_status: str  # dirty / clean / inspected / out_of_order
    status_version: int
    stays: tuple[Stay, ...]
    standard: tuple[ChecklistItem, ...]  # cleaned, inspected: the room's status
    arrivals: tuple[RoomChecklist, ...]  # the arriving guests' checklists (their wish items)

    @property
    def occupied(self) -> bool:
        return any(s.checked_in and s.fact in _IN_HOUSE for s in self.stays)

    @property
    def state(self) -> str:
        if self.housekeeping_status == "out_of_order":
            return "out_of_order"
        if self.occupied:
            return "occupied"
        return {"dirty": "vacant_dirty", "clean": "vacant_clean"}.get(
            self.housekeeping_status, "inspected"
        )

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.fact for s in self.stays))

    @property
    def wish_items(self) -> tuple[tuple[int, ChecklistItem], ...]:
        """(reservation id, item) for each wish item of the guests arriving."""
        return tuple(
            (arrival.reservation_id, item)
            for arrival in self.arrivals
            for item in arrival.items
            if item.task_id is not None
        )

    @property
    def nothing_to_do(self) -> bool:
        """Inspected and nobody leaves: housekeeping has nothing left in this room today."""
        departing = any(s.fact in ("due_out", "departed") for s in self.stays)
        return (self.state == "out_of_order" or self.ready) and not departing

    @property
    def ready(self) -> bool:
        """Inspected, and every item the arriving guests' wishes add is done."""
        return self.housekeeping_status == "inspected" and all(
            item.done for _reservation, item in self.wish_items
        )


@dataclass(frozen=True)
class HousekeepingBoard:
    day: date
    rooms: tuple[BoardRoom, ...]  # by floor, then room number
    unassigned: tuple[RoomChecklist, ...]  # guests arriving without a room yet

    @property
    def floors(self) -> list[int]:
        return sorted({room.floor for room in self.rooms})

    def on_floor(self, floor: int | None) -> tuple[BoardRoom, ...]:
        return self.rooms if floor is None else tuple(r for r in self.rooms if r.floor == floor)

    def counts(self, floor: int | None = None) -> dict[str, int]:
        """How many rooms in each state and with each fact (a room counts once per fact)."""
        rooms = self.on_floor(floor)
        counted = Counter(room.state for room in rooms)
        counted.update(fact for room in rooms for fact in room.facts)
        return {name: counted.get(name, 0) for name in (*ROOM_STATES, *STAY_FACTS)}

    @property
    def arriving_rooms(self) -> tuple[BoardRoom, ...]:
        return tuple(r for r in self.rooms if any(s.fact in ARRIVING for s in r.stays))


def board_room(
    session: Session, who: Who, hotel: Property, day: date, room_id: int
) -> BoardRoom | None:
    """One room of the board, read again on its own: a tick reruns that room's card only."""
    rooms = housekeeping_board(session, who, hotel, day, room_id=room_id).rooms
    return rooms[0] if rooms else None


def _number_order(number: str) -> tuple[int, str]:
    return (int(number) if number.isdigit() else 1 << 30, number)


def _fact(reservation: Booked, day: date, future: bool) -> str | None:
    """What this reservation is to its room on `day`, or None when it is not there."""
    if reservation.status == "checked_out":
        return "departed" if reservation.departure_date == day else None
    if reservation.status not in ("booked", "checked_in"):
        return None
    checked_in = reservation.status == "checked_in"
    if reservation.arrival_date == day:
        return "arrived" if checked_in else "arrival"
    if not (checked_in or future):  # a booking that never arrived holds nothing today
        return None
    # Due out until checked out, even when the departure date has passed (late check-out).
    return "due_out" if reservation.departure_date <= day else "stay_over"


def housekeeping_board(
    session: Session, who: Who, hotel: Property, day: date, room_id: int | None = None
) -> HousekeepingBoard:
    """The board of `day`: every room once, with its state, its stays and its checklist.
    With `room_id`, that room alone (and no unassigned arrival): what one card reads again."""
    require(who, *READERS)
    future = day > today(hotel.timezone)
    which = [Room.property_id == hotel.id] + ([Room.id == room_id] if room_id is not None else [])
    # Rows, not ORM objects: every room of a big hotel and its stays, on every rerun.
    rooms = session.execute(
        select(Room.id, Room.number, Room.floor, Room.housekeeping_status, Room.status_version)
        .where(*which)
        .order_by(Room.id)
    ).all()
    on_day = Reservation.departure_date >= day
    if day == today(hotel.timezone):  # a guest still checked in after their departure date
        on_day = or_(on_day, Reservation.status == "checked_in")
    in_room = (
        Reservation.room_id == room_id if room_id is not None else Reservation.room_id.is_not(None)
    )
    touching = booked(
        session,
        Reservation.property_id == hotel.id,
        in_room,
        Reservation.arrival_date <= day,
        on_day,
        Reservation.status.in_(("booked", "checked_in", "checked_out")),
    )
    stays: dict[int, list[Stay]] = {room.id: [] for room in rooms}
    arriving: list[Booked] = []
    for reservation in touching:
        fact = _fact(reservation, day, future)
        if fact is None or reservation.room_id not in stays:
            continue
        expected = (
            (reservation.eta or hotel.check_in_time) if fact in ARRIVING else hotel.check_out_time
        )
        stays[reservation.room_id].append(
            Stay(
                reservation_id=reservation.id,
                confirmation_number=reservation.confirmation_number,
                guest_name=reservation.guest.name,
                fact=fact,
                at=expected,
                checked_in=reservation.status == "checked_in",
            )
        )
        if fact in ARRIVING:
            arriving.append(reservation)
    checklists = checklists_for(session, who, hotel.id, arriving, hotel.check_in_time)
    board_rooms = [
        BoardRoom(
            room_id=room.id,
            number=room.number,
            floor=room.floor,
            housekeeping_status=room.housekeeping_status,
            status_version=room.status_version,
            stays=tuple(
                sorted(
                    stays[room.id],
                    key=lambda s: (STAY_FACTS.index(s.fact), s.at, s.confirmation_number),
                )
            ),
            standard=tuple(standard_items(room)),
            arrivals=tuple(
                checklists[s.reservation_id] for s in stays[room.id] if s.fact in ARRIVING
            ),
        )
        for room in rooms
    ]
    board_rooms.sort(key=lambda r: (r.floor, *_number_order(r.number)))
    if room_id is not None:
        return HousekeepingBoard(day=day, rooms=tuple(board_rooms), unassigned=())
    without_room = booked(
        session,
        *arriving_on(hotel.id, day),
        Reservation.room_id.is_(None),
        order_by=ARRIVAL_ORDER,
    )
    unassigned = checklists_for(session, who, hotel.id, without_room, hotel.check_in_time)
    return HousekeepingBoard(
        day=day,
        rooms=tuple(board_rooms),
        unassigned=tuple(unassigned[r.id] for r in without_room),
    )
