"""Lost updates and uncaught errors when 4 processes x 300 mixed saves fight over the same rows
(task status and owner, reservations and their guests, catalogue entries, shifts, staff roles,
signatures, job settings).

Prints, per database, the counts of the version-checked saves next to a baseline measured in
the same run: the same saves made without the version the person loaded (what a blind save
would lose). PostgreSQL runs when TEST_DATABASE_URL (or BENCH_POSTGRES_URL) names a server; a
scratch database is made on it and dropped.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
        .venv/bin/python benchmarks/bench_concurrency.py [--operations 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from core.startup import ready_database
from tests.races import run


def databases() -> list[tuple[str, str]]:
    """(name, url) for SQLite and, when a server is named, PostgreSQL."""
    folder = Path(tempfile.mkdtemp(prefix="bench_concurrency_"))
    found = [("sqlite", f"sqlite:///{folder / 'hotel.db'}")]
    server = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    if server:
        found.append(("postgresql", server.replace("postgresql://", "postgresql+psycopg://")))
    return found


def fresh(url: str, label: str) -> tuple[str, object]:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1]).with_name(f"{label}.db")
        fresh_url = f"sqlite:///{path}"
        ready_database(fresh_url)
        return fresh_url, None
    base = make_url(url)
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    fresh_url = base.set(database=name).render_as_string(hide_password=False)
    ready_database(fresh_url)

    def drop() -> None:
        from core.db import forget_database

        forget_database(fresh_url)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return fresh_url, drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--operations", type=int, default=300)
    args = parser.parse_args()
    print(f"{args.processes} processes x {args.operations} mixed saves on the same rows")
    for name, url in databases():
        for checked in (True, False):
            label = "checked" if checked else "baseline"
            target, drop = fresh(url, f"{name}_{label}")
            counts = run(target, args.processes, args.operations, checked=checked)
            if drop:
                drop()
            kind = "version-checked" if checked else "baseline, blind saves"
            print(
                f"{name:10} {kind:22} lost updates {counts.lost_updates:4}  "
                f"uncaught errors {counts.errors:3}  saved {counts.saved:4}  "
                f"refused, told why {counts.conflicts:4}  ({counts.seconds:.1f} s)"
            )
            for sample in counts.error_samples[:1]:
                print("    first error:", sample.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
