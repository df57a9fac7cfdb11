"""Entry point: sign-in, then each role's pages (st.navigation). Nothing else lives here."""

from __future__ import annotations

import gc
import logging
from functools import partial

import streamlit as st

from core import admin_ui, jobs_ui, notifications_ui, scheduling, ui
from core.auth import ROLES, Actor
from core.db import Database
from core.settings import seed_demo_on_empty
from core.startup import ready_database
from guests import demo, import_ui
from guests import ui as guests_ui
from requests import guest_page, guest_ui
from requests import ui as requests_ui
from shift_briefing import archive_ui, attention_ui, housekeeping_ui
from shift_briefing import ui as briefing_ui

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@st.cache_resource
def _database() -> Database:
    """Once per server process: migrations applied, and the demo hotel on an empty database."""
    database = ready_database()
    if seed_demo_on_empty():
        with database.write() as session:
            demo.seed_demo(session)
    scheduling.start_in_background(database)
    # Everything imported and built so far (Streamlit, SQLAlchemy, pandas, altair, the mappers:
    # ~200,000 objects) lives as long as the process. Frozen, the garbage collector no longer
    # walks it on each full collection: ~0.1 s (0.8 s on a loaded machine) down to nothing.
    # .streamlit/config.toml also turns off Streamlit's gc.collect() after every script run;
    # Python's own collector still runs as objects are allocated.
    gc.freeze()
    return database


# Who sees which page, in which section of the navigation: a role's own section, the first of
# its roles the person holds (None), or "work" for pages everyone in the roles shares.
# (roles, section, page function, title key, url path, icon)
# fmt: off
PAGES = (
    (("front_desk",), "front_desk", briefing_ui.arrivals_page, "nav.arrivals", "arrivals", ":material/login:"),  # noqa: E501
    (("housekeeping",), "housekeeping", housekeeping_ui.housekeeping_page, "nav.housekeeping", "housekeeping", ":material/bed:"),  # noqa: E501
    (("reservations",), "reservations", guests_ui.reservations_page, "nav.reservations", "reservations", ":material/event:"),  # noqa: E501
    (("reservations",), "reservations", requests_ui.reservation_page, "nav.reservation", "reservation", ":material/edit_note:"),  # noqa: E501
    (("manager",), "manager", briefing_ui.dashboard_page, "nav.dashboard", "dashboard", ":material/monitoring:"),  # noqa: E501
    (("front_desk", "manager"), None, briefing_ui.briefing_page, "nav.briefing", "briefing", ":material/fact_check:"),  # noqa: E501
    (("manager",), "manager", requests_ui.catalogue_page, "nav.catalogue", "catalogue", ":material/list_alt:"),  # noqa: E501
    (("manager",), "manager", briefing_ui.shifts_page, "nav.shifts", "shifts", ":material/schedule:"),  # noqa: E501
    (("manager",), "manager", admin_ui.staff_page, "nav.staff", "staff", ":material/group:"),
    (("manager",), "manager", admin_ui.audit_page, "nav.audit", "audit", ":material/history:"),
    (("manager",), "manager", jobs_ui.jobs_page, "jobs.nav", "jobs", ":material/update:"),
    (("front_desk", "housekeeping", "manager"), "work", requests_ui.tasks_page, "nav.tasks", "tasks", ":material/task_alt:"),  # noqa: E501
    (("reservations", "manager"), "work", import_ui.import_page, "nav.import", "import", ":material/upload_file:"),  # noqa: E501
    (("front_desk", "manager"), "work", archive_ui.archive_page, "archive.nav", "archive", ":material/inventory_2:"),  # noqa: E501
    (("front_desk", "manager"), "work", guest_ui.guest_messages_page, "guest_ui.nav", "guest-messages", ":material/outgoing_mail:"),  # noqa: E501
    (ROLES, "work", notifications_ui.inbox_page, "inbox.nav", "inbox", ":material/inbox:"),
)
# fmt: on


def _navigation(
    current: Actor, badges: dict[str, tuple[str, str | None]]
) -> dict[str, list[st.Page]]:
    """badges: per url_path, text added to the page's title and the icon that replaces its own
    (the inbox's unread count, a briefing changed since it was signed)."""
    sections: dict[str, list[st.Page]] = {}
    for roles, section, body, title_key, url_path, icon in PAGES:
        if not current.has(*roles):
            continue
        if section is None:
            section = next(role for role in roles if current.has(role))
        label = ui.tr("nav.work") if section == "work" else ui.tr(f"role.{section}")
        mark, marked_icon = badges.get(url_path, ("", None))
        sections.setdefault(label, []).append(
            st.Page(
                partial(ui.run_page, body),
                title=ui.tr(title_key) + mark,
                url_path=url_path,
                icon=marked_icon or icon,
            )
        )
    return sections


def main() -> None:
    """The staff app, run by Streamlit for each browser session."""
    st.set_page_config(
        page_title="Guest wishes", page_icon=":material/room_service:", layout="wide"
    )
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
        attention = attention_ui.gather(database, current)
        navigation = st.navigation(_navigation(current, attention_ui.badges(attention)))
        ui.sidebar(database, current)
        if navigation.url_path == "":  # the person's landing page (the first of their pages)
            attention_ui.landing_notice(attention)
    navigation.run()


if __name__ == "__main__":  # the Streamlit script run
    main()
else:  # imported by the server `streamlit run` starts: the app, and the guest page's routes
    app = st.App(__file__, routes=guest_page.guest_routes())
