"""Reading a property-management-system arrivals export: the file, its header, its cells.

Pure functions, no database: `read_export` turns the bytes of a CSV or XLSX file into rows of
cells under recognised columns, and `parse_rows` turns each row into the values of a
reservation, or into one problem with its row number and column. Row numbers are the ones a
spreadsheet shows for the file (the header is usually row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from core.errors import UserError
from core.i18n import t
from core.settings import env_int

# --- columns -------------------------------------------------------------------------------------

# Each field's header aliases, written as people write them; matched without regard to case,
# accents, spaces and punctuation (see `header_key`).
ALIASES: dict[str, tuple[str, ...]] = {
    "confirmation": (
        "Conf. No", "Conf No", "Conf #", "Conf", "Conf Number", "Confirmation",
        "Confirmation Number", "Confirmation No", "Confirmation #", "Booking ID", "Booking No",
        "Booking Number", "Booking Reference", "Booking Ref", "Reservation ID",
        "Reservation Number", "Reservation No", "Res No", "Res ID", "Resv No",
        "N° de confirmation", "Nº de confirmation", "No de confirmation",
        "Numéro de confirmation", "N° confirmation", "N° réservation", "Nº réservation",
        "N° de réservation", "No réservation", "Numéro de réservation", "Référence",
        "Référence réservation", "Reference",
    ),
    "guest_name": (
        "Guest Name", "Name", "Guest", "Full Name", "Guest Full Name", "Nom du client",
        "Nom client", "Client", "Nom complet",
    ),
    "first_name": ("First Name", "Firstname", "Given Name", "Prénom"),
    "last_name": ("Last Name", "Lastname", "Surname", "Family Name", "Nom", "Nom de famille"),
    "arrival": (
        "Arrival", "Arrival Date", "Arr", "Arr Date", "Check-in", "Check-in Date", "Checkin",
        "Arrivée", "Date d'arrivée", "Date arrivée",
    ),
    "departure": (
        "Departure", "Departure Date", "Dep", "Dep Date", "Check-out", "Check-out Date",
        "Checkout", "Départ", "Date de départ", "Date départ",
    ),
    "room": (
        "Room", "Room No", "Room Number", "Room #", "Rm", "Rm No", "Chambre", "N° chambre",
        "Nº chambre", "No chambre", "Numéro de chambre", "Numéro chambre", "N° de chambre",
    ),
    "room_type": (
        "Room Type", "Rm Type", "Room Category", "Category", "Type de chambre", "Type chambre",
        "Catégorie",
    ),
    "eta": (
        "ETA", "Arrival Time", "Expected Arrival Time", "Estimated Time of Arrival",
        "Heure d'arrivée", "Heure arrivée", "Heure d'arrivée prévue",
    ),
    "adults": ("Adults", "Adult", "Nb Adults", "Adultes", "Adulte", "Nb adultes"),
    "children": ("Children", "Child", "Kids", "Nb Children", "Enfants", "Enfant", "Nb enfants"),
    "vip": ("VIP", "VIP Level", "VIP Code", "VIP Status", "Statut VIP", "Niveau VIP"),
    "language": ("Language", "Lang", "Guest Language", "Langue", "Langue du client"),
    "email": ("Email", "E-mail", "Mail", "Email Address", "Courriel", "Adresse e-mail",
              "Adresse email"),
    "phone": ("Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Téléphone", "Portable"),
    "status": ("Status", "Reservation Status", "Res Status", "Statut", "État",
               "Statut de la réservation"),
    "wishes": (
        "Specials", "Special Requests", "Special Request", "Comments", "Comment", "Notes",
        "Note", "Remarks", "Requests", "Wishes", "Guest Requests", "Demandes particulières",
        "Demandes spéciales", "Demandes", "Commentaires", "Commentaire", "Remarques",
        "Remarque", "Souhaits",
    ),
}
REQUIRED = ("confirmation", "arrival", "departure")  # and a name: full, or first + last
MAX_LENGTH = {  # the database's column sizes
    "confirmation": 60, "guest_name": 300, "room": 20, "room_type": 60, "email": 300,
    "phone": 60,
}
MISSING_DATE = {"arrival": "import.error_no_arrival", "departure": "import.error_no_departure"}
FIELD_LABELS = {  # field -> translation key, for the preview
    "confirmation": "import.field_confirmation", "guest_name": "import.field_guest_name",
    "first_name": "import.field_first_name", "last_name": "import.field_last_name",
    "arrival": "import.field_arrival", "departure": "import.field_departure",
    "room": "import.field_room", "room_type": "import.field_room_type", "eta": "import.field_eta",
    "adults": "import.field_adults", "children": "import.field_children",
    "vip": "import.field_vip", "language": "import.field_language",
    "email": "import.field_email", "phone": "import.field_phone",
    "status": "import.field_status", "wishes": "import.field_wishes",
}
CANCELLED = {"cancelled", "canceled", "cancel", "cxl", "annule", "annulee", "annulation"}
HEADER_SEARCH_ROWS = 20  # a report title or a print date may stand above the header
TEXT_SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = (18264, 91675)  # 1950-01-01 .. 2150-12-31: plausible stay dates only
LONGEST_STAY = timedelta(days=731)  # a departure more than 2 years after arrival is a typo
SHEET_KEY = "_sheet"  # in a row's cells: the workbook sheet it comes from
Cells = dict[str, Sequence[Any]]  # a row's cells: field -> its cells (several for wishes)
_REPEATING = frozenset(("arrival", "departure", "room", "room_type", "eta", "adults", "children",
                        "vip", "language", "status"))  # a few values down thousands of rows


# --- limits, checked before anything is parsed ---------------------------------------------------


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold, so that no file can take the server down (env settings)."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int  # an .xlsx is a zip: the total of its members once unpacked
    max_ratio: int  # unpacked / packed, for any member above 1 MB unpacked

    @classmethod
    def from_environment(cls) -> ImportLimits:
        return cls(
            max_bytes=env_int("HOTEL_IMPORT_MAX_MB", 20) * MB,
            max_rows=env_int("HOTEL_IMPORT_MAX_ROWS", 100_000),
            max_unpacked_bytes=env_int("HOTEL_IMPORT_MAX_UNPACKED_MB", 200) * MB,
            max_ratio=env_int("HOTEL_IMPORT_MAX_RATIO", 100),
        )


MB = 1024 * 1024
MAX_PARTS = 1000  # members of an .xlsx zip: a workbook of arrivals has a few dozen


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def check_size(size: int, limits: ImportLimits | None = None) -> None:
    """Before the bytes are even read: a file over the size limit is refused."""
    limits = limits or ImportLimits.from_environment()
    if size > limits.max_bytes:
        raise UnreadableFile("import.file_too_large", size=_megabytes(size),
                             limit=_megabytes(limits.max_bytes))


def check_workbook(data: bytes, limits: ImportLimits) -> None:
    """An .xlsx's zip directory, read before the workbook is opened: a zip bomb is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile("import.file_not_table") from exc
    if len(members) > MAX_PARTS:
        raise UnreadableFile("import.file_too_many_parts", parts=len(members), limit=MAX_PARTS)
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise UnreadableFile("import.file_unpacks_too_large", size=_megabytes(unpacked),
                             limit=_megabytes(limits.max_unpacked_bytes))
    for member in members:
        if member.file_size > MB and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise UnreadableFile("import.file_compression_ratio",
                                 ratio=member.file_size // max(member.compress_size, 1),
                                 limit=limits.max_ratio)


