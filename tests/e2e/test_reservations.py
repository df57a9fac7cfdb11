"""Reservations and the front desk in a real browser, read back from the database: a taken
number offers to open it, two agents on one reservation are told, a booked room is refused
with its guest's name, and check-out leaves the room dirty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.auth import current_actor
from core.db import Database
from core.i18n import t
from core.models import Staff
from guests.models import Guest, Reservation
from shift_briefing.checkin import check_in

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's accounts read French


@pytest.fixture(scope="module")
def hotel_db(server, browser, tmp_path_factory) -> Database:
    """The server's own SQLite file (the `server` fixture makes it in a "server" folder); the
    first visit migrates it and seeds the demo hotel."""
    page = browser.new_page()
    page.goto(server)
    expect(page.get_by_label(t("login.login", FR))).to_be_visible(timeout=60_000)
    page.close()
    [path] = sorted(Path(tmp_path_factory.getbasetemp()).glob("server[0-9]*/hotel.db"))
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def signed_in(browser, server, login: str, password: str) -> Page:
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill(login)
    page.get_by_label(t("login.password", FR)).fill(password)
    page.get_by_role("button", name=t("login.submit", FR)).click()
    return page


def go_to(page: Page, title_key: str) -> None:
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t(title_key, FR)).click()


def number_of(database: Database, guest_name: str) -> str:
    """The confirmation number of a demo guest's stay: it says the day the demo was seeded
    ("DM" + month and day + the booking's number), so it is read, never written out."""
    with database.read() as session:
        [number] = session.scalars(
            select(Reservation.confirmation_number).join(Guest).where(Guest.name == guest_name)
        ).all()
    return number


def stored(database: Database, number: str) -> Reservation:
    with database.read() as session:
        found = session.scalar(select(Reservation).where(Reservation.confirmation_number == number))
        assert found is not None
        session.expunge_all()
        return found


def open_from_the_list(page: Page, row: int) -> None:
    """A click on the row's selection cell of the reservations list (a canvas grid)."""
    go_to(page, "nav.reservations")
    grid = page.locator('[data-testid="stDataFrame"]')
    expect(grid).to_be_visible()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + row * 35 + 17)


def prefix(key: str, **values) -> re.Pattern:
    """A message whatever its placeholders hold."""
    text = t(key, FR, **{name: "\x00" for name in values})
    return re.compile(".*".join(re.escape(part) for part in text.split("\x00")))


def test_creating_with_a_taken_number_is_refused_and_offers_to_open_it(server, browser, hotel_db):
    number = number_of(hotel_db, "Hannah Schmidt")
    taken = stored(hotel_db, number)
    page = signed_in(browser, server, "reservations", "demo-reservations")
    go_to(page, "nav.reservation")
    expect(page.get_by_text(t("reservation.creating", FR))).to_be_visible()
    page.get_by_label(t("reservations.confirmation", FR)).fill(number)
    page.get_by_label(t("reservations.guest", FR), exact=True).fill("Quelqu'un d'autre")
    page.get_by_role("button", name=t("reservation.create", FR)).click()
    expect(
        page.get_by_text(
            prefix("reservation.error_exists", number="", guest="", arrival="", departure="")
        )
    ).to_be_visible()
    page.get_by_role("button", name=t("reservation.open_existing", FR, number=number)).click()
    expect(
        page.get_by_text(t("reservation.editing", FR, number=number, guest="Hannah Schmidt"))
    ).to_be_visible()
    after = stored(hotel_db, number)
    assert (after.guest.name, after.version) == ("Hannah Schmidt", taken.version)
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    page.context.close()


def test_two_agents_on_one_reservation_the_second_sees_both_values(server, browser, hotel_db):
    number = number_of(hotel_db, "Giulia Romano")
    first = signed_in(browser, server, "reservations", "demo-reservations")
    second = signed_in(browser, server, "reservations", "demo-reservations")
    for page in (first, second):
        open_from_the_list(page, 1)  # Giulia Romano, the second arrival of the day
        expect(
            page.get_by_text(
                t("reservation.editing", FR, number=number, guest="Giulia Romano")
            )
        ).to_be_visible()
    first.get_by_label(t("reservation.adults", FR)).fill("3")
    first.get_by_role("button", name=t("reservation.save", FR), exact=True).click()
    expect(first.get_by_text(prefix("reservation.saved", number=""))).to_be_visible()
    second.get_by_label(t("reservation.children", FR)).fill("2")
    second.get_by_role("button", name=t("reservation.save", FR), exact=True).click()
    expect(second.get_by_text(prefix("reservation.error_changed", who="", at=""))).to_be_visible()
    table = second.locator('[data-testid="stTable"]')
    expect(table).to_contain_text(t("reservation.field_adults", FR))
    expect(table).to_contain_text(t("reservation.field_children", FR))
    assert (stored(hotel_db, number).adults, stored(hotel_db, number).children) == (
        3,
        0,
    )  # nothing of the second agent's was written
    second.get_by_role("button", name=t("reservation.keep_mine", FR)).click()
    expect(second.get_by_text(prefix("reservation.saved", number=""))).to_be_visible()
    final = stored(hotel_db, number)
    assert (final.adults, final.children) == (3, 2)  # both changes, neither lost
    for page in (first, second):
        assert page.get_by_text(t("error.unexpected", FR)).count() == 0
        page.context.close()


