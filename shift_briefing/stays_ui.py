"""Front desk: move a guest to another room, and check a guest out (Streamlit only).

The rules are in guests.stays; these widgets show what is stored and call it.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from core.db import Database
from core.i18n import format_day
from core.models import Property
from core.ui import action, actor, language, tr, tr_md
from guests.stays import check_out, departures_of_day, free_rooms, move_reservation


def move_form(
    database: Database, hotel: Property, reservation_id: int, arrival: date, nights: int,
    room_number: str | None,
) -> None:
    """Another room for this stay, among the rooms free on all its nights."""
    with database.read() as session:
        free = [room.number for room in free_rooms(
            session, hotel.id, arrival, arrival + timedelta(days=max(nights, 1)))]
    with st.form(f"move_{reservation_id}"):
        target = st.selectbox(
            tr("stay.move_to"), free, index=None, placeholder=tr("stay.pick_room"),
            key=f"move_to_{reservation_id}",
        )
        moved = st.form_submit_button(tr("stay.move"))
    if not moved:
        return
    if not target:
        st.error(tr("stay.error_pick_room"))
        return
    done = tr_md("stay.moved", old=room_number or tr("room.not_assigned"), new=target)
    with action(database, done=done) as session:
        move_reservation(session, actor(), hotel.id, reservation_id, target,
                         from_room=room_number)


def departures(database: Database, hotel: Property, day: date) -> None:
    """Guests due out (or past their date): check-out frees the room and leaves it dirty."""
    with database.read() as session:
        leaving = departures_of_day(session, actor(), hotel.id, day)
    st.subheader(tr("stay.departures"))
    if not leaving:
        st.caption(tr("stay.no_departures"))
        return
    for departure in leaving:
        columns = st.columns([4, 1])
        columns[0].text(
            f"{departure.guest_name} · {departure.room_number or tr('room.not_assigned')} · "
            f"{format_day(departure.arrival_date, language(), 'day_month')} → "
            f"{format_day(departure.departure_date, language(), 'day_month')}"
        )
        if columns[1].button(
            tr("stay.check_out"), key=f"check_out_{departure.reservation_id}", type="primary"
        ):
            done = tr_md("stay.checked_out", guest=departure.guest_name,
                         room=departure.room_number or tr("room.not_assigned"))
            with action(database, done=done) as session:
                check_out(session, actor(), hotel.id, departure.reservation_id)
