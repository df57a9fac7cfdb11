"""Reception's shift in a real browser: sign the briefing, open an arrival card, check in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import room_left_dirty

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's front-desk account reads French


def test_reception_signs_the_briefing_then_checks_a_guest_in(server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill("reception")
    page.get_by_label(t("login.password", FR)).fill("demo-reception")
    page.get_by_role("button", name=t("login.submit", FR)).click()

    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.briefing", FR)).click()
    expect(page.get_by_text(t("briefing.not_signed", FR))).to_be_visible()
    page.get_by_text(t("briefing.i_have_read", FR)).click()
    page.get_by_role("button", name=t("briefing.sign", FR)).click()
    signed = t("briefing.signed_at", FR, at="00:00").split("00:00")[0]
    expect(page.get_by_text(re.compile(re.escape(signed)))).to_be_visible()

    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.arrivals", FR)).click()
    card = page.locator('[data-testid="stExpander"]', has_text="Thomas Leroy")
    card.get_by_text("Thomas Leroy").first.click()  # open the arrival card
    expect(card.get_by_text(t("readiness.room_ready", FR), exact=True)).to_be_visible()
    card.get_by_role("button", name=t("checkin.submit", FR)).click()
    # The confirmation names the guest and the room, and stays until the next action.
    confirmation = t("checkin.done_now", FR, guest="Thomas Leroy", room="201")
    expect(page.get_by_text(confirmation)).to_be_visible()
    # Read back from the database: the card's title now carries the checked-in mark, and
    # opened again it says when.
    checked_in = re.escape(t("checkin.state_checked_in", FR))
    title = page.get_by_text(re.compile(rf"^\d\d:\d\d · Thomas Leroy · 201 · {checked_in}$"))
    expect(title).to_be_visible()
    card = page.locator('[data-testid="stExpander"]', has=title)
    if not card.get_by_role("button").count():  # a rerun may have closed the card: open it
        title.click()
    done = t("checkin.done", FR, at="00:00").split("00:00")[0]
    expect(card.get_by_text(re.compile(re.escape(done)))).to_be_visible()
    expect(page.get_by_text(confirmation)).to_be_visible()  # opening a card is no action
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.briefing", FR)).click()
    expect(page.get_by_text(confirmation)).to_have_count(0)
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()


def test_a_manager_s_password_typed_at_check_in_is_checked_by_the_service(
    server, browser, server_database_url
):
    """Room 409 is still dirty: reception checks Mr Yamada in on a manager's override. A wrong
    password is refused with a message and the form keeps what was typed; the right one
    checks him in."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill("reception")
    page.get_by_label(t("login.password", FR)).fill("demo-reception")
    page.get_by_role("button", name=t("login.submit", FR)).click()
    expect(page.get_by_role("heading", name=t("arrivals.title", FR))).to_be_visible()
    room_left_dirty(server_database_url, "409")  # the page opened next reads it
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.arrivals", FR)).click()
    card = page.locator('[data-testid="stExpander"]', has_text="山田 太郎")
    card.get_by_text("山田 太郎").first.click()
    expect(card.get_by_text(t("checkin.blocker_room_not_ready", FR)).first).to_be_visible()
    # The override is a dialog, opened from the card.
    card.get_by_role("button", name=t("checkin.override_open", FR)).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(t("checkin.reviewed", FR)).click()
    dialog.get_by_label(t("checkin.override_reason", FR)).fill("chambre finie dans 5 minutes")
    dialog.get_by_label(t("checkin.manager_login", FR)).fill("manager")
    dialog.get_by_label(t("login.password", FR)).fill("not-the-password")
    dialog.get_by_role("button", name=t("checkin.submit", FR)).click()
    expect(dialog.get_by_text(t("checkin.error_manager_credentials", FR))).to_be_visible()

    # Refused, the dialog keeps what was typed: the right password checks him in.
    dialog.get_by_label(t("login.password", FR)).fill("demo-manager")
    assert dialog.get_by_label(t("checkin.override_reason", FR)).input_value()
    assert dialog.get_by_role("checkbox", name=t("checkin.reviewed", FR)).is_checked()
    dialog.get_by_role("button", name=t("checkin.submit", FR)).click()
    checked_in = re.escape(t("checkin.state_checked_in", FR))
    title = re.compile(rf"^\d\d:\d\d · 山田 太郎 · 409 · {checked_in}$")
    expect(page.get_by_text(title)).to_be_visible()
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()
