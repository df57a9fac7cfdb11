"""Sign-in attempts limited per client address and in total, per minute, before any hashing.

A flood of sign-ins must not slow the staff who are working: each attempt is counted with one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING on its minute's row (atomic on SQLite and
PostgreSQL alike) and refused over the limit without an argon2 hash. An address over its own
limit is not counted in the total, so that one attacker cannot lock everyone out; many
addresses at once meet the total limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.clock import now
from core.models import SignInWindow
from core.settings import env_int

if TYPE_CHECKING:
    from core.auth import LoginOutcome

KEEP = timedelta(hours=1)  # older windows are deleted as new ones begin


def per_address() -> int:
    return env_int("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", 10)


def in_total() -> int:
    return env_int("HOTEL_SIGN_IN_PER_MINUTE", 60)


def admit(session: Session, address: str) -> LoginOutcome | None:
    """Counts one attempt from `address`; None when it may go on, else the refusal (audited
    once per address and minute, so that a flood does not flood the audit log too)."""
    from core.auth import LoginOutcome

    window = now().replace(second=0, microsecond=0)
    address = (address or "unknown")[:100]
    for key, limit in ((f"address:{address}", per_address()), ("all", in_total())):
        attempts = _count(session, key, window)
        if attempts > limit:
            if attempts == limit + 1:
                audit.record(
                    session,
                    Who(None, address, None),
                    "login_limited",
                    "sign_in",
                    note=f"more than {limit} sign-in attempts a minute ({key})",
                )
            return LoginOutcome(failure="limited", reason="limited")
        if key == "all" and attempts == 1:
            session.execute(delete(SignInWindow).where(SignInWindow.window_start < window - KEEP))
    return None


def _count(session: Session, key: str, window: datetime) -> int:
    build = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    table = SignInWindow.__table__
    statement = build(table).values(key=key, window_start=window, attempts=1)
    statement = statement.on_conflict_do_update(
        index_elements=["key", "window_start"],
        set_={"attempts": table.c.attempts + 1},
    ).returning(table.c.attempts)
    return int(session.execute(statement).scalar_one())
