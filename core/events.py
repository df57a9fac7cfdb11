"""In-process domain events, so that lower domains can announce what later ones react to.

guests/ announces that a property was created or a reservation saved; requests/ turns the
wishes into tasks and shift_briefing/ adds shifts, without guests/ importing either of them.
Listeners run inside the caller's unit of work: the change and its consequences commit together.
Each domain lists its reactions in its listeners.py; core/startup.py subscribes them, in
order (the lower domains' first), once per process: importing a module registers nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

PROPERTY_CREATED = "property_created"  # property_id
RESERVATION_SAVED = "reservation_saved"  # reservation_id, who, changed
RESERVATIONS_SAVED = "reservations_saved"  # reservation_ids, created, who: many new ones at once
DEMO_SEEDED = "demo_seeded"  # property_id, ready_by: the demo's day so far, told by the domains

Listener = Callable[..., Any]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def subscribe(event: str, listener: Listener) -> None:
    """Adds `listener` after those already there; subscribing it twice changes nothing."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def listeners(event: str) -> list[Listener]:
    return list(_listeners[event])


def publish(event: str, session: Session, **payload: Any) -> list[Any]:
    """Runs the listeners in order and returns what they report (e.g. tasks created)."""
    return [listener(session, **payload) for listener in _listeners[event]]

