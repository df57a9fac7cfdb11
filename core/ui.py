"""What every page shares: the signed-in actor, the language, safe guest text, friendly errors.

Streamlit only: pages call services through these helpers and hold no business rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core import auth, staff
from core.auth import Actor, PermissionDenied
from core.db import Database
from core.errors import UserError
from core.i18n import DEFAULT_LANGUAGE, STAFF_LANGUAGES, t, worded
from core.session_guard import IDLE, INACTIVE, SIGNED_OUT, SessionGuard
from core.settings import idle_timeout_minutes

log = logging.getLogger("hotel.ui")

_ACTOR = "actor"
_LANG = "lang"
_GUARD = "session_guard"
_NOTICE = "notice"


def language() -> str:
    """The reader's language, read from the session once per script run.

    A page calls tr() thousands of times and each st.session_state read costs tens of
    microseconds (a big task board spent ~0.1 s there). The language only changes between
    runs (sign-in and the picker rerun), so the run's first read is kept on the run's context,
    tied to that run's own cursor dict: a new run (or fragment run) starts a new dict and reads
    again.
    """
    context = get_script_run_ctx(suppress_warning=True)
    if context is None:
        return st.session_state.get(_LANG, DEFAULT_LANGUAGE)
    kept = getattr(context, "_hotel_language", None)
    if kept is not None and kept[0] is context.cursors:
        return kept[1]
    chosen = st.session_state.get(_LANG, DEFAULT_LANGUAGE)
    context._hotel_language = (context.cursors, chosen)  # type: ignore[attr-defined]
    return chosen


def _set_language(chosen: str) -> None:
    st.session_state[_LANG] = chosen
    context = get_script_run_ctx(suppress_warning=True)
    if context is not None:
        context._hotel_language = None  # type: ignore[attr-defined]


def tr(key: str, /, **values: Any) -> str:
    return t(key, language(), **values)


def tr_md(key: str, /, **values: Any) -> str:
    """For markdown places (messages, captions, expander titles): the values are escaped, so a
    guest's name or anything typed shows as typed."""
    lang = language()
    return t(key, lang, **{n: escape_markdown(str(worded(v, lang))) for n, v in values.items()})


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
    guard = session_guard()
    if guard is None or guard.ended == SIGNED_OUT or guard.staff_id != current.id:
        sign_out()
        return None
    if guard.ended == IDLE or guard.idle():
        key = "session.refused_idle" if guard.refused else "login.idle_signed_out"
        sign_out(tr(key, minutes=idle_timeout_minutes()))
        return None
    if guard.ended == INACTIVE:  # a download found the account deactivated: over for good
        sign_out(tr("session.refused_inactive"))
        return None
    with database.read() as session:
        fresh = auth.current_actor(session, current.id)
    if fresh is None:
        sign_out(tr("login.account_inactive"))
        return None
    st.session_state[_ACTOR] = fresh
    guard.touch()
    return fresh


def session_guard() -> SessionGuard | None:
    """The part of the session a download checks again when it is clicked (core.session_guard)."""
    return st.session_state.get(_GUARD)


def sign_in(signed_in: Actor) -> None:
    st.session_state[_ACTOR] = signed_in
    _set_language(signed_in.language)
    st.session_state[_GUARD] = SessionGuard(signed_in.id)


