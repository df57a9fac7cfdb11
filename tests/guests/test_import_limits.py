"""A file cannot take the server down: limits are checked before parsing, and what is within
them is read whole (long cells, every sheet with arrivals, UTF-16 without a BOM)."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from guests.__main__ import main
from guests.import_file import (
    MB,
    ImportLimits,
    UnreadableFile,
    parse_rows,
    read_export,
)

HEADER = ["Conf. No", "Guest Name", "Arrival", "Departure", "Specials"]
SMALL = ImportLimits(max_bytes=MB, max_rows=10, max_unpacked_bytes=5 * MB, max_ratio=100)


def csv_of(rows: list[list[str]], separator: str = ";") -> str:
    return "".join(separator.join(row) + "\n" for row in rows)


def workbook(**sheets: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A workbook-looking zip whose one member unpacks to `unpacked_mb` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * MB
            for _ in range(unpacked_mb):
                member.write(block)
    return out.getvalue()


def refused(data: bytes, limits: ImportLimits = SMALL) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_export(data, "arrivals", limits)
    return caught.value


def test_a_file_over_the_size_limit_is_refused_and_the_message_names_the_limit():
    error = refused(b"x" * (MB + 1))
    assert error.key == "import.file_too_large"
    assert "1 MB" in error.english() and "HOTEL_IMPORT_MAX_MB" in error.english()


def test_more_rows_than_the_limit_are_refused():
    rows = [HEADER] + [[f"C{n}", "Anna", "14/07/2026", "16/07/2026", ""] for n in range(11)]
    error = refused(csv_of(rows).encode())
    assert error.key == "import.file_too_many_rows"
    assert "10 rows" in error.english()
    assert len(read_export(csv_of(rows[:11]).encode(), "ok", SMALL).rows) == 10


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened():
    bomb = zip_bomb(6)
    assert len(bomb) < 100_000
    error = refused(bomb)
    assert error.key == "import.file_unpacks_too_large"
    assert "HOTEL_IMPORT_MAX_UNPACKED_MB" in error.english()


def test_a_workbook_compressed_beyond_the_ratio_is_refused_before_it_is_opened():
    error = refused(zip_bomb(3))  # 3 MB of zeros in a few KB: under the size, over the ratio
    assert error.key == "import.file_compression_ratio"


def test_the_command_line_exits_2_and_names_the_limit(database_url, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("HOTEL_IMPORT_MAX_MB", "1")
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"x" * (2 * MB))
    status = main(["import", str(path), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert status == 2
    assert "HOTEL_IMPORT_MAX_MB" in summary["errors"][0]["message"]


def with_long_cell(data: bytes, placeholder: str, text: str) -> bytes:
    """openpyxl cuts what it writes at Excel's 32,767 characters: put the long text in the
    workbook's XML ourselves, as another program may."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(member, content.replace(placeholder.encode(), text.encode()))
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_one_megabyte_wish_is_kept_whole(kind):
    wish = ("severe peanut allergy, no nuts at all please. " * 23_000)[:MB]
    rows = [HEADER, ["C1", "Anna", "14/07/2026", "16/07/2026", wish],
            ["C2", "Ben", "14/07/2026", "16/07/2026", "cot"]]
    if kind == "csv":
        data = csv_of(rows).encode()
    else:
        rows[1][4] = "WISH-PLACEHOLDER"
        data = with_long_cell(workbook(Arrivals=rows), "WISH-PLACEHOLDER", wish)
    limits = ImportLimits(max_bytes=20 * MB, max_rows=100, max_unpacked_bytes=50 * MB,
                          max_ratio=1000)
    good, problems, _ = parse_rows(read_export(data, "arrivals", limits))
    assert problems == []
    assert [len(r.values["wish_text"]) for r in good] == [len(wish.strip()), 3]


def test_every_sheet_with_the_arrivals_header_is_read_and_the_others_are_named():
    data = workbook(
        Today=[HEADER, ["C1", "Anna", "14/07/2026", "16/07/2026", ""],
               ["C2", "Bad", "14/07/2026", "13/07/2026", ""]],
        Notes=[["Printed by", "reception"]],
        Tomorrow=[["Tomorrow's list"], HEADER, ["C3", "Carl", "15/07/2026", "16/07/2026", "cot"]],
    )
    export = read_export(data, "arrivals.xlsx")
    assert (export.sheets, export.sheets_left_out) == (["Today", "Tomorrow"], ["Notes"])
    good, problems, _ = parse_rows(export)
    assert [(r.confirmation_number, r.sheet, r.row) for r in good] == [
        ("C1", "Today", 2), ("C3", "Tomorrow", 3)]
    [problem] = problems
    assert problem.english().startswith("sheet Today, row 3, column Departure:")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_its_byte_order_mark(codec):
    rows = [["Conf. No", "Guest Name", "Arrival", "Departure"],
            ["C1", "Zoë Łukasz", "14/07/2026", "16/07/2026"]]
    good, problems, _ = parse_rows(read_export(csv_of(rows, "\t").encode(codec), "a.txt"))
    assert problems == []
    assert [r.values["guest_name"] for r in good] == ["Zoë Łukasz"]


def test_a_departure_more_than_two_years_after_arrival_is_a_row_error():
    rows = [HEADER, ["C1", "Anna", "14/07/2026", "16/07/2028", ""],
            ["C2", "Ben", "14/07/2026", "14/07/2028", ""]]
    good, [problem], _ = parse_rows(read_export(csv_of(rows).encode(), "a.csv"))
    assert [r.confirmation_number for r in good] == ["C2"]
    assert (problem.row, problem.column, problem.key) == (2, "Departure",
                                                          "import.error_stay_too_long")


def test_a_workbook_of_too_many_parts_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1001):
            archive.writestr(f"xl/part{n}.xml", "<x/>")
    assert refused(out.getvalue()).key == "import.file_too_many_parts"


def test_the_server_refuses_an_upload_far_over_the_file_limit_before_holding_it():
    """Streamlit keeps an upload whole in memory before the page can check its size: its own
    limit (200 MB unless set) is brought down to just over the import's."""
    import tomllib

    from core.settings import ROOT
    from guests.import_file import ImportLimits

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = config["server"]["maxUploadSize"]
    assert ImportLimits.from_environment().max_bytes <= upload_mb * MB < 50 * MB
