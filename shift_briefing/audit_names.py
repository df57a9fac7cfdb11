"""Names for the audit log's rows that shift_briefing/ owns: shifts (see core/audit_text.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit_text import namer
from shift_briefing.models import Shift


@namer("shift")
def shift_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = session.execute(
        select(Shift.id, Shift.name).where(Shift.property_id == property_id, Shift.id.in_(numbers))
    )
    return {str(i): {"shift": {"t": f"shift.{name}"}} for i, name in rows}
