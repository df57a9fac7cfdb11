"""The guest page of a reservation with 10 wishes, served over HTTP by the running server.

Starts the app's server (`streamlit run`, the same st.App with the guest routes, plus one static
route), then times 50 requests of the guest page and 50 requests of a static file of the same
size from the same server, each on its own connection after 5 warm-ups, and prints
both medians and their ratio. Target: guest page median under 50 ms.

    .venv/bin/python benchmarks/bench_guest_page.py
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.auth import system_actor  # noqa: E402
from core.startup import ready_database  # noqa: E402
from guests.guest_links import issue_link  # noqa: E402
from guests.properties import create_property  # noqa: E402
from guests.reservations import ReservationInput, save_reservation  # noqa: E402

TEN_WISHES = (
    "A baby cot, an extra bed, feather-free pillows, a quiet room on a high floor, a bathtub, "
    "a parking space, an airport transfer, extra towels and a fridge in the room please"
)
REQUESTS = 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    """One request on its own connection, as a phone opening the link does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Connection": "close"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _times(port: int, path: str) -> tuple[list[float], int]:
    size = 0
    for _ in range(5):
        size = len(_get(port, path)[1])
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        status, body = _get(port, path)
        times.append(time.perf_counter() - start)
        assert status == 200 and len(body) == size
    return times, size


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_guest_page_"))
    url = f"sqlite:///{folder / 'hotel.db'}"
    database = ready_database(url)
    system = system_actor(None, "benchmark")
    arrival = date.today() + timedelta(days=5)
    with database.write() as session:
        hotel = create_property(session, system, code="BENCH", name="Bench Hotel")
        saved = save_reservation(
            session,
            system_actor(hotel.id, "benchmark"),
            hotel.id,
            ReservationInput(
                confirmation_number="B1",
                guest_name="Ms Anna Schmidt",
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=3),
                language="en",
                wish_text=TEN_WISHES,
            ),
        )
        wishes = sum(1 for r in saved.reservation.requests if r.status == "active")
        token = issue_link(session, system_actor(hotel.id, "benchmark"), saved.reservation.id)
    static_file = folder / "static.html"
    static_file.write_text("")
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "HOTEL_DATA_DIR": str(folder),
        "HOTEL_DEMO": "false",
        "HOTEL_SCHEDULER_IN_APP": "false",
        "BENCH_STATIC_FILE": str(static_file),
        "HOTEL_GUEST_REQUESTS_PER_MINUTE": "100000",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "benchmarks/guest_page_server.py",
         "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        path = f"/guest/{token}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = _get(port, path)[1]
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        static_file.write_bytes(page)  # a static page of exactly the same size
        guest, size = _times(port, path)
        static, static_size = _times(port, "/bench-static")
    finally:
        server.terminate()
        server.wait(timeout=10)
    guest_ms = statistics.median(guest) * 1000
    static_ms = statistics.median(static) * 1000
    print(f"guest page with {wishes} wishes: {size} bytes, static page: {static_size} bytes")
    print(f"guest page median of {REQUESTS}: {guest_ms:.1f} ms (target < 50 ms)")
    print(f"static page median of {REQUESTS}: {static_ms:.1f} ms")
    print(f"ratio guest/static: {guest_ms / static_ms:.1f}x")


if __name__ == "__main__":
    main()
