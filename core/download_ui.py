"""Downloads made at the moment of the click, for a person checked again at that moment.

Streamlit runs a download button's callable when it is clicked, on another thread and without
the page's script, so neither the router's check nor `st.session_state` is there. The callable
keeps the session's guard (core.session_guard) and asks it first: signed out, idle past the
timeout, deactivated or no longer in the role, and no file is made; the browser shows that the
download failed, and the person's next step lands on the sign-in page with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.auth import Actor
from core.db import Database
from core.session_guard import SessionEnded
from core.ui import session_guard

Make = Callable[[Actor], bytes | str]
log = logging.getLogger("hotel.downloads")


class _RefusalIsNotACrash(logging.Filter):
    """Streamlit logs a failed download callable with its traceback; a refused download is the
    rule working (it is audited), so it is logged as one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        while error is not None and not isinstance(error, SessionEnded):
            error = error.__cause__ or error.__context__
        if error is None:
            return True
        log.warning("download refused: %s", error.reason)
        return False


logging.getLogger("streamlit.runtime.backend_operation_handler").addFilter(_RefusalIsNotACrash())


def guarded_download(
    database: Database,
    label: str,
    make: Make,
    *,
    roles: tuple[str, ...],
    file_name: str,
    mime: str,
    key: str | None = None,
    container: Any = st,
) -> None:
    """A download button whose file `make` builds for the person the guard checked just now."""
    guard = session_guard()
    if guard is None:  # a page run outside the router (a test): nothing to check against
        container.download_button(
            label, data=b"", file_name=file_name, mime=mime, key=key, disabled=True
        )
        return

    def made_on_click() -> bytes | str:
        return make(guard.check(database, *roles))

    container.download_button(
        label, data=made_on_click, file_name=file_name, mime=mime, key=key, on_click="ignore"
    )
