"""Two processes composing confirmations at the same moment write each state once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import func, select

from core.settings import ROOT
from guests.guest_models import GuestMessage
from tests.requests.guest_support import book

SCRIPT = """
import sys
from datetime import datetime
from core.clock import set_now
from core.startup import ready_database
from requests.guest_outbox import queue_confirmations
database = ready_database()
set_now(datetime.fromisoformat(sys.argv[1]))
with database.write() as session:
    print(queue_confirmations(session, int(sys.argv[2]), 3))
"""


def test_two_processes_never_write_the_same_confirmation_twice(database_url, database, hotel, rita):
    for n in range(30):
        book(database, hotel, rita, confirmation=f"R{n}", name=f"Guest {n}", wish_text="baby cot")
    moment = datetime(2026, 7, 12, 8, 0, tzinfo=UTC).isoformat()
    environment = {**os.environ, "DATABASE_URL": database_url}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, moment, str(hotel.id)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), results
    assert (
        sorted(int(out) for out, _ in results) in ([0, 30], [30, 0])
        or sum(int(out) for out, _ in results) == 30
    )
    with database.read() as session:
        assert session.scalar(select(func.count(GuestMessage.id))) == 30
