"""Promises kept, measured: for each wish of the guests who arrived, was it ready before they
walked in, were they told before they came when it was not possible, or was it broken.

A wish counts in the week of its guest's arrival, once the guest has arrived (checked in, or
their expected time has passed). Its first task decides: done before the arrival moment is
"fulfilled"; not possible with the guest told (the front desk's task done, or the e-mail
about that wish sent) before that moment is "told"; anything else is "broken". The guest's own
verdict (yes) gives "confirmed". Read for managers only; the numbers carry no names.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Time, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require
from core.clock import now, to_local
from core.i18n import when_value
from core.lib import get_property
from core.models import Property
from core.notifications import Link, notify
from guests.guest_models import GuestMessage
from guests.models import Guest, Reservation
from requests.catalogue import catalogue_items
from requests.guest_models import GuestVerdict
from requests.guest_outbox import not_possible_state
from requests.guest_view import guest_moment
from requests.models import Request, Task
from requests.tasks import TRIAGE

WEEKS = 12
OUTCOMES = ("fulfilled", "told", "broken")


@dataclass(frozen=True)
class WishOutcome:
    reservation_id: int
    guest_name: str
    code: str
    department: str
    week: date  # the Monday of the arrival's week
    arrived_at: datetime
    outcome: str  # fulfilled, told, broken
    reason: str | None
    confirmed: bool | None  # the guest's verdict, None when they did not answer
    hours_to_fulfil: float | None  # from booking to the task done


@dataclass(frozen=True)
class PromiseRow:
    """One line of the table: a week, a department or a catalogue code."""

    key: str
    wishes: int
    fulfilled: float  # shares, 0..1
    told: float
    broken: float
    confirmed: float
    answered: int
    median_hours: float | None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def wish_outcomes(session: Session, hotel: Property, first: date, last: date) -> list[WishOutcome]:
    """Every wish of the guests who arrived between `first` and `last` (local days)."""
    moment = now()
    # Columns, not entities: twelve weeks of a big hotel are thousands of wishes, and building
    # their ORM objects was most of the dashboard's promises section. The guests who cannot
    # have arrived yet are left out in SQL (this week's later days, today's later hours): the
    # exact test (checked in, or expected by now) is below, on what this reads.
    rows = session.execute(
        select(
            Request.id.label("request_id"),
            Request.code,
            Task.status,
            Task.completed_at,
            Task.department,
            Task.reason,
            Task.id.label("task_id"),
            Task.alternative,
            Reservation.id.label("reservation_id"),
            Reservation.arrival_date,
            Reservation.eta,
            Reservation.checked_in_at,
            Reservation.created_at,
            Guest.name.label("guest_name"),
        )
        .join(Task, Task.request_id == Request.id)
        .join(Reservation, Reservation.id == Request.reservation_id)
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(
            Request.property_id == hotel.id,
            Request.status == "active",
            Request.code != TRIAGE,
            Task.kind == "wish",
            Task.status != "cancelled",
            Reservation.arrival_date >= first,
            Reservation.arrival_date <= last,
            Reservation.status.in_(("booked", "checked_in", "checked_out")),
            _may_have_arrived(hotel, moment),
        )
        .order_by(Request.id, Task.due_at, Task.id)
    )
    first_task: dict[int, Row] = {}  # a wish's first task decides
    for row in rows:
        first_task.setdefault(row.request_id, row)
    # Only the guests who have arrived count (nothing kept or broken so far for the others):
    # what was told, mailed and answered is read for them alone.
    arrivals: dict[int, datetime] = {}  # reservation id -> when the guest arrived (once each)
    decided: list[tuple[Row, datetime]] = []
    for row in first_task.values():
        reservation_id, checked_in_at = row[8], row[11]  # the query's order
        arrived = arrivals.get(reservation_id)
        if arrived is None:
            arrived = arrivals[reservation_id] = checked_in_at or guest_moment(row, hotel)
        if arrived <= moment:
            decided.append((row, arrived))
    if not decided:
        return []
    reservation_ids = {row[8] for row, _ in decided}
    told: dict[int, datetime] = {}  # request id -> when the guest was told
    for task in session.scalars(
        select(Task).where(
            Task.reservation_id.in_(reservation_ids),
            Task.kind == "tell_guest",
            Task.status == "done",
        )
    ):
        if task.request_id is not None and task.completed_at is not None:
            told[task.request_id] = min(
                task.completed_at, told.get(task.request_id, task.completed_at)
            )
    mailed: dict[str, datetime] = {}  # the state of a "not possible" e-mail -> when it went
    for message in session.scalars(
        select(GuestMessage).where(
            GuestMessage.reservation_id.in_(reservation_ids),
            GuestMessage.kind == "not_possible",
            GuestMessage.sent_at.is_not(None),
        )
    ):
        assert message.sent_at is not None
        mailed[message.state] = min(message.sent_at, mailed.get(message.state, message.sent_at))
    verdicts = {
        v.request_id: v.ready
        for v in session.scalars(
            select(GuestVerdict).where(
                GuestVerdict.reservation_id.in_(reservation_ids),
                GuestVerdict.request_id.is_not(None),
            )
        )
    }
    departments = {
        item.code: item.department for item in catalogue_items(session, hotel.id, active_only=False)
    }
    outcomes = []
    for row, arrived in decided:
        # Unpacked in the query's order: a Row's attributes cost a microsecond each (measured).
        (
            request_id,
            code,
            status,
            completed_at,
            department,
            reason,
            task_id,
            alternative,
            reservation_id,
            arrival_date,
            _eta,
            _checked_in_at,
            created_at,
            guest_name,
        ) = row
        hours = None
        if status == "done" and completed_at and completed_at <= arrived:
            outcome = "fulfilled"
            hours = (completed_at - created_at).total_seconds() / 3600
        elif status == "not_possible" and (
            min(
                told.get(request_id, arrived),
                mailed.get(not_possible_state(task_id, reason, alternative), arrived),
            )
            < arrived
        ):
            outcome = "told"
        else:
            outcome = "broken"
        outcomes.append(
            WishOutcome(
                reservation_id=reservation_id,
                guest_name=guest_name,
                code=code,
                department=departments.get(code, department),
                week=monday(arrival_date),
                arrived_at=arrived,
                outcome=outcome,
                reason=reason,
                confirmed=verdicts.get(request_id),
                hours_to_fulfil=hours,
            )
        )
    return outcomes


def _may_have_arrived(hotel: Property, moment: datetime) -> ColumnElement[bool]:
    """Every reservation whose guest may have arrived by `moment`, and a few more: checked in,
    arrived before today, or due today by an hour from now (guest_moment is never before its
    arrival day's midnight; the hour covers a clock change). Not a rule: a filter of rows
    that wish_outcomes tests exactly."""
    local = to_local(moment, hotel.timezone)
    today = local.date()
    soon = local + timedelta(hours=1)
    later_today = Reservation.arrival_date == today
    if soon.date() == today:  # else the whole of today
        expected = func.coalesce(Reservation.eta, literal(hotel.check_in_time, Time))
        later_today = and_(later_today, expected <= soon.time().replace(tzinfo=None))
    return or_(
        Reservation.checked_in_at.is_not(None), Reservation.arrival_date < today, later_today
    )


def _row(key: str, items: list[WishOutcome]) -> PromiseRow:
    count = len(items)
    share = {
        o: (sum(1 for i in items if i.outcome == o) / count if count else 0.0) for o in OUTCOMES
    }
    answered = [i for i in items if i.confirmed is not None]
    hours = [i.hours_to_fulfil for i in items if i.hours_to_fulfil is not None]
    return PromiseRow(
        key=key,
        wishes=count,
        fulfilled=share["fulfilled"],
        told=share["told"],
        broken=share["broken"],
        confirmed=(sum(1 for i in answered if i.confirmed) / count) if count else 0.0,
        answered=len(answered),
        median_hours=statistics.median(hours) if hours else None,
    )


@dataclass(frozen=True)
class Promises:
    weeks: list[PromiseRow]
    departments: list[PromiseRow]
    codes: list[PromiseRow]


def measured_promises(session: Session, who: Who, property_id: int, weeks: int = WEEKS) -> Promises:
    require(who, "manager")
    hotel = get_property(session, property_id)
    this_week = monday(to_local(now(), hotel.timezone).date())
    first = this_week - timedelta(weeks=weeks - 1)
    outcomes = wish_outcomes(session, hotel, first, this_week + timedelta(days=6))
    by_week: dict[date, list[WishOutcome]] = {first + timedelta(weeks=n): [] for n in range(weeks)}
    by_department: dict[str, list[WishOutcome]] = defaultdict(list)
    by_code: dict[str, list[WishOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_week.setdefault(outcome.week, []).append(outcome)
        by_department[outcome.department].append(outcome)
        by_code[outcome.code].append(outcome)
    return Promises(
        weeks=[_row(week.isoformat(), items) for week, items in sorted(by_week.items())],
        departments=[_row(k, v) for k, v in sorted(by_department.items())],
        codes=[_row(k, v) for k, v in sorted(by_code.items(), key=lambda kv: -len(kv[1]))],
    )


def broken_on(session: Session, hotel: Property, day: date) -> list[WishOutcome]:
    """The promises broken for the guests who arrived on `day`."""
    return [o for o in wish_outcomes(session, hotel, day, day) if o.outcome == "broken"]


def notify_broken_promises(session: Session, hotel: Property, day: date) -> int:
    """The 17:00 digest's part for managers: yesterday's broken promises, with their reasons."""
    broken = broken_on(session, hotel, day)
    if not broken:
        return 0
    labels = {
        item.code: {"fr": item.label_fr, "en": item.label_en}
        for item in catalogue_items(session, hotel.id, active_only=False)
    }
    lines: list[Any] = [
        {
            "t": "notify.broken_line",
            "v": {
                "guest": o.guest_name,
                "wish": labels.get(o.code, o.code),
                "reason": o.reason or "—",
            },
        }
        for o in broken[:30]
    ]
    notify(
        session,
        hotel.id,
        "notify.broken_promises",
        {"date": when_value(day, "short"), "count": len(broken), "lines": lines},
        role="manager",
        link=Link("dashboard"),
        once=f"broken:{hotel.id}:{day.isoformat()}",
    )
    return len(broken)
