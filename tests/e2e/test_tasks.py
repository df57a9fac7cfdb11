"""The task board in a real browser: a status change reruns the card (a fragment), the owner is
picked in a dialog that closes once saved; both reach the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.db import Database
from core.i18n import t
from guests.demo import DEMO_ACCOUNTS
from requests.models import Task

pytestmark = pytest.mark.browser
LANGUAGES = {login: language for _, login, _, _, _, language in DEMO_ACCOUNTS}


def _server_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    [path] = sorted(Path(tmp_path_factory.getbasetemp()).glob("server[0-9]*/hotel.db"))
    return Database(f"sqlite:///{path}")


def _task(database: Database, task_id: int) -> Task:
    with database.read() as session:
        task = session.get(Task, task_id)
        session.expunge(task)
        return task


def test_a_manager_starts_a_task_and_gives_it_an_owner_in_a_dialog(
    server, browser, tmp_path_factory
):
    lang = LANGUAGES["manager"]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_text(t("login.demo_title", "fr")).wait_for()  # the sign-in page is French
    page.get_by_label(t("login.login", "fr")).fill("manager")
    page.get_by_label(t("login.password", "fr")).fill("demo-manager")
    page.get_by_role("button", name=t("login.submit", "fr")).click()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", lang)).click()
    holder = page.locator('[class*="st-key-task_"][class*="_in_progress"]').first
    start = holder.locator("button")
    expect(start).to_be_visible(timeout=60_000)  # a loaded machine: the first board run
    key = next(
        name
        for name in holder.get_attribute("class").split()
        if name.startswith("st-key-task_") and name.endswith("_in_progress")
    )
    task_id = int(key.split("_")[1])
    database = _server_database(tmp_path_factory)
    start.click()
    # The card reran alone and shows the stored status; the move is in the database.
    expect(page.locator(f".st-key-task_{task_id}_done button")).to_be_visible()
    assert _task(database, task_id).status == "in_progress"

    page.locator(f".st-key-owner_open_{task_id} button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.locator(".st-key-owner_pick").click()
    page.get_by_role("option").nth(1).click()  # the first person after "unassigned"
    dialog.locator(".st-key-owner_save button").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    stored = _task(database, task_id)
    assert stored.owner_id is not None
    assert page.get_by_text(t("error.unexpected", lang)).count() == 0
    database.dispose()
    context.close()
