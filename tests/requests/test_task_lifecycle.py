"""Tasks go open -> in progress -> done, or not possible with a reason; every change audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from core.audit import audit_events
from core.auth import PermissionDenied
from core.clock import frozen_at
from core.errors import UserError
from guests.reservations import ReservationInput, save_reservation
from requests import tasks as requests_tasks
from requests.models import Task
from requests.tasks import TaskChanged

ARRIVAL = date(2026, 7, 14)


@pytest.fixture
def cot_task(database, hotel, rita) -> Task:
    """Marie Dubois arrives on 14 July with a cot to prepare (housekeeping)."""
    with database.write() as session:
        saved = save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number="C1",
                guest_name="Marie Dubois",
                arrival_date=ARRIVAL,
                departure_date=ARRIVAL + timedelta(days=2),
                wish_text="lit bébé svp",
            ),
        )
        return session.scalars(
            select(Task).where(Task.reservation_id == saved.reservation.id)
        ).one()


def reload(database, task_id: int) -> Task:
    with database.read() as session:
        return session.get(Task, task_id)


def test_housekeeping_starts_then_finishes_the_cot_and_it_is_recorded(
    database, hotel, hugo, cot_task
):
    moment = datetime(2026, 7, 14, 9, 12, tzinfo=UTC)
    with frozen_at(moment), database.write() as session:
        started = requests_tasks.change_task_status(
            session, hugo, cot_task.id, cot_task.version, "in_progress"
        )
        requests_tasks.change_task_status(session, hugo, cot_task.id, started.version, "done")
    done = reload(database, cot_task.id)
    assert (done.status, done.completed_by_id, done.completed_at) == ("done", hugo.id, moment)
    with database.read() as session:
        actions = [e.action for e in audit_events(session, hotel.id, entity="task")]
    assert actions[:2] == ["task_done", "task_in_progress"]


def test_not_possible_needs_a_reason_and_gives_the_front_desk_a_task_to_tell_the_guest(
    database, hotel, hugo, cot_task
):
    with pytest.raises(UserError) as refused, database.write() as session:
        requests_tasks.change_task_status(
            session, hugo, cot_task.id, cot_task.version, "not_possible"
        )
    assert refused.value.key == "task.error_reason_required"
    with frozen_at(datetime(2026, 7, 10, 8, 0, tzinfo=UTC)), database.write() as session:
        requests_tasks.change_task_status(
            session, hugo, cot_task.id, cot_task.version, "not_possible", "all cots are in use"
        )
    with database.read() as session:
        tasks = {
            t.kind: t
            for t in session.scalars(
                select(Task).where(Task.reservation_id == cot_task.reservation_id)
            )
        }
    assert tasks["wish"].reason == "all cots are in use"
    tell = tasks["tell_guest"]
    assert tell.department == "front_desk" and tell.status == "open"
    assert tell.due_at < datetime(2026, 7, 14, 13, 0, tzinfo=UTC)  # before the 15:00 arrival


def test_two_people_saving_the_same_task_one_wins_the_other_is_told_who_and_when(
    database, hotel, hugo, maria, cot_task
):
    seen_by_hugo = reload(database, cot_task.id)
    seen_by_maria = reload(database, cot_task.id)
    with frozen_at(datetime(2026, 7, 14, 8, 5, tzinfo=UTC)), database.write() as session:
        requests_tasks.change_task_status(
            session, maria, seen_by_maria.id, seen_by_maria.version, "done"
        )
    with pytest.raises(TaskChanged) as lost, database.write() as session:
        requests_tasks.change_task_status(
            session, hugo, seen_by_hugo.id, seen_by_hugo.version, "in_progress"
        )
    # Paris time; what changed in Hugo's language
    assert lost.value.values == {"by": "Maria Manager", "at": "10:05", "what": "statut, motif"}
    assert reload(database, cot_task.id).status == "done"


def test_a_reservations_agent_cannot_work_a_housekeeping_task(database, rita, cot_task):
    with pytest.raises(PermissionDenied), database.write() as session:
        requests_tasks.change_task_status(session, rita, cot_task.id, cot_task.version, "done")


def test_the_front_desk_cannot_tick_a_housekeeping_task(database, alice, cot_task):
    with pytest.raises(PermissionDenied), database.write() as session:
        requests_tasks.change_task_status(session, alice, cot_task.id, cot_task.version, "done")


def test_a_cancelled_task_cannot_be_finished(database, hotel, hugo, maria, cot_task):
    with database.write() as session:
        cancelled = requests_tasks.change_task_status(
            session, maria, cot_task.id, cot_task.version, "cancelled"
        )
    with pytest.raises(UserError) as refused, database.write() as session:
        requests_tasks.change_task_status(session, hugo, cot_task.id, cancelled.version, "done")
    assert refused.value.key == "task.error_transition"


def test_only_a_manager_assigns_and_the_owner_then_sees_it_as_theirs(
    database, hotel, hugo, maria, cot_task
):
    with pytest.raises(PermissionDenied), database.write() as session:
        requests_tasks.assign_task(session, hugo, cot_task.id, cot_task.version, hugo.id)
    with database.write() as session:
        requests_tasks.assign_task(session, maria, cot_task.id, cot_task.version, hugo.id)
    with database.read() as session:
        mine = requests_tasks.tasks_for(session, hugo, hotel.id, owner_id=hugo.id)
    assert [t.id for t in mine] == [cot_task.id]


def test_overdue_tasks_are_those_open_past_their_deadline(database, hotel, hugo, cot_task):
    with frozen_at(cot_task.due_at + timedelta(minutes=1)), database.read() as session:
        overdue = requests_tasks.tasks_for(session, hugo, hotel.id, overdue_only=True)
    with frozen_at(cot_task.due_at - timedelta(minutes=1)), database.read() as session:
        not_yet = requests_tasks.tasks_for(session, hugo, hotel.id, overdue_only=True)
    assert [t.id for t in overdue] == [cot_task.id] and overdue[0].overdue
    assert not_yet == []


def test_a_reopened_task_is_late_again_only_from_now_on(database, hotel, hugo, maria, cot_task):
    with database.write() as session:  # as the escalation job marks it: without a new version
        session.execute(update(Task).where(Task.id == cot_task.id).values(escalation_level=2))
    with database.write() as session:
        done = requests_tasks.change_task_status(
            session, hugo, cot_task.id, cot_task.version, "done"
        )
        reopened = requests_tasks.change_task_status(
            session, maria, cot_task.id, done.version, "open"
        )
        assert reopened.escalation_level == 0
