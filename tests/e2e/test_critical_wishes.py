"""A critical health wish in a real browser: the red box on the arrival card, and a check-in
refused until the agent confirms the kitchen was informed (the form keeps what was ticked).

The test books its own guest (arriving late tonight, room ready) in the server's database, so
that whatever the demo's story has already done by the hour the suite runs, the guest's
allergy task is open when reception checks them in."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.auth import system_actor
from core.clock import today
from core.db import get_database
from core.i18n import t
from core.models import Staff
from guests.models import Reservation
from guests.properties import first_property
from guests.reservations import ReservationInput, save_reservation
from guests.stays import free_rooms
from requests.models import Request, Task
from requests.states import OPEN

pytestmark = pytest.mark.browser
FR = "fr"
GUEST = "Ottilie Arachide"


def book_a_coeliac_guest_tonight(url: str) -> str:
    database = get_database(url)
    with database.write() as session:
        hotel = first_property(session)
        assert hotel is not None
        arrival = today(hotel.timezone)
        room = free_rooms(session, hotel.id, arrival, arrival + timedelta(days=1))[0]
        room.housekeeping_status = "inspected"  # ready: no manager needed for this check-in
        saved = save_reservation(
            session,
            system_actor(hotel.id, "import"),
            hotel.id,
            ReservationInput(
                confirmation_number="E2E-CRITICAL",
                guest_name=GUEST,
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=1),
                eta=time(23, 30),
                room_number=room.number,
                wish_text="Coeliac, severe: strictly no gluten please",
            ),
        )
        assert session.scalar(select(Staff).where(Staff.login == "reception")) is not None
        [allergy] = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == saved.reservation.id, Request.code == "food_allergy")
        )
        assert allergy.status in OPEN
        return room.number


def test_reception_must_confirm_the_kitchen_before_checking_in_a_coeliac_guest(
    server, browser, server_database_url
):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill("reception")
    page.get_by_label(t("login.password", FR)).fill("demo-reception")
    page.get_by_role("button", name=t("login.submit", FR)).click()
    expect(page.locator('[data-testid="stSidebarNavLink"]').first).to_be_visible()
    room = book_a_coeliac_guest_tonight(server_database_url)
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.arrivals", FR)).click()

    card = page.locator('[data-testid="stExpander"]', has_text=GUEST)
    card.get_by_text(GUEST).first.click()
    alert = card.locator('[data-testid="stAlertContentError"]', has_text="CRITIQUE")
    expect(alert).to_contain_text("Allergie alimentaire")
    expect(alert).to_contain_text("Coeliac")
    card.get_by_text(t("checkin.reviewed", FR)).click()
    card.get_by_role("button", name=t("checkin.submit", FR)).click()
    # refused: the message names the wish, and the guest is still expected
    card = page.locator('[data-testid="stExpander"]', has_text=GUEST)
    if not card.get_by_role("button").count():  # a rerun may have closed the card: open it
        card.get_by_text(GUEST).first.click()
    kitchen = t("checkin.kitchen_informed", FR, wishes="Allergie alimentaire")
    expect(card.get_by_text(kitchen)).to_be_visible()
    card.get_by_text(kitchen).click()
    reviewed = card.get_by_role("checkbox", name=t("checkin.reviewed", FR))
    if not reviewed.is_checked():
        card.get_by_text(t("checkin.reviewed", FR)).click()
    card.get_by_role("button", name=t("checkin.submit", FR)).click()
    expect(page.get_by_text(t("checkin.done_now", FR, guest=GUEST, room=room))).to_be_visible()
    with get_database(server_database_url).read() as session:
        stored = session.scalar(
            select(Reservation).where(Reservation.confirmation_number == "E2E-CRITICAL")
        )
        assert stored.status == "checked_in"
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()
