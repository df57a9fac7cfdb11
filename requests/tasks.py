"""Tasks through their day: open -> in progress -> done, or not possible with a reason.

Every change records who and when and is audited. Saves are optimistic: a person saves the
version they saw, and if someone else saved in between they are told who and when.
How wishes become tasks is requests.wishes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import audit, inbox_lines
from core.audit import Who
from core.auth import Actor, require
from core.clock import local_to_utc, now
from core.errors import UserError
from core.i18n import format_clock, reader_language
from core.lib import get_property
from core.models import Property, Staff
from core.versions import Changed, latest_change, what_changed
from guests.models import Guest, Reservation, Room
from requests.assignment import Assigner, department_rules
from requests.catalogue_defaults import DEPARTMENTS
from requests.deadlines import Deadline, StayTimes, arrival_moment, not_born_late
from requests.models import (
    ASSIGNMENT_RULES,
    DEFAULT_HANDLING_MINUTES,
    DepartmentOwner,
    Request,
    Task,
)
from requests.states import FINISHED, OPEN, TRANSITIONS, is_late, late_clause

TRIAGE = "triage"  # the request code of text that no catalogue code explains
TELL_GUEST_BEFORE = timedelta(minutes=60)
# How far ahead a day's board also shows open work, whatever its date: late in the evening the
# next task may fall after midnight, and an open task of an earlier day is still to be done.
SOON = timedelta(hours=2)

# Which roles work which departments' tasks (a manager may work all of them).
ROLE_DEPARTMENTS = {
    "front_desk": ("front_desk", "concierge"),
    "housekeeping": ("housekeeping", "maintenance"),
}


def stay_of(reservation: Reservation, hotel: Property) -> StayTimes:
    return StayTimes(
        arrival_date=reservation.arrival_date,
        departure_date=reservation.departure_date,
        eta=reservation.eta,
        check_in=hotel.check_in_time,
        check_out=hotel.check_out_time,
        timezone=hotel.timezone,
    )


# --- the task lifecycle -------------------------------------------------------------------------


class TaskChanged(Changed):
    """Someone else saved the task since this person loaded it."""

    def __init__(self, by: str, at: str, what: str = "") -> None:
        super().__init__("task.error_changed", by=by, at=at, what=what)


def _may_work(who: Who, task: Task) -> None:
    if not isinstance(who, Actor) or who.has("manager") or task.owner_id == who.id:
        return
    if task.department not in visible_departments(who):
        require(who, "manager")  # raises with the roles in the message


def _locked_task(
    session: Session, task_id: int, expected_version: int, hotel_tz: str, language: str = "en"
) -> Task:
    """The task, locked for this transaction and read afresh. On PostgreSQL a concurrent save
    waits here until the other commits, then sees its version: the loser is always told who
    and when, never shown a generic error (SQLite runs write transactions one at a time)."""
    task = session.scalars(
        select(Task)
        .where(Task.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if task is None:
        raise UserError("task.error_not_found")
    if task.version != expected_version:
        raise _changed(session, task, hotel_tz, language)
    return task


def _language(who: Who) -> str:
    return who.language if isinstance(who, Actor) else "en"


def _changed(session: Session, task: Task, hotel_tz: str, language: str = "en") -> TaskChanged:
    editor = session.get(Staff, task.updated_by_id) if task.updated_by_id else None
    at = format_clock(task.updated_at.astimezone(ZoneInfo(hotel_tz)), language)
    event = latest_change(session, "task", task.id)
    what = what_changed(event, language) if event else ""
    return TaskChanged(by=editor.name if editor else "system", at=at, what=what)


def record_status(
    session: Session, who: Who, task: Task, status: str, reason: str | None = None
) -> None:
    """Sets a task's status with who and when, and audits it; callers check the rules."""
    before = {"status": task.status, "reason": task.reason}
    task.status = status
    task.reason = reason
    task.updated_by_id = who.id
    if status in ("done", "not_possible"):
        task.completed_by_id, task.completed_at = who.id, now()
    elif status == "open":
        task.completed_by_id, task.completed_at = None, None
        # Reopened: late again only from now on, and then escalated and told again.
        task.escalation_level, task.escalated_at = 0, None
    audit.record(
        session,
        who,
        f"task_{status}",
        "task",
        task.id,
        before=before,
        after={"status": status, "reason": reason},
        property_id=task.property_id,
    )