def check_rows(count: int, limits: ImportLimits) -> None:
    if count > limits.max_rows:
        raise UnreadableFile("import.file_too_many_rows", rows=count, limit=limits.max_rows)


def header_key(text: Any) -> str:
    """ "N° de Réservation " -> "ndereservation": what is left after case, accents, punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


_FIELD_OF = {header_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def field_of(header: Any) -> str | None:
    return _FIELD_OF.get(header_key(header)) if header_key(header) else None


# --- problems -------------------------------------------------------------------------------------


class UnreadableFile(UserError):
    """Nothing in the file can be imported: wrong format, empty, or no recognisable header."""

    def english(self) -> str:
        return t(self.key, "en", **self.values)


@dataclass(frozen=True)
class RowProblem:
    """One bad row: its number in the file, the column at fault, and why (a translation key)."""

    row: int
    column: str | None
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None  # in a workbook of several sheets

    def message(self, language: str = "en") -> str:
        return t(self.key, language, **self.values)

    def english(self) -> str:
        where = t("import.where_row", "en", row=self.row)
        if self.column:
            where = t("import.where_row_column", "en", row=self.row, column=self.column)
        if self.sheet:
            where = t("import.where_sheet", "en", sheet=self.sheet, where=where)
        return f"{where}: {self.message('en')}"


class _BadCell(ValueError):
    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


# --- reading the file -----------------------------------------------------------------------------


@dataclass
class ExportFile:
    """A file read and its header matched: what the preview's first part shows."""

    name: str
    sha256: str
    kind: str  # "csv" or "xlsx"
    encoding: str | None
    separator: str | None  # "comma", "semicolon" or "tab" for CSV
    sheet: str | None
    header_row: int
    columns: dict[str, list[str]]  # field -> headers as written (several for the wishes)
    unknown_columns: list[str]
    rows: list[tuple[int, Cells]]  # (row number, field -> its cells)
    sheets: list[str] = field(default_factory=list)  # every sheet imported, in order
    sheets_left_out: list[str] = field(default_factory=list)  # sheets without the header
    # OpenTravel XML only (guests.import_ota): cancellations that carry no stay, and what the
    # file says of a reservation that is no field of ours (its version time, so that an older
    # version never undoes a newer one; the channel's request codes), keyed "_name".
    cancellations: list[ImportRow] = field(default_factory=list)
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The channel's ID of each reservation -> the numbers its rooms were read as (ID, or ID-1,
    # ID-2...), none for a cancellation: the planner matches them with the rooms imported before.
    channel_rooms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recognised(self) -> dict[str, str]:
        """Header as written -> field, for the preview."""
        return {header: name for name, headers in self.columns.items() for header in headers}


