"""The hotel's shifts and who works them: one list of shifts for every domain.

Shifts live in core because tasks (requests/) get their owner from who is on shift, and the
briefing (shift_briefing/) is made per shift; dependencies point core <- guests <- requests <-
shift_briefing, so the one list sits at the bottom. The roster is the minimum a hotel needs:
each staff member's usual shifts, by weekday, which a manager edits; housekeeping's floor
sections say which attendant looks after which floor.

A night shift belongs to the day it starts on: Monday's night runs from Monday 23:00 to
Tuesday 07:00, and whoever works "night" on Mondays is on shift then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ForeignKey, String, Time, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit
from core.audit import Who
from core.auth import Actor, require
from core.clock import local_to_utc, to_local
from core.db import Base
from core.errors import UserError
from core.i18n import Term
from core.lib import get_property
from core.models import Property, Staff
from core.versions import claim_version

DEFAULT_SHIFTS = (
    ("morning", time(7, 0), time(15, 0)),
    ("afternoon", time(15, 0), time(23, 0)),
    ("night", time(23, 0), time(7, 0)),
)
SHIFT_NAMES = tuple(name for name, _, _ in DEFAULT_SHIFTS)
WEEKDAYS = tuple(range(7))  # Monday = 0, as date.weekday()


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("property_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    name: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    version: Mapped[int] = mapped_column(default=1)  # a manager saves the one they loaded


class StaffShift(Base):
    """A staff member usually works this shift on this weekday (the roster)."""

    __tablename__ = "staff_shifts"
    __table_args__ = (UniqueConstraint("staff_id", "shift", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    shift: Mapped[str] = mapped_column(String(20))
    weekday: Mapped[int] = mapped_column()


class FloorSection(Base):
    """Housekeeping's section: the attendant who looks after a floor's rooms."""

    __tablename__ = "floor_sections"
    __table_args__ = (UniqueConstraint("property_id", "floor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    floor: Mapped[int] = mapped_column()
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))


def shifts(session: Session, property_id: int) -> list[Shift]:
    return list(
        session.scalars(
            select(Shift).where(Shift.property_id == property_id).order_by(Shift.starts_at)
        )
    )


def shift_window(hotel: Property, shift: Shift, day: date) -> tuple[datetime, datetime]:
    """The shift's start and end in UTC; a shift ending at or before its start ends next day."""
    end_day = day + timedelta(days=1) if shift.ends_at <= shift.starts_at else day
    return (
        local_to_utc(day, shift.starts_at, hotel.timezone),
        local_to_utc(end_day, shift.ends_at, hotel.timezone),
    )


@dataclass(frozen=True)
class Duty:
    """One staff member's shift on one day, as UTC instants."""

    staff_id: int
    shift: str
    day: date
    starts: datetime
    ends: datetime


class Roster:
    """Who works when, read once: tasks ask it many times in one pass (an import, a job)."""

    def __init__(self, session: Session, property_id: int) -> None:
        hotel = get_property(session, property_id)
        self.hotel = hotel
        self.shifts = {s.name: s for s in shifts(session, property_id)}
        active = set(
            session.scalars(
                select(Staff.id).where(Staff.property_id == property_id, Staff.active.is_(True))
            )
        )
        self.usual: dict[tuple[str, int], list[int]] = {}
        rows = session.execute(
            select(StaffShift.staff_id, StaffShift.shift, StaffShift.weekday)
            .where(StaffShift.property_id == property_id)
            .order_by(StaffShift.staff_id)
        )
        for staff_id, shift, weekday in rows:
            if staff_id in active:
                self.usual.setdefault((shift, weekday), []).append(staff_id)

    def duties(self, moment: datetime, days_ahead: int = 0) -> list[Duty]:
        """Every duty that has not ended at `moment`, up to `days_ahead` days later, by start."""
        local_day = to_local(moment, self.hotel.timezone).date()
        found = []
        for offset in range(-1, days_ahead + 1):
            day = local_day + timedelta(days=offset)
            for name, shift in self.shifts.items():
                starts, ends = shift_window(self.hotel, shift, day)
                if ends <= moment:
                    continue
                for staff_id in self.usual.get((name, day.weekday()), ()):
                    found.append(Duty(staff_id, name, day, starts, ends))
        return sorted(found, key=lambda d: (d.starts, d.staff_id))

    def works(self, staff_id: int, shift: str, day: date) -> bool:
        """Whether the roster puts this person on this shift of this day; someone without any
        roster line is taken as working every shift (the app does not know their hours)."""
        rostered = {s for ids in self.usual.values() for s in ids}
        return staff_id not in rostered or staff_id in self.usual.get((shift, day.weekday()), ())

    def on_shift(self, moment: datetime) -> dict[int, Duty]:
        """The staff at work at `moment`, with the duty they are on."""
        return {d.staff_id: d for d in self.duties(moment) if d.starts <= moment}

    def next_duty(self, staff_ids: Iterable[int], moment: datetime) -> Duty | None:
        """The first duty, of any of these people, that is running or starts after `moment`."""
        wanted = set(staff_ids)
        for duty in self.duties(moment, days_ahead=7):
            if duty.staff_id in wanted:
                return duty
        return None


