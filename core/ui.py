"""What every page shares: the signed-in actor, the language, safe guest text, friendly errors.

Streamlit only: pages call services through these helpers and hold no business rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from core import auth, staff
from core.auth import Actor, PermissionDenied
from core.clock import now
from core.db import Database
from core.errors import UserError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from core.settings import idle_timeout_minutes

log = logging.getLogger("hotel.ui")

_ACTOR = "actor"
_LANG = "lang"
_LAST_SEEN = "last_seen"
_NOTICE = "notice"


def language() -> str:
    return st.session_state.get(_LANG, DEFAULT_LANGUAGE)


def tr(key: str, /, **values: Any) -> str:
    return t(key, language(), **values)


def tr_md(key: str, /, **values: Any) -> str:
    """For markdown places (messages, captions, expander titles): the values are escaped, so a
    guest's name or anything typed shows as typed."""
    return t(key, language(), **{name: escape_markdown(str(v)) for name, v in values.items()})


def translator(prefix: str = "", empty: str | None = None) -> Callable[[Any], str]:
    """A widget's format_func: the language is fixed now, since Streamlit may call it later."""
    lang = language()
    return lambda value: t(empty, lang) if empty and not value else t(prefix + str(value), lang)


def actor() -> Actor:
    """The signed-in staff member; pages run only after the router checked there is one."""
    return st.session_state[_ACTOR]


def signed_in_actor(database: Database) -> Actor | None:
    """Checks the session on every run: idle timeout, and an account deactivated meanwhile."""
    current: Actor | None = st.session_state.get(_ACTOR)
    if current is None:
        return None
    idle = now() - st.session_state.get(_LAST_SEEN, now())
    if idle.total_seconds() > idle_timeout_minutes() * 60:
        sign_out(tr("login.idle_signed_out", minutes=idle_timeout_minutes()))
        return None
    with database.read() as session:
        fresh = auth.current_actor(session, current.id)
    if fresh is None:
        sign_out(tr("login.account_inactive"))
        return None
    st.session_state[_ACTOR] = fresh
    st.session_state[_LAST_SEEN] = now()
    return fresh


def sign_in(signed_in: Actor) -> None:
    st.session_state[_ACTOR] = signed_in
    st.session_state[_LANG] = signed_in.language
    st.session_state[_LAST_SEEN] = now()


def sign_out(notice: str | None = None) -> None:
    st.session_state.pop(_ACTOR, None)
    st.session_state.pop(_LAST_SEEN, None)
    if notice:
        st.session_state[_NOTICE] = notice


def login_page(database: Database, demo_logins: list[tuple[str, str, str]]) -> None:
    """demo_logins: (role, login, password) shown only while the demo hotel is active."""
    st.title(tr("app.title"))
    _language_picker(database, key="login_language")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    with st.form("login"):
        login = st.text_input(tr("login.login"), key="login_name")
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(tr("login.submit"), type="primary")
    if submitted:
        outcome = auth.sign_in(database, login, password, client_address())
        if outcome.actor is None:
            st.error(tr(f"login.failed_{outcome.failure}"))
        else:
            sign_in(outcome.actor)
            st.rerun()
    if demo_logins:
        st.divider()
        st.subheader(tr("login.demo_title"))
        st.caption(tr("login.demo_hint"))
        st.table(
            pd.DataFrame(
                [(tr(f"role.{role}"), name, pw) for role, name, pw in demo_logins],
                columns=[tr("staff.roles"), tr("login.login"), tr("login.password")],
            ),
        )


def client_address() -> str:
    """Where the sign-in comes from, for its per-address limit: the WebSocket's peer address
    (Streamlit gives None for localhost)."""
    try:
        return st.context.ip_address or "localhost"
    except Exception:  # outside a browser session (AppTest)
        return "localhost"


def _language_picker(database: Database, key: str) -> None:
    codes = list(LANGUAGES)
    chosen = st.selectbox(
        "Langue / Language",
        codes,
        index=codes.index(language()),
        format_func=LANGUAGES.__getitem__,
        key=key,
    )
    if chosen != language():
        st.session_state[_LANG] = chosen
        current: Actor | None = st.session_state.get(_ACTOR)
        if current is not None:
            with database.write() as session:
                staff.set_language(session, current, chosen)
        st.rerun()


def sidebar(database: Database, current: Actor) -> None:
    with st.sidebar:
        st.markdown(f"**{escape_markdown(current.name)}**")
        st.caption(", ".join(tr(f"role.{role}") for role in current.roles))
        _language_picker(database, key="sidebar_language")
        if st.button(tr("login.sign_out"), key="sign_out"):
            sign_out()
            st.rerun()


def escape_markdown(text: str) -> str:
    """For the few labels that are markdown: every markdown and HTML character escaped."""
    specials = "\\`*_{}[]()#+-.!|<>~$:"
    return "".join("\\" + char if char in specials else char for char in text)


@contextmanager
def action(database: Database) -> Iterator[Session]:
    """Runs a page's write through a service, turning refusals into messages, never tracebacks.

    st.rerun() or st.stop() inside the block is not a failure: the work commits first.
    """
    control: ScriptControlException | None = None
    try:
        with database.write() as session:
            try:
                yield session
            except ScriptControlException as raised:
                control = raised
    except PermissionDenied:
        log.warning("permission denied", exc_info=True)
        st.error(tr("error.permission"))
    except UserError as exc:
        st.error(tr_md(exc.key, **exc.values))
    if control is not None:
        raise control


def run_page(body: Callable[[], None]) -> None:
    """Details go to the log; the person sees a short message and what to do."""
    try:
        body()
    except PermissionDenied:
        log.warning("permission denied", exc_info=True)
        st.error(tr("error.permission"))
    except Exception:
        log.exception("page failed")
        st.error(tr("error.unexpected"))
