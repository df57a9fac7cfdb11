"""The app as staff use it (Streamlit's AppTest, in-process): sign-in, each role's pages,
language, idle timeout, and an account deactivated while signed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import clock
from core.auth import actor_for
from core.i18n import t
from core.models import Property, Staff
from core.scheduling import run_now, save_job_setting
from core.staff import set_active
from shift_briefing.severity_ui import ICON as CRITICAL_ICON
from tests.conftest import (
    assert_no_error,
    offered_pages,
    open_page,
    sign_in_on,
    staff_app,
)

MORNING = datetime(2026, 6, 2, 6, 45, tzinfo=UTC)  # 08:45 in Paris
DEMO_PASSWORDS = {
    "reception": "demo-reception",
    "housekeeping": "demo-housekeeping",
    "reservations": "demo-reservations",
    "manager": "demo-manager",
}
# Each role's own pages (url paths), which nobody without the role may see.
OWN_PAGES = {
    "reception": {"arrivals"},
    "housekeeping": {"housekeeping"},
    "reservations": {"reservations", "reservation"},
    "manager": {"dashboard", "catalogue", "staff", "audit"},
}
# Pages some roles share: who sees them.
SHARED_PAGES = {
    "briefing": {"reception", "manager"},
    "tasks": {"reception", "housekeeping", "manager"},
    "import": {"reservations", "manager"},
    "archive": {"reception", "manager"},
    "guest-messages": {"reception", "manager"},
    "inbox": set(DEMO_PASSWORDS),
}


@pytest.fixture
def app(database_url, monkeypatch) -> AppTest:
    """The app on an empty database: its first run applies migrations and seeds the demo."""
    monkeypatch.delenv("HOTEL_IDLE_TIMEOUT_MINUTES", raising=False)
    monkeypatch.delenv("HOTEL_DEMO", raising=False)
    clock.set_now(MORNING)
    st.cache_resource.clear()  # the app keeps its Database per process: this test's, please
    at = staff_app()
    yield at
    st.cache_resource.clear()


def start(app: AppTest) -> AppTest:
    app.run()
    assert_no_error(app)
    return app


def new_session() -> AppTest:
    """Another browser tab: a fresh session on the same server process."""
    return staff_app()


def sign_in(app: AppTest, login: str, password: str | None = None) -> AppTest:
    return sign_in_on(app, login, password or DEMO_PASSWORDS[login])


def pages(app: AppTest) -> set[str]:
    """The url paths st.navigation offered in the last run."""
    return offered_pages(app)


def signed_in(app: AppTest) -> bool:
    return "login" not in pages(app)


def staff(database, login: str) -> Staff:
    with database.read() as session:
        person = session.scalars(select(Staff).where(Staff.login == login)).one()
        session.expunge(person)
        return person


def test_the_first_start_seeds_the_demo_and_shows_its_logins(app, database):
    start(app)
    with database.read() as session:
        assert session.scalars(select(Property.code)).all() == ["DEMO"]
    assert pages(app) == {"login"}
    assert app.title[0].value == t("app.title", "fr")
    shown = app.table[0].value
    assert set(shown.iloc[:, 1]) == set(DEMO_PASSWORDS)
    assert set(shown.iloc[:, 2]) == set(DEMO_PASSWORDS.values())


def test_without_the_demo_setting_an_empty_database_stays_empty(app, database, monkeypatch):
    monkeypatch.setenv("HOTEL_DEMO", "false")
    start(app)
    with database.read() as session:
        assert session.scalars(select(Property)).all() == []
    assert len(app.table) == 0


def test_a_wrong_password_shows_an_error(app):
    sign_in(start(app), "reception", "not-the-password")
    assert [e.value for e in app.error] == [t("login.failed_invalid", "fr")]
    assert not signed_in(app)


@pytest.mark.parametrize("login", list(DEMO_PASSWORDS))
def test_each_role_sees_its_own_pages_only(app, login):
    sign_in(start(app), login)
    offered = pages(app)
    assert OWN_PAGES[login] <= offered
    others = set().union(*(p for other, p in OWN_PAGES.items() if other != login))
    assert offered & others == set()
    assert {page for page, who in SHARED_PAGES.items() if login in who} <= offered
    assert {page for page, who in SHARED_PAGES.items() if login not in who} & offered == set()


@pytest.mark.parametrize("login", list(DEMO_PASSWORDS))
def test_each_role_opens_each_of_its_pages_without_an_error(app, login):
    sign_in(start(app), login)
    for url_path in sorted(pages(app)):
        # A new session per page: AppTest evaluates a widget's format_func outside the run,
        # where the person's language is not known, which breaks a page-to-page switch.
        visit = sign_in(new_session().run(), login)
        open_page(visit, url_path)
        # a critical health wish is shown in a red box of its own icon: not an error
        errors = [e.value for e in visit.error if e.icon != CRITICAL_ICON]
        assert errors == [], url_path


def test_the_language_switch_changes_the_text_and_is_remembered(app, database):
    start(app)
    app.selectbox(key="login_language").set_value("en").run()
    assert app.title[0].value == t("app.title", "en")
    sign_in(app, "reception")  # her language is French until she changes it
    assert app.title[0].value == t("arrivals.title", "fr")
    app.sidebar.selectbox(key="sidebar_language").set_value("en").run()
    assert app.title[0].value == t("arrivals.title", "en")
    assert staff(database, "reception").language == "en"

    tomorrow = new_session()
    tomorrow.run()
    assert tomorrow.title[0].value == t("app.title", "fr")  # nobody signed in: the default
    sign_in(tomorrow, "reception")
    assert tomorrow.title[0].value == t("arrivals.title", "en")


@pytest.mark.parametrize(("setting", "minutes"), [(None, 30), ("5", 5)])
def test_idle_staff_are_signed_out(app, monkeypatch, setting, minutes):
    if setting:
        monkeypatch.setenv("HOTEL_IDLE_TIMEOUT_MINUTES", setting)
    sign_in(start(app), "housekeeping")
    clock.set_now(MORNING + timedelta(minutes=minutes - 1))
    app.run()
    assert signed_in(app)
    clock.set_now(MORNING + timedelta(minutes=2 * minutes - 1))  # each action restarts the wait
    app.run()
    assert signed_in(app)
    clock.set_now(MORNING + timedelta(minutes=3 * minutes))
    app.run()
    assert not signed_in(app)
    assert [i.value for i in app.info] == [t("login.idle_signed_out", "fr", minutes=minutes)]


def test_a_deactivated_account_is_signed_out_at_its_next_action(app, database):
    sign_in(start(app), "reception")
    assert signed_in(app)
    with database.write() as session:
        set_active(
            session, actor_for(staff(database, "manager")), staff(database, "reception").id, False
        )
    app.run()
    assert not signed_in(app)
    assert [i.value for i in app.info] == [t("login.account_inactive", "fr")]
    sign_in(app, "reception")
    # Deactivated reads like any refusal: the page does not tell which accounts exist.
    assert [e.value for e in app.error] == [t("login.failed_invalid", "fr")]


def test_a_role_removed_by_a_manager_takes_its_pages_away_at_the_next_action(app, database):
    sign_in(start(app), "manager")
    assert "staff" in pages(app)
    with database.write() as session:
        session.get(Staff, staff(database, "manager").id).roles = ["front_desk"]
    app.run()
    assert "staff" not in pages(app)
    assert "arrivals" in pages(app)


def test_sign_out_returns_to_the_login_page(app):
    sign_in(start(app), "reservations")
    app.sidebar.button(key="sign_out").click().run()
    assert not signed_in(app)


def test_the_jobs_page_says_how_long_guest_data_is_kept_and_what_stays(app, database):
    sign_in(start(app), "manager")  # Sophie reads English
    with database.write() as session:
        manager = actor_for(staff(database, "manager"))
        save_job_setting(session, manager, "purge_guest_data", True, {"retention_days": 45})
    open_page(app, "jobs")
    shown = [m.value for m in app.markdown] + [c.value for c in app.caption]
    assert t("retention.title", "en", days=45) in shown
    assert t("retention.kept", "en") in shown
    assert t("retention.backups", "en", days=45) in shown


def test_a_jobs_recent_runs_are_shown_once_its_panel_is_opened(app, database):
    """The runs table of each job is built when its expander is opened (on_change="rerun");
    closed, the panel still has its settings form."""
    sign_in(start(app), "manager")
    run_now(database, actor_for(staff(database, "manager")), "escalate_overdue")
    open_page(app, "jobs")
    recent = t("jobs.recent", "en")
    assert recent not in [c.value for c in app.caption]
    assert app.number_input  # the settings forms are there, panels closed
    app.session_state["job_open_escalate_overdue"] = True  # what opening the panel does
    app.run()
    assert [c.value for c in app.caption].count(recent) == 1
    [runs] = [frame.value for frame in app.dataframe
              if t("jobs.col_trigger", "en") in frame.value.columns]
    assert list(runs[t("jobs.col_trigger", "en")]) == [t("jobs.trigger_manual", "en")]


def test_the_dashboard_says_when_each_person_signed_and_a_dash_for_who_never_did(app):
    sign_in(start(app), "manager")  # the dashboard first, in English
    when, version = t("briefing.signed_when", "en"), t("briefing.signed_version", "en")
    [board] = [frame.value for frame in app.dataframe if when in frame.value.columns]
    never = board[board[version] == "—"]
    assert len(never) >= 1 and set(never[when]) == {"—"}  # not "None"
    assert all(isinstance(value, str) and value for value in board[when])


def test_the_sign_in_page_tells_every_refusal_alike_and_a_flood_to_wait(app, monkeypatch):
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_MINUTE", "3")  # AppTest has no client address
    start(app)
    told = []
    for login, password in (("nobody", "x"), ("manager", "wrong"), ("reception", "wrong")):
        sign_in(app, login, password)
        told.append([e.value for e in app.error])
    assert told == [[t("login.failed_invalid", "fr")]] * 3
    sign_in(app, "manager")  # the right password, but the server has had its three tries
    assert not signed_in(app)
    assert [e.value for e in app.error] == [t("login.failed_limited", "fr")]
