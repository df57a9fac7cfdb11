"""The housekeeping board page and the check-in confirmation (AppTest, in-process): the screen
shows what the database holds after every action, and a refusal says why."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.ui import escape_markdown
from guests.models import Room
from guests.rooms import set_housekeeping_status
from shift_briefing.checkin import check_in
from tests.conftest import assert_no_error
from tests.shift_briefing.conftest import open_arrival

DAY = date(2026, 7, 14)


def room_status(database, number: str) -> str:
    with database.read() as session:
        return session.scalars(select(Room.housekeeping_status).where(Room.number == number)).one()


def room_box(app: AppTest, database, number: str, item: str):
    with database.read() as session:
        room_id = session.scalars(select(Room.id).where(Room.number == number)).one()
    [box] = [b for b in app.checkbox if b.key.startswith(f"room_{room_id}_{item}|")]
    return box


def card_text(app: AppTest) -> str:
    return " ".join(m.value for m in app.markdown)


def test_inspecting_a_dirty_room_is_refused_and_the_box_shows_what_is_stored(
    database, hugo, book, signed_in
):
    book("A", "Anna Morning", eta=time(11, 0), room="101")
    app = signed_in("hugo", "housekeeping")
    room_box(app, database, "101", "inspected").check().run()
    assert_no_error(app)
    refusal = t("room.error_inspect_before_clean", "fr", room="101")
    assert [e.value for e in app.error] == [refusal]
    assert room_box(app, database, "101", "inspected").value is False
    assert room_status(database, "101") == "dirty"
    # The next action saves what the person did, and only that: cleaned, not inspected.
    room_box(app, database, "101", "cleaned").check().run()
    assert not app.error
    assert room_status(database, "101") == "clean"
    assert room_box(app, database, "101", "inspected").value is False
    assert room_box(app, database, "101", "cleaned").value is True


def test_a_status_changed_elsewhere_shows_at_the_next_run(database, hugo, book, signed_in):
    book("A", "Anna Morning", eta=time(11, 0), room="101")
    app = signed_in("hugo", "housekeeping")
    assert room_box(app, database, "101", "cleaned").value is False
    with database.write() as session:  # another attendant, on another phone
        room_id = session.scalars(select(Room.id).where(Room.number == "101")).one()
        set_housekeeping_status(session, hugo, room_id, "clean")
    app.run()
    assert room_box(app, database, "101", "cleaned").value is True


def test_the_board_shows_a_room_once_with_its_departure_and_its_arrival(
    database, alice, hugo, book, signed_in
):
    leaving = book("OUT", "Olga Leaving", arrival=DAY - timedelta(days=2), nights=2, room="101")
    with database.write() as session:
        room_id = session.scalars(select(Room.id).where(Room.number == "101")).one()
        set_housekeeping_status(session, hugo, room_id, "clean")
        set_housekeeping_status(session, hugo, room_id, "inspected")
        check_in(session, alice, 1, leaving, wishes_reviewed=True, language="fr")
    book("IN", "Ivan Arriving", "baby cot please", eta=time(17, 0), room="101")
    app = signed_in("hugo", "housekeeping")
    text = card_text(app)
    assert text.count("**101**") == 1
    assert "Départ prévu 11:00 · Olga Leaving \\(OUT\\)" in text
    assert "Arrivée 17:00 · Ivan Arriving \\(IN\\)" in text
    assert "Occupée" in text
    assert [b.label for b in app.checkbox].count("Lit bébé installé et fait") == 1
    # Every mark is explained on the page.
    for name in ("due_out", "arrival", "occupied", "vacant_dirty"):
        assert escape_markdown(t(f"board.help_{name}", "fr")) in text


def test_only_rooms_with_something_to_do_when_asked(database, hugo, book, signed_in):
    book("A", "Anna Morning", room="101")
    with database.write() as session:
        room_id = session.scalars(select(Room.id).where(Room.number == "102")).one()
        set_housekeeping_status(session, hugo, room_id, "clean")
        set_housekeeping_status(session, hugo, room_id, "inspected")
    app = signed_in("hugo", "housekeeping")
    assert "**102**" in card_text(app)
    app.toggle(key="board_to_do_only").set_value(True).run()
    assert "**102**" not in card_text(app) and "**101**" in card_text(app)


def test_the_check_in_confirmation_stays_until_the_next_action(
    database, alice, hugo, book, signed_in
):
    reservation = book("A", "Anna Morning", eta=time(11, 0), room="101")
    with database.write() as session:
        room_id = session.scalars(select(Room.id).where(Room.number == "101")).one()
        set_housekeeping_status(session, hugo, room_id, "clean")
        set_housekeeping_status(session, hugo, room_id, "inspected")
    app = open_arrival(signed_in("alice", "arrivals"), reservation)
    [submit] = [b for b in app.button if b.label == t("checkin.submit", "fr")]
    submit.click().run()
    assert_no_error(app)
    confirmation = t("checkin.done_now", "fr", guest="Anna Morning", room="101")
    assert confirmation in [s.value for s in app.success]
    app.run()  # the next action: the confirmation has been read
    assert confirmation not in [s.value for s in app.success]
    assert reservation