def change_task_status(
    session: Session,
    who: Who,
    task_id: int,
    expected_version: int,
    status: str,
    reason: str | None = None,
    *,
    via_checklist: bool = False,
    alternative: str | None = None,
) -> Task:
    """One person's save of a task; a concurrent save by someone else makes this one fail.

    via_checklist: housekeeping ticks a room item that a wish added, whatever department owns
    the wish's task (the item is placed in the room by housekeeping).
    """
    task = session.get(Task, task_id)
    if task is None:
        raise UserError("task.error_not_found")
    hotel = get_property(session, task.property_id)
    if via_checklist:
        require(who, "housekeeping", "manager")
    else:
        _may_work(who, task)
    task = _locked_task(session, task_id, expected_version, hotel.timezone, _language(who))
    if status not in TRANSITIONS.get(task.status, ()):
        raise UserError("task.error_transition", from_status=task.status, to_status=status)
    if status == "not_possible" and not (reason or "").strip():
        raise UserError("task.error_reason_required")
    was = task.status
    record_status(session, who, task, status, (reason or "").strip() or None)
    task.alternative = (alternative or "").strip() or None if status == "not_possible" else None
    if status == "not_possible" and task.kind == "wish":
        _tell_guest(session, who, task, hotel)
    try:
        session.flush()
    except StaleDataError as lost:
        # Someone saved between our read and our write (PostgreSQL's READ COMMITTED).
        at = format_clock(now().astimezone(ZoneInfo(hotel.timezone)), reader_language(who))
        raise TaskChanged(by="?", at=at) from lost
    if was == "not_possible" and task.kind == "wish":  # reopened: not "not possible" any more
        _nothing_to_tell(session, who, task)
    return task


def _nothing_to_tell(session: Session, who: Who, task: Task) -> None:
    """A refused wish reopened: the front desk no longer tells the guest it is not possible,
    and its e-mail still waiting does not go."""
    from requests.guest_outbox import withdraw_untrue_refusals

    for tell in session.scalars(
        select(Task).where(
            Task.reservation_id == task.reservation_id,
            Task.request_id == task.request_id,
            Task.kind == "tell_guest",
            Task.status.in_(OPEN),
        )
    ):
        record_status(session, who, tell, "cancelled")
    withdraw_untrue_refusals(session, task.reservation_id)


def _tell_guest(session: Session, who: Who, task: Task, hotel: Property) -> None:
    """A wish we cannot grant: the front desk tells the guest before they arrive."""
    reservation = session.get(Reservation, task.reservation_id)
    assert reservation is not None
    arrival = arrival_moment(stay_of(reservation, hotel))
    assigner = Assigner(session, hotel.id)
    ideal = Deadline(arrival - TELL_GUEST_BEFORE, reservation.arrival_date)
    deadline, booked_late = not_born_late(ideal, now(), assigner.handling("front_desk"), arrival)
    floor = reservation.room.floor if reservation.room is not None else None
    tell = Task(
        property_id=hotel.id,
        reservation_id=reservation.id,
        request_id=task.request_id,
        kind="tell_guest",
        department="front_desk",
        owner_id=assigner.owner("front_desk", floor),
        due_at=deadline.due_at,
        booked_late=booked_late,
        service_date=reservation.arrival_date.isoformat(),
        status="open",
    )
    session.add(tell)
    session.flush()
    audit.record(
        session,
        who,
        "task_created",
        "task",
        tell.id,
        after=audit.snapshot(tell),
        property_id=hotel.id,
    )
    from requests.guest_outbox import tell_guest_not_possible  # it reads this module's rules

    tell_guest_not_possible(session, who, task, tell, hotel)


