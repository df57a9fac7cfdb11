"""Four phones ticking the same room at once, as real processes: every save is based on the
status its person saw; one that saw an old status is refused, never saved over the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import func, select

from core.auth import system_actor
from core.db import get_database
from core.models import AuditEvent
from core.settings import ROOT
from guests.models import Room
from guests.rooms import add_room, room_by_number

PROCESSES = 4
TICKS = 40

# Each process: read the room as the board shows it, then tick "cleaned" the other way, saying
# which version it saw. Prints how many ticks changed the status, found it already so (another
# phone did the same meanwhile) or were refused.
WORKER = """
import json, sys
from core.auth import actor_for
from core.db import get_database
from core.errors import UserError
from core.models import Staff
from guests.models import Room
from shift_briefing.readiness import tick_room

room_id, staff_id, ticks = (int(a) for a in sys.argv[1:4])
database = get_database()
saved = unchanged = refused = 0
with database.read() as session:
    who = actor_for(session.get(Staff, staff_id))
for _ in range(ticks):
    with database.read() as session:
        room = session.get(Room, room_id)
        clean, seen = room.housekeeping_status != "dirty", room.status_version
        hotel = room.property_id
    try:
        with database.write() as session:
            changed = tick_room(session, who, hotel, room_id, "cleaned", not clean, seen)
        saved += changed
        unchanged += not changed
    except UserError as error:
        assert error.key == "room.error_status_changed", error.key
        refused += 1
print(json.dumps({"saved": saved, "unchanged": unchanged, "refused": refused}))
"""


def test_four_processes_ticking_one_room_never_save_over_each_other(database_url, hotel, hugo):
    database = get_database(database_url)
    with database.write() as session:
        add_room(session, system_actor(hotel.id), hotel.id, "101", floor=1)
    with database.read() as session:
        room_id = room_by_number(session, hotel.id, "101").id
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(room_id), str(hugo.id), str(TICKS)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    saved = sum(r["saved"] for r in results)
    assert sum(r["saved"] + r["unchanged"] + r["refused"] for r in results) == PROCESSES * TICKS
    assert saved >= TICKS // 2  # the room did change hands, whatever the interleaving
    with database.read() as session:
        room = session.get(Room, room_id)
        changes = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "room_status_set", AuditEvent.entity_id == str(room_id))
        )
    # Each saved tick is one change on top of the one before it: none was lost or doubled.
    assert room.status_version == 1 + saved and changes == saved
    assert room.housekeeping_status == ("clean" if saved % 2 else "dirty")
