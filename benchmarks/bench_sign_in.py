"""Sign-in under attack.

1. Guesses checked before the lock when 8 real processes guess one account's password at the
   same moment (3 guesses each), on SQLite and PostgreSQL; the rule, the baseline, is 5.
2. The worst wait of a staff save (a manager's role change, version-checked) on SQLite while 8
   sign-in loops (threads of the server process, as browser sessions are) hit the sign-in
   page's door with wrong passwords, with the app's limits and with the limits lifted, next
   to the same saves measured without a flood in the same run. Argon2 runs at its
   production cost.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
        .venv/bin/python benchmarks/bench_sign_in.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time as timer
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_concurrency import databases, fresh

from core.auth import actor_for, system_actor
from core.db import get_database
from core.models import Staff
from core.staff import create_staff, set_roles
from guests.properties import create_property
from tests.races import attack

FLOODERS = 8


def hotel_with_staff(url: str) -> tuple[int, int]:
    """A hotel with a manager and the person whose roles she changes; returns their ids."""
    database = get_database(url)
    with database.write() as session:
        hotel = create_property(session, system_actor(None), code="SIGN", name="Hôtel Signe")
        system = system_actor(hotel.id)
        made = [
            create_staff(
                session,
                system,
                name=name,
                login=login,
                password=f"{login}-password",
                roles=roles,
                property_id=hotel.id,
            )
            for name, login, roles in (
                ("Maria Manager", "maria", ["manager"]),
                ("Alice Front", "alice", ["front_desk"]),
            )
        ]
        return made[0].id, made[1].id


def staff_saves(url: str, manager_id: int, person_id: int, seconds: float) -> list[float]:
    """A manager changes a person's roles again and again; the wall time of each save."""
    database = get_database(url)
    with database.read() as session:
        manager = actor_for(session.get(Staff, manager_id))
    waits = []
    roles = (["front_desk"], ["front_desk", "reservations"])
    end = timer.perf_counter() + seconds
    n = 0
    while timer.perf_counter() < end:
        with database.read() as session:
            version = session.get(Staff, person_id).version
        began = timer.perf_counter()
        with database.write() as session:
            set_roles(session, manager, person_id, roles[n % 2], version=version)
        waits.append(timer.perf_counter() - began)
        n += 1
        timer.sleep(0.05)
    return waits


def flood(url: str, n: int, end: float, told: Counter) -> None:
    """One sign-in loop: wrong passwords as fast as the server answers, from its own address."""
    from core.auth import sign_in

    database = get_database(url)
    while timer.perf_counter() < end:
        outcome = sign_in(database, ("maria", "alice", "nobody")[n % 3], "wrong", f"10.1.0.{n}")
        told[outcome.reason or "signed in"] += 1


def flooded_saves(url: str, manager_id: int, person_id: int, seconds: float) -> tuple:
    """The app server's process: 8 sign-in loops (threads, as browser sessions are) and the
    manager's saves, at the same time."""
    told: Counter = Counter()
    end = timer.perf_counter() + seconds + 2
    loops = [threading.Thread(target=flood, args=(url, n, end, told)) for n in range(FLOODERS)]
    for loop in loops:
        loop.start()
    timer.sleep(2)  # the flood is running before the first save
    waits = staff_saves(url, manager_id, person_id, seconds)
    for loop in loops:
        loop.join()
    return waits, dict(told)


def describe(label: str, waits: list[float], baseline: list[float], told: dict | None) -> None:
    worst, median = max(waits), statistics.median(waits)
    print(
        f"  {label:32} worst {worst * 1000:7.1f} ms  median {median * 1000:6.1f} ms  "
        f"({len(waits)} saves; worst x{worst / max(baseline):.1f} of the no-flood worst)"
    )
    if told:
        summary = ", ".join(f"{k} {v}" for k, v in sorted(told.items()))
        print(f"  {'':32} sign-ins told: {summary}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    print("1. 8 processes x 3 guesses at one account at the same moment (the rule: 5)")
    for name, url in databases():
        target, drop = fresh(url, f"{name}_attack")
        hotel_with_staff(target)
        seen = attack(target, "alice", attackers=8, attempts_each=3)
        if drop:
            drop()
        print(
            f"  {name:10} guesses checked before the lock: {seen.checked} "
            f"(x{seen.checked / 5:.1f} of the rule) of {seen.attempts} attempts; "
            f"told: {dict(seen.reasons)}; errors {len(seen.errors)}"
        )

    print(
        f"2. staff saves on SQLite during a flood of {FLOODERS} sign-in loops "
        f"({args.seconds:.0f} s each)"
    )
    folder = Path(tempfile.mkdtemp(prefix="bench_sign_in_"))
    url = f"sqlite:///{folder / 'hotel.db'}"
    target, _ = fresh(url, "flood")
    manager_id, person_id = hotel_with_staff(target)
    quiet = staff_saves(target, manager_id, person_id, args.seconds / 2)
    describe("no flood (baseline)", quiet, quiet, None)
    waits, told = flooded_saves(target, manager_id, person_id, args.seconds)
    describe("flood, the app's limits", waits, quiet, told)
    os.environ["HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE"] = "1000000"
    os.environ["HOTEL_SIGN_IN_PER_MINUTE"] = "1000000"
    waits, told = flooded_saves(target, manager_id, person_id, args.seconds)
    describe("flood, limits lifted", waits, quiet, told)


if __name__ == "__main__":
    main()
