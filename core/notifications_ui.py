"""The inbox page, and the unread count the sidebar shows. Streamlit only: the rules are in
core/notifications.py. Notifications quote guests' names: they are shown as text."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.clock import to_local
from core.db import Database, get_database
from core.i18n import format_moment
from core.inbox_lines import inbox_lines
from core.lib import current_property
from core.notifications import (
    InboxItem,
    Link,
    email_address,
    inbox,
    mark_all_read,
    mark_read,
    set_email_address,
    smtp_config,
    unread_count,
)
from core.ui import action, actor, language, tr


def unread_badge(database: Database, current: Actor) -> int:
    """How many of the person's (and their roles') notifications are unread."""
    with database.read() as session:
        return unread_count(session, current)


def inbox_page() -> None:
    st.title(tr("inbox.title"))
    database = get_database()
    me = actor()
    only_unread = st.toggle(tr("inbox.unread_only"), value=False, key="inbox_unread_only")
    with database.read() as session:
        timezone = current_property(session, me).timezone
        items = inbox(session, me, language(), unread_only=only_unread)
        standing = inbox_lines(session, me)
    for key, values in standing:  # e.g. the late tasks, counted as on the board and dashboard
        st.warning(tr(key, **values), icon=":material/alarm:")
    if any(not item.read for item in items) and st.button(
        tr("inbox.mark_all_read"), key="inbox_mark_all"
    ):
        with action(database) as session:
            mark_all_read(session, me)
    if not items:
        st.info(tr("inbox.empty"))
    elif any(not item.read for item in items):
        st.caption(tr("inbox.legend"))
    for item in items:
        _item(database, me, item, timezone)
    _email_settings(database, me)


def _item(database: Database, me: Actor, item: InboxItem, timezone: str) -> None:
    with st.container(border=True):
        text, link, read = st.columns([7, 2, 2], vertical_alignment="center")
        when = format_moment(to_local(item.created_at, timezone), language())
        head = ("● " if not item.read else "") + when
        if item.to_role:
            head += " · " + tr("inbox.to_role", role=tr(f"role.{item.to_role}"))
        text.caption(head)
        text.text(item.text)
        if item.link is not None and _registered(item.link.page):
            link.page_link(
                _page(item.link),
                label=tr("inbox.open"),
                query_params={"id": str(item.link.id)} if item.link.id is not None else None,
            )
        if not item.read and read.button(tr("inbox.mark_read"), key=f"inbox_read_{item.id}"):
            with action(database) as session:
                mark_read(session, me, [item.id])


def _registered(url_path: str) -> bool:
    """Whether the reader's navigation has this page (a role sees only its own pages)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    try:
        pages = context.pages_manager.get_pages().values() if context else []
    except AttributeError:  # Streamlit's internals moved: no link rather than an error
        return False
    return any(page.get("url_pathname") == url_path for page in pages)


def _page(link: Link) -> st.Page:
    # A page is known by its url_path: this stands for the one streamlit_app.py registered.
    return st.Page(_elsewhere, title=link.page, url_path=link.page)


def _elsewhere() -> None:  # never run: the registered page with the same url_path is
    return None


def _email_settings(database: Database, me: Actor) -> None:
    st.divider()
    st.subheader(tr("inbox.email_title"))
    if smtp_config() is None:
        st.caption(tr("inbox.email_off"))
    with database.read() as session:
        current = email_address(session, me) or ""
    with st.form("inbox_email"):
        address = st.text_input(tr("inbox.email"), value=current, help=tr("inbox.email_help"))
        saved = st.form_submit_button(tr("inbox.email_save"))
    if saved:
        with action(database, done=tr("inbox.email_saved")) as session:
            set_email_address(session, me, address)
