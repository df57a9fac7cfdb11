"""Deadlines are never born late: a task created after its ideal deadline is due at its
creation plus the department's handling time, never after the guest walks in, and reads
"booked late", not overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.clock import local_to_utc, set_now
from core.errors import UserError
from guests.reservations import ReservationInput, save_reservation
from requests import tasks
from requests.models import Request, Task
from requests.wishes import WishChoice, correct_wishes

TODAY = date(2026, 7, 14)
CHECK_IN = local_to_utc(TODAY, time(15, 0), "Europe/Paris")  # 13:00 UTC
# The cot is due 2 hours before the guest (11:00 UTC); the booking is made at 12:00 UTC.
BOOKED_AT = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)


def book(database, who, hotel, text: str, *, number="L1", eta=None, arrival=TODAY,
         room: str | None = "101"):
    with database.write() as session:
        saved = save_reservation(
            session,
            who,
            hotel.id,
            ReservationInput(
                confirmation_number=number,
                guest_name="Marie Dubois",
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=2),
                eta=eta,
                room_number=room,
                wish_text=text,
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


def test_a_booking_made_today_for_today_is_due_half_an_hour_after_it_was_made(
    database, hotel, rita
):
    set_now(BOOKED_AT)
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    assert cot.due_at == BOOKED_AT + timedelta(minutes=30)
    assert cot.booked_late and cot.status == "open"
    with database.read() as session:
        [view] = tasks.tasks_for(session, rita, hotel.id, day=TODAY, timezone=hotel.timezone)
        assert view.booked_late and not view.overdue
        assert tasks.late_task_count(session, hotel.id) == 0


def test_a_task_booked_late_is_never_due_after_the_guest_arrives(database, hotel, rita):
    set_now(CHECK_IN - timedelta(minutes=10))  # the guest is at the door in ten minutes
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    assert cot.due_at == CHECK_IN and cot.booked_late


def test_a_guest_already_in_the_house_gets_the_handling_time(database, hotel, rita):
    """Booked at 16:00 for a 15:00 arrival (a walk-in typed in late): due at 16:30, not 15:00."""
    set_now(CHECK_IN + timedelta(hours=1))
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    assert cot.due_at == CHECK_IN + timedelta(hours=1, minutes=30)


def test_a_booking_in_good_time_keeps_its_ideal_deadline(database, hotel, rita):
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    assert cot.due_at == CHECK_IN - timedelta(hours=2) and not cot.booked_late


def test_the_managers_set_each_departments_handling_time(database, hotel, rita, maria):
    with database.write() as session:
        tasks.set_department_rule(
            session, maria, hotel.id, "housekeeping", "on_shift", handling_minutes=45
        )
    set_now(BOOKED_AT)
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    parked = book(database, rita, hotel, "parking svp", number="L2", room=None)
    parking = task_of(database, parked, "parking")
    assert cot.due_at == BOOKED_AT + timedelta(minutes=45)
    assert parking.due_at == BOOKED_AT + timedelta(minutes=30)  # front desk: the default


def test_a_handling_time_out_of_bounds_is_refused(database, hotel, maria):
    with database.write() as session, pytest.raises(UserError) as refused:
        tasks.set_department_rule(
            session, maria, hotel.id, "housekeeping", "on_shift", handling_minutes=0
        )
    assert refused.value.key == "owners.error_handling"


def test_an_edit_on_the_day_that_brings_the_guest_forward_books_the_task_late(
    database, hotel, rita
):
    """Booked in time; at 11:30 the guest says they arrive at 12:00: the cot's ideal deadline
    (10:00 Paris) has passed, so it is due at 12:00 (their arrival), not overdue."""
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    reservation = book(database, rita, hotel, "lit bébé svp")
    set_now(local_to_utc(TODAY, time(11, 30), hotel.timezone))
    book(database, rita, hotel, "lit bébé svp", eta=time(12, 0))
    cot = task_of(database, reservation, "baby_cot")
    assert cot.due_at == local_to_utc(TODAY, time(12, 0), hotel.timezone)
    assert cot.booked_late


def test_an_edit_that_does_not_touch_a_late_bookings_dates_keeps_its_deadline(
    database, hotel, rita
):
    set_now(BOOKED_AT)
    reservation = book(database, rita, hotel, "lit bébé svp")
    set_now(BOOKED_AT + timedelta(minutes=10))
    book(database, rita, hotel, "lit bébé svp, merci")  # the text changes, not the dates
    cot = task_of(database, reservation, "baby_cot")
    assert cot.due_at == BOOKED_AT + timedelta(minutes=30) and cot.booked_late


def test_a_task_already_late_stays_late_when_the_reservation_is_edited(database, hotel, rita):
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    reservation = book(database, rita, hotel, "lit bébé svp")
    ideal = CHECK_IN - timedelta(hours=2)
    set_now(ideal + timedelta(minutes=20))
    book(database, rita, hotel, "lit bébé svp", eta=time(15, 0))  # same moment, no move
    cot = task_of(database, reservation, "baby_cot")
    assert cot.due_at == ideal and not cot.booked_late
    with database.read() as session:
        assert tasks.late_task_count(session, hotel.id) == 1


def test_a_wish_added_on_the_day_is_booked_late(database, hotel, rita):
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    reservation = book(database, rita, hotel, "")
    set_now(BOOKED_AT)
    with database.write() as session:
        correct_wishes(session, rita, reservation, [WishChoice("baby_cot")])
    cot = task_of(database, reservation, "baby_cot")
    assert cot.due_at == BOOKED_AT + timedelta(minutes=30) and cot.booked_late


def test_a_late_booking_is_not_escalated_at_birth(database, hotel, rita, hugo):
    from core.scheduling import run_job

    set_now(BOOKED_AT)
    cot = task_of(database, book(database, rita, hotel, "lit bébé svp"), "baby_cot")
    outcome = run_job(database, "escalate_overdue", hotel.id, BOOKED_AT, holder="test")
    assert outcome is not None and outcome.result.startswith("0 overdue")
    assert task_of(database, cot.reservation_id, "baby_cot").escalation_level == 0
