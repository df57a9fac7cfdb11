"""Properties (hotels): creating one, which announces it to the domains that seed their share
(shift_briefing/ its shifts), and finding one by its code."""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, events
from core.audit import Who
from core.models import Property


def create_property(
    session: Session,
    who: Who,
    *,
    code: str,
    name: str,
    timezone: str = "Europe/Paris",
    check_in_time: time = time(15, 0),
    check_out_time: time = time(11, 0),
    default_language: str = "fr",
    is_demo: bool = False,
) -> Property:
    hotel = Property(
        code=code,
        name=name,
        timezone=timezone,
        check_in_time=check_in_time,
        check_out_time=check_out_time,
        default_language=default_language,
        is_demo=is_demo,
    )
    session.add(hotel)
    session.flush()
    audit.record(
        session,
        who,
        "property_created",
        "property",
        hotel.id,
        after=audit.snapshot(hotel),
        property_id=hotel.id,
    )
    events.publish(events.PROPERTY_CREATED, session, property_id=hotel.id, who=who)
    return hotel


def property_by_code(session: Session, code: str) -> Property | None:
    return session.scalar(select(Property).where(Property.code == code))


def first_property(session: Session) -> Property | None:
    return session.scalar(select(Property).order_by(Property.id))


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Property)) == 0
