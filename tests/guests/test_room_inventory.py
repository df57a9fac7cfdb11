"""A room holds one reservation a night: the form is refused, the import keeps the row without
the room, and moves and check-outs keep the inventory right."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core import clock
from core.auth import system_actor
from core.models import AuditEvent
from guests.__main__ import main
from guests.importer import read_file, run_import
from guests.models import Reservation, Room, RoomNight
from guests.reservations import (
    ReservationInput,
    create_reservation,
    reservation_by_confirmation,
    save_reservation,
    update_reservation,
)
from guests.room_nights import RoomTaken
from guests.stays import check_out, departures_of_day, free_rooms, move_reservation
from requests.models import Task
from shift_briefing.briefing import build_briefing
from shift_briefing.checkin import check_in
from shift_briefing.readiness import checklists_for

JULY_10 = date(2026, 7, 10)


def booking(number: str, name: str, room: str | None, arrival=JULY_10,
            departure=date(2026, 7, 12), **values) -> ReservationInput:
    return ReservationInput(confirmation_number=number, guest_name=name, arrival_date=arrival,
                            departure_date=departure, room_number=room, **values)


def nights(database, number: str) -> list[tuple[str, date]]:
    with database.read() as session:
        return [
            (room, night)
            for room, night in session.execute(
                select(Room.number, RoomNight.night)
                .join(Room, Room.id == RoomNight.room_id)
                .join(Reservation, Reservation.id == RoomNight.reservation_id)
                .where(Reservation.confirmation_number == number)
                .order_by(RoomNight.night)
            )
        ]


def reservation(database, hotel, number: str) -> Reservation:
    with database.read() as session:
        found = reservation_by_confirmation(session, hotel.id, number)
        assert found is not None
        session.expunge_all()
        return found


def test_an_overlapping_room_is_refused_naming_the_other_guest(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
    with pytest.raises(RoomTaken) as taken, database.write() as session:
        create_reservation(session, rita, hotel.id, booking(
            "R2", "John Smith", "101", arrival=date(2026, 7, 11), departure=date(2026, 7, 13)))
    assert taken.value.values == {"room": "101", "number": "R1", "guest": "Marie Dubois",
                                  "arrival": "2026-07-10", "departure": "2026-07-12"}
    with database.read() as session:
        assert session.scalar(select(Reservation).where(
            Reservation.confirmation_number == "R2")) is None


def test_back_to_back_stays_share_the_room(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
        create_reservation(session, rita, hotel.id, booking(
            "R2", "John Smith", "101", arrival=date(2026, 7, 12), departure=date(2026, 7, 13)))
    assert nights(database, "R1") == [("101", JULY_10), ("101", date(2026, 7, 11))]
    assert nights(database, "R2") == [("101", date(2026, 7, 12))]


def test_the_database_itself_refuses_a_second_booking_of_a_night(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
        create_reservation(session, rita, hotel.id, booking("R2", "John Smith", None))
    first, second = reservation(database, hotel, "R1"), reservation(database, hotel, "R2")
    with pytest.raises(IntegrityError), database.write() as session:
        session.execute(insert(RoomNight), [{"property_id": hotel.id, "room_id": first.room_id,
                                             "night": JULY_10, "reservation_id": second.id}])


def test_nights_follow_dates_and_are_freed_by_a_cancellation(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
    opened = reservation(database, hotel, "R1")
    with database.write() as session:
        update_reservation(session, rita, hotel.id, opened.id, booking(
            "R1", "Marie Dubois", "102", departure=date(2026, 7, 11)), version=opened.version)
    assert nights(database, "R1") == [("102", JULY_10)]
    with database.write() as session:
        save_reservation(session, rita, hotel.id, booking(
            "R1", "Marie Dubois", "102", departure=date(2026, 7, 11), status="cancelled"))
    assert nights(database, "R1") == []
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R2", "John Smith", "102"))


IMPORT_HEADER = "Conf. No,Guest Name,Arrival,Departure,Room\n"


def test_the_import_keeps_a_clashing_row_without_its_room_and_exits_1(
    database_url, database, hotel, rita, tmp_path, capsys
):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
    path = tmp_path / "arrivals.csv"
    path.write_text(IMPORT_HEADER + "R2,John Smith,2026-07-11,2026-07-13,101\n"
                    "R3,Ana Lima,2026-07-11,2026-07-12,102\n"
                    "R4,Li Wei,2026-07-11,2026-07-12,102\n")
    assert main(["import", str(path), "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["created"] == 3
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(2, "room"), (4, "room")]
    assert "R1" in summary["errors"][0]["message"] and "R3" in summary["errors"][1]["message"]
    assert reservation(database, hotel, "R2").room_id is None
    assert reservation(database, hotel, "R4").room_id is None
    assert nights(database, "R3") == [("102", date(2026, 7, 11))]


def test_a_dry_run_reports_the_clash_too(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
        parsed = read_file((IMPORT_HEADER + "R2,John Smith,2026-07-11,2026-07-13,101\n")
                           .encode(), "arrivals.csv")
        summary = run_import(session, system_actor(hotel.id, "import"), hotel.id, parsed,
                             dry_run=True)
    assert [(p.row, p.column, p.key) for p in summary.errors] == [
        (2, "room", "import.error_room_taken")]
    assert summary.exit_status == 1


def _in_house(database, hotel, rita, alice, number="R1", room="101"):
    clock.set_now(datetime(2026, 7, 10, 16, 0, tzinfo=UTC))
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking(number, "Marie Dubois", room))
        found = reservation_by_confirmation(session, hotel.id, number)
        found.room.housekeeping_status = "inspected"
    with database.write() as session:
        check_in(session, alice, hotel.id, found.id, wishes_reviewed=True)
    return found.id


def test_a_move_takes_the_wish_items_along_and_is_audited(database, hotel, rita, alice):
    clock.set_now(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking(
            "R1", "Marie Dubois", "101", wish_text="A baby cot please"))
        create_reservation(session, rita, hotel.id, booking("R9", "Someone Else", "103"))
        from guests.rooms import add_room
        add_room(session, system_actor(hotel.id), hotel.id, "102")
    moved = reservation(database, hotel, "R1")
    with database.read() as session:
        before = build_briefing(session, alice, hotel.id, JULY_10, "afternoon", "en").version
    with pytest.raises(RoomTaken), database.write() as session:
        move_reservation(session, alice, hotel.id, moved.id, "103", from_room="101")
    with database.write() as session:
        move_reservation(session, alice, hotel.id, moved.id, "102", from_room="101")
    assert nights(database, "R1") == [("102", JULY_10), ("102", date(2026, 7, 11))]
    with database.read() as session:
        after = build_briefing(session, alice, hotel.id, JULY_10, "afternoon", "en").version
        r = session.get(Reservation, moved.id)
        [checklist] = checklists_for(session, alice, hotel.id, [r], hotel.check_in_time).values()
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "reservation_moved"))
        open_tasks = session.scalars(select(Task).where(Task.status == "open")).all()
    assert after != before
    assert checklist.room_number == "102"
    assert any(item.code == "baby_cot" for item in checklist.items)
    assert (event.before, event.after) == ({"room": "101"}, {"room": "102"})
    assert open_tasks  # the cot task stays open: it follows the reservation
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R2", "John Smith", "101"))


def test_check_out_frees_the_room_and_leaves_it_dirty(database, hotel, rita, alice):
    reservation_id = _in_house(database, hotel, rita, alice)
    clock.set_now(datetime(2026, 7, 12, 9, 0, tzinfo=UTC))
    with database.read() as session:
        assert [d.reservation_id for d in departures_of_day(
            session, alice, hotel.id, date(2026, 7, 12))] == [reservation_id]
    with database.write() as session:
        check_out(session, alice, hotel.id, reservation_id)
    with database.read() as session:
        r = session.get(Reservation, reservation_id)
        assert (r.status, r.room.housekeeping_status) == ("checked_out", "dirty")
        assert r.checked_out_at is not None
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "checked_out" in actions and "room_status_set" in actions
        assert "101" in [room.number for room in free_rooms(
            session, hotel.id, JULY_10, date(2026, 7, 12))]
        assert departures_of_day(session, alice, hotel.id, date(2026, 7, 12)) == []
    assert nights(database, "R1") == []
    with pytest.raises(Exception) as again, database.write() as session:
        check_out(session, alice, hotel.id, reservation_id)
    assert getattr(again.value, "key", "") == "stay.error_not_in_house"


def test_reservations_staff_cannot_check_out(database, hotel, rita, alice):
    from core.auth import PermissionDenied

    reservation_id = _in_house(database, hotel, rita, alice)
    with pytest.raises(PermissionDenied), database.write() as session:
        check_out(session, rita, hotel.id, reservation_id)


def test_the_text_report_says_the_row_came_in_without_its_room(
    database_url, database, hotel, rita, tmp_path, capsys
):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
    path = tmp_path / "arrivals.csv"
    path.write_text(IMPORT_HEADER + "R2,John Smith,2026-07-11,2026-07-13,101\n")
    assert main(["import", str(path)]) == 1
    report = capsys.readouterr().out
    assert "created 1" in report and "rejected 0" in report
    assert "Imported without their room:" in report and "Rows not imported" not in report


def test_a_move_over_someone_elses_move_is_refused_with_who_and_where(
    database, hotel, rita, alice, maria
):
    from core.errors import UserError
    from guests.rooms import add_room

    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", "Marie Dubois", "101"))
        for number in ("102", "103"):
            add_room(session, system_actor(hotel.id), hotel.id, number)
    moved = reservation(database, hotel, "R1")
    with database.write() as session:
        move_reservation(session, maria, hotel.id, moved.id, "102", from_room="101")
    with pytest.raises(UserError) as refused, database.write() as session:
        move_reservation(session, alice, hotel.id, moved.id, "103", from_room="101")
    assert refused.value.key == "stay.error_moved_meanwhile"
    assert (refused.value.values["who"], refused.value.values["room"]) == ("Maria Manager", "102")
    assert reservation(database, hotel, "R1").room.number == "102"