def read_export(data: bytes, name: str = "", limits: ImportLimits | None = None) -> ExportFile:
    """Reads a CSV (any of the usual encodings and separators) or an XLSX workbook.

    The limits are checked first, before any parsing: size, an .xlsx's unpacked size and
    compression ratio, then the number of rows.
    """
    limits = limits or ImportLimits.from_environment()
    check_size(len(data), limits)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise UnreadableFile("import.file_empty")
    if data.startswith(b"PK\x03\x04"):
        check_workbook(data, limits)
        export = _read_xlsx(data, name, digest)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("import.file_old_excel")
    else:
        text, encoding = _decode(data)
        # Multi-line cells make more lines than rows: the exact count comes after parsing.
        check_rows(max(text.count("\n") // 2 - HEADER_SEARCH_ROWS, 0), limits)
        export = _read_csv(text, encoding, name, digest)
    check_rows(len(export.rows), limits)
    return export


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return _utf16(data, "utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        sample = data[:4096]
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) // 4 and even == 0:  # "C\0o\0n\0f\0": little-endian
            return _utf16(data, "utf-16-le"), "utf-16-le"
        if even > len(sample) // 4 and odd == 0:
            return _utf16(data, "utf-16-be"), "utf-16-be"
        raise UnreadableFile("import.file_not_table")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1"), "latin-1"


def _utf16(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile("import.file_not_table") from exc


def _read_csv(text: str, encoding: str, name: str, digest: str) -> ExportFile:
    text = text.replace("\x00", "")
    if not text.strip():
        raise UnreadableFile("import.file_empty")
    lines = text[:4096].splitlines()  # the first line, not the file's every line
    first = lines[0].strip() if lines else ""
    hint = re.fullmatch(r'"?sep=(.)"?,*', first)  # Excel's "sep=;" first line
    candidates = (hint.group(1),) if hint else TEXT_SEPARATORS
    best: tuple[int, int, str] | None = None
    for separator in candidates:
        records = list(_first_records(text, separator))
        found = _find_header(records)
        if found is not None:
            score = (len(found[1]), -TEXT_SEPARATORS.index(separator)
                     if separator in TEXT_SEPARATORS else 0)
            if best is None or score > best[:2]:
                best = (*score, separator)
    if best is None:
        raise UnreadableFile("import.file_no_header", expected=_expected_headers())
    separator = best[2]
    return _build(_csv_records(text, separator), name, digest, "csv", encoding,
                  SEPARATOR_NAMES.get(separator, separator), None)


def _csv_records(text: str, separator: str) -> list[list[str]]:
    """The rows, with the csv module rather than pandas: its rows are the lists _build wants,
    and the command-line import does not load pandas (a big file's memory, its start-up).
    A stray quote inside a cell is kept as written; a quote never closed, which would make
    the rest of the file one cell, refuses the file, naming the row it was opened in."""
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text), delimiter=separator, strict=True))
        return records
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise UnreadableFile("import.file_unclosed_quote", row=len(records) + 1) from exc
    try:
        return list(csv.reader(io.StringIO(text), delimiter=separator))
    except csv.Error as exc:
        raise UnreadableFile("import.file_not_table") from exc


