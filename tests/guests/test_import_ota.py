"""Reservations from booking channels: OpenTravel XML through the same import as PMS exports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import String, Text, func, select

from core import clock
from core.db import get_database
from core.models import Base
from core.settings import ROOT
from guests.__main__ import main
from guests.importer import read_file, run_import
from guests.models import ImportedReservation, ImportRecord, Reservation, RoomNight
from requests import tasks as tasks_service
from requests.models import Request, Task

OTA = Path(__file__).parent / "data" / "ota"
CONTRACT = {"created", "updated", "unchanged", "cancelled", "errors", "unknown_columns",
            "requests_created", "tasks_created", "tasks_cancelled", "sheets_left_out"}
CARD_DATA = ("4111111111111111", "4111 1111 1111 1111", "4242", "Karl Kartenhalter", "0928")


@pytest.fixture(autouse=True)
def early_july():
    clock.set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))


def import_command(capsys, name: str, *args: str) -> tuple[int, dict]:
    status = main(["import", str(OTA / name), *args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def reservation(url: str, number: str) -> Reservation:
    with get_database(url).read() as session:
        found = session.scalar(select(Reservation).where(
            Reservation.confirmation_number == number))
        assert found is not None, number
        session.expunge(found)
        return found


def codes(url: str, number: str) -> set[str]:
    with get_database(url).read() as session:
        return set(session.scalars(
            select(Request.code).join(Reservation, Request.reservation_id == Reservation.id)
            .where(Reservation.confirmation_number == number)))


def every_text_value(url: str) -> str:
    """Every text column of every table, in one string to search."""
    database = get_database(url)
    found = []
    with database.read() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)
                       or c.type.__class__.__name__ == "JSON"]
            if columns:
                for row in session.execute(select(*columns)):
                    found += [json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
                              for v in row if v is not None]
    return "\n".join(found)


def test_a_new_booking_is_read_with_guest_stay_counts_room_eta_and_every_wish(
    empty_database_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    status, summary = import_command(capsys, "new_booking.xml")
    assert status == 0, summary
    assert set(summary) == CONTRACT
    assert (summary["created"], summary["errors"]) == (1, [])
    booked = reservation(empty_database_url, "OTA-5001")
    assert booked.guest.name == "Anna Schmidt"
    assert (booked.guest.email, booked.guest.phone) == ("anna.schmidt@example.de",
                                                        "+49 30 1234567")
    assert booked.guest.language == "de"
    assert (booked.arrival_date, booked.departure_date) == (date(2026, 7, 14), date(2026, 7, 17))
    assert (booked.adults, booked.children, booked.eta) == (2, 1, time(21, 30))
    assert (booked.room.number, booked.room_type) == ("104", "DBL")
    # "Extra bed": "Yes", a German sentence, a paid extra and a room-stay comment
    assert {"extra_bed", "baby_cot", "parking", "quiet_room"} <= codes(empty_database_url,
                                                                        "OTA-5001")
    with get_database(empty_database_url).read() as session:
        state = session.scalar(select(ImportedReservation))
        assert state.file_values["_request_codes"] == ["COT", "EB"]


def test_payment_data_is_never_stored_logged_audited_or_shown(
    empty_database_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    import_command(capsys, "new_booking.xml")
    import_command(capsys, "soap_multi_room.xml")
    done = subprocess.run(
        [sys.executable, "-m", "guests", "import", str(OTA / "new_booking.xml")], cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "DATABASE_URL": empty_database_url},
    )
    assert done.returncode == 0, done.stderr
    stored = every_text_value(empty_database_url)
    assert "Anna Schmidt" in stored  # the search does see the guest's data
    for secret in CARD_DATA:
        assert secret not in stored
        assert secret not in done.stdout + done.stderr
    assert "Camere adiacenti" in stored  # the comment that carried a card number is kept...
    typed = reservation(empty_database_url, "GRP-77-1").wish_text
    assert "[…]" in typed  # ...masked, the security code typed after it too
    assert "737" not in typed


def test_the_same_file_twice_changes_nothing(database_url, capsys):
    import_command(capsys, "new_booking.xml")
    status, summary = import_command(capsys, "new_booking.xml")
    assert (status, summary["created"], summary["unchanged"], summary["tasks_created"]) == (
        0, 0, 1, 0)


def test_of_two_versions_in_one_file_the_newer_wins_whatever_their_order(database_url, capsys):
    import_command(capsys, "new_booking.xml")
    status, summary = import_command(capsys, "versions.xml")
    assert (status, summary["updated"]) == (0, 1)
    changed = reservation(database_url, "OTA-5001")
    assert changed.departure_date == date(2026, 7, 18)  # the 07-03 version, not the 07-02 one
    assert changed.eta == time(18, 0)


def test_a_modification_older_than_what_was_imported_changes_nothing(database_url, capsys):
    import_command(capsys, "new_booking.xml")
    import_command(capsys, "versions.xml")
    status, summary = import_command(capsys, "older.xml")
    assert (status, summary["updated"], summary["unchanged"]) == (0, 0, 1)
    kept = reservation(database_url, "OTA-5001")
    assert (kept.arrival_date, kept.departure_date) == (date(2026, 7, 14), date(2026, 7, 18))
    assert kept.adults == 2


def test_a_soap_wrapped_multi_room_reservation_becomes_one_reservation_per_room(
    database_url, capsys
):
    status, summary = import_command(capsys, "soap_multi_room.xml")
    assert (status, summary["created"]) == (0, 3)
    first, second = (reservation(database_url, n) for n in ("GRP-77-1", "GRP-77-2"))
    assert (first.room_type, first.adults, first.children) == ("TWN", 2, 0)
    assert (second.room_type, second.adults, second.children) == ("DBL", 2, 1)  # an infant
    assert first.guest.name == second.guest.name == "Luca Bianchi"
    assert {"connecting_rooms", "twin_beds"} <= codes(database_url, "GRP-77-1")
    assert {"connecting_rooms", "baby_cot"} <= codes(database_url, "GRP-77-2")
    assert "Extra Bathrobe" in reservation(database_url, "OTA-6002").wish_text


def test_a_cancellation_of_a_reservation_staff_worked_on_keeps_what_was_done(
    database, hotel, hugo, capsys, database_url
):
    import_command(capsys, "new_booking.xml")
    booked = reservation(database_url, "OTA-5001")
    with database.write() as session:
        cot = session.scalar(select(Task).join(Request).where(
            Task.reservation_id == booked.id, Request.code == "baby_cot"))
        tasks_service.change_task_status(session, hugo, cot.id, cot.version, "done")
        done_id = cot.id
    status, summary = import_command(capsys, "cancel.xml")
    assert (status, summary["cancelled"], summary["errors"]) == (0, 1, [])
    assert summary["tasks_cancelled"] >= 1
    assert reservation(database_url, "OTA-5001").status == "cancelled"
    with database.read() as session:
        statuses = {t.id: t.status for t in session.scalars(
            select(Task).where(Task.reservation_id == booked.id))}
    assert statuses.pop(done_id) == "done"
    assert set(statuses.values()) == {"cancelled"}
    status, summary = import_command(capsys, "cancel.xml")  # the same cancellation again
    assert (status, summary["cancelled"], summary["unchanged"]) == (0, 0, 1)


@pytest.mark.parametrize("name", ["cancel_group.xml", "cancel_notif.xml"])
def test_cancelling_a_reservation_of_two_rooms_cancels_both_rooms(database_url, capsys, name):
    """By OTA_CancelRQ, or by a notification whose status sits on the message and whose id is
    only a ResID_Value: the channel's id is GRP-77, the rooms were imported as GRP-77-1 and -2."""
    import_command(capsys, "soap_multi_room.xml")
    status, summary = import_command(capsys, name)
    assert (status, summary["cancelled"], summary["errors"]) == (0, 2, [])
    assert {reservation(database_url, n).status for n in ("GRP-77-1", "GRP-77-2")} == {
        "cancelled"}
    assert reservation(database_url, "OTA-6002").status == "booked"
    with get_database(database_url).read() as session:
        open_tasks = session.scalar(select(func.count()).select_from(Task).join(
            Reservation, Task.reservation_id == Reservation.id).where(
            Reservation.confirmation_number.like("GRP-77-%"), Task.status == "open"))
    assert open_tasks == 0
    status, summary = import_command(capsys, name)  # the same cancellation again
    assert (status, summary["cancelled"]) == (0, 0)