def assign_task(
    session: Session, who: Who, task_id: int, expected_version: int, owner_id: int | None
) -> Task:
    require(who, "manager")
    task = session.get(Task, task_id)
    if task is None:
        raise UserError("task.error_not_found")
    hotel = get_property(session, task.property_id)
    task = _locked_task(session, task_id, expected_version, hotel.timezone, _language(who))
    if owner_id is not None:
        owner = session.get(Staff, owner_id)
        if owner is None or owner.property_id != task.property_id or not owner.active:
            raise UserError("staff.error_not_found")
    before = {"owner_id": task.owner_id}
    task.owner_id = owner_id
    task.updated_by_id = who.id
    audit.record(
        session,
        who,
        "task_assigned",
        "task",
        task.id,
        before=before,
        after={"owner_id": owner_id},
        property_id=task.property_id,
    )
    session.flush()
    return task


def set_department_owner(
    session: Session, who: Who, property_id: int, department: str, owner_id: int | None
) -> None:
    """A named owner for the department's new tasks; None: whoever is on shift."""
    set_department_rule(
        session, who, property_id, department, "person" if owner_id else "on_shift", owner_id
    )


def set_department_rule(
    session: Session,
    who: Who,
    property_id: int,
    department: str,
    rule: str,
    owner_id: int | None = None,
    handling_minutes: int | None = None,
) -> None:
    """The manager's choice of who owns a department's new tasks, and its handling time."""
    require(who, "manager")
    if department not in DEPARTMENTS:
        raise UserError("catalogue.error_department")
    if rule not in ASSIGNMENT_RULES or (rule == "sections" and department != "housekeeping"):
        raise UserError("owners.error_rule", rule=rule)
    if rule == "person":
        owner = session.get(Staff, owner_id) if owner_id is not None else None
        if owner is None or owner.property_id != property_id or not owner.active:
            raise UserError("owners.error_person_required")
    else:
        owner_id = None
    if handling_minutes is not None and not 1 <= handling_minutes <= 24 * 60:
        raise UserError("owners.error_handling", low=1, high=24 * 60)
    row = session.scalar(
        select(DepartmentOwner).where(
            DepartmentOwner.property_id == property_id, DepartmentOwner.department == department
        )
    )
    before = (
        {"rule": row.rule, "owner_id": row.owner_id, "handling_minutes": row.handling_minutes}
        if row
        else None
    )
    if row is None:
        row = DepartmentOwner(
            property_id=property_id,
            department=department,
            handling_minutes=DEFAULT_HANDLING_MINUTES,
        )
        session.add(row)
    after = {
        "rule": rule,
        "owner_id": owner_id,
        "handling_minutes": handling_minutes
        if handling_minutes is not None
        else row.handling_minutes,
    }
    if before == after:
        return
    row.rule, row.owner_id, row.handling_minutes = (
        after["rule"],
        after["owner_id"],
        after["handling_minutes"],
    )
    session.flush()
    audit.record(
        session,
        who,
        "department_rule_set",
        "department_owner",
        row.id,
        before=before,
        after={"department": department, **after},
        property_id=property_id,
    )


def department_owner_rules(session: Session, property_id: int) -> dict[str, int | None]:
    """The named owner of each department whose rule names one."""
    return {
        d: rule.owner_id
        for d, rule in department_rules(session, property_id).items()
        if rule.rule == "person"
    }


def visible_departments(who: Who) -> list[str]:
    """The departments whose boards a person sees: a manager all, others their roles' own."""
    if not isinstance(who, Actor) or who.has("manager"):
        return list(DEPARTMENTS)
    departments = {d for role in who.roles for d in ROLE_DEPARTMENTS.get(role, ())}
    if who.department:
        departments.add(who.department)
    return sorted(departments)


def late_task_count(
    session: Session,
    property_id: int,
    *,
    departments: Collection[str] | None = None,
    owner_id: int | None = None,
) -> int:
    """How many tasks are late now: the one count the dashboard, the board and the inbox show."""
    query = (
        select(func.count())
        .select_from(Task)
        .where(Task.property_id == property_id, late_clause(now()))
    )
    if departments is not None and owner_id is not None:
        query = query.where(or_(Task.department.in_(list(departments)), Task.owner_id == owner_id))
    elif departments is not None:
        query = query.where(Task.department.in_(list(departments)))
    elif owner_id is not None:
        query = query.where(Task.owner_id == owner_id)
    return session.scalar(query) or 0


