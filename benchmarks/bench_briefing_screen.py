"""The on-screen briefing for 400 arrivals with 600 wishes, rendered through Streamlit's AppTest.

Times a front-desk person opening the briefing page (build, version hash, every guest with its
wishes and readiness) next to a baseline in the same run: AppTest rendering a bare page with
one st.text line per arrival. Target: under 1 s.

    .venv/bin/python benchmarks/bench_briefing_screen.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from core import clock as hotel_clock  # noqa: E402
from core.auth import system_actor  # noqa: E402
from core.staff import create_staff  # noqa: E402
from core.startup import ready_database  # noqa: E402
from guests.models import Guest, Reservation  # noqa: E402
from guests.properties import create_property  # noqa: E402
from requests.wishes import sync_reservations  # noqa: E402

ARRIVALS = 400
DAY = datetime(2027, 3, 1, 14, 30, tzinfo=UTC)  # 15:30 in Paris: the afternoon shift
ONE = ("Baby cot please", "Late check-out please", "Bitte ein ruhiges Zimmer", "Vegana, grazie")
TWO = ("Un lit bébé et des oreillers supplémentaires svp", "Feather-free pillows and a bathtub",
       "Una cama supletoria y toallas extra", "Camera con vista e parcheggio per favore")


def seed(url: str) -> None:
    database = ready_database(url)
    system = system_actor(None, "benchmark")
    with database.write() as session:
        hotel = create_property(session, system, code="BENCH", name="Bench Hotel")
        create_staff(session, system_actor(hotel.id), name="Front Desk", login="desk",
                     password="desk-password", roles=["front_desk"], property_id=hotel.id)
        guests = session.scalars(
            insert(Guest).returning(Guest.id, sort_by_parameter_order=True),
            [{"property_id": hotel.id, "name": f"Guest {n}", "preferences": []}
             for n in range(ARRIVALS)],
        ).all()
        session.execute(insert(Reservation), [
            {"property_id": hotel.id, "confirmation_number": f"S{n:04d}", "guest_id": guests[n],
             "arrival_date": DAY.date(), "departure_date": DAY.date() + timedelta(days=2),
             "eta": time(15 + n % 8, (n * 7) % 60), "version": 1,
             "wish_text": (ONE if n % 2 else TWO)[n % 4]}
            for n in range(ARRIVALS)
        ])
        ids = list(session.scalars(select(Reservation.id)))
        report = sync_reservations(session, system_actor(hotel.id), ids)
    print(f"seeded {ARRIVALS} arrivals with {report.requests_created} wishes")


BARE_PAGE = """
import streamlit as st
for n in range({count}):
    st.text(f"{{15 + n % 8}}:00 · Guest {{n}} · Room {{n}} · 2 nights · Baby cot — open")
"""


def main() -> None:
    from streamlit.testing.v1 import AppTest

    folder = Path(tempfile.mkdtemp(prefix="bench_screen_"))
    url = f"sqlite:///{folder / 'hotel.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["HOTEL_DEMO"] = "false"
    hotel_clock.set_now(DAY)
    seed(url)
    os.chdir(ROOT)

    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    app.text_input(key="login_name").input("desk")
    app.text_input(key="login_password").input("desk-password")
    app.button[0].click().run()
    from streamlit.navigation.page import calc_hash

    app._page_hash = calc_hash("briefing")  # what a click in the navigation does
    app.run()  # warm: caches, fonts, first compile of the parser
    timings = []
    for _ in range(3):
        started = clock.perf_counter()
        app.run()
        timings.append(clock.perf_counter() - started)
    assert not app.exception, app.exception
    shown = len(app.text)
    header = app.caption[0].value
    ours = sorted(timings)[1]

    bare = AppTest.from_string(BARE_PAGE.format(count=ARRIVALS), default_timeout=120).run()
    base_timings = []
    for _ in range(3):
        started = clock.perf_counter()
        bare.run()
        base_timings.append(clock.perf_counter() - started)
    baseline = sorted(base_timings)[1]

    print(f"briefing page, {ARRIVALS} arrivals ({shown} text elements): {ours:.2f} s "
          f"(median of 3); target < 1 s\n  page header: {header}")
    print(f"baseline, bare page of {ARRIVALS} st.text lines: {baseline:.2f} s")
    print(f"ratio ours / baseline: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()
