"""Shifts: seeded for each new property (listeners.py), their hours set by managers."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import Actor, require
from core.errors import UserError
from core.models import Property
from core.shifts import Shift
from core.versions import claim_version


def update_shift(
    session: Session,
    who: Who,
    property_id: int,
    name: str,
    starts: time,
    ends: time,
    *,
    version: int | None = None,
) -> None:
    """Sets a shift's hours; `version` is the one the manager loaded (None: as stored)."""
    require(who, "manager")
    if starts == ends:
        raise UserError("shifts.error_empty", shift=name)
    shift = session.scalar(
        select(Shift).where(Shift.property_id == property_id, Shift.name == name)
    )
    if shift is None:
        raise UserError("briefing.error_shift", shift=name)
    if (shift.starts_at, shift.ends_at) == (starts, ends):
        return
    hotel = session.get(Property, property_id)
    claim_version(
        session,
        Shift,
        shift.id,
        version,
        entity="shift",
        timezone=hotel.timezone if hotel else "UTC",
        language=who.language if isinstance(who, Actor) else "en",
        key="shifts.error_changed",
    )
    before = {"starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat()}
    shift.starts_at, shift.ends_at = starts, ends
    audit.record(
        session,
        who,
        "shift_updated",
        "shift",
        shift.id,
        before=before,
        after={"starts_at": starts.isoformat(), "ends_at": ends.isoformat()},
        property_id=property_id,
    )
