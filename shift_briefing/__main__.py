"""Command line: the shift briefing and the room checklist, as JSON, text or PDF.

python -m shift_briefing briefing --date 2026-07-14 [--shift afternoon] [--pdf OUT] [--json]
python -m shift_briefing checklist --date 2026-07-14 [--pdf OUT] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from core.auth import system_actor
from core.clock import to_local
from core.i18n import t
from core.models import Property
from core.scheduling import scheduler_command
from core.startup import ready_database
from guests.service import first_property, property_by_code
from shift_briefing import pdf
from shift_briefing.briefing import Briefing, BriefingGuest, build_briefing, current_shift
from shift_briefing.readiness import RoomChecklist, day_checklists
from shift_briefing.signing import signed_current


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["scheduler"]:  # the background jobs as their own worker process
        return scheduler_command(argv[1:])
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
        choices=("morning", "afternoon", "night"),
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
        "signed": [{"name": name, "at": at.isoformat()} for name, at in signed],
    }


def _print_briefing(briefing: Briefing, language: str) -> None:
    print(
        f"{briefing.hotel_name} · {briefing.day:%d/%m/%Y} · "
        f"{t(f'shift.{briefing.shift}', language)} · version {briefing.version}"
    )
    for guest in briefing.arrivals + briefing.in_house:
        room = guest.room_number or t("room.not_assigned", language)
        print(f"{guest.expected_at:%H:%M}  {guest.guest_name}  {room}")
        for wish in guest.wishes:
            due = to_local(wish.due_at, briefing.timezone).strftime("%d/%m %H:%M")
            mark = f"⚠ {t('pdf.critical', language)} " if wish.critical else ""
            print(f"    - {mark}{wish.label}: {t(f'status.{wish.status}', language)} ({due})")


def _checklist(session: Session, hotel: Property, args: argparse.Namespace, language: str) -> int:
    system = system_actor(hotel.id, "command line")
    lists = day_checklists(session, system, hotel.id, args.date, hotel.check_in_time)
    if args.floor is not None:
        lists = [c for c in lists if c.floor == args.floor]
    if args.pdf:
        args.pdf.write_bytes(pdf.checklist_pdf(hotel.name, args.date, lists, language, args.floor))
    if args.json:
        print(
            json.dumps(
                checklist_json(hotel, args.date, lists, language), ensure_ascii=False, indent=1
            )
        )
    elif not args.pdf:
        for room in lists:
            state = "ready" if room.ready else "NOT READY"
            print(f"{room.room_number or '-':>5}  {room.guest_name}  {state}")
            for item in room.items:
                print(f"    [{'x' if item.done else ' '}] {item.label(language)}")
    return 0


def checklist_json(
    hotel: Property, day: date, lists: list[RoomChecklist], language: str
) -> dict[str, Any]:
    return {
        "property": hotel.name,
        "date": day.isoformat(),
        "rooms": [
            {
                "room": c.room_number,
                "floor": c.floor,
                "confirmation_number": c.confirmation_number,
                "guest": c.guest_name,
                "expected_at": c.expected_at.strftime("%H:%M"),
                "housekeeping_status": c.housekeeping_status,
                "ready": c.ready,
                "items": [
                    {
                        "key": i.key,
                        "label": i.label(language),
                        "done": i.done,
                        "code": i.code,
                        "task_status": i.status,
                        "severity": i.severity,
                    }
                    for i in c.items
                ],
                "critical": [
                    {"code": w.code, "label": w.label(language)} for w in c.critical
                ],
            }
            for c in lists
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
