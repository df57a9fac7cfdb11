"""Arrivals import: first import and unchanged re-import of an export, next to a baseline.

    .venv/bin/python benchmarks/bench_import.py [--rows 10000] [--big-rows 100000]
        [--postgres postgresql://user@host/db] [--profile]

The import measured is the one people run (`python -m guests import`, the import page): the
file read and checked, then applied in short write transactions (guests.import_run). Each
import runs in its own process, so that its peak memory (max RSS) is its own.

The baseline, measured in the same run on the same database, is pandas.read_csv of the same
file plus one executemany of its rows into a bare table: the least any import must do.
--postgres names a server (default: $TEST_DATABASE_URL); a throwaway database is made there.
Targets on the 2-core reference machine (issue 13): first import of 10,000 rows <= 1 s on
SQLite, <= 3 s on PostgreSQL, ratio to the baseline <= 6; unchanged re-import <= 0.5 s;
100,000 rows (SQLite) <= 20 s in <= 500 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import csv
import json
import os
import random
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

TARGETS = {"sqlite": 1.0, "postgresql": 3.0, "ratio": 6.0, "again": 0.5, "big": 20.0,
           "peak_mb": 500.0}
WISHES = (
    "Un lit bébé svp, merci",
    "Nous arriverons vers 23h, merci de garder la chambre.",
    "It's our anniversary - could you arrange a bottle of champagne?",
    "Quiet room please, away from the lift.",
    "Allergie aux plumes : pas d'oreillers en duvet s'il vous plaît.",
    "Ich bin Rollstuhlfahrerin, bitte ein barrierefreies Zimmer.",
    "Llegamos temprano, sobre las 12:30, ¿sería posible hacer el check-in antes?",
    "Sono celiaca, per la colazione senza glutine grazie.",
    "Late check-out please, our flight is at 18:00.",
    "Extra pillows and a parking space for our car.",
    "Mon mari fête ses 80 ans, pouvez-vous prévoir une surprise ?",
    "Two separate beds please. We arrive around 9.30pm.",
)
HEADER = ["Conf. No", "Guest Name", "Arrival", "Departure", "Room", "Room Type", "ETA",
          "Adults", "Children", "VIP", "Language", "Email", "Status", "Specials", "Comments"]


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A realistic export: two months of arrivals, 200 rooms, wishes in half the rows."""
    rng = random.Random(seed)
    first = date(2026, 7, 1)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for i in range(rows):
            arrival = first + timedelta(days=rng.randrange(60))
            nights = rng.randint(1, 6)
            wish = rng.choice(WISHES) if i % 2 == 0 else ""
            comment = rng.choice(WISHES) if i % 10 == 0 else ""
            writer.writerow([
                f"BK{100000 + i}", f"Guest {i} Name{rng.randrange(5000)}",
                arrival.strftime("%d/%m/%Y"), (arrival + timedelta(days=nights)).isoformat(),
                str(100 + rng.randrange(200)), rng.choice(["Double", "Twin", "Suite"]),
                rng.choice(["", "", "18:00", "23h30", "11pm"]), rng.randint(1, 2),
                rng.choice([0, 0, 0, 1, 2]), rng.choice(["", "", "", "VIP1"]),
                rng.choice(["fr", "en", "de", "es", "it"]),
                f"guest{i}@example.com" if i % 3 else "", "Reserved", wish, comment,
            ])


def baseline(path: Path, url: str) -> float:
    """pandas.read_csv of the file plus one executemany of its rows into a bare table."""
    import pandas as pd
    from sqlalchemy import create_engine

    started = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    rows = list(frame.itertuples(index=False, name=None))
    engine = create_engine(url)
    columns = ", ".join(f"c{i} TEXT" for i in range(len(frame.columns)))
    marks = ", ".join(["%s" if url.startswith("postgresql") else "?"] * len(frame.columns))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS bench_bare")
        connection.exec_driver_sql(f"CREATE TABLE bench_bare ({columns})")
        connection.exec_driver_sql(f"INSERT INTO bench_bare VALUES ({marks})", rows)
    elapsed = time.perf_counter() - started
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE bench_bare")
    engine.dispose()
    return elapsed


def child(path: str, profile: str | None) -> None:
    """One import, in this process, as the command line runs it: prints its timings as JSON."""
    from core.auth import system_actor
    from core.startup import ready_database
    from guests.__main__ import _property
    from guests.import_run import import_in_batches
    from guests.importer import read_file

    started = time.perf_counter()
    database = ready_database()
    with database.write() as session:
        hotel_id = _property(session, None).id
    ready = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    parsed = read_file(Path(path).read_bytes(), Path(path).name)
    read = time.perf_counter()
    summary = import_in_batches(database, system_actor(hotel_id, "import"), hotel_id, parsed)
    done = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    print(json.dumps({
        "startup": ready - started, "read": read - ready, "import": done - ready,
        "summary": summary.as_json() | {"errors": len(summary.errors)},
    }))


