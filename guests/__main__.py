"""Command line of the guests domain: `python -m guests demo` (and, later, `import`)."""

from __future__ import annotations

import argparse
import sys

from core.startup import ready_database
from guests.demo import seed_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guests")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="seed the demo hotel into an empty database")
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


if __name__ == "__main__":
    sys.exit(main())
