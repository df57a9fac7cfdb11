"""Imports that cannot take the server down: two figures, each next to a baseline of the same run.

    .venv/bin/python benchmarks/bench_import_sharing.py [--rows 100000] [--bomb-mb 1024]

1. The worst wait of a staff save (a reservation saved through the service, as the page does)
   while `python -m guests import` brings in a --rows export on SQLite, in its own process.
   Baseline: the same save with nothing else running. Target: worst wait under 1 s.
2. The time and peak memory (max RSS) of `python -m guests import` refusing a zip bomb: an
   .xlsx of a few MB that unpacks to --bomb-mb MB. Baseline: the same command importing a
   one-row CSV (the interpreter, the libraries, the migrations check). Target: under 200 MB
   and a few seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
import zipfile
from datetime import date

from benchmarks.bench_import import write_export

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
LOCKED: list[float] = []  # of each staff save, the wait for the write lock


def staff_save(database, who, hotel_id: int, adults: int) -> float:
    from guests.reservations import ReservationInput, save_reservation

    started = time.perf_counter()
    with database.write() as session:
        session.connection()  # BEGIN IMMEDIATE: waits for the write lock
        LOCKED.append(time.perf_counter() - started)
        save_reservation(session, who, hotel_id, ReservationInput(
            confirmation_number="STAFF-1", guest_name="Walk-in Guest",
            arrival_date=date(2026, 9, 1), departure_date=date(2026, 9, 3), adults=adults))
    return time.perf_counter() - started


def lock_wait(path: Path) -> float:
    """How long a writer waits for SQLite's write lock right now (BEGIN IMMEDIATE, then
    nothing): the part of a save that the import can make longer."""
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        waited = time.perf_counter() - started
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    return waited


def cli(path: Path, url: str) -> tuple[int, float, float, str]:
    """(exit status, seconds, peak MB, output) of `python -m guests import PATH --json`."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "guests", "import", str(path), "--json"],
                               cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    return (os.waitstatus_to_exitcode(status), time.perf_counter() - started,
            usage.ru_maxrss / 1024, output)


def saves_during_import(work: Path, rows: int) -> None:
    from core.auth import system_actor
    from core.startup import ready_database
    from guests.properties import create_property

    url = f"sqlite:///{work / 'sharing.db'}"
    os.environ["DATABASE_URL"] = url
    database = ready_database(url)
    with database.write() as session:
        hotel = create_property(session, system_actor(None), code="HOTEL", name="Hotel")
    desk = system_actor(hotel.id, "front desk")
    alone = [staff_save(database, desk, hotel.id, 1 + n % 2) for n in range(30)]
    alone_locks = [lock_wait(work / "sharing.db") for _ in range(30)]
    export = work / "arrivals.csv"
    write_export(export, rows)
    print(f"{rows} rows, {export.stat().st_size / 1e6:.1f} MB, SQLite; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    said = (work / "import.json").open("w+b")  # a file, not a pipe: a summary of thousands
    importing = subprocess.Popen(                # of row errors would fill the pipe and wait
        [sys.executable, "-m", "guests", "import", str(export), "--json"], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url}, stdout=said, stderr=subprocess.STDOUT)
    LOCKED.clear()
    during, locks = [], []
    while importing.poll() is None:
        during.append(staff_save(database, desk, hotel.id, 1 + len(during) % 2))
        locks.append(lock_wait(work / "sharing.db"))
        time.sleep(0.05)  # a person saves now and then, not in a tight loop
    took = time.perf_counter() - started
    said.seek(0)
    output = said.read().decode()
    said.close()
    print(f"import: exit {importing.returncode} in {took:.0f} s; {output[:160]}")
    worst, base = max(during), max(alone)
    print(f"staff save alone:          median {statistics.median(alone) * 1000:6.0f} ms, "
          f"worst {base * 1000:6.0f} ms (baseline)")
    print(f"staff save during import:  median {statistics.median(during) * 1000:6.0f} ms, "
          f"p95 {sorted(during)[int(len(during) * 0.95)] * 1000:6.0f} ms, "
          f"worst {worst * 1000:6.0f} ms (save #{during.index(worst) + 1}) "
          f"over {len(during)} saves "
          f"({worst / base:.1f} x baseline)")
    print(f"of which waiting for the write lock: worst {max(LOCKED) * 1000:6.0f} ms; the rest "
          f"is the save's own work on a machine at load {os.getloadavg()[0]:.1f}")
    print(f"write lock wait alone:     worst {max(alone_locks) * 1000:6.0f} ms (baseline); "
          f"during import: median {statistics.median(locks) * 1000:6.0f} ms, "
          f"worst {max(locks) * 1000:6.0f} ms over {len(locks)} tries")
    print(f"  {'met ' if worst < 1 else 'MISSED'} worst staff-save wait < 1 s "
          f"(load average {os.getloadavg()[0]:.1f}: the save also waits for a CPU)")


def zip_bomb(path: Path, unpacked_mb: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"<row>" + b"0" * (MB - 11) + b"</row>"
            for _ in range(unpacked_mb):
                member.write(block)


def refusing_a_zip_bomb(work: Path, unpacked_mb: int) -> None:
    url = f"sqlite:///{work / 'bomb.db'}"
    small = work / "one.csv"
    small.write_text("Conf. No;Guest Name;Arrival;Departure\nC1;Anna;14/07/2026;16/07/2026\n")
    cli(small, url)  # migrations applied once, outside the figures
    status, base_time, base_mb, _ = cli(small, url)
    bomb = work / "arrivals.xlsx"
    zip_bomb(bomb, unpacked_mb)
    status_bomb, took, peak, output = cli(bomb, url)
    print(f"zip bomb: {bomb.stat().st_size / 1e6:.1f} MB unpacking to {unpacked_mb} MB")
    print(f"one-row CSV imported (baseline): exit {status}, {base_time:.2f} s, "
          f"peak {base_mb:.0f} MB")
    print(f"zip bomb refused:                exit {status_bomb}, {took:.2f} s "
          f"({took / base_time:.2f} x baseline), peak {peak:.0f} MB "
          f"({peak / base_mb:.2f} x baseline)")
    print(f"  says: {output.strip()[:200]}")
    print(f"  {'met ' if status_bomb == 2 and peak < 200 else 'MISSED'} exit 2, under 200 MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        refusing_a_zip_bomb(Path(folder), args.bomb_mb)
        saves_during_import(Path(folder), args.rows)


if __name__ == "__main__":
    main()
