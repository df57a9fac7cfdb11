"""Reading an arrivals export: encodings, separators, headers, dates, times and bad rows.

No database here: these are the file's rules (guests.import_file).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time

import openpyxl
import pytest

from core.i18n import t
from guests.import_file import (
    ALIASES,
    UnreadableFile,
    field_of,
    parse_date,
    parse_rows,
    parse_time,
    read_export,
)

FRENCH_HEADER = ["N° de confirmation", "Nom du client", "Date d'arrivée", "Date de départ",
                 "N° chambre", "Heure d'arrivée", "Demandes particulières"]
FRENCH_ROWS = [
    ["C100", "Hélène Lefèvre", "14/07/2026", "16/07/2026", "104", "23h30",
     "Un lit bébé, merci ; chambre calme"],
    ["C101", "François Müller", "15/07/2026", "18/07/2026", "", "", ""],
]


def csv_bytes(rows: list[list[str]], *, separator: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def parsed(data: bytes):
    export = read_export(data, "arrivals")
    rows, problems, repeats = parse_rows(export)
    return export, rows, problems, repeats


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_every_encoding_and_separator_reads_the_same_accents(tmp_path, encoding, separator):
    path = tmp_path / "arrivals.csv"
    path.write_bytes(csv_bytes([FRENCH_HEADER, *FRENCH_ROWS], separator=separator,
                               encoding=encoding))
    export, rows, problems, _ = parsed(path.read_bytes())
    assert problems == []
    assert [r.values["guest_name"] for r in rows] == ["Hélène Lefèvre", "François Müller"]
    assert rows[0].values["wish_text"] == "Un lit bébé, merci ; chambre calme"
    assert rows[0].values["eta"] == time(23, 30)
    assert export.separator == {",": "comma", ";": "semicolon", "\t": "tab"}[separator]


def test_a_byte_that_windows_1252_leaves_undefined_is_read_as_latin_1():
    data = csv_bytes([FRENCH_HEADER, FRENCH_ROWS[0]], encoding="latin-1") + "\x81".encode(
        "latin-1")
    export, rows, _, _ = parsed(data)
    assert export.encoding == "latin-1"
    assert rows[0].values["guest_name"] == "Hélène Lefèvre"


def test_excel_unicode_text_is_read_too():
    export, rows, _, _ = parsed(csv_bytes([FRENCH_HEADER, *FRENCH_ROWS], separator="\t",
                                          encoding="utf-16"))
    assert export.encoding == "utf-16"
    assert rows[1].values["guest_name"] == "François Müller"


def test_blank_lines_trailing_empty_columns_and_a_title_above_the_header_are_ignored():
    data = (
        "Arrivals for 14/07/2026,,,,,\n"
        "\n"
        "Conf. No,Guest Name,Arrival,Departure,Market code,,\n"
        "C100,Marie Dubois,2026-07-14,2026-07-16,WEB,,\n"
        ",,,,,,\n"
        "\n"
        "C101,James Whitfield,2026-07-14,2026-07-15,GDS,,,,\n"
    ).encode("cp1252")
    export, rows, problems, _ = parsed(data)
    assert problems == []
    assert [(r.row, r.confirmation_number) for r in rows] == [(4, "C100"), (7, "C101")]
    assert export.header_row == 3
    assert export.unknown_columns == ["Market code"]


@pytest.mark.parametrize(
    ("header", "field"),
    [(alias, name) for name, aliases in ALIASES.items() for alias in aliases]
    + [("CONF.NO.", "confirmation"), ("  arrival   date ", "arrival"),
       ("DATE D’ARRIVÉE", "arrival"), ("n° RÉSERVATION", "confirmation"), ("e_mail", "email"),
       ("Heure-d'arrivee", "eta")],
)
def test_headers_match_without_regard_to_case_accents_spaces_and_punctuation(header, field):
    assert field_of(header) == field


def test_first_and_last_name_make_the_guest_name_and_several_wish_columns_are_all_read():
    data = csv_bytes([
        ["Booking ID", "Prénom", "Nom", "Check-in", "Check-out", "Specials", "Comments",
         "Remarques"],
        ["B1", "Anne", "Martin", "2026-07-14", "2026-07-15", "Baby cot", "", "Étage élevé"],
    ])
    _, [row], _, _ = parsed(data)
    assert row.values["guest_name"] == "Anne Martin"
    assert row.values["wish_text"] == "Baby cot\nÉtage élevé"


def test_a_name_column_beside_a_first_name_column_is_the_family_name():
    data = csv_bytes([["Reservation ID", "First Name", "Name", "Arrival", "Departure"],
                      ["R1", "Ana", "Souza", "2026-07-14", "2026-07-15"]])
    _, [row], _, _ = parsed(data)
    assert row.values["guest_name"] == "Ana Souza"


def test_nom_alone_is_the_whole_name():
    data = csv_bytes([["Référence", "Nom", "Arrivée", "Départ"],
                      ["R1", "Ana Souza", "14/07/2026", "15/07/2026"]])
    _, [row], _, _ = parsed(data)
    assert row.values["guest_name"] == "Ana Souza"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-07-14", date(2026, 7, 14)),
        ("2026-07-14 00:00:00", date(2026, 7, 14)),
        ("2026-07-14T00:00:00", date(2026, 7, 14)),
        ("14/07/2026", date(2026, 7, 14)),
        ("14/07/2026 00:00", date(2026, 7, 14)),
        ("4/7/2026", date(2026, 7, 4)),
        ("14.07.2026", date(2026, 7, 14)),
        ("14-07-26", date(2026, 7, 14)),
        ("14/07/26", date(2026, 7, 14)),
        ("14-JUL-26", date(2026, 7, 14)),
        ("14 juil. 2026", date(2026, 7, 14)),
        ("1 août 2026", date(2026, 8, 1)),
        ("46217", date(2026, 7, 14)),
        (46217, date(2026, 7, 14)),
        (46217.0, date(2026, 7, 14)),
        (datetime(2026, 7, 14, 0, 0), date(2026, 7, 14)),
        (date(2026, 7, 14), date(2026, 7, 14)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_every_usual_way(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("written", ["31/02/2026", "07/14/2026", "tomorrow", "2026-13-01", "12",
                                     "14/07", 3.0, "99999"])
def test_a_date_that_cannot_be_read_is_refused(written):
    with pytest.raises(ValueError):
        parse_date(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("23:30", time(23, 30)), ("23:30:00", time(23, 30)), ("23h30", time(23, 30)),
        ("23h", time(23, 0)), ("23H", time(23, 0)), ("9h05", time(9, 5)),
        ("11pm", time(23, 0)), ("11 PM", time(23, 0)), ("11.30 pm", time(23, 30)),
        ("11:30pm", time(23, 30)), ("11 p.m.", time(23, 0)), ("12am", time(0, 0)),
        ("12pm", time(12, 0)), ("7am", time(7, 0)), (time(23, 30), time(23, 30)),
        (0.979166666, time(23, 30)), ("", None), (None, None),
    ],
)
def test_times_are_read_in_every_usual_way(written, expected):
    assert parse_time(written) == expected


@pytest.mark.parametrize("written", ["late", "25:00", "23:60", "13pm", "0am", "2330", 1.5])
def test_a_time_that_cannot_be_read_is_refused(written):
    with pytest.raises(ValueError):
        parse_time(written)


def test_an_xlsx_with_real_date_and_time_cells_and_serial_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes["A1"] = "Printed 14/07/2026"
    sheet = workbook.create_sheet("Arrivals")
    sheet["A3"] = "Conf. No"  # the header on row 3, as the spreadsheet shows it
    for column, title in enumerate(["Guest Name", "Arrival", "Departure", "ETA", "Room",
                                    "Adults", "Specials"], start=2):
        sheet.cell(row=3, column=column, value=title)
    sheet.append([12345, "Marie Dubois", date(2026, 7, 14), datetime(2026, 7, 16), time(23, 30),
                  104, 2, "Lit bébé"])
    sheet.append(["C2", "James Whitfield", 46217, 46219.0, "11pm", "510", 1.0, None])
    sheet.append([])
    sheet.append(["C3", "Bad Date", "31/02/2026", date(2026, 7, 20), None, None, None, None])
    path = tmp_path / "arrivals.xlsx"
    workbook.save(path)
    export, rows, problems, _ = parsed(path.read_bytes())
    assert (export.kind, export.sheet, export.header_row) == ("xlsx", "Arrivals", 3)
    first, second = rows
    assert (first.row, first.confirmation_number) == (4, "12345")
    assert first.values["arrival"] == date(2026, 7, 14)
    assert first.values["departure"] == date(2026, 7, 16)
    assert first.values["eta"] == time(23, 30)
    assert (first.values["room"], first.values["adults"]) == ("104", 2)
    assert (second.values["arrival"], second.values["departure"]) == (date(2026, 7, 14),
                                                                      date(2026, 7, 16))
    assert second.values["eta"] == time(23, 0)
    [problem] = problems
    assert (problem.row, problem.column) == (7, "Arrival")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "import.file_empty"),
        (b"  \r\n\r\n ", "import.file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "import.file_old_excel"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "import.file_not_table"),
        (b"PK\x03\x04 this is no workbook", "import.file_not_table"),
        (b"name,age\nAnna,3\n", "import.file_no_header"),
        ("Conf. No;Arrivée;Départ\nC1;14/07/2026;15/07/2026\n".encode(),
         "import.file_missing_columns"),
        # a quote never closed: the rest of the file would be one guest's name
        (b'Conf. No,Guest Name,Arrival,Departure\nC1,"Anna,14/07/2026,15/07/2026\n'
         b"C2,Bob,14/07/2026,16/07/2026\n", "import.file_unclosed_quote"),
    ],
)
def test_a_file_nothing_can_be_read_from_says_why(data, key):
    with pytest.raises(UnreadableFile) as caught:
        read_export(data, "arrivals")
    assert caught.value.key == key
    assert caught.value.english()  # a sentence, not a key


def test_an_unclosed_quote_names_the_row_it_was_opened_in():
    data = (b"Conf. No;Guest Name;Arrival;Departure\n\nC1;Anna;14/07/2026;15/07/2026\n"
            b'C2;"Bob;14/07/2026;16/07/2026\nC3;Carl;14/07/2026;16/07/2026\n')
    with pytest.raises(UnreadableFile) as caught:
        read_export(data, "arrivals.csv")
    assert caught.value.english().startswith("A quote opened in row 4 is never closed")
    assert "ligne 4" in t(caught.value.key, "fr", **caught.value.values)


def test_cells_past_the_header_are_named_as_unknown_columns_and_a_stray_quote_is_kept():
    data = (b'Conf. No,Guest Name,Arrival,Departure,Specials\n'
            b'C1,Anna,14/07/2026,15/07/2026,"line one\nline two"\n'
            b'C2,Bo"b,14/07/2026,16/07/2026,"a ""quoted"" word",extra,cells\n')
    export = read_export(data, "arrivals.csv")
    assert export.unknown_columns == ["column 6 (no header)", "column 7 (no header)"]
    rows, problems, _ = parse_rows(export)
    assert problems == []
    assert [(r.values["guest_name"], r.values["wish_text"]) for r in rows] == [
        ("Anna", "line one\nline two"), ('Bo"b', 'a "quoted" word')]


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFile) as caught:
        read_export(buffer.getvalue(), "archive.zip")
    assert caught.value.key == "import.file_not_table"


BAD_ROWS = [
    ["Conf. No", "Guest Name", "Arrival", "Departure", "ETA", "Adults"],
    ["C1", "Good One", "14/07/2026", "16/07/2026", "", "2"],
    ["", "No Number", "14/07/2026", "16/07/2026", "", ""],
    ["C3", "Same Day", "14/07/2026", "14/07/2026", "", ""],
    ["C4", "Before", "14/07/2026", "13/07/2026", "", ""],
    ["C5", "Bad Date", "14/13/2026", "16/07/2026", "", ""],
    ["C6", "No Departure", "14/07/2026", "", "", ""],
    ["C7", "Twice", "14/07/2026", "16/07/2026", "", ""],
    ["C7", "Twice", "14/07/2026", "17/07/2026", "", ""],
    ["C8", "Again", "14/07/2026", "16/07/2026", "", ""],
    ["C8", "Again", "14/07/2026", "16/07/2026", "", ""],
    ["C9", "Late", "14/07/2026", "16/07/2026", "late", ""],
    ["C10", "", "14/07/2026", "16/07/2026", "", ""],
    ["C11", "Many", "14/07/2026", "16/07/2026", "", "two"],
]


def test_each_bad_row_gets_one_message_with_its_row_and_column():
    _, rows, problems, repeats = parsed(csv_bytes(BAD_ROWS))
    assert [r.confirmation_number for r in rows] == ["C1", "C8"]
    assert repeats == 1
    found = {(p.row, p.column): p.key for p in problems}
    assert found == {
        (3, "Conf. No"): "import.error_no_confirmation",
        (4, "Departure"): "import.error_departure_before_arrival",
        (5, "Departure"): "import.error_departure_before_arrival",
        (6, "Arrival"): "import.error_date",
        (7, "Departure"): "import.error_no_departure",
        (8, "Conf. No"): "import.error_duplicate",
        (9, "Conf. No"): "import.error_duplicate",
        (12, "ETA"): "import.error_time",
        (13, "Guest Name"): "import.error_no_name",
        (14, "Adults"): "import.error_count",
    }
    messages = {p.row: p.english() for p in problems}
    assert messages[4] == "row 4, column Departure: the departure must be after the arrival"
    assert messages[6].startswith('row 6, column Arrival: the date "14/13/2026" cannot be read')
    assert "C7" in messages[8] and "9" in messages[8]


def test_a_value_longer_than_the_database_holds_is_a_bad_row_not_a_crash():
    _, rows, [problem], _ = parsed(csv_bytes([
        ["Conf. No", "Guest Name", "Arrival", "Departure", "Room"],
        ["C1", "Anna", "14/07/2026", "16/07/2026", "1" * 21],
    ]))
    assert rows == []
    assert (problem.column, problem.key, problem.values) == ("Room", "import.error_too_long",
                                                             {"limit": 20})


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_wish_text_is_kept_whole_whatever_its_length_or_content(separator):
    text = ('=HYPERLINK("http://x") ; "quoted", \ttabbed\nsecond line\r\nthird; ' + "é" * 50_000
            + " <script>alert(1)</script> **bold** # 🎂")
    _, [row], problems, _ = parsed(csv_bytes(
        [["Conf. No", "Guest Name", "Arrival", "Departure", "Comments"],
         ["C1", "Anna", "2026-07-14", "2026-07-16", text]], separator=separator))
    assert problems == []
    assert row.values["wish_text"] == text.strip()


def test_status_cancelled_in_english_or_french():
    rows = [["Conf. No", "Guest Name", "Arrival", "Departure", "Statut"]]
    for i, status in enumerate(["Cancelled", "CANCELED", "Annulée", "annulee", "Reserved", ""]):
        rows.append([f"C{i}", "Anna", "2026-07-14", "2026-07-16", status])
    _, parsed_rows, _, _ = parsed(csv_bytes(rows))
    assert [r.values["status"] for r in parsed_rows] == ["cancelled"] * 4 + ["booked"] * 2
