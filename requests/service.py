"""Wishes become tasks, and tasks go through their day: the rules of the requests domain.

A reservation's wish text is parsed into requests; each request gives tasks for its department
with a deadline (requests.deadlines). When the reservation changes, the tasks follow; when it
is cancelled, its open tasks are cancelled. A finished task is never reopened by an edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import audit, events
from core.audit import Who
from core.auth import Actor, require
from core.clock import local_to_utc, now
from core.errors import UserError
from core.models import Property, Staff
from guests.models import Reservation
from requests.catalogue import catalogue_entries, seed_catalogue
from requests.catalogue_defaults import CatalogueEntry
from requests.deadlines import Deadline, StayTimes, arrival_moment, deadlines
from requests.models import DepartmentOwner, Request, Task
from requests.wish_parser import parse_wishes

OPEN = ("open", "in_progress")
TRIAGE = "triage"  # the request code of text that no catalogue code explains
TELL_GUEST_BEFORE = timedelta(minutes=60)

# Which roles work which departments' tasks (a manager may work all of them).
ROLE_DEPARTMENTS = {
    "front_desk": ("front_desk", "concierge"),
    "housekeeping": ("housekeeping", "maintenance"),
}


@dataclass
class SyncReport:
    """What a reservation change did to its wishes and tasks, for the import summary and UI."""

    requests_created: int = 0
    requests_cancelled: int = 0
    tasks_created: int = 0
    tasks_cancelled: int = 0
    tasks_moved: int = 0
    done_tasks_kept: list[int] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def add(self, other: SyncReport) -> None:
        self.requests_created += other.requests_created
        self.requests_cancelled += other.requests_cancelled
        self.tasks_created += other.tasks_created
        self.tasks_cancelled += other.tasks_cancelled
        self.tasks_moved += other.tasks_moved
        self.done_tasks_kept += other.done_tasks_kept
        self.conflicts += other.conflicts


@events.subscribe(events.PROPERTY_CREATED)
def _seed_catalogue(session: Session, property_id: int, **_: object) -> None:
    seed_catalogue(session, property_id)


@events.subscribe(events.RESERVATION_SAVED)
def _follow_reservation(session: Session, reservation_id: int, who: Who, **_: object) -> SyncReport:
    return sync_reservation_tasks(session, who, reservation_id)


def _stay(reservation: Reservation, hotel: Property) -> StayTimes:
    return StayTimes(
        arrival_date=reservation.arrival_date,
        departure_date=reservation.departure_date,
        eta=reservation.eta,
        check_in=hotel.check_in_time,
        check_out=hotel.check_out_time,
        timezone=hotel.timezone,
    )


def sync_reservation_tasks(session: Session, who: Who, reservation_id: int) -> SyncReport:
    """Brings a reservation's requests and tasks in line with its wish text, dates and status."""
    report = SyncReport()
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        return report
    hotel = session.get(Property, reservation.property_id)
    assert hotel is not None
    active = list(
        session.scalars(
            select(Request).where(
                Request.reservation_id == reservation.id, Request.status == "active"
            )
        )
    )
    if reservation.status in ("cancelled", "no_show"):
        for request in active:
            _cancel_request(session, who, request, report)
        return report

    catalogue = {entry.code: entry for entry in catalogue_entries(session, hotel.id)}
    parsed = parse_wishes(reservation.wish_text or "", tuple(catalogue.values()), hotel.check_in_time)
    if reservation.eta is None and parsed.eta:
        reservation.eta = time.fromisoformat(parsed.eta)
        audit.record(session, who, "reservation_eta_from_wishes", "reservation", reservation.id,
                     after={"eta": parsed.eta}, property_id=hotel.id)

    by_code = {request.code: request for request in active}
    for wish in parsed.requests:
        entry = catalogue.get(wish.code)
        if entry is None:
            continue
        request = by_code.pop(wish.code, None)
        if request is None:
            _create_request(session, who, reservation, hotel, entry, report,
                            matched=wish.text, quantity=wish.quantity, at=wish.time)
        elif request.source == "parser" and not request.corrected_by_staff:
            if (request.quantity, request.at_time) != (wish.quantity, wish.time):
                if any(t.status == "done" for t in _tasks_of(session, request)):
                    report.done_tasks_kept += [t.id for t in _tasks_of(session, request)
                                               if t.status == "done"]
                request.quantity, request.at_time = wish.quantity, wish.time
            request.matched_text = wish.text
            request.original_text = reservation.wish_text
        elif request.corrected_by_staff:
            report.conflicts.append(wish.code)

    triage = by_code.pop(TRIAGE, None)
    if parsed.needs_triage and triage is None:
        _create_triage(session, who, reservation, hotel, parsed.unmatched, report)
    elif parsed.needs_triage and triage is not None:
        triage.matched_text = parsed.unmatched
    elif triage is not None and triage.source == "parser":
        _cancel_request(session, who, triage, report)

    for request in by_code.values():
        if request.source == "parser" and not request.corrected_by_staff:
            _cancel_request(session, who, request, report)
        elif request.source == "parser":
            report.conflicts.append(request.code)

    _reschedule(session, who, reservation, hotel, catalogue, report)
    return report