# A cell may be as long as the file (a 1 MB wish is kept whole): no per-field limit but the file's.
csv.field_size_limit(2**31 - 1)


def _first_records(text: str, separator: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    records = []
    try:
        for record in reader:
            records.append(record)
            if len(records) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    return records


def _read_xlsx(data: bytes, name: str, digest: str) -> ExportFile:
    import pandas as pd  # only workbooks need it: CSV files are read without it

    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object,
                               engine="openpyxl")
    except Exception as exc:  # a damaged or foreign zip: openpyxl raises many kinds
        raise UnreadableFile("import.file_not_table") from exc
    if not sheets or all(frame.empty for frame in sheets.values()):
        raise UnreadableFile("import.file_empty")
    parts: list[ExportFile] = []
    left_out: list[str] = []
    for sheet, frame in sheets.items():
        # an empty cell is None, whatever pandas made of it (NaN, NaT)
        records = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
        if _find_header(records[:HEADER_SEARCH_ROWS]) is not None:
            parts.append(_build(records, name, digest, "xlsx", None, None, str(sheet)))
        else:
            left_out.append(str(sheet))
    if not parts:
        raise UnreadableFile("import.file_no_header", expected=_expected_headers())
    return _combined(parts, left_out)


def _combined(parts: list[ExportFile], left_out: list[str]) -> ExportFile:
    """Every sheet that carries the arrivals header, one after the other; each row knows its
    sheet (SHEET_KEY) when there are several."""
    first = parts[0]
    if len(parts) == 1:
        first.sheets, first.sheets_left_out = [first.sheet or ""], left_out
        return first
    columns: dict[str, list[str]] = {}
    unknown: list[str] = []
    rows: list[tuple[int, Cells]] = []
    for part in parts:
        for name_, headers in part.columns.items():
            columns.setdefault(name_, list(headers))
        unknown += [c for c in part.unknown_columns if c not in unknown]
        rows += [(number, {**cells, SHEET_KEY: [part.sheet]}) for number, cells in part.rows]
    return ExportFile(
        name=first.name, sha256=first.sha256, kind="xlsx", encoding=None, separator=None,
        sheet=first.sheet, header_row=first.header_row, columns=columns,
        unknown_columns=unknown, rows=rows, sheets=[p.sheet or "" for p in parts],
        sheets_left_out=left_out,
    )


