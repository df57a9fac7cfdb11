"""Pages of the requests domain: wish capture on a reservation, task boards, the catalogue.

Guest text is only ever shown with st.text or inside a dataframe: never as markdown or HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import time, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.clock import to_local, today
from core.db import Database, get_database
from core.i18n import format_clock, format_moment
from core.lib import current_property
from core.models import Property, Staff
from core.shifts import floor_sections, set_floor_sections
from core.ui import (
    action,
    actor,
    escape_markdown,
    flash,
    language,
    on_action,
    page_window,
    show_flashes,
    still_signed_in,
    tr,
    tr_md,
    translator,
)
from core.ui_columns import moment_column, yes_no_column
from core.ui_versions import forget_seen, seen_version
from guests import reservations, rooms
from guests.models import Reservation
from guests.reservations import ReservationChanged, ReservationExists
from guests.ui import OPEN_RESERVATION
from requests import catalogue, wishes
from requests import tasks as requests_tasks
from requests.assignment import department_rules, departments_without_owner
from requests.catalogue_defaults import DEPARTMENTS, TIMINGS, WISH_LANGUAGES
from requests.labels import Labels, catalogue_labels, task_label_text
from requests.models import ASSIGNMENT_RULES, TASK_STATUSES, Request
from requests.reservation_save import WishPicks, save_reservation_with_wishes
from requests.states import NEEDS_REASON, OPEN, board_moves
from requests.tasks import TaskView
from requests.wish_parser import ParseResult
from requests.wishes import WishChoice


def wish_labels(session: Session, property_id: int, language: str) -> dict[str, str]:
    """Catalogue labels in the reader's language, by code."""
    return {
        item.code: item.label_fr if language == "fr" else item.label_en
        for item in catalogue.catalogue_items(session, property_id, active_only=False)
    }


def task_label(task: TaskView, labels: Labels) -> str:
    """The board's words for a task: requests.labels, the one label function."""
    text = task_label_text(
        task.kind, task.code, labels, language(), quantity=task.quantity, at_time=task.at_time
    )
    if task.kind == "tell_guest" and task.title:  # a call: who and the phone number
        return f"{text} · {tr('task.call_guest')} {task.title}"
    return text


# --- wish capture ---------------------------------------------------------------------------


_OPEN = OPEN_RESERVATION  # the id of the reservation to open; the list and buttons set it
_OPENED = "reservation_opened"  # what the agent opened: id, versions, values
_EXISTS = "reservation_exists"  # a refused creation: the reservation to open instead
_CONFLICT = "reservation_conflict"  # an edit someone else saved over: both sides
_NEW_FORM = "reservation_new_form"  # how many new-reservation forms were started


def open_reservation(reservation_id: int | None) -> None:
    """What the list, "open it" and "new reservation" do: the page opens it on its next run."""
    st.session_state.pop(_OPENED, None)
    st.session_state.pop(_CONFLICT, None)
    st.session_state.pop(_EXISTS, None)
    # The next new reservation starts from an empty form, not from the last one typed.
    st.session_state[_NEW_FORM] = st.session_state.get(_NEW_FORM, 0) + 1
    if reservation_id is None:
        st.session_state.pop(_OPEN, None)
    else:
        st.session_state[_OPEN] = reservation_id


def _opened(session: Session, property_id: int) -> dict | None:
    """The reservation as the agent opened it (read once, kept until saved or reopened)."""
    wanted = st.session_state.get(_OPEN)
    if wanted is None:
        return None
    opened = st.session_state.get(_OPENED)
    if opened is not None and opened["id"] == wanted:
        return opened
    reservation = session.get(Reservation, wanted)
    if reservation is None or reservation.property_id != property_id:
        open_reservation(None)
        return None
    opened = {
        "id": reservation.id,
        "version": reservation.version,
        "guest_version": reservation.guest.version,
        "guest_id": reservation.guest_id,
        "data": reservations.reservation_input(reservation),
    }
    st.session_state[_OPENED] = opened
    return opened


