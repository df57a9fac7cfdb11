"""Arrivals import: a 10,000-row export, first import and unchanged re-import, next to a baseline.

    .venv/bin/python benchmarks/bench_import.py [--rows 10000] [--database-url URL] [--profile]

The baseline, measured in the same run on the same database, is pandas.read_csv of the same
file plus one executemany of its rows into a bare table: the least any import must do. Each
import runs in its own process, so that its peak memory (max RSS) is its own.
Targets on the 2-core reference machine: first import < 10 s, re-import < 5 s, peak < 500 MB.
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
from datetime import date, timedelta

TARGETS = {"first": 10.0, "again": 5.0, "peak_mb": 500.0}
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
    """One import, in this process: prints its timings as JSON."""
    from core.auth import system_actor
    from core.startup import ready_database
    from guests.__main__ import _property
    from guests.importer import read_file, run_import

    started = time.perf_counter()
    database = ready_database()
    ready = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    parsed = read_file(Path(path).read_bytes(), Path(path).name)
    read = time.perf_counter()
    with database.write() as session:
        hotel = _property(session, None)
        summary = run_import(session, system_actor(hotel.id, "import"), hotel.id, parsed)
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
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the import failed with status {process.returncode}")
    result = json.loads(output)
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result["cpu"] = usage.ru_utime + usage.ru_stime  # of the whole process, start-up included
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--profile", action="store_true", help="write .prof files to the tmp dir")
    parser.add_argument("--child")
    parser.add_argument("--profile-to")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile_to)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = args.database_url or f"sqlite:///{work / 'bench.db'}"
        export = work / "arrivals.csv"
        write_export(export, args.rows)
        size = export.stat().st_size / 1e6
        kind = url.split(":")[0]
        print(f"{args.rows} rows, {size:.1f} MB, wishes in half the rows; database {kind}")
        print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
              f"{os.getloadavg()[0]:.1f}")
        profile = str(work / "first.prof") if args.profile else None
        first = run_child(export, url, profile)
        again = run_child(export, url, str(work / "again.prof") if args.profile else None)
        base = baseline(export, url.replace("postgresql://", "postgresql+psycopg://", 1))
        print(f"baseline (read_csv + one executemany): {base:6.2f} s")
        for name, result in (("first import", first), ("re-import (unchanged)", again)):
            summary = result["summary"]
            print(f"{name:22}: {result['import']:6.2f} s in the import call "
                  f"({result['import'] / base:5.1f} x baseline), process {result['wall']:.2f} s, "
                  f"(cpu {result['cpu']:.2f} s), peak {result['peak_mb']:.0f} MB")
            print(f"{'':24}of which: read+parse {result['read']:.2f} s")
            print(f"{'':24}created {summary['created']}, updated {summary['updated']}, "
                  f"unchanged {summary['unchanged']}, errors {summary['errors']}, "
                  f"requests {summary['requests_created']}, tasks {summary['tasks_created']}")
        print(f"re-import / first import: {again['import'] / first['import']:.2f}")
        verdicts = {
            "first import < 10 s": first["import"] < TARGETS["first"],
            "re-import < 5 s": again["import"] < TARGETS["again"],
            "peak < 500 MB": max(first["peak_mb"], again["peak_mb"]) < TARGETS["peak_mb"],
        }
        for target, met in verdicts.items():
            print(f"  {'met ' if met else 'MISSED'} {target}")
        if args.profile:
            import pstats

            for name in ("first", "again"):
                print(f"\n--- profile of the {name} import (cumulative, top 25) ---")
                pstats.Stats(str(work / f"{name}.prof")).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
