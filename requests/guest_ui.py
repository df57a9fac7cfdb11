"""The front desk's side of the guest loop: a reservation's private link (new, revoke) and the
outbox of messages to guests that have not gone by e-mail, to read, print and hand over."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.clock import to_local
from core.db import Database, get_database
from core.download_ui import guarded_download
from core.errors import UserError
from core.i18n import format_moment
from core.lib import current_property
from core.ui import action, actor, flash, language, tr
from guests.guest_links import issue_link, link_state, page_url, revoke_links
from guests.reservations import reservation_by_confirmation
from requests.guest_outbox import mark_printed, outbox, outbox_printout

_NEW_LINK = "guest_link_new"


def guest_messages_page() -> None:
    st.title(tr("guest_ui.title"))
    me = actor()
    database = get_database()
    with database.read() as session:
        hotel = current_property(session, me)
        waiting = outbox(session, me, hotel.id)

    st.subheader(tr("guest_ui.link_title"))
    st.caption(tr("guest_ui.link_help"))
    number = st.text_input(tr("guest_ui.confirmation"), key="guest_link_number")
    columns = st.columns(2)
    if columns[0].button(tr("guest_ui.new_link"), disabled=not number.strip()):
        with action(database) as session:
            reservation = reservation_by_confirmation(session, hotel.id, number)
            if reservation is None:
                raise UserError("reservation.error_not_found")
            else:
                st.session_state[_NEW_LINK] = (
                    number.strip(),
                    page_url(issue_link(session, me, reservation.id)),
                )
    if columns[1].button(tr("guest_ui.revoke"), disabled=not number.strip()):
        with action(database) as session:
            reservation = reservation_by_confirmation(session, hotel.id, number)
            if reservation is None:
                raise UserError("reservation.error_not_found")
            count = revoke_links(session, me, reservation.id)
            st.session_state.pop(_NEW_LINK, None)
            flash(tr("guest_ui.revoked", count=count))
    shown = st.session_state.get(_NEW_LINK)
    if shown and shown[0] == number.strip():
        st.text(tr("guest_ui.link_once"))
        st.code(shown[1], language=None)
    if number.strip():
        with database.read() as session:
            reservation = reservation_by_confirmation(session, hotel.id, number)
            if reservation is not None:
                state = link_state(session, reservation.id)
                st.caption(
                    tr(
                        "guest_ui.link_state",
                        active=state.active,
                        revoked=state.revoked,
                        used=state.last_used_at or "—",
                    )
                )

    st.subheader(tr("guest_ui.outbox_title", count=len(waiting)))
    if not waiting:
        st.success(tr("guest_ui.outbox_empty"))
        return
    hotel_id = hotel.id
    guarded_download(
        database,
        tr("guest_ui.print_all"),
        lambda me: _printout(database, me, hotel_id),
        roles=("front_desk", "manager"),
        file_name="guest-messages.txt",
        mime="text/plain",
        key="guest_messages_print_all",
    )
    for message in waiting:
        with st.container(border=True):
            made = format_moment(to_local(message.created_at, hotel.timezone), language())
            st.text(
                f"{made} · {message.guest_name} ({message.confirmation_number}) · "
                f"{message.to_address or tr('guest_ui.no_address')} · "
                f"{tr(f'guest_ui.kind_{message.kind}')} · {tr(f'guest_ui.status_{message.status}')}"
            )
            st.text(message.subject)
            with st.expander(tr("guest_ui.read")):
                st.text(message.body)
            if message.printed_at:
                at = format_moment(to_local(message.printed_at, hotel.timezone), language())
                st.caption(tr("guest_ui.printed_at", at=at))
            elif st.button(tr("guest_ui.mark_printed"), key=f"printed_{message.id}"):
                with action(database) as session:
                    mark_printed(session, me, message.id)


def _printout(database: Database, me: Actor, property_id: int) -> bytes:
    with database.read() as session:
        return outbox_printout(session, me, property_id).encode()
