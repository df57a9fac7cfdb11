"""The one registration path: every domain's listeners and jobs, then a database ready to use.

Every entry point calls it: the app (streamlit_app.py), each command line (`python -m core`,
`guests`, `requests`, `shift_briefing`, through ready_database) and the tests (conftest.py).
Importing a domain module registers nothing; register_domains() reads what each module lists
(LISTENERS, JOBS, SENDERS) and registers it here, in the order below: the lower domains' first,
so that, say, requests/ has done the demo's due work before shift_briefing/ signs the briefing,
and the wish texts (health data) are the first thing retention erases.

The modules are named, not imported at the top: core must not import the domains that build on
it (core <- guests <- requests <- shift_briefing); this module is where they are put together.
"""

from __future__ import annotations

import threading
from importlib import import_module

from core import events
from core.db import Database, get_database
from core.migrations import upgrade_to_head
from core.scheduling import register, register_sender

LISTENERS = ("requests.listeners", "shift_briefing.listeners")  # guests/ reacts to nothing
JOBS = ("core.backup", "guests.jobs", "requests.jobs", "shift_briefing.jobs")
SENDERS = ("requests.jobs",)  # outboxes sent after the jobs commit, besides the staff e-mail

_registered = False
_lock = threading.Lock()


def register_domains() -> None:
    """Subscribes the listeners and registers the jobs, once per process (later calls: nothing)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name in LISTENERS:
            for event, listener in import_module(name).LISTENERS:
                events.subscribe(event, listener)
        for name in JOBS:
            for job in import_module(name).JOBS:
                register(job)
        for name in SENDERS:
            for sender in import_module(name).SENDERS:
                register_sender(sender)
        _registered = True


def ready_database(url: str | None = None) -> Database:
    register_domains()
    database = get_database(url)
    upgrade_to_head(database)
    return database
