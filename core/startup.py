"""Getting a database ready: migrations applied and every domain's listeners loaded."""

from __future__ import annotations

from core.db import Database, get_database
from core.events import load_domains
from core.migrations import upgrade_to_head


def ready_database(url: str | None = None) -> Database:
    load_domains()
    database = get_database(url)
    upgrade_to_head(database)
    return database
