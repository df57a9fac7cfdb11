"""The version of a row a person saw: what a page passes to a service's version check.

A click reruns the page script, which reads the rows afresh; the version read in that run may
already include someone else's save. What the person saw is the version shown by the previous
run, kept here per row. Streamlit only.
"""

from __future__ import annotations

import streamlit as st

_SEEN = "seen_versions"


def seen_version(key: str, current: int) -> int:
    """The version of `key` ("shift:3") shown by the previous run, or `current` the first time;
    from now on `current` is what the person sees."""
    seen: dict[str, int] = st.session_state.setdefault(_SEEN, {})
    shown = seen.get(key, current)
    seen[key] = current
    return shown


def forget_seen(key: str) -> None:
    """After a save of one's own: the next run shows, and so holds, the new version."""
    st.session_state.get(_SEEN, {}).pop(key, None)
