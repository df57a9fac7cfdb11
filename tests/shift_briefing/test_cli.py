"""`python -m shift_briefing briefing|checklist`: JSON for scripts, PDF for the printer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, time

from pypdf import PdfReader

from core.settings import ROOT


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shift_briefing", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
        check=False,
    )


def test_the_briefing_as_json_holds_the_version_and_every_arrival_with_its_wishes(
    database_url, book
):
    book("A", "Łukasz Wróbel", "baby cot please", eta=time(16, 0), room="101")
    book("B", "山田 太郎", "late check-out please", room="202")
    done = run(database_url, "briefing", "--date", "2026-07-14", "--shift", "afternoon", "--json")
    assert done.returncode == 0, done.stderr
    briefing = json.loads(done.stdout)
    assert len(briefing["version"]) == 16 and briefing["shift"] == "afternoon"
    assert [a["guest"] for a in briefing["arrivals"]] == ["山田 太郎", "Łukasz Wróbel"]
    wishes = {w["code"]: w["status"] for a in briefing["arrivals"] for w in a["wishes"]}
    assert wishes == {"baby_cot": "open", "late_check_out": "open"}
    again = json.loads(
        run(
            database_url, "briefing", "--date", "2026-07-14", "--shift", "afternoon", "--json"
        ).stdout
    )
    assert again["version"] == briefing["version"]


def test_the_briefing_pdf_prints_every_name(database_url, book, tmp_path):
    book("A", "Łukasz Wróbel", "baby cot please", room="101")
    book("B", "Анна Иванова", "extra pillows please")
    out = tmp_path / "briefing.pdf"
    done = run(
        database_url, "briefing", "--date", "2026-07-14", "--shift", "afternoon", "--pdf", str(out)
    )
    assert done.returncode == 0, done.stderr
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for expected in ("Łukasz Wróbel", "Анна Иванова"):
        assert expected in text


def test_the_checklist_as_json_holds_every_room_with_its_items(database_url, book):
    # Every room of the hotel once (the board), not only the arriving ones (changed on purpose
    # with the housekeeping board): a room without an arrival has no guest but its state.
    book("A", "Anna", "baby cot please", room="101")
    book("B", "Bruno", room="202")
    book("C", "Carla", arrival=date(2026, 7, 12), nights=2, room="201")  # leaves on the day
    done = run(database_url, "checklist", "--date", "2026-07-14", "--json")
    assert done.returncode == 0, done.stderr
    board = json.loads(done.stdout)
    rooms = {r["room"]: r for r in board["rooms"]}
    assert list(rooms) == ["101", "102", "201", "202"]
    assert [i["key"] for i in rooms["202"]["items"]] == ["cleaned", "inspected"]
    assert [i["code"] for i in rooms["101"]["items"]] == [None, None, "baby_cot"]
    assert rooms["101"]["ready"] is False
    assert (rooms["101"]["guest"], rooms["101"]["state"]) == ("Anna", "vacant_dirty")
    assert rooms["101"]["facts"] == ["arrival"] and rooms["102"]["facts"] == []
    assert rooms["102"]["guest"] is None and rooms["102"]["state"] == "vacant_dirty"
    assert board["counts"]["vacant_dirty"] == 4 and board["counts"]["arrival"] == 2


def test_a_shift_that_does_not_exist_is_refused(database_url, hotel):
    done = run(database_url, "briefing", "--date", "2026-07-14", "--shift", "lunch")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_the_json_says_which_wishes_are_critical(database_url, book):
    book("A", "Anna", "Severe nut allergy. Wheelchair user. Baby cot", eta=time(16, 0), room="201")
    done = run(database_url, "briefing", "--date", "2026-07-14", "--shift", "afternoon", "--json")
    assert done.returncode == 0, done.stderr
    [anna] = json.loads(done.stdout)["arrivals"]
    severities = [(w["code"], w["severity"]) for w in anna["wishes"]]
    assert set(severities[:2]) == {("food_allergy", "critical"), ("accessible_room", "critical")}
    assert severities[2:] == [("baby_cot", "normal")]  # critical first
    done = run(database_url, "checklist", "--date", "2026-07-14", "--json")
    rooms = {r["room"]: r for r in json.loads(done.stdout)["rooms"]}
    assert {c["code"] for c in rooms["201"]["critical"]} == {"food_allergy", "accessible_room"}
    assert rooms["101"]["critical"] == []
