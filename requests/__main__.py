"""Command line for the requests package: ``python -m requests <command>``.

``parse`` reads a guest's wish text the way reservations will see it:

    python -m requests parse "Lit bébé svp, arrivée vers 23h"
    printf 'Baby cot please\\nKein Babybett\\n' | python -m requests parse

It prints one JSON object per text (non-ASCII kept as is). With no TEXT it reads standard
input, one wish text per line, so a day's export can be checked in one go. Without
--property it needs no database (the default catalogue); with it, that property's catalogue.

``tasks`` prints a day's tasks as a JSON array, deadlines in the property's offset:

    python -m requests tasks --date 2026-07-14 [--department housekeeping] [--property CODE]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, time

from core.auth import system_actor
from core.clock import to_local
from core.db import Database
from core.models import Property
from core.startup import ready_database
from guests.properties import first_property, property_by_code
from requests.catalogue import catalogue_entries
from requests.catalogue_defaults import DEFAULT_CATALOGUE, DEPARTMENTS, CatalogueEntry
from requests.tasks import tasks_for
from requests.wish_parser import parse_wishes


def _property(code: str | None) -> tuple[Property, Database] | None:
    """The property by code (or the first one) with the database it lives in."""
    database = ready_database()
    with database.read() as session:
        hotel = property_by_code(session, code) if code else first_property(session)
    return (hotel, database) if hotel is not None else None


def _parse_command(args: argparse.Namespace) -> int:
    catalogue: Sequence[CatalogueEntry] = DEFAULT_CATALOGUE
    check_in = time(15, 0)
    if args.property:
        found = _property(args.property)
        if found is None:
            print(f"No property {args.property!r}.", file=sys.stderr)
            return 2
        hotel, database = found
        with database.read() as session:
            catalogue = catalogue_entries(session, hotel.id)
        check_in = hotel.check_in_time
    if args.text is not None:
        sys.stdout.write(_as_line(args.text, catalogue, check_in))
        return 0
    for line in sys.stdin:
        sys.stdout.write(_as_line(line.rstrip("\r\n"), catalogue, check_in))
        sys.stdout.flush()  # a pipe reading line by line gets each answer at once
    return 0


def _as_line(text: str, catalogue: Sequence[CatalogueEntry], check_in: time) -> str:
    result = parse_wishes(text, catalogue, check_in)
    return json.dumps(result.as_json(), ensure_ascii=False) + "\n"


def _tasks_command(args: argparse.Namespace) -> int:
    found = _property(args.property)
    if found is None:
        print(
            "No such property." if args.property else "The database holds no hotel yet.",
            file=sys.stderr,
        )
        return 2
    hotel, database = found
    with database.read() as session:
        tasks = tasks_for(
            session,
            system_actor(hotel.id, "command line"),
            hotel.id,
            day=args.date,
            department=args.department,
            timezone=hotel.timezone,
        )
    print(
        json.dumps(
            [
                {
                    "id": task.id,
                    "confirmation_number": task.confirmation_number,
                    "room": task.room_number,
                    "code": task.code,
                    "kind": task.kind,
                    "department": task.department,
                    "owner": task.owner_name,
                    "due_at": to_local(task.due_at, hotel.timezone).isoformat(),
                    "status": task.status,
                    "booked_late": task.booked_late,
                }
                for task in tasks
            ],
            ensure_ascii=False,
            indent=1,
        )
    )
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each command is a subparser so more can be added beside it."""
    parser = argparse.ArgumentParser(
        prog="python -m requests", description="Guest wishes, requests and tasks."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parse = commands.add_parser(
        "parse",
        help="read wish text and print the recognised requests as JSON",
        description="Print {requests, eta, unmatched} as JSON for TEXT, or for each line of "
        "standard input when TEXT is omitted.",
    )
    parse.add_argument("text", nargs="?", metavar="TEXT", help="the guest's wish text")
    parse.add_argument(
        "--property", metavar="CODE", help="use this property's catalogue from the database"
    )
    parse.set_defaults(handler=_parse_command)
    tasks = commands.add_parser("tasks", help="print a day's tasks as JSON")
    tasks.add_argument("--date", type=_day, required=True, help="YYYY-MM-DD, the hotel's day")
    tasks.add_argument("--department", choices=DEPARTMENTS)
    tasks.add_argument("--property", metavar="CODE", help="default: the first property")
    tasks.set_defaults(handler=_tasks_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    sys.exit(main())
