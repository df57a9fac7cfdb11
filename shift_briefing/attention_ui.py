"""Attention where the person is: the navigation's badges and the landing page's notice.

Streamlit only: what changed is decided in shift_briefing/attention.py. Run by the router on
every page load, before the navigation is drawn, so the badges show what the database holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import streamlit as st

from core.auth import Actor
from core.db import Database
from core.i18n import format_day
from core.notifications_ui import unread_badge
from core.ui import language, tr
from shift_briefing.attention import ChangedBriefing, announce, changed_since_signed, unannounced

log = logging.getLogger("hotel.ui")


@dataclass(frozen=True)
class Attention:
    changed: list[ChangedBriefing] = field(default_factory=list)
    unread: int = 0


def gather(database: Database, current: Actor) -> Attention:
    """Briefings changed since the person signed them (notified once), and their unread count.

    A failure here must not take every page down: the pages still run, without badges.
    """
    try:
        with database.read() as session:
            changed = changed_since_signed(session, current)
            new = unannounced(session, current, changed)
        if new:
            with database.write() as session:
                announce(session, current, new)
        return Attention(changed, unread_badge(database, current))
    except Exception:
        log.exception("could not gather the badges")
        return Attention()


def badges(attention: Attention) -> dict[str, tuple[str, str | None]]:
    """Per page url_path: the text added to its title, and the icon that replaces its own."""
    marks: dict[str, tuple[str, str | None]] = {}
    if attention.unread:
        marks["inbox"] = (f" ({attention.unread})", ":material/mark_email_unread:")
    if attention.changed:
        marks["briefing"] = (
            " · " + tr("attention.badge_changed"),
            ":material/notification_important:",
        )
    return marks


def landing_notice(attention: Attention) -> None:
    """On the person's first page: each briefing changed since they signed it, with a link."""
    for change in attention.changed:
        st.warning(
            tr(
                "attention.briefing_changed",
                shift=tr(f"shift.{change.shift}"),
                date=format_day(change.day, language(), "day_month"),
            ),
            icon=":material/notification_important:",
        )
    if attention.changed:
        st.page_link(
            st.Page(_elsewhere, title=tr("nav.briefing"), url_path="briefing"),
            label=tr("attention.open_briefing"),
            icon=":material/fact_check:",
        )


def _elsewhere() -> None:  # never run: the registered page with the same url_path is
    return None