@inbox_lines.register
def _late_tasks_line(session: Session, reader: Actor) -> list[tuple[str, dict[str, int]]]:
    """The inbox's late line: the task board's "all my departments" count, for this reader."""
    if reader.has("manager"):
        count = late_task_count(session, reader.property_id)
    else:
        count = late_task_count(
            session, reader.property_id, departments=visible_departments(reader), owner_id=reader.id
        )
    return [("inbox.late_tasks", {"count": count})] if count else []


@dataclass(frozen=True)
class PromisesKept:
    kept: int
    finished: int

    def shown(self) -> str:
        return f"{self.kept}/{self.finished}" if self.finished else "—"


def promises_kept(
    session: Session, who: Who, property_id: int, day: date, timezone: str
) -> PromisesKept:
    """Of the wishes due in the seven days up to tonight that were finished, how many were done."""
    require(who, "manager")
    start = local_to_utc(day - timedelta(days=7), time(0), timezone)
    end = local_to_utc(day + timedelta(days=1), time(0), timezone)
    rows = session.execute(
        select(Task.status, func.count())
        .where(
            Task.property_id == property_id,
            Task.kind == "wish",
            Task.status.in_(FINISHED),
            Task.due_at >= start,
            Task.due_at < end,
        )
        .group_by(Task.status)
    ).all()
    counts = dict(rows)
    return PromisesKept(kept=counts.get("done", 0), finished=sum(counts.values()))


# --- reading tasks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskView:
    id: int
    version: int
    kind: str
    code: str | None
    department: str
    owner_id: int | None
    owner_name: str | None
    due_at: datetime
    service_date: str | None
    status: str
    reason: str | None
    overdue: bool  # late now (requests.states.is_late)
    booked_late: bool  # created after its ideal deadline: due at creation + handling time
    reservation_id: int
    confirmation_number: str
    guest_name: str
    room_number: str | None
    quantity: int | None
    at_time: str | None
    sensitive: bool
    detail: str | None  # the guest's words for this wish; None when the viewer may not see them
    title: str = ""  # set for a call to the guest: who and the phone number
    alternative: str | None = None  # what staff proposed when not possible
    severity: str = "normal"  # "critical": a health wish the guest says can hurt them


def sees_health_details(who: Who) -> bool:
    return not isinstance(who, Actor) or who.has("front_desk", "manager")


def tasks_for(
    session: Session,
    who: Who,
    property_id: int,
    *,
    offset: int = 0,
    limit: int | None = None,
    **filters: Any,
) -> list[TaskView]:
    """Tasks sorted by deadline, chosen by `_task_filters`' keywords (a day, a department,
    `or_late`...); `offset` and `limit`: one page of them (the board's), counted by
    `count_tasks` with the same filters."""
    require(who, "reservations", "front_desk", "housekeeping", "manager")
    moment = now()
    # Columns, not entities: a big hotel's board reads hundreds of tasks on every rerun, and
    # building (and identity-mapping) five ORM objects a row was most of the page's time.
    query = (
        _joined(select(*_VIEW_COLUMNS))
        .outerjoin(Room, Room.id == Reservation.room_id)
        .outerjoin(Request, Request.id == Task.request_id)
        .where(*_task_filters(property_id, moment, **filters))
        .order_by(Task.due_at, Task.id)
        .offset(offset)
        .limit(limit)
    )
    owners = dict(
        session.execute(select(Staff.id, Staff.name).where(Staff.property_id == property_id)).all()
    )
    health = sees_health_details(who)
    return [_view(row, owners, health, moment) for row in session.execute(query)]


def count_tasks(session: Session, who: Who, property_id: int, **filters: Any) -> int:
    """How many tasks `tasks_for` with these filters reads (without offset and limit)."""
    require(who, "reservations", "front_desk", "housekeeping", "manager")
    query = _joined(select(func.count()).select_from(Task)).where(
        *_task_filters(property_id, now(), **filters)
    )
    return session.scalar(query) or 0


def _joined(query: Select) -> Select:
    """The joins every read of tasks makes (a task always has its reservation and guest)."""
    return query.join(Reservation, Reservation.id == Task.reservation_id).join(
        Guest, Guest.id == Reservation.guest_id
    )


