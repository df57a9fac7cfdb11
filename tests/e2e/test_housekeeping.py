"""Housekeeping on a phone, in a real browser: the navigation gets out of the way after a pick,
and a refused tick ("inspect after cleaning") is said, put back, and never saved later."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.auth import actor_for
from core.clock import today
from core.db import get_database
from core.i18n import t
from core.models import Staff
from guests.models import Room
from guests.properties import first_property
from shift_briefing.board import ROOM_STATES, housekeeping_board
from shift_briefing.housekeeping_ui import ICONS
from shift_briefing.readiness import standard_items
from tests.e2e.conftest import room_left_dirty

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's housekeeping account reads French
# A phone's width in a desktop browser: Streamlit closes its navigation by itself only for a
# phone's user agent, core.ui closes it at this width too.
PHONE = {"viewport": {"width": 390, "height": 844}}
LABELS = {item.key: item.label(FR) for item in standard_items(None)}


def _sign_in(page, server: str) -> None:
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill("housekeeping")
    page.get_by_label(t("login.password", FR)).fill("demo-housekeeping")
    page.get_by_role("button", name=t("login.submit", FR)).click()
    expect(page.get_by_role("heading", name=t("housekeeping.title", FR))).to_be_visible()


def _on_floor(page, floor: int) -> None:
    """The board shows 30 rooms a page: the floor filter brings the room's floor up."""
    page.locator(".st-key-board_floor").get_by_role("combobox").click()
    page.get_by_role("option", name=t("housekeeping.floor", FR, floor=floor)).click()
    expect(
        page.get_by_role("heading", name=t("housekeeping.floor", FR, floor=floor))
    ).to_be_visible()


def _status(database_url: str, room_id: int) -> str:
    with get_database(database_url).read() as session:
        return session.get(Room, room_id).housekeeping_status


def _until_stored(database_url: str, room_id: int, expected: str) -> None:
    """Waits for the app's write (the page answers a click before its rerun commits)."""
    deadline = time.monotonic() + 20
    while _status(database_url, room_id) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _status(database_url, room_id) == expected


def _counts_line(database_url: str, floor: int) -> str:
    """The board's line of room states for `floor` as stored now, as the page words it (an
    icon's text is its name: "cleaning_services Libre sale 2 · check Libre propre 1...")."""
    with get_database(database_url).read() as session:
        hotel = first_property(session)
        attendant = actor_for(
            session.scalars(select(Staff).where(Staff.login == "housekeeping")).one()
        )
        counts = housekeeping_board(session, attendant, hotel, today(hotel.timezone)).counts(floor)
    return " · ".join(
        f"{ICONS[name].strip(':').split('/')[1]} {t(f'board.{name}', FR)} {counts[name]}"
        for name in ROOM_STATES
        if counts[name]
    )


def _card(page, room_id: int):
    return page.locator(f".st-key-board_room_{room_id}")


def _box(page, room_id: int, item: str):
    """The room's box once the page has settled (during a rerun the old one may linger)."""
    box = _card(page, room_id).get_by_role("checkbox", name=LABELS[item])
    expect(box).to_have_count(1)
    return box


def test_a_refused_inspection_is_said_put_back_and_never_saved_later(
    server, server_database_url, browser, tmp_path
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, server)  # the server's first visit seeds the demo hotel
    number = "402"  # Mr Wróbel's, tonight
    room_id = room_left_dirty(server_database_url, number)

    # At phone width the navigation closes once a page is picked.
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    tasks = page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", FR))
    tasks.click()
    expect(page.get_by_role("heading", name=t("tasks.title", FR))).to_be_visible()
    expect(tasks).not_to_be_in_viewport()
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.housekeeping", FR)).click()
    expect(page.get_by_role("heading", name=t("housekeeping.title", FR))).to_be_visible()
    _on_floor(page, 4)

    card = _card(page, room_id)
    card.scroll_into_view_if_needed()
    card.get_by_text(LABELS["inspected"]).click()
    refusal = t("room.error_inspect_before_clean", FR, room=number)
    expect(card.get_by_text(refusal)).to_be_visible()
    expect(_box(page, room_id, "inspected")).not_to_be_checked()
    page.screenshot(path=str(tmp_path / "refused.png"))
    assert _status(server_database_url, room_id) == "dirty"

    page.reload()  # a new session reads the database afresh
    _sign_in(page, server)
    _on_floor(page, 4)
    expect(_box(page, room_id, "inspected")).not_to_be_checked()
    expect(_card(page, room_id).get_by_text(refusal)).to_have_count(0)
    assert _status(server_database_url, room_id) == "dirty"

    # The next tick saves what the person did, and only that: cleaned, not inspected.
    card = _card(page, room_id)
    card.scroll_into_view_if_needed()
    card.get_by_text(LABELS["cleaned"]).click()
    _until_stored(server_database_url, room_id, "clean")
    # The counts above the cards are the database's too, without a reload.
    expect(page.get_by_text(_counts_line(server_database_url, 4))).to_be_visible()
    page.reload()
    _sign_in(page, server)
    _on_floor(page, 4)
    expect(_box(page, room_id, "cleaned")).to_be_checked()
    expect(_box(page, room_id, "inspected")).not_to_be_checked()
    assert _status(server_database_url, room_id) == "clean"
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()
