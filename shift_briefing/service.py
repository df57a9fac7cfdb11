"""Shifts, and what the front desk and housekeeping need to see of a day's arrivals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import events
from core.audit import Who
from core.auth import require
from guests.service import Arrival, arrivals_between, get_property
from requests.service import TaskView, tasks_for
from shift_briefing.models import Shift

DEFAULT_SHIFTS = (
    ("morning", time(7, 0), time(15, 0)),
    ("afternoon", time(15, 0), time(23, 0)),
    ("night", time(23, 0), time(7, 0)),
)


@events.subscribe(events.PROPERTY_CREATED)
def _seed_shifts(session: Session, property_id: int, **_: object) -> None:
    existing = set(session.scalars(select(Shift.name).where(Shift.property_id == property_id)))
    for name, starts, ends in DEFAULT_SHIFTS:
        if name not in existing:
            session.add(Shift(property_id=property_id, name=name, starts_at=starts, ends_at=ends))


def shifts(session: Session, property_id: int) -> list[Shift]:
    return list(
        session.scalars(
            select(Shift).where(Shift.property_id == property_id).order_by(Shift.starts_at)
        )
    )


@dataclass(frozen=True)
class ArrivalWithWishes:
    arrival: Arrival
    tasks: list[TaskView]


def arrivals_with_wishes(
    session: Session, who: Who, property_id: int, day: date
) -> list[ArrivalWithWishes]:
    """The day's arrivals, each with every task its wishes gave (sensitive detail per role)."""
    require(who, "front_desk", "manager", "reservations", "housekeeping")
    hotel = get_property(session, property_id)
    arrivals = arrivals_between(session, who, property_id, day, day)
    ids = {a.reservation_id for a in arrivals}
    tasks: dict[int, list[TaskView]] = {i: [] for i in ids}
    for task in tasks_for(session, who, property_id, reservation_ids=ids, timezone=hotel.timezone):
        if task.status != "cancelled":
            tasks[task.reservation_id].append(task)
    return [ArrivalWithWishes(a, tasks[a.reservation_id]) for a in arrivals]
