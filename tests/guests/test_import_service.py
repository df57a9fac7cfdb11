"""Importing arrivals into the database: idempotent, every change followed, nothing lost."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from core import clock
from core.auth import PermissionDenied
from core.models import AuditEvent
from guests import importer
from guests.importer import plan_import, problems_csv, read_file, run_import
from guests.models import Guest, ImportRecord, Reservation, Room
from guests.reservations import ReservationInput, reservation_input, save_reservation
from requests import tasks as tasks_service
from requests.models import Request, Task
from requests.wishes import WishChoice, correct_wishes

HEADER = ["Conf. No", "Guest Name", "Arrival", "Departure", "Room", "ETA", "Email", "Status",
          "Specials"]


@pytest.fixture(autouse=True)
def early_july():
    clock.set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))


def row(number: str, name: str = "Marie Dubois", arrival: str = "14/07/2026",
        departure: str = "16/07/2026", room: str = "", eta: str = "", email: str = "",
        status: str = "", wishes: str = "") -> list[str]:
    return [number, name, arrival, departure, room, eta, email, status, wishes]


def export(*rows: list[str], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def run(database, who, hotel, data: bytes, name: str = "arrivals.csv", **options):
    with database.write() as session:
        return run_import(session, who, hotel.id, read_file(data, name), **options)


def reservation(database, hotel, number: str) -> Reservation:
    with database.read() as session:
        found = session.scalar(select(Reservation).where(
            Reservation.property_id == hotel.id, Reservation.confirmation_number == number))
        assert found is not None
        return found


def tasks(database, reservation_id: int) -> list[Task]:
    with database.read() as session:
        return list(session.scalars(
            select(Task).where(Task.reservation_id == reservation_id).order_by(Task.id)))


def wishes(database, reservation_id: int) -> dict[str, str]:
    with database.read() as session:
        return {r.code: r.status for r in session.scalars(
            select(Request).where(Request.reservation_id == reservation_id))}


def counts(database) -> dict[str, int]:
    with database.read() as session:
        return {table.__name__: session.scalar(select(func.count()).select_from(table))
                for table in (Guest, Reservation, Room, Request, Task, AuditEvent)}


FIRST_FILE = export(
    row("C100", room="104", eta="23h30", wishes="Un lit bébé svp, merci"),
    row("C101", "James Whitfield", "14.07.2026", "2026-07-17", "510",
        wishes="Quiet room please, away from the lift."),
    row("C102", "Hannah Schmidt", "15/07/26", "19/07/26"),
)


def test_a_first_import_creates_reservations_rooms_wishes_and_tasks(database, hotel, rita):
    summary = run(database, rita, hotel, FIRST_FILE)
    assert (summary.created, summary.updated, summary.unchanged, summary.cancelled) == (3, 0, 0, 0)
    assert summary.errors == []
    cot = reservation(database, hotel, "C100")
    assert (cot.room.number, cot.eta.strftime("%H:%M"), cot.source) == ("104", "23:30", "import")
    assert wishes(database, cot.id) == {"baby_cot": "active"}
    assert summary.requests_created >= 2
    assert summary.tasks_created == sum(len(tasks(database, reservation(database, hotel, n).id))
                                        for n in ("C100", "C101", "C102"))
    assert counts(database)["Room"] == 2


def test_importing_the_same_file_again_changes_nothing(database, hotel, rita):
    run(database, rita, hotel, FIRST_FILE)
    before = counts(database)
    again = run(database, rita, hotel, FIRST_FILE)
    after = counts(database)
    assert (again.created, again.updated, again.unchanged, again.cancelled) == (0, 0, 3, 0)
    assert (again.requests_created, again.tasks_created, again.tasks_cancelled) == (0, 0, 0)
    assert after == {**before, "AuditEvent": before["AuditEvent"] + 1}  # the import's own record


def test_the_rooms_a_first_import_brings_are_added_once_each_and_audited(database, hotel, rita):
    run(database, rita, hotel, export(row("C100", room="104"), row("C101", room="510"),
                                      row("C102", room="104", arrival="20/07/2026",
                                          departure="21/07/2026")))
    with database.read() as session:
        rooms = session.scalars(select(Room.number).where(Room.property_id == hotel.id)).all()
        said = session.scalars(select(AuditEvent).where(AuditEvent.action == "room_created")
                               ).all()
    assert sorted(rooms) == ["104", "510"]
    assert sorted((e.after["number"], e.after["floor"], e.after["housekeeping_status"],
                   e.actor_name) for e in said) == [
        ("104", 0, "dirty", rita.name), ("510", 0, "dirty", rita.name)]


def test_an_arrival_time_in_the_wishes_of_a_new_row_is_stored_audited_and_kept_next_time(
    database, hotel, rita
):
    """The bulk creation reads no reservation back: the ETA the wishes give is written to
    the row it inserted, as a save would (a new version, an audit line)."""
    late = export(row("C100", wishes="We will arrive around 11pm"), row("C101"))
    summary = run(database, rita, hotel, late)
    assert summary.created == 2
    stored = reservation(database, hotel, "C100")
    assert (stored.eta, stored.version) == (datetime(2026, 7, 14, 23, 0).time(), 2)
    assert reservation(database, hotel, "C101").eta is None
    with database.read() as session:
        said = session.scalars(select(AuditEvent.after).where(
            AuditEvent.action == "reservation_eta_from_wishes",
            AuditEvent.entity_id == str(stored.id))).all()
    assert said == [{"eta": "23:00"}]
    again = run(database, rita, hotel, late)
    assert (again.unchanged, again.updated) == (2, 0)
    assert reservation(database, hotel, "C100").eta == stored.eta


def test_a_changed_arrival_moves_the_open_tasks(database, hotel, rita):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    [task] = tasks(database, reservation(database, hotel, "C100").id)
    summary = run(database, rita, hotel, export(
        row("C100", arrival="17/07/2026", departure="19/07/2026", wishes="baby cot please")))
    assert (summary.updated, summary.tasks_created, summary.tasks_cancelled) == (1, 0, 0)
    [moved] = tasks(database, reservation(database, hotel, "C100").id)
    assert moved.id == task.id
    assert moved.due_at - task.due_at == timedelta(days=3)


def test_a_changed_wish_adds_one_task_and_cancels_another(database, hotel, rita):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    summary = run(database, rita, hotel, export(row("C100", wishes="extra pillows please")))
    number = reservation(database, hotel, "C100").id
    assert wishes(database, number) == {"baby_cot": "cancelled", "extra_pillows": "active"}
    assert (summary.updated, summary.tasks_created, summary.tasks_cancelled) == (1, 1, 1)


def test_a_cancelled_row_cancels_the_reservation_and_its_open_tasks_not_the_done_ones(
    database, hotel, rita, hugo
):
    run(database, rita, hotel, export(row("C100", wishes="baby cot and extra pillows please")))
    number = reservation(database, hotel, "C100").id
    done, still_open = tasks(database, number)
    with database.write() as session:
        tasks_service.change_task_status(session, hugo, done.id, done.version, "done")
    summary = run(database, rita, hotel, export(
        row("C100", status="Annulée", wishes="baby cot and extra pillows please")))
    assert (summary.cancelled, summary.tasks_cancelled) == (1, 1)
    assert reservation(database, hotel, "C100").status == "cancelled"
    assert {t.id: t.status for t in tasks(database, number)} == {
        done.id: "done", still_open.id: "cancelled"}


def test_a_finished_task_is_neither_reopened_nor_duplicated_by_a_reimport(
    database, hotel, rita, hugo
):
    first = export(row("C100", wishes="baby cot please"))
    run(database, rita, hotel, first)
    [task] = tasks(database, reservation(database, hotel, "C100").id)
    with database.write() as session:
        tasks_service.change_task_status(session, hugo, task.id, task.version, "done")
    run(database, rita, hotel, first)
    run(database, rita, hotel, export(row("C100", departure="18/07/2026",
                                          wishes="baby cot please")))
    [after] = tasks(database, reservation(database, hotel, "C100").id)
    assert (after.id, after.status) == (task.id, "done")


def test_a_wish_text_staff_changed_in_the_app_is_kept_and_the_conflict_reported(
    database, hotel, rita
):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    with database.write() as session:
        form = reservation_input(reservation(database, hotel, "C100"))
        form.wish_text = "baby cot please, and a quiet room (phoned in)"
        save_reservation(session, rita, hotel.id, form)
    summary = run(database, rita, hotel, export(row("C100", wishes="extra pillows please")))
    assert reservation(database, hotel, "C100").wish_text == (
        "baby cot please, and a quiet room (phoned in)")
    [conflict] = summary.conflicts
    assert (conflict.row, conflict.key) == (2, "import.conflict_wish_text")
    assert "C100" in conflict.english()
    # The same file again: nothing new to say, nothing reported again.
    assert run(database, rita, hotel, export(row("C100", wishes="extra pillows please"))
               ).conflicts == []


def test_the_file_still_moves_the_dates_of_a_reservation_whose_wishes_staff_changed(
    database, hotel, rita
):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    with database.write() as session:
        form = reservation_input(reservation(database, hotel, "C100"))
        form.wish_text = "baby cot please (confirmed by phone)"
        save_reservation(session, rita, hotel.id, form)
    run(database, rita, hotel, export(row("C100", departure="20/07/2026",
                                          wishes="baby cot please")))
    found = reservation(database, hotel, "C100")
    assert found.departure_date == date(2026, 7, 20)
    assert found.wish_text == "baby cot please (confirmed by phone)"


def test_a_wish_staff_corrected_is_not_overwritten_by_the_file(database, hotel, rita):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    number = reservation(database, hotel, "C100").id
    with database.write() as session:
        correct_wishes(session, rita, number, [WishChoice("extra_pillows", 2)])
    run(database, rita, hotel, export(row("C100", arrival="15/07/2026",
                                          wishes="baby cot please")))
    assert wishes(database, number) == {"baby_cot": "cancelled", "extra_pillows": "active"}


def test_a_reservation_missing_from_a_later_file_is_left_alone(database, hotel, rita):
    run(database, rita, hotel, FIRST_FILE)
    summary = run(database, rita, hotel, export(row("C100", room="104", eta="23h30",
                                                    wishes="Un lit bébé svp, merci")))
    assert summary.cancelled == 0
    assert reservation(database, hotel, "C101").status == "booked"


def test_replace_range_cancels_what_the_file_misses_in_its_dates_only(database, hotel, rita):
    run(database, rita, hotel, export(
        row("C1", arrival="13/07/2026", departure="14/07/2026"),  # before the range
        row("C2", arrival="14/07/2026", wishes="baby cot please"),  # missing: cancelled
        row("C3", arrival="15/07/2026"),  # in the file with a bad row: kept
        row("C4", arrival="16/07/2026", departure="18/07/2026"),  # in the file: kept
        row("C5", arrival="17/07/2026", departure="18/07/2026"),  # after the range
    ))
    later = export(row("C4", arrival="14/07/2026", departure="18/07/2026"),
                   row("C3", arrival="16/07/2026", departure="15/07/2026"),
                   row("C6", arrival="16/07/2026", departure="17/07/2026"))
    with database.read() as session:
        plan = plan_import(session, rita, hotel.id, read_file(later, "later.csv"),
                           replace_range=True)
    assert [r.confirmation_number for r in plan.missing] == ["C2"]
    summary = run(database, rita, hotel, later, replace_range=True)
    assert (summary.created, summary.updated, summary.cancelled) == (1, 1, 1)
    assert summary.tasks_cancelled == 1
    statuses = {n: reservation(database, hotel, n).status for n in ("C1", "C2", "C3", "C4", "C5")}
    assert statuses == {"C1": "booked", "C2": "cancelled", "C3": "booked", "C4": "booked",
                        "C5": "booked"}
    # The first file again names C2 as booked: it is reinstated.
    run(database, rita, hotel, export(row("C2", arrival="14/07/2026", wishes="baby cot please")))
    assert reservation(database, hotel, "C2").status == "booked"


def test_a_bad_row_writes_nothing_and_the_good_rows_still_import(database, hotel, rita):
    before = counts(database)
    summary = run(database, rita, hotel, export(
        row("C1", room="201", wishes="baby cot please"),
        row("C2", room="202", arrival="16/07/2026", departure="15/07/2026",
            wishes="extra pillows please"),
        row("", room="203", wishes="champagne"),
    ))
    assert summary.created == 1
    assert [(p.row, p.column) for p in summary.errors] == [(3, "Departure"), (4, "Conf. No")]
    assert summary.exit_status == 1
    after = counts(database)
    assert after["Reservation"] - before["Reservation"] == 1
    assert after["Room"] - before["Room"] == 1
    with database.read() as session:
        assert session.scalar(select(Room.number).where(Room.property_id == hotel.id)) == "201"


def test_each_import_is_recorded_with_its_file_who_when_and_counts(database, hotel, maria):
    data = export(row("C1", wishes="baby cot please"), row("C2", arrival="bad"))
    summary = run(database, maria, hotel, data, name="opera-arrivals.csv")
    with database.read() as session:
        [record] = session.scalars(select(ImportRecord))
    assert record.id == summary.import_id
    assert (record.file_name, record.actor_name, record.actor_id) == (
        "opera-arrivals.csv", "Maria Manager", maria.id)
    assert record.file_hash == read_file(data, "x").export.sha256
    assert record.started_at == clock.now() and record.finished_at is not None
    assert (record.rows, record.created, record.rejected) == (2, 1, 1)
    assert record.tasks_created == summary.tasks_created == 1
    assert record.errors[0]["row"] == 3


def test_only_reservations_and_managers_may_import(database, hotel, rita, maria, hugo, alice):
    for who in (hugo, alice):
        with pytest.raises(PermissionDenied), database.write() as session:
            run_import(session, who, hotel.id, read_file(FIRST_FILE, "a.csv"))
    assert counts(database)["Reservation"] == 0
    assert run(database, maria, hotel, FIRST_FILE).created == 3


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(database, hotel, rita):
    before = counts(database)
    summary = run(database, rita, hotel, FIRST_FILE, dry_run=True)
    assert (summary.created, summary.tasks_created > 0, summary.import_id) == (3, True, None)
    assert counts(database) == before
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportRecord)) == 0


def test_the_preview_counts_rows_to_create_update_cancel_and_leave(database, hotel, rita):
    run(database, rita, hotel, FIRST_FILE)
    changed = export(
        row("C100", room="104", eta="23h30", wishes="Un lit bébé svp, merci"),
        row("C101", "James Whitfield", "14.07.2026", "2026-07-18", "510",
            wishes="Quiet room please, away from the lift."),
        row("C102", "Hannah Schmidt", "15/07/26", "19/07/26", status="cancelled"),
        row("C103", "New Guest"),
        row("C104", "Bad", "32/07/2026"),
    )
    with database.read() as session:
        plan = plan_import(session, rita, hotel.id, read_file(changed, "b.csv"))
    assert {a: plan.count(a) for a in ("create", "update", "cancel", "unchanged")} == {
        "create": 1, "update": 1, "cancel": 1, "unchanged": 1}
    assert len(plan.parsed.problems) == 1
    assert counts(database)["Reservation"] == 3


def test_a_guest_already_checked_in_is_not_cancelled_by_a_file(database, hotel, rita):
    run(database, rita, hotel, export(row("C100")))
    with database.write() as session:
        session.get(Reservation, reservation(database, hotel, "C100").id).status = "checked_in"
    summary = run(database, rita, hotel, export(row("C100", status="cancelled")))
    assert reservation(database, hotel, "C100").status == "checked_in"
    assert [c.key for c in summary.conflicts] == ["import.conflict_status"]


def test_guests_are_recognised_by_email_across_reservations(database, hotel, rita):
    with database.write() as session:
        save_reservation(session, rita, hotel.id, ReservationInput(
            confirmation_number="OLD", guest_name="Marie Dubois", email="marie@example.com",
            arrival_date=date(2026, 3, 1), departure_date=date(2026, 3, 2)))
    run(database, rita, hotel, export(row("C1", email="MARIE@example.com"),
                                      row("C2", arrival="20/07/2026", departure="21/07/2026",
                                          email="marie@example.com")))
    ids = {reservation(database, hotel, n).guest_id for n in ("OLD", "C1", "C2")}
    assert len(ids) == 1


def test_when_the_database_refuses_the_bulk_insert_rows_are_saved_one_by_one(
    database, hotel, rita, monkeypatch
):
    def refuse(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(importer, "create_reservations", refuse)
    summary = run(database, rita, hotel, FIRST_FILE)
    assert (summary.created, summary.errors) == (3, [])
    assert wishes(database, reservation(database, hotel, "C100").id) == {"baby_cot": "active"}


def test_the_rejected_rows_download_cannot_run_formulas():
    summary = read_file(export(
        row("=1+1", arrival="=cmd|' /C calc'!A0"),
        row("+C2", arrival="@SUM(A1)"),
        row("-C3", arrival="-3"),
    ), "evil.csv")
    text = problems_csv(summary.problems, "en").decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert cells[:3] == ["Row", "Column", "Message"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'-") or "=cmd" in cell for cell in cells)
    french = problems_csv(summary.problems, "fr").decode("utf-8-sig")
    assert french.startswith("Ligne,Colonne,Motif")


def test_a_wish_staff_corrected_is_reported_when_the_file_names_it_again(database, hotel, rita):
    run(database, rita, hotel, export(row("C100", wishes="baby cot please")))
    number = reservation(database, hotel, "C100").id
    with database.write() as session:
        correct_wishes(session, rita, number, [WishChoice("baby_cot", 2)])
    summary = run(database, rita, hotel, export(row("C100", departure="18/07/2026",
                                                    wishes="baby cot please")))
    [conflict] = summary.conflicts
    assert (conflict.key, conflict.values) == ("import.conflict_request", {"codes": "baby_cot"})
    with database.read() as session:
        [cot] = session.scalars(select(Request).where(Request.reservation_id == number))
    assert (cot.quantity, cot.status) == (2, "active")


def test_the_progress_bar_hears_how_far_the_import_is(database, hotel, rita):
    heard: list[tuple[int, int]] = []
    rows = [row(f"C{i}", arrival="14/07/2026") for i in range(150)]
    run(database, rita, hotel, export(*rows), progress=lambda done, total: heard.append(
        (done, total)))
    assert heard[-1] == (150, 150)
    assert heard == sorted(heard)