def run_child(path: Path, url: str, profile: str | None) -> dict:
    command = [sys.executable, __file__, "--child", str(path)]
    if profile:
        command += ["--profile-to", profile]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               env={**os.environ, "DATABASE_URL": url})
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own peak, not the parent's
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the import failed with status {process.returncode}")
    result = json.loads(output)
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result["cpu"] = usage.ru_utime + usage.ru_stime  # of the whole process, start-up included
    return result


@contextmanager
def throwaway_postgres(server: str) -> Iterator[str]:
    """A new database on the server, dropped at the end."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def show(name: str, result: dict, base: float) -> None:
    summary = result["summary"]
    print(f"  {name:22}: {result['import']:6.2f} s ({result['import'] / base:5.1f} x baseline),"
          f" of which read+parse {result['read']:.2f} s; process {result['wall']:.2f} s"
          f" (cpu {result['cpu']:.2f} s), peak {result['peak_mb']:.0f} MB")
    print(f"  {'':24}created {summary['created']}, updated {summary['updated']}, "
          f"unchanged {summary['unchanged']}, errors {summary['errors']}, "
          f"requests {summary['requests_created']}, tasks {summary['tasks_created']}")


def measure(kind: str, url: str, export: Path, work: Path, profile: bool) -> dict:
    """Baseline, first import, unchanged re-import, on one fresh database."""
    driver_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    base = baseline(export, driver_url)
    first = run_child(export, url, str(work / f"{kind}-first.prof") if profile else None)
    again = run_child(export, url, str(work / f"{kind}-again.prof") if profile else None)
    print(f"{kind}: baseline (read_csv + one executemany) {base:.2f} s")
    show("first import", first, base)
    show("re-import (unchanged)", again, base)
    return {"base": base, "first": first, "again": again}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big-rows", type=int, default=100_000, help="0: not measured")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL", ""),
                        help="a PostgreSQL server URL; empty: not measured")
    parser.add_argument("--profile", action="store_true", help="print the imports' profiles")
    parser.add_argument("--child")
    parser.add_argument("--profile-to")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile_to)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        export = work / "arrivals.csv"
        write_export(export, args.rows)
        print(f"{args.rows} rows, {export.stat().st_size / 1e6:.1f} MB, wishes in half the rows")
        print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
              f"{os.getloadavg()[0]:.1f}")
        results = {"sqlite": measure("sqlite", f"sqlite:///{work / 'bench.db'}", export, work,
                                     args.profile)}
        if args.postgres:
            with throwaway_postgres(args.postgres) as url:
                results["postgresql"] = measure("postgresql", url, export, work, args.profile)
        big = None
        if args.big_rows:
            big_export = work / "big.csv"
            write_export(big_export, args.big_rows, seed=11)
            big_url = f"sqlite:///{work / 'big.db'}"
            big_base = baseline(big_export, big_url)
            big = run_child(big_export, big_url, None)
            print(f"sqlite, {args.big_rows} rows: baseline {big_base:.2f} s")
            show("first import", big, big_base)
        print("verdicts:")
        verdicts = {}
        for kind, result in results.items():
            seconds, ratio = result["first"]["import"], result["first"]["import"] / result["base"]
            verdicts[f"{kind} first import {seconds:.2f} s <= {TARGETS[kind]} s"] = (
                seconds <= TARGETS[kind])
            verdicts[f"{kind} first import {ratio:.1f} x baseline <= {TARGETS['ratio']}"] = (
                ratio <= TARGETS["ratio"])
            again = result["again"]["import"]
            verdicts[f"{kind} re-import {again:.2f} s <= {TARGETS['again']} s"] = (
                again <= TARGETS["again"])
        if big is not None:
            verdicts[f"{args.big_rows} rows {big['import']:.1f} s <= {TARGETS['big']} s"] = (
                big["import"] <= TARGETS["big"])
            verdicts[f"{args.big_rows} rows peak {big['peak_mb']:.0f} MB <= "
                     f"{TARGETS['peak_mb']} MB"] = big["peak_mb"] <= TARGETS["peak_mb"]
        for target, met in verdicts.items():
            print(f"  {'met   ' if met else 'MISSED'} {target}")
        if args.profile:
            import pstats

            for kind in results:
                for name in ("first", "again"):
                    print(f"\n--- profile of the {kind} {name} import (cumulative, top 30) ---")
                    pstats.Stats(str(work / f"{kind}-{name}.prof")).sort_stats(
                        "cumulative").print_stats(30)


if __name__ == "__main__":
    main()
