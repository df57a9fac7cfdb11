"""The housekeeping board page: every room of the day once, by floor, ticked on a phone.

Streamlit only: the board is read by shift_briefing.board, the ticks go through
shift_briefing.readiness (whose rules are the services'). Each box shows what is stored: its
key follows the stored version, and a refused tick is put back (shift_briefing.card_ui).
Each room card is a fragment keyed by its room, and the counts above the cards are one too: a
tick writes in the box's callback, then a saved tick reruns its card and the counts, a refused
one its card alone; each reads the database again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from core.clock import today
from core.db import Database, get_database
from core.download_ui import guarded_download
from core.i18n import format_clock
from core.lib import current_property
from core.models import Property
from core.ui import actor, escape_markdown, language, page_of, still_signed_in, tr
from shift_briefing import card_ui, downloads, severity_ui
from shift_briefing.board import (
    ROOM_STATES,
    STAY_FACTS,
    BoardRoom,
    board_room,
    housekeeping_board,
)
from shift_briefing.readiness import ChecklistItem, RoomChecklist, tick, tick_room

# Icons always come with their word; the legend on the page says what each one means.
ICONS = {
    "vacant_dirty": ":material/cleaning_services:",
    "vacant_clean": ":material/check:",
    "inspected": ":material/verified:",
    "occupied": ":material/person:",
    "out_of_order": ":material/block:",
    "departed": ":material/exit_to_app:",
    "due_out": ":material/logout:",
    "stay_over": ":material/hotel:",
    "arrived": ":material/how_to_reg:",
    "arrival": ":material/login:",
    "ready": ":material/check_circle:",
    "not_ready": ":material/hourglass_empty:",
}
# Badge colours of the room states (with their icon and word, never the colour alone).
COLOURS = {
    "vacant_dirty": "orange",
    "vacant_clean": "blue",
    "inspected": "green",
    "occupied": "violet",
    "out_of_order": "gray",
    "ready": "green",
    "not_ready": "orange",
}
_ALL_FLOORS = "all"
ROOMS_PER_PAGE = 30


def _mark(name: str) -> str:
    """An icon with its word, for markdown places."""
    return f"{ICONS[name]} {escape_markdown(tr(f'board.{name}'))}"


def _badge(name: str, extra: str = "") -> str:
    """A state as a Streamlit badge: colour, icon and word."""
    return f":{COLOURS[name]}-badge[{_mark(name)}{extra}]"


def housekeeping_page() -> None:
    """The board of a day: each room's state and stays, its checklist, a sheet per floor."""
    st.title(tr("housekeeping.title"))
    database = get_database()
    with database.read() as session:
        hotel = current_property(session, actor())
        day = st.date_input(tr("arrivals.day"), value=today(hotel.timezone))
        board = housekeeping_board(session, actor(), hotel, day)
    floors = [_ALL_FLOORS, *board.floors]
    floor = st.selectbox(
        tr("board.floor_filter"),
        floors,
        format_func=lambda f: (
            tr("board.all_floors") if f == _ALL_FLOORS else tr("housekeeping.floor", floor=f)
        ),
        key="board_floor",
    )
    chosen = None if floor == _ALL_FLOORS else floor
    _summary(database, hotel, day, chosen, {"board": board})
    _legend()
    to_do_only = st.toggle(tr("board.to_do_only"), key="board_to_do_only")
    rooms = [r for r in board.on_floor(chosen) if not (to_do_only and r.nothing_to_do)]
    shown = page_of(rooms, ROOMS_PER_PAGE, key="board_page")
    last_page = not rooms or shown[-1] is rooms[-1]
    lang = language()
    for on_floor in dict.fromkeys(room.floor for room in shown):
        st.subheader(tr("housekeeping.floor", floor=on_floor))
        guarded_download(  # made at the click, for the person checked then
            database,
            tr("housekeeping.print_floor", floor=on_floor),
            lambda me, on_floor=on_floor: downloads.checklist_pdf(
                database, me, hotel.id, day, on_floor, lang
            ),
            roles=("housekeeping", "manager"),
            file_name=f"checklist-{day}-floor-{on_floor}.pdf",
            mime="application/pdf",
            key=f"print_{on_floor}",
        )
        for room in shown:
            if room.floor == on_floor:
                card = st.fragment(_room_card, key=_card_key(room.room_id))
                card(database, hotel, day, room.room_id, {"room": room})
    if board.unassigned and chosen is None and last_page:
        st.subheader(tr("housekeeping.no_room"))
        for arrival in board.unassigned:
            _unassigned_card(database, hotel, arrival)


_SUMMARY = "board_summary"  # the counts' fragment, rerun with the card a saved tick changed


def _card_key(room_id: int) -> str:
    return f"board_card_{room_id}"


