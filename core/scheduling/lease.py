"""The lease: which process runs the jobs, taken and renewed with one conditional UPDATE.

The process holding it runs the due jobs; when it dies the lease expires and another process
takes over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import case, or_, update
from sqlalchemy.orm import Session

from core import clock
from core.lib import insert_unless_exists
from core.scheduling.models import SchedulerLease

LEASE = "scheduler"


def take_lease(
    session: Session, holder: str, now: datetime, ttl: timedelta, name: str = LEASE
) -> bool:
    """Takes or renews the lease: one conditional UPDATE, true when `holder` now holds it.

    It succeeds only for the holder itself or once the previous holder's lease expired, and
    the database serialises two takers (SQLite's write lock, PostgreSQL's row lock).
    """
    insert_unless_exists(
        session,
        SchedulerLease,
        [{"name": name, "holder": None, "expires_at": datetime(2000, 1, 1, tzinfo=UTC)}],
        ["name"],
    )
    table = SchedulerLease.__table__
    fresh = or_(table.c.holder.is_(None), table.c.holder != holder)
    taken = session.execute(
        update(table)
        .where(
            table.c.name == name,
            or_(table.c.holder == holder, table.c.expires_at <= now),
        )
        .values(
            holder=holder,
            expires_at=now + ttl,
            renewed_at=now,
            acquired_at=case((fresh, now), else_=table.c.acquired_at),
        )
    )
    return taken.rowcount == 1


def release_lease(session: Session, holder: str, name: str = LEASE) -> None:
    """Hands the lease over at once (a clean shutdown), instead of letting it expire."""
    table = SchedulerLease.__table__
    session.execute(
        update(table)
        .where(table.c.name == name, table.c.holder == holder)
        .values(expires_at=clock.now())
    )


def lease_state(session: Session, name: str = LEASE) -> SchedulerLease | None:
    return session.get(SchedulerLease, name)
