"""The real thing: `streamlit run` with our `requests` package, driven in headless Chromium."""

from __future__ import annotations

import pytest

from core.i18n import t
from guests.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.browser

DEMO_LOGINS = {
    "reception": ("demo-reception", {"arrivals", "briefing", "tasks"}),
    "housekeeping": ("demo-housekeeping", {"housekeeping", "tasks"}),
    "reservations": ("demo-reservations", {"reservations", "reservation"}),
    "manager": (
        "demo-manager",
        {"dashboard", "briefing", "catalogue", "shifts", "staff", "audit", "tasks"},
    ),
}
EVERY_ROLE_PAGE = set().union(*(pages for _, pages in DEMO_LOGINS.values()))
LANGUAGE_OF_LOGIN = {login: language for _, login, _, _, _, language in DEMO_ACCOUNTS}


def _navigation(page, language: str) -> set[str]:
    """The pages in the sidebar, by url path; known by their titles (the default page's link
    is the bare root URL)."""
    paths = {t(f"nav.{path}", language): path for path in EVERY_ROLE_PAGE}
    links = page.locator('[data-testid="stSidebarNavLink"] span[label]')
    links.first.wait_for(timeout=20_000)
    return {
        paths.get(title, title)
        for title in (link.get_attribute("label") for link in links.all())
        if title
    }


def test_each_demo_role_signs_in_and_sees_its_own_navigation(server, browser):
    for login, (password, own_pages) in DEMO_LOGINS.items():
        context = browser.new_context()  # a new session: nobody signed in
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(server)
        page.get_by_text(t("login.demo_title", "fr")).wait_for()
        page.get_by_label(t("login.login", "fr")).fill(login)
        page.get_by_label(t("login.password", "fr")).fill(password)
        page.get_by_role("button", name=t("login.submit", "fr")).click()
        offered = _navigation(page, LANGUAGE_OF_LOGIN[login])
        assert own_pages <= offered, login
        assert offered & (EVERY_ROLE_PAGE - own_pages) == set(), login
        assert page.get_by_text(t("error.unexpected", "fr")).count() == 0
        assert page.get_by_text(t("error.unexpected", "en")).count() == 0
        context.close()


def test_a_job_panel_shows_its_runs_once_opened_and_a_run_made_there(server, browser):
    """The jobs page builds a job's runs table when its panel is opened (AppTest cannot open
    one): closed, no table; opened, the runs; "Run now" adds the run by a person."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server)
    page.get_by_label(t("login.login", "fr")).fill("manager")
    page.get_by_label(t("login.password", "fr")).fill("demo-manager")
    page.get_by_role("button", name=t("login.submit", "fr")).click()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("jobs.nav", "en")).click()
    panel = page.locator('[data-testid="stExpander"]',
                         has_text=t("jobs.escalate_title", "en"))
    panel.wait_for()
    recent = panel.get_by_text(t("jobs.recent", "en"))
    assert recent.count() == 0  # closed: not built
    panel.locator("summary").click()
    panel.get_by_role("button", name=t("jobs.run_now", "en")).click()
    recent.wait_for()
    panel.locator('[data-testid="stDataFrame"]').wait_for()
    assert page.get_by_text(t("error.unexpected", "en")).count() == 0
    context.close()
