"""Reservations: the coming arrivals with the guests' wishes as they wrote them."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from core.clock import today
from core.db import get_database
from core.lib import current_property
from core.ui import actor, language, tr
from core.ui_columns import clock_column, day_column
from guests.reservations import arrivals_between


def reservations_page() -> None:
    st.title(tr("reservations.title"))
    me = actor()
    with get_database().read() as session:
        hotel = current_property(session, me)
        first = today(hotel.timezone)
        columns = st.columns(2)
        start = columns[0].date_input(tr("reservations.from"), value=first)
        end = columns[1].date_input(tr("reservations.to"), value=first + timedelta(days=7))
        if start > end:
            st.warning(tr("error.dates_order"))
            return
        arrivals = arrivals_between(session, me, hotel.id, start, end)
    st.caption(tr("reservations.count", count=len(arrivals)))
    st.caption(tr("reservations.pick_hint"))
    # The headers translated once, not on each of hundreds of rows.
    number, guest, arrival, departure, eta, room, wishes = (
        tr(key)
        for key in (
            "reservations.confirmation",
            "reservations.guest",
            "reservations.arrival",
            "reservations.departure",
            "arrivals.eta",
            "room.label",
            "reservations.wishes",
        )
    )
    picked = st.dataframe(
        pd.DataFrame(
            [
                {
                    number: a.confirmation_number,
                    guest: a.guest_name,
                    arrival: a.arrival_date,
                    departure: a.departure_date,
                    eta: a.eta,
                    room: a.room_number or "",
                    wishes: a.wish_text,
                }
                for a in arrivals
            ]
        ),
        hide_index=True,
        column_config={  # dates and times, not text: the table sorts by them
            tr("reservations.arrival"): day_column(language()),
            tr("reservations.departure"): day_column(language()),
            tr("arrivals.eta"): clock_column(language()),
        },
        on_select="rerun",
        selection_mode="single-row",
        key=_LIST,
    )
    rows = picked.selection.rows if picked is not None else []
    if rows and rows[0] < len(arrivals):
        # The reservation page opens what this key names (requests.ui.reservation_page).
        st.session_state[OPEN_RESERVATION] = arrivals[rows[0]].reservation_id
        st.session_state.pop(_OPENED_RESERVATION, None)
        del st.session_state[_LIST]  # coming back, the list is not still "clicked"
        st.switch_page(st.Page(_reservation_page, title=tr("nav.reservation"),
                               url_path="reservation"))


_LIST = "reservations_list"
OPEN_RESERVATION = "reservation_open"  # read by the reservation page
_OPENED_RESERVATION = "reservation_opened"


def _reservation_page() -> None:
    """Only a name for st.switch_page: the page registered at /reservation is what runs."""
