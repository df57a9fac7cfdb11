"""The roster on the shifts page: which shifts each staff member usually works, and on which
days. Streamlit only: the rules are in core/shifts.py."""

from __future__ import annotations

import streamlit as st

from core.db import Database
from core.models import Property, Staff
from core.shifts import SHIFT_NAMES, WEEKDAYS, set_usual_shifts, usual_shifts
from core.ui import action, actor, tr, translator


def roster_section(database: Database, hotel: Property) -> None:
    """Managers say who works which shift; tasks go to whoever is on shift (requests/)."""
    me = actor()
    st.subheader(tr("roster.title"))
    st.caption(tr("roster.help"))
    with database.read() as session:
        people = list(
            session.query(Staff)
            .filter_by(property_id=hotel.id, active=True)
            .order_by(Staff.department, Staff.name)
        )
        worked = usual_shifts(session, hotel.id)
    with st.form("roster"):
        chosen = {}
        for person in people:
            pairs = worked.get(person.id, set())
            columns = st.columns([2, 2, 3])
            department = tr(f"department.{person.department}") if person.department else "—"
            columns[0].text(f"{person.name}\n{department}")
            shifts = columns[1].multiselect(
                tr("roster.shifts"),
                SHIFT_NAMES,
                default=sorted({s for s, _ in pairs}, key=SHIFT_NAMES.index),
                format_func=translator("shift."),
                key=f"roster_shifts_{person.id}",
            )
            days = columns[2].multiselect(
                tr("roster.days"),
                WEEKDAYS,
                default=sorted({d for _, d in pairs}) or list(WEEKDAYS),
                format_func=translator("weekday."),
                key=f"roster_days_{person.id}",
            )
            chosen[person.id] = [(s, d) for s in shifts for d in days]
        if st.form_submit_button(tr("roster.save"), type="primary"):
            with action(database, done=tr("saved")) as session:
                for staff_id, pairs in chosen.items():
                    set_usual_shifts(session, me, staff_id, pairs)
