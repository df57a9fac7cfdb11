"""The real server and a real browser, shared by the end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.auth import system_actor
from core.clock import today
from core.db import get_database
from core.settings import ROOT
from guests.models import Room
from guests.properties import first_property
from guests.reservations import ReservationInput, save_reservation
from guests.rooms import record_room_status
from guests.stays import free_rooms
from requests.models import Task

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_or_skip() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: the browser test did not run (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: a skip is a failure)")
        pytest.skip(reason)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the server keeps its SQLite database (hotel.db), for tests that read it back."""
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="session")
def server_database_url(server_folder: Path) -> str:
    """The database the server writes: what a test reads to check the screen against it."""
    return f"sqlite:///{server_folder / 'hotel.db'}"


@contextmanager
def running_server(folder: Path, **settings: str) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free port, against a new SQLite database in
    `folder`; `settings` are extra environment variables (HOTEL_IDLE_TIMEOUT_MINUTES=...)."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'hotel.db'}",
        "HOTEL_DATA_DIR": str(folder),
        "HOTEL_DEMO": "true",
        "HOTEL_SCHEDULER_IN_APP": "true",  # the real thing, jobs included
    }
    environment.pop("HOTEL_IDLE_TIMEOUT_MINUTES", None)
    environment.update(settings)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "the Streamlit server did not start:\n" + (folder / "server.log").read_text()
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    server_log = (folder / "server.log").read_text()
    assert "Traceback" not in server_log, server_log


@pytest.fixture(scope="session")
def server(server_folder: Path) -> Iterator[str]:
    """The app with its default settings, shared by the browser tests."""
    chromium_or_skip()
    with running_server(server_folder) as base:
        yield base


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def room_left_dirty(database_url: str, number: str) -> int:
    """Housekeeping has not cleaned room `number` yet; returns its id. The demo's day so far
    depends on the hour it is seeded (by check-in time every arrival's room is ready), so a
    test that needs a dirty room says so instead of hoping for one."""
    with get_database(database_url).write() as session:
        room = session.scalars(select(Room).where(Room.number == number)).one()
        record_room_status(session, system_actor(room.property_id, "test"), room, "dirty")
        return room.id


def cot_booked_now(database_url: str, confirmation: str, guest_name: str) -> tuple[str, int]:
    """A guest in the house since yesterday is typed in now (a late import) with a cot: its
    task is open and due in half an hour, whatever the hour the demo was seeded (by the evening
    every task of the demo's day is done). Returns the room number and the task's id."""
    with get_database(database_url).write() as session:
        hotel = first_property(session)
        assert hotel is not None
        arrival = today(hotel.timezone) - timedelta(days=1)
        room = free_rooms(session, hotel.id, arrival, arrival + timedelta(days=3))[0].number
        saved = save_reservation(
            session,
            system_actor(hotel.id, "import"),
            hotel.id,
            ReservationInput(
                confirmation_number=confirmation,
                guest_name=guest_name,
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=3),
                room_number=room,
                wish_text="Un lit bébé svp",
            ),
        )
        task_id = session.scalars(
            select(Task.id).where(
                Task.reservation_id == saved.reservation.id, Task.kind == "wish"
            )
        ).one()
        return room, task_id
