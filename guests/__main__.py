"""Command line of the guests domain: `python -m guests demo`, `import` and `guest-link`.

`import PATH [--property CODE] [--dry-run] [--replace-range] [--json]` reads a PMS export (CSV,
XLSX) or a booking channel's OpenTravel XML, and exits 0 when every row imported, 1 when some
rows were rejected, 2 when the file could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import select

from core.auth import system_actor
from core.db import Database
from core.i18n import t
from core.models import Property
from core.startup import ready_database
from guests.demo import seed_demo
from guests.guest_links import issue_link, page_url
from guests.import_file import check_size
from guests.import_run import import_in_batches
from guests.importer import (
    ROOM_LEFT_OUT,
    ImportSummary,
    UnreadableFile,
    read_file,
    unreadable_json,
)
from guests.models import Reservation
from guests.properties import create_property, database_is_empty, property_by_code

DEFAULT_PROPERTY = "HOTEL"
UNREADABLE = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guests")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="seed the demo hotel into an empty database")
    arrivals = commands.add_parser(
        "import", help="import an arrivals export (CSV, XLSX) or OpenTravel XML from a channel"
    )
    arrivals.add_argument("path", type=Path)
    arrivals.add_argument("--property", dest="code", help="the property's code (default: HOTEL)")
    arrivals.add_argument("--dry-run", action="store_true",
                          help="show what the import would do, and write nothing")
    arrivals.add_argument("--replace-range", action="store_true",
                          help="the file is the complete list for its arrival dates: "
                               "cancel the reservations it does not name")
    arrivals.add_argument("--json", action="store_true", help="print one JSON object")
    link = commands.add_parser("guest-link", help="print a new private page link of a reservation")
    link.add_argument("confirmation")
    link.add_argument("--property", dest="code", help="the property's code (default: HOTEL)")
    args = parser.parse_args(argv)
    database = ready_database()
    if args.command == "demo":
        with database.write() as session:
            hotel = seed_demo(session)
        if hotel is None:
            print("The database already holds a hotel: the demo was not seeded.", file=sys.stderr)
            return 1
        print(f"Demo hotel {hotel.name} ({hotel.code}) seeded into {database.engine.url!r}.")
        return 0
    if args.command == "guest-link":
        return print_guest_link(database, args.confirmation, code=args.code)
    return import_arrivals(database, args.path, code=args.code, dry_run=args.dry_run,
                           replace_range=args.replace_range, as_json=args.json)


def import_arrivals(database: Database, path: Path, *, code: str | None, dry_run: bool,
                    replace_range: bool, as_json: bool) -> int:
    """The file is read and checked first, outside any transaction (limits before parsing);
    then it goes in short transactions (guests.import_run), resumed if a run was killed."""
    try:
        check_size(path.stat().st_size)  # before a byte is read
        data = path.read_bytes()
        parsed = read_file(data, path.name)
    except OSError as exc:
        return _unreadable(UnreadableFile("import.file_cannot_open", reason=exc.strerror or
                                          str(exc)), as_json)
    except UnreadableFile as exc:
        return _unreadable(exc, as_json)
    with database.read() as session:
        hotel = _property(session, code, create=False)
    if hotel is None and not code:
        with database.write() as session:  # an empty database gets the default hotel
            hotel = _property(session, code)
    if hotel is None:
        message = f"There is no property with the code {code!r}."
        if as_json:
            print(json.dumps(unreadable_json(UnreadableFile("import.no_property", code=code))))
        else:
            print(message, file=sys.stderr)
        return UNREADABLE
    summary = import_in_batches(database, system_actor(hotel.id, "import"), hotel.id, parsed,
                                replace_range=replace_range, dry_run=dry_run)
    if as_json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        print(_report(summary, hotel, parsed.export.kind))
    return summary.exit_status


def print_guest_link(database: Database, confirmation: str, *, code: str | None) -> int:
    """Exit 0 with the page's absolute URL on stdout; 1 when no such reservation."""
    with database.write() as session:
        hotel = property_by_code(session, code or DEFAULT_PROPERTY) if code else _property(
            session, None, create=False)
        reservation = hotel and session.scalar(
            select(Reservation).where(Reservation.property_id == hotel.id,
                                      Reservation.confirmation_number == confirmation))
        if reservation is None:
            print(f"No reservation {confirmation!r} at this property.", file=sys.stderr)
            return 1
        token = issue_link(session, system_actor(hotel.id, "command line"), reservation.id)
    print(page_url(token))
    return 0


def _property(session, code: str | None, *, create: bool = True) -> Property | None:
    """--property, else HOTEL; an empty database gets the default HOTEL property."""
    if code:
        return property_by_code(session, code)
    hotel = property_by_code(session, DEFAULT_PROPERTY)
    if hotel is None and create and database_is_empty(session):
        hotel = create_property(session, system_actor(None, "import"), code=DEFAULT_PROPERTY,
                                name="Hotel")
    if hotel is None:
        properties = list(session.query(Property).order_by(Property.id).limit(2))
        hotel = properties[0] if len(properties) == 1 else None
    return hotel


def _unreadable(error: UnreadableFile, as_json: bool) -> int:
    if as_json:
        print(json.dumps(unreadable_json(error), ensure_ascii=False))
    else:
        print(t("import.unreadable", "en", reason=error.english()), file=sys.stderr)
    return UNREADABLE


def _report(summary: ImportSummary, hotel: Property, kind: str) -> str:
    lines = [
        f"{'Dry run (nothing written)' if summary.dry_run else 'Imported'}: {summary.file_name} "
        f"({kind}, {summary.rows} rows) into {hotel.name} ({hotel.code})",
        f"  created {summary.created}, updated {summary.updated}, "
        f"unchanged {summary.unchanged}, cancelled {summary.cancelled}, "
        f"rejected {summary.rejected}",
        f"  requests created {summary.requests_created}, tasks created {summary.tasks_created}, "
        f"tasks cancelled {summary.tasks_cancelled}",
    ]
    if summary.unknown_columns:
        lines.append("  columns ignored: " + ", ".join(summary.unknown_columns))
    if summary.sheets_left_out:
        lines.append("  " + t("import.sheets_left_out", "en",
                              sheets=", ".join(summary.sheets_left_out)))
    if summary.conflicts:
        lines.append("Kept as staff set them:")
        lines += [f"  {conflict.english()}" for conflict in summary.conflicts]
    left_out = [p for p in summary.errors if p.key == ROOM_LEFT_OUT]
    if left_out:
        lines.append("Imported without their room:")
        lines += [f"  {problem.english()}" for problem in left_out]
    if summary.rejected:
        lines.append("Rows not imported:")
        lines += [f"  {p.english()}" for p in summary.errors if p.key != ROOM_LEFT_OUT]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
