"""A late booking's task in a real browser: it reads "booked late", not overdue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import cot_booked_now

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's housekeeping account reads French


def test_a_late_bookings_task_reads_booked_late_not_overdue(
    server, browser, server_database_url, tmp_path_factory
):
    """A guest in the house since yesterday is typed in now (a late import): the cot is due in
    half an hour, and the housekeeping board says "booked late", without any overdue mark."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", FR)).fill("housekeeping")
    page.get_by_label(t("login.password", FR)).fill("demo-housekeeping")
    page.get_by_role("button", name=t("login.submit", FR)).click()
    expect(page.locator('[data-testid="stSidebarNavLink"]').first).to_be_visible()
    # The server made its database and the demo at the first page; the booking comes now.
    free, _ = cot_booked_now(server_database_url, "LATE-E2E", "Zélie Tardive")

    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", FR)).click()
    room = f"{t('room.label', FR)} {free}"
    head = page.locator('[data-testid="stAlert"]', has_text=room)
    expect(head).to_contain_text(t("tasks.booked_late", FR))
    expect(page.get_by_text("Zélie Tardive", exact=False)).to_be_visible()
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "booked_late.png"), full_page=True)
    assert head.count() == 1 and t("tasks.overdue", FR) not in head.inner_text()
    assert page.get_by_text(t("error.unexpected", FR)).count() == 0
    context.close()
