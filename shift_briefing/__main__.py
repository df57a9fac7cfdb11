"""Command line: the shift briefing and the room checklist, as JSON, text or PDF.

python -m shift_briefing briefing --date 2026-07-14 [--shift afternoon] [--pdf OUT] [--json]
python -m shift_briefing checklist --date 2026-07-14 [--pdf OUT] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from core.auth import system_actor
from core.clock import to_local
from core.i18n import format_clock, format_day, format_moment, t
from core.models import Property
from core.scheduling import scheduler_command
from core.shifts import SHIFT_NAMES
from core.startup import ready_database
from guests.properties import first_property, property_by_code
from shift_briefing import pdf
from shift_briefing.board import HousekeepingBoard, housekeeping_board
from shift_briefing.briefing import Briefing, BriefingGuest, build_briefing, current_shift
from shift_briefing.readiness import ChecklistItem, RoomChecklist
from shift_briefing.signing import signed_current


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["scheduler"]:  # the background jobs as their own worker process
        return scheduler_command(argv[1:], prog="python -m shift_briefing scheduler")
    parser = argparse.ArgumentParser(prog="python -m shift_briefing")
    parser.add_argument("--property", help="property code (default: the first property)")
    parser.add_argument(
        "--language",
        choices=("fr", "en"),
        default=None,
        help="language of labels and PDF (default: the property's)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    briefing = commands.add_parser("briefing", help="the arrivals briefing of a shift")
    briefing.add_argument("--date", type=_day, required=True)
    briefing.add_argument(
        "--shift",
        choices=SHIFT_NAMES,
        help="default: the shift running now when --date is today, else morning",
    )
    briefing.add_argument("--pdf", type=Path, help="write the printable briefing here")
    briefing.add_argument("--json", action="store_true", help="print one JSON object")
    checklist = commands.add_parser("checklist", help="the room-readiness checklist of a day")
    checklist.add_argument("--date", type=_day, required=True)
    checklist.add_argument("--floor", type=int, help="print one floor only")
    checklist.add_argument("--pdf", type=Path, help="write the printable checklist here")
    checklist.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    database = ready_database()
    with database.read() as session:
        hotel = (
            property_by_code(session, args.property) if args.property else first_property(session)
        )
        if hotel is None:
            print(
                "No such property." if args.property else "The database holds no hotel yet.",
                file=sys.stderr,
            )
            return 2
        language = args.language or hotel.default_language
        if args.command == "briefing":
            return _briefing(session, hotel, args, language)
        return _checklist(session, hotel, args, language)


def _briefing(session: Session, hotel: Property, args: argparse.Namespace, language: str) -> int:
    shift = args.shift
    if shift is None:
        running_day, running = current_shift(session, hotel)
        shift = running if running_day == args.date else "morning"
    system = system_actor(hotel.id, "command line")
    briefing = build_briefing(session, system, hotel.id, args.date, shift, language)
    signed = signed_current(session, briefing)
    if args.pdf:
        args.pdf.write_bytes(pdf.briefing_pdf(briefing, signed, language))
    if args.json:
        print(
            json.dumps(
                briefing_json(briefing, [(s.name, s.signed_at) for s in signed]),
                ensure_ascii=False,
                indent=1,
            )
        )
    elif not args.pdf:
        _print_briefing(briefing, language)
    return 0


def _guest_json(guest: BriefingGuest) -> dict[str, Any]:
    return {
        "confirmation_number": guest.confirmation_number,
        "guest": guest.guest_name,
        "vip": guest.vip_level,
        "returning": guest.returning,
        "remembered": list(guest.remembered),
        "arrival_date": guest.arrival_date.isoformat(),
        "expected_at": guest.expected_at.strftime("%H:%M"),
        "eta": guest.expected_at.strftime("%H:%M") if guest.eta_given else None,
        "room": guest.room_number,
        "nights": guest.nights,
        "adults": guest.adults,
        "children": guest.children,
        "room_flags": list(guest.room_flags),
        "room_ready": guest.readiness.ready if guest.readiness else None,
        "status": guest.status,
        "checked_in_at": guest.checked_in_at.isoformat() if guest.checked_in_at else None,
        "wishes": [
            {
                "code": w.code,
                "kind": w.kind,
                "label": w.label,
                "status": w.status,
                "due_at": w.due_at.isoformat(),
                "overdue": w.overdue,
                "reason": w.reason,
                "quantity": w.quantity,
                "time": w.at_time,
                "sensitive": w.sensitive,
                "detail": w.detail,
                "severity": w.severity,
            }
            for w in guest.wishes
        ],
    }


def briefing_json(briefing: Briefing, signed: list[tuple[str, Any]]) -> dict[str, Any]:
    return {
        "property": briefing.hotel_name,
        "date": briefing.day.isoformat(),
        "shift": briefing.shift,
        "version": briefing.version,
        "made_at": briefing.made_at.isoformat(),
        "arrivals": [_guest_json(g) for g in briefing.arrivals],
        "in_house": [_guest_json(g) for g in briefing.in_house],
        "awaited": [_guest_json(g) for g in briefing.awaited],  # arriving in another shift
        "signed": [{"name": name, "at": at.isoformat()} for name, at in signed],
    }


def _print_briefing(briefing: Briefing, language: str) -> None:
    print(
        f"{briefing.hotel_name} · {format_day(briefing.day, language)} · "
        f"{t(f'shift.{briefing.shift}', language)} · version {briefing.version}"
    )
    for guest in briefing.arrivals + briefing.in_house + briefing.awaited:
        room = guest.room_number or t("room.not_assigned", language)
        when = format_clock(guest.expected_at, language)
        if guest.checked_in_at is not None:
            at = format_moment(to_local(guest.checked_in_at, briefing.timezone), language)
            when = t("pdf.checked_in_at", language, date=at)
        elif guest in briefing.awaited and guest.expected_moment is not None:
            at = format_moment(to_local(guest.expected_moment, briefing.timezone), language)
            when = t("pdf.expected_at", language, date=at)
        print(f"{when}  {guest.guest_name}  {room}")
        for wish in guest.wishes:
            due = format_moment(to_local(wish.due_at, briefing.timezone), language)
            mark = f"⚠ {t('pdf.critical', language)} " if wish.critical else ""
            print(f"    - {mark}{wish.label}: {t(f'status.{wish.status}', language)} ({due})")


def _checklist(session: Session, hotel: Property, args: argparse.Namespace, language: str) -> int:
    system = system_actor(hotel.id, "command line")
    board = housekeeping_board(session, system, hotel, args.date)
    if args.pdf:
        args.pdf.write_bytes(pdf.checklist_pdf(hotel.name, board, language, args.floor))
    if args.json:
        print(
            json.dumps(
                checklist_json(hotel, board, language, args.floor), ensure_ascii=False, indent=1
            )
        )
    elif not args.pdf:
        for room in board.on_floor(args.floor):
            state = t(f"board.{room.state}", language)
            facts = ", ".join(
                f"{t(f'board.{s.fact}', language)} {format_clock(s.at, language)} {s.guest_name}"
                for s in room.stays
            )
            print(f"{room.number:>5}  {state}  {facts}")
            for item in (*room.standard, *(i for _r, i in room.wish_items)):
                print(f"    [{'x' if item.done else ' '}] {item.label(language)}")
        if args.floor is None:
            for arrival in board.unassigned:
                print(f"{'-':>5}  {arrival.guest_name}")
                for item in arrival.items:
                    if item.task_id is not None:
                        print(f"    [{'x' if item.done else ' '}] {item.label(language)}")
    return 0


def _item_json(item: ChecklistItem, language: str) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label(language),
        "done": item.done,
        "code": item.code,
        "task_status": item.status,
        "severity": item.severity,
    }


def _critical_json(arrivals: Sequence[RoomChecklist], language: str) -> list[dict[str, Any]]:
    """The arriving guests' critical health wishes, by name (never their words)."""
    return [{"code": w.code, "label": w.label(language)} for a in arrivals for w in a.critical]