def _tasks_of(session: Session, request: Request) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.request_id == request.id)))


def _default_owner(session: Session, property_id: int, department: str) -> int | None:
    return session.scalar(
        select(DepartmentOwner.owner_id).where(
            DepartmentOwner.property_id == property_id, DepartmentOwner.department == department
        )
    )


def _create_request(
    session: Session, who: Who, reservation: Reservation, hotel: Property,
    entry: CatalogueEntry, report: SyncReport, *, matched: str, quantity: int | None,
    at: str | None, source: str = "parser",
) -> Request:
    request = Request(
        property_id=hotel.id,
        reservation_id=reservation.id,
        code=entry.code,
        original_text=reservation.wish_text,
        matched_text=matched,
        quantity=quantity,
        at_time=at,
        sensitive=entry.sensitive,
        source=source,
        captured_by_id=who.id,
    )
    session.add(request)
    session.flush()
    report.requests_created += 1
    audit.record(session, who, "request_created", "request", request.id,
                 after=audit.snapshot(request), property_id=hotel.id)
    for deadline in deadlines(_stay(reservation, hotel), entry.timing, entry.lead_minutes, at):
        _create_task(session, who, reservation, hotel, request, entry.department, deadline,
                     report)
    return request


def _create_task(
    session: Session, who: Who, reservation: Reservation, hotel: Property,
    request: Request | None, department: str, deadline: Deadline, report: SyncReport,
    kind: str = "wish",
) -> Task:
    task = Task(
        property_id=hotel.id,
        reservation_id=reservation.id,
        request_id=request.id if request else None,
        kind=kind,
        department=department,
        owner_id=_default_owner(session, hotel.id, department),
        due_at=deadline.due_at,
        service_date=deadline.service_date.isoformat(),
        status="open",
    )
    session.add(task)
    session.flush()
    report.tasks_created += 1
    audit.record(session, who, "task_created", "task", task.id, after=audit.snapshot(task),
                 property_id=hotel.id)
    return task


def _create_triage(
    session: Session, who: Who, reservation: Reservation, hotel: Property, unmatched: str,
    report: SyncReport,
) -> None:
    """Text nothing explained is read by a person: no wish is ever dropped."""
    request = Request(
        property_id=hotel.id, reservation_id=reservation.id, code=TRIAGE,
        original_text=reservation.wish_text, matched_text=unmatched, source="parser",
        captured_by_id=who.id,
    )
    session.add(request)
    session.flush()
    report.requests_created += 1
    audit.record(session, who, "request_created", "request", request.id,
                 after=audit.snapshot(request), property_id=hotel.id)
    deadline = Deadline(arrival_moment(_stay(reservation, hotel)) - timedelta(hours=24),
                        reservation.arrival_date)
    _create_task(session, who, reservation, hotel, request, "front_desk", deadline, report,
                 kind=TRIAGE)


def _cancel_request(session: Session, who: Who, request: Request, report: SyncReport) -> None:
    request.status = "cancelled"
    report.requests_cancelled += 1
    audit.record(session, who, "request_cancelled", "request", request.id,
                 before={"status": "active"}, after={"status": "cancelled"},
                 property_id=request.property_id)
    for task in _tasks_of(session, request):
        if task.status in OPEN:
            _set_status(session, who, task, "cancelled")
            report.tasks_cancelled += 1
        elif task.status == "done":
            report.done_tasks_kept.append(task.id)


