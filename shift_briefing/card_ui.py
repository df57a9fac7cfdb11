"""Cards that rerun alone (st.fragment) and widgets that write in their callback.

A card is a fragment and its widgets write in their on_change/on_click callback: one click is
one run. A saved write reruns the whole page, whose counts change too, or the fragments it
names (the card and the page's counts); opening a card or a refused write reruns the card
alone, which reads itself again. A fragment rerun skips the page's sign-in check, so the
callback and the card check the person again (core.ui.signed_in_actor).
Streamlit only: the writes are the services'.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from core.auth import Actor
from core.db import Database
from core.ui import refusal_of, signed_in_actor, tr, whole_page_next

log = logging.getLogger("hotel.ui")

_MESSAGES = "card_messages"  # place -> [(kind, text)], shown by the card's next run
_GENERATIONS = "card_generations"  # widget name -> how many times a refusal rebuilt it
_SHOW = {
    "success": st.success,
    "error": st.error,
    "info": st.info,
    "warning": st.warning,
    "toast": lambda text: st.toast(text, icon=":material/check_circle:"),
}


def key(name: str, *stored: object) -> str:
    """A widget's key from what is stored (value, version) and how often a refusal put it back:
    a new key gives a widget that shows the stored value again."""
    generation = st.session_state.get(_GENERATIONS, {}).get(name, 0)
    return "|".join([name, *(str(value) for value in stored), str(generation)])


def say(place: str, text: str, kind: str = "error") -> None:
    """A message for the card at `place`, shown by its next run."""
    st.session_state.setdefault(_MESSAGES, {}).setdefault(place, []).append((kind, text))


def show_messages(place: str) -> None:
    """Shows (once) what the last write of this card said."""
    for kind, text in st.session_state.get(_MESSAGES, {}).pop(place, []):
        _SHOW.get(kind, st.info)(text)


def write(
    database: Database,
    place: str,
    change: Callable[[Session, Actor], Any],
    *,
    reset: str | None = None,
    done: str | None = None,
    rerun: Sequence[str] | None = None,
) -> None:
    """For a widget's callback: `change` in one transaction, by the person signed in now.

    Committed: the whole page runs next (its counts change too), or only the fragments keyed
    `rerun` (the card and the page's counts), and `done` shows as a toast from the card.
    Refused (UserError, PermissionDenied): nothing is written, the card alone reruns and says
    why, and the widget named `reset` is rebuilt from what is stored (not left showing what was
    refused, nor sent again later).
    """
    me = signed_in_actor(database)
    if me is None:  # the card's run that follows checks again and shows the sign-in page
        return
    try:
        refusal = refusal_of(database, change, me)
    except Exception:
        log.exception("card write failed")
        refusal = tr("error.unexpected")
    if refusal is None:
        if done:
            say(place, done, "toast")
        if rerun:
            st.rerun(list(rerun))
        whole_page_next()
    if reset is not None:
        generations = st.session_state.setdefault(_GENERATIONS, {})
        generations[reset] = generations.get(reset, 0) + 1
    say(place, refusal)
