"""Command line of core: `python -m core scheduler [--once | --run JOB [--property CODE]]`.

The scheduled jobs as their own worker process (run the app with HOTEL_SCHEDULER_IN_APP=false
beside it); `python -m shift_briefing scheduler` is the same command.
"""

from __future__ import annotations

import argparse
import sys

from core.scheduling import scheduler_command


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["scheduler"]:
        return scheduler_command(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m core")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("scheduler", help="the scheduled jobs as their own worker", add_help=False)
    parser.parse_args(argv)  # what is left is an error: argparse says so and exits 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
