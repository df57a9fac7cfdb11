"""The escalation scan over 100,000 open tasks of which 1,000 are overdue (SQLite by default).

Prints the time of one run of the escalation job (claim its slot, raise the overdue tasks'
levels with two conditional UPDATEs, notify the departments and the managers, audit, commit)
next to a baseline measured in the same run: one indexed SELECT of the overdue rows. Then a
second run, when every overdue task is already escalated (the steady state every 5 minutes).
Target: under 1 s.

    .venv/bin/python benchmarks/bench_escalation.py
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python benchmarks/bench_escalation.py   # an empty PostgreSQL database
"""

from __future__ import annotations

import os
import sys
import tempfile
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from core.auth import system_actor
from core.clock import set_now
from core.notifications import Notification
from core.scheduling import run_job
from core.startup import ready_database
from guests.models import Guest, Reservation
from guests.properties import create_property
from requests.models import Request, Task

TASKS = 100_000
OVERDUE = 1_000
TASKS_PER_STAY = 4
NOW = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
CODES = ("baby_cot", "extra_pillows", "late_check_out", "welcome_amenity")
DEPARTMENTS = ("housekeeping", "housekeeping", "front_desk", "food_beverage")
BASELINE = text(
    "SELECT id, due_at FROM tasks WHERE property_id = :p "
    "AND status IN ('open', 'in_progress') AND due_at <= :now"
)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench_escalation_')) / 'hotel.db'}"
    )
    database = ready_database(url)
    set_now(NOW - timedelta(days=1))
    with database.write() as session:
        hotel_id = create_property(session, system_actor(None), code="BENCH", name="Bench").id
    stays = TASKS // TASKS_PER_STAY
    first = date(2027, 3, 10)
    with database.write() as session:
        guest_ids = session.scalars(
            insert(Guest).returning(Guest.id),
            [
                {"property_id": hotel_id, "name": f"Guest {n}", "preferences": []}
                for n in range(stays)
            ],
        ).all()
        reservation_ids = session.scalars(
            insert(Reservation).returning(Reservation.id),
            [
                {
                    "property_id": hotel_id,
                    "confirmation_number": f"B{n:06d}",
                    "guest_id": guest_ids[n],
                    "arrival_date": first + timedelta(days=n % 30),
                    "departure_date": first + timedelta(days=n % 30 + 2),
                    "version": 1,
                }
                for n in range(stays)
            ],
        ).all()
        request_ids = session.scalars(
            insert(Request).returning(Request.id),
            [
                {
                    "property_id": hotel_id,
                    "reservation_id": reservation_ids[n // TASKS_PER_STAY],
                    "code": CODES[n % TASKS_PER_STAY],
                    "original_text": "",
                    "matched_text": "",
                }
                for n in range(TASKS)
            ],
        ).all()
        session.execute(
            insert(Task),
            [
                {
                    "property_id": hotel_id,
                    "reservation_id": reservation_ids[n // TASKS_PER_STAY],
                    "request_id": request_ids[n],
                    "department": DEPARTMENTS[n % TASKS_PER_STAY if n % 100 else (n // 100) % 4],
                    # Every 100th task is overdue by up to 2 hours; the rest are due later.
                    "due_at": NOW - timedelta(seconds=7200 * (n // 100) / OVERDUE + 1)
                    if n % 100 == 0
                    else NOW + timedelta(minutes=60 + n % 40_000),
                    "status": "open",
                    "escalation_level": 0,
                    "version": 1,
                }
                for n in range(TASKS)
            ],
        )
    with database.read() as session:
        open_tasks = session.scalar(select(func.count(Task.id)).where(Task.status == "open"))
        session.connection().exec_driver_sql("ANALYZE" if database.is_sqlite else "ANALYZE tasks")

    set_now(NOW)
    with database.read() as session:  # warm the cache as the job will find it
        session.execute(BASELINE, {"p": hotel_id, "now": _bind(database, NOW)}).all()
    started = clock.perf_counter()
    with database.read() as session:
        overdue_rows = session.execute(BASELINE, {"p": hotel_id, "now": _bind(database, NOW)}).all()
    baseline = clock.perf_counter() - started
    with database.read() as session:
        plan = session.execute(
            text(("EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN ") + BASELINE.text),
            {"p": hotel_id, "now": _bind(database, NOW)},
        ).all()

    started = clock.perf_counter()
    outcome = run_job(database, "escalate_overdue", hotel_id, NOW, holder="bench")
    first_run = clock.perf_counter() - started
    assert outcome is not None and outcome.status == "ok", outcome

    set_now(NOW + timedelta(minutes=5))
    started = clock.perf_counter()
    again = run_job(
        database, "escalate_overdue", hotel_id, NOW + timedelta(minutes=5), holder="bench"
    )
    steady = clock.perf_counter() - started
    assert again is not None and again.status == "ok", again
    with database.read() as session:
        notifications = session.scalar(select(func.count(Notification.id)))

    print(
        f"database: {'SQLite' if database.is_sqlite else 'PostgreSQL'}; "
        f"open tasks: {open_tasks:,}, overdue: {len(overdue_rows):,}"
    )
    print(f"baseline plan: {' / '.join(str(row[-1]) for row in plan)}")
    print(f"baseline, one indexed SELECT of the overdue rows: {baseline * 1000:.1f} ms")
    print(
        f"escalation run, first (escalates; {outcome.result}; {notifications:,} "
        f"notifications): {first_run * 1000:.0f} ms; target < 1000 ms"
    )
    print(f"  ratio first run / baseline: {first_run / baseline:.1f}x")
    print(
        f"escalation run, steady state (all already escalated; {again.result}): "
        f"{steady * 1000:.1f} ms"
    )
    print(f"  ratio steady run / baseline: {steady / baseline:.1f}x")


def _bind(database, moment: datetime) -> object:
    """The SELECT is written in SQL: pass the instant as each database stores it."""
    return moment.replace(tzinfo=None) if database.is_sqlite else moment


if __name__ == "__main__":
    main()
