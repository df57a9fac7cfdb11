"""The end of a shift: open tasks pass from whoever went home to whoever is at work.

An open task passes when its owner is rostered, is not on shift now, and the task is due
before the owner's next shift starts (a task for tomorrow afternoon stays with the morning
attendant who comes back at 07:00). A task nobody owns, or whose owner's account was closed,
gets an owner as soon as someone of its department is at work. The new owner is told in their
inbox. Each move is one conditional UPDATE ... WHERE owner_id = the old owner, so two copies
of the job never move a task twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.auth import system_actor
from core.clock import to_local
from core.i18n import when_value
from core.job_result import JobResult, said
from core.lib import get_property
from core.models import Staff
from core.notifications import Link, notification_row, notify_many
from core.scheduling import Every, Job, JobContext
from guests.models import Guest, Reservation, Room
from requests.assignment import Assigner
from requests.labels import catalogue_labels, task_label
from requests.models import Request, Task
from requests.states import OPEN


def hand_over_tasks(session: Session, now: datetime, job: JobContext) -> JobResult:
    property_id = job.property_id
    assert property_id is not None
    assigner = Assigner(session, property_id, now)
    at_work = assigner.roster.on_shift(now)
    rows = session.execute(
        select(Task.id, Task.department, Task.owner_id, Task.due_at).where(
            Task.property_id == property_id, Task.status.in_(OPEN)
        )
    ).all()
    owners = {owner for _, _, owner, _ in rows if owner is not None}
    rostered = assigner.rostered(owners)
    next_start: dict[int, datetime | None] = {}
    moves: list[tuple[int, int | None, int]] = []
    kept = 0
    for task_id, department, owner_id, due_at in rows:
        if owner_id is not None and owner_id in assigner.active:
            if owner_id not in rostered or owner_id in at_work:
                continue
            if owner_id not in next_start:
                duty = assigner.roster.next_duty([owner_id], now)
                next_start[owner_id] = duty.starts if duty is not None else None
            back = next_start[owner_id]
            if back is not None and due_at >= back:
                kept += 1
                continue
        new_owner = _at_work(assigner, department, at_work, leaving=owner_id)
        if new_owner is None:
            continue
        moves.append((task_id, owner_id, new_owner))
    moved = []
    tasks = Task.__table__
    for task_id, old, new in moves:
        claimed = session.execute(
            update(tasks)
            .where(
                tasks.c.id == task_id,
                tasks.c.status.in_(OPEN),
                tasks.c.owner_id.is_(None) if old is None else tasks.c.owner_id == old,
            )
            # Not a person's edit: the version stays, so nobody's save of the task is refused.
            .values(owner_id=new, updated_at=tasks.c.updated_at)
        ).rowcount
        if claimed:
            moved.append((task_id, old, new))
    if moved:
        _tell(session, property_id, moved, now)
    return said("jobs.result_handed_over", moved=len(moved), kept=kept)


def _at_work(
    assigner: Assigner, department: str, at_work: dict[int, object], leaving: int | None
) -> int | None:
    """The least loaded of the department at work now (never someone still to come)."""
    members = [m for m in assigner.members.get(department, []) if m != leaving]
    rostered = assigner.rostered(members)
    here = [m for m in members if m in at_work or m not in rostered]
    if not here:
        return None
    chosen = min(here, key=lambda m: (assigner.load.get(m, 0), m))
    assigner.load[chosen] = assigner.load.get(chosen, 0) + 1
    if leaving is not None:
        assigner.load[leaving] = max(assigner.load.get(leaving, 0) - 1, 0)
    return chosen


def _tell(
    session: Session, property_id: int, moved: list[tuple[int, int | None, int]], now: datetime
) -> None:
    hotel = get_property(session, property_id)
    labels = catalogue_labels(session, property_id)
    names = dict(
        session.execute(select(Staff.id, Staff.name).where(Staff.property_id == property_id)).all()
    )
    details = {
        row[0]: row
        for row in session.execute(
            select(
                Task.id,
                Task.kind,
                Task.due_at,
                Request.code,
                Request.quantity,
                Request.at_time,
                Guest.name,
                Room.number,
            )
            .join(Reservation, Reservation.id == Task.reservation_id)
            .join(Guest, Guest.id == Reservation.guest_id)
            .outerjoin(Room, Room.id == Reservation.room_id)
            .outerjoin(Request, Request.id == Task.request_id)
            .where(Task.id.in_([task_id for task_id, _, _ in moved]))
        )
    }
    rows = []
    events = []
    for task_id, old, new in moved:
        _, kind, due_at, code, quantity, at_time, guest, room = details[task_id]
        values = {
            "task": task_label(kind, code, labels, quantity=quantity, at_time=at_time),
            "guest": guest,
            "room": room or "—",
            "due": when_value(to_local(due_at, hotel.timezone)),
            "previous": names.get(old) if old is not None else {"t": "notify.no_owner"},
        }
        rows.append(
            notification_row(
                property_id,
                "notify.task_handed_over",
                values,
                staff_id=new,
                link=Link("tasks", task_id),
                once=f"handover:{task_id}:{new}:{now.isoformat()}",
            )
        )
        events.append(
            {
                "action": "task_handed_over",
                "entity": "task",
                "entity_id": task_id,
                "before": {"owner_id": old},
                "after": {"owner_id": new},
                "property_id": property_id,
            }
        )
    notify_many(session, rows)
    audit.record_many(session, system_actor(property_id, "scheduler"), events)


HANDOVER = Job(  # listed in requests/jobs.py's JOBS
    name="hand_over_tasks",
    title="jobs.handover_title",
    help="jobs.handover_help",
    run=hand_over_tasks,
    schedule=Every(5),
    position=12,
)
