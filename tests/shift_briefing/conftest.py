"""A small hotel day for the briefing tests: rooms, and a helper to book arrivals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.auth import Actor, system_actor
from core.clock import set_now
from core.db import Database
from core.models import Property
from guests.reservations import ReservationInput, save_reservation
from guests.rooms import add_room
from tests.requests.guest_support import smtp  # noqa: F401  (a local SMTP server)

DAY = date(2026, 7, 14)  # a summer day in Paris (UTC+2)


@pytest.fixture
def rooms(database: Database, hotel: Property) -> None:
    """101 double (quiet), 102 twin, 201 accessible with bathtub, 202 double with a view."""
    with database.write() as session:
        system = system_actor(hotel.id)
        add_room(session, system, hotel.id, "101", floor=1, features=["double", "quiet"])
        add_room(session, system, hotel.id, "102", floor=1, features=["twin"])
        add_room(session, system, hotel.id, "201", floor=2, features=["accessible", "bathtub"])
        add_room(session, system, hotel.id, "202", floor=2, features=["double", "view"])


@pytest.fixture
def morning_of_the_day() -> None:
    """The clock reads 10:00 in Paris on the day."""
    set_now(datetime(2026, 7, 14, 8, 0, tzinfo=UTC))


@pytest.fixture
def book(database: Database, hotel: Property, rita: Actor, rooms: None, morning_of_the_day: None):
    def book(
        number: str,
        name: str,
        text: str = "",
        *,
        eta: time | None = None,
        room: str | None = None,
        arrival: date = DAY,
        nights: int = 2,
        vip: int = 0,
    ) -> int:
        with database.write() as session:
            saved = save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name=name,
                    arrival_date=arrival,
                    departure_date=arrival + timedelta(days=nights),
                    eta=eta,
                    room_number=room,
                    wish_text=text,
                    vip_level=vip,
                ),
            )
            return saved.reservation.id

    return book


def open_arrival(app, reservation_id: int):
    """What a click on an arrival card's title does: the card opens (its content, and its
    check-in form, are built only then)."""
    app.session_state[f"arrival_{reservation_id}"] = True
    return app.run()