def test_a_reservation_sent_again_marked_cancelled_is_cancelled(database_url, capsys):
    import_command(capsys, "new_booking.xml")
    status, summary = import_command(capsys, "cancel_with_stay.xml")
    assert (status, summary["cancelled"], summary["errors"]) == (0, 1, [])
    assert reservation(database_url, "OTA-5001").status == "cancelled"


def test_a_bad_reservation_exits_1_and_the_good_one_is_imported_as_from_a_csv(
    database_url, capsys
):
    status, summary = import_command(capsys, "bad_row.xml")
    assert set(summary) == CONTRACT
    assert (status, summary["created"]) == (1, 1)
    [error] = summary["errors"]
    assert (error["row"], error["column"]) == (2, "TimeSpan/@End")
    assert reservation(database_url, "OTA-7001").guest.name == "Good"


def test_a_cancellation_of_an_unknown_reservation_writes_nothing(database_url, capsys):
    status, summary = import_command(capsys, "cancel.xml")
    assert (status, summary["created"], summary["cancelled"], summary["unchanged"]) == (
        0, 0, 0, 1)
    with get_database(database_url).read() as session:
        assert session.scalar(select(func.count()).select_from(Reservation)) == 0


@pytest.mark.parametrize("name", ["entity_expansion.xml", "external_entity.xml"])
def test_xml_with_a_dtd_or_entities_is_refused_with_exit_2(database_url, capsys, name):
    status, summary = import_command(capsys, name)
    assert status == 2
    [error] = summary["errors"]
    assert "DTD" in error["message"]
    with get_database(database_url).read() as session:
        assert session.scalar(select(func.count()).select_from(ImportRecord)) == 0