def _reschedule(
    session: Session, who: Who, reservation: Reservation, hotel: Property,
    catalogue: dict[str, CatalogueEntry], report: SyncReport,
) -> None:
    """Moves open deadlines after a change of dates or ETA; daily wishes follow the nights."""
    stay = _stay(reservation, hotel)
    requests_ = session.scalars(
        select(Request).where(Request.reservation_id == reservation.id, Request.status == "active")
    )
    for request in requests_:
        entry = catalogue.get(request.code)
        tasks = [t for t in _tasks_of(session, request) if t.kind in ("wish", TRIAGE)]
        if request.code == TRIAGE:
            wanted = [Deadline(arrival_moment(stay) - timedelta(hours=24), stay.arrival_date)]
            department = "front_desk"
        elif entry is None:
            continue
        else:
            wanted = deadlines(stay, entry.timing, entry.lead_minutes, request.at_time)
            department = entry.department
        by_day = {t.service_date: t for t in tasks if t.status != "cancelled"}
        for deadline in wanted:
            day = deadline.service_date.isoformat()
            task = by_day.pop(day, None)
            if task is None and len(wanted) == 1 and len(by_day) == 1:
                task = by_day.popitem()[1]  # a single-task wish whose date moved
            if task is None:
                _create_task(session, who, reservation, hotel, request, department, deadline,
                             report, kind=TRIAGE if request.code == TRIAGE else "wish")
            elif task.status in OPEN and (task.due_at, task.service_date) != (deadline.due_at, day):
                before = {"due_at": task.due_at.isoformat(), "service_date": task.service_date}
                task.due_at, task.service_date = deadline.due_at, day
                report.tasks_moved += 1
                audit.record(session, who, "task_rescheduled", "task", task.id, before=before,
                             after={"due_at": task.due_at.isoformat(), "service_date": day},
                             property_id=hotel.id)
        for task in by_day.values():  # nights no longer in the stay
            if task.status in OPEN:
                _set_status(session, who, task, "cancelled")
                report.tasks_cancelled += 1


# --- the task lifecycle -------------------------------------------------------------------------

TRANSITIONS = {
    "open": ("in_progress", "done", "not_possible", "cancelled"),
    "in_progress": ("open", "done", "not_possible", "cancelled"),
    "done": ("open",),
    "not_possible": ("open",),
    "cancelled": (),
}


class TaskChanged(UserError):
    """Someone else saved the task since this person loaded it."""

    def __init__(self, by: str, at: str) -> None:
        super().__init__("task.error_changed", by=by, at=at)


def _may_work(who: Who, task: Task) -> None:
    if not isinstance(who, Actor) or who.has("manager") or task.owner_id == who.id:
        return
    departments = {d for role in who.roles for d in ROLE_DEPARTMENTS.get(role, ())}
    if who.department:
        departments.add(who.department)
    if task.department not in departments:
        require(who, "manager")  # raises with the roles in the message


def _locked_task(session: Session, task_id: int, expected_version: int, hotel_tz: str) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise UserError("task.error_not_found")
    if task.version != expected_version:
        raise _changed(session, task, hotel_tz)
    return task


def _changed(session: Session, task: Task, hotel_tz: str) -> TaskChanged:
    editor = session.get(Staff, task.updated_by_id) if task.updated_by_id else None
    at = task.updated_at.astimezone(ZoneInfo(hotel_tz)).strftime("%H:%M")
    return TaskChanged(by=editor.name if editor else "system", at=at)


def _set_status(
    session: Session, who: Who, task: Task, status: str, reason: str | None = None
) -> None:
    before = {"status": task.status, "reason": task.reason}
    task.status = status
    task.reason = reason
    task.updated_by_id = who.id
    if status in ("done", "not_possible"):
        task.completed_by_id, task.completed_at = who.id, now()
    elif status == "open":
        task.completed_by_id, task.completed_at = None, None
    audit.record(session, who, f"task_{status}", "task", task.id, before=before,
                 after={"status": status, "reason": reason}, property_id=task.property_id)


def change_task_status(
    session: Session, who: Who, task_id: int, expected_version: int, status: str,
    reason: str | None = None,
) -> Task:
    """One person's save of a task; a concurrent save by someone else makes this one fail."""
    task = session.get(Task, task_id)
    if task is None:
        raise UserError("task.error_not_found")
    hotel = session.get(Property, task.property_id)
    assert hotel is not None
    _may_work(who, task)
    task = _locked_task(session, task_id, expected_version, hotel.timezone)
    if status not in TRANSITIONS.get(task.status, ()):
        raise UserError("task.error_transition", from_status=task.status, to_status=status)
    if status == "not_possible" and not (reason or "").strip():
        raise UserError("task.error_reason_required")
    _set_status(session, who, task, status, (reason or "").strip() or None)
    if status == "not_possible" and task.kind == "wish":
        _tell_guest(session, who, task, hotel)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise TaskChanged(by="?", at=now().astimezone(ZoneInfo(hotel.timezone)).strftime("%H:%M"))
    return task


