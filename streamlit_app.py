"""Entry point: sign-in, then each role's pages (st.navigation). Nothing else lives here."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from core import admin_ui, ui
from core.db import Database
from core.settings import seed_demo_on_empty
from core.startup import ready_database
from guests import demo
from guests import ui as guests_ui
from requests import ui as requests_ui
from shift_briefing import ui as briefing_ui

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@st.cache_resource
def _database() -> Database:
    """Once per server process: migrations applied, and the demo hotel on an empty database."""
    database = ready_database()
    if seed_demo_on_empty():
        with database.write() as session:
            demo.seed_demo(session)
    return database


def _pages_by_role() -> dict[str, list[st.Page]]:
    def page(body: Callable[[], None], title_key: str, url_path: str, icon: str) -> st.Page:
        return st.Page(
            lambda: ui.run_page(body), title=ui.tr(title_key), url_path=url_path, icon=icon
        )

    return {
        "front_desk": [
            page(briefing_ui.arrivals_page, "nav.arrivals", "arrivals", ":material/login:"),
            page(briefing_ui.briefing_page, "nav.briefing", "briefing", ":material/fact_check:"),
        ],
        "housekeeping": [
            page(
                briefing_ui.housekeeping_page, "nav.housekeeping", "housekeeping", ":material/bed:"
            ),
        ],
        "reservations": [
            page(
                guests_ui.reservations_page, "nav.reservations", "reservations", ":material/event:"
            ),
            page(
                requests_ui.reservation_page,
                "nav.reservation",
                "reservation",
                ":material/edit_note:",
            ),
        ],
        "manager": [
            page(briefing_ui.dashboard_page, "nav.dashboard", "dashboard", ":material/monitoring:"),
            page(requests_ui.catalogue_page, "nav.catalogue", "catalogue", ":material/list_alt:"),
            page(briefing_ui.shifts_page, "nav.shifts", "shifts", ":material/schedule:"),
            page(admin_ui.staff_page, "nav.staff", "staff", ":material/group:"),
            page(admin_ui.audit_page, "nav.audit", "audit", ":material/history:"),
        ],
    }


def _tasks_page() -> st.Page:
    return st.Page(
        lambda: ui.run_page(requests_ui.tasks_page),
        title=ui.tr("nav.tasks"),
        url_path="tasks",
        icon=":material/task_alt:",
    )


st.set_page_config(page_title="Guest wishes", page_icon=":material/room_service:", layout="wide")
database = _database()
current = ui.signed_in_actor(database)
if current is None:
    with database.read() as session:
        demo_logins = demo.demo_logins(session)
    navigation = st.navigation(
        [
            st.Page(
                lambda: ui.login_page(database, demo_logins),
                title=ui.tr("login.title"),
                url_path="login",
                icon=":material/lock:",
            )
        ],
        position="hidden",
    )
else:
    by_role = _pages_by_role()
    sections = {ui.tr(f"role.{role}"): by_role[role] for role in current.roles}
    if current.has("front_desk", "housekeeping", "manager"):
        sections[ui.tr("nav.work")] = [_tasks_page()]
    navigation = st.navigation(sections)
    ui.sidebar(database, current)
navigation.run()