@pytest.mark.parametrize("content", [
    b"<OTA_HotelResNotifRQ><HotelReservations>",  # cut short
    b"<?xml version='1.0'?><Invoice><Total>12</Total></Invoice>",  # no reservation
])
def test_malformed_or_foreign_xml_exits_2_with_a_clear_message(database_url, capsys, tmp_path,
                                                                content):
    path = tmp_path / "channel.xml"
    path.write_bytes(content)
    status = main(["import", str(path), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert status == 2
    assert "XML" in summary["errors"][0]["message"]


def test_the_planner_reads_xml_like_any_export(database, hotel, rita):
    parsed = read_file((OTA / "new_booking.xml").read_bytes(), "new_booking.xml")
    assert parsed.export.kind == "xml"
    with database.write() as session:
        summary = run_import(session, rita, hotel.id, parsed, dry_run=True)
    assert (summary.created, summary.dry_run) == (1, True)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Reservation)) == 0


# --- a later version with another number of rooms ------------------------------------------------


def finish_task(database, hugo, url: str, number: str, code: str) -> int:
    """The task of a wish on this reservation, done by housekeeping; its id."""
    booked = reservation(url, number)
    with database.write() as session:
        task = session.scalar(select(Task).join(Request).where(
            Task.reservation_id == booked.id, Request.code == code))
        assert task is not None, (number, code)
        tasks_service.change_task_status(session, hugo, task.id, task.version, "done")
        return task.id


def task_statuses(database, url: str, number: str) -> dict[int, str]:
    booked = reservation(url, number)
    with database.read() as session:
        return {task.id: task.status for task in session.scalars(
            select(Task).where(Task.reservation_id == booked.id))}


def nights_held(database, url: str, number: str) -> int:
    booked = reservation(url, number)
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(RoomNight).where(
            RoomNight.reservation_id == booked.id))


def numbers_of(database, prefix: str) -> list[str]:
    with database.read() as session:
        return sorted(session.scalars(select(Reservation.confirmation_number).where(
            Reservation.confirmation_number.startswith(prefix))))