def _expected_headers() -> str:
    return ", ".join(ALIASES[f][1] if f == "confirmation" else ALIASES[f][0] for f in REQUIRED)


def _find_header(records: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    """The first row naming a confirmation number and an arrival or departure column."""
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        fields = {i: f for i, cell in enumerate(record) if (f := field_of(_text(cell)))}
        found = set(fields.values())
        if "confirmation" in found and found & {"arrival", "departure"}:
            return index, fields
    return None


def _build(records: list[list[Any]], name: str, digest: str, kind: str, encoding: str | None,
           separator: str | None, sheet: str | None) -> ExportFile:
    found = _find_header(records)
    assert found is not None
    header_index, fields = found
    header = [_text(cell) for cell in records[header_index]]
    columns: dict[str, list[str]] = defaultdict(list)
    positions: dict[str, list[int]] = defaultdict(list)
    unknown: list[str] = []
    body = records[header_index + 1:]
    header += [""] * (max(map(len, body), default=0) - len(header))  # cells past the header
    for i, title in enumerate(header):
        name_ = fields.get(i)
        if name_ is not None and (name_ == "wishes" or not positions[name_]):
            columns[name_].append(title)
            positions[name_].append(i)
        elif title:
            unknown.append(title)
        elif any(i < len(r) and _text(r[i]) for r in body):
            unknown.append(t("import.unnamed_column", "en", number=i + 1))
    _resolve_names(columns, positions)
    missing = [f for f in REQUIRED if f not in columns]
    if "guest_name" not in columns and "last_name" not in columns:
        missing.append("guest_name")
    if missing:
        raise UnreadableFile(
            "import.file_missing_columns",
            columns=", ".join(ALIASES[f][0] for f in missing),
        )
    rows = []
    width = 1 + max(i for where in positions.values() for i in where)
    single = [(name_, where[0]) for name_, where in positions.items()
              if len(where) == 1 and name_ not in _REPEATING]
    repeating = [(name_, where[0]) for name_, where in positions.items()
                 if len(where) == 1 and name_ in _REPEATING]
    several = [(name_, where) for name_, where in positions.items() if len(where) > 1]
    shared: dict[str, str] = {}  # a big file's memory: a value repeated down a column, once
    for offset, record in enumerate(body):
        if not any(_text(cell) for cell in record):
            continue  # blank lines, and rows of empty trailing columns
        if len(record) < width:  # a short line: its missing cells are empty
            record = [*record, *([None] * (width - len(record)))]
        # Tuples, not lists: a big file has a million of them (a 1-tuple is half a 1-list).
        cells: Cells = {name_: (record[i],) for name_, i in single}
        for name_, i in repeating:
            value = record[i]
            cells[name_] = (shared.setdefault(value, value) if type(value) is str else value,)
        for name_, where in several:
            cells[name_] = tuple(record[i] for i in where)
        rows.append((header_index + offset + 2, cells))
    return ExportFile(
        name=name, sha256=digest, kind=kind, encoding=encoding, separator=separator,
        sheet=sheet, header_row=header_index + 1, columns=dict(columns), unknown_columns=unknown,
        rows=rows,
    )


def _resolve_names(columns: dict[str, list[str]], positions: dict[str, list[int]]) -> None:
    """ "Name" beside "First Name" is the family name; "Nom" alone is the whole name."""
    if "first_name" in columns and "guest_name" in columns and "last_name" not in columns:
        columns["last_name"] = columns.pop("guest_name")
        positions["last_name"] = positions.pop("guest_name")
    if "first_name" not in columns and "last_name" in columns and "guest_name" not in columns:
        columns["guest_name"] = columns.pop("last_name")
        positions["guest_name"] = positions.pop("last_name")
    for name_ in list(positions):
        if not positions[name_]:
            del positions[name_]


# --- cells ----------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    """A cell as text: Excel's 104.0 is "104", a missing cell is ""."""
    if type(value) is str:  # nearly every cell: the quick way first
        return value.replace("\x00", "").strip()
    if _is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).replace("\x00", "").strip()


