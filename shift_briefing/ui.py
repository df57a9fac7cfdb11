"""Front desk, housekeeping and manager home pages: the day's arrivals, rooms and late work."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from core.clock import to_local, today
from core.db import get_database
from core.models import Property
from core.ui import actor, tr
from requests.service import tasks_for
from requests.ui import task_label, tasks_table, wish_labels
from shift_briefing.service import arrivals_with_wishes


def _hotel(session) -> Property:  # noqa: ANN001
    hotel = session.get(Property, actor().property_id)
    assert hotel is not None
    return hotel


def arrivals_page() -> None:
    """Front desk: today's arrivals, each with the guest's words and every wish's status."""
    st.title(tr("arrivals.title"))
    me = actor()
    with get_database().read() as session:
        hotel = _hotel(session)
        day = st.date_input(tr("arrivals.day"), value=today(hotel.timezone))
        arrivals = arrivals_with_wishes(session, me, hotel.id, day)
        labels = wish_labels(session, hotel.id, me.language)
    st.caption(tr("arrivals.count", count=len(arrivals)))
    for item in arrivals:
        a = item.arrival
        eta = a.eta.strftime("%H:%M") if a.eta else hotel.check_in_time.strftime("%H:%M")
        room = a.room_number or tr("room.not_assigned")
        with st.container(border=True):
            vip = " ★" * a.vip_level
            st.text(f"{eta} · {a.guest_name}{vip} · {tr('room.label')} {room} · "
                    f"{tr('arrivals.nights', nights=a.nights)} · "
                    f"{tr('arrivals.people', adults=a.adults, children=a.children)}")
            if a.wish_text:
                st.text(a.wish_text)
            for task in item.tasks:
                late = " ⚠" if task.overdue else ""
                due = to_local(task.due_at, hotel.timezone).strftime("%d/%m %H:%M")
                st.text(f"• {task_label(task, labels)} — {tr(f'status.{task.status}')} "
                        f"({due}){late}")


def briefing_page() -> None:
    """The shift briefing to read and sign (filled in by the briefing issue)."""
    st.title(tr("briefing.title"))
    st.info(tr("briefing.coming"))


def housekeeping_page() -> None:
    """Housekeeping: rooms with an arrival today and the housekeeping tasks their wishes gave."""
    st.title(tr("housekeeping.title"))
    me = actor()
    with get_database().read() as session:
        hotel = _hotel(session)
        day = today(hotel.timezone)
        arrivals = arrivals_with_wishes(session, me, hotel.id, day)
        labels = wish_labels(session, hotel.id, me.language)
    rows = []
    for item in arrivals:
        a = item.arrival
        work = [task_label(t, labels) for t in item.tasks if t.department == "housekeeping"]
        rows.append({
            tr("room.label"): a.room_number or tr("room.not_assigned"),
            tr("arrivals.eta"): a.eta.strftime("%H:%M") if a.eta else "",
            tr("housekeeping.items"): ", ".join(work),
        })
    st.caption(tr("housekeeping.rooms_today", count=len(rows)))
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def dashboard_page() -> None:
    """Manager: what is late, what arrives, how many promises were kept this week."""
    st.title(tr("dashboard.title"))
    me = actor()
    with get_database().read() as session:
        hotel = _hotel(session)
        day = today(hotel.timezone)
        overdue = tasks_for(session, me, hotel.id, overdue_only=True, timezone=hotel.timezone)
        todays = tasks_for(session, me, hotel.id, day=day, timezone=hotel.timezone)
        arrivals = arrivals_with_wishes(session, me, hotel.id, day)
        week = [
            t for t in tasks_for(session, me, hotel.id, timezone=hotel.timezone)
            if day - timedelta(days=7) <= to_local(t.due_at, hotel.timezone).date() <= day
            and t.kind == "wish"
        ]
        labels = wish_labels(session, hotel.id, me.language)
    finished = [t for t in week if t.status in ("done", "not_possible")]
    kept = sum(1 for t in finished if t.status == "done")
    columns = st.columns(3)
    columns[0].metric(tr("dashboard.arrivals_today"), len(arrivals))
    columns[1].metric(tr("dashboard.overdue"), len(overdue))
    columns[2].metric(tr("dashboard.kept"), f"{kept}/{len(finished)}" if finished else "—")
    st.subheader(tr("dashboard.overdue"))
    if overdue:
        st.dataframe(tasks_table(overdue, labels, hotel.timezone), hide_index=True)
    else:
        st.success(tr("dashboard.nothing_late"))
    st.subheader(tr("dashboard.tasks_today"))
    st.dataframe(tasks_table(todays, labels, hotel.timezone), hide_index=True)
