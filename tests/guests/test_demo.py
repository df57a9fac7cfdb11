"""The demo hotel: what a new install shows until the hotel enters its own data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from core import clock
from core.auth import ROLES, actor_for, system_actor
from core.models import Property, Staff
from core.settings import ROOT
from core.staff import reset_password, set_active
from guests.demo import DEMO_ACCOUNTS, demo_logins, seed_demo
from guests.models import Guest, Reservation, Room
from guests.properties import create_property

# 23:30 UTC on 1 June is already 01:30 on 2 June in Paris: the demo's "today" is the hotel's.
LATE_EVENING_UTC = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
PARIS_TODAY = date(2026, 6, 2)


@pytest.fixture
def demo(database) -> Property:
    clock.set_now(LATE_EVENING_UTC)
    with database.write() as session:
        hotel = seed_demo(session)
    assert hotel is not None
    return hotel


def _manager(database):
    with database.read() as session:
        return actor_for(session.scalars(select(Staff).where(Staff.login == "manager")).one())


def test_the_demo_hotel_is_in_paris_with_the_usual_times(database, demo):
    with database.read() as session:
        [hotel] = session.scalars(select(Property)).all()
    assert (hotel.code, hotel.name, hotel.is_demo) == ("DEMO", "Hôtel des Tilleuls", True)
    assert hotel.timezone == "Europe/Paris"
    assert (hotel.check_in_time, hotel.check_out_time) == (time(15, 0), time(11, 0))


def test_the_demo_hotel_has_sixty_rooms_on_five_floors(database, demo):
    with database.read() as session:
        rooms = session.scalars(select(Room).where(Room.property_id == demo.id)).all()
    assert len(rooms) == 60
    assert Counter(room.floor for room in rooms) == {floor: 12 for floor in range(1, 6)}
    assert len({room.room_type for room in rooms}) >= 4
    assert all(room.features for room in rooms)
    features = {feature for room in rooms for feature in room.features}
    assert {"bathtub", "accessible", "view"} <= features
    assert {room.number: room.connecting_to for room in rooms if room.connecting_to} == {
        "105": "106", "106": "105"}


def test_the_demo_hotel_has_one_account_per_role(database, demo):
    """One demo sign-in per role (the rest of the team is in test_every_department_has_staff)."""
    logins = [login for _, login, *_ in DEMO_ACCOUNTS]
    with database.read() as session:
        people = session.scalars(
            select(Staff).where(Staff.property_id == demo.id, Staff.login.in_(logins))
        ).all()
    assert sorted(role for person in people for role in person.roles) == sorted(ROLES)
    assert all(person.active and person.password_hash.startswith("$argon2id$")
               for person in people)


def test_the_demo_arrivals_are_today_and_the_next_two_days_at_the_hotel(database, demo):
    with database.read() as session:
        arrivals = Counter(session.scalars(
            select(Reservation.arrival_date).where(
                Reservation.property_id == demo.id, Reservation.status == "booked")))
    assert set(arrivals) == {PARIS_TODAY + timedelta(days=n) for n in range(3)}
    assert all(count >= 5 for count in arrivals.values())


def test_the_demo_has_guests_in_the_house_leaving_today_and_staying_over(database, demo):
    """A whole day on the boards: departures to check out, stay-overs, a room out of order."""
    with database.read() as session:
        in_house = session.execute(
            select(Reservation.arrival_date, Reservation.departure_date, Room.number)
            .join(Room, Room.id == Reservation.room_id)
            .where(Reservation.status == "checked_in", Reservation.checked_in_at.is_not(None))
        ).all()
        out_of_order = session.scalars(
            select(Room.number).where(Room.housekeeping_status == "out_of_order")).all()
    assert all(arrival < PARIS_TODAY for arrival, _, _ in in_house)
    leaving = sorted(departure for _, departure, _ in in_house)
    assert leaving[:2] == [PARIS_TODAY, PARIS_TODAY] and all(d > PARIS_TODAY for d in leaving[2:])
    assert len(leaving) == 4 and len({number for *_, number in in_house}) == 4
    assert out_of_order == ["512"]


def test_the_demo_wishes_are_written_in_five_languages(database, demo):
    with database.read() as session:
        languages = set(session.scalars(
            select(Guest.language).join(Reservation, Reservation.guest_id == Guest.id)
            .where(Reservation.wish_text != "")))
    assert {"fr", "en", "de", "es", "it"} <= languages


def test_the_demo_is_seeded_only_into_an_empty_database(database, demo):
    with database.write() as session:
        assert seed_demo(session) is None
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Property)) == 1
        assert session.scalar(select(func.count()).select_from(Room)) == 60


def test_the_demo_is_not_seeded_over_a_real_hotel(database, hotel):
    with database.write() as session:
        assert seed_demo(session) is None
        assert session.scalars(select(Property.code)).all() == ["HOTEL"]


def test_the_login_page_shows_the_demo_accounts_while_the_demo_is_active(database, demo):
    with database.read() as session:
        shown = demo_logins(session)
    assert shown == [(role, login, password) for role, login, password, *_ in DEMO_ACCOUNTS]


def test_a_demo_password_reset_hides_that_account_from_the_login_page(database, demo):
    manager = _manager(database)
    with database.write() as session:
        reception = session.scalars(select(Staff).where(Staff.login == "reception")).one()
        reset_password(session, manager, reception.id, "a-real-secret")
        housekeeping = session.scalars(select(Staff).where(Staff.login == "housekeeping")).one()
        set_active(session, manager, housekeeping.id, False)
    with database.read() as session:
        assert [login for _, login, _ in demo_logins(session)] == ["reservations", "manager"]


def test_no_demo_accounts_are_shown_without_the_demo_hotel(database, hotel, maria):
    with database.read() as session:
        assert demo_logins(session) == []


def test_no_demo_accounts_are_shown_once_the_demo_is_switched_off(database, demo):
    with database.write() as session:
        session.get(Property, demo.id).is_demo = False
    with database.read() as session:
        assert demo_logins(session) == []


def _python_m_guests_demo(url: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "guests", "demo"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_python_m_guests_demo_seeds_an_empty_database_and_refuses_a_second_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'hotel.db'}"
    first = _python_m_guests_demo(url)
    assert first.returncode == 0, first.stderr
    assert "Hôtel des Tilleuls" in first.stdout
    second = _python_m_guests_demo(url)
    assert second.returncode == 1
    assert "already holds a hotel" in second.stderr


def test_python_m_guests_demo_refuses_a_database_with_a_hotel(database_url, database):
    with database.write() as session:
        create_property(session, system_actor(None), code="REAL", name="Hôtel réel")
    refused = _python_m_guests_demo(database_url)
    assert refused.returncode == 1
    with database.read() as session:
        assert session.scalars(select(Property.code)).all() == ["REAL"]