def _task_filters(
    property_id: int,
    moment: datetime,
    *,
    day: date | None = None,
    department: str | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    overdue_only: bool = False,
    reservation_ids: Collection[int] | None = None,
    due_from: datetime | None = None,
    due_before: datetime | None = None,
    timezone: str = "UTC",
    or_late: bool = False,
    or_soon: bool = False,
    visible_to: tuple[Collection[str], int] | None = None,
    hide_cancelled: bool = False,
) -> list[ColumnElement[bool]]:
    """tasks_for's filters, shared with count_tasks so that a count is of the same tasks. A day
    is the property's calendar day; `or_late`: the day's tasks and every late one, of any day
    (the dashboard's two lists in one query); `or_soon`: those and every open task due within
    `SOON` (the board at 23:50 shows the cot due at 00:20); `visible_to` (departments, staff
    id): those departments' tasks and that person's own."""
    where: list[ColumnElement[bool]] = [Task.property_id == property_id]
    if day is not None:
        start = local_to_utc(day, time(0, 0), timezone)
        end = local_to_utc(day + timedelta(days=1), time(0, 0), timezone)
        in_day = and_(Task.due_at >= start, Task.due_at < end)
        if or_soon:
            in_day = or_(in_day, late_clause(moment + SOON))
        where.append(or_(in_day, late_clause(moment)) if or_late else in_day)
    if department:
        where.append(Task.department == department)
    if status:
        where.append(Task.status == status)
    if owner_id is not None:
        where.append(Task.owner_id == owner_id)
    if reservation_ids is not None:
        where.append(Task.reservation_id.in_(list(reservation_ids)))
    if due_from is not None:
        where.append(Task.due_at >= due_from)
    if due_before is not None:
        where.append(Task.due_at < due_before)
    if overdue_only:
        where.append(late_clause(moment))
    if visible_to is not None:
        departments, staff_id = visible_to
        where.append(or_(Task.department.in_(list(departments)), Task.owner_id == staff_id))
    if hide_cancelled:
        where.append(Task.status != "cancelled")
    return where


_VIEW_COLUMNS = (
    Task.id,
    Task.version,
    Task.kind,
    Task.department,
    Task.owner_id,
    Task.due_at,
    Task.service_date,
    Task.status,
    Task.reason,
    Task.booked_late,
    Task.title,
    Task.alternative,
    Reservation.id.label("reservation_id"),
    Reservation.confirmation_number,
    Guest.name.label("guest_name"),
    Room.number.label("room_number"),
    Request.id.label("request_id"),
    Request.code,
    Request.quantity,
    Request.at_time,
    Request.sensitive,
    Request.matched_text,
    Request.severity,
)


def _view(row: Row, owners: dict[int, str], health: bool, moment: datetime) -> TaskView:
    # Unpacked in _VIEW_COLUMNS' order: a Row's attributes cost a microsecond each (measured).
    (
        task_id,
        version,
        kind,
        department,
        owner_id,
        due_at,
        service_date,
        status,
        reason,
        booked_late,
        title,
        alternative,
        reservation_id,
        confirmation_number,
        guest_name,
        room_number,
        request_id,
        code,
        quantity,
        at_time,
        sensitive,
        matched_text,
        severity,
    ) = row
    wish = request_id is not None
    sensitive = bool(wish and sensitive)
    return TaskView(
        id=task_id,
        version=version,
        kind=kind,
        code=code if wish else None,
        department=department,
        owner_id=owner_id,
        owner_name=owners.get(owner_id),
        due_at=due_at,
        service_date=service_date,
        status=status,
        reason=reason,
        overdue=is_late(status, due_at, moment),
        booked_late=booked_late,
        reservation_id=reservation_id,
        confirmation_number=confirmation_number,
        guest_name=guest_name,
        room_number=room_number,
        quantity=quantity if wish else None,
        at_time=at_time if wish else None,
        sensitive=sensitive,
        detail=matched_text if wish and (health or not sensitive) else None,
        title=title,
        alternative=alternative,
        severity=severity if wish else "normal",
    )
