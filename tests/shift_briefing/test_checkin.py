"""Check-in: the wishes reviewed with the guest, and a ready room or a manager's override."""

from __future__ import annotations

from datetime import date

import pytest

from core.audit import audit_events, event_values
from core.errors import UserError
from shift_briefing.checkin import arrival_card, check_in
from shift_briefing.readiness import day_checklists, tick

DAY = date(2026, 7, 14)


def make_ready(database, hotel, hugo, reservation_id):
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation_id, "cleaned", True)
        tick(session, hugo, hotel.id, reservation_id, "inspected", True)
    with database.read() as session:
        room = next(
            c
            for c in day_checklists(session, hugo, hotel.id, DAY, hotel.check_in_time)
            if c.reservation_id == reservation_id
        )
    for item in room.open_items:
        with database.write() as session:
            tick(session, hugo, hotel.id, reservation_id, item.key, True, item.task_version)


def test_an_arrival_without_wishes_on_a_ready_room_checks_in_in_one_step(
    database, hotel, alice, hugo, book
):
    reservation = book("A", "Anna", room="101")
    make_ready(database, hotel, hugo, reservation)
    with database.write() as session:
        done = check_in(session, alice, hotel.id, reservation, wishes_reviewed=False)
    assert done.room_ready and done.override_by_id is None
    with database.read() as session:
        card = arrival_card(session, alice, hotel.id, reservation, "en")
    assert card.check_in is not None and card.guest.status == "checked_in"


def test_check_in_needs_the_wishes_reviewed_with_the_guest(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna", "baby cot please", room="101")
    make_ready(database, hotel, hugo, reservation)
    with pytest.raises(UserError) as refused, database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=False)
    assert refused.value.key == "checkin.error_review_wishes"
    with database.write() as session:
        assert check_in(session, alice, hotel.id, reservation, wishes_reviewed=True).wishes_reviewed


def test_a_room_not_ready_blocks_the_front_desk(database, hotel, alice, book):
    reservation = book("A", "Anna", room="101")
    with database.read() as session:
        card = arrival_card(session, alice, hotel.id, reservation, "en")
    assert card.blockers == ("checkin.blocker_room_not_ready",)
    with pytest.raises(UserError) as refused, database.write() as session:
        check_in(
            session,
            alice,
            hotel.id,
            reservation,
            wishes_reviewed=True,
            override_reason="guest is tired",
        )
    assert refused.value.key == "checkin.blocker_room_not_ready"


def test_a_manager_overrides_a_room_not_ready_with_a_reason_and_it_is_audited(
    database, hotel, alice, maria, book
):
    reservation = book("A", "Anna", room="101")
    with pytest.raises(UserError) as refused, database.write() as session:
        check_in(
            session,
            alice,
            hotel.id,
            reservation,
            wishes_reviewed=True,
            manager_login="maria",
            manager_password="maria-password",
        )
    assert refused.value.key == "checkin.error_override_reason"
    with database.write() as session:
        done = check_in(
            session,
            alice,
            hotel.id,
            reservation,
            wishes_reviewed=True,
            manager_login="maria",
            manager_password="maria-password",
            override_reason="inspection running late",
        )
    assert (done.override_by_id, done.override_reason) == (maria.id, "inspection running late")
    with database.read() as session:
        [event] = audit_events(session, hotel.id, action="check_in_override")
        note = event_values(event).note  # a reason typed about a guest: stored apart
    assert (event.actor_name, note) == ("Maria Manager", "inspection running late")


def test_no_room_assigned_blocks_check_in(database, hotel, alice, maria, book):
    reservation = book("A", "Anna")
    with pytest.raises(UserError) as refused, database.write() as session:
        check_in(
            session,
            alice,
            hotel.id,
            reservation,
            wishes_reviewed=True,
            manager_login="maria",
            manager_password="maria-password",
            override_reason="x",
        )
    assert refused.value.key == "checkin.blocker_no_room"


def test_a_guest_cannot_be_checked_in_twice(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna", room="101")
    make_ready(database, hotel, hugo, reservation)
    with database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=False)
    with pytest.raises(UserError), database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=False)


def test_the_days_cards_come_in_order_of_arrival_with_their_state(
    database, hotel, alice, hugo, book
):
    from datetime import time

    from shift_briefing.checkin import arrival_cards

    late = book("L", "Late Lucy", eta=time(21, 0), room="102")
    book("E", "Early Ed", eta=time(9, 0), room="101")
    make_ready(database, hotel, hugo, late)
    with database.write() as session:
        check_in(session, alice, hotel.id, late, wishes_reviewed=False)
    with database.read() as session:
        cards = arrival_cards(session, alice, hotel.id, DAY, "en")
    assert [(c.guest.guest_name, c.check_in is not None, c.blockers) for c in cards] == [
        ("Early Ed", False, ("checkin.blocker_room_not_ready",)),
        ("Late Lucy", True, ()),
    ]


def override(database, hotel, alice, reservation, password: str, login: str = "maria"):
    with database.write() as session:
        return check_in(
            session,
            alice,
            hotel.id,
            reservation,
            wishes_reviewed=True,
            override_reason="inspection running late",
            manager_login=login,
            manager_password=password,
        )


def test_the_check_in_service_checks_the_manager_s_password_itself(
    database, hotel, alice, maria, book
):
    reservation = book("A", "Anna", room="101")
    with pytest.raises(UserError) as refused:
        override(database, hotel, alice, reservation, "maria-guess")
    assert refused.value.key == "checkin.error_manager_credentials"
    with pytest.raises(UserError):
        override(database, hotel, alice, reservation, "alice-password", login="alice")
    done = override(database, hotel, alice, reservation, "maria-password")
    assert done.override_by_id == maria.id and done.agent_id == alice.id
    with database.read() as session:
        [refusal, _] = audit_events(session, hotel.id, action="check_in_override_refused")
        [event] = audit_events(session, hotel.id, action="check_in_override")
    assert (refusal.actor_name, refusal.note) == ("Alice Front", "not a manager: login alice")
    assert event.actor_name == "Maria Manager"
    assert (event.after["manager"], event.after["agent"]) == ("Maria Manager", "Alice Front")


def test_wrong_manager_passwords_at_check_in_never_lock_the_manager_s_own_sign_in(
    database, hotel, alice, maria, book
):
    """Counted apart, with the same rule: five wrong ones lock the override for 15 minutes."""
    from core.auth import authenticate
    from tests.conftest import staff_row

    reservation = book("A", "Anna", room="101")
    for _ in range(5):
        with pytest.raises(UserError):
            override(database, hotel, alice, reservation, "maria-guess")
    row = staff_row(database, "maria")
    assert (row.failed_logins, row.locked_until, row.override_failures) == (0, None, 5)
    with pytest.raises(UserError):  # the right password, but the override is locked now
        override(database, hotel, alice, reservation, "maria-password")
    with database.write() as session:
        assert authenticate(session, "maria", "maria-password").actor is not None
    with database.read() as session:
        notes = [e.note for e in audit_events(session, hotel.id, action="override_password_failed")]
    assert notes[0] == "account locked"  # newest first
    assert notes[1] == "wrong password; locked for 15 minutes"


def test_a_manager_whose_sign_in_is_locked_cannot_override(database, hotel, alice, maria, book):
    from core.auth import authenticate

    reservation = book("A", "Anna", room="101")
    for _ in range(5):
        with database.write() as session:
            authenticate(session, "maria", "guess")
    with pytest.raises(UserError):
        override(database, hotel, alice, reservation, "maria-password")
