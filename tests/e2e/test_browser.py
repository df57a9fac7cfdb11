"""The real thing: `streamlit run` with our `requests` package, driven in headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.i18n import t
from core.settings import ROOT
from guests.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEMO_LOGINS = {
    "reception": ("demo-reception", {"arrivals", "briefing", "tasks"}),
    "housekeeping": ("demo-housekeeping", {"housekeeping", "tasks"}),
    "reservations": ("demo-reservations", {"reservations", "reservation"}),
    "manager": ("demo-manager", {"dashboard", "catalogue", "staff", "audit", "tasks"}),
}
EVERY_ROLE_PAGE = set().union(*(pages for _, pages in DEMO_LOGINS.values()))
LANGUAGES = {login: language for _, login, _, _, _, language in DEMO_ACCOUNTS}


def _chromium_or_skip() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: the browser test did not run (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: a skip is a failure)")
        pytest.skip(reason)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free port, against a new SQLite database."""
    _chromium_or_skip()
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'hotel.db'}",
        "HOTEL_DATA_DIR": str(folder),
        "HOTEL_DEMO": "true",
    }
    environment.pop("HOTEL_IDLE_TIMEOUT_MINUTES", None)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
         "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Streamlit server did not start:\n"
                            + (folder / "server.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    server_log = (folder / "server.log").read_text()
    assert "Traceback" not in server_log, server_log


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(_chromium_or_skip()),
                                              headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _navigation(page, language: str) -> set[str]:
    """The pages in the sidebar, by url path; known by their titles (the default page's link
    is the bare root URL)."""
    paths = {t(f"nav.{path}", language): path for path in EVERY_ROLE_PAGE}
    links = page.locator('[data-testid="stSidebarNavLink"] span[label]')
    links.first.wait_for(timeout=20_000)
    return {paths.get(title, title) for title in
            (link.get_attribute("label") for link in links.all()) if title}


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
        offered = _navigation(page, LANGUAGES[login])
        assert own_pages <= offered, login
        assert offered & (EVERY_ROLE_PAGE - own_pages) == set(), login
        assert page.get_by_text(t("error.unexpected", "fr")).count() == 0
        assert page.get_by_text(t("error.unexpected", "en")).count() == 0
        context.close()