def _tell_guest(session: Session, who: Who, task: Task, hotel: Property) -> None:
    """A wish we cannot grant: the front desk tells the guest before they arrive."""
    reservation = session.get(Reservation, task.reservation_id)
    assert reservation is not None
    due = max(arrival_moment(_stay(reservation, hotel)) - TELL_GUEST_BEFORE, now())
    report = SyncReport()
    request = session.get(Request, task.request_id) if task.request_id else None
    _create_task(session, who, reservation, hotel, request, "front_desk",
                 Deadline(due, reservation.arrival_date), report, kind="tell_guest")


def assign_task(
    session: Session, who: Who, task_id: int, expected_version: int, owner_id: int | None
) -> Task:
    require(who, "manager")
    task = session.get(Task, task_id)
    if task is None:
        raise UserError("task.error_not_found")
    hotel = session.get(Property, task.property_id)
    assert hotel is not None
    task = _locked_task(session, task_id, expected_version, hotel.timezone)
    if owner_id is not None:
        owner = session.get(Staff, owner_id)
        if owner is None or owner.property_id != task.property_id or not owner.active:
            raise UserError("staff.error_not_found")
    before = {"owner_id": task.owner_id}
    task.owner_id = owner_id
    task.updated_by_id = who.id
    audit.record(session, who, "task_assigned", "task", task.id, before=before,
                 after={"owner_id": owner_id}, property_id=task.property_id)
    session.flush()
    return task


def set_department_owner(
    session: Session, who: Who, property_id: int, department: str, owner_id: int | None
) -> None:
    require(who, "manager")
    rule = session.scalar(
        select(DepartmentOwner).where(
            DepartmentOwner.property_id == property_id, DepartmentOwner.department == department
        )
    )
    before = {"owner_id": rule.owner_id} if rule else None
    if rule is None:
        rule = DepartmentOwner(property_id=property_id, department=department)
        session.add(rule)
    rule.owner_id = owner_id
    session.flush()
    audit.record(session, who, "department_owner_set", "department_owner", rule.id,
                 before=before, after={"department": department, "owner_id": owner_id},
                 property_id=property_id)


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
    overdue: bool
    reservation_id: int
    confirmation_number: str
    guest_name: str
    room_number: str | None
    quantity: int | None
    at_time: str | None
    sensitive: bool
    detail: str | None  # the guest's words for this wish; None when the viewer may not see them


def sees_health_details(who: Who) -> bool:
    return not isinstance(who, Actor) or who.has("front_desk", "manager")


def tasks_for(
    session: Session,
    who: Who,
    property_id: int,
    *,
    day: date | None = None,
    department: str | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    overdue_only: bool = False,
    timezone: str = "UTC",
) -> list[TaskView]:
    """Tasks sorted by deadline; a day is the property's calendar day."""
    require(who, "reservations", "front_desk", "housekeeping", "manager")
    query = (
        select(Task, Request, Reservation)
        .join(Reservation, Reservation.id == Task.reservation_id)
        .outerjoin(Request, Request.id == Task.request_id)
        .where(Task.property_id == property_id)
    )
    if day is not None:
        start = local_to_utc(day, time(0, 0), timezone)
        end = local_to_utc(day + timedelta(days=1), time(0, 0), timezone)
        query = query.where(Task.due_at >= start, Task.due_at < end)
    if department:
        query = query.where(Task.department == department)
    if status:
        query = query.where(Task.status == status)
    if owner_id is not None:
        query = query.where(Task.owner_id == owner_id)
    moment = now()
    if overdue_only:
        query = query.where(Task.status.in_(OPEN), Task.due_at < moment)
    owners = {s.id: s.name for s in session.scalars(select(Staff).where(Staff.property_id == property_id))}
    health = sees_health_details(who)
    views = []
    for task, request, reservation in session.execute(query.order_by(Task.due_at, Task.id)):
        sensitive = bool(request and request.sensitive)
        views.append(
            TaskView(
                id=task.id, version=task.version, kind=task.kind,
                code=request.code if request else None, department=task.department,
                owner_id=task.owner_id, owner_name=owners.get(task.owner_id),
                due_at=task.due_at, service_date=task.service_date, status=task.status,
                reason=task.reason, overdue=task.status in OPEN and task.due_at < moment,
                reservation_id=reservation.id,
                confirmation_number=reservation.confirmation_number,
                guest_name=reservation.guest.name,
                room_number=reservation.room.number if reservation.room else None,
                quantity=request.quantity if request else None,
                at_time=request.at_time if request else None,
                sensitive=sensitive,
                detail=(request.matched_text if request and (health or not sensitive) else None),
            )
        )
    return views