_MONTHS = {
    "jan": 1, "janv": 1, "janvier": 1, "january": 1, "feb": 2, "fev": 2, "fevr": 2,
    "fevrier": 2, "february": 2, "mar": 3, "mars": 3, "march": 3, "apr": 4, "avr": 4,
    "avril": 4, "april": 4, "may": 5, "mai": 5, "jun": 6, "juin": 6, "june": 6, "jul": 7,
    "juil": 7, "juillet": 7, "july": 7, "aug": 8, "aou": 8, "aout": 8, "august": 8, "sep": 9,
    "sept": 9, "septembre": 9, "september": 9, "oct": 10, "octobre": 10, "october": 10,
    "nov": 11, "novembre": 11, "november": 11, "dec": 12, "decembre": 12, "december": 12,
}
_TIME_TAIL = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME_TAIL)
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME_TAIL)
_MONTH_NAME = re.compile(r"(\d{1,2})[ \-/.]([a-z]+)\.?[ \-/.](\d{4}|\d{2})" + _TIME_TAIL)
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")


def parse_date(value: Any) -> date | None:
    """ISO, dd/mm/yyyy, dd.mm.yyyy, dd-mm-yy, 14-JUL-26, Excel date cells and serial numbers.

    None for an empty cell; ValueError for a date that cannot be read.
    """
    if _is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    return _date_of_text(_text(value))


@lru_cache(maxsize=4096)
def _date_of_text(text: str) -> date | None:
    """A file has a few hundred distinct dates in thousands of cells: each is read once."""
    if not text:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                    if not unicodedata.combining(c))
    if m := _ISO.fullmatch(plain):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_FIRST.fullmatch(plain):
        return date(_year(m[3]), int(m[2]), int(m[1]))
    if (m := _MONTH_NAME.fullmatch(plain)) and m[2] in _MONTHS:
        return date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
    if m := _SERIAL.fullmatch(plain):
        return _serial(float(m[1]))
    raise ValueError(text)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _serial(number: float) -> date:
    if not (EXCEL_SERIALS[0] <= number <= EXCEL_SERIALS[1]):
        raise ValueError(number)
    return EXCEL_EPOCH + timedelta(days=int(number))


_TIME_24 = re.compile(r"(\d{1,2})(?:[:h.](\d{2})(?::(\d{2})(?:\.\d+)?)?|h)")
_TIME_12 = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?([ap])\.?m\.?")


