"""Pages of the requests domain: wish capture on a reservation, task boards, the catalogue.

Guest text is only ever shown with st.text or inside a dataframe: never as markdown or HTML.
"""

from __future__ import annotations

import hashlib
from datetime import time, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from core.clock import to_local, today
from core.db import Database, get_database
from core.models import Property, Staff
from core.ui import action, actor, escape_markdown, flash, tr, tr_md, translator, widget_key
from guests import service as guests
from requests import catalogue, service, wishes
from requests.catalogue_defaults import DEPARTMENTS, LANGUAGES, TIMINGS
from requests.models import Request
from requests.service import ROLE_DEPARTMENTS, TaskView
from requests.wish_parser import ParseResult
from requests.wishes import WishChoice


def wish_labels(session: Session, property_id: int, language: str) -> dict[str, str]:
    """Catalogue labels in the reader's language, by code."""
    return {
        item.code: item.label_fr if language == "fr" else item.label_en
        for item in catalogue.catalogue_items(session, property_id, active_only=False)
    }


def task_label(task: TaskView, labels: dict[str, str]) -> str:
    wish = labels.get(task.code or "", task.code or "")
    if task.kind == "triage":
        return tr("task.kind_triage")
    if task.kind == "tell_guest":
        return tr("task.kind_tell_guest", wish=wish)
    extra = []
    if task.quantity and task.quantity > 1:
        extra.append(f"x{task.quantity}")
    if task.at_time:
        extra.append(task.at_time)
    return " ".join([wish, *extra])


def _hotel(session: Session) -> Property:
    hotel = session.get(Property, actor().property_id)
    assert hotel is not None
    return hotel


# --- wish capture ---------------------------------------------------------------------------


_OPEN_NEXT = "reservation_to_open"  # set after a save: the form reopens on what was saved


