"""Overdue tasks escalate: at the deadline to the owner or department, then to the managers
some time after that first level actually fired (never in the same run); never twice for the
same level, however often or however many copies of the job run; a reopened task late again is
told again."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.audit import audit_events
from core.clock import set_now
from core.db import Database
from core.notifications import Notification, inbox, unread_count
from core.scheduling import run_job
from guests.reservations import ReservationInput, save_reservation
from requests import tasks
from requests.models import Request, Task

ARRIVAL = date(2026, 7, 14)


@pytest.fixture(autouse=True)
def _booked_weeks_ahead() -> None:
    """These bookings are made on 1 July, long before the guest: every deadline is its ideal."""
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))


def book(database, hotel, rita, number: str, wishes: str) -> int:
    with database.write() as session:
        saved = save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number=number,
                guest_name="Marie Dubois",
                arrival_date=ARRIVAL,
                departure_date=ARRIVAL + timedelta(days=2),
                room_number="101",
                wish_text=wishes,
            ),
        )
        return saved.reservation.id


def task_of(database, reservation_id: int, code: str) -> Task:
    with database.read() as session:
        return session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == code)
        ).one()


@pytest.fixture
def cot(database, hotel, rita) -> Task:
    """Marie Dubois arrives on 14 July: housekeeping prepares a cot, due at 13:00 in Paris."""
    return task_of(database, book(database, hotel, rita, "C1", "lit bébé svp"), "baby_cot")


def escalate(database: Database, hotel, at: datetime) -> str:
    """One run of the escalation job at `at` (each run its own slot, as after a restart)."""
    set_now(at)
    outcome = run_job(database, "escalate_overdue", hotel.id, at, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    return outcome.result


def told(database, who) -> list[str]:
    with database.read() as session:
        return [item.text for item in inbox(session, who, "en")]


def test_at_the_deadline_the_department_is_told_and_later_the_managers(
    database, hotel, hugo, maria, cot
):
    assert escalate(database, hotel, cot.due_at - timedelta(minutes=1)).startswith("0 overdue")
    assert told(database, hugo) == []
    escalate(database, hotel, cot.due_at + timedelta(minutes=1))
    [to_housekeeping] = told(database, hugo)
    assert to_housekeeping == (
        "Overdue: Baby cot for Marie Dubois (room 101), due 14/07, 13:00 — Housekeeping."
    )
    assert told(database, maria) == []
    escalate(database, hotel, cot.due_at + timedelta(minutes=29))
    assert told(database, maria) == []
    escalate(database, hotel, cot.due_at + timedelta(minutes=31))
    [to_manager] = told(database, maria)
    assert (
        to_manager.startswith("Still overdue: Baby cot for Marie Dubois")
        and "owner: Hugo Housekeeping" in to_manager  # housekeeping's only attendant owns it
    )
    assert len(told(database, hugo)) == 1


def test_never_twice_for_the_same_level(database, hotel, hugo, maria, cot):
    for minutes in (1, 6, 11, 31, 36, 120, 600):
        escalate(database, hotel, cot.due_at + timedelta(minutes=minutes))
    assert len(told(database, hugo)) == 1 and len(told(database, maria)) == 1
    assert task_of(database, cot.reservation_id, "baby_cot").escalation_level == 2


def test_two_copies_running_at_once_notify_once(database, hotel, hugo, maria, cot):
    other = Database(database.url)
    set_now(cot.due_at + timedelta(hours=1))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(db: Database, slot: datetime) -> None:
        try:
            start.wait(timeout=30)
            run_job(db, "escalate_overdue", hotel.id, slot, holder=str(slot))
        except BaseException as error:  # reported below, from the test's own thread
            errors.append(error)

    moment = cot.due_at + timedelta(hours=1)
    threads = [
        threading.Thread(target=run, args=(database, moment)),
        threading.Thread(target=run, args=(other, moment + timedelta(seconds=1))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.dispose()
    assert errors == []
    with database.read() as session:
        # Level 1 only: the managers hear of it in a later run, never in the same one.
        assert session.scalar(select(func.count(Notification.id))) == 1


def test_the_owner_is_told_personally(database, hotel, hugo, maria, rita):
    reservation = book(database, hotel, rita, "C2", "extra pillows please")
    pillows = task_of(database, reservation, "extra_pillows")
    with database.write() as session:
        tasks.assign_task(session, maria, pillows.id, pillows.version, hugo.id)
    escalate(database, hotel, pillows.due_at)
    with database.read() as session:
        [item] = inbox(session, hugo, "en")
        assert item.to_role is None and item.link.page == "tasks"
        assert item.link.id == pillows.id
        assert unread_count(session, maria) == 0


def test_a_department_nobody_works_goes_to_the_managers(database, hotel, maria, rita):
    reservation = book(database, hotel, rita, "C3", "a bottle of champagne in the room")
    amenity = task_of(database, reservation, "welcome_amenity")  # food & beverage: nobody
    escalate(database, hotel, amenity.due_at + timedelta(minutes=1))
    [told_first] = told(database, maria)
    assert told_first.startswith("Overdue:") and "Food & beverage" in told_first


def test_a_task_found_long_overdue_tells_the_managers_only_a_while_after_the_owner(
    database, hotel, hugo, maria, cot
):
    """Found five hours late (the scheduler was down): the owner first; the managers 30 minutes
    after the owner was actually told, not at once in the same run."""
    first = cot.due_at + timedelta(hours=5)
    result = escalate(database, hotel, first)
    assert result == "1 overdue tasks: owner or department told; 0: managers told"
    assert len(told(database, hugo)) == 1 and told(database, maria) == []
    assert escalate(database, hotel, first + timedelta(minutes=29)).endswith("0: managers told")
    assert escalate(database, hotel, first + timedelta(minutes=31)).endswith("1: managers told")
    assert len(told(database, hugo)) == 1 and len(told(database, maria)) == 1


def test_a_reopened_task_late_again_is_escalated_and_told_again(database, hotel, hugo, maria, cot):
    escalate(database, hotel, cot.due_at + timedelta(minutes=1))
    escalate(database, hotel, cot.due_at + timedelta(minutes=40))
    assert len(told(database, hugo)) == 1 and len(told(database, maria)) == 1
    set_now(cot.due_at + timedelta(minutes=45))
    with database.write() as session:
        task = session.get(Task, cot.id)
        done = tasks.change_task_status(session, hugo, cot.id, task.version, "done")
        version = done.version
    with database.write() as session:  # the cot was taken back: the task is open again
        tasks.change_task_status(session, hugo, cot.id, version, "open")
    escalate(database, hotel, cot.due_at + timedelta(minutes=50))
    assert len(told(database, hugo)) == 2
    escalate(database, hotel, cot.due_at + timedelta(minutes=85))
    assert len(told(database, maria)) == 2
    assert task_of(database, cot.reservation_id, "baby_cot").escalation_level == 2


def test_a_finished_task_does_not_escalate(database, hotel, hugo, maria, cot):
    set_now(cot.due_at - timedelta(minutes=5))
    with database.write() as session:
        tasks.change_task_status(session, hugo, cot.id, cot.version, "done")
    escalate(database, hotel, cot.due_at + timedelta(hours=1))
    assert told(database, hugo) == [] and told(database, maria) == []


def test_escalating_is_audited_and_does_not_get_in_a_persons_way(database, hotel, hugo, maria, cot):
    escalate(database, hotel, cot.due_at + timedelta(hours=1))
    escalate(database, hotel, cot.due_at + timedelta(hours=2))
    with database.read() as session:
        events = audit_events(session, hotel.id, action="task_escalated")
    assert sorted(e.after["escalation_level"] for e in events) == [1, 2]
    escalated = task_of(database, cot.reservation_id, "baby_cot")
    assert (escalated.version, escalated.updated_at) == (cot.version, cot.updated_at)
    with database.write() as session:  # Hugo saves the version he loaded before: no conflict
        tasks.change_task_status(session, hugo, cot.id, cot.version, "done")
