"""A receptionist signs the briefing, a wish changes, and the change finds her in the browser: a
notice on her landing page, a badge on the briefing in the navigation, the inbox's unread count,
and the notification in her inbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.auth import system_actor
from core.clock import now, to_local
from core.db import Database
from core.i18n import t
from core.models import Property
from core.staff import create_staff
from guests.models import Reservation
from guests.reservations import ReservationInput, save_reservation
from requests import wishes  # noqa: F401  (a saved reservation becomes tasks)
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.briefing import current_shift, shift_of, shift_window

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's front-desk account reads French
NAV = '[data-testid="stSidebarNavLink"]'


def shown(key: str, **placeholders: str) -> re.Pattern[str]:
    """The French text of `key`, whatever its values."""
    marked = t(key, FR, **{name: f"<<{name}>>" for name in placeholders})
    pattern = re.escape(marked)
    for name in placeholders:
        pattern = pattern.replace(re.escape(f"<<{name}>>"), ".+")
    return re.compile(pattern)


def book_in_this_shift(database: Database, number: str) -> None:
    """A guest with a wish, walking in during the shift running now (whatever the hour)."""
    with database.write() as session:
        hotel = session.scalars(select(Property)).first()
        day, name = current_shift(session, hotel)
        _start, end = shift_window(hotel, shift_of(session, hotel.id, name), day)
        moment = now() + min(timedelta(minutes=10), (end - now()) / 2)
        local = to_local(moment, hotel.timezone)
        # An ETA before 06:00 is the night after the arrival date (the briefing's rule).
        arrival = local.date() - timedelta(days=1) if local.hour < 6 else local.date()
        save_reservation(
            session,
            system_actor(hotel.id),
            hotel.id,
            ReservationInput(
                confirmation_number=number,
                guest_name="Zoé Attention",
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=2),
                eta=local.time().replace(second=0, microsecond=0),
                wish_text="extra pillows please",
            ),
        )


def finish_the_pillows(database: Database, number: str) -> None:
    with database.write() as session:
        task = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .join(Reservation, Reservation.id == Task.reservation_id)
            .where(Request.code == "extra_pillows", Reservation.confirmation_number == number)
        ).one()
        change_task_status(session, system_actor(task.property_id), task.id, task.version, "done")


def test_a_briefing_changed_after_signing_shows_on_landing_nav_and_inbox(
    server, browser, server_folder
):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    login = page.get_by_label(t("login.login", FR))
    expect(login).to_be_visible(timeout=60_000)  # the first page load seeds the demo hotel
    database = Database(f"sqlite:///{server_folder / 'hotel.db'}")
    book_in_this_shift(database, "ATT-1")
    with database.write() as session:  # her own account: the demo's reception stays unsigned
        hotel = session.scalars(select(Property)).first()
        create_staff(
            session,
            system_actor(hotel.id),
            name="Inès Desk",
            login="ines",
            password="ines-password",
            roles=["front_desk"],
            department="front_desk",
            property_id=hotel.id,
        )
    login.fill("ines")
    page.get_by_label(t("login.password", FR)).fill("ines-password")
    page.get_by_role("button", name=t("login.submit", FR)).click()
    page.locator(NAV, has_text=t("nav.briefing", FR)).click()
    expect(page.get_by_text("Zoé Attention", exact=False).first).to_be_visible(timeout=20_000)
    page.get_by_text(t("briefing.i_have_read", FR)).click()
    page.get_by_role("button", name=t("briefing.sign", FR)).click()
    signed = t("briefing.signed_at", FR, at="00:00").split("00:00")[0]
    expect(page.get_by_text(re.compile(re.escape(signed)))).to_be_visible(timeout=20_000)
    changed_mark = t("attention.badge_changed", FR)
    expect(page.locator(NAV, has_text=changed_mark)).to_have_count(0, timeout=20_000)

    finish_the_pillows(database, "ATT-1")  # someone else changes a wish of the briefing
    # The next page she opens (a reload would sign her out): her landing page, the arrivals.
    page.locator(NAV, has_text=t("nav.arrivals", FR)).click()
    expect(page.get_by_text(shown("attention.briefing_changed", date="", shift=""))).to_be_visible(
        timeout=20_000
    )
    expect(page.get_by_role("link", name=t("attention.open_briefing", FR))).to_be_visible(
        timeout=20_000
    )
    expect(page.locator(NAV, has_text=changed_mark)).to_have_count(1, timeout=20_000)
    inbox_link = page.locator(NAV, has_text=t("inbox.nav", FR))
    expect(inbox_link).to_have_text(re.compile(r"\(\d+\)"), timeout=20_000)
    page.screenshot(path=str(server_folder / "attention-landing.png"), full_page=True)

    inbox_link.click()
    told = shown("notify.briefing_changed", date="", shift="")
    expect(page.get_by_text(told).first).to_be_visible(timeout=20_000)

    page.locator(NAV, has_text=t("nav.briefing", FR)).click()  # read again, sign again
    expect(page.get_by_text(t("briefing.changed_since_signed", FR))).to_be_visible(timeout=20_000)
    page.get_by_text(t("briefing.i_have_read", FR)).click()
    page.get_by_role("button", name=t("briefing.sign", FR)).click()
    expect(page.get_by_text(re.compile(re.escape(signed)))).to_be_visible(timeout=20_000)
    expect(page.locator(NAV, has_text=changed_mark)).to_have_count(0, timeout=20_000)
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()
