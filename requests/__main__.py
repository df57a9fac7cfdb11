"""Command line for the requests package: ``python -m requests <command>``.

``parse`` reads a guest's wish text the way reservations will see it:

    python -m requests parse "Lit bébé svp, arrivée vers 23h"
    printf 'Baby cot please\\nKein Babybett\\n' | python -m requests parse

It prints one JSON object per text (non-ASCII kept as is). With no TEXT it reads standard
input, one wish text per line, so a day's export can be checked in one go.
"""

from __future__ import annotations

import argparse
import json
import sys

from requests.wish_parser import parse_wishes


def _parse_command(args: argparse.Namespace) -> int:
    if args.text is not None:
        sys.stdout.write(_as_line(args.text))
        return 0
    for line in sys.stdin:
        sys.stdout.write(_as_line(line.rstrip("\r\n")))
        sys.stdout.flush()  # a pipe reading line by line gets each answer at once
    return 0


def _as_line(text: str) -> str:
    return json.dumps(parse_wishes(text).as_json(), ensure_ascii=False) + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each command is a subparser so more can be added beside it."""
    parser = argparse.ArgumentParser(prog="python -m requests",
                                     description="Guest wishes, requests and tasks.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parse = commands.add_parser(
        "parse",
        help="read wish text and print the recognised requests as JSON",
        description="Print {requests, eta, unmatched} as JSON for TEXT, or for each line of "
                    "standard input when TEXT is omitted.",
    )
    parse.add_argument("text", nargs="?", metavar="TEXT", help="the guest's wish text")
    parse.set_defaults(handler=_parse_command)
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
