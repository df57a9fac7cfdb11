"""Downloads in a real browser: the file is made at the click for a person checked then
(the briefing, archive and checklist PDFs, the import's refused rows).

The page stays on screen after the idle timeout or after a manager deactivated the account;
the download button on it must then give nothing, and the next step shows why.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.auth import actor_for
from core.clock import now, today
from core.db import Database
from core.i18n import t
from core.models import Property, Staff
from core.staff import set_active
from shift_briefing.models import BriefingArchive
from tests.e2e.conftest import chromium_or_skip, running_server

pytestmark = pytest.mark.browser
FR = "fr"  # the demo's front-desk and housekeeping accounts read French
IDLE_MINUTES = 0.25  # 15 seconds
FAILED = "Failed to generate file for download"  # Streamlit's own words under the button


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    chromium_or_skip()
    folder = tmp_path_factory.mktemp("idle_server")
    with running_server(folder, HOTEL_IDLE_TIMEOUT_MINUTES=str(IDLE_MINUTES)) as base:
        yield base, Database(f"sqlite:///{folder / 'hotel.db'}")


def signed_in(browser, base: str, login: str, password: str, page_title: str):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base)
    page.get_by_label(t("login.login", FR)).fill(login)
    page.get_by_label(t("login.password", FR)).fill(password)
    page.get_by_role("button", name=t("login.submit", FR)).click()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=page_title).click()
    return context, page


def downloads(page, button) -> bytes:
    expect(button).to_be_visible()
    # A page that just opened may run once more (its first run's notices); a button of the
    # run before points to a file that run dropped ("Deferred file … not found").
    page.wait_for_timeout(1_500)
    with page.expect_download(timeout=20_000) as arrived:
        button.click()
    return arrived.value.path().read_bytes()


def refused(page, button) -> None:
    """The click gives no file: Streamlit says so under the button (for five seconds)."""
    came: list[object] = []
    page.on("download", lambda download: came.append(download))
    button.click()
    expect(page.get_by_text(FAILED)).to_be_visible(timeout=4_000)
    page.wait_for_timeout(1_000)
    assert came == []


def test_the_briefing_pdf_is_refused_after_the_idle_timeout(idle_server, browser):
    base, _ = idle_server
    context, page = signed_in(browser, base, "reception", "demo-reception", t("nav.briefing", FR))
    button = page.get_by_role("button", name=t("briefing.print", FR))
    assert downloads(page, button).startswith(b"%PDF")
    time.sleep(IDLE_MINUTES * 60 + 2)
    refused(page, button)
    # The next step lands on the sign-in page, which says why.
    page.get_by_role("button", name=t("briefing.print", FR)).focus()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", FR)).click()
    expect(page.get_by_text(t("session.refused_idle", FR, minutes=IDLE_MINUTES))).to_be_visible()
    context.close()


def _deactivated(database, login: str) -> None:
    """A manager deactivates the account `login`, while its session is open in the browser."""
    with database.write() as session:
        manager = actor_for(session.query(Staff).filter_by(login="manager").one())
        person = session.query(Staff).filter_by(login=login).one()
        set_active(session, manager, person.id, False)


def test_the_checklist_pdf_is_refused_once_the_account_is_deactivated(idle_server, browser):
    base, database = idle_server
    context, page = signed_in(
        browser, base, "housekeeping", "demo-housekeeping", t("nav.housekeeping", FR)
    )
    button = page.get_by_role("button", name=t("housekeeping.print_floor", FR, floor=2))
    assert downloads(page, button).startswith(b"%PDF")
    _deactivated(database, "housekeeping")  # by a manager, elsewhere
    refused(page, button)
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", FR)).click()
    expect(page.get_by_text(t("session.refused_inactive", FR))).to_be_visible()
    context.close()


def test_the_archived_briefing_pdf_is_refused_after_the_idle_timeout(idle_server, browser):
    base, database = idle_server
    context, page = signed_in(browser, base, "reception", "demo-reception", t("nav.briefing", FR))
    with database.write() as session:  # a frozen briefing, unless the scheduler made one
        hotel = session.scalars(select(Property)).first()
        if session.scalar(select(BriefingArchive.id).limit(1)) is None:
            session.add(
                BriefingArchive(
                    property_id=hotel.id,
                    briefing_date=today(hotel.timezone),
                    shift="afternoon",
                    version="e2e-archive",
                    language="fr",
                    arrivals=1,
                    pdf=b"%PDF-1.4 archived for the test",
                    made_at=now(),
                )
            )
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("archive.nav", FR)).click()
    button = page.get_by_role("button", name=t("archive.download", FR)).first
    assert downloads(page, button).startswith(b"%PDF")
    time.sleep(IDLE_MINUTES * 60 + 2)
    refused(page, button)
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.tasks", FR)).click()
    expect(page.get_by_text(t("session.refused_idle", FR, minutes=IDLE_MINUTES))).to_be_visible()
    context.close()


def test_the_import_s_refused_rows_csv_is_refused_once_the_account_is_deactivated(
    idle_server, browser
):
    base, database = idle_server
    day = date.today() + timedelta(days=20)
    rows = (
        "Conf. No;Guest Name;Arrival;Departure\n"
        f"E2E-1;Anna Test;{day:%d/%m/%Y};{day + timedelta(days=2):%d/%m/%Y}\n"
        f"E2E-2;Ben Test;{day:%d/%m/%Y};not a date\n"
    )
    context, page = signed_in(
        browser, base, "reservations", "demo-reservations", t("nav.import", FR)
    )
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "arrivals.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.get_by_role("button", name=t("import.run", FR), exact=True).click()
    button = page.get_by_role("button", name=t("import.download_errors", FR))
    assert b"not a date" in downloads(page, button)  # the refused row, with its reason
    _deactivated(database, "reservations")  # by a manager, elsewhere
    refused(page, button)
    page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.reservations", FR)).click()
    expect(page.get_by_text(t("session.refused_inactive", FR))).to_be_visible()
    context.close()
