"""Every task has an owner from the moment it is created: a named person, whoever of the
department is on shift (least loaded first), or housekeeping's floor sections; when the
owner's shift ends with the task open, it passes to the next person on shift, who is told."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.auth import system_actor
from core.clock import local_to_utc, set_now
from core.errors import UserError
from core.notifications import inbox
from core.scheduling import run_job
from core.shifts import WEEKDAYS, Roster, set_floor_sections, set_usual_shifts
from guests.reservations import ReservationInput, save_reservation
from guests.rooms import add_room
from requests import tasks
from requests.assignment import departments_without_owner
from requests.models import Request, Task
from tests.conftest import _staff

ARRIVAL = date(2026, 7, 14)  # a Tuesday
PARIS = "Europe/Paris"


def at(hour: int, minute: int = 0, day: date = date(2026, 7, 10)) -> datetime:
    return local_to_utc(day, time(hour, minute), PARIS)


def works(database, person, *shifts: str) -> None:
    with database.write() as session:
        set_usual_shifts(
            session,
            system_actor(person.property_id),
            person.id,
            [(s, d) for s in shifts for d in WEEKDAYS],
        )


def book(database, who, hotel, number: str, text: str, room: str | None = None) -> int:
    with database.write() as session:
        saved = save_reservation(
            session,
            who,
            hotel.id,
            ReservationInput(
                confirmation_number=number,
                guest_name=f"Guest {number}",
                arrival_date=ARRIVAL,
                departure_date=ARRIVAL + timedelta(days=2),
                room_number=room,
                wish_text=text,
            ),
        )
        return saved.reservation.id


def owner_of(database, reservation_id: int, code: str) -> int | None:
    with database.read() as session:
        return session.scalars(
            select(Task.owner_id)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == code)
        ).one()


@pytest.fixture
def front_desk(database, hotel):
    """Alice works mornings at the front desk, Bruno afternoons."""
    alice = _staff(database, hotel, "alice", "Alice Front", ["front_desk"], "front_desk")
    bruno = _staff(database, hotel, "bruno", "Bruno Front", ["front_desk"], "front_desk")
    works(database, alice, "morning")
    works(database, bruno, "afternoon")
    return alice, bruno


def test_a_task_goes_to_whoever_of_the_department_is_on_shift(database, hotel, rita, front_desk):
    alice, bruno = front_desk
    set_now(at(10))
    morning = book(database, rita, hotel, "M1", "parking svp")
    set_now(at(16))
    afternoon = book(database, rita, hotel, "A1", "parking svp")
    assert owner_of(database, morning, "parking") == alice.id
    assert owner_of(database, afternoon, "parking") == bruno.id


def test_at_night_with_nobody_on_shift_the_next_to_come_owns_it(database, hotel, rita, front_desk):
    alice, _ = front_desk
    set_now(at(2))  # the night: nobody of the front desk works it here
    assert (
        owner_of(database, book(database, rita, hotel, "N1", "parking svp"), "parking") == alice.id
    )


def test_the_least_loaded_on_shift_gets_the_next_task(database, hotel, rita, front_desk):
    alice, _ = front_desk
    carla = _staff(database, hotel, "carla", "Carla Front", ["front_desk"], "front_desk")
    works(database, carla, "morning")
    set_now(at(9))
    owners = [
        owner_of(database, book(database, rita, hotel, f"L{i}", "parking svp"), "parking")
        for i in range(4)
    ]
    assert sorted(owners) == sorted([alice.id, alice.id, carla.id, carla.id])


def test_a_named_person_owns_every_task_of_the_department(database, hotel, rita, maria, front_desk):
    _, bruno = front_desk
    with database.write() as session:
        tasks.set_department_rule(session, maria, hotel.id, "front_desk", "person", bruno.id)
    set_now(at(10))
    assert (
        owner_of(database, book(database, rita, hotel, "P1", "parking svp"), "parking") == bruno.id
    )


def test_a_named_rule_needs_a_person(database, hotel, maria):
    with database.write() as session, pytest.raises(UserError) as refused:
        tasks.set_department_rule(session, maria, hotel.id, "front_desk", "person", None)
    assert refused.value.key == "owners.error_person_required"


def test_housekeeping_tasks_go_to_the_attendant_of_the_rooms_floor(database, hotel, rita, maria):
    ana = _staff(database, hotel, "ana", "Ana House", ["housekeeping"], "housekeeping")
    fatou = _staff(database, hotel, "fatou", "Fatou House", ["housekeeping"], "housekeeping")
    with database.write() as session:
        add_room(session, maria, hotel.id, "101", floor=1)
        add_room(session, maria, hotel.id, "201", floor=2)
        set_floor_sections(session, maria, hotel.id, {1: ana.id, 2: fatou.id})
    set_now(at(10))
    first = book(database, rita, hotel, "S1", "lit bébé svp", room="101")
    second = book(database, rita, hotel, "S2", "lit bébé svp", room="201")
    assert owner_of(database, first, "baby_cot") == ana.id
    assert owner_of(database, second, "baby_cot") == fatou.id


def test_a_department_with_nobody_is_named_for_the_managers(database, hotel, front_desk):
    with database.read() as session:
        missing = departments_without_owner(session, hotel.id)
    assert "food_beverage" in missing and "concierge" in missing
    assert "front_desk" not in missing


def test_at_the_end_of_the_shift_an_open_task_passes_to_the_next_on_shift_who_is_told(
    database, hotel, rita, front_desk
):
    """Alice owns a parking task due at 13:00 today, still open when she leaves at 15:00."""
    alice, bruno = front_desk
    set_now(at(10, day=ARRIVAL))
    reservation = book(database, rita, hotel, "H1", "parking svp")
    assert owner_of(database, reservation, "parking") == alice.id
    before = at(14, 55, day=ARRIVAL)
    set_now(before)
    run_job(database, "hand_over_tasks", hotel.id, before, holder="test")
    assert owner_of(database, reservation, "parking") == alice.id  # still her shift
    after = at(15, 5, day=ARRIVAL)
    set_now(after)
    outcome = run_job(database, "hand_over_tasks", hotel.id, after, holder="test")
    assert outcome is not None and outcome.result.startswith("1 tasks passed")
    assert owner_of(database, reservation, "parking") == bruno.id
    with database.read() as session:
        [told] = inbox(session, bruno, "en")
        assert told.text.startswith("Yours now: Parking") and "Alice Front" in told.text
        assert told.link.page == "tasks"
    again = run_job(database, "hand_over_tasks", hotel.id, after + timedelta(minutes=5), holder="t")
    assert again is not None and again.result.startswith("0 tasks passed")


def test_a_task_due_after_the_owners_next_shift_stays_with_them(database, hotel, rita, front_desk):
    alice, _ = front_desk
    set_now(at(10))  # the arrival is in four days: Alice is back long before
    reservation = book(database, rita, hotel, "K1", "parking svp")
    set_now(at(15, 5))
    outcome = run_job(database, "hand_over_tasks", hotel.id, at(15, 5), holder="test")
    assert outcome is not None and "1 kept" in outcome.result
    assert owner_of(database, reservation, "parking") == alice.id


def test_the_roster_reads_a_night_shift_as_the_day_it_starts(database, hotel, front_desk):
    night = _staff(database, hotel, "nora", "Nora Night", ["front_desk"], "front_desk")
    with database.write() as session:
        set_usual_shifts(session, system_actor(hotel.id), night.id, [("night", 0)])  # Mondays
    with database.read() as session:
        roster = Roster(session, hotel.id)
        monday_night = at(2, day=date(2026, 7, 14))  # Tuesday 02:00: Monday's night
        assert night.id in roster.on_shift(monday_night)
        assert night.id not in roster.on_shift(at(2, day=date(2026, 7, 13)))  # Sunday's night


def test_the_cli_tasks_keep_their_keys_with_the_owner_filled(database, hotel, rita, front_desk):
    set_now(at(10))
    book(database, rita, hotel, "J1", "parking svp")
    with database.read() as session:
        [view] = tasks.tasks_for(session, rita, hotel.id, day=ARRIVAL, timezone=PARIS)
    assert view.owner_name == "Alice Front"


def test_a_roster_line_for_an_unknown_shift_is_refused(database, hotel, maria, front_desk):
    alice, _ = front_desk
    with database.write() as session, pytest.raises(UserError):
        set_usual_shifts(session, maria, alice.id, [("brunch", 0)])


def test_setting_the_roster_is_audited(database, hotel, maria, front_desk):
    from core.audit import audit_events

    alice, _ = front_desk
    with database.write() as session:
        set_usual_shifts(session, maria, alice.id, [("morning", 0), ("afternoon", 5)])
    with database.read() as session:
        [event] = [e for e in audit_events(session, hotel.id, action="roster_set") if e.actor_id]
    assert event.after == {"shifts": ["afternoon:5", "morning:0"]}


def test_the_tasks_of_someone_who_left_pass_to_whoever_is_at_work(
    database, hotel, rita, maria, front_desk
):
    from core.staff import set_active

    alice, bruno = front_desk
    set_now(at(10))
    reservation = book(database, rita, hotel, "Q1", "parking svp")
    assert owner_of(database, reservation, "parking") == alice.id
    set_now(at(16))
    with database.write() as session:
        set_active(session, maria, alice.id, False)
    run_job(database, "hand_over_tasks", hotel.id, at(16), holder="test")
    assert owner_of(database, reservation, "parking") == bruno.id
