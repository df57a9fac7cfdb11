"""A flood of sign-ins does not slow the staff who are working, on SQLite (one writer at a
time): eight sign-in loops, as eight browser sessions of the server process, guess passwords
at the production argon2 cost while a manager saves; every save takes under a second.

What holds it: the hash is checked outside any transaction (core.auth.sign_in), at most
HASHES_AT_ONCE at a time, and attempts over the per-address or total limit are turned away
by a read. benchmarks/bench_sign_in.py prints the same figure next to a baseline.
"""

from __future__ import annotations

import shutil
import threading
import time as timer
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import auth
from core.auth import Actor, sign_in
from core.db import Database, forget_database
from core.models import Staff
from core.staff import set_roles
from tests.conftest import REAL_PASSWORD_HASHER, _staff

pytestmark = pytest.mark.slow
LOOPS = 8
SECONDS = 6


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """SQLite only: its single writer is what a flood could hold up."""
    path = tmp_path / "hotel.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    yield Database(url)
    forget_database(url)


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its production cost: the flood's price is the hashing."""
    monkeypatch.setattr(auth, "_hasher", REAL_PASSWORD_HASHER)


def flood(database: Database, n: int, until: float, told: Counter) -> None:
    """One sign-in loop: wrong passwords as fast as the server answers, from its own address."""
    while timer.perf_counter() < until:
        outcome = sign_in(database, ("maria", "alice", "nobody")[n % 3], "wrong", f"10.1.0.{n}")
        told[outcome.reason or "signed in"] += 1


def saves_during(database: Database, manager: Actor, person_id: int, until: float) -> list[float]:
    """The manager changes a person's roles again and again; the wall time of each save."""
    waits = []
    while timer.perf_counter() < until:
        with database.read() as session:
            version = session.get(Staff, person_id).version
        began = timer.perf_counter()
        with database.write() as session:
            roles = ["front_desk"] if len(waits) % 2 else ["front_desk", "reservations"]
            set_roles(session, manager, person_id, roles, version=version)
        waits.append(timer.perf_counter() - began)
        timer.sleep(0.05)
    return waits


def test_eight_sign_in_loops_leave_every_staff_save_under_a_second(
    sqlite_database, hotel_factory, real_hashing
):
    maria, alice = hotel_factory(sqlite_database)
    told: Counter = Counter()
    until = timer.perf_counter() + SECONDS + 1
    loops = [
        threading.Thread(target=flood, args=(sqlite_database, n, until, told))
        for n in range(LOOPS)
    ]
    for loop in loops:
        loop.start()
    try:
        timer.sleep(1)  # the flood is running before the first save
        waits = saves_during(sqlite_database, maria, alice.id, until)
    finally:
        for loop in loops:
            loop.join()
    assert sum(told.values()) >= LOOPS  # the loops really signed in, wrongly
    assert len(waits) > 10
    assert max(waits) < 1.0, f"worst staff save {max(waits):.2f} s during the flood ({told})"


@pytest.fixture
def hotel_factory():
    def make(database: Database) -> tuple[Actor, Actor]:
        from core.auth import system_actor
        from guests.properties import create_property

        with database.write() as session:
            hotel = create_property(session, system_actor(None), code="HOTEL", name="Hôtel")
        return (
            _staff(database, hotel, "maria", "Maria Manager", ["manager"]),
            _staff(database, hotel, "alice", "Alice Front", ["front_desk"], "front_desk"),
        )

    return make
