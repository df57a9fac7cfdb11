"""`python -m requests tasks --date D` prints the day's tasks for scripts and other tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

from core.clock import frozen_at
from core.settings import ROOT
from guests.reservations import ReservationInput, save_reservation


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "requests", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
        check=False,
    )


def test_the_days_tasks_come_out_as_json_with_the_hotels_offset(
    database, database_url, hotel, rita, hugo, alice
):
    """Booked on 1 July for the 14th; Hugo (housekeeping) and Alice (front desk) own them."""
    with frozen_at(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)), database.write() as session:
        save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number="C7",
                guest_name="Marie Dubois",
                arrival_date=date(2026, 7, 14),
                departure_date=date(2026, 7, 14) + timedelta(days=2),
                room_number="101",
                wish_text="lit bébé et parking svp",
            ),
        )
    done = run(database_url, "tasks", "--date", "2026-07-14")
    assert done.returncode == 0, done.stderr
    tasks = json.loads(done.stdout)
    assert {(t["code"], t["department"], t["due_at"], t["status"]) for t in tasks} == {
        ("baby_cot", "housekeeping", "2026-07-14T13:00:00+02:00", "open"),
        ("parking", "front_desk", "2026-07-14T13:00:00+02:00", "open"),
    }
    assert {t["confirmation_number"] for t in tasks} == {"C7"}
    assert {(t["code"], t["owner"]) for t in tasks} == {
        ("baby_cot", "Hugo Housekeeping"),
        ("parking", "Alice Front"),
    }
    assert {t["booked_late"] for t in tasks} == {False}
    assert {t["room"] for t in tasks} == {"101"}
    assert set(tasks[0]) >= {
        "confirmation_number",
        "room",
        "code",
        "department",
        "owner",
        "due_at",
        "status",
    }

    only = json.loads(
        run(database_url, "tasks", "--date", "2026-07-14", "--department", "housekeeping").stdout
    )
    assert [t["code"] for t in only] == ["baby_cot"]
    assert json.loads(run(database_url, "tasks", "--date", "2026-07-13").stdout) == []


def test_a_date_in_the_wrong_form_is_refused_with_a_message(database_url, hotel):
    done = run(database_url, "tasks", "--date", "14/07/2026")
    assert done.returncode == 2
    assert "not a date" in done.stderr


def test_parse_with_a_property_uses_its_own_catalogue(database_url, hotel, newspaper):
    with_hotel = run(database_url, "parse", "--property", "HOTEL", "a newspaper please")
    without = run(database_url, "parse", "a newspaper please")
    assert [r["code"] for r in json.loads(with_hotel.stdout)["requests"]] == ["newspaper"]
    assert json.loads(without.stdout)["requests"] == []