def test_a_room_the_channel_drops_is_cancelled_and_the_room_it_keeps_keeps_its_work(
    database, hotel, hugo, capsys, database_url
):
    """OTA-8001 came with two rooms (OTA-8001-1, -2); its next version has only the first."""
    import_command(capsys, "rooms_two.xml")
    done_id = finish_task(database, hugo, database_url, "OTA-8001-1", "baby_cot")
    dropped_tasks = task_statuses(database, database_url, "OTA-8001-2")
    assert dropped_tasks and set(dropped_tasks.values()) == {"open"}
    assert nights_held(database, database_url, "OTA-8001-2") == 3
    status, summary = import_command(capsys, "rooms_two_then_first.xml")
    assert set(summary) == CONTRACT
    assert (status, summary["created"], summary["cancelled"], summary["errors"]) == (0, 0, 1, [])
    assert summary["tasks_cancelled"] == len(dropped_tasks)
    assert numbers_of(database, "OTA-8001") == ["OTA-8001-1", "OTA-8001-2"]  # no new OTA-8001
    kept, dropped = (reservation(database_url, n) for n in ("OTA-8001-1", "OTA-8001-2"))
    assert (kept.status, kept.room.number) == ("booked", "201")
    assert task_statuses(database, database_url, "OTA-8001-1")[done_id] == "done"
    assert "baby_cot" in codes(database_url, "OTA-8001-1")
    assert dropped.status == "cancelled"
    assert set(task_statuses(database, database_url, "OTA-8001-2").values()) == {"cancelled"}
    assert nights_held(database, database_url, "OTA-8001-2") == 0  # room 202 is free again
    status, summary = import_command(capsys, "rooms_two_then_first.xml")  # the same file again
    assert (status, summary["cancelled"], summary["created"], summary["unchanged"]) == (
        0, 0, 0, 1)


def test_when_the_channel_drops_the_first_room_the_second_keeps_its_number_and_its_work(
    database, hotel, hugo, capsys, database_url
):
    """The remaining room is recognised by what it says (type, room, guests, wishes), not by
    its place in the message: OTA-8001-2 stays, OTA-8001-1 is the one cancelled."""
    import_command(capsys, "rooms_two.xml")
    done_id = finish_task(database, hugo, database_url, "OTA-8001-2", "twin_beds")
    status, summary = import_command(capsys, "rooms_two_then_second.xml")
    assert (status, summary["created"], summary["cancelled"], summary["errors"]) == (0, 0, 1, [])
    kept, dropped = (reservation(database_url, n) for n in ("OTA-8001-2", "OTA-8001-1"))
    assert (kept.status, kept.room.number, kept.room_type) == ("booked", "202", "TWN")
    assert task_statuses(database, database_url, "OTA-8001-2")[done_id] == "done"
    assert dropped.status == "cancelled"
    assert set(task_statuses(database, database_url, "OTA-8001-1").values()) == {"cancelled"}
    assert nights_held(database, database_url, "OTA-8001-1") == 0


def test_a_room_the_channel_adds_is_added_next_to_the_room_already_imported(
    database, hotel, hugo, capsys, database_url
):
    """OTA-8101 came with one room (OTA-8101); its next version has two: the first stays
    OTA-8101, the second is OTA-8101-2, and a cancellation of OTA-8101 cancels both."""
    import_command(capsys, "room_one.xml")
    done_id = finish_task(database, hugo, database_url, "OTA-8101", "baby_cot")
    status, summary = import_command(capsys, "room_one_then_two.xml")
    assert set(summary) == CONTRACT
    assert (status, summary["created"], summary["cancelled"], summary["errors"]) == (0, 1, 0, [])
    assert numbers_of(database, "OTA-8101") == ["OTA-8101", "OTA-8101-2"]
    first, added = (reservation(database_url, n) for n in ("OTA-8101", "OTA-8101-2"))
    assert (first.status, first.room.number) == ("booked", "301")
    assert task_statuses(database, database_url, "OTA-8101")[done_id] == "done"
    assert (added.status, added.room.number, added.room_type) == ("booked", "302", "TWN")
    assert "twin_beds" in codes(database_url, "OTA-8101-2")
    status, summary = import_command(capsys, "room_one_then_two.xml")  # the same file again
    assert (status, summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 0, 2)
    status, summary = import_command(capsys, "cancel_8101.xml")
    assert (status, summary["cancelled"], summary["errors"]) == (0, 2, [])
    assert {reservation(database_url, n).status for n in ("OTA-8101", "OTA-8101-2")} == {
        "cancelled"}
    assert task_statuses(database, database_url, "OTA-8101")[done_id] == "done"


