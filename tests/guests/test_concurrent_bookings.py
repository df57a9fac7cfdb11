"""Several processes at once, on both databases: two bookings of the same room and night never
both succeed, and two edits of the same version never both win. Each loser is told, in words
(RoomTaken, ReservationChanged): no StaleDataError, no unique-constraint traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.auth import system_actor
from core.settings import ROOT
from guests.models import Reservation, RoomNight
from guests.reservations import ReservationInput, create_reservation
from guests.rooms import add_room

pytestmark = pytest.mark.slow
PROCESSES = 4
ROUNDS = 5

# One process, for every round: waits for the round's signal (its file holds the version to
# edit), tries its operation, prints what happened and says it is done.
WORKER = r"""
import json, sys, time
from datetime import date
from pathlib import Path
from core.auth import current_actor
from core.db import Database
from core.startup import register_domains
from guests.reservations import ReservationInput, create_reservation, update_reservation

register_domains()
url, staff_id, folder, kind, me, rounds, reservation_id = sys.argv[1:]
folder, me = Path(folder), int(me)
database = Database(url)
with database.read() as session:
    who = current_actor(session, int(staff_id))
(folder / f"ready.{me}").touch()
for round_ in range(int(rounds)):
    go = folder / f"go.{round_}"
    while not go.exists():
        time.sleep(0.005)
    version = int(go.read_text() or 0)
    day = 2 * round_ if kind == "book" else 0
    data = ReservationInput(
        confirmation_number=f"R{round_}-{me}" if kind == "book" else "R1",
        guest_name=f"Guest {me}", arrival_date=date(2026, 7, 10 + day),
        departure_date=date(2026, 7, 12 + day), room_number="101",
        adults=10 * (round_ + 1) + me)
    try:
        with database.write() as session:
            if kind == "book":
                create_reservation(session, who, who.property_id, data)
            else:
                update_reservation(session, who, who.property_id, int(reservation_id), data,
                                   version=version)
        outcome = {"outcome": "saved", "adults": data.adults}
    except Exception as error:
        outcome = {"outcome": type(error).__name__, "key": getattr(error, "key", None)}
    print(json.dumps({"round": round_, **outcome}), flush=True)
    (folder / f"done.{round_}.{me}").touch()
"""


def _start(database_url: str, staff_id: int, folder: Path, kind: str,
           reservation_id: int = 0) -> list[subprocess.Popen]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, database_url, str(staff_id), str(folder), kind,
             str(me), str(ROUNDS), str(reservation_id)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for me in range(PROCESSES)
    ]
    _wait_for(folder, [f"ready.{me}" for me in range(PROCESSES)], processes)
    return processes


def _wait_for(folder: Path, names: list[str], processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 120
    while not all((folder / name).exists() for name in names):
        for process in processes:
            if process.poll() is not None and process.returncode != 0:
                pytest.fail(process.stderr.read() if process.stderr else "a worker failed")
        assert time.monotonic() < deadline, "the workers did not answer"
        time.sleep(0.01)


def _round(folder: Path, round_: int, processes: list[subprocess.Popen], version: int = 0) -> None:
    # Written aside, then renamed: a worker that sees the file reads the whole version, never
    # an empty file caught half-way through writing (it would edit version 0 and be refused).
    (folder / f"next.{round_}").write_text(str(version))
    (folder / f"next.{round_}").rename(folder / f"go.{round_}")
    _wait_for(folder, [f"done.{round_}.{me}" for me in range(PROCESSES)], processes)


def _results(processes: list[subprocess.Popen]) -> list[list[dict]]:
    """By round, each process's outcome."""
    by_round: list[list[dict]] = [[] for _ in range(ROUNDS)]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        for line in out.splitlines():
            result = json.loads(line)
            by_round[result["round"]].append(result)
    return by_round


def test_concurrent_bookings_of_one_room_never_both_succeed(
    database_url, database, hotel, rita, tmp_path
):
    with database.write() as session:
        add_room(session, system_actor(hotel.id), hotel.id, "101")
    processes = _start(database_url, rita.id, tmp_path, "book")
    for round_ in range(ROUNDS):  # each round books two nights nobody holds yet
        _round(tmp_path, round_, processes)
    by_round = _results(processes)
    for results in by_round:
        assert [r["outcome"] for r in results].count("saved") == 1, results
        assert {r["outcome"] for r in results} == {"saved", "RoomTaken"}, results
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(RoomNight)) == 2 * ROUNDS
        assert session.scalar(select(func.count()).select_from(Reservation)) == ROUNDS


def test_concurrent_edits_of_one_version_never_both_win(
    database_url, database, hotel, rita, tmp_path
):
    with database.write() as session:
        saved = create_reservation(session, rita, hotel.id, ReservationInput(
            confirmation_number="R1", guest_name="Guest R1", arrival_date=date(2026, 7, 10),
            departure_date=date(2026, 7, 12), room_number="101"))
        reservation_id = saved.reservation.id
    processes = _start(database_url, rita.id, tmp_path, "edit", reservation_id)
    stored = []
    for round_ in range(ROUNDS):
        with database.read() as session:
            version = session.get(Reservation, reservation_id).version
        _round(tmp_path, round_, processes, version)
        with database.read() as session:
            now = session.get(Reservation, reservation_id)
            stored.append((now.adults, now.version - version))
    for results, (adults, bumped) in zip(_results(processes), stored, strict=True):
        winners = [r for r in results if r["outcome"] == "saved"]
        assert len(winners) == 1, results
        assert {r["outcome"] for r in results} == {"saved", "ReservationChanged"}, results
        assert (adults, bumped) == (winners[0]["adults"], 1)  # the winner's, nobody else's
