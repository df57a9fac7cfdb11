"""The front desk's Guest messages page: a new link for a reservation that opens its page,
revoked links that open nothing, and the outbox of what did not go by e-mail."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from sqlalchemy import select

from core import clock
from core.i18n import t
from guests.guest_links import reservation_for_token
from guests.models import Reservation
from requests.guest_outbox import queue_confirmations
from requests.guest_view import guest_view
from requests.models import Task
from tests.conftest import assert_no_error
from tests.test_app import app, open_page, sign_in, start  # noqa: F401  (the app fixture)

MORNING = datetime(2026, 6, 2, 6, 45, tzinfo=UTC)
FR = "fr"


def test_front_desk_issues_a_link_then_revokes_it(app, database):  # noqa: F811
    sign_in(start(app), "reception")
    open_page(app, "guest-messages").run()
    with database.read() as session:
        number = session.scalars(select(Reservation.confirmation_number).limit(1)).first()
    app.text_input(key="guest_link_number").input(number).run()
    [new] = [b for b in app.button if b.label == t("guest_ui.new_link", FR)]
    new.click().run()
    assert_no_error(app)
    assert [e.value for e in app.error] == []
    [shown] = app.code
    token = shown.value.rsplit("/", 1)[1]
    assert shown.value.startswith("http://localhost:8501/guest/")
    with database.read() as session:
        assert reservation_for_token(session, token).confirmation_number == number
    [revoke] = [b for b in app.button if b.label == t("guest_ui.revoke", FR)]
    revoke.click().run()
    assert t("guest_ui.revoked", FR, count=1) in [s.value for s in app.success]
    assert len(app.code) == 0  # the revoked link is not shown any more
    with database.read() as session:
        assert reservation_for_token(session, token) is None


def test_the_outbox_shows_what_waits_without_smtp(app, database):  # noqa: F811
    start(app)  # seeds the demo hotel
    with database.write() as session:
        reservation = session.scalars(select(Reservation).limit(1)).unique().first()
        reservation.guest.email = "guest@example.org"
        session.flush()
        clock.set_now(MORNING)
        written = queue_confirmations(session, reservation.property_id, 60)
    assert written >= 1
    st.cache_resource.clear()
    sign_in(app, "reception")
    open_page(app, "guest-messages").run()
    assert app.subheader[-1].value == t("guest_ui.outbox_title", FR, count=written)
    assert any("guest@example.org" in text.value for text in app.text)


def test_not_possible_with_an_alternative_from_the_tasks_page_reaches_the_guest_page(
    app,  # noqa: F811
    database,
):
    sign_in(start(app), "housekeeping")
    open_page(app, "tasks").run()
    with database.read() as session:
        task = session.scalars(
            select(Task)
            .where(Task.kind == "wish", Task.status == "open", Task.department == "housekeeping")
            .order_by(Task.id)
        ).first()
        task_id, reservation_id = task.id, task.reservation_id
    keys = {w.key for w in app.button}
    if f"task_{task_id}_done" not in keys:  # the board shows today's tasks first: take one shown
        done = [k for k in keys if k and k.startswith("task_") and k.endswith("_done")]
        task_id = int(done[0].split("_")[1])
        with database.read() as session:
            reservation_id = session.get(Task, task_id).reservation_id
    app.session_state[f"task_more_{task_id}"] = True  # the card's "More…" opened
    app.run()
    app.button(key=f"np_open_{task_id}").click().run()  # the reason is asked in a dialog
    app.text_input(key=f"reason_{task_id}").input("all our cots are in use")
    app.text_input(key=f"alt_{task_id}").input("a travel cot from the shop next door")
    app.button(key=f"np_{task_id}").click().run()
    assert_no_error(app)
    assert [e.value for e in app.error] == []
    with database.read() as session:
        stored = session.get(Task, task_id)
        assert (stored.status, stored.alternative) == (
            "not_possible",
            "a travel cot from the shop next door",
        )
        view = guest_view(session, session.get(Reservation, reservation_id), "en")
    [refused] = [w for w in view.wishes if w.kind == "not_possible"]
    assert refused.promise == "not possible: all our cots are in use"
    assert refused.alternative == "a travel cot from the shop next door"
