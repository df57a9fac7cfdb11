"""What shift_briefing/ does when other domains announce something (core/events.py).

A new property gets its shifts; anonymised guests' days lose their briefings (on screen and
the archived PDFs) and check-in override reasons; in the demo, whoever is on shift has signed
the current briefing. core/startup.py subscribes LISTENERS, in this order, once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from core import events
from core.lib import chunks
from core.shifts import seed_shifts
from guests.jobs import GUESTS_ANONYMISED
from shift_briefing.demo import sign_for_those_on_shift
from shift_briefing.models import BriefingArchive, BriefingVersion, CheckIn


def seed_property(session: Session, property_id: int, **_: object) -> None:
    seed_shifts(session, property_id)


def erase_briefings(
    session: Session,
    property_id: int,
    reservation_ids: Sequence[int],
    dates: Sequence[date],
    moment: datetime,
    **_: object,
) -> dict[str, int]:
    """Briefings name every guest of their day: those of the anonymised stays' days go."""
    versions = BriefingVersion.__table__
    archives = BriefingArchive.__table__
    check_ins = CheckIn.__table__
    erased = {"briefing_versions": 0, "briefing_pdfs": 0}
    for chunk in chunks(dates):
        erased["briefing_versions"] += session.execute(
            update(versions)
            .where(versions.c.property_id == property_id, versions.c.briefing_date.in_(chunk))
            .values(content={"erased": True})
        ).rowcount
        erased["briefing_pdfs"] += session.execute(
            update(archives)
            .where(
                archives.c.property_id == property_id,
                archives.c.briefing_date.in_(chunk),
                archives.c.pdf.is_not(None),
            )
            .values(pdf=None, erased_at=moment)
        ).rowcount
    for chunk in chunks(reservation_ids):
        session.execute(
            update(check_ins)
            .where(check_ins.c.reservation_id.in_(chunk), check_ins.c.override_reason.is_not(None))
            .values(override_reason="")
        )
    return erased


LISTENERS: tuple[tuple[str, events.Listener], ...] = (
    (events.PROPERTY_CREATED, seed_property),
    (GUESTS_ANONYMISED, erase_briefings),
    (events.DEMO_SEEDED, sign_for_those_on_shift),  # after requests/ did the work due
)
