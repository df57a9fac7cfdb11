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

from sqlalchemy import delete, select
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


def refused(session: Session, address: str) -> LoginOutcome | None:
    """The cheap first look, in a read session (no write lock): an address or the whole
    server already at its limit this minute is refused without writing anything."""
    from core.auth import LoginOutcome

    window = _window()
    for key, limit in _keys(address):
        attempts = session.scalar(
            select(SignInWindow.attempts).where(
                SignInWindow.key == key, SignInWindow.window_start == window
            )
        )
        if attempts is not None and attempts >= limit:
            return LoginOutcome(failure="limited", reason="limited")
    return None


def admit(session: Session, address: str) -> LoginOutcome | None:
    """Counts one attempt from `address`; None when it may go on, else the refusal. The
    attempt that reaches a limit is audited, once per key and minute."""
    from core.auth import LoginOutcome

    window = _window()
    for key, limit in _keys(address):
        attempts = _count(session, key, window)
        if attempts > limit:
            return LoginOutcome(failure="limited", reason="limited")
        if attempts == limit:
            audit.record(
                session,
                Who(None, key.removeprefix("address:"), None),
                "login_limited",
                "sign_in",
                note=f"{limit} sign-in attempts this minute ({key}): more are refused",
            )
        if key == "all" and attempts == 1:
            session.execute(delete(SignInWindow).where(SignInWindow.window_start < window - KEEP))
    return None


def _window() -> datetime:
    return now().replace(second=0, microsecond=0)


def _keys(address: str) -> list[tuple[str, int]]:
    """The counters an attempt from `address` goes into; an unknown address ("": localhost,
    or every browser behind a local reverse proxy) only into the server's total."""
    if not address:
        return [("all", in_total())]
    return [(f"address:{address[:100]}", per_address()), ("all", in_total())]


def _count(session: Session, key: str, window: datetime) -> int:
    build = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    table = SignInWindow.__table__
    statement = build(table).values(key=key, window_start=window, attempts=1)
    statement = statement.on_conflict_do_update(
        index_elements=["key", "window_start"],
        set_={"attempts": table.c.attempts + 1},
    ).returning(table.c.attempts)
    return int(session.execute(statement).scalar_one())
