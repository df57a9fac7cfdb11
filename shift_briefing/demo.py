"""The demo hotel's day so far, for the briefing: whoever is on shift has read it.

Seeded in the middle of a shift, the demo would otherwise greet the manager with "nobody has
signed the briefing". The story is that the front desk on duty read and signed the briefing of
the shift running when the demo opened (after requests/ finished the work already due, so
they signed the version that is current).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import actor_for, system_actor
from core.clock import now
from core.lib import get_property
from core.models import Staff
from core.shifts import Roster
from shift_briefing.briefing import build_briefing, current_shift
from shift_briefing.signing import sign_briefing


def sign_for_those_on_shift(session: Session, property_id: int, **_: Any) -> dict[str, int]:
    hotel = get_property(session, property_id)
    day, shift = current_shift(session, hotel)
    roster = Roster(session, property_id)
    working = {staff_id for staff_id, duty in roster.on_shift(now()).items() if duty.shift == shift}
    briefing = build_briefing(
        session, system_actor(property_id, "demo"), property_id, day, shift, hotel.default_language
    )
    signed = 0
    for person in session.scalars(select(Staff).where(Staff.id.in_(working))):
        if "front_desk" in person.roles:
            sign_briefing(session, actor_for(person), briefing, briefing.version)
            signed += 1
    return {"signed": signed}
