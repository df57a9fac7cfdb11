"""The room-readiness checklist: cleaned, inspected, plus what the guests' wishes add.

There is one truth. "Cleaned" and "inspected" are the room's housekeeping status; an item a
wish adds (cot installed, feather-free bedding, champagne placed) is that wish's task: ticking
the item finishes the task, and finishing the task ticks the item. A room is ready when it is
inspected and every wish item is done (or was declared not possible, which the guest is told).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Protocol

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require
from core.errors import UserError
from guests.models import Reservation, Room
from guests.rooms import set_housekeeping_status
from requests.catalogue import catalogue_items
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.booked import AnyReservation

STANDARD_ITEMS = ("cleaned", "inspected")
FINISHED = ("done", "not_possible")
WORKERS = ("housekeeping", "manager")
READERS = ("housekeeping", "front_desk", "manager")


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # "cleaned", "inspected", or "task:<id>" for an item a wish adds
    label_fr: str
    label_en: str
    done: bool
    code: str | None = None  # the wish's catalogue code
    task_id: int | None = None
    task_version: int | None = None
    status: str | None = None  # the wish task's status
    severity: str = "normal"  # "critical": the item of a health wish the guest says is serious

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en

    @property
    def critical(self) -> bool:
        return self.severity == "critical"


@dataclass(frozen=True)
class CriticalWish:
    """A critical health wish of the room's guest, named by its label only: housekeeping learns
    that it matters (no nuts in the room, the wheelchair), never the guest's words."""

    code: str
    label_fr: str
    label_en: str

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en


@dataclass(frozen=True)
class RoomChecklist:
    reservation_id: int
    confirmation_number: str
    guest_name: str
    expected_at: time
    room_id: int | None
    room_number: str | None
    floor: int | None
    housekeeping_status: str | None
    items: tuple[ChecklistItem, ...]
    critical: tuple[CriticalWish, ...] = ()  # shown first, in red

    @property
    def ready(self) -> bool:
        return self.room_id is not None and all(item.done for item in self.items)

    @property
    def open_items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if not item.done)


_STANDARD_LABELS = {
    "cleaned": ("Chambre nettoyée", "Room cleaned"),
    "inspected": ("Chambre contrôlée", "Room inspected"),
}


class _HasStatus(Protocol):
    housekeeping_status: str


def standard_items(room: _HasStatus | None) -> list[ChecklistItem]:
    """Cleaned and inspected: the room's housekeeping status, as two boxes."""
    status = room.housekeeping_status if room else None
    return [
        ChecklistItem(
            "cleaned", *_STANDARD_LABELS["cleaned"], done=status in ("clean", "inspected")
        ),
        ChecklistItem("inspected", *_STANDARD_LABELS["inspected"], done=status == "inspected"),
    ]


def checklists_for(
    session: Session,
    who: Who,
    property_id: int,
    reservations: Sequence[AnyReservation],
    check_in: time,
) -> dict[int, RoomChecklist]:
    """The checklist of each reservation's room, by reservation id."""
    require(who, *READERS)
    if not reservations:
        return {}
    catalogue = catalogue_items(session, property_id, active_only=False)
    items_by_code = {item.code: item.readiness_items for item in catalogue}
    labels = {item.code: (item.label_fr, item.label_en) for item in catalogue}
    ids = [r.id for r in reservations]
    tasks = session.execute(  # rows: a big hotel's board reads every arrival's tasks
        select(
            Task.id, Task.reservation_id, Task.status, Task.version, Request.code, Request.severity
        )
        .join(Request, Request.id == Task.request_id)
        .where(Task.reservation_id.in_(ids), Task.kind == "wish", Task.status != "cancelled")
        .order_by(Task.due_at, Task.id)
    ).all()
    wish_items: dict[int, list[ChecklistItem]] = {i: [] for i in ids}
    critical: dict[int, dict[str, CriticalWish]] = {i: {} for i in ids}
    seen: set[tuple[int, str]] = set()
    for task in tasks:
        code, severity = task.code, task.severity
        if severity == "critical":
            critical[task.reservation_id].setdefault(
                code, CriticalWish(code, *labels.get(code, (code, code)))
            )
        for readiness in items_by_code.get(code, []):
            # A daily wish has a task a night: the room needs its item for the arrival once.
            if (task.reservation_id, readiness["key"]) in seen:
                continue
            seen.add((task.reservation_id, readiness["key"]))
            wish_items[task.reservation_id].append(
                ChecklistItem(
                    key=f"task:{task.id}",
                    label_fr=readiness.get("label_fr", readiness["key"]),
                    label_en=readiness.get("label_en", readiness["key"]),
                    done=task.status in FINISHED,
                    code=code,
                    task_id=task.id,
                    task_version=task.version,
                    status=task.status,
                    severity=severity,
                )
            )
    return {
        r.id: RoomChecklist(
            reservation_id=r.id,
            confirmation_number=r.confirmation_number,
            guest_name=r.guest.name,
            expected_at=r.eta or check_in,
            room_id=r.room_id,
            room_number=r.room.number if r.room else None,
            floor=r.room.floor if r.room else None,
            housekeeping_status=r.room.housekeeping_status if r.room else None,
            items=tuple(  # a critical wish's item first among the wishes'
                standard_items(r.room) + sorted(wish_items[r.id], key=lambda i: not i.critical)
            ),
            critical=tuple(critical[r.id].values()),
        )
        for r in reservations
    }