@st.fragment(key=_SUMMARY)
def _summary(
    database: Database, hotel: Property, day: date, floor: int | None, first: dict[str, Any]
) -> None:
    """How many rooms in each state and with each fact (those with none are left out). The
    page's run hands it the board it read (`first`, used once); rerun with a card after a
    saved tick, it reads the board again, so the counts are the database's."""
    board = first.pop("board", None)
    if board is None:
        me = still_signed_in(database)
        with database.read() as session:
            board = housekeeping_board(session, me, hotel, day)
    counts = board.counts(floor)
    arriving = [r for r in board.arriving_rooms if floor is None or r.floor == floor]
    st.caption(
        tr("housekeeping.summary", ready=sum(r.ready for r in arriving), count=len(arriving))
    )
    lines = [
        " · ".join(f"{_mark(name)} **{counts[name]}**" for name in names if counts[name])
        for names in (ROOM_STATES, STAY_FACTS)
    ]
    st.markdown("  \n".join(line for line in lines if line))


def _legend() -> None:
    with st.expander(tr("board.legend"), icon=":material/help:"):
        for name in (*ROOM_STATES, *STAY_FACTS, "ready", "not_ready"):
            st.markdown(f"{_mark(name)}: {escape_markdown(tr(f'board.help_{name}'))}")


def _room_card(
    database: Database, hotel: Property, day: date, room_id: int, first: dict[str, BoardRoom]
) -> None:
    """One room's card, a fragment keyed by its room. The page's run hands it the room it read
    with the whole board (`first`, used once); a tick reruns this card alone (with the counts,
    when it was saved), and it reads its room again."""
    room = first.pop("room", None)
    if room is None:  # this card alone: the page did not check the person, nor read the room
        me = still_signed_in(database)
        with database.read() as session:
            room = board_room(session, me, hotel, day, room_id)
        if room is None:
            return
    place = f"room_{room.room_id}"
    with st.container(border=True, key=f"board_room_{room.room_id}"):
        extra = ""
        if room.state == "occupied":
            extra = " · " + escape_markdown(tr(f"room_status.{room.housekeeping_status}"))
        head = f"**{escape_markdown(room.number)}** {_badge(room.state, extra)}"
        if room.arrivals:
            head += " " + _badge("ready" if room.ready else "not_ready")
        st.markdown(head)
        for stay in room.stays:  # guest text escaped: it shows as typed
            who = escape_markdown(f"{stay.guest_name} ({stay.confirmation_number})")
            st.markdown(f"{_mark(stay.fact)} {format_clock(stay.at, language())} · {who}")
        for arrival in room.arrivals:
            severity_ui.critical_room(arrival)
        card_ui.show_messages(place)
        for item in room.standard:
            name = f"room_{room.room_id}_{item.key}"
            st.checkbox(
                item.label(language()),
                value=item.done,
                key=card_ui.key(name, room.status_version),
                disabled=room.state == "out_of_order",
                on_change=_tick_room,
                args=(database, hotel.id, room, item.key, not item.done, name, place),
            )
        for reservation_id, item in room.wish_items:
            _wish_item(
                database, hotel, reservation_id, item, place, (_card_key(room.room_id), _SUMMARY)
            )


def _tick_room(
    database: Database,
    property_id: int,
    room: BoardRoom,
    key: str,
    done: bool,
    name: str,
    place: str,
) -> None:
    """The box's callback: the room's status, from the version the person saw."""
    card_ui.write(
        database,
        place,
        lambda session, me: tick_room(
            session, me, property_id, room.room_id, key, done, room.status_version
        ),
        reset=name,
        done=f"{room.number} · {tr('saved')}",
        rerun=(_card_key(room.room_id), _SUMMARY),
    )


def _wish_item(
    database: Database,
    hotel: Property,
    reservation_id: int,
    item: ChecklistItem,
    place: str,
    rerun: tuple[str, ...] | None = None,
) -> None:
    """One item a guest's wish adds: ticking it finishes its task (and unticking reopens it)."""
    name = f"tick_{reservation_id}_{item.key}"
    st.checkbox(
        severity_ui.checklist_label(item),
        value=item.done,
        key=card_ui.key(name, item.done, item.task_version),
        on_change=card_ui.write,
        args=(
            database,
            place,
            lambda session, me: tick(
                session, me, hotel.id, reservation_id, item.key, not item.done, item.task_version
            ),
        ),
        kwargs={"reset": name, "done": tr("saved"), "rerun": rerun},  # the card shows it ticked
    )


def _unassigned_card(database: Database, hotel: Property, arrival: RoomChecklist) -> None:
    place = f"arrival_{arrival.reservation_id}"
    with st.container(border=True):
        who = escape_markdown(f"{arrival.guest_name} ({arrival.confirmation_number})")
        at = format_clock(arrival.expected_at, language())
        st.markdown(f"{_mark('arrival')} {at} · {who}")
        st.caption(tr("readiness.error_no_room"))
        severity_ui.critical_room(arrival)
        card_ui.show_messages(place)
        for item in arrival.items:
            if item.task_id is not None:
                _wish_item(database, hotel, arrival.reservation_id, item, place)
