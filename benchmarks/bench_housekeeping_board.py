"""The housekeeping board of a 200-room hotel on one day, rendered through Streamlit's AppTest.

200 rooms on 10 floors; 120 arrivals with wishes, 40 departures and 40 stay-overs checked in.
Times an attendant's page run (the board read: every room, its stays, its checklist; and its
~450 checkboxes) next to a baseline in the same run: AppTest rendering a bare page with the
same number of rooms, one st.markdown line and three st.checkbox each. Target: under 1.5 s.

    .venv/bin/python benchmarks/bench_housekeeping_board.py
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
from guests.models import Guest, Reservation, Room  # noqa: E402
from guests.properties import create_property  # noqa: E402
from requests.wishes import sync_reservations  # noqa: E402

ROOMS, ARRIVALS, DEPARTURES, STAY_OVERS = 200, 120, 40, 40
NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)  # 09:30 in Paris
DAY = NOW.date()
WISHES = ("Baby cot please", "Feather-free pillows", "Extra pillows please", "Bitte ein Kinderbett")


def seed(url: str) -> None:
    database = ready_database(url)
    system = system_actor(None, "benchmark")
    with database.write() as session:
        hotel = create_property(session, system, code="BENCH", name="Bench Hotel")
        create_staff(session, system_actor(hotel.id), name="Attendant", login="hk",
                     password="hk-password", roles=["housekeeping"], property_id=hotel.id)
        rooms = session.scalars(
            insert(Room).returning(Room.id, sort_by_parameter_order=True),
            [{"property_id": hotel.id, "number": f"{1 + n // 20}{n % 20 + 1:02d}",
              "floor": 1 + n // 20, "room_type": "double", "features": [],
              "housekeeping_status": ("dirty", "clean", "inspected")[n % 3]}
             for n in range(ROOMS)],
        ).all()
        people = ARRIVALS + DEPARTURES + STAY_OVERS
        guests = session.scalars(
            insert(Guest).returning(Guest.id, sort_by_parameter_order=True),
            [{"property_id": hotel.id, "name": f"Guest {n}", "preferences": []}
             for n in range(people)],
        ).all()
        rows = []
        for n in range(people):
            if n < ARRIVALS:
                arrival, departure, status, text = DAY, DAY + timedelta(days=2), "booked", (
                    WISHES[n % 4])
            elif n < ARRIVALS + DEPARTURES:
                arrival, departure, status, text = DAY - timedelta(days=2), DAY, "checked_in", ""
            else:
                arrival, departure, status, text = (
                    DAY - timedelta(days=1), DAY + timedelta(days=1), "checked_in", "")
            rows.append({"property_id": hotel.id, "confirmation_number": f"B{n:04d}",
                         "guest_id": guests[n], "arrival_date": arrival,
                         "departure_date": departure, "eta": time(15 + n % 6, 0),
                         "room_id": rooms[n % ROOMS], "status": status, "version": 1,
                         "wish_text": text})
        session.execute(insert(Reservation), rows)
        ids = list(session.scalars(select(Reservation.id).where(Reservation.status == "booked")))
        report = sync_reservations(session, system_actor(hotel.id), ids)
    print(f"seeded {ROOMS} rooms, {people} stays, {report.requests_created} wishes")


BARE_PAGE = """
import streamlit as st
for n in range({count}):
    with st.container(border=True):
        st.markdown(f"**{{n}}** · Vacant dirty · Arrival 15:00 · Guest {{n}}")
        st.checkbox("Room cleaned", key=f"c{{n}}")
        st.checkbox("Room inspected", key=f"i{{n}}")
        st.checkbox("Cot installed", key=f"w{{n}}")
"""


def median_run(app, runs: int = 3) -> float:
    timings = []
    for _ in range(runs):
        started = clock.perf_counter()
        app.run()
        timings.append(clock.perf_counter() - started)
    return sorted(timings)[runs // 2]


def main() -> None:
    from streamlit.navigation.page import calc_hash
    from streamlit.testing.v1 import AppTest

    folder = Path(tempfile.mkdtemp(prefix="bench_board_"))
    url = f"sqlite:///{folder / 'hotel.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["HOTEL_DEMO"] = "false"
    os.environ["HOTEL_SCHEDULER_IN_APP"] = "false"
    hotel_clock.set_now(NOW)
    seed(url)
    os.chdir(ROOT)

    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    app.text_input(key="login_name").input("hk")
    app.text_input(key="login_password").input("hk-password")
    app.button[0].click().run()
    app._page_hash = calc_hash("housekeeping")  # what a click in the navigation does
    app.run()  # warm
    ours = median_run(app)
    assert not app.exception, app.exception
    boxes = len(app.checkbox)

    bare = AppTest.from_string(BARE_PAGE.format(count=ROOMS), default_timeout=120).run()
    baseline = median_run(bare)

    print(f"housekeeping board, {ROOMS} rooms ({boxes} checkboxes): {ours:.2f} s "
          f"(median of 3); target < 1.5 s")
    print(f"baseline, bare page of {ROOMS} cards with 3 checkboxes: {baseline:.2f} s")
    print(f"ratio ours / baseline: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()
