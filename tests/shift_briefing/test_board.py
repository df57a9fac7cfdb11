"""The housekeeping board: every room once, in housekeeping's words, read from the reservations;
and the room status rules every door applies (inspect after cleaning, the version seen)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from core import clock
from core.auth import Actor, actor_for
from core.errors import UserError
from core.models import Staff
from guests.demo import seed_demo
from guests.models import Reservation, Room
from guests.rooms import room_by_number, set_housekeeping_status
from shift_briefing.board import housekeeping_board
from shift_briefing.checkin import check_in
from shift_briefing.readiness import tick, tick_room

DAY = date(2026, 7, 14)  # the conftest's clock reads 10:00 in Paris on this day


def board(database, who, hotel, day: date = DAY):
    with database.read() as session:
        return housekeeping_board(session, who, hotel, day)


def room_of(board, number: str):
    [room] = [r for r in board.rooms if r.number == number]
    return room


def room_id(database, hotel, number: str) -> int:
    with database.read() as session:
        room = room_by_number(session, hotel.id, number)
        assert room is not None
        return room.id


def status(database, hotel, number: str) -> str:
    with database.read() as session:
        return session.get(Room, room_id(database, hotel, number)).housekeeping_status


def inspect(database, who: Actor, hotel, number: str) -> None:
    with database.write() as session:
        set_housekeeping_status(session, who, room_id(database, hotel, number), "clean")
        set_housekeeping_status(session, who, room_id(database, hotel, number), "inspected")


def checked_in(database, alice: Actor, hugo: Actor, hotel, reservation: int, room: str) -> None:
    inspect(database, hugo, hotel, room)
    with database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=True, language="en")


def test_each_room_appears_once_even_when_a_departure_and_an_arrival_share_it(
    database, hotel, alice, hugo, book
):
    leaving = book("OUT", "Olga Leaving", arrival=DAY - timedelta(days=2), nights=2, room="101")
    checked_in(database, alice, hugo, hotel, leaving, "101")
    book("IN", "Ivan Arriving", "baby cot please", eta=time(17, 0), room="101")
    day = board(database, hugo, hotel)
    assert [r.number for r in day.rooms] == ["101", "102", "201", "202"]
    room = room_of(day, "101")
    assert room.facts == ("due_out", "arrival") and room.state == "occupied"
    assert [(s.guest_name, s.at) for s in room.stays] == [
        ("Olga Leaving", time(11, 0)),  # the hotel's check-out time
        ("Ivan Arriving", time(17, 0)),  # the arriving guest's ETA
    ]
    # The arriving guest's wish items are on the room, after cleaned and inspected.
    assert [i.key for i in room.standard] == ["cleaned", "inspected"]
    assert [i.code for _r, i in room.wish_items] == ["baby_cot"]
    assert day.counts()["due_out"] == 1 and day.counts()["arrival"] == 1


def test_the_board_speaks_housekeeping_vocabulary(database, hotel, alice, hugo, book):
    staying = book("STAY", "Sam Staying", arrival=DAY - timedelta(days=1), nights=3, room="102")
    checked_in(database, alice, hugo, hotel, staying, "102")
    with database.write() as session:
        set_housekeeping_status(session, hugo, room_id(database, hotel, "102"), "dirty")
        set_housekeeping_status(session, hugo, room_id(database, hotel, "201"), "clean")
        set_housekeeping_status(session, hugo, room_id(database, hotel, "202"), "out_of_order")
    inspect(database, hugo, hotel, "101")
    day = board(database, hugo, hotel)
    assert {r.number: r.state for r in day.rooms} == {
        "101": "inspected",
        "102": "occupied",
        "201": "vacant_clean",
        "202": "out_of_order",
    }
    assert room_of(day, "102").facts == ("stay_over",)
    assert room_of(day, "102").housekeeping_status == "dirty"  # occupied dirty
    counts = day.counts()
    assert (counts["occupied"], counts["stay_over"], counts["vacant_dirty"]) == (1, 1, 0)


def test_a_checked_out_guest_is_a_departure_and_a_checked_in_arrival_has_arrived(
    database, hotel, alice, hugo, book
):
    gone = book("GONE", "Gina Gone", arrival=DAY - timedelta(days=1), nights=1, room="201")
    here = book("HERE", "Hans Here", room="202")
    checked_in(database, alice, hugo, hotel, here, "202")
    with database.write() as session:  # what the front desk's check-out leaves behind
        session.get(Reservation, gone).status = "checked_out"
    day = board(database, hugo, hotel)
    assert room_of(day, "201").facts == ("departed",) and not room_of(day, "201").occupied
    assert room_of(day, "202").facts == ("arrived",) and room_of(day, "202").state == "occupied"


def test_a_booking_that_never_arrived_holds_no_room_today_but_counts_on_a_day_to_come(
    database, hotel, hugo, book
):
    book("LATE", "Lea Late", arrival=DAY - timedelta(days=1), nights=3, room="101")
    assert room_of(board(database, hugo, hotel), "101").facts == ()
    for later, fact in ((1, "stay_over"), (2, "due_out")):
        day = board(database, hugo, hotel, DAY + timedelta(days=later))
        assert room_of(day, "101").facts == (fact,)


def test_guests_arriving_without_a_room_are_listed_apart(database, hotel, hugo, book):
    book("NOROOM", "Nora Noroom", "baby cot please")
    day = board(database, hugo, hotel)
    assert [a.guest_name for a in day.unassigned] == ["Nora Noroom"]
    assert all(not r.stays for r in day.rooms)


def test_a_room_is_inspected_only_once_clean_whatever_the_door(database, hotel, hugo, rooms):
    with pytest.raises(UserError) as refused, database.write() as session:
        set_housekeeping_status(session, hugo, room_id(database, hotel, "101"), "inspected")
    assert (refused.value.key, refused.value.values) == (
        "room.error_inspect_before_clean",
        {"room": "101"},
    )
    with pytest.raises(UserError), database.write() as session:
        tick_room(session, hugo, hotel.id, room_id(database, hotel, "101"), "inspected", True)
    assert status(database, hotel, "101") == "dirty"


def test_a_status_changed_since_it_was_shown_is_not_overwritten(
    database, hotel, hugo, rooms, morning_of_the_day
):
    shown = board(database, hugo, hotel)
    seen = room_of(shown, "101").status_version
    with database.write() as session:  # another attendant cleans the room meanwhile
        tick_room(session, hugo, hotel.id, room_id(database, hotel, "101"), "cleaned", True)
    with pytest.raises(UserError) as refused, database.write() as session:
        tick_room(session, hugo, hotel.id, room_id(database, hotel, "101"), "cleaned", False, seen)
    assert refused.value.key == "room.error_status_changed"
    assert refused.value.values["by"] == "Hugo Housekeeping"
    assert refused.value.values["at"] == "10:00"
    assert status(database, hotel, "101") == "clean"


def test_ticking_cleaned_on_an_inspected_room_does_not_undo_the_inspection(
    database, hotel, hugo, book
):
    reservation = book("A", "Anna", room="101")
    inspect(database, hugo, hotel, "101")
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation, "cleaned", True)
    assert status(database, hotel, "101") == "inspected"


def test_a_guest_still_in_after_their_departure_date_is_due_out_today(
    database, hotel, alice, hugo, book
):
    stayed = book("OVER", "Otto Over", arrival=DAY - timedelta(days=3), nights=2, room="201")
    checked_in(database, alice, hugo, hotel, stayed, "201")
    room = room_of(board(database, hugo, hotel), "201")
    assert room.facts == ("due_out",) and room.state == "occupied"
    assert room_of(board(database, hugo, hotel, DAY - timedelta(days=1)), "201").facts == (
        "due_out",
    )


@pytest.mark.parametrize("hour", [5, 12, 23])
def test_the_demo_hotel_shows_each_room_once_whatever_the_hour_it_was_seeded(database, hour):
    """Seeded early, at noon or late (Paris time), each of the demo's rooms is on its day's
    board once, on the next days too, and every arrival is on a room or listed apart."""

    clock.set_now(datetime(2026, 7, 14, hour - 2, 40, tzinfo=UTC))
    with database.write() as session:
        hotel = seed_demo(session)
    with database.read() as session:
        attendant = actor_for(
            session.scalars(select(Staff).where(Staff.login == "housekeeping")).one()
        )
        rooms = session.scalar(select(func.count()).select_from(Room))
        for later in range(3):
            day = DAY + timedelta(days=later)
            shown = housekeeping_board(session, attendant, hotel, day)
            numbers = [r.number for r in shown.rooms]
            assert len(numbers) == len(set(numbers)) == rooms
            arrivals = session.scalar(
                select(func.count())
                .select_from(Reservation)
                .where(Reservation.arrival_date == day, Reservation.status == "booked")
            )
            on_rooms = sum(
                1 for r in shown.rooms for s in r.stays if s.fact in ("arrival", "arrived")
            )
            assert on_rooms + len(shown.unassigned) == arrivals


def test_a_check_out_makes_the_room_vacant_dirty_with_a_new_status_version(
    database, hotel, alice, hugo, book
):
    from guests.stays import check_out

    leaving = book("OUT", "Olga Leaving", arrival=DAY - timedelta(days=2), nights=2, room="101")
    checked_in(database, alice, hugo, hotel, leaving, "101")
    before = room_of(board(database, hugo, hotel), "101")
    with database.write() as session:
        check_out(session, alice, hotel.id, leaving)
    after = room_of(board(database, hugo, hotel), "101")
    assert (after.state, after.facts) == ("vacant_dirty", ("departed",))
    assert after.status_version == before.status_version + 1  # the board's boxes are rebuilt
    # A tick made on the page as it was before the check-out is refused, not saved over it.
    with pytest.raises(UserError) as refused, database.write() as session:
        tick_room(session, hugo, hotel.id, after.room_id, "cleaned", True, before.status_version)
    assert refused.value.key == "room.error_status_changed"
    assert refused.value.values["by"] == "Alice Front"
