"""A hotel's day on the clock: the demo seeded early in the morning, at noon and just before
midnight opens with no task overdue and nothing alarming in anyone's inbox; through the next
24 hours no task is born overdue, no task is escalated to both levels in one run or twice at a
level, and every wish ends done, not possible, or open with a deadline still ahead."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from core.audit import audit_events
from core.auth import actor_for
from core.clock import local_to_utc, set_now, to_local
from core.models import Property, Staff
from core.notifications import Notification
from core.scheduling import run_job
from guests.demo import seed_demo
from guests.reservations import ReservationInput, save_reservation
from requests import tasks as requests_tasks
from requests.models import Task
from requests.states import OPEN
from shift_briefing.board import housekeeping_board

PARIS = "Europe/Paris"
DAY = date(2026, 7, 14)
STEP = timedelta(minutes=30)
JOBS = ("escalate_overdue", "hand_over_tasks", "room_not_ready", "remind_unsigned")


def each_room_once_on_the_board(database, hotel_id: int, moment) -> None:
    with database.read() as session:
        attendant = actor_for(
            session.scalars(select(Staff).where(Staff.login == "housekeeping")).one())
        hotel = session.get(Property, hotel_id)
        numbers = [r.number for r in housekeeping_board(
            session, attendant, hotel, to_local(moment, PARIS).date()).rooms]
    assert numbers and len(numbers) == len(set(numbers)), moment


def run_jobs(database, hotel_id: int, moment, names=JOBS) -> None:
    set_now(moment)
    for name in names:
        outcome = run_job(database, name, hotel_id, moment, holder="hotel-day")
        assert outcome is not None and outcome.status == "ok", (name, outcome)


def alarms(database) -> list[str]:
    with database.read() as session:
        return [n.key for n in session.scalars(select(Notification))]


def staff_do_what_is_due(database, hotel_id: int, moment, neglected: set[int]) -> None:
    """Each owner finishes what is due within the hour; the neglected task waits."""
    with database.write() as session:
        due = session.scalars(
            select(Task).where(
                Task.property_id == hotel_id,
                Task.status.in_(OPEN),
                Task.due_at <= moment + timedelta(hours=1),
                Task.id.not_in(neglected),
            )
        ).all()
        for task in due:
            owner = session.get(Staff, task.owner_id)
            assert owner is not None, f"task {task.id} ({task.department}) has no owner"
            status, reason = ("done", None)
            if task.kind == "wish" and task.id % 7 == 0:
                status, reason = "not_possible", "none left tonight"
            requests_tasks.change_task_status(
                session, actor_for(owner), task.id, task.version, status, reason
            )


@pytest.mark.parametrize(
    "seeded_at", [time(5, 30), time(12, 0), time(23, 50)], ids=["early", "noon", "late"]
)
def test_a_day_at_the_demo_hotel(database, seeded_at):
    start = local_to_utc(DAY, seeded_at, PARIS)
    set_now(start)
    with database.write() as session:
        hotel = seed_demo(session)
        assert hotel is not None
        hotel_id = hotel.id
    with database.read() as session:
        tasks = session.scalars(select(Task)).all()
        # Open tasks are due after their birth; the story's earlier work is done, in time.
        assert all(t.due_at >= t.created_at for t in tasks if t.status in OPEN)
        assert all(t.completed_at <= t.due_at for t in tasks if t.status == "done")
        assert not any(t.booked_late for t in tasks)
        assert requests_tasks.late_task_count(session, hotel_id) == 0
        assert all(t.owner_id is not None for t in tasks if t.status in OPEN)

    run_jobs(database, hotel_id, start)
    assert alarms(database) == [], "the demo opens with alarms in the inbox"

    with database.read() as session:
        first = session.scalars(
            select(Task)
            .where(Task.status.in_(OPEN), Task.kind == "wish")
            .order_by(Task.due_at, Task.id)
            .limit(1)
        ).one()
    # One task nobody does until two hours after its deadline: it escalates, once per level.
    neglected, neglected_until = {first.id}, first.due_at + timedelta(hours=2)
    moment = start
    late_booking_made = False
    while moment < start + timedelta(hours=24):
        moment += STEP
        set_now(moment)
        if not late_booking_made:
            late_booking_made = True
            arrival = to_local(moment, PARIS).date()
            with database.write() as session:  # a walk-in typed in now, wishes and all
                reception = session.scalars(
                    select(Staff).where(Staff.login == "reservations")
                ).one()
                save_reservation(
                    session,
                    actor_for(reception),
                    hotel_id,
                    ReservationInput(
                        confirmation_number="WALKIN1",
                        guest_name="Walk In",
                        arrival_date=arrival,
                        departure_date=arrival + timedelta(days=1),
                        wish_text="lit bébé et parking svp",
                    ),
                )
            with database.read() as session:
                born = session.scalars(select(Task).where(Task.created_at == moment)).all()
                assert born and all(t.due_at >= moment and t.owner_id for t in born)
        if moment >= neglected_until:
            neglected = set()  # someone finally does it
        staff_do_what_is_due(database, hotel_id, moment, neglected)
        run_jobs(database, hotel_id, moment, ("escalate_overdue", "hand_over_tasks"))
        if moment.minute == start.minute and (moment - start) % timedelta(hours=3) == (
                timedelta(0)):
            each_room_once_on_the_board(database, hotel_id, moment)

    with database.read() as session:
        events = audit_events(session, hotel_id, action="task_escalated", limit=10_000)
        levels: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for event in events:
            levels[int(event.entity_id)][event.after["escalation_level"]].append(event.at)
        assert levels, "the neglected task was never escalated"
        for task_id, by_level in levels.items():
            assert all(len(ats) == 1 for ats in by_level.values()), (task_id, by_level)
            if 2 in by_level:
                assert by_level[2][0] >= by_level[1][0] + timedelta(minutes=30)
        wishes = session.scalars(
            select(Task).where(Task.kind == "wish", Task.status != "cancelled")
        ).all()
        for task in wishes:
            assert task.status in ("done", "not_possible") or (
                task.status in OPEN and task.due_at > moment
            ), (task.id, task.status, task.due_at)
        assert {"done", "not_possible"} <= {t.status for t in wishes}
