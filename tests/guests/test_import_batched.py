"""The short-transaction import does what the one-transaction import does: the same rows, the
same rooms left out (and why), the same tasks and audit events; only in batches."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core import clock
from core.auth import system_actor
from core.models import AuditEvent
from guests.import_run import _pause_after, import_in_batches
from guests.importer import read_file, run_import
from guests.models import Reservation
from guests.properties import create_property
from requests.models import Request, Task

HEADER = "Conf. No;Guest Name;Arrival;Departure;Room;Email;Specials\n"
# R2 wants room 101 on a night R1 holds, R4 clashes with R3 of the same file (another batch
# when batches are of two rows), R5 repeats R1's wish text, R6 has an understood wish.
FILE = (
    HEADER
    + "R1;Marie Dubois;10/07/2026;12/07/2026;101;marie@example.com;baby cot please\n"
    + "R2;John Smith;11/07/2026;13/07/2026;101;;quiet room please\n"
    + "R3;Ana Lima;11/07/2026;12/07/2026;102;ana@example.com;\n"
    + "R4;Li Wei;11/07/2026;12/07/2026;102;;late check-out please\n"
    + "R5;Marie Dubois;20/07/2026;22/07/2026;101;marie@example.com;baby cot please\n"
    + "R6;Paul Martin;21/07/2026;23/07/2026;;;extra pillows please\n"
)


def outcome(database, property_id: int, summary) -> dict:
    with database.read() as session:
        rows = [
            (r.confirmation_number, r.room.number if r.room else None, r.guest.name,
             sorted(q.code for q in r.requests),
             sorted((t.department, t.owner_id is None, t.due_at.isoformat(), t.service_date)
                    for q in r.requests for t in q.tasks))
            for r in session.scalars(
                select(Reservation).where(Reservation.property_id == property_id)
                .order_by(Reservation.confirmation_number)).unique()
        ]
        events = sorted(tuple(row) for row in session.execute(
            select(AuditEvent.action, AuditEvent.entity, func.count())
            .where(AuditEvent.property_id == property_id,
                   AuditEvent.action.not_in(("reservations_imported", "property_created")))
            .group_by(AuditEvent.action, AuditEvent.entity)).all())
        guests = session.scalar(select(func.count(func.distinct(Reservation.guest_id)))
                                .where(Reservation.property_id == property_id))
        requests_ = session.scalar(select(func.count(Request.id))
                                   .where(Request.property_id == property_id))
        tasks = session.scalar(select(func.count(Task.id)).where(Task.property_id == property_id))
    problems = [(p.row, p.column, p.key, p.values) for p in summary.errors]
    totals = (summary.created, summary.updated, summary.unchanged, summary.requests_created,
              summary.tasks_created)
    return {"rows": rows, "events": events, "guests": guests, "counts": (requests_, tasks),
            "problems": problems, "totals": totals}


def test_batches_give_what_one_transaction_gives(database, hotel):
    clock.set_now(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))  # deadlines ahead, not "from now"
    with database.write() as session:
        other = create_property(session, system_actor(None), code="OTHER", name="Hôtel Autre")
    with database.write() as session:
        summary = run_import(session, system_actor(hotel.id, "import"), hotel.id,
                             read_file(FILE.encode(), "arrivals.csv"))
    single = outcome(database, hotel.id, summary)
    summary = import_in_batches(database, system_actor(other.id, "import"), other.id,
                                read_file(FILE.encode(), "arrivals.csv"), batch_rows=2)
    batches = outcome(database, other.id, summary)
    assert [p[:3] for p in single["problems"]] == [(3, "room", "import.error_room_taken"),
                                                     (5, "room", "import.error_room_taken")]
    assert single["problems"][0][3]["number"] == "R1"
    assert single["problems"][1][3]["number"] == "R3"
    assert single["guests"] == 5  # Marie Dubois twice is one guest
    assert single["counts"][1] > 0
    assert batches == single


def test_an_unchanged_file_again_changes_nothing_in_batches(database, hotel, rita):
    parsed = read_file(FILE.encode(), "arrivals.csv")
    first = import_in_batches(database, rita, hotel.id, parsed, batch_rows=2)
    again = import_in_batches(database, rita, hotel.id, read_file(FILE.encode(), "a.csv"))
    assert (first.created, first.tasks_created) == (6, 5)
    assert (again.created, again.updated, again.unchanged, again.tasks_created) == (0, 0, 6, 0)


def test_the_pause_outlasts_the_sleep_of_a_writer_that_waited_during_the_batch():
    # SQLite's busy handler: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms steps.
    assert _pause_after(0.004) >= 0.005  # waited 3 ms at most: sleeping 5 ms
    assert _pause_after(0.1) >= 0.025
    assert _pause_after(0.2) >= 0.05
    assert _pause_after(0.3) >= 0.1
    assert _pause_after(5.0) >= 0.1