def checklist_json(
    hotel: Property, board: HousekeepingBoard, language: str, floor: int | None = None
) -> dict[str, Any]:
    """Every room once (the board), then the guests arriving without a room (room null).

    The keys of a room's first arriving guest (confirmation_number, guest, expected_at) are
    null when nobody arrives; `stays` has everyone the day brings to the room.
    """
    rooms: list[dict[str, Any]] = []
    for room in board.on_floor(floor):
        first = room.arrivals[0] if room.arrivals else None
        rooms.append(
            {
                "room": room.number,
                "floor": room.floor,
                "confirmation_number": first.confirmation_number if first else None,
                "guest": first.guest_name if first else None,
                "expected_at": first.expected_at.strftime("%H:%M") if first else None,
                "housekeeping_status": room.housekeeping_status,
                "ready": room.ready,
                "items": [
                    _item_json(i, language)
                    for i in (*room.standard, *(i for _r, i in room.wish_items))
                ],
                "state": room.state,
                "occupied": room.occupied,
                "facts": list(room.facts),
                "stays": [
                    {
                        "fact": s.fact,
                        "confirmation_number": s.confirmation_number,
                        "guest": s.guest_name,
                        "at": s.at.strftime("%H:%M"),
                    }
                    for s in room.stays
                ],
                "critical": _critical_json(room.arrivals, language),
            }
        )
    if floor is None:
        for arrival in board.unassigned:
            rooms.append(
                {
                    "room": None,
                    "floor": None,
                    "confirmation_number": arrival.confirmation_number,
                    "guest": arrival.guest_name,
                    "expected_at": arrival.expected_at.strftime("%H:%M"),
                    "housekeeping_status": None,
                    "ready": False,
                    "items": [_item_json(i, language) for i in arrival.items],
                    "critical": _critical_json([arrival], language),
                    "state": None,
                    "occupied": False,
                    "facts": ["arrival"],
                    "stays": [
                        {
                            "fact": "arrival",
                            "confirmation_number": arrival.confirmation_number,
                            "guest": arrival.guest_name,
                            "at": arrival.expected_at.strftime("%H:%M"),
                        }
                    ],
                }
            )
    return {
        "property": hotel.name,
        "date": board.day.isoformat(),
        "counts": board.counts(floor),
        "rooms": rooms,
    }


if __name__ == "__main__":
    sys.exit(main())