@pytest.mark.parametrize(("first", "later", "older"), [
    ("rooms_two.xml", "rooms_two_then_first.xml", ["OTA-8001-1", "OTA-8001-2"]),
    ("room_one.xml", "room_one_then_two.xml", ["OTA-8101", "OTA-8101-2"]),
])
def test_an_older_version_with_another_number_of_rooms_changes_nothing(
    database, capsys, database_url, first, later, older
):
    import_command(capsys, first)
    import_command(capsys, later)
    before = {n: reservation(database_url, n).status for n in older}
    status, summary = import_command(capsys, first)  # the older version, sent again
    assert (status, summary["created"], summary["updated"], summary["cancelled"]) == (0, 0, 0, 0)
    assert summary["unchanged"] >= 1
    assert {n: reservation(database_url, n).status for n in older} == before
    assert numbers_of(database, older[0][:len("OTA-8x01")]) == older  # no room added


def test_of_two_versions_with_another_number_of_rooms_in_one_file_only_the_newer_counts(
    database, capsys, database_url
):
    status, summary = import_command(capsys, "rooms_versions.xml")
    assert (status, summary["created"], summary["cancelled"]) == (0, 1, 0)
    assert numbers_of(database, "OTA-8201") == ["OTA-8201"]
    assert reservation(database_url, "OTA-8201").room.number == "401"


def test_the_rooms_of_one_reservation_are_never_split_between_two_batches(
    database, capsys, database_url, monkeypatch
):
    """Batches of one row: the two rooms of OTA-8101's new version still go in together, so
    neither is taken for the whole reservation."""
    monkeypatch.setenv("HOTEL_IMPORT_BATCH_ROWS", "1")
    import_command(capsys, "room_one.xml")
    status, summary = import_command(capsys, "room_one_then_two.xml")
    assert (status, summary["created"], summary["cancelled"]) == (0, 1, 0)
    first, added = (reservation(database_url, n) for n in ("OTA-8101", "OTA-8101-2"))
    assert (first.room.number, added.room.number) == ("301", "302")


def test_a_room_rejected_by_the_checks_is_not_taken_for_a_room_dropped(
    database, capsys, database_url
):
    import_command(capsys, "rooms_two.xml")
    status, summary = import_command(capsys, "rooms_two_one_bad.xml")
    assert (status, summary["cancelled"], summary["created"]) == (1, 0, 0)
    [error] = summary["errors"]
    assert error["column"] == "TimeSpan/@End"
    assert reservation(database_url, "OTA-8001-2").status == "booked"
    assert numbers_of(database, "OTA-8001") == ["OTA-8001-1", "OTA-8001-2"]


def test_a_room_dropped_and_sent_again_is_booked_again_under_its_own_number(
    database, capsys, database_url
):
    import_command(capsys, "rooms_two.xml")
    import_command(capsys, "rooms_two_then_first.xml")
    status, summary = import_command(capsys, "rooms_two_again.xml")
    assert (status, summary["created"], summary["updated"], summary["errors"]) == (0, 0, 1, [])
    assert numbers_of(database, "OTA-8001") == ["OTA-8001-1", "OTA-8001-2"]
    back = reservation(database_url, "OTA-8001-2")
    assert (back.status, back.room.number) == ("booked", "202")
    assert nights_held(database, database_url, "OTA-8001-2") == 3
    assert "open" in task_statuses(database, database_url, "OTA-8001-2").values()