def test_a_room_booked_for_those_nights_is_refused_with_the_guests_name(server, browser, hotel_db):
    page = signed_in(browser, server, "reservations", "demo-reservations")
    go_to(page, "nav.reservation")
    page.get_by_label(t("reservations.confirmation", FR)).fill("E2E-ROOM")
    page.get_by_label(t("reservations.guest", FR), exact=True).fill("Nouveau Client")
    page.get_by_label(t("room.label", FR)).click()
    page.keyboard.type("211")  # Hannah Schmidt's room, for 4 nights from today
    page.get_by_role("option", name="211", exact=True).click()
    page.get_by_role("button", name=t("reservation.create", FR)).click()
    expect(page.get_by_text(re.compile("Hannah Schmidt"))).to_be_visible()
    expect(
        page.get_by_text(
            prefix("room.error_taken", room="", guest="", number="", arrival="", departure="")
        )
    ).to_be_visible()
    with hotel_db.read() as session:
        assert (
            session.scalar(select(Reservation).where(Reservation.confirmation_number == "E2E-ROOM"))
            is None
        )
    page.context.close()


def test_check_out_leaves_the_room_dirty(server, browser, hotel_db):
    number = number_of(hotel_db, "Łukasz Wróbel")  # room 402, one night
    guest = stored(hotel_db, number)
    with hotel_db.write() as session:
        manager = current_actor(
            session, session.scalar(select(Staff.id).where(Staff.login == "manager"))
        )
        check_in(
            session,
            manager,
            guest.property_id,
            guest.id,
            wishes_reviewed=True,
            override_reason="browser test: guest in house",
        )
    page = signed_in(browser, server, "reception", "demo-reception")
    go_to(page, "nav.arrivals")
    label = t("arrivals.day", FR)
    for part, value in (("year", "%Y"), ("month", "%m"), ("day", "%d")):
        spin = page.get_by_role("spinbutton", name=f"{part}, {label}")
        spin.click()
        page.keyboard.type(guest.departure_date.strftime(value))
    page.keyboard.press("Escape")  # close the calendar; leaving the field sets the date
    page.get_by_role("heading", name=t("arrivals.title", FR)).click()
    expect(page.get_by_role("heading", name=t("stay.departures", FR))).to_be_visible()
    # That day has other departures too (the demo's stay-overs): this guest's button.
    page.locator(f".st-key-check_out_{guest.id} button").click()
    expect(page.get_by_text(prefix("stay.checked_out", guest="", room=""))).to_be_visible()
    after = stored(hotel_db, number)
    assert (after.status, after.room.housekeeping_status) == ("checked_out", "dirty")
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    page.context.close()


def test_front_desk_moves_a_guest_and_the_card_follows(server, browser, hotel_db):
    number = number_of(hotel_db, "Marie Dubois")  # room 104, a baby cot to prepare
    guest = stored(hotel_db, number)
    page = signed_in(browser, server, "reception", "demo-reception")
    go_to(page, "nav.arrivals")
    card = page.locator('[data-testid="stExpander"]', has_text="Marie Dubois")
    card.get_by_text("Marie Dubois").first.click()
    picker = card.get_by_label(t("stay.move_to", FR))
    expect(picker).to_be_visible()
    page.wait_for_timeout(1000)  # the opened card settles (a rerun redraws it) before typing
    picker.click()
    page.keyboard.type("2")  # the list shows the second floor's rooms free on all the nights
    option = page.get_by_role("option").first
    target = option.inner_text().strip()
    option.click()
    card.get_by_role("button", name=t("stay.move", FR)).click()
    expect(page.get_by_text(t("stay.moved", FR, old="104", new=target))).to_be_visible()
    expect(page.get_by_text(re.compile(rf"· Marie Dubois · {re.escape(target)} ·"))).to_be_visible()
    after = stored(hotel_db, number)
    assert after.room.number == target != "104"
    assert after.id == guest.id
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    page.context.close()
