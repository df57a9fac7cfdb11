"""The briefing archive: each shift's briefing as it was frozen before the shift, to download.
Streamlit only: the rules are in shift_briefing/archive.py."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from core.auth import Actor
from core.clock import to_local, today
from core.db import Database, get_database
from core.download_ui import guarded_download
from core.i18n import format_day, format_moment
from core.lib import current_property
from core.models import Property
from core.ui import actor, language, tr
from shift_briefing.archive import ArchivedBriefing, archived_briefings, archived_pdf

DEFAULT_DAYS = 7


def archive_page() -> None:
    st.title(tr("archive.title"))
    st.caption(tr("archive.intro"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
    last = today(hotel.timezone) + timedelta(days=1)
    period = st.date_input(
        tr("archive.period"),
        value=(last - timedelta(days=DEFAULT_DAYS), last),
        key="archive_period",
    )
    since, until = _period(period, last)
    with database.read() as session:
        items = archived_briefings(session, me, hotel.id, since, until)
    if not items:
        st.info(tr("archive.empty"))
        return
    wanted = st.query_params.get("id")
    for item in items:
        _line(database, hotel, item, highlighted=wanted == str(item.id))


def _period(period: object, fallback: date) -> tuple[date, date]:
    if isinstance(period, tuple) and len(period) == 2:
        return period[0], period[1]
    if isinstance(period, tuple) and len(period) == 1:
        return period[0], period[0]
    if isinstance(period, date):
        return period, period
    return fallback - timedelta(days=DEFAULT_DAYS), fallback


def _line(database: Database, hotel: Property, item: ArchivedBriefing, highlighted: bool) -> None:
    with st.container(border=True):
        what, made, download = st.columns([4, 4, 2], vertical_alignment="center")
        title = f"{format_day(item.day, language())} · {tr(f'shift.{item.shift}')}"
        what.markdown(f"**{title}**" if highlighted else title)
        what.caption(tr("archive.arrivals", count=item.arrivals))
        made.caption(
            tr(
                "archive.made",
                at=format_moment(to_local(item.made_at, hotel.timezone), language()),
                version=item.version[:8],
            )
        )
        if item.erased:
            download.caption(tr("archive.erased"))
            return
        guarded_download(
            database,
            tr("archive.download"),
            lambda me: _pdf(database, me, hotel.id, item.id),
            roles=("front_desk", "manager"),
            file_name=f"briefing-{item.day.isoformat()}-{item.shift}-{item.version[:8]}.pdf",
            mime="application/pdf",
            key=f"archive_pdf_{item.id}",
            container=download,
        )


def _pdf(database: Database, me: Actor, property_id: int, archive_id: int) -> bytes:
    with database.read() as session:
        return archived_pdf(session, me, property_id, archive_id)
