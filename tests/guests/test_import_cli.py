"""`python -m guests import PATH [--property CODE] [--dry-run] [--replace-range] [--json]`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import time

import pytest
from sqlalchemy import func, select

from core.db import get_database
from core.models import Property
from core.settings import ROOT
from guests.__main__ import main
from guests.models import ImportRecord, Reservation, Room

CONTRACT = {"created", "updated", "unchanged", "cancelled", "errors", "unknown_columns",
            "requests_created", "tasks_created", "tasks_cancelled", "sheets_left_out"}
GOOD = (
    "Conf. No;Guest Name;Arrival;Departure;Room;Specials;Loyalty tier\n"
    "C100;Marie Dubois;14/07/2026;16/07/2026;104;Un lit bébé svp;Gold\n"
    "C101;James Whitfield;14/07/2026;17/07/2026;510;;\n"
)
WITH_A_BAD_ROW = GOOD + "C102;Bad Dates;16/07/2026;15/07/2026;;;\n"


@pytest.fixture
def arrivals(tmp_path):
    def write(text: str, name: str = "arrivals.csv", encoding: str = "cp1252"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def import_command(capsys, *args) -> tuple[int, dict]:
    status = main(["import", *map(str, args), "--json"])
    return status, json.loads(capsys.readouterr().out)


def count(url: str, table) -> int:
    with get_database(url).read() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_on_an_empty_database_it_migrates_creates_the_default_hotel_and_imports(
    empty_database_url, monkeypatch, capsys, arrivals
):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    status, summary = import_command(capsys, arrivals(GOOD))
    assert status == 0
    assert set(summary) == CONTRACT
    assert summary == {
        "created": 2, "updated": 0, "unchanged": 0, "cancelled": 0, "errors": [],
        "unknown_columns": ["Loyalty tier"], "requests_created": 1, "tasks_created": 1,
        "tasks_cancelled": 0, "sheets_left_out": [],
    }
    with get_database(empty_database_url).read() as session:
        [hotel] = session.scalars(select(Property))
        rooms = sorted(session.scalars(select(Room.number)))
    assert (hotel.code, hotel.timezone) == ("HOTEL", "Europe/Paris")
    assert (hotel.check_in_time, hotel.check_out_time) == (time(15, 0), time(11, 0))
    assert rooms == ["104", "510"]


def test_the_same_file_twice_changes_nothing(database_url, monkeypatch, capsys, arrivals):
    path = arrivals(GOOD)
    import_command(capsys, path)
    status, summary = import_command(capsys, path)
    assert status == 0
    assert (summary["created"], summary["unchanged"], summary["tasks_created"]) == (0, 2, 0)


def test_some_rows_rejected_exits_1_and_says_which(database_url, capsys, arrivals):
    status, summary = import_command(capsys, arrivals(WITH_A_BAD_ROW))
    assert status == 1
    assert summary["created"] == 2
    assert summary["errors"] == [{
        "row": 4, "column": "Departure",
        "message": "row 4, column Departure: the departure must be after the arrival",
    }]


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\x00\x00", b"name;age\nAnna;3\n"])
def test_a_file_that_cannot_be_read_exits_2_and_writes_nothing(
    database_url, capsys, tmp_path, content
):
    path = tmp_path / "arrivals.csv"
    path.write_bytes(content)
    status, summary = import_command(capsys, path)
    assert status == 2
    assert set(summary) == CONTRACT
    [error] = summary["errors"]
    assert (error["row"], error["column"]) == (None, None)
    assert error["message"]
    assert count(database_url, ImportRecord) == count(database_url, Property) == 0


def test_a_missing_file_exits_2(database_url, capsys, tmp_path):
    status, summary = import_command(capsys, tmp_path / "nowhere.csv")
    assert status == 2
    assert "cannot be opened" in summary["errors"][0]["message"]


def test_a_dry_run_reports_and_writes_nothing(database_url, capsys, arrivals):
    status, summary = import_command(capsys, arrivals(WITH_A_BAD_ROW), "--dry-run")
    assert (status, summary["created"], len(summary["errors"])) == (1, 2, 1)
    assert summary["tasks_created"] == 1
    assert count(database_url, Reservation) == count(database_url, ImportRecord) == 0


def test_replace_range_and_property_options(database_url, capsys, arrivals):
    import_command(capsys, arrivals(GOOD))
    only_one = arrivals("Conf. No;Guest Name;Arrival;Departure\n"
                        "C101;James Whitfield;14/07/2026;17/07/2026\n", name="later.csv")
    status, summary = import_command(capsys, only_one, "--property", "HOTEL", "--replace-range")
    assert (status, summary["cancelled"], summary["tasks_cancelled"]) == (0, 1, 1)
    status, summary = import_command(capsys, only_one, "--property", "NOPE")
    assert status == 2
    assert "NOPE" in summary["errors"][0]["message"]


def test_the_real_command_prints_a_summary(database_url, arrivals):
    path = arrivals(WITH_A_BAD_ROW)
    done = subprocess.run(
        [sys.executable, "-m", "guests", "import", str(path)], cwd=ROOT, capture_output=True,
        text=True, env={**os.environ, "DATABASE_URL": database_url}, timeout=120, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "created 2, updated 0, unchanged 0, cancelled 0, rejected 1" in done.stdout
    assert "row 4, column Departure: the departure must be after the arrival" in done.stdout
    assert "columns ignored: Loyalty tier" in done.stdout