def reservation_page() -> None:
    """Create or edit a reservation. Before saving, the agent asks what was understood of the
    guest's words, sees it, and corrects the wishes; saving keeps both the words and the
    correction."""
    st.title(tr("reservation.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        opened = _opened(session, hotel.id)
        data: reservations.ReservationInput | None = opened["data"] if opened else None
        room_numbers = [""] + [r.number for r in rooms.rooms(session, hotel.id)]
        labels = wish_labels(session, hotel.id, me.language)
        current = wishes.active_wishes(session, opened["id"]) if opened else []
        earlier = wishes.earlier_wishes(session, opened["guest_id"], opened["id"]) if opened else []
        fresh = st.session_state.get(_NEW_FORM, 0)
        key = (
            f"res_{opened['id']}_{opened['version']}"
            if opened
            else ("res_new" if not fresh else f"res_new{fresh}")
        )
        text_key = f"{key}_wish_text"
        saved_text = data.wish_text if data else ""
        text_read = st.session_state.get(text_key, saved_text)
        understood = wishes.preview_wishes(session, hotel.id, text_read)
    if data is not None:
        st.subheader(
            tr_md("reservation.editing", number=data.confirmation_number, guest=data.guest_name)
        )
    else:
        st.subheader(tr("reservation.creating"))
    if data is not None and st.button(tr("reservation.new"), key="reservation_new"):
        open_reservation(None)
        st.rerun()
    _refused_creation()
    _conflict(database, hotel, opened)
    understood_codes = [w.code for w in understood.requests if w.code in labels]
    if data is not None and text_read == saved_text:
        chosen_before = [r.code for r in current if r.code in labels]
    else:
        chosen_before = understood_codes
    reading = hashlib.sha256(text_read.encode()).hexdigest()[:12]
    first = today(hotel.timezone)
    not_assigned = tr("room.not_assigned")
    with st.form(key):
        # One confirmation field: typed for a new reservation; an opened one keeps its number.
        number = (
            data.confirmation_number
            if data
            else st.text_input(tr("reservations.confirmation"), key=f"{key}_number")
        )
        name = st.text_input(tr("reservations.guest"), value=data.guest_name if data else "")
        columns = st.columns(3)
        arrival = columns[0].date_input(
            tr("reservations.arrival"), value=data.arrival_date if data else first
        )
        departure = columns[1].date_input(
            tr("reservations.departure"),
            value=data.departure_date if data else first + timedelta(days=1),
        )
        eta = columns[2].time_input(tr("arrivals.eta"), value=data.eta if data else None, step=900)
        columns = st.columns(4)
        room = columns[0].selectbox(
            tr("room.label"),
            room_numbers,
            index=room_numbers.index(data.room_number)
            if data and data.room_number in room_numbers
            else 0,
            format_func=lambda number, none=not_assigned: number or none,
        )
        adults = columns[1].number_input(
            tr("reservation.adults"), 0, 20, data.adults if data else 2
        )
        children = columns[2].number_input(
            tr("reservation.children"), 0, 20, data.children if data else 0
        )
        vip = columns[3].number_input(tr("reservation.vip"), 0, 5, data.vip_level if data else 0)
        columns = st.columns(3)
        email = columns[0].text_input(
            tr("reservation.email"), value=(data.email or "") if data else ""
        )
        phone = columns[1].text_input(
            tr("reservation.phone"), value=(data.phone or "") if data else ""
        )
        language = columns[2].text_input(
            tr("reservation.language"), value=(data.language or "") if data else ""
        )
        wish_text = st.text_area(
            tr("reservation.wish_text"), value=saved_text, height=120, key=text_key
        )
        st.form_submit_button(tr("reservation.understand"))
        _show_understood(understood, labels)
        if earlier:
            st.caption(
                tr_md(
                    "reservation.earlier_wishes",
                    wishes=", ".join(labels.get(c, c) for c in earlier),
                )
            )
        chosen = st.multiselect(
            tr("reservation.catalogue_picker"),
            sorted(labels, key=labels.get),
            default=chosen_before,
            format_func=labels.get,
            key=f"{key}_codes_{reading}",  # a new reading of the text starts from it
        )
        save = st.form_submit_button(
            tr("reservation.save") if data else tr("reservation.create"), type="primary"
        )
    if not save:
        if opened is not None:
            _quantities_and_times(database, opened["id"], current, labels)
        return
    if arrival >= departure:
        st.error(tr("reservation.error_departure_before_arrival"))
        return
    mine = reservations.ReservationInput(
        confirmation_number=number,
        guest_name=name,
        arrival_date=arrival,
        departure_date=departure,
        eta=eta,
        room_number=room or None,
        room_type=data.room_type if data else None,
        adults=int(adults),
        children=int(children),
        vip_level=int(vip),
        language=language or None,
        email=email or None,
        phone=phone or None,
        wish_text=wish_text,
        status=data.status if data else "booked",
        source=data.source if data else "manual",
    )
    # The agent's picks count when they were made on this very text (the service's rule).
    _save(database, hotel, opened, mine, WishPicks(text_read, chosen))


def _save(
    database: Database,
    hotel: Property,
    opened: dict | None,
    mine: reservations.ReservationInput,
    picks: WishPicks | None,
    *,
    version: int | None = None,
    guest_version: int | None = None,
) -> None:
    """One call to the service; a refusal is kept for the next run, which shows it."""
    with action(database) as session:
        try:
            saved = save_reservation_with_wishes(
                session,
                actor(),
                hotel.id,
                replace(mine),
                reservation_id=opened["id"] if opened else None,
                version=version or (opened["version"] if opened else None),
                guest_version=guest_version or (opened["guest_version"] if opened else None),
                picks=picks,
            )
        except ReservationExists as exists:
            st.session_state[_EXISTS] = {
                "id": exists.reservation_id,
                "number": exists.confirmation_number,
                "message": tr_md(exists.key, **exists.values),
            }
        except ReservationChanged as changed:
            assert opened is not None
            st.session_state[_CONFLICT] = {
                "id": opened["id"],
                "message": tr_md(changed.key, **changed.values),
                "theirs": changed.theirs,
                "mine": mine,
                "picks": picks,
                "version": changed.version,
                "guest_version": changed.guest_version,
            }
        else:
            open_reservation(saved.reservation.id)
            flash(tr_md("reservation.saved", number=saved.reservation.confirmation_number))
    # action() reruns after the commit: the page shows what is stored, or the refusal kept above


def _refused_creation() -> None:
    """A number that exists was not saved over: say so, and offer to open that reservation
    (the form below keeps what the agent typed)."""
    refused = st.session_state.get(_EXISTS)
    if refused is None:
        return
    st.error(refused["message"])
    if st.button(
        tr("reservation.open_existing", number=refused["number"]),
        type="primary",
        key="reservation_open_existing",
    ):
        open_reservation(refused["id"])
        st.rerun()


def _conflict(database: Database, hotel: Property, opened: dict | None) -> None:
    """Someone saved in between: who and when, both values per field, then the agent chooses."""
    conflict = st.session_state.get(_CONFLICT)
    if conflict is None or opened is None or conflict["id"] != opened["id"]:
        return
    st.error(conflict["message"])
    theirs, mine = conflict["theirs"], conflict["mine"]
    differences = reservations.field_differences(opened["data"], theirs, mine)
    if differences:
        st.table(  # plain cells, not a canvas; they are markdown, so every value is escaped
            pd.DataFrame(
                [
                    {
                        tr("reservation.conflict_field"): tr(f"reservation.field_{name}"),
                        tr("reservation.conflict_changed_by"): tr(
                            "reservation.conflict_by_them"
                            if by_them
                            else "reservation.conflict_by_you"
                        ),
                        tr("reservation.conflict_theirs"): _shown(their_value),
                        tr("reservation.conflict_mine"): _shown(my_value),
                    }
                    for name, their_value, my_value, by_them in differences
                ]
            ).set_index(tr("reservation.conflict_field")),
        )
    else:
        st.caption(tr("reservation.conflict_same"))
    columns = st.columns(2)
    if columns[0].button(tr("reservation.keep_mine"), type="primary", key="conflict_keep_mine"):
        merged = reservations.keep_mine(opened["data"], theirs, mine)
        _save(database, hotel, opened, merged, conflict["picks"],
              version=conflict["version"], guest_version=conflict["guest_version"])
    if columns[1].button(tr("reservation.take_theirs"), key="conflict_take_theirs"):
        open_reservation(opened["id"])
        st.rerun()


def _shown(value: object) -> str:
    """A value in a markdown cell, shown exactly as stored."""
    if value is None or value == "":
        return "—"
    if isinstance(value, time):
        return format_clock(value, language())
    return escape_markdown(str(value))


def _show_understood(understood: ParseResult, labels: dict[str, str]) -> None:
    st.subheader(tr("reservation.understood"))
    parts = []
    for wish in understood.requests:
        text = labels.get(wish.code, wish.code)
        if wish.quantity and wish.quantity > 1:
            text += f" x{wish.quantity}"
        if wish.time:
            text += f" {wish.time}"
        if wish.severity == "critical":
            text += f" (⚠ {tr('severity.critical_word')})"
        parts.append(text)
    if understood.eta:
        parts.append(f"{tr('arrivals.eta')} {understood.eta}")
    st.text(", ".join(parts) if parts else tr("reservation.nothing_understood"))
    for wish in understood.requests:  # which of the guest's words gave each wish
        if wish.text:
            st.text(tr("reservation.understood_from", wish=labels.get(wish.code, wish.code),
                       words=f"« {wish.text} »"))
    if understood.needs_triage:
        st.warning(tr("reservation.triage_warning"))
        st.text(understood.unmatched)


def _quantities_and_times(
    database: Database, reservation_id: int, current: list[Request], labels: dict[str, str]
) -> None:
    """How many and at what time, for the wishes saved on this reservation."""
    shown = [r for r in current if r.code in labels]
    if not shown:
        return
    st.subheader(tr("reservation.wishes_saved"))
    with st.form(f"details_{reservation_id}"):
        details = {}
        for request in shown:
            columns = st.columns([3, 1, 1])
            columns[0].text(labels[request.code])
            critical = None  # a health wish's severity, which staff may correct
            if request.sensitive:
                critical = columns[0].checkbox(
                    tr("reservation.critical"),
                    value=request.severity == "critical",
                    key=f"s_{reservation_id}_{request.code}",
                    help=tr("reservation.critical_help"),
                )
            quantity = columns[1].number_input(
                tr("reservation.quantity"),
                1,
                20,
                request.quantity or 1,
                key=f"q_{reservation_id}_{request.code}",
            )
            at = columns[2].text_input(
                tr("reservation.at_time"),
                value=request.at_time or "",
                key=f"t_{reservation_id}_{request.code}",
            )
            details[request.code] = (int(quantity), at.strip() or None, critical)
        if not st.form_submit_button(tr("reservation.save_wishes")):
            return
    choices = []
    for code, (quantity, at, critical) in details.items():
        if at is not None:
            try:
                at = time.fromisoformat(at).strftime("%H:%M")
            except ValueError:
                st.error(tr_md("reservation.error_time", value=at))
                return
        severity = None if critical is None else "critical" if critical else "normal"
        choices.append(WishChoice(code, quantity if quantity > 1 else None, at, severity))
    with action(database, done=tr("saved")) as session:
        wishes.correct_wishes(session, actor(), reservation_id, choices)


# --- task boards ------------------------------------------------------------------------------


def my_departments() -> list[str]:
    """The boards this person sees (the rule is requests.tasks.visible_departments)."""
    return requests_tasks.visible_departments(actor())


MINE = "mine"
_DIALOG = "tasks_dialog"  # {"kind": "owner" | "not_possible", "task": id, "seen": version}
_MORE = "task_more_"  # + task id: the card's "More…" menu, open or not


def tasks_page() -> None:
    """My tasks, or a department's board, by deadline; one tap to start or finish; phone-sized.

    30 cards a page. Each card is a fragment; a tap writes in the button's callback, and a saved
    move reruns the page (its counts change), a refused one the card alone. An owner or a
    reason is asked in a dialog.
    """
    st.title(tr("tasks.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        departments = requests_tasks.visible_departments(me)
        columns = st.columns(3)
        day = columns[0].date_input(
            tr("tasks.day"), value=today(hotel.timezone), help=tr("tasks.day_help")
        )
        boards = {"": tr("tasks.board_all"), MINE: tr("tasks.board_mine")}
        boards |= {d: tr(f"department.{d}") for d in departments}
        board = columns[1].selectbox(tr("tasks.board"), list(boards), format_func=boards.get)
        department = board if board not in ("", MINE) else None
        status = columns[2].selectbox(
            tr("tasks.status"),
            ["", *TASK_STATUSES],
            format_func=translator("status.", empty="tasks.all_statuses"),
        )
        overdue_only = st.toggle(tr("tasks.overdue_only"))
        chosen = dict(
            day=None if overdue_only else day,
            or_soon=day == today(hotel.timezone),
            department=department,
            status=status or None,
            overdue_only=overdue_only,
            owner_id=me.id if board == MINE else None,
            timezone=hotel.timezone,
            visible_to=None if board else (departments, me.id),
            hide_cancelled=not status,
        )
        count = requests_tasks.count_tasks(session, me, hotel.id, **chosen)
        # The late count is the dashboard's and the inbox's: the same function, the same scope.
        if board == MINE:
            late = requests_tasks.late_task_count(session, hotel.id, owner_id=me.id)
        elif department:
            late = requests_tasks.late_task_count(session, hotel.id, departments=[department])
        else:
            late = requests_tasks.late_task_count(
                session, hotel.id, departments=departments, owner_id=me.id
            )
        st.caption(tr("tasks.count", count=count, overdue=late))
        if not count:
            st.info(tr("tasks.none"))
            return
        # One page read, not the day's every task: the picker counts them in SQL.
        start, stop = page_window(count)
        shown = requests_tasks.tasks_for(
            session, me, hotel.id, **chosen, offset=start, limit=stop - start
        )
        labels = catalogue_labels(session, hotel.id)
        people = {
            s.id: s.name for s in session.query(Staff).filter_by(property_id=hotel.id, active=True)
        }
    for task in shown:
        _task_card(database, hotel.id, task, labels, hotel.timezone, people)


def _open_dialog(kind: str, task_id: int, seen: int) -> None:
    st.session_state[_DIALOG] = {"kind": kind, "task": task_id, "seen": seen}
    st.session_state[f"{_MORE}{task_id}"] = False  # the dialog replaces the "More…" menu


def _close_dialog() -> None:
    st.session_state.pop(_DIALOG, None)


def _fresh(database: Database, me, property_id: int, task: TaskView, timezone: str):
    """The card's task as stored now: a fragment rerun gets the arguments of the last full run."""
    context = get_script_run_ctx(suppress_warning=True)
    if context is None or not context.fragment_ids_this_run:
        return task
    with database.read() as session:
        found = requests_tasks.tasks_for(
            session, me, property_id, reservation_ids=[task.reservation_id], timezone=timezone
        )
    return next((t for t in found if t.id == task.id), None)


def _status_change(task_id: int, seen: int, status: str, words: str):
    def write(session: Session, me) -> None:
        requests_tasks.change_task_status(session, me, task_id, seen, status)
        forget_seen(f"task:{task_id}")
        flash(words, "toast")

    return write


# Badges: the status in a colour and an icon, and its word (never the colour alone).
_BADGES = {
    "open": ("blue", ":material/radio_button_unchecked:"),
    "in_progress": ("orange", ":material/pending:"),
    "done": ("green", ":material/check_circle:"),
    "not_possible": ("red", ":material/block:"),
    "cancelled": ("gray", ":material/cancel:"),
}


@st.fragment
def _task_card(
    database: Database,
    property_id: int,
    task: TaskView,
    labels: Labels,
    timezone: str,
    people: dict[int, str],
) -> None:
    me = still_signed_in(database)  # a fragment rerun skips the page's sign-in check
    fresh = _fresh(database, me, property_id, task, timezone)
    if fresh is None:
        return
    task = fresh
    place = f"task:{task.id}"
    with st.container(border=True):
        show_flashes(place)
        due = format_moment(to_local(task.due_at, timezone), language())
        room = task.room_number or tr("room.not_assigned")
        head = f"{due} · {tr('room.label')} {room} · {tr(f'status.{task.status}')}"
        if task.overdue:
            st.error(escape_markdown(f"{tr('tasks.overdue')} · {head}"), icon=":material/alarm:")
        elif task.booked_late and task.status in OPEN:
            st.warning(
                escape_markdown(f"{tr('tasks.booked_late')} · {head}"),
                icon=":material/schedule:",
            )
            st.caption(tr("tasks.booked_late_help"))
        else:
            colour, icon = _BADGES.get(task.status, ("gray", None))
            when = _badge_text(f"{due} · {tr('room.label')} {room}")
            said = _badge_text(tr(f"status.{task.status}"))
            # Both badges in one element (st.badge's own Markdown): 30 cards a page.
            st.markdown(
                f":gray-badge[{when}] :{colour}-badge[{f'{icon} ' if icon else ''}{said}]"
            )
        # What, for whom, the guest's words and why not: one element, a line each.
        lines = [f"{task_label(task, labels)} — {task.guest_name} ({task.confirmation_number})"]
        if task.detail:
            lines.append(task.detail)
        if task.reason:
            lines.append(f"{tr('tasks.reason')}: {task.reason}")
        if task.alternative:
            lines.append(f"{tr('tasks.alternative')}: {task.alternative}")
        st.text("\n".join(lines))
        st.caption(
            escape_markdown(
                f"{tr(f'department.{task.department}')} · "
                f"{task.owner_name or tr('tasks.unassigned')}"
            )
        )
        seen = seen_version(f"task:{task.id}", task.version)  # what the click was made on
        moves = board_moves(task.status)  # the lifecycle's TRANSITIONS decide, not the page
        # One tap for the moves made all day; the rare ones (a reason, an owner: each asked in
        # a dialog) behind "More…", built once it is opened. A row of buttons, not columns.
        rare = [m for m in moves if m in NEEDS_REASON] + (["owner"] if me.has("manager") else [])
        with st.container(horizontal=True):
            for status in moves:
                if status in NEEDS_REASON:
                    continue
                words = tr(
                    "tasks.moved", task=task_label(task, labels), status=tr(f"status.{status}")
                )
                st.button(
                    tr(f"tasks.to_{status}"),
                    key=f"task_{task.id}_{status}",
                    type="primary" if status == "done" else "secondary",
                    on_click=on_action(
                        database,
                        _status_change(task.id, seen, status, words),
                        place=place,
                    ),
                )
            if rare:
                more = st.popover(
                    tr("tasks.more"),
                    icon=":material/more_horiz:",
                    key=f"{_MORE}{task.id}",
                    on_change="rerun",
                )
                with more:
                    if more.open:
                        _rare_moves(task, seen, rare)
        asked = st.session_state.get(_DIALOG)
        if asked and asked["task"] == task.id:
            # Made here, not as a decorator: the dialog's title is in the reader's language.
            if asked["kind"] == "owner":
                dialog = st.dialog(tr("tasks.owner"), on_dismiss=_close_dialog)(_owner_dialog)
                dialog(database, task, asked["seen"], people)
            else:
                dialog = st.dialog(tr("tasks.not_possible"), on_dismiss=_close_dialog)(
                    _not_possible_dialog
                )
                dialog(database, task, asked["seen"])


def _badge_text(text: str) -> str:
    """A badge's words as st.badge writes them: its brackets escaped."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _rare_moves(task: TaskView, seen: int, rare: list[str]) -> None:
    """The card's "More…": not possible (a reason) and, for managers, the owner."""
    for move in rare:
        if move == "owner":
            st.button(
                tr("tasks.owner_change"),
                key=f"owner_open_{task.id}",
                icon=":material/person:",
                on_click=_open_dialog,
                args=("owner", task.id, seen),
                width="stretch",
            )
        else:
            st.button(
                tr("tasks.not_possible"),
                key=f"np_open_{task.id}",
                on_click=_open_dialog,
                args=("not_possible", task.id, seen),
                width="stretch",
            )


def _owner_dialog(database: Database, task: TaskView, seen: int, people: dict[int, str]) -> None:
    me = still_signed_in(database)
    st.text(f"{task.guest_name} ({task.confirmation_number})")
    options = [None, *people]
    owner_names = {None: tr("tasks.unassigned"), **people}
    owner = st.selectbox(
        tr("tasks.owner"),
        options,
        index=options.index(task.owner_id) if task.owner_id in options else 0,
        format_func=owner_names.get,
        key="owner_pick",
    )
    if st.button(tr("tasks.owner_save"), key="owner_save", type="primary"):
        if owner == task.owner_id:
            _close_dialog()
            st.rerun()
        with action(database, done=tr("saved"), place=f"task:{task.id}") as session:
            requests_tasks.assign_task(session, me, task.id, seen, owner)
            forget_seen(f"task:{task.id}")
            _close_dialog()


def _not_possible_dialog(database: Database, task: TaskView, seen: int) -> None:
    me = still_signed_in(database)
    st.text(f"{task.guest_name} ({task.confirmation_number})")
    reason = st.text_input(tr("tasks.reason"), key=f"reason_{task.id}")
    alternative = st.text_input(tr("tasks.alternative"), key=f"alt_{task.id}")
    if st.button(tr("tasks.confirm_not_possible"), key=f"np_{task.id}", type="primary"):
        with action(database, place=f"task:{task.id}") as session:
            requests_tasks.change_task_status(
                session, me, task.id, seen, "not_possible", reason, alternative=alternative
            )
            forget_seen(f"task:{task.id}")
            _close_dialog()


def tasks_table(tasks: list[TaskView], labels: Labels, timezone: str) -> pd.DataFrame:
    """Shown with `tasks_columns`: the due time is a time, so the table sorts by it.

    The headers and the words that repeat (departments, statuses) are translated once: the
    dashboard of a big hotel has hundreds of rows."""
    say = translator()
    department, status = translator("department."), translator("status.")
    due, room, guest, task, dept, owner, state, overdue, booked_late = (
        tr(key)
        for key in (
            "tasks.due",
            "room.label",
            "tasks.guest",
            "tasks.task",
            "tasks.department",
            "tasks.owner",
            "tasks.status",
            "tasks.overdue",
            "tasks.booked_late",
        )
    )
    no_room, unassigned = say("room.not_assigned"), say("tasks.unassigned")
    departments: dict[str, str] = {}
    statuses: dict[str, str] = {}
    said: dict[tuple, str] = {}  # task_label's words, once per kind, code, quantity, time, title

    def label(t: TaskView) -> str:
        key = (t.kind, t.code, t.quantity, t.at_time, t.title)
        text = said.get(key)
        if text is None:
            text = said[key] = task_label(t, labels)
        return text

    if not tasks:
        return pd.DataFrame()  # as a frame of no rows was: no columns either
    # Column by column: a frame made of one dict a row took twice as long (measured).
    return pd.DataFrame(
        {
            due: [to_local(t.due_at, timezone) for t in tasks],
            room: [t.room_number or no_room for t in tasks],
            guest: [t.guest_name for t in tasks],
            task: [label(t) for t in tasks],
            dept: [
                departments.get(t.department)
                or departments.setdefault(t.department, department(t.department))
                for t in tasks
            ],
            owner: [t.owner_name or unassigned for t in tasks],
            state: [
                statuses.get(t.status) or statuses.setdefault(t.status, status(t.status))
                for t in tasks
            ],
            overdue: [t.overdue for t in tasks],
            booked_late: [t.booked_late and t.status in OPEN for t in tasks],
        }
    )


def tasks_columns(timezone: str) -> dict[str, object]:
    """How `tasks_table`'s columns read: the due time in the reader's words, ticks for yes/no."""
    return {
        tr("tasks.due"): moment_column(language(), timezone),
        tr("tasks.overdue"): yes_no_column(),
        tr("tasks.booked_late"): yes_no_column(),
    }


# --- catalogue settings (managers) ------------------------------------------------------------


def catalogue_page() -> None:
    st.title(tr("catalogue.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        items = catalogue.catalogue_items(session, hotel.id, active_only=False)
    labels = {i.code: (i.label_fr if me.language == "fr" else i.label_en) for i in items}
    new = "+"
    code_choices = {new: tr("catalogue.new")} | {c: f"{c} — {label}" for c, label in labels.items()}
    code = st.selectbox(tr("catalogue.code"), list(code_choices), format_func=code_choices.get)
    item = next((i for i in items if i.code == code), None)
    seen = seen_version(f"catalogue:{item.id}", item.version) if item else 0

    def key(name: str) -> str:  # by the version seen: what was typed survives the save's rerun
        return f"catalogue_{code}_{name}_v{seen}"

    with st.form(f"catalogue_{code}"):
        new_code = st.text_input(
            tr("catalogue.code"), value=item.code if item else "", disabled=item is not None
        )
        label_fr = st.text_input(
            tr("catalogue.label_fr"), value=item.label_fr if item else "", key=key("label_fr")
        )
        label_en = st.text_input(
            tr("catalogue.label_en"), value=item.label_en if item else "", key=key("label_en")
        )
        columns = st.columns(3)
        department = columns[0].selectbox(
            tr("tasks.department"),
            DEPARTMENTS,
            index=DEPARTMENTS.index(item.department) if item else 0,
            format_func=translator("department."),
            key=key("department"),
        )
        timing = columns[1].selectbox(
            tr("catalogue.timing"),
            TIMINGS,
            index=TIMINGS.index(item.timing) if item else 0,
            format_func=translator("timing."),
            key=key("timing"),
        )
        lead = columns[2].number_input(
            tr("catalogue.lead_minutes"),
            0,
            14 * 24 * 60,
            item.lead_minutes if item else 0,
            step=15,
            key=key("lead"),
        )
        columns = st.columns(3)
        sensitive = columns[0].checkbox(
            tr("catalogue.sensitive"), value=item.sensitive if item else False, key=key("sensitive")
        )
        constrains = columns[1].checkbox(
            tr("catalogue.constrains_room"),
            value=item.constrains_room if item else False,
            key=key("constrains"),
        )
        active = columns[2].checkbox(
            tr("catalogue.active"), value=item.active if item else True, key=key("active")
        )
        readiness = st.text_area(
            tr("catalogue.readiness_items"),
            value="\n".join(
                f"{r['key']} | {r.get('label_fr', '')} | {r.get('label_en', '')}"
                for r in (item.readiness_items if item else [])
            ),
            help=tr("catalogue.readiness_help"),
            key=key("readiness"),
        )
        keywords = {}
        for lang in WISH_LANGUAGES:
            keywords[lang] = st.text_area(
                tr("catalogue.keywords", language=lang.upper()),
                value="\n".join((item.keywords or {}).get(lang, []) if item else []),
                help=tr("catalogue.keywords_help"),
                height=80,
                key=key(f"keywords_{lang}"),
            )
        if st.form_submit_button(tr("reservation.save"), type="primary"):
            items_lines = [line.split("|") for line in readiness.splitlines() if line.strip()]
            change = catalogue.CatalogueChange(
                code=(item.code if item else new_code).strip(),
                label_fr=label_fr,
                label_en=label_en,
                department=department,
                timing=timing,
                lead_minutes=int(lead),
                sensitive=sensitive,
                constrains_room=constrains,
                readiness_items=[
                    {
                        "key": p[0].strip(),
                        "label_fr": (p[1] if len(p) > 1 else p[0]).strip(),
                        "label_en": (p[2] if len(p) > 2 else p[0]).strip(),
                    }
                    for p in items_lines
                ],
                keywords={
                    lang: [w.strip() for w in text.splitlines() if w.strip()]
                    for lang, text in keywords.items()
                },
                active=active,
            )
            with action(database, done=tr("saved")) as session:
                catalogue.save_catalogue_item(session, me, hotel.id, change, version=seen)
                if item:
                    forget_seen(f"catalogue:{item.id}")
    _owner_rules(database, hotel)


def _owner_rules(database: Database, hotel: Property) -> None:
    """Who owns each department's new tasks, its handling time, and housekeeping's sections."""
    me = actor()
    st.subheader(tr("catalogue.owners"))
    with database.read() as session:
        rules = department_rules(session, hotel.id)
        nobody = departments_without_owner(session, hotel.id)
        staff = list(session.query(Staff).filter_by(property_id=hotel.id, active=True))
        sections = floor_sections(session, hotel.id)
        floors = sorted({room.floor for room in rooms.rooms(session, hotel.id)})
    for department in nobody:
        st.error(
            tr("owners.nobody", department=tr(f"department.{department}")),
            icon=":material/person_off:",
        )
    people = {s.id: s.name for s in staff}
    st.caption(tr("owners.help"))
    with st.form("owners"):
        chosen = {}
        for department in DEPARTMENTS:
            rule = rules[department]
            offered = [
                r for r in ASSIGNMENT_RULES if r != "sections" or department == "housekeeping"
            ]
            members = [s.id for s in staff if s.department == department] or list(people)
            columns = st.columns([2, 2, 1])
            picked = columns[0].selectbox(
                tr(f"department.{department}"),
                offered,
                index=offered.index(rule.rule) if rule.rule in offered else 0,
                format_func=translator("assignment_rule."),
                key=f"owner_rule_{department}",
            )
            person = columns[1].selectbox(
                tr("owners.person"),
                [None, *members],
                index=[None, *members].index(rule.owner_id) if rule.owner_id in members else 0,
                format_func=lambda i: people.get(i, "—"),
                key=f"owner_person_{department}",
                help=tr("owners.person_help"),
            )
            minutes = columns[2].number_input(
                tr("owners.handling_minutes"),
                1,
                24 * 60,
                rule.handling_minutes,
                step=5,
                key=f"owner_handling_{department}",
                help=tr("owners.handling_help"),
            )
            chosen[department] = (picked, person, int(minutes))
        if st.form_submit_button(tr("catalogue.save_owners")):
            with action(database, done=tr("saved")) as session:
                for department, (picked, person, minutes) in chosen.items():
                    requests_tasks.set_department_rule(
                        session, me, hotel.id, department, picked, person, minutes
                    )
    st.subheader(tr("owners.sections"))
    housekeepers = {s.id: s.name for s in staff if s.department == "housekeeping"}
    with st.form("sections"):
        wanted = {}
        options = [None, *housekeepers]
        for floor in floors:
            current = sections.get(floor)
            wanted[floor] = st.selectbox(
                tr("owners.floor", floor=floor),
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda i: housekeepers.get(i, tr("owners.no_section")),
                key=f"section_{floor}",
            )
        if st.form_submit_button(tr("owners.save_sections")):
            with action(database, done=tr("saved")) as session:
                set_floor_sections(session, me, hotel.id, wanted)
