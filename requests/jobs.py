"""Overdue tasks escalate; the list of requests/' jobs and of its outbox's sender.

Escalation has two levels, stored on the task: at the deadline (level 1) the owner, or the
department when nobody owns the task, is told; some time after level 1 actually fired (level 2,
30 minutes by default) the managers are, never in the same run. A level is claimed with one
conditional UPDATE, so two copies of the job, or a run made up after downtime, never notify
twice for the same level. A reopened task starts again at level 0 and, late again, is told
again: a notification's once-key carries the moment its level 1 fired.

At the end of a shift, open tasks whose owner has gone home and that are due before the
owner's next shift pass to whoever of the department is on shift, who is told
(requests/handover.py). The guests' pre-arrival confirmations are requests/guest_jobs.py.
core/startup.py registers JOBS and SENDERS; the reactions to events are requests/listeners.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.auth import system_actor
from core.clock import to_local
from core.i18n import when_value
from core.job_result import JobResult, said
from core.lib import chunks, get_property
from core.models import Staff
from core.notifications import Link, notification_row, notify_many
from core.scheduling import Every, Job, JobContext, Setting
from guests.models import Guest, Reservation, Room
from requests.guest_jobs import CONFIRMATIONS, send_guest_messages
from requests.handover import HANDOVER
from requests.labels import catalogue_labels, task_label
from requests.models import Request, Task
from requests.states import OPEN
from requests.tasks import ROLE_DEPARTMENTS

OWNER_LEVEL = 1
MANAGER_LEVEL = 2
DEPARTMENT_ROLE = {dept: role for role, depts in ROLE_DEPARTMENTS.items() for dept in depts}

def claim_owner_level(session: Session, property_id: int, now: datetime) -> list[int]:
    """Raises every open task due by `now` and not yet escalated to level 1; returns them."""
    tasks = Task.__table__
    raised = session.scalars(
        update(tasks)
        .where(
            tasks.c.property_id == property_id,
            tasks.c.status.in_(OPEN),
            tasks.c.due_at <= now,
            tasks.c.escalation_level < OWNER_LEVEL,
        )
        # Not a person's edit: the version and updated_at stay, so nobody's save is refused.
        .values(escalation_level=OWNER_LEVEL, escalated_at=now, updated_at=tasks.c.updated_at)
        .returning(tasks.c.id)
    )
    return list(raised)


def claim_manager_level(session: Session, property_id: int, fired_by: datetime) -> list[int]:
    """Raises to level 2 the open tasks whose level 1 fired by `fired_by`; returns them."""
    tasks = Task.__table__
    raised = session.scalars(
        update(tasks)
        .where(
            tasks.c.property_id == property_id,
            tasks.c.status.in_(OPEN),
            tasks.c.escalation_level == OWNER_LEVEL,
            tasks.c.escalated_at <= fired_by,
        )
        .values(escalation_level=MANAGER_LEVEL, updated_at=tasks.c.updated_at)
        .returning(tasks.c.id)
    )
    return list(raised)


def escalate_overdue(session: Session, now: datetime, job: JobContext) -> JobResult:
    property_id = job.property_id
    assert property_id is not None
    delay = timedelta(minutes=job.settings["manager_after_minutes"])
    # Managers first, from level 1 as it stood before this run: never both levels in one run.
    to_manager = claim_manager_level(session, property_id, now - delay)
    to_owner = claim_owner_level(session, property_id, now)
    if to_owner or to_manager:
        _notify(session, property_id, to_owner, to_manager)
        audit.record_many(
            session,
            system_actor(property_id, "scheduler"),
            [
                {
                    "action": "task_escalated",
                    "entity": "task",
                    "entity_id": task_id,
                    "after": {"escalation_level": level},
                    "property_id": property_id,
                }
                for level, ids in ((OWNER_LEVEL, to_owner), (MANAGER_LEVEL, to_manager))
                for task_id in ids
            ],
        )
    return said("jobs.result_escalated", owner=len(to_owner), manager=len(to_manager))


def _notify(session: Session, property_id: int, to_owner: list[int], to_manager: list[int]) -> None:
    hotel = get_property(session, property_id)
    labels = catalogue_labels(session, property_id)
    staff = list(
        session.execute(
            select(Staff.id, Staff.name, Staff.department, Staff.active).where(
                Staff.property_id == property_id
            )
        )
    )
    names = {i: name for i, name, _, _ in staff}
    active = {i for i, _, _, is_active in staff if is_active}
    by_department: dict[str, list[int]] = {}
    for i, _, department, is_active in staff:
        if department and is_active:
            by_department.setdefault(department, []).append(i)

    details = {}
    for chunk in chunks(sorted(set(to_owner) | set(to_manager))):
        rows = session.execute(
            select(
                Task.id,
                Task.kind,
                Task.department,
                Task.owner_id,
                Task.due_at,
                Task.escalated_at,
                Request.code,
                Guest.name,
                Room.number,
            )
            .join(Reservation, Reservation.id == Task.reservation_id)
            .join(Guest, Guest.id == Reservation.guest_id)
            .outerjoin(Room, Room.id == Reservation.room_id)
            .outerjoin(Request, Request.id == Task.request_id)
            .where(Task.id.in_(chunk))
        )
        for row in rows:
            details[row[0]] = row

    rows = []
    for level, ids in ((OWNER_LEVEL, to_owner), (MANAGER_LEVEL, to_manager)):
        for task_id in ids:
            _, kind, department, owner_id, due_at, fired_at, code, guest, room = details[task_id]
            values = {
                "task": task_label(kind, code, labels),
                "guest": guest,
                "room": room or "—",
                "due": when_value(to_local(due_at, hotel.timezone)),
                "department": {"t": f"department.{department}"},
                "owner": names.get(owner_id) if owner_id else {"t": "notify.no_owner"},
            }
            # A reopened task late again is a new round: told again.
            once = f"escalation:{task_id}:{level}:{fired_at.isoformat() if fired_at else ''}"
            link = Link("tasks", task_id)
            if level == MANAGER_LEVEL:
                recipients: list[dict[str, Any]] = [{"role": "manager"}]
                key = "notify.task_overdue_manager"
            else:
                recipients = _owner_or_department(owner_id, department, active, by_department)
                key = "notify.task_overdue"
            for recipient in recipients:
                rows.append(
                    notification_row(property_id, key, values, link=link, once=once, **recipient)
                )
    notify_many(session, rows)


def _owner_or_department(
    owner_id: int | None,
    department: str,
    active: set[int],
    by_department: dict[str, list[int]],
) -> list[dict[str, Any]]:
    if owner_id is not None and owner_id in active:
        return [{"staff_id": owner_id}]
    if department in DEPARTMENT_ROLE:
        return [{"role": DEPARTMENT_ROLE[department]}]
    if by_department.get(department):
        return [{"staff_id": i} for i in by_department[department]]
    return [{"role": "manager"}]  # a department nobody works: the managers hear of it


ESCALATION = Job(
    name="escalate_overdue",
    title="jobs.escalate_title",
    help="jobs.escalate_help",
    run=escalate_overdue,
    schedule=Every(5),
    settings=(Setting("manager_after_minutes", 30, "jobs.setting_manager_after_minutes", 1, 1440),),
    position=10,
)


# Registered by core/startup.py, in this order (the order a tick runs them in).
JOBS = (ESCALATION, CONFIRMATIONS, HANDOVER)
SENDERS = (send_guest_messages,)  # the messages to guests, sent after the jobs commit
