"""Wishes become requests and tasks, and follow the reservation when it changes.

A reservation's wish text is parsed with its property's catalogue; each understood wish is a
request, and each request gives tasks for its department with a deadline (requests.deadlines).
Text nothing explains becomes a front-desk triage request: no wish is ever dropped. When the
reservation changes, open tasks move; when it is cancelled, they are cancelled. A finished task
is never reopened by an edit, and a correction made by staff wins over the parser.

`sync_reservations` does this for many reservations in one pass (an import, the demo): every
lookup is made once and all inserts are flushed together, so thousands of tasks take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from core import audit
from core.audit import Who
from core.auth import require
from core.clock import now
from core.errors import UserError
from core.lib import chunks, get_property, insert_with_ids
from core.models import Property
from guests.models import Reservation
from requests.assignment import Assigner
from requests.catalogue import catalogue_entries
from requests.catalogue_defaults import CatalogueEntry
from requests.deadlines import Deadline, arrival_moment, deadlines, not_born_late
from requests.models import Request, Task
from requests.severity import NORMAL, SEVERITIES
from requests.states import OPEN
from requests.tasks import TRIAGE, record_status, stay_of
from requests.wish_parser import ParseResult, parse_many, parse_wishes

ENDED = ("cancelled", "no_show")  # a reservation whose wishes are no longer followed
TRIAGE_AHEAD = timedelta(hours=24)  # someone reads unclassified text a day before arrival


@dataclass
class SyncReport:
    """What a change did to wishes and tasks, for the import summary and the screens."""

    requests_created: int = 0
    tasks_created: int = 0
    tasks_cancelled: int = 0
    conflicts: list[str] = field(default_factory=list)  # wish codes staff corrected


def sync_reservations(
    session: Session, who: Who, reservation_ids: Sequence[int], created: Sequence[Any] = ()
) -> SyncReport:
    """Brings the reservations' requests and tasks in line with their text, dates and status.

    `created`: these reservations as a bulk creation has just inserted them (with no
    requests yet, guests.reservations.NewReservation), so that they are not read back."""
    batch = _Batch(session, who)
    for chunk in chunks(created or reservation_ids):
        reservations = chunk if created else _with_requests(session, chunk)
        batch.read_wishes(reservations)
        for reservation in reservations:
            batch.sync(reservation)
        batch.flush()
    return batch.report


def _with_requests(session: Session, ids: Sequence[int]) -> list[Reservation]:
    """The reservations, in the order of `ids`, with their requests and tasks loaded. Those
    the session holds already (an import has just created them) are not read again."""
    found: dict[int, Reservation] = {}
    missing: list[int] = []
    for reservation_id in ids:
        held = session.identity_map.get(identity_key(Reservation, reservation_id))
        if held is None:
            missing.append(reservation_id)
        else:
            found[reservation_id] = held
    if missing:
        found.update((r.id, r) for r in session.scalars(
            select(Reservation).where(Reservation.id.in_(missing))
            .options(lazyload(Reservation.requests))  # read below, with the others'
        ).unique())
    unread = {r.id: r for r in found.values() if "requests" not in r.__dict__}
    if unread:
        requests_of: dict[int, list[Request]] = {reservation_id: [] for reservation_id in unread}
        for request in session.scalars(
            select(Request).where(Request.reservation_id.in_(list(unread)))
            .options(selectinload(Request.tasks)).order_by(Request.id)
        ):
            requests_of[request.reservation_id].append(request)
        for reservation_id, reservation in unread.items():
            set_committed_value(reservation, "requests", requests_of[reservation_id])
    return [found[reservation_id] for reservation_id in ids if reservation_id in found]


class _Batch:
    """New requests and tasks are collected as rows and inserted in bulk at `flush`; changes to
    existing ones go through the ORM. Every change is audited, in one statement per flush."""

    def __init__(self, session: Session, who: Who) -> None:
        self.session = session
        self.who = who
        self.report = SyncReport()
        self._hotels: dict[int, Property] = {}
        self._entries: dict[int, tuple[CatalogueEntry, ...]] = {}
        self._by_code: dict[int, dict[str, CatalogueEntry]] = {}
        self._assigners: dict[int, Assigner] = {}
        self._new_requests: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self._new_tasks: list[dict[str, Any]] = []
        self._touched: list[Any] = []  # Reservations, and NewReservations (no ORM state)
        self._etas: list[Any] = []  # reservations not in the session, given an ETA
        self._read: dict[int, ParseResult] = {}  # reservation id -> its wishes, as parsed
        self._audit: list[dict[str, Any]] = []

    # -- lookups, once per property --

    def hotel(self, property_id: int) -> Property:
        if property_id not in self._hotels:
            hotel = self.session.get(Property, property_id)
            assert hotel is not None
            self._hotels[property_id] = hotel
        return self._hotels[property_id]

    def entries(self, property_id: int) -> tuple[CatalogueEntry, ...]:
        """One tuple for the whole batch, so the parser compiles its matcher once."""
        if property_id not in self._entries:
            self._entries[property_id] = catalogue_entries(self.session, property_id)
        return self._entries[property_id]

    def catalogue(self, property_id: int) -> dict[str, CatalogueEntry]:
        if property_id not in self._by_code:
            self._by_code[property_id] = {e.code: e for e in self.entries(property_id)}
        return self._by_code[property_id]

    def read_wishes(self, reservations: Sequence[Any]) -> None:
        """The wishes of these reservations parsed together, one parse_many per hotel (the
        parser's batch path); the parser remembers the texts of the last batches too (an
        import's rows repeat the same few hundred texts)."""
        by_hotel: dict[int, list[Any]] = {}
        for reservation in reservations:
            if reservation.status not in ENDED:  # sync cancels their wishes unread
                by_hotel.setdefault(reservation.property_id, []).append(reservation)
        for property_id, theirs in by_hotel.items():
            hotel = self.hotel(property_id)
            read = parse_many([r.wish_text or "" for r in theirs], self.entries(property_id),
                              hotel.check_in_time)
            self._read.update(zip((r.id for r in theirs), read, strict=True))

    def assigner(self, property_id: int) -> Assigner:
        """The owners' rules, roster and loads, read once per property and pass."""
        if property_id not in self._assigners:
            self._assigners[property_id] = Assigner(self.session, property_id, now())
        return self._assigners[property_id]

    def deadline(
        self, reservation: Reservation, department: str, ideal: Deadline
    ) -> tuple[Deadline, bool]:
        """The ideal deadline, or, when that has passed, creation + the department's handling."""
        moment = now()
        if ideal.due_at >= moment:
            return ideal, False
        arrival = arrival_moment(stay_of(reservation, self.hotel(reservation.property_id)))
        handling = self.assigner(reservation.property_id).handling(department)
        return not_born_late(ideal, moment, handling, arrival)

    def log(self, action: str, entity: str, row_id: int, property_id: int, **change: Any) -> None:
        self._audit.append(
            {
                "action": action,
                "entity": entity,
                "entity_id": row_id,
                "property_id": property_id,
                **change,
            }
        )

    def flush(self) -> None:
        """ORM changes first, then new requests and their tasks in bulk, then the audit events."""
        self.session.flush()
        if self._etas:
            reservations = Reservation.__table__
            self.session.execute(
                update(reservations).where(reservations.c.id == bindparam("row_id"))
                .values(eta=bindparam("new_eta"), version=reservations.c.version + 1,
                        updated_at=now()),
                [{"row_id": r.id, "new_eta": r.eta} for r in self._etas])
        requests_ = [row for row, _ in self._new_requests]
        insert_with_ids(self.session, Request, requests_)
        for row, tasks in self._new_requests:
            for task in tasks:
                task["request_id"] = row["id"]
            self._new_tasks += tasks
        insert_with_ids(self.session, Task, self._new_tasks)
        for entity, rows in (("request", requests_), ("task", self._new_tasks)):
            for row in rows:
                self.log(
                    f"{entity}_created",
                    entity,
                    row["id"],
                    row["property_id"],
                    after=audit.json_safe(row),
                )
        audit.record_many(self.session, self.who, self._audit)
        for reservation in self._touched:  # rows were inserted behind the ORM's back
            if isinstance(reservation, Reservation):
                self.session.expire(reservation, ["requests"])
        self._new_requests, self._new_tasks, self._touched, self._audit = [], [], [], []
        self._etas = []

    # -- one reservation --

    def sync(self, reservation: Reservation) -> None:
        hotel = self.hotel(reservation.property_id)
        active = [r for r in reservation.requests if r.status == "active"]
        if reservation.status in ENDED:
            for request in active:
                self.cancel(request)
            return
        catalogue = self.catalogue(hotel.id)
        parsed = self._read.pop(reservation.id)  # read_wishes read it with the others
        if reservation.eta is None and parsed.eta:
            reservation.eta = time.fromisoformat(parsed.eta)
            if not isinstance(reservation, Reservation):
                self._etas.append(reservation)
            self.log(
                "reservation_eta_from_wishes",
                "reservation",
                reservation.id,
                hotel.id,
                after={"eta": parsed.eta},
            )
        removed_by_staff = {
            r.code for r in reservation.requests if r.status == "cancelled" and r.corrected_by_staff
        }
        by_code = {request.code: request for request in active}
        for wish in parsed.requests:
            entry = catalogue.get(wish.code)
            if entry is None:
                continue
            if wish.code in removed_by_staff:
                self.report.conflicts.append(wish.code)
                continue
            request = by_code.pop(wish.code, None)
            if request is None:
                self.add_request(
                    reservation,
                    entry,
                    matched=wish.text,
                    quantity=wish.quantity,
                    at=wish.time,
                    severity=wish.severity,
                )
                continue
            if request.corrected_by_staff:
                if (request.quantity, request.at_time) != (wish.quantity, wish.time):
                    self.report.conflicts.append(wish.code)
            elif (request.quantity, request.at_time, request.matched_text) != (
                wish.quantity,
                wish.time,
                wish.text,
            ):
                self.log(
                    "request_updated",
                    "request",
                    request.id,
                    hotel.id,
                    before={"quantity": request.quantity, "at_time": request.at_time},
                    after={"quantity": wish.quantity, "at_time": wish.time},
                )
                request.quantity, request.at_time = wish.quantity, wish.time
                request.matched_text = wish.text
            if not request.corrected_by_staff:
                self.follow_severity(request, wish.severity if entry.sensitive else NORMAL)
            if request.original_text != reservation.wish_text:
                request.original_text = reservation.wish_text

        triage = by_code.pop(TRIAGE, None)
        if parsed.needs_triage and triage is None:
            self.add_triage(reservation, parsed.unmatched)
        elif parsed.needs_triage and triage is not None:
            triage.matched_text = parsed.unmatched
            triage.original_text = reservation.wish_text
        elif triage is not None:
            self.cancel(triage)

        for request in by_code.values():
            if not request.corrected_by_staff:  # staff's own additions stay
                self.cancel(request)
        self.reschedule(reservation)

    def add_request(
        self,
        reservation: Reservation,
        entry: CatalogueEntry,
        *,
        matched: str,
        quantity: int | None,
        at: str | None,
        source: str = "parser",
        severity: str = NORMAL,
    ) -> None:
        stay = stay_of(reservation, self.hotel(reservation.property_id))
        tasks = [
            self._task_row(reservation, entry.department, deadline)
            for deadline in deadlines(stay, entry.timing, entry.lead_minutes, at)
        ]
        self._new_request(
            reservation,
            tasks,
            code=entry.code,
            matched_text=matched,
            quantity=quantity,
            at_time=at,
            sensitive=entry.sensitive,
            severity=severity if entry.sensitive else NORMAL,
            source=source,
            corrected_by_staff=source != "parser",
        )

    def follow_severity(self, request: Request, severity: str) -> None:
        """The severity read from the guest's words, audited when it changes."""
        if request.severity != severity:
            self.log(
                "request_severity_changed",
                "request",
                request.id,
                request.property_id,
                before={"severity": request.severity},
                after={"severity": severity},
            )
            request.severity = severity

    def add_triage(self, reservation: Reservation, unmatched: str) -> None:
        """Text nothing explained is read by a person: no wish is ever dropped."""
        tasks = [
            self._task_row(
                reservation, "front_desk", self.triage_deadline(reservation), kind=TRIAGE
            )
        ]
        self._new_request(
            reservation,
            tasks,
            code=TRIAGE,
            matched_text=unmatched,
            quantity=None,
            at_time=None,
            sensitive=False,
            severity=NORMAL,
            source="parser",
            corrected_by_staff=False,
        )

    def _new_request(
        self, reservation: Reservation, tasks: list[dict[str, Any]], **values: Any
    ) -> None:
        row = {
            "property_id": reservation.property_id,
            "reservation_id": reservation.id,
            "original_text": reservation.wish_text,
            "language": None,
            "status": "active",
            "captured_by_id": self.who.id,
            "created_at": now(),
            **values,
        }
        self._new_requests.append((row, tasks))
        self._touched.append(reservation)
        self.report.requests_created += 1

    def triage_deadline(self, reservation: Reservation) -> Deadline:
        stay = stay_of(reservation, self.hotel(reservation.property_id))
        return Deadline(arrival_moment(stay) - TRIAGE_AHEAD, reservation.arrival_date)

    def _task_row(
        self, reservation: Reservation, department: str, deadline: Deadline, kind: str = "wish"
    ) -> dict[str, Any]:
        self.report.tasks_created += 1
        moment = now()
        deadline, booked_late = self.deadline(reservation, department, deadline)
        floor = reservation.room.floor if reservation.room is not None else None
        return {
            "property_id": reservation.property_id,
            "reservation_id": reservation.id,
            "request_id": None,
            "kind": kind,
            "title": "",
            "department": department,
            "owner_id": self.assigner(reservation.property_id).owner(department, floor),
            "due_at": deadline.due_at,
            "service_date": deadline.service_date.isoformat(),
            "status": "open",
            "escalation_level": 0,
            "escalated_at": None,
            "booked_late": booked_late,
            "created_at": moment,
            "updated_at": moment,
            "version": 1,
        }

    def add_task(
        self,
        reservation: Reservation,
        request: Request,
        department: str,
        deadline: Deadline,
        kind: str = "wish",
    ) -> None:
        """A task for a request that already exists (a night added to the stay)."""
        row = self._task_row(reservation, department, deadline, kind)
        row["request_id"] = request.id
        self._new_tasks.append(row)
        self._touched.append(reservation)

    def cancel(self, request: Request) -> None:
        request.status = "cancelled"
        self.log(
            "request_cancelled",
            "request",
            request.id,
            request.property_id,
            before={"status": "active"},
            after={"status": "cancelled"},
        )
        for task in request.tasks:
            if task.status in OPEN:  # a finished task stays as it is
                self.cancel_task(task)

    def cancel_task(self, task: Task) -> None:
        record_status(self.session, self.who, task, "cancelled")
        self.report.tasks_cancelled += 1

    def reschedule(self, reservation: Reservation) -> None:
        """Moves open deadlines to the current dates and ETA; daily wishes follow the nights."""
        hotel = self.hotel(reservation.property_id)
        catalogue = self.catalogue(hotel.id)
        stay = stay_of(reservation, hotel)
        for request in reservation.requests:
            if request.status != "active":
                continue
            entry = catalogue.get(request.code)
            if request.code == TRIAGE:
                wanted, department = [self.triage_deadline(reservation)], "front_desk"
            elif entry is None:
                continue
            else:
                wanted = deadlines(stay, entry.timing, entry.lead_minutes, request.at_time)
                department = entry.department
            tasks = [t for t in request.tasks if t.kind in ("wish", TRIAGE)]
            by_day = {t.service_date: t for t in tasks if t.status != "cancelled"}
            for deadline in wanted:
                day = deadline.service_date.isoformat()
                task = by_day.pop(day, None)
                if task is None and len(wanted) == 1 and len(by_day) == 1:
                    task = by_day.popitem()[1]  # a one-task wish whose date moved
                if task is None:
                    self.add_task(
                        reservation,
                        request,
                        department,
                        deadline,
                        kind=TRIAGE if request.code == TRIAGE else "wish",
                    )
                elif task.status in OPEN:
                    self.move_deadline(reservation, task, department, deadline)
            for task in by_day.values():  # nights no longer in the stay
                if task.status in OPEN:
                    self.cancel_task(task)

    def move_deadline(
        self, reservation: Reservation, task: Task, department: str, ideal: Deadline
    ) -> None:
        """An open task follows the reservation's new dates, never into the past.

        A task booked late keeps its deadline while the ideal one stays past; a task already
        late stays late (an earlier ideal only makes it later); a task not yet late whose ideal
        deadline moved into the past is booked late from now.
        """
        day = ideal.service_date.isoformat()
        moment = now()
        booked_late = False
        if ideal.due_at >= moment:
            wanted = ideal
        elif task.booked_late and task.due_at >= moment:
            wanted = Deadline(task.due_at, ideal.service_date)
            booked_late = True
        elif task.due_at < moment:
            wanted = (
                ideal if ideal.due_at < task.due_at else Deadline(task.due_at, ideal.service_date)
            )
            booked_late = task.booked_late
        else:
            wanted, booked_late = self.deadline(reservation, department, ideal)
        if (task.due_at, task.service_date, task.booked_late) == (wanted.due_at, day, booked_late):
            return
        self.log(
            "task_rescheduled",
            "task",
            task.id,
            task.property_id,
            before={"due_at": task.due_at.isoformat(), "service_date": task.service_date},
            after={"due_at": wanted.due_at.isoformat(), "service_date": day},
        )
        if wanted.due_at > task.due_at:
            task.escalation_level, task.escalated_at = 0, None  # later: not late any more
        task.due_at, task.service_date, task.booked_late = wanted.due_at, day, booked_late


def preview_wishes(session: Session, property_id: int, text: str) -> ParseResult:
    """What the parser understands of a text with this property's catalogue; writes nothing."""
    hotel = get_property(session, property_id)
    return parse_wishes(text, catalogue_entries(session, property_id), hotel.check_in_time)


@dataclass(frozen=True)
class WishChoice:
    code: str
    quantity: int | None = None
    at: str | None = None
    severity: str | None = None  # staff's "critical" / "normal" for a health wish; None keeps it


def correct_wishes(
    session: Session, who: Who, reservation_id: int, chosen: Sequence[WishChoice]
) -> SyncReport:
    """The agent's correction of what was understood: from now on it wins over the parser."""
    require(who, "reservations", "front_desk", "manager")
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise UserError("reservation.error_not_found")
    batch = _Batch(session, who)
    catalogue = batch.catalogue(reservation.property_id)
    active = {r.code: r for r in reservation.requests if r.status == "active"}
    wanted = {choice.code: choice for choice in chosen if choice.code in catalogue}
    for code, request in active.items():
        if code != TRIAGE and code not in wanted:
            request.corrected_by_staff = True
            batch.cancel(request)
    for code, choice in wanted.items():
        request = active.get(code)
        if request is None:
            batch.add_request(
                reservation,
                catalogue[code],
                matched="",
                quantity=choice.quantity,
                at=choice.at,
                source="catalogue",
                severity=choice.severity or NORMAL,
            )
            continue
        if choice.severity is not None and choice.severity != request.severity:
            if choice.severity not in SEVERITIES:
                raise UserError("request.error_severity")
            batch.log(
                "request_severity_corrected",
                "request",
                request.id,
                reservation.property_id,
                before={"severity": request.severity},
                after={"severity": choice.severity},
            )
            request.severity = choice.severity
            request.corrected_by_staff = True
        if (request.quantity, request.at_time) != (choice.quantity, choice.at):
            batch.log(
                "request_corrected",
                "request",
                request.id,
                reservation.property_id,
                before={"quantity": request.quantity, "at_time": request.at_time},
                after={"quantity": choice.quantity, "at_time": choice.at},
            )
            request.quantity, request.at_time = choice.quantity, choice.at
            request.corrected_by_staff = True
    batch.reschedule(reservation)
    batch.flush()
    return batch.report


def active_wishes(session: Session, reservation_id: int) -> list[Request]:
    return list(
        session.scalars(
            select(Request)
            .where(Request.reservation_id == reservation_id, Request.status == "active")
            .order_by(Request.id)
        )
    )


def earlier_wishes(session: Session, guest_id: int, reservation_id: int | None = None) -> list[str]:
    """Codes a returning guest asked for on earlier stays, to offer them again."""
    query = (
        select(Request.code)
        .join(Reservation, Reservation.id == Request.reservation_id)
        .where(Reservation.guest_id == guest_id, Request.code != TRIAGE)
        .distinct()
    )
    if reservation_id is not None:
        query = query.where(Reservation.id != reservation_id)
    return sorted(session.scalars(query))
