"""The task board in a real browser: a status change reruns the card (a fragment), the owner is
picked (from the card's "More…") in a dialog that closes once saved; both reach the database."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.db import Database
from core.i18n import t
from core.models import Staff
from guests.demo import DEMO_ACCOUNTS
from requests.models import Task
from tests.e2e.conftest import cot_booked_now

pytestmark = pytest.mark.browser
LANGUAGES = {login: language for _, login, _, _, _, language in DEMO_ACCOUNTS}


def _task(database: Database, task_id: int) -> Task:
    with database.read() as session:
        task = session.get(Task, task_id)
        session.expunge(task)
        return task


def test_a_manager_starts_a_task_and_gives_it_an_owner_in_a_dialog(
    server, browser, server_database_url
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
    # The demo's own tasks of the day may all be done by the evening: this one is open.
    _, task_id = cot_booked_now(server_database_url, "TASK-E2E", "Tom Tâche")
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", lang)).click()
    start = page.locator(f".st-key-task_{task_id}_in_progress button")
    expect(start).to_be_visible(timeout=60_000)  # a loaded machine: the first board run
    database = Database(server_database_url)
    before = _task(database, task_id).owner_id  # the cot got its owner when it was created
    with database.read() as session:
        other = session.scalars(
            select(Staff.name).where(Staff.active, Staff.id != before).order_by(Staff.name)
        ).first()
    start.click()
    # The card reran alone and shows the stored status; the move is in the database.
    # "Start" is gone (an open task also offers "Done"): the card shows what is stored.
    expect(page.locator(f".st-key-task_{task_id}_in_progress")).to_have_count(0)
    expect(page.locator(f".st-key-task_{task_id}_done button")).to_be_visible()
    assert _task(database, task_id).status == "in_progress"

    # The owner is behind the card's "More…", whose buttons are built once it opens.
    expect(page.locator(f".st-key-owner_open_{task_id}")).to_have_count(0)
    page.locator(f".st-key-task_more_{task_id} button").click()
    page.locator(f".st-key-owner_open_{task_id} button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.locator(".st-key-owner_pick").click()
    page.get_by_role("option", name=other, exact=True).click()
    dialog.locator(".st-key-owner_save button").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    with database.read() as session:
        stored = session.scalar(
            select(Staff.name).join(Task, Task.owner_id == Staff.id).where(Task.id == task_id)
        )
    assert before is not None and stored == other
    assert page.get_by_text(t("error.unexpected", lang)).count() == 0
    database.dispose()
    context.close()
