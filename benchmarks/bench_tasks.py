"""Tasks for 5,000 reservations with 2 wishes each (10,000 tasks) on SQLite.

Prints the time to turn the saved reservations' wishes into requests and tasks (parse, deadlines,
inserts and audit events) next to a baseline measured in the same run: one bare executemany of
the same 10,000 task rows into a bare table. Target: under 3 s.

    .venv/bin/python benchmarks/bench_tasks.py
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time as clock
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from core.auth import system_actor
from core.startup import ready_database
from guests.models import Guest, Reservation
from guests.properties import create_property
from requests.models import Task
from requests.wishes import sync_reservations

RESERVATIONS = 5_000
TWO_WISHES = (
    "Un lit bébé et des oreillers supplémentaires svp",
    "Late check-out please, and a parking space",
    "Bitte ein ruhiges Zimmer und ein Babybett",
    "Una cama supletoria y toallas extra, gracias",
    "Camera con vista e parcheggio per favore",
    "Hypoallergenic bedding and a bathtub if possible",
    "Chambre non-fumeur et navette aéroport svp",
    "Wake-up call at 6:30 and extra towels please",
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_tasks_"))
    url = f"sqlite:///{folder / 'hotel.db'}"
    database = ready_database(url)
    system = system_actor(None, "benchmark")
    with database.write() as session:
        hotel = create_property(session, system, code="BENCH", name="Bench Hotel")
        hotel_id = hotel.id
    first = date(2027, 3, 1)
    with database.write() as session:
        guest_ids = session.scalars(
            insert(Guest).returning(Guest.id),
            [{"property_id": hotel_id, "name": f"Guest {n}", "preferences": []}
             for n in range(RESERVATIONS)],
        ).all()
        session.execute(
            insert(Reservation),
            [
                {
                    "property_id": hotel_id, "confirmation_number": f"B{n:06d}",
                    "guest_id": guest_ids[n], "arrival_date": first + timedelta(days=n % 60),
                    "departure_date": first + timedelta(days=n % 60 + 2),
                    "wish_text": TWO_WISHES[n % len(TWO_WISHES)], "version": 1,
                }
                for n in range(RESERVATIONS)
            ],
        )
    with database.read() as session:
        ids = list(session.scalars(select(Reservation.id).order_by(Reservation.id)))

    started = clock.perf_counter()
    with database.write() as session:
        report = sync_reservations(session, system_actor(hotel_id, "benchmark"), ids)
    ours = clock.perf_counter() - started

    with database.read() as session:
        rows = [
            (t.property_id, t.reservation_id, t.request_id, t.kind, t.department,
             t.due_at.isoformat(), t.service_date, t.status)
            for t in session.scalars(select(Task))
        ]
    bare = sqlite3.connect(folder / "bare.db")
    bare.execute("CREATE TABLE tasks (property_id, reservation_id, request_id, kind, department,"
                 " due_at, service_date, status)")
    started = clock.perf_counter()
    with bare:
        bare.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    baseline = clock.perf_counter() - started
    bare.close()

    print(f"reservations: {RESERVATIONS}, requests created: {report.requests_created}, "
          f"tasks created: {report.tasks_created}")
    print(f"wishes -> tasks (parse, deadlines, inserts, audit): {ours:.2f} s "
          f"({report.tasks_created / ours:,.0f} tasks/s); target < 3 s")
    print(f"baseline, bare executemany of the same {len(rows)} rows: {baseline:.3f} s")
    print(f"ratio ours / baseline: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()
