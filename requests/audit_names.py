"""Names for the audit log's rows that requests/ owns: a task by what it is about, for whom
and in which room; a catalogue wish by its label (see core/audit_text.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit_text import finder, namer
from guests.audit_names import matching_reservations
from guests.models import Guest, Reservation, Room
from requests.jobs import catalogue_labels, task_label
from requests.models import CatalogueItem, Request, Task


def _ids(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


@namer("task")
def task_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    labels = catalogue_labels(session, property_id)
    rows = session.execute(
        select(Task.id, Task.kind, Request.code, Guest.name, Room.number)
        .join(Reservation, Reservation.id == Task.reservation_id)
        .join(Guest, Guest.id == Reservation.guest_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .outerjoin(Request, Request.id == Task.request_id)
        .where(Task.property_id == property_id, Task.id.in_(_ids(ids)))
    )
    return {
        str(i): {"task": task_label(kind, code, labels), "guest": guest, "room": room or "—"}
        for i, kind, code, guest, room in rows
    }


@namer("catalogue_item")
def wish_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(CatalogueItem.id, CatalogueItem.label_fr, CatalogueItem.label_en).where(
            CatalogueItem.property_id == property_id, CatalogueItem.id.in_(_ids(ids))
        )
    )
    return {str(i): {"wish": {"fr": fr, "en": en}} for i, fr, en in rows}


@finder
def task_rows(
    session: Session, property_id: int, guest: str | None, room: str | None
) -> dict[str, set[str]]:
    stays = [r for r, _ in matching_reservations(session, property_id, guest, room)]
    if not stays:
        return {}
    tasks = session.scalars(select(Task.id).where(Task.reservation_id.in_(stays)))
    return {"task": {str(i) for i in tasks}}
