"""What the changed-briefing check adds to each page load of a front-desk person who signed.

Seeds the demo hotel, then the 400 arrivals of bench_briefing_screen.py; signs the running
shift's briefing at the front desk; times what a page load does (shift_briefing.attention:
build the signed briefings again, compare versions, look for notices already sent) next to a
baseline in the same run: the unread count every page load already read before.

    .venv/bin/python benchmarks/bench_attention.py
"""

from __future__ import annotations

import importlib
import statistics
import sys
import tempfile
import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import select  # noqa: E402

from core import clock as hotel_clock  # noqa: E402
from core.auth import actor_for  # noqa: E402
from core.models import Property, Staff  # noqa: E402
from core.notifications import unread_count  # noqa: E402
from core.startup import ready_database  # noqa: E402
from guests import demo  # noqa: E402
from shift_briefing.attention import changed_since_signed, unannounced  # noqa: E402
from shift_briefing.briefing import build_briefing, current_shift  # noqa: E402
from shift_briefing.signing import sign_briefing  # noqa: E402

RUNS = 15


def timed(work) -> float:
    times = []
    for _ in range(RUNS):
        start = clock.perf_counter()
        work()
        times.append(clock.perf_counter() - start)
    return statistics.median(times)


def measure(url: str, login: str, name: str) -> None:
    database = ready_database(url)
    with database.write() as session:
        hotel = session.scalars(select(Property)).first()
        desk = actor_for(session.scalars(select(Staff).where(Staff.login == login)).one())
        day, shift = current_shift(session, hotel)
        briefing = build_briefing(session, desk, hotel.id, day, shift, "fr")
        sign_briefing(session, desk, briefing, briefing.version)
    print(f"{name}, {shift} shift of {day}: {len(briefing.arrivals)} arrivals")

    def baseline() -> None:
        with database.read() as session:
            unread_count(session, desk)

    def check() -> None:
        with database.read() as session:
            unannounced(session, desk, changed_since_signed(session, desk))
            unread_count(session, desk)

    base, attention = timed(baseline), timed(check)
    print(f"  unread count alone (baseline): {base * 1000:.1f} ms")
    print(f"  changed-briefing check + unread count: {attention * 1000:.1f} ms")
    print(f"  ratio: {attention / base:.1f}x the baseline")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.db"
        with ready_database(url).write() as session:
            demo.seed_demo(session)
        measure(url, "reception", "demo hotel")
    busy = importlib.import_module("bench_briefing_screen")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/busy.db"
        hotel_clock.set_now(busy.DAY)
        busy.seed(url)
        measure(url, "desk", "busy hotel")


if __name__ == "__main__":
    main()
