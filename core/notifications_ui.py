"""The inbox page, and the unread count the sidebar shows. Streamlit only: the rules are in
core/notifications.py. Notifications quote guests' names: they are shown as text."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.auth import Actor
from core.clock import now, to_local
from core.db import Database, get_database
from core.i18n import format_moment
from core.inbox_lines import inbox_lines
from core.lib import current_property
from core.notifications import (
    InboxItem,
    Link,
    Notification,
    NotificationRead,
    email_address,
    inbox,
    mark_all_read,
    mark_read,
    set_email_address,
    smtp_config,
    unread_count,
)
from core.ui import action, actor, language, on_action, page_of, still_signed_in, tr

_BADGE = "inbox_unread_badge"  # ((staff id, newest notification), counted at, count)
_RECOUNT = timedelta(minutes=1)


def unread_badge(database: Database, current: Actor) -> int:
    """How many of the person's (and their roles') notifications are unread.

    The navigation shows it on every run; counting scans the last 30 days of the hotel's
    notifications. So the count is kept in the session and made again only when a newer
    notification exists (one row read through the (property, created) index), when the person
    marked some read here (forget_unread_badge), or a minute later (read in another session,
    aged out of the 30 days).
    """
    with database.read() as session:
        newest = session.execute(
            select(Notification.created_at, Notification.id)
            .where(Notification.property_id == current.property_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(1)
        ).first()
        marker = (current.id, tuple(newest) if newest else None)
        kept = st.session_state.get(_BADGE)
        moment = now()
        if kept is not None and kept[0] == marker and timedelta(0) <= moment - kept[1] < _RECOUNT:
            return kept[2]
        count = unread_count(session, current)
    st.session_state[_BADGE] = (marker, moment, count)
    return count


def forget_unread_badge() -> None:
    st.session_state.pop(_BADGE, None)


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
    if any(not item.read for item in items):
        st.button(
            tr("inbox.mark_all_read"),
            key="inbox_mark_all",
            on_click=on_action(database, _mark_all_read),
        )
    if not items:
        st.info(tr("inbox.empty"))
    elif any(not item.read for item in items):
        st.caption(tr("inbox.legend"))
    for item in page_of(items):
        _item(database, item, timezone)
    _email_settings(database, me)


def _mark_all_read(session: Session, me: Actor) -> None:
    mark_all_read(session, me)
    forget_unread_badge()


def _mark_read(notification_id: int):
    def write(session: Session, me: Actor) -> None:
        mark_read(session, me, [notification_id])
        forget_unread_badge()

    return write


def _read_now(database: Database, me: Actor, item: InboxItem) -> bool:
    """Whether the item is read, as stored now: a fragment rerun gets the last full run's item."""
    context = get_script_run_ctx(suppress_warning=True)
    if item.read or context is None or not context.fragment_ids_this_run:
        return item.read
    with database.read() as session:
        return (
            session.get(NotificationRead, {"notification_id": item.id, "staff_id": me.id})
            is not None
        )


@st.fragment
def _item(database: Database, item: InboxItem, timezone: str) -> None:
    """One notification; marking it read reruns this item only."""
    me = still_signed_in(database)  # a fragment rerun skips the page's sign-in check
    read_now = _read_now(database, me, item)
    with st.container(border=True):
        text, link, read = st.columns([7, 2, 2], vertical_alignment="center")
        when = format_moment(to_local(item.created_at, timezone), language())
        head = ("● " if not read_now else "") + when
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
        if not read_now:
            read.button(
                tr("inbox.mark_read"),
                key=f"inbox_read_{item.id}",
                on_click=on_action(database, _mark_read(item.id)),
            )


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
