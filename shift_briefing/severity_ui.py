"""Critical health wishes on screen: first, in red, with an icon and the word "critical".

One helper per surface (the guest's block on the arrival card and the briefing, the room card
of the housekeeping checklist, the check-in form). Guest words are escaped for markdown; a
reader who may not see health details gets the instruction and the severity, not the words.
Streamlit only: which wish is critical is decided in requests.severity.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import streamlit as st

from core.clock import to_local
from core.i18n import format_moment
from core.ui import escape_markdown, language, tr, tr_md
from shift_briefing.briefing import BriefingGuest, WishLine
from shift_briefing.checkin import ArrivalCard
from shift_briefing.readiness import ChecklistItem, RoomChecklist

ICON = ":material/emergency:"


def _state(wish: WishLine, timezone: str) -> str:
    state = tr(f"status.{wish.status}")
    if wish.status in ("open", "in_progress"):
        due: datetime = wish.due_at
        at = format_moment(to_local(due, timezone), language())
        state += " · " + tr("briefing.due", at=at)
        if wish.overdue:
            state = "⚠ " + tr("tasks.overdue") + " · " + state
    if wish.status == "not_possible" and wish.reason:
        state += f" ({wish.reason})"
    return state


def critical_wishes(guest: BriefingGuest, timezone: str) -> None:
    """The guest's critical wishes in one red box above the others."""
    lines = [
        tr_md("severity.critical_line", wish=w.label, state=_state(w, timezone))
        + (f"  \n« {escape_markdown(w.detail)} »" if w.detail else "")
        for w in guest.wishes
        if w.critical
    ]
    if lines:
        st.error("\n\n".join(lines), icon=ICON)


def title_mark(guest: BriefingGuest) -> str:
    """Markdown for a card's title, so a closed card still says it holds a critical wish."""
    if not any(w.critical for w in guest.wishes):
        return ""
    return f" · :red[**⚠ {escape_markdown(tr('severity.critical_word'))}**]"


def other_wishes(guest: BriefingGuest) -> Sequence[WishLine]:
    """The wishes left for the plain list once the critical ones have their box."""
    return [w for w in guest.wishes if not w.critical]


def critical_room(room: RoomChecklist) -> None:
    """A room whose guest has a critical health wish: its label, in red, on the room card."""
    if room.critical:
        wishes = ", ".join(c.label(language()) for c in room.critical)
        st.error(tr_md("severity.critical_room", wishes=wishes), icon=ICON)


def kitchen_informed(card: ArrivalCard, key: str | None = None) -> bool:
    """The explicit confirmation a check-in with an open critical wish needs."""
    if not card.critical_open:
        return False
    wishes = ", ".join(w.label for w in card.critical_open)
    return st.checkbox(
        tr("checkin.kitchen_informed", wishes=wishes),
        key=key or f"kitchen_{card.guest.reservation_id}",
    )


def checklist_label(item: ChecklistItem) -> str:
    """A checklist box's label, marked in red when it belongs to a critical wish (checkbox
    labels are markdown: then the label is escaped)."""
    label = item.label(language())
    if not item.critical:
        return label
    return f":red[**{escape_markdown(tr('severity.critical_word'))}**] · {escape_markdown(label)}"