def sign_out(notice: str | None = None) -> None:
    st.session_state.pop(_ACTOR, None)
    guard = st.session_state.pop(_GUARD, None)
    if guard is not None:
        guard.end()
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
    """Where the sign-in comes from, for its per-address limit: the WebSocket's peer address;
    "" when Streamlit does not know it (localhost, a reverse proxy on the same machine), and
    then only the server's total limit applies."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a browser session
        address = None
    return address if isinstance(address, str) else ""


def _language_picker(database: Database, key: str) -> None:
    codes = list(STAFF_LANGUAGES)
    st.selectbox(
        "Langue / Language",
        codes,
        index=codes.index(language()),
        format_func=STAFF_LANGUAGES.__getitem__,
        key=key,
        on_change=_language_chosen,
        args=(database, key),
    )


def _language_chosen(database: Database, key: str) -> None:
    """A callback: the run that follows is already in the new language (no second run)."""
    chosen = st.session_state[key]
    if chosen == language():
        return
    _set_language(chosen)
    current: Actor | None = st.session_state.get(_ACTOR)
    if current is not None:
        with database.write() as session:
            staff.set_language(session, current, chosen)


# Streamlit closes the navigation after a pick only on a phone's user agent; a narrow window
# (a phone in desktop mode, a small tablet) keeps it open over the page just picked. This
# closes it there too: below Streamlit's own mobile width, a click on a page link collapses it.
_CLOSE_NAVIGATION_AFTER_PICK = """<script>
(() => {
  const root = window.parent && window.parent.document ? window.parent.document : document;
  if (root.hotelNavigationCloses) return;
  root.hotelNavigationCloses = true;
  root.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebarNavLink"]');
    if (!link || root.defaultView.innerWidth >= 768) return;
    setTimeout(() => {
      const close = root.querySelector('[data-testid="stSidebarCollapseButton"] button');
      const sidebar = root.querySelector('[data-testid="stSidebar"]');
      if (close && sidebar && sidebar.getBoundingClientRect().right > 0) close.click();
    }, 100);
  }, true);
})();
</script>"""


def sidebar(database: Database, current: Actor) -> None:
    with st.sidebar:
        st.html(_CLOSE_NAVIGATION_AFTER_PICK, unsafe_allow_javascript=True)
        st.markdown(f"**{escape_markdown(current.name)}**")
        st.caption(", ".join(tr(f"role.{role}") for role in current.roles))
        _language_picker(database, key="sidebar_language")
        st.button(tr("login.sign_out"), key="sign_out", on_click=sign_out)


def escape_markdown(text: str) -> str:
    """For the few labels that are markdown: every markdown and HTML character escaped."""
    specials = "\\`*_{}[]()#+-.!|<>~$:"
    return "".join("\\" + char if char in specials else char for char in text)


# --- actions: a write, its message, and widgets that show what is stored --------------------
#
# A Streamlit page that writes and then calls st.rerun() loses whatever it showed before the
# rerun: a refusal printed just before it vanished, and a checkbox the person ticked kept its
# tick in the browser although nothing was saved (and sent it again at the next click, saving
# what nobody asked for). So action() owns the rerun, messages that must survive it are kept
# in the session ("flashes") and shown at the start of the next run, and a widget that shows a
# stored value takes its key from widget_key(), which action() changes when the widget must be
# rebuilt from the database.

_FLASHES = "flashes"  # [(kind, text, place)], shown by the next run
_PENDING = "flashes_pending"  # said by the running action, kept only if it commits
_GENERATIONS = "widget_generations"  # name -> how many times action() rebuilt that widget


def _toast(text: str) -> None:
    st.toast(text, icon=":material/check_circle:")


# "toast": a result that needs no reading twice (a task started), shown as a toast, not a line
_SHOW = {
    "success": st.success,
    "error": st.error,
    "info": st.info,
    "warning": st.warning,
    "toast": _toast,
}


def widget_key(name: str, *stored: object) -> str:
    """The key of a widget that shows a stored value: `name` says which widget, `stored` what
    the database holds (value, version).

    A new stored value gives a new key, so the widget shows it even if another person changed
    it; an action refused with reset=(name,) gives a new key too, so what the person tried and
    was refused is not left in the widget (nor sent again later).
    """
    generation = st.session_state.get(_GENERATIONS, {}).get(name, 0)
    return "|".join([name, *(str(value) for value in stored), str(generation)])


def flash(text: str, kind: str = "success", place: str | None = None) -> None:
    """A message for the person after the current action commits (inside `with action()`)."""
    st.session_state.setdefault(_PENDING, []).append((kind, text, place))


def show_flashes(place: str | None = None) -> None:
    """Shows (once) the messages the last action left for this place of the page.

    Pages call it where a message belongs (a room's card); run_page shows the others at the
    top. A message stays until the next run, i.e. until the person's next action.
    """
    kept = []
    for kind, text, where in st.session_state.get(_FLASHES, []):
        if where == place:
            _SHOW.get(kind, st.info)(text)
        else:
            kept.append((kind, text, where))
    st.session_state[_FLASHES] = kept


def _rebuild(names: Iterable[str]) -> None:
    generations = st.session_state.setdefault(_GENERATIONS, {})
    for name in names:
        generations[name] = generations.get(name, 0) + 1


@contextmanager
def action(
    database: Database,
    *,
    done: str | None = None,
    reset: Iterable[str] = (),
    place: str | None = None,
) -> Iterator[Session]:
    """Runs a page's write through a service in one transaction and owns what follows it.

    - Committed: the messages (`done`, and any flash() inside the block) are kept for the next
      run and the page reruns, so every checkbox, status and count is read again from the
      database. The page never calls st.rerun() after the block.
    - Refused (UserError, PermissionDenied): nothing is written and the person reads why. With
      `reset` (the widget_key names of the widgets this action came from) those widgets are
      rebuilt from the stored value and the page reruns, the message kept across the rerun;
      without it (a form) the message shows in place and what was typed stays.
    - `place`: where the messages show (a show_flashes(place) call on the page); the top of the
      page by default.

    st.rerun() or st.stop() inside the block is not a failure: the work commits first.
    """
    reset = tuple(reset)
    st.session_state[_PENDING] = []
    refusal: str | None = None
    control: ScriptControlException | None = None
    try:
        with database.write() as session:
            try:
                yield session
            except ScriptControlException as raised:
                control = raised
    except PermissionDenied:
        log.warning("permission denied", exc_info=True)
        refusal = tr("error.permission")
    except UserError as exc:
        refusal = tr_md(exc.key, **exc.values)
    said = st.session_state.pop(_PENDING, [])
    if refusal is not None:
        if not reset:
            st.error(refusal)
            return
        _rebuild(reset)
        st.session_state.setdefault(_FLASHES, []).append(("error", refusal, place))
        st.rerun()
    if done:
        said.insert(0, ("success", done, place))
    st.session_state.setdefault(_FLASHES, []).extend(said)
    _rebuild(reset)
    if control is not None:
        raise control
    st.rerun()


def refusal_of(
    database: Database, write: Callable[[Session, Actor], object], actor: Actor
) -> str | None:
    """`write` in one transaction as `actor`: None when it committed, else the refusal in the
    person's words (nothing written). The callbacks' shared core (on_action, card writes)."""
    try:
        with database.write() as session:
            write(session, actor)
    except PermissionDenied:
        log.warning("permission denied", exc_info=True)
        return tr("error.permission")
    except UserError as exc:
        return tr_md(exc.key, **exc.values)
    return None


def on_action(
    database: Database,
    write: Callable[[Session, Actor], object],
    *,
    done: str | None = None,
    reset: Iterable[str] = (),
    place: str | None = None,
) -> Callable[[], None]:
    """action() as a widget callback (on_click / on_change): one click is one script run.

    `if st.button(...): with action(...)` writes during a run and then reruns, so the person
    waits for two runs of the whole page; a callback writes before the run, which then shows
    what is stored. Streamlit runs callbacks before the page's sign-in check, so this one
    checks the session itself and writes as the freshly read actor (`write(session, actor)`);
    a session that ended writes nothing and the run shows the sign-in page. Messages and
    `reset` as in action(); a refusal is always kept as a message (nothing is typed in place).
    """
    reset = tuple(reset)

    def callback() -> None:
        current = signed_in_actor(database)
        if current is None:
            return
        st.session_state[_PENDING] = []
        refusal = refusal_of(database, write, current)
        said = st.session_state.pop(_PENDING, [])
        flashes = st.session_state.setdefault(_FLASHES, [])
        if refusal is not None:
            flashes.append(("error", refusal, place))
        else:
            if done:
                said.insert(0, ("success", done, place))
            flashes.extend(said)
        _rebuild(reset)
        if refusal is None:
            whole_page_next()

    return callback


def whole_page_next() -> None:
    """For a callback whose write committed: the run that follows is the whole page's, not
    only the card's fragment, so that the counts and summaries outside the card (rooms ready,
    tasks late, arrivals expected, the unread count) show what is stored now. A refused write
    changed nothing: its card alone reruns."""
    st.rerun(scope="app")


def still_signed_in(database: Database) -> Actor:
    """For a fragment: its own reruns skip the router's sign-in check, so it checks again; a
    session that ended (idle, signed out, account deactivated) reruns the whole app, which
    shows the sign-in page. In a full run the router has just checked: no second read."""
    context = get_script_run_ctx(suppress_warning=True)
    if context is None or not context.fragment_ids_this_run:
        return actor()
    current = signed_in_actor(database)
    if current is None:
        st.rerun(scope="app")
    assert current is not None
    return current


PAGE_SIZE = 30  # a long list's items a page: nothing on screen grows with the hotel's size


def page_of(items: list, size: int = PAGE_SIZE, *, key: str | None = None) -> list:
    """The page of a long list picked (the first by default); a picker only when there are
    more than `size`. Unkeyed, another filter (another count of pages) starts at the first;
    keyed, the page picked stays while the person works on it (the board, the arrivals)."""
    start, stop = page_window(len(items), size, key=key)
    return items[start:stop]


def page_window(count: int, size: int = PAGE_SIZE, *, key: str | None = None) -> tuple[int, int]:
    """page_of for a list read a page at a time: the picker among `count` items, and the
    (start, stop) of the page picked."""
    if count <= size:
        return 0, count
    starts = list(range(0, count, size))
    # The options are the labels themselves: a format_func would be called outside the run.
    labels = [
        tr("pages.range", first=first + 1, last=min(first + size, count), count=count)
        for first in starts
    ]
    picked = st.selectbox(tr("pages.pick"), labels, key=key)
    start = starts[labels.index(picked)] if picked in labels else 0
    return start, min(start + size, count)


def run_page(body: Callable[[], None]) -> None:
    """Details go to the log; the person sees a short message and what to do.

    The last action's messages show at the top (those for a place the page no longer shows,
    too), so a confirmation stays on screen until the person's next action.
    """
    top = st.container()
    with top:
        show_flashes()
    try:
        body()
    except PermissionDenied:
        log.warning("permission denied", exc_info=True)
        st.error(tr("error.permission"))
    except Exception:
        log.exception("page failed")
        st.error(tr("error.unexpected"))
    leftover = st.session_state.pop(_FLASHES, [])
    with top:
        for kind, text, _place in leftover:
            _SHOW.get(kind, st.info)(text)
