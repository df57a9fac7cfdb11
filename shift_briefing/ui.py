"""Front desk, housekeeping and manager pages: arrivals and check-in, the shift briefing to sign,
the room checklist, and the manager's dashboard. Streamlit only: the rules are in the services.

Guest text is shown with st.text or inside tables, never as markdown or HTML.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from core.clock import local_to_utc, to_local, today
from core.db import Database, get_database
from core.download_ui import guarded_download
from core.models import Property
from core.roster_ui import roster_section
from core.shifts import SHIFT_NAMES
from core.ui import (
    action,
    actor,
    escape_markdown,
    language,
    tr,
    tr_md,
    translator,
)
from core.ui_versions import forget_seen, seen_version
from requests.assignment import departments_without_owner
from requests.labels import catalogue_labels
from requests.service import promises_kept, tasks_for
from requests.ui import tasks_table, wish_labels
from shift_briefing import downloads, promises_ui, severity_ui, stays_ui
from shift_briefing.briefing import Briefing, BriefingGuest, build_briefing, current_shift
from shift_briefing.checkin import ArrivalCard, arrival_cards, check_in
from shift_briefing.models import BriefingAcknowledgement
from shift_briefing.service import shifts, update_shift
from shift_briefing.signing import (
    Change,
    Signature,
    changes_since,
    last_signature,
    sign_briefing,
    signatures,
)

SHIFTS = SHIFT_NAMES


def _hotel(session: Session) -> Property:
    hotel = session.get(Property, actor().property_id)
    assert hotel is not None
    return hotel


def _local(moment: datetime, timezone: str, pattern: str = "%H:%M") -> str:
    return to_local(moment, timezone).strftime(pattern)


def _wish_lines(guest: BriefingGuest, timezone: str) -> list[str]:
    lines = []
    for wish in severity_ui.other_wishes(guest):  # the critical ones are in their red box
        text = wish.label
        if wish.quantity and wish.quantity > 1:
            text += f" x{wish.quantity}"
        if wish.at_time:
            text += f" {wish.at_time}"
        state = tr(f"status.{wish.status}")
        if wish.status in ("open", "in_progress"):
            state += " · " + tr("briefing.due", at=_local(wish.due_at, timezone, "%d/%m %H:%M"))
            if wish.overdue:
                state = "⚠ " + tr("tasks.overdue") + " · " + state
        if wish.status == "not_possible" and wish.reason:
            state += f" ({wish.reason})"
        if wish.status == "not_possible" and wish.alternative:
            state += " · " + tr("tasks.alternative_proposed", alternative=wish.alternative)
        if wish.kind == "tell_guest" and wish.status == "done":
            state = tr("briefing.guest_told", how=wish.reason or "")
        lines.append(f"• {text} — {state}")
        if wish.detail:
            lines.append(f"    « {wish.detail} »")
    return lines


def _readiness_line(guest: BriefingGuest) -> str:
    if guest.room_number is None:
        return tr("room.not_assigned")
    if guest.readiness is None:
        return ""
    if guest.readiness.ready:
        return tr("readiness.room_ready")
    missing = ", ".join(item.label(language()) for item in guest.readiness.open_items)
    return tr("readiness.not_ready", items=missing)


def _whereabouts(
    guest: BriefingGuest, timezone: str, arriving: bool, day: date | None = None
) -> str:
    """When the guest arrives, or arrived: never "arrived" before they have checked in."""
    if guest.checked_in_at is not None:
        key = "briefing.checked_in_at" if arriving else "briefing.checked_in_on"
        return tr(
            key, at=_local(guest.checked_in_at, timezone, "%H:%M" if arriving else "%d/%m %H:%M")
        )
    if not arriving and day is not None and guest.arrival_date < day:
        return tr("briefing.staying_since", day=guest.arrival_date.strftime("%d/%m"))
    if arriving or guest.expected_moment is None:
        return guest.expected_at.strftime("%H:%M") + ("" if guest.eta_given else " *")
    return tr("briefing.expected_on", at=_local(guest.expected_moment, timezone, "%d/%m %H:%M"))


def _guest_block(
    guest: BriefingGuest, timezone: str, arriving: bool = True, day: date | None = None
) -> None:
    """One guest as text: name, time, room and readiness, then every wish with its status."""
    head = [
        _whereabouts(guest, timezone, arriving, day),
        guest.guest_name + " ★" * guest.vip_level,
        f"{tr('room.label')} {guest.room_number or tr('room.not_assigned')}",
        tr("arrivals.nights", nights=guest.nights),
        tr("arrivals.people", adults=guest.adults, children=guest.children),
    ]
    st.text(" · ".join(head))
    if guest.changed_by_guest_at:
        at = _local(guest.changed_by_guest_at, timezone, "%d/%m %H:%M")
        st.warning(tr_md("briefing.changed_by_guest", at=at), icon=":material/edit:")
    if guest.returning:
        remembered = ", ".join(guest.remembered) or "—"
        st.text(tr("briefing.returning", wishes=remembered))
    st.text(_readiness_line(guest))
    if guest.room_flags:
        st.warning(
            tr_md("briefing.room_flags", wishes=", ".join(guest.room_flags)), icon=":material/bed:"
        )
    severity_ui.critical_wishes(guest, timezone)
    if severity_ui.other_wishes(guest):
        st.text("\n".join(_wish_lines(guest, timezone)))
    if guest.wish_text:
        with st.expander(tr("briefing.guest_words")):
            st.text(guest.wish_text)


# --- arrivals and check-in (front desk) -------------------------------------------------------


def arrivals_page() -> None:
    """Today's arrivals, each with its card: wishes, room readiness, and check-in."""
    st.title(tr("arrivals.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = _hotel(session)
        day = st.date_input(tr("arrivals.day"), value=today(hotel.timezone))
        cards = arrival_cards(session, me, hotel.id, day, language())
    expected = [card for card in cards if card.check_in is None]
    st.caption(tr("arrivals.count", count=len(expected)))
    st.caption(tr("arrivals.legend"))
    # A guest checked in leaves the expected list: they follow under their own heading.
    for number, card in enumerate([*expected, *(c for c in cards if c.check_in is not None)]):
        if number == len(expected):
            st.subheader(tr("arrivals.checked_in", count=len(cards) - len(expected)))
        guest = card.guest
        # Words and icons, never colour or emoji alone: reception reads it at a glance.
        if card.check_in:
            state, icon = tr("checkin.state_checked_in"), ":material/how_to_reg:"
        elif card.room_ready:
            state, icon = tr("readiness.ready"), ":material/check_circle:"
        else:
            state, icon = tr("readiness.not_ready_short"), ":material/hourglass_empty:"
        title = escape_markdown(
            f"{guest.expected_at:%H:%M} · {guest.guest_name} · "
            f"{guest.room_number or tr('room.not_assigned')} · {state}"
        ) + severity_ui.title_mark(guest)
        with st.expander(title, expanded=False, icon=icon):
            _guest_block(guest, hotel.timezone)
            if card.check_in is not None:
                st.success(tr("checkin.done", at=_local(card.check_in.at, hotel.timezone)))
            else:
                _check_in_form(database, hotel, card)
            stays_ui.move_form(
                database,
                hotel,
                guest.reservation_id,
                guest.arrival_date,
                guest.nights,
                guest.room_number,
            )
    stays_ui.departures(database, hotel, day)


def _check_in_form(database: Database, hotel: Property, card: ArrivalCard) -> None:
    me = actor()
    guest = card.guest
    with st.form(f"check_in_{guest.reservation_id}"):
        reviewed = False
        if card.needs_review:
            reviewed = st.checkbox(tr("checkin.reviewed"), key=f"reviewed_{guest.reservation_id}")
        kitchen_informed = severity_ui.kitchen_informed(card)
        reason = login = password = ""
        if "checkin.blocker_room_not_ready" in card.blockers:
            st.warning(tr("checkin.blocker_room_not_ready"))
            st.caption(tr("checkin.override_hint"))
            reason = st.text_input(
                tr("checkin.override_reason"), key=f"reason_{guest.reservation_id}"
            )
            if not me.has("manager"):
                login = st.text_input(
                    tr("checkin.manager_login"), key=f"mlogin_{guest.reservation_id}"
                )
                password = st.text_input(
                    tr("login.password"), type="password", key=f"mpass_{guest.reservation_id}"
                )
        if "checkin.blocker_no_room" in card.blockers:
            st.warning(tr("checkin.blocker_no_room"))
        submitted = st.form_submit_button(tr("checkin.submit"), type="primary")
    if not submitted:
        return
    done = tr_md(
        "checkin.done_now",
        guest=guest.guest_name,
        room=guest.room_number or tr("room.not_assigned"),
    )
    with action(database, done=done) as session:
        check_in(
            session,
            me,
            hotel.id,
            guest.reservation_id,
            wishes_reviewed=reviewed,
            override_reason=reason or None,
            manager_login=login or None,
            manager_password=password,
            language=language(),
            kitchen_informed=kitchen_informed,
        )


# --- the shift briefing ----------------------------------------------------------------------


def briefing_page() -> None:
    """Read the shift's briefing, see what changed since you signed, sign it, print it."""
    st.title(tr("briefing.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = _hotel(session)
        running_day, running = current_shift(session, hotel)
        columns = st.columns(2)
        day = columns[0].date_input(tr("briefing.day"), value=running_day)
        shift = columns[1].selectbox(
            tr("briefing.shift"),
            SHIFTS,
            index=SHIFTS.index(running),
            format_func=translator("shift."),
        )
        briefing = build_briefing(session, me, hotel.id, day, shift, language())
        mine = last_signature(session, me.id, day, shift)
        changes = (
            changes_since(session, briefing, mine.version)
            if (mine and mine.version != briefing.version)
            else []
        )
        board = signatures(session, me, briefing) if me.has("manager", "front_desk") else []
        labels = wish_labels(session, hotel.id, language())
    st.caption(
        tr(
            "briefing.header",
            version=briefing.version[:8],
            made=_local(briefing.made_at, hotel.timezone),
            count=len(briefing.arrivals),
        )
    )
    st.caption(tr("briefing.legend"))
    if me.has("front_desk"):
        _signing_status(database, briefing, mine, changes, hotel.timezone, labels)
    lang = language()  # the PDF is made on click, on another thread: no session state there
    guarded_download(
        database,
        tr("briefing.print"),
        lambda me: downloads.briefing_pdf(database, me, hotel.id, day, shift, lang),
        roles=("front_desk", "manager"),
        file_name=f"briefing-{day}-{shift}.pdf",
        mime="application/pdf",
    )
    st.subheader(tr("briefing.arrivals", count=len(briefing.expected)))
    if briefing.arrivals and not briefing.expected:
        st.caption(tr("briefing.no_expected"))
    for guest in briefing.expected:
        with st.container(border=True):
            _guest_block(guest, hotel.timezone)
    sections = (
        (tr("briefing.checked_in", count=len(briefing.checked_in)), briefing.checked_in, True),
        (tr("briefing.in_house"), briefing.in_house, False),
        (tr("briefing.awaited"), briefing.awaited, False),
    )
    for title, guests, arriving in sections:
        if guests:
            st.subheader(title)
        for guest in guests:
            with st.container(border=True):
                _guest_block(guest, hotel.timezone, arriving, briefing.day)
    if me.has("manager"):
        _signature_board(board, briefing, hotel.timezone)


def _signing_status(
    database: Database,
    briefing: Briefing,
    mine: BriefingAcknowledgement | None,
    changes: list[Change],
    timezone: str,
    labels: dict[str, str],
) -> None:
    if mine is not None and mine.version == briefing.version:
        st.success(tr("briefing.signed_at", at=_local(mine.signed_at, timezone)))
        return
    if mine is not None:
        st.warning(tr("briefing.changed_since_signed"))
        st.text("\n".join("• " + tr(c.key, **_readable(c.values, labels)) for c in changes))
    else:
        st.info(tr("briefing.not_signed"))
    with st.form(f"sign_{briefing.version}"):
        read = st.checkbox(tr("briefing.i_have_read"))
        if st.form_submit_button(tr("briefing.sign"), type="primary"):
            if not read:
                st.error(tr("briefing.tick_first"))
                return
            with action(database) as session:
                sign_briefing(session, actor(), briefing, briefing.version)


def _readable(values: dict, labels: dict[str, str]) -> dict:
    """Change values as a reader says them: wish codes as labels, statuses translated."""
    readable = dict(values)
    for key in ("before", "after"):
        if readable.get(key) in ("open", "in_progress", "done", "not_possible", "cancelled"):
            readable[key] = tr(f"status.{readable[key]}")
    if "code" in readable:
        kind = readable.pop("kind", "wish")
        code = readable["code"]
        readable["wish"] = tr("task.kind_triage") if kind == "triage" else labels.get(code, code)
    return readable


def _signature_board(board: list[Signature], briefing: Briefing, timezone: str) -> None:
    st.subheader(tr("briefing.who_signed"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("staff.name"): s.name,
                    tr("briefing.signed_version"): (s.version or "—")[:8],
                    tr("briefing.signed_when"): _local(s.signed_at, timezone, "%d/%m %H:%M")
                    if s.signed_at
                    else "—",
                    tr("briefing.current"): s.current,
                }
                for s in board
            ]
        ),
        hide_index=True,
    )


# --- manager ---------------------------------------------------------------------------------


def dashboard_page() -> None:
    """What is late, who has not read the current briefing, how many promises were kept.

    One task query: today's tasks and the late ones of any day together; the late count is
    the late list's length, the same clause as the board's and the inbox's count.
    """
    st.title(tr("dashboard.title"))
    me = actor()
    with get_database().read() as session:
        hotel = _hotel(session)
        day = today(hotel.timezone)
        tasks = tasks_for(session, me, hotel.id, day=day, or_late=True, timezone=hotel.timezone)
        start = local_to_utc(day, time(0, 0), hotel.timezone)
        end = local_to_utc(day + timedelta(days=1), time(0, 0), hotel.timezone)
        overdue = [t for t in tasks if t.overdue]
        todays = [t for t in tasks if start <= t.due_at < end]
        late = len(overdue)
        kept = promises_kept(session, me, hotel.id, day, hotel.timezone)
        nobody = departments_without_owner(session, hotel.id)
        labels = catalogue_labels(session, hotel.id)
        running_day, running = current_shift(session, hotel)
        # The arrivals' count and the version the signatures are compared with: no readiness.
        briefing = build_briefing(
            session, me, hotel.id, running_day, running, language(), version_only=True
        )
        board = signatures(session, me, briefing)
    unsigned = [s.name for s in board if not s.current]
    for department in nobody:
        st.error(
            tr("owners.nobody", department=tr(f"department.{department}")),
            icon=":material/person_off:",
        )
    columns = st.columns(4)
    columns[0].metric(tr("dashboard.arrivals_shift"), len(briefing.arrivals))
    columns[1].metric(tr("dashboard.overdue"), late)
    columns[2].metric(tr("dashboard.kept"), kept.shown())
    columns[3].metric(tr("dashboard.unsigned"), len(unsigned))
    st.subheader(tr("dashboard.reading", shift=tr(f"shift.{running}")))
    if unsigned:
        st.warning(tr_md("dashboard.not_read", names=", ".join(unsigned)))
    else:
        st.success(tr("dashboard.all_read"))
    _signature_board(board, briefing, hotel.timezone)
    st.subheader(tr("dashboard.overdue"))
    if overdue:
        st.dataframe(tasks_table(overdue, labels, hotel.timezone), hide_index=True)
    else:
        st.success(tr("dashboard.nothing_late"))
    st.subheader(tr("dashboard.tasks_today"))
    st.dataframe(tasks_table(todays, labels, hotel.timezone), hide_index=True)
    promises_ui.promises_section()


def shifts_page() -> None:
    """Managers set the shifts' hours; the briefings follow."""
    st.title(tr("shifts.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = _hotel(session)
        current = shifts(session, hotel.id)
    with st.form("shifts"):
        chosen: dict[str, tuple[time, time]] = {}
        seen = {shift.name: seen_version(f"shift:{shift.id}", shift.version) for shift in current}
        for shift in current:
            columns = st.columns(2)
            # Keyed by the version seen: what the person typed survives the save's rerun, so a
            # save over someone else's is refused and told, never silently replaced.
            version = seen[shift.name]
            starts = columns[0].time_input(
                tr("shifts.starts", shift=tr(f"shift.{shift.name}")),
                value=shift.starts_at,
                step=900,
                key=f"shift_starts_{shift.name}_v{version}",
            )
            ends = columns[1].time_input(
                tr("shifts.ends", shift=tr(f"shift.{shift.name}")),
                value=shift.ends_at,
                step=900,
                key=f"shift_ends_{shift.name}_v{version}",
            )
            chosen[shift.name] = (starts, ends)
        if st.form_submit_button(tr("reservation.save"), type="primary"):
            with action(database, done=tr("saved")) as session:
                for name, (starts, ends) in chosen.items():
                    update_shift(session, me, hotel.id, name, starts, ends, version=seen[name])
                for shift in current:
                    forget_seen(f"shift:{shift.id}")
    roster_section(database, hotel)