def reservation_page() -> None:
    """Create or edit a reservation. Before saving, the agent asks what was understood of the
    guest's words, sees it, and corrects the wishes; saving keeps both the words and the
    correction."""
    st.title(tr("reservation.title"))
    database = get_database()
    me = actor()
    if _OPEN_NEXT in st.session_state:  # before the widget exists, so it may be set
        st.session_state["reservation_find"] = st.session_state.pop(_OPEN_NEXT)
    with database.read() as session:
        hotel = _hotel(session)
        confirmation = st.text_input(tr("reservation.find"), key="reservation_find").strip()
        existing = (
            guests.reservation_by_confirmation(session, hotel.id, confirmation)
            if confirmation
            else None
        )
        if confirmation and existing is None:
            st.caption(tr_md("reservation.new_with_number", number=confirmation))
        data = guests.reservation_input(existing) if existing else None
        room_numbers = [""] + [r.number for r in guests.rooms(session, hotel.id)]
        labels = wish_labels(session, hotel.id, me.language)
        current = wishes.active_wishes(session, existing.id) if existing else []
        earlier = wishes.earlier_wishes(session, existing.guest_id, existing.id) if existing else []
        key = f"res_{existing.id if existing else 'new'}"
        text_key = f"{key}_wish_text"
        saved_text = data.wish_text if data else ""
        text_read = st.session_state.get(text_key, saved_text)
        understood = wishes.preview_wishes(session, hotel.id, text_read)
    understood_codes = [w.code for w in understood.requests if w.code in labels]
    if existing is not None and text_read == saved_text:
        chosen_before = [r.code for r in current if r.code in labels]
    else:
        chosen_before = understood_codes
    reading = hashlib.sha256(text_read.encode()).hexdigest()[:12]
    first = today(hotel.timezone)
    not_assigned = tr("room.not_assigned")
    with st.form(key):
        number = st.text_input(
            tr("reservations.confirmation"),
            value=data.confirmation_number if data else confirmation,
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
        save = st.form_submit_button(tr("reservation.save"), type="primary")
    if not save:
        if existing is not None:
            _quantities_and_times(database, existing.id, current, labels)
        return
    if arrival >= departure:
        st.error(tr("reservation.error_departure_before_arrival"))
        return
    with action(database) as session:
        saved = guests.save_reservation(
            session,
            me,
            hotel.id,
            guests.ReservationInput(
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
            ),
        )
        # The agent's picks count when they were made on this very text.
        if wish_text == text_read and set(chosen) != set(
            r.code for r in wishes.active_wishes(session, saved.reservation.id) if r.code in labels
        ):
            parsed = {w.code: w for w in understood.requests}
            wishes.correct_wishes(
                session,
                me,
                saved.reservation.id,
                [
                    WishChoice(code, parsed[code].quantity, parsed[code].time)
                    if code in parsed
                    else WishChoice(code)
                    for code in chosen
                ],
            )
        st.session_state[_OPEN_NEXT] = saved.reservation.confirmation_number
        flash(tr_md("reservation.saved", number=saved.reservation.confirmation_number))


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
    me = actor()
    departments = {d for role in me.roles for d in ROLE_DEPARTMENTS.get(role, ())}
    if me.department:
        departments.add(me.department)
    return sorted(departments)


MINE = "mine"


def tasks_page() -> None:
    """My tasks, or a department's board, by deadline; one tap to start or finish; phone-sized."""
    st.title(tr("tasks.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = _hotel(session)
        departments = list(DEPARTMENTS) if me.has("manager") else my_departments()
        columns = st.columns(3)
        day = columns[0].date_input(tr("tasks.day"), value=today(hotel.timezone))
        boards = {"": tr("tasks.board_all"), MINE: tr("tasks.board_mine")}
        boards |= {d: tr(f"department.{d}") for d in departments}
        board = columns[1].selectbox(tr("tasks.board"), list(boards), format_func=boards.get)
        department = board if board not in ("", MINE) else None
        status = columns[2].selectbox(
            tr("tasks.status"),
            ["", "open", "in_progress", "done", "not_possible", "cancelled"],
            format_func=translator("status.", empty="tasks.all_statuses"),
        )
        overdue_only = st.toggle(tr("tasks.overdue_only"))
        tasks = service.tasks_for(
            session,
            me,
            hotel.id,
            day=None if overdue_only else day,
            department=department,
            status=status or None,
            overdue_only=overdue_only,
            owner_id=me.id if board == MINE else None,
            timezone=hotel.timezone,
        )
        if not board:
            tasks = [t for t in tasks if t.department in departments or t.owner_id == me.id]
        if not status:
            tasks = [t for t in tasks if t.status != "cancelled"]
        labels = wish_labels(session, hotel.id, me.language)
        people = {
            s.id: s.name for s in session.query(Staff).filter_by(property_id=hotel.id, active=True)
        }
    if not tasks:
        st.info(tr("tasks.none"))
        return
    st.caption(tr("tasks.count", count=len(tasks), overdue=sum(t.overdue for t in tasks)))
    for task in tasks:
        _task_card(database, task, labels, hotel.timezone, people)


def _task_card(
    database, task: TaskView, labels: dict[str, str], timezone: str, people: dict[int, str]
) -> None:
    me = actor()
    with st.container(border=True):
        due = to_local(task.due_at, timezone).strftime("%d/%m %H:%M")
        room = task.room_number or tr("room.not_assigned")
        head = f"{due} · {tr('room.label')} {room} · {tr(f'status.{task.status}')}"
        if task.overdue:
            st.error(escape_markdown(f"{tr('tasks.overdue')} · {head}"), icon=":material/alarm:")
        else:
            st.text(head)
        st.text(f"{task_label(task, labels)} — {task.guest_name} ({task.confirmation_number})")
        if task.detail:
            st.text(task.detail)
        if task.reason:
            st.text(f"{tr('tasks.reason')}: {task.reason}")
        st.caption(
            escape_markdown(
                f"{tr(f'department.{task.department}')} · "
                f"{task.owner_name or tr('tasks.unassigned')}"
            )
        )
        moves = {"open": ("in_progress", "done"), "in_progress": ("done",)}.get(task.status, ())
        columns = st.columns(len(moves) + 1)
        for column, status in zip(columns, moves, strict=False):
            if column.button(
                tr(f"tasks.to_{status}"),
                key=f"task_{task.id}_{status}",
                type="primary" if status == "done" else "secondary",
                use_container_width=True,
            ):
                with action(database) as session:
                    service.change_task_status(session, me, task.id, task.version, status)
        if task.status in ("open", "in_progress"):
            with columns[-1].popover(tr("tasks.not_possible"), use_container_width=True):
                reason = st.text_input(tr("tasks.reason"), key=f"reason_{task.id}")
                if st.button(tr("tasks.confirm_not_possible"), key=f"np_{task.id}"):
                    with action(database) as session:
                        service.change_task_status(
                            session, me, task.id, task.version, "not_possible", reason
                        )
        if me.has("manager"):
            options = [None, *people]
            owner_names = {None: tr("tasks.unassigned"), **people}
            owner = st.selectbox(
                tr("tasks.owner"),
                options,
                index=options.index(task.owner_id) if task.owner_id in options else 0,
                format_func=owner_names.get,
                key=widget_key(f"owner_{task.id}", task.owner_id, task.version),
            )
            if owner != task.owner_id:
                with action(database, reset=[f"owner_{task.id}"]) as session:
                    service.assign_task(session, me, task.id, task.version, owner)


def tasks_table(tasks: list[TaskView], labels: dict[str, str], timezone: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("tasks.due"): to_local(t.due_at, timezone).strftime("%d/%m %H:%M"),
                tr("room.label"): t.room_number or tr("room.not_assigned"),
                tr("tasks.guest"): t.guest_name,
                tr("tasks.task"): task_label(t, labels),
                tr("tasks.department"): tr(f"department.{t.department}"),
                tr("tasks.status"): tr(f"status.{t.status}"),
                tr("tasks.overdue"): t.overdue,
            }
            for t in tasks
        ]
    )


# --- catalogue settings (managers) ------------------------------------------------------------


def catalogue_page() -> None:
    st.title(tr("catalogue.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = _hotel(session)
        items = catalogue.catalogue_items(session, hotel.id, active_only=False)
        people = {
            s.id: s.name for s in session.query(Staff).filter_by(property_id=hotel.id, active=True)
        }
    labels = {i.code: (i.label_fr if me.language == "fr" else i.label_en) for i in items}
    new = "+"
    code_choices = {new: tr("catalogue.new")} | {c: f"{c} — {label}" for c, label in labels.items()}
    code = st.selectbox(tr("catalogue.code"), list(code_choices), format_func=code_choices.get)
    item = next((i for i in items if i.code == code), None)
    with st.form(f"catalogue_{code}"):
        new_code = st.text_input(
            tr("catalogue.code"), value=item.code if item else "", disabled=item is not None
        )
        label_fr = st.text_input(tr("catalogue.label_fr"), value=item.label_fr if item else "")
        label_en = st.text_input(tr("catalogue.label_en"), value=item.label_en if item else "")
        columns = st.columns(3)
        department = columns[0].selectbox(
            tr("tasks.department"),
            DEPARTMENTS,
            index=DEPARTMENTS.index(item.department) if item else 0,
            format_func=translator("department."),
        )
        timing = columns[1].selectbox(
            tr("catalogue.timing"),
            TIMINGS,
            index=TIMINGS.index(item.timing) if item else 0,
            format_func=translator("timing."),
        )
        lead = columns[2].number_input(
            tr("catalogue.lead_minutes"), 0, 14 * 24 * 60, item.lead_minutes if item else 0, step=15
        )
        columns = st.columns(3)
        sensitive = columns[0].checkbox(
            tr("catalogue.sensitive"), value=item.sensitive if item else False
        )
        constrains = columns[1].checkbox(
            tr("catalogue.constrains_room"), value=item.constrains_room if item else False
        )
        active = columns[2].checkbox(tr("catalogue.active"), value=item.active if item else True)
        readiness = st.text_area(
            tr("catalogue.readiness_items"),
            value="\n".join(
                f"{r['key']} | {r.get('label_fr', '')} | {r.get('label_en', '')}"
                for r in (item.readiness_items if item else [])
            ),
            help=tr("catalogue.readiness_help"),
        )
        keywords = {}
        for lang in LANGUAGES:
            keywords[lang] = st.text_area(
                tr("catalogue.keywords", language=lang.upper()),
                value="\n".join((item.keywords or {}).get(lang, []) if item else []),
                help=tr("catalogue.keywords_help"),
                height=80,
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
                catalogue.save_catalogue_item(session, me, hotel.id, change)
    st.subheader(tr("catalogue.owners"))
    with database.read() as session:
        rules = service.department_owner_rules(session, hotel.id)
    with st.form("owners"):
        choices = {}
        options = [None, *people]
        owner_names = {None: tr("tasks.unassigned"), **people}
        for department in DEPARTMENTS:
            owner = rules.get(department)
            choices[department] = st.selectbox(
                tr(f"department.{department}"),
                options,
                index=options.index(owner) if owner in options else 0,
                format_func=owner_names.get,
                key=f"owner_rule_{department}",
            )
        if st.form_submit_button(tr("catalogue.save_owners")):
            with action(database, done=tr("saved")) as session:
                for department, owner in choices.items():
                    service.set_department_owner(session, me, hotel.id, department, owner)
