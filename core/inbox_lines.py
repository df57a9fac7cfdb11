"""Standing lines at the top of the inbox ("3 of your tasks are late"), supplied by the domains.

core may not import the domains, so a domain registers a function that says, for one reader,
what to show (a translation key and its values), as listeners do in core/events.py. The
requests domain registers the late-task count, so the inbox, the task board and the dashboard
show the same number from the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from core.auth import Actor

InboxLine = tuple[str, dict[str, Any]]  # translation key, values
Source = Callable[[Session, Actor], list[InboxLine]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def inbox_lines(session: Session, reader: Actor) -> list[InboxLine]:
    return [line for source in _sources for line in source(session, reader)]