def parse_time(value: Any) -> time | None:
    """23:30, 23h30, 23h, 11pm, 11.30 pm, Excel time cells and day fractions; None if empty."""
    if _is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value < 1:
            raise ValueError(value)
        minutes = round(value * 24 * 60) % (24 * 60)
        return time(minutes // 60, minutes % 60)
    return _time_of_text(_text(value))


@lru_cache(maxsize=4096)
def _time_of_text(cell: str) -> time | None:
    text = cell.casefold().replace(" ", "")
    if not text:
        return None
    if m := _TIME_24.fullmatch(text):
        return time(int(m[1]), int(m[2] or 0))
    if m := _TIME_12.fullmatch(text):
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12:
            raise ValueError(text)
        return time(hour % 12 + (12 if m[3] == "p" else 0), minute)
    raise ValueError(text)


def _count(value: Any, default: int) -> int:
    text = _text(value)
    if not text:
        return default
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise _BadCell("import.error_count") from None
    if not number.is_integer() or not 0 <= number <= 99:
        raise _BadCell("import.error_count")
    return int(number)


_VIP_NO = {"", "0", "no", "non", "n", "false", "faux", "none", "aucun", "-"}
_VIP_YES = {"yes", "oui", "y", "o", "x", "true", "vrai", "vip"}


def _vip(value: Any) -> int:
    """0 for no, the level for "2" or "VIP2", 1 for any other mark."""
    return _vip_of_text(_text(value))


@lru_cache(maxsize=1024)
def _vip_of_text(cell: str) -> int:
    text = header_key(cell)
    if text in _VIP_NO:
        return 0
    if m := re.fullmatch(r"(?:vip|v)?(\d{1,2})", text):
        return int(m[1])
    return 1


_LANGUAGE_CODES = {
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "francais": "fr",
    "en": "en", "eng": "en", "english": "en", "anglais": "en",
    "de": "de", "deu": "de", "ger": "de", "german": "de", "deutsch": "de", "allemand": "de",
    "es": "es", "spa": "es", "spanish": "es", "espanol": "es", "espagnol": "es",
    "it": "it", "ita": "it", "italian": "it", "italiano": "it", "italien": "it",
    "nl": "nl", "dutch": "nl", "neerlandais": "nl", "pt": "pt", "portuguese": "pt",
    "portugais": "pt",
}


def _language(value: Any) -> str | None:
    """ "FR", "fr-FR", "French", "Français" -> "fr"; anything else is left unset."""
    return _language_of_text(_text(value))


@lru_cache(maxsize=1024)
def _language_of_text(text: str) -> str | None:
    key = header_key(text)
    if key in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[key]
    if re.fullmatch(r"[A-Za-z]{2}(?:[-_][A-Za-z]{2})?", text):
        return text[:2].lower()
    return None


def _status(value: Any) -> str:
    return _status_of_text(_text(value))


@lru_cache(maxsize=1024)
def _status_of_text(text: str) -> str:
    return "cancelled" if header_key(text) in CANCELLED else "booked"


# --- rows -----------------------------------------------------------------------------------------


@dataclass(slots=True)  # a big file has a hundred thousand of them
class ImportRow:
    """A good row: the reservation's values for the columns the file has."""

    row: int
    confirmation_number: str
    values: dict[str, Any]  # field -> value, only for fields that have a column
    sheet: str | None = None  # in a workbook of several sheets

    def fingerprint(self) -> dict[str, Any]:
        """The values as JSON-safe data: what the file said, to compare with the next file."""
        return {k: v.isoformat() if isinstance(v, date | time) else v
                for k, v in sorted(self.values.items())}


def parse_rows(export: ExportFile) -> tuple[list[ImportRow], list[RowProblem], int]:
    """Good rows, one problem per bad row, and how many exact repeats of a good row were skipped.

    A confirmation number on several rows with different data rejects all of them: the file
    does not say which one is right. Rows are told apart by sheet and number.
    """
    good: list[ImportRow] = []
    problems: list[RowProblem] = []
    Where = tuple[str | None, int]
    by_number: dict[str, list[tuple[Where, Cells]]] = defaultdict(list)
    for number, cells in export.rows:
        where = (_sheet_of(cells), number)
        try:
            row = _parse_row(export, number, cells)
        except _RowError as exc:
            problems.append(exc.problem)
            confirmation = _text(cells.get("confirmation", [None])[0])
            if confirmation:
                by_number[confirmation].append((where, cells))
            continue
        good.append(row)
        by_number[row.confirmation_number].append((where, cells))
    bad_rows = {(p.sheet, p.row) for p in problems}
    clashing: set[str] = set()
    repeats: set[Where] = set()
    for confirmation, seen in by_number.items():
        if len(seen) < 2:
            continue
        if len({_raw(cells) for _, cells in seen}) == 1:
            repeats |= {where for where, _ in seen[1:] if where not in bad_rows}
            continue
        clashing.add(confirmation)
        for where, _ in seen:
            if where not in bad_rows:
                others = ", ".join(_where_text(w, where[0]) for w, _ in seen if w != where)
                problems.append(RowProblem(
                    where[1], export.columns["confirmation"][0], "import.error_duplicate",
                    {"number": confirmation, "rows": others, "count": len(seen) - 1},
                sheet=where[0],
                ))
    good = [r for r in good
            if r.confirmation_number not in clashing and (r.sheet, r.row) not in repeats]
    problems.sort(key=lambda p: (export.sheets.index(p.sheet) if p.sheet in export.sheets
                                 else 0, p.row))
    return good, problems, len(repeats)


def _sheet_of(cells: Cells) -> str | None:
    return cells[SHEET_KEY][0] if SHEET_KEY in cells else None


def _where_text(where: tuple[str | None, int], here: str | None) -> str:
    sheet, number = where
    return str(number) if sheet == here else f"{sheet}!{number}"


def confirmation_numbers(export: ExportFile) -> set[str]:
    """Every confirmation number the file names, on good rows and bad."""
    return {n for _, cells in export.rows if (n := _text(cells.get("confirmation", [None])[0]))}


def _raw(cells: Cells) -> tuple:
    return tuple((k, tuple(_text(c) for c in v)) for k, v in sorted(cells.items())
                 if k != SHEET_KEY)


class _RowError(Exception):
    def __init__(self, problem: RowProblem) -> None:
        super().__init__(problem.key)
        self.problem = problem


def _parse_row(export: ExportFile, number: int, cells: Cells) -> ImportRow:
    columns = export.columns

    sheet = _sheet_of(cells)

    def fail(name: str, key: str, **values: Any) -> _RowError:
        return _RowError(RowProblem(number, columns[name][0], key, values, sheet=sheet))

    def cell(name: str) -> Any:
        return cells[name][0] if name in cells else None

    values: dict[str, Any] = {}
    confirmation = _text(cell("confirmation"))
    if not confirmation:
        raise fail("confirmation", "import.error_no_confirmation")
    if "guest_name" in cells:
        name_column = "guest_name"
        guest_name = _text(cell("guest_name"))
    else:
        name_column = "last_name"
        guest_name = " ".join(p for p in (_text(cell("first_name")), _text(cell("last_name")))
                              if p)
    if not guest_name:
        raise fail(name_column, "import.error_no_name")
    values["guest_name"] = guest_name
    for name in ("arrival", "departure"):
        try:
            day = parse_date(cell(name))
        except (ValueError, OverflowError):
            raise fail(name, "import.error_date", value=_text(cell(name))) from None
        if day is None:
            raise fail(name, MISSING_DATE[name])
        values[name] = day
    if values["departure"] <= values["arrival"]:
        raise fail("departure", "import.error_departure_before_arrival")
    if values["departure"] - values["arrival"] > LONGEST_STAY:
        raise fail("departure", "import.error_stay_too_long", years=LONGEST_STAY.days // 365)
    if "eta" in cells:
        try:
            values["eta"] = parse_time(cell("eta"))
        except (ValueError, OverflowError):
            raise fail("eta", "import.error_time", value=_text(cell("eta"))) from None
    for name, default in (("adults", 1), ("children", 0)):
        if name in cells:
            try:
                values[name] = _count(cell(name), default)
            except _BadCell as exc:
                raise fail(name, exc.key, value=_text(cell(name))) from None
    if "vip" in cells:
        values["vip_level"] = _vip(cell("vip"))
    if "language" in cells:
        values["language"] = _language(cell("language"))
    for name in ("room", "room_type", "email", "phone"):
        if name in cells:
            values[name] = _text(cell(name)) or None
    if "status" in cells:
        values["status"] = _status(cell("status"))
    if "wishes" in cells:
        values["wish_text"] = "\n".join(text for c in cells["wishes"] if (text := _text(c)))
    for name, limit in MAX_LENGTH.items():
        value = confirmation if name == "confirmation" else values.get(
            "guest_name" if name == "guest_name" else name)
        if value and len(value) > limit:
            column = name_column if name == "guest_name" else name
            raise fail(column, "import.error_too_long", limit=limit)
    return ImportRow(number, confirmation, values, sheet)
