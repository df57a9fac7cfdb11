"""A signed-in session, checked again whenever something leaves the server.

A download is made when the person clicks, on another thread and without the page's script:
the check the router makes at every page run does not happen there. The guard is the part of
the session that the download's callable keeps: it says who signed in, when they were last
active and whether the session ended, and asks the database whether the account is still
active and holds the role. Plain Python (no Streamlit), so the rule is tested directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from core import audit
from core.audit import Who
from core.auth import Actor, PermissionDenied, current_actor, require
from core.clock import now
from core.db import Database
from core.errors import UserError
from core.models import Staff
from core.settings import idle_timeout_minutes

IDLE = "idle"
INACTIVE = "inactive"
SIGNED_OUT = "signed_out"
NOT_ALLOWED = "not_allowed"


class SessionEnded(UserError):
    """The session may not receive this any more; `reason` is one of the constants above."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(f"session.refused_{reason}", **values)
        self.reason = reason


@dataclass
class SessionGuard:
    """Who is signed in on one browser session, and since when nothing happened."""

    staff_id: int
    last_seen: datetime = field(default_factory=now)
    ended: str | None = None
    refused: bool = False  # a download was refused: the sign-in page says nothing left
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def idle(self) -> bool:
        return (now() - self.last_seen).total_seconds() > idle_timeout_minutes() * 60

    def touch(self) -> None:
        with self._lock:
            self.last_seen = now()

    def end(self, reason: str = SIGNED_OUT) -> None:
        with self._lock:
            self.ended = self.ended or reason

    def check(self, database: Database, *roles: str) -> Actor:
        """The person as the database says now, or SessionEnded (refusals are audited).

        Idle past the timeout, signed out, deactivated or without one of `roles`: refused.
        A download that goes through counts as activity.
        """
        reason = self.ended or (IDLE if self.idle() else None)
        fresh: Actor | None = None
        if reason is None:
            with database.read() as session:
                fresh = current_actor(session, self.staff_id)
            if fresh is None:
                reason = INACTIVE
            elif roles:
                try:
                    require(fresh, *roles)
                except PermissionDenied:
                    reason = NOT_ALLOWED
        if reason is not None or fresh is None:
            reason = reason or INACTIVE
            if reason != NOT_ALLOWED:
                self.end(reason)
            self.refused = True
            self._audit_refusal(database, reason)
            raise SessionEnded(reason, minutes=idle_timeout_minutes())
        self.touch()
        return fresh

    def _audit_refusal(self, database: Database, reason: str) -> None:
        with database.write() as session:
            staff = session.get(Staff, self.staff_id)
            who = (
                Who(self.staff_id, staff.name, staff.property_id)
                if staff
                else Who(self.staff_id, "?", None)
            )
            audit.record(session, who, "download_refused", "staff", self.staff_id, note=reason)
