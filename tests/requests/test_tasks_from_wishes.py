"""A wish written at booking becomes tasks with a department, an owner and a deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.auth import Actor
from core.clock import local_to_utc, set_now
from core.db import Database
from core.models import Property
from guests.reservations import ReservationInput, save_reservation
from requests import tasks
from requests.catalogue import catalogue_entries
from requests.models import Request, Task
from requests.wishes import WishChoice, correct_wishes, earlier_wishes

ARRIVAL = date(2026, 7, 14)


@pytest.fixture(autouse=True)
def _booked_weeks_ahead() -> None:
    """These bookings are made on 1 July, long before the guest: every deadline is its ideal."""
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))


def book(
    database: Database,
    who: Actor,
    hotel: Property,
    text: str,
    *,
    number: str = "C100",
    arrival: date = ARRIVAL,
    nights: int = 2,
    eta: time | None = None,
    status: str = "booked",
    **extra,
) -> int:
    with database.write() as session:
        saved = save_reservation(
            session,
            who,
            hotel.id,
            ReservationInput(
                confirmation_number=number,
                guest_name="Marie Dubois",
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=nights),
                eta=eta,
                wish_text=text,
                status=status,
                **extra,
            ),
        )
        return saved.reservation.id


def tasks_of(database: Database, reservation_id: int) -> list[Task]:
    with database.read() as session:
        return list(
            session.scalars(
                select(Task).where(Task.reservation_id == reservation_id).order_by(Task.id)
            )
        )


def requests_of(database: Database, reservation_id: int) -> list[Request]:
    with database.read() as session:
        return list(
            session.scalars(
                select(Request).where(Request.reservation_id == reservation_id).order_by(Request.id)
            )
        )


def entry(database: Database, hotel: Property, code: str):
    with database.read() as session:
        return {e.code: e for e in catalogue_entries(session, hotel.id)}[code]


def test_cot_wish_becomes_a_housekeeping_task_due_its_lead_time_before_check_in(
    database, hotel, rita
):
    reservation_id = book(database, rita, hotel, "Un lit bébé svp, merci")
    cot = entry(database, hotel, "baby_cot")
    [task] = tasks_of(database, reservation_id)
    assert task.department == cot.department == "housekeeping"
    assert task.status == "open"
    check_in = local_to_utc(ARRIVAL, time(15, 0), "Europe/Paris")
    assert task.due_at == check_in - timedelta(minutes=cot.lead_minutes)
    [request] = requests_of(database, reservation_id)
    assert request.code == "baby_cot"
    assert request.original_text == "Un lit bébé svp, merci"


def test_a_stated_late_arrival_sets_the_eta_and_a_late_arrival_wish(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "We will arrive around 11pm")
    assert {r.code for r in requests_of(database, reservation_id)} == {"late_arrival"}
    with database.read() as session:
        from guests.models import Reservation

        assert session.get(Reservation, reservation_id).eta == time(23, 0)


def test_text_nobody_understands_gives_the_front_desk_a_triage_task(database, hotel, rita):
    text = "Mon mari fête ses 80 ans, pouvez-vous prévoir une surprise avec l'orchestre ?"
    reservation_id = book(database, rita, hotel, text)
    triage = [t for t in tasks_of(database, reservation_id) if t.kind == "triage"]
    assert len(triage) == 1
    assert triage[0].department == "front_desk"
    [request] = [r for r in requests_of(database, reservation_id) if r.code == "triage"]
    assert "orchestre" in request.matched_text
    assert request.original_text == text


def test_politeness_alone_gives_no_task(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "Merci beaucoup ! Cordialement")
    assert tasks_of(database, reservation_id) == []


def test_moving_the_arrival_moves_the_open_deadline(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "baby cot please")
    [before] = tasks_of(database, reservation_id)
    book(database, rita, hotel, "baby cot please", arrival=ARRIVAL + timedelta(days=3))
    [after] = tasks_of(database, reservation_id)
    assert after.id == before.id
    assert after.due_at - before.due_at == timedelta(days=3)


def test_an_earlier_eta_brings_the_deadline_forward(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "baby cot please")
    [before] = tasks_of(database, reservation_id)
    book(database, rita, hotel, "baby cot please", eta=time(11, 0))
    [after] = tasks_of(database, reservation_id)
    assert before.due_at - after.due_at == timedelta(hours=4)


def test_cancelling_the_reservation_cancels_open_tasks_and_keeps_done_ones(
    database, hotel, rita, hugo
):
    reservation_id = book(database, rita, hotel, "baby cot and extra pillows please")
    first, second = tasks_of(database, reservation_id)
    with database.write() as session:
        tasks.change_task_status(session, hugo, first.id, first.version, "done")
    book(database, rita, hotel, "baby cot and extra pillows please", status="cancelled")
    statuses = {t.id: t.status for t in tasks_of(database, reservation_id)}
    assert statuses == {first.id: "done", second.id: "cancelled"}


def test_removing_a_wish_from_the_text_cancels_its_task(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "baby cot and extra pillows please")
    book(database, rita, hotel, "extra pillows please")
    by_code = {r.code: r.status for r in requests_of(database, reservation_id)}
    assert by_code == {"baby_cot": "cancelled", "extra_pillows": "active"}
    assert sorted(t.status for t in tasks_of(database, reservation_id)) == ["cancelled", "open"]


def test_a_done_task_is_not_reopened_or_duplicated_by_an_edit(database, hotel, rita, hugo):
    reservation_id = book(database, rita, hotel, "baby cot please")
    [task] = tasks_of(database, reservation_id)
    with database.write() as session:
        tasks.change_task_status(session, hugo, task.id, task.version, "done")
    book(database, rita, hotel, "baby cot please", arrival=ARRIVAL + timedelta(days=1))
    [after] = tasks_of(database, reservation_id)
    assert (after.id, after.status, after.due_at) == (task.id, "done", task.due_at)


def test_a_hotel_code_of_its_own_is_understood_and_daily_gives_one_task_a_night(
    database, hotel, rita, newspaper
):
    reservation_id = book(database, rita, hotel, "Le Monde newspaper every morning", nights=3)
    days = [t.service_date for t in tasks_of(database, reservation_id) if t.kind == "wish"]
    assert days == ["2026-07-14", "2026-07-15", "2026-07-16"]
    book(database, rita, hotel, "Le Monde newspaper every morning", nights=2)
    statuses = {
        t.service_date: t.status for t in tasks_of(database, reservation_id) if t.kind == "wish"
    }
    assert statuses == {"2026-07-14": "open", "2026-07-15": "open", "2026-07-16": "cancelled"}


def test_the_agents_correction_wins_over_the_parser(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "lit double ou twin, baby cot")
    with database.write() as session:
        correct_wishes(
            session, rita, reservation_id, [WishChoice("baby_cot", 2), WishChoice("quiet_room")]
        )
    active = {
        r.code: r.quantity for r in requests_of(database, reservation_id) if r.status == "active"
    }
    assert active == {"baby_cot": 2, "quiet_room": None}
    # Saving the same text again does not bring back what the agent removed or changed.
    book(database, rita, hotel, "lit double ou twin, baby cot, merci")
    active = {
        r.code: r.quantity for r in requests_of(database, reservation_id) if r.status == "active"
    }
    assert active == {"baby_cot": 2, "quiet_room": None}


def test_new_tasks_go_to_the_departments_default_owner(database, hotel, maria, rita, hugo):
    with database.write() as session:
        tasks.set_department_owner(session, maria, hotel.id, "housekeeping", hugo.id)
    reservation_id = book(database, rita, hotel, "extra towels please")
    assert {t.owner_id for t in tasks_of(database, reservation_id)} == {hugo.id}


def test_a_returning_guest_is_offered_earlier_wishes(database, hotel, rita):
    book(
        database,
        rita,
        hotel,
        "feather-free pillows please",
        number="OLD1",
        arrival=date(2026, 1, 5),
        email="marie@example.com",
    )
    new_id = book(database, rita, hotel, "", number="NEW1", email="Marie@Example.com")
    with database.read() as session:
        from guests.models import Reservation

        reservation = session.get(Reservation, new_id)
        assert earlier_wishes(session, reservation.guest_id, new_id) == ["feather_free"]


def test_housekeeping_sees_the_instruction_not_the_health_detail(
    database, hotel, rita, hugo, alice
):
    book(database, rita, hotel, "Allergic to feathers, asthma: feather-free pillows please")
    with database.read() as session:
        [for_hugo] = [
            t for t in tasks.tasks_for(session, hugo, hotel.id) if t.code == "feather_free"
        ]
        [for_alice] = [
            t for t in tasks.tasks_for(session, alice, hotel.id) if t.code == "feather_free"
        ]
    assert for_hugo.sensitive and for_hugo.detail is None
    assert for_alice.detail


def test_tasks_of_a_day_use_the_hotels_calendar_day(database, hotel, rita, alice):
    # A wake-up call at 00:30 on the 15th in Paris is 22:30 UTC on the 14th.
    book(database, rita, hotel, "wake-up call at 0:30 please", eta=time(14, 0))
    with database.read() as session:
        on_15th = tasks.tasks_for(
            session, alice, hotel.id, day=date(2026, 7, 15), timezone="Europe/Paris"
        )
        on_14th = tasks.tasks_for(
            session, alice, hotel.id, day=date(2026, 7, 14), timezone="Europe/Paris"
        )
    assert [t.code for t in on_15th] == ["wake_up_call"]
    assert on_15th[0].due_at == datetime(2026, 7, 14, 22, 30, tzinfo=UTC)
    assert [t.code for t in on_14th] == []


@pytest.mark.parametrize("who", ["hugo", "alice"])
def test_only_reservations_and_managers_write_reservations(database, hotel, who, request):
    from core.auth import PermissionDenied

    with pytest.raises(PermissionDenied):
        book(database, request.getfixturevalue(who), hotel, "baby cot")


def test_a_later_deadline_clears_the_escalation_of_an_open_task(database, hotel, rita):
    reservation_id = book(database, rita, hotel, "baby cot please")
    [task] = tasks_of(database, reservation_id)
    with database.write() as session:
        session.get(Task, task.id).escalation_level = 2  # the managers were told it is late
    book(database, rita, hotel, "baby cot please", arrival=ARRIVAL + timedelta(days=2))
    [moved] = tasks_of(database, reservation_id)
    assert (moved.escalation_level, moved.due_at - task.due_at) == (0, timedelta(days=2))