def arriving_on(property_id: int, day: date) -> tuple[ColumnElement[bool], ...]:
    """Who arrives on `day`: the reservations booked or checked in with that arrival date."""
    return (
        Reservation.property_id == property_id,
        Reservation.arrival_date == day,
        Reservation.status.in_(("booked", "checked_in")),
    )


ARRIVAL_ORDER = (Reservation.eta, Reservation.confirmation_number)


def arrivals_of_day(session: Session, property_id: int, day: date) -> list[Reservation]:
    return list(
        session.scalars(
            select(Reservation).where(*arriving_on(property_id, day)).order_by(*ARRIVAL_ORDER)
        ).unique()
    )


def day_checklists(
    session: Session, who: Who, property_id: int, day: date, check_in: time
) -> list[RoomChecklist]:
    """Every arriving room of the day, by floor and room number; rooms not assigned last."""
    lists = checklists_for(
        session, who, property_id, arrivals_of_day(session, property_id, day), check_in
    )
    return sorted(
        lists.values(),
        key=lambda c: (c.room_id is None, c.floor or 0, c.room_number or "", c.guest_name),
    )


def tick(
    session: Session,
    who: Who,
    property_id: int,
    reservation_id: int,
    key: str,
    done: bool,
    task_version: int | None = None,
) -> None:
    """Ticks or unticks one item; a wish item is its task, so this finishes or reopens it."""
    require(who, *WORKERS)
    reservation = session.get(Reservation, reservation_id)
    if reservation is None or reservation.property_id != property_id:
        raise UserError("reservation.error_not_found")
    if key in STANDARD_ITEMS:
        if reservation.room_id is None:
            raise UserError("readiness.error_no_room")
        tick_room(session, who, property_id, reservation.room_id, key, done)
        return
    if not key.startswith("task:"):
        raise UserError("readiness.error_unknown_item")
    task = session.get(Task, int(key.removeprefix("task:")))
    if task is None or task.reservation_id != reservation_id:
        raise UserError("task.error_not_found")
    if task_version is None:
        task_version = task.version
    if done and task.status not in FINISHED:
        change_task_status(session, who, task.id, task_version, "done", via_checklist=True)
    elif not done and task.status == "done":
        change_task_status(session, who, task.id, task_version, "open", via_checklist=True)


def tick_room(
    session: Session,
    who: Who,
    property_id: int,
    room_id: int,
    key: str,
    done: bool,
    seen_version: int | None = None,
) -> bool:
    """Ticks or unticks "cleaned" or "inspected" on a room: its housekeeping status. Returns
    whether the status changed (False: it already was so, whoever made it so).

    The status rules (inspect after cleaning, the version the person saw) are the room
    service's; here a box becomes a status: cleaned -> clean (unticked: dirty), inspected ->
    inspected (unticked: back to clean). An out-of-order room is not ticked.
    """
    require(who, *WORKERS)
    # Locked (PostgreSQL) before deciding: the box becomes a status from what is stored now.
    room = session.get(Room, room_id, with_for_update=True, populate_existing=True)
    if room is None or room.property_id != property_id:
        raise UserError("room.error_not_found")
    if key not in STANDARD_ITEMS:
        raise UserError("readiness.error_unknown_item")
    current = room.housekeeping_status
    if current == "out_of_order":
        raise UserError("room.error_out_of_order", room=room.number)
    if key == "cleaned":
        if done == (current in ("clean", "inspected")):
            return False  # already so: nothing to save, nobody overwritten
        status = "clean" if done else "dirty"
    else:
        if done == (current == "inspected"):
            return False
        status = "inspected" if done else "clean"
    set_housekeeping_status(session, who, room.id, status, seen_version=seen_version)
    return True
