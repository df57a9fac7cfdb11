"""The briefing and checklist PDFs, made when they are clicked, for the person checked then.

Each maker reads the rows again with the freshly checked actor (the services check the role
again) so that the file says what the database holds at the moment of the click.
"""

from __future__ import annotations

from datetime import date

from core.auth import Actor
from core.db import Database
from core.lib import get_property
from shift_briefing import pdf
from shift_briefing.board import housekeeping_board
from shift_briefing.briefing import build_briefing
from shift_briefing.signing import signed_current


def briefing_pdf(
    database: Database, me: Actor, property_id: int, day: date, shift: str, language: str
) -> bytes:
    with database.read() as session:
        briefing = build_briefing(session, me, property_id, day, shift, language)
        signed = signed_current(session, briefing)
    return pdf.briefing_pdf(briefing, signed, language)


def checklist_pdf(
    database: Database, me: Actor, property_id: int, day: date, floor: int, language: str
) -> bytes:
    with database.read() as session:
        hotel = get_property(session, property_id)
        board = housekeeping_board(session, me, hotel, day)
    return pdf.checklist_pdf(hotel.name, board, language, floor)
