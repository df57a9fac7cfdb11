"""Front desk, housekeeping and manager pages: arrivals and check-in, the shift briefing to sign,
the room checklist, and the manager's dashboard. Streamlit only: the rules are in the services.

Guest text is shown with st.text or inside tables, never as markdown or HTML.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from core.clock import local_to_utc, to_local, today
from core.db import Database, get_database
from core.download_ui import guarded_download
from core.i18n import format_clock, format_day, format_moment
from core.lib import current_property
from core.models import Property
from core.roster_ui import roster_section
from core.shifts import SHIFT_NAMES, shifts, update_shift
from core.ui import (
    action,
    actor,
    escape_markdown,
    language,
    page_of,
    still_signed_in,
    tr,
    tr_md,
    translator,
)
from core.ui_columns import yes_no_column
from core.ui_versions import forget_seen, seen_version
from requests.assignment import departments_without_owner
from requests.labels import catalogue_labels
from requests.tasks import promises_kept, tasks_for
from requests.ui import tasks_columns, tasks_table, wish_labels
from shift_briefing import downloads, promises_ui, severity_ui, stays_ui
from shift_briefing.booked import Booked
from shift_briefing.briefing import (
    BriefingGuest,
    BriefingOutline,
    ShiftVersion,
    briefing_outline,
    briefing_version,
    current_shift,
    describe_guests,
)
from shift_briefing.checkin import (
    ArrivalCard,
    ArrivalLine,
    arrival_card,
    arrival_cards_for,
    arrival_lines,
    check_in,
)
from shift_briefing.models import BriefingAcknowledgement
from shift_briefing.signing import (
    Change,
    Signature,
    changes_since,
    last_signature,
    sign_briefing,
    signatures,
)

SHIFTS = SHIFT_NAMES


def _local(moment: datetime, timezone: str, with_day: bool = False) -> str:
    """The hotel's time of `moment` in the reader's words: 21:30, or 01/08 21:30 with the day."""
    local = to_local(moment, timezone)
    return format_moment(local, language()) if with_day else format_clock(local, language())


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
            state += " · " + tr("briefing.due", at=_local(wish.due_at, timezone, with_day=True))
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
        return tr(key, at=_local(guest.checked_in_at, timezone, with_day=not arriving))
    if not arriving and day is not None and guest.arrival_date < day:
        since = format_day(guest.arrival_date, language(), "day_month")
        return tr("briefing.staying_since", day=since)
    if arriving or guest.expected_moment is None:
        return format_clock(guest.expected_at, language()) + ("" if guest.eta_given else " *")
    return tr("briefing.expected_on", at=_local(guest.expected_moment, timezone, with_day=True))


def _guest_block(
    guest: BriefingGuest, timezone: str, arriving: bool = True, day: date | None = None
) -> None:
    """One guest as text: name, time, room and readiness, then every wish with its status."""
    head = [
        _whereabouts(guest, timezone, arriving, day),
        guest.guest_name + " ★" * guest.vip_level,
        f"{tr('room.label')} {guest.room_number or tr('room.not_assigned')}",
        tr("arrivals.nights", count=guest.nights),
        tr(
            "arrivals.people",
            adults=tr("arrivals.adults", count=guest.adults),
            children=tr("arrivals.children", count=guest.children),
        ),
    ]
    st.text(" · ".join(head))
    if guest.changed_by_guest_at:
        at = _local(guest.changed_by_guest_at, timezone, with_day=True)
        st.warning(tr_md("briefing.changed_by_guest", at=at), icon=":material/edit:")
    if guest.returning:
        remembered = ", ".join(guest.remembered) or "—"
        st.text(tr("briefing.returning", wishes=remembered))
    readiness = _readiness_line(guest)
    if readiness:  # a badge: its colour says it at a glance, its words say it for everyone
        ready = guest.readiness is not None and guest.readiness.ready
        st.badge(readiness, color="green" if ready else "orange")
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


PAGE_SIZE = 20  # arrival cards a page shows: a big hotel's day is paged, and searched
_OVERRIDE = "checkin_override_open"  # the reservation whose override dialog is open


def arrivals_page() -> None:
    """Today's arrivals, each with its card: wishes, room readiness, and check-in.

    A card is described and built only when shown (a page of PAGE_SIZE), and its content only
    when opened; each card is a fragment, so opening one reruns that card alone.
    """
    st.title(tr("arrivals.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        columns = st.columns([1, 2])
        day = columns[0].date_input(tr("arrivals.day"), value=today(hotel.timezone))
        search = columns[1].text_input(
            tr("arrivals.search"), key="arrivals_search", placeholder=tr("arrivals.search_hint")
        )
        lines = arrival_lines(session, me, hotel.id, day)
        expected = [line for line in lines if not line.checked_in]
        st.caption(tr("arrivals.count", count=len(expected)))
        st.caption(tr("arrivals.legend"))
        wanted = search.strip().casefold()
        if wanted:
            lines = [line for line in lines if wanted in _searched(line)]
        # A guest checked in leaves the expected list: they follow under their own heading.
        ordered = [line for line in lines if not line.checked_in] + [
            line for line in lines if line.checked_in
        ]
        shown = page_of(ordered, PAGE_SIZE, key="arrivals_page")
        cards = arrival_cards_for(
            session, me, hotel.id, [line.reservation_id for line in shown], language()
        )
    checked_in = sum(line.checked_in for line in lines)
    if wanted and not lines:
        st.info(tr("arrivals.none_found"))
    for line in shown:
        if line.checked_in and line is next(x for x in shown if x.checked_in):
            st.subheader(tr("arrivals.checked_in", count=checked_in))
        card = cards.get(line.reservation_id)
        if card is not None:
            _arrival_card(database, hotel, line.reservation_id, {"card": card})
    stays_ui.departures(database, hotel, day)


def _searched(line: ArrivalLine) -> str:
    return " ".join([line.guest_name, line.room_number or "", line.confirmation_number]).casefold()


@st.fragment
def _arrival_card(
    database: Database, hotel: Property, reservation_id: int, first: dict[str, ArrivalCard]
) -> None:
    """One arrival's card. The page's run hands it the card it described with the others
    (`first`, used once); opening it, or a click inside, reruns this card alone, which then
    checks the person and reads the card again."""
    card = first.pop("card", None)
    if card is None:
        me = still_signed_in(database)
        with database.read() as session:
            card = arrival_card(session, me, hotel.id, reservation_id, language())
    guest = card.guest
    # Words and icons, never colour or emoji alone: reception reads it at a glance.
    if card.check_in:
        state, icon = tr("checkin.state_checked_in"), ":material/how_to_reg:"
    elif card.room_ready:
        state, icon = tr("readiness.ready"), ":material/check_circle:"
    else:
        state, icon = tr("readiness.not_ready_short"), ":material/hourglass_empty:"
    title = escape_markdown(
        f"{format_clock(guest.expected_at, language())} · {guest.guest_name} · "
        f"{guest.room_number or tr('room.not_assigned')} · {state}"
    ) + severity_ui.title_mark(guest)
    box = st.expander(title, icon=icon, key=f"arrival_{reservation_id}", on_change="rerun")
    if not box.open:  # closed: nothing inside is built
        return
    with box:
        _guest_block(guest, hotel.timezone)
        if card.check_in is not None:
            st.badge(
                tr("checkin.done", at=_local(card.check_in.at, hotel.timezone)),
                icon=":material/how_to_reg:",
                color="green",
            )
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


def _check_in_form(database: Database, hotel: Property, card: ArrivalCard) -> None:
    guest = card.guest
    with st.form(f"check_in_{guest.reservation_id}"):
        reviewed = False
        if card.needs_review:
            reviewed = st.checkbox(tr("checkin.reviewed"), key=f"reviewed_{guest.reservation_id}")
        kitchen_informed = severity_ui.kitchen_informed(card)
        if "checkin.blocker_room_not_ready" in card.blockers:
            st.warning(tr("checkin.blocker_room_not_ready"), icon=":material/hourglass_empty:")
        if "checkin.blocker_no_room" in card.blockers:
            st.warning(tr("checkin.blocker_no_room"), icon=":material/no_meeting_room:")
        submitted = st.form_submit_button(tr("checkin.submit"), type="primary")
    if "checkin.blocker_room_not_ready" in card.blockers:
        st.caption(tr("checkin.override_hint"))
        st.button(
            tr("checkin.override_open"),
            key=f"override_{guest.reservation_id}",
            icon=":material/admin_panel_settings:",
            on_click=st.session_state.__setitem__,
            args=(_OVERRIDE, guest.reservation_id),
        )
        if st.session_state.get(_OVERRIDE) == guest.reservation_id:
            st.dialog(
                tr("checkin.override_title"),
                width="medium",
                on_dismiss=lambda: st.session_state.pop(_OVERRIDE, None),
            )(_override_dialog)(database, hotel, card)
    if submitted:
        _check_in(database, hotel, card, reviewed=reviewed, kitchen_informed=kitchen_informed)


def _override_dialog(database: Database, hotel: Property, card: ArrivalCard) -> None:
    """A room not ready: check-in on a manager's override, with a reason (a fragment: its
    clicks rerun the dialog alone, so it checks the person again)."""
    me = still_signed_in(database)
    guest = card.guest
    rid = guest.reservation_id
    st.warning(tr("checkin.blocker_room_not_ready"), icon=":material/hourglass_empty:")
    with st.form(f"override_form_{rid}"):
        reviewed = False
        if card.needs_review:
            reviewed = st.checkbox(tr("checkin.reviewed"), key=f"override_reviewed_{rid}")
        kitchen_informed = severity_ui.kitchen_informed(card, key=f"override_kitchen_{rid}")
        reason = st.text_input(tr("checkin.override_reason"), key=f"reason_{rid}")
        login = password = ""
        if not me.has("manager"):
            login = st.text_input(tr("checkin.manager_login"), key=f"mlogin_{rid}")
            password = st.text_input(tr("login.password"), type="password", key=f"mpass_{rid}")
        submitted = st.form_submit_button(tr("checkin.submit"), type="primary")
    if submitted:
        _check_in(
            database,
            hotel,
            card,
            reviewed=reviewed,
            kitchen_informed=kitchen_informed,
            reason=reason,
            login=login,
            password=password,
        )


def _check_in(
    database: Database,
    hotel: Property,
    card: ArrivalCard,
    *,
    reviewed: bool,
    kitchen_informed: bool,
    reason: str = "",
    login: str = "",
    password: str = "",
) -> None:
    """The check-in itself: committed, the whole page reruns (the guest changes list) and the
    confirmation stays until the next action; refused, the reason shows in place."""
    guest = card.guest
    done = tr_md(
        "checkin.done_now",
        guest=guest.guest_name,
        room=guest.room_number or tr("room.not_assigned"),
    )
    with action(database, done=done) as session:
        check_in(
            session,
            actor(),
            hotel.id,
            guest.reservation_id,
            wishes_reviewed=reviewed,
            override_reason=reason or None,
            manager_login=login or None,
            manager_password=password,
            language=language(),
            kitchen_informed=kitchen_informed,
        )
        st.session_state.pop(_OVERRIDE, None)  # checked in: the dialog closes


# --- the shift briefing ----------------------------------------------------------------------


def briefing_page() -> None:
    """Read the shift's briefing, see what changed since you signed, sign it, print it."""
    st.title(tr("briefing.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        running_day, running = current_shift(session, hotel)
        columns = st.columns(2)
        day = columns[0].date_input(tr("briefing.day"), value=running_day)
        shift = columns[1].selectbox(
            tr("briefing.shift"),
            SHIFTS,
            index=SHIFTS.index(running),
            format_func=translator("shift."),
        )
        # The version and the guests, undescribed; those shown are described for their page.
        briefing = briefing_outline(session, me, hotel.id, day, shift)
        mine = last_signature(session, me.id, day, shift)
        changes = (
            changes_since(session, briefing, mine.version)
            if (mine and mine.version != briefing.version)
            else []
        )
        board = signatures(session, me, briefing) if me.has("manager") else []  # shown to them
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
    # Every guest of the briefing in its order, paged: a big hotel's day is hundreds of blocks
    # (the printed briefing has them all).
    blocks: list[tuple[str, Booked, bool]] = [
        (tr("briefing.checked_in", count=len(briefing.checked_in)), r, True)
        for r in briefing.checked_in
    ]
    blocks += [(tr("briefing.in_house"), r, False) for r in briefing.in_house]
    blocks += [(tr("briefing.awaited"), r, False) for r in briefing.awaited]
    expected = [("", r, True) for r in briefing.expected]
    page = page_of(expected + blocks, PAGE_SIZE, key="briefing_page")
    with database.read() as session:
        described = describe_guests(session, me, briefing, [r for _, r, _ in page], language())
    shown: list[tuple[str, BriefingGuest, bool]] = [
        (title, guest, arriving)
        for (title, _, arriving), guest in zip(page, described, strict=True)
    ]
    if not shown or shown[0][0] == "":
        st.subheader(tr("briefing.arrivals", count=len(briefing.expected)))
        if briefing.arrivals and not briefing.expected:
            st.caption(tr("briefing.no_expected"))
    heading = ""
    for title, guest, arriving in shown:
        if title and title != heading:
            st.subheader(title)
        heading = title
        with st.container(border=True):
            _guest_block(guest, hotel.timezone, arriving, briefing.day if title else None)
    if me.has("manager"):
        _signature_board(board, briefing, hotel.timezone)


def _signing_status(
    database: Database,
    briefing: BriefingOutline,
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


def _signature_board(
    board: list[Signature], briefing: BriefingOutline | ShiftVersion, timezone: str
) -> None:
    st.subheader(tr("briefing.who_signed"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("staff.name"): s.name,
                    tr("briefing.signed_version"): (s.version or "—")[:8],
                    # Text, so that someone who never signed reads "—", not "None".
                    tr("briefing.signed_when"): _local(s.signed_at, timezone, with_day=True)
                    if s.signed_at
                    else "—",
                    tr("briefing.current"): s.current,
                }
                for s in board
            ]
        ),
        hide_index=True,
        column_config={
            tr("briefing.current"): yes_no_column(),
        },
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
        hotel = current_property(session, me)
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
        # The arrivals' count and the version the signatures are compared with.
        briefing = briefing_version(session, me, hotel.id, running_day, running)
        board = signatures(session, me, briefing)
        promises = promises_ui.read_promises(session, me, hotel)
    unsigned = [s.name for s in board if not s.current]
    for department in nobody:
        st.error(
            tr("owners.nobody", department=tr(f"department.{department}")),
            icon=":material/person_off:",
        )
    columns = st.columns(4)
    columns[0].metric(tr("dashboard.arrivals_shift"), briefing.arrivals)
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
        st.dataframe(
            tasks_table(overdue, labels, hotel.timezone),
            hide_index=True,
            column_config=tasks_columns(hotel.timezone),
        )
    else:
        st.success(tr("dashboard.nothing_late"))
    st.subheader(tr("dashboard.tasks_today"))
    st.dataframe(
        tasks_table(todays, labels, hotel.timezone),
        hide_index=True,
        column_config=tasks_columns(hotel.timezone),
    )
    promises_ui.promises_section(promises)


def shifts_page() -> None:
    """Managers set the shifts' hours; the briefings follow."""
    st.title(tr("shifts.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
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
