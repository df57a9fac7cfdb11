"""The briefing archive as staff read it: the frozen briefings of a period, and one PDF.

The scheduler fills it (archive_briefings in shift_briefing/jobs.py); retention erases the
PDFs (shift_briefing/listeners.py); shift_briefing/archive_ui.py shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require
from core.errors import UserError
from shift_briefing.models import BriefingArchive


@dataclass(frozen=True)
class ArchivedBriefing:
    id: int
    day: date
    shift: str
    version: str
    arrivals: int
    made_at: datetime
    size: int  # bytes; 0 once erased
    erased: bool


def archived_briefings(
    session: Session, who: Who, property_id: int, since: date, until: date
) -> list[ArchivedBriefing]:
    """The frozen briefings of a period, newest first (the PDFs are read one at a time)."""
    require(who, "front_desk", "manager")
    rows = session.execute(
        select(
            BriefingArchive.id,
            BriefingArchive.briefing_date,
            BriefingArchive.shift,
            BriefingArchive.version,
            BriefingArchive.arrivals,
            BriefingArchive.made_at,
            func.coalesce(func.length(BriefingArchive.pdf), 0),
            BriefingArchive.erased_at,
        )
        .where(
            BriefingArchive.property_id == property_id,
            BriefingArchive.briefing_date >= since,
            BriefingArchive.briefing_date <= until,
        )
        .order_by(
            BriefingArchive.briefing_date.desc(),
            BriefingArchive.made_at.desc(),
            BriefingArchive.id.desc(),
        )
    )
    return [
        ArchivedBriefing(i, day, shift, version, arrivals, made, size, erased is not None)
        for i, day, shift, version, arrivals, made, size, erased in rows
    ]


def archived_pdf(session: Session, who: Who, property_id: int, archive_id: int) -> bytes:
    require(who, "front_desk", "manager")
    archive = session.get(BriefingArchive, archive_id)
    if archive is None or archive.property_id != property_id:
        raise UserError("archive.error_not_found")
    if archive.pdf is None:
        raise UserError("archive.error_erased")
    return archive.pdf