# --- the roster, edited by managers -------------------------------------------------------------


def usual_shifts(session: Session, property_id: int) -> dict[int, set[tuple[str, int]]]:
    """Each staff member's (shift, weekday) pairs."""
    result: dict[int, set[tuple[str, int]]] = {}
    rows = session.execute(
        select(StaffShift.staff_id, StaffShift.shift, StaffShift.weekday).where(
            StaffShift.property_id == property_id
        )
    )
    for staff_id, shift, weekday in rows:
        result.setdefault(staff_id, set()).add((shift, weekday))
    return result


def set_usual_shifts(
    session: Session,
    who: Who,
    staff_id: int,
    worked: Iterable[tuple[str, int]],
) -> None:
    """Replaces a staff member's usual shifts (shift name, weekday 0 = Monday); audited."""
    require(who, "manager")
    staff = session.get(Staff, staff_id)
    if staff is None or (who.property_id is not None and staff.property_id != who.property_id):
        raise UserError("staff.error_not_found")
    names = {s.name for s in shifts(session, staff.property_id)}
    wanted = set()
    for shift, weekday in worked:
        if shift not in names or weekday not in WEEKDAYS:
            raise UserError("briefing.error_shift", shift=shift)
        wanted.add((shift, int(weekday)))
    before = usual_shifts(session, staff.property_id).get(staff_id, set())
    if before == wanted:
        return
    session.execute(delete(StaffShift).where(StaffShift.staff_id == staff_id))
    for shift, weekday in sorted(wanted):
        session.add(
            StaffShift(
                property_id=staff.property_id, staff_id=staff_id, shift=shift, weekday=weekday
            )
        )
    session.flush()
    audit.record(
        session,
        who,
        "roster_set",
        "staff",
        staff_id,
        before={"shifts": _described(before)},
        after={"shifts": _described(wanted)},
        property_id=staff.property_id,
    )


def _described(worked: Iterable[tuple[str, int]]) -> list[str]:
    return [f"{shift}:{weekday}" for shift, weekday in sorted(worked)]


def floor_sections(session: Session, property_id: int) -> dict[int, int]:
    """floor -> the attendant whose section it is."""
    rows = session.execute(
        select(FloorSection.floor, FloorSection.staff_id).where(
            FloorSection.property_id == property_id
        )
    )
    return {floor: staff_id for floor, staff_id in rows}


def set_floor_sections(
    session: Session, who: Who, property_id: int, sections: dict[int, int | None]
) -> None:
    """Sets who looks after each floor (None: nobody); audited."""
    require(who, "manager")
    before = floor_sections(session, property_id)
    wanted = {int(floor): staff for floor, staff in sections.items() if staff is not None}
    for staff_id in set(wanted.values()):
        staff = session.get(Staff, staff_id)
        if staff is None or staff.property_id != property_id or not staff.active:
            raise UserError("staff.error_not_found")
    if before == wanted:
        return
    session.execute(delete(FloorSection).where(FloorSection.property_id == property_id))
    for floor, staff_id in sorted(wanted.items()):
        session.add(FloorSection(property_id=property_id, floor=floor, staff_id=staff_id))
    session.flush()
    audit.record(
        session,
        who,
        "floor_sections_set",
        "property",
        property_id,
        before={str(k): v for k, v in sorted(before.items())},
        after={str(k): v for k, v in sorted(wanted.items())},
        property_id=property_id,
    )


def seed_shifts(session: Session, property_id: int) -> None:
    existing = set(session.scalars(select(Shift.name).where(Shift.property_id == property_id)))
    for name, starts, ends in DEFAULT_SHIFTS:
        if name not in existing:
            session.add(Shift(property_id=property_id, name=name, starts_at=starts, ends_at=ends))


def staff_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())


def update_shift(
    session: Session,
    who: Who,
    property_id: int,
    name: str,
    starts: time,
    ends: time,
    *,
    version: int | None = None,
) -> bool:
    """Sets a shift's hours; `version` is the one the manager loaded (None: as stored).
    Returns whether it changed them: hours already as asked (someone set the same a moment
    before) are no save, and overwrite nothing."""
    require(who, "manager")
    if starts == ends:
        raise UserError("shifts.error_empty", shift=Term(f"shift.{name}"))
    shift = session.scalar(
        select(Shift).where(Shift.property_id == property_id, Shift.name == name)
    )
    if shift is None:
        raise UserError("briefing.error_shift", shift=name)
    if (shift.starts_at, shift.ends_at) == (starts, ends):
        return False
    hotel = session.get(Property, property_id)
    claim_version(
        session,
        Shift,
        shift.id,
        version,
        entity="shift",
        timezone=hotel.timezone if hotel else "UTC",
        language=who.language if isinstance(who, Actor) else "en",
        key="shifts.error_changed",
    )
    before = {"starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat()}
    shift.starts_at, shift.ends_at = starts, ends
    audit.record(
        session,
        who,
        "shift_updated",
        "shift",
        shift.id,
        before=before,
        after={"starts_at": starts.isoformat(), "ends_at": ends.isoformat()},
        property_id=property_id,
    )
    return True
