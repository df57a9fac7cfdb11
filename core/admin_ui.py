"""Manager pages of the core: staff accounts and the audit log."""

from __future__ import annotations

from datetime import time, timedelta

import pandas as pd
import streamlit as st

from core import audit_text, staff
from core.auth import ROLES
from core.clock import local_to_utc, to_local, today
from core.db import get_database
from core.i18n import STAFF_LANGUAGES
from core.lib import current_property
from core.ui import action, actor, language, tr, tr_md, translator
from core.ui_columns import moment_column, yes_no_column
from core.ui_versions import forget_seen, seen_version


def staff_page() -> None:
    st.title(tr("staff.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        people = staff.list_staff(session, me)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("staff.name"): p.name,
                    tr("login.login"): p.login,
                    tr("staff.roles"): ", ".join(tr(f"role.{r}") for r in p.roles),
                    tr("staff.department"): (
                        tr(f"department.{p.department}") if p.department else ""
                    ),
                    tr("staff.active"): p.active,
                }
                for p in people
            ]
        ),
        hide_index=True,
        column_config={tr("staff.active"): yes_no_column()},
    )
    with st.expander(tr("staff.add"), expanded=False), st.form("add_staff", clear_on_submit=True):
        name = st.text_input(tr("staff.name"))
        login = st.text_input(tr("login.login"))
        password = st.text_input(tr("login.password"), type="password")
        roles = st.multiselect(tr("staff.roles"), ROLES, format_func=translator("role."))
        language = st.selectbox(
            tr("staff.language"), list(STAFF_LANGUAGES), format_func=STAFF_LANGUAGES.get
        )
        if st.form_submit_button(tr("staff.add"), type="primary"):
            with action(database, done=tr_md("staff.added", name=name)) as session:
                staff.create_staff(
                    session,
                    me,
                    name=name,
                    login=login,
                    password=password,
                    roles=roles,
                    language=language,
                )

    by_label = {f"{p.name} ({p.login})": p for p in people}
    if not by_label:
        return
    st.subheader(tr("staff.edit"))
    chosen = by_label[st.selectbox(tr("staff.person"), list(by_label))]
    seen = seen_version(f"staff:{chosen.id}", chosen.version)
    with st.form("edit_roles"):
        roles = st.multiselect(
            tr("staff.roles"),
            ROLES,
            default=chosen.roles,
            format_func=translator("role."),
            key=f"roles_{chosen.id}_v{seen}",  # what was picked survives the save's rerun
        )
        if st.form_submit_button(tr("staff.save_roles")):
            with action(database, done=tr("saved")) as session:
                staff.set_roles(session, me, chosen.id, roles, version=seen)
                forget_seen(f"staff:{chosen.id}")
    with st.form("reset_password", clear_on_submit=True):
        new_password = st.text_input(tr("staff.new_password"), type="password")
        if st.form_submit_button(tr("staff.reset_password")):
            reset_done = tr_md("staff.password_was_reset", name=chosen.name)
            with action(database, done=reset_done) as session:
                staff.reset_password(session, me, chosen.id, new_password, version=seen)
                forget_seen(f"staff:{chosen.id}")
    label = tr("staff.deactivate") if chosen.active else tr("staff.activate")
    if st.button(label, key="toggle_active"):
        with action(database) as session:
            staff.set_active(session, me, chosen.id, not chosen.active, version=seen)
            forget_seen(f"staff:{chosen.id}")


def audit_page() -> None:
    """The audit log in words, in the reader's language, filtered by period, person, guest,
    room and action (core/audit_text.py renders it)."""
    st.title(tr("audit.title"))
    database = get_database()
    me = actor()
    lang = language()
    with database.read() as session:
        hotel = current_property(session, me)
        choices = audit_text.action_choices(session, me, lang)
    labels = {c.code: c.label for c in choices}
    columns = st.columns(2)
    until = today(hotel.timezone)
    first = columns[0].date_input(tr("audit.since"), value=until - timedelta(days=7))
    last = columns[1].date_input(tr("audit.until"), value=until)
    columns = st.columns(3)
    person = columns[0].text_input(tr("audit.person"))
    guest = columns[1].text_input(tr("audit.guest"))
    room = columns[2].text_input(tr("audit.room_filter"))
    actions = st.multiselect(
        tr("audit.actions"), list(labels), format_func=labels.get, help=tr("audit.actions_help")
    )
    if first > last:
        st.warning(tr("error.dates_order"))
        return
    filters = audit_text.AuditFilter(
        since=local_to_utc(first, time(0), hotel.timezone),
        until=local_to_utc(last + timedelta(days=1), time(0), hotel.timezone),
        person=person or None,
        guest=guest or None,
        room=room or None,
        actions=tuple(actions),
    )
    with database.read() as session:
        lines = audit_text.audit_lines(session, me, filters, lang)
    st.caption(tr("audit.count", count=len(lines), limit=audit_text.LIMIT))
    if not lines:
        st.info(tr("audit.nothing"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("audit.at"): to_local(line.at, hotel.timezone),
                    tr("audit.event"): line.text,
                    tr("audit.actor"): line.actor,
                    tr("audit.action"): line.action,
                    tr("audit.note"): line.note,
                    tr("audit.details"): line.changes,
                }
                for line in lines
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            tr("audit.at"): moment_column(language(), hotel.timezone, "short"),
            tr("audit.event"): st.column_config.TextColumn(width="large"),
        },
    )
