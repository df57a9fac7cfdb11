"""The printed briefing for 400 arrivals with 600 wishes (in-memory, no database).

Prints the time of `briefing_pdf` (embedded DejaVu and CJK fonts, escaped paragraphs, header,
"page X of Y") next to a baseline measured in the same run: a bare reportlab Table of the same
rows as plain strings in the default font, built into a PDF. The first call also registers the
fonts (once per process) and is shown apart. Target: under 2 s.

    .venv/bin/python benchmarks/bench_briefing_pdf.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table

from shift_briefing.briefing import Briefing, BriefingGuest, WishLine, short
from shift_briefing.pdf import briefing_pdf
from shift_briefing.readiness import ChecklistItem, RoomChecklist
from shift_briefing.signing import Signature

ARRIVALS = 400
WISHES = 600
RUNS = 5
TARGET_SECONDS = 2.0
DAY = date(2025, 3, 14)
NAMES = (
    "Łukasz Wróbel",
    "Zoë Van den Berg",
    "Şükrü Yılmaz",
    "Νίκος Παπαδόπουλος",
    "Анна Иванова",
    "山田 太郎",
    "王小明",
    "Margaret O'Brien",
)
LABELS = ("Cot in the room", "Feather-free bedding", "Late check-out", "Champagne", "Twin beds")
DETAILS = (
    None,
    "Our son is 14 months old, a cot with a mattress please.",
    "Allergic to feathers: synthetic pillows and duvet, thank you!",
    "静かな部屋をお願いします。到着は遅くなります。",
    "Мы приедем поздно вечером, пожалуйста, оставьте ключ на ресепшене. " * 3,
    "We are celebrating our 25th wedding anniversary and would love something special. " * 12,
)
STATUSES = ("open", "in_progress", "done", "not_possible", "open")


def build_briefing() -> Briefing:
    due = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)
    guests = []
    task_id = 0
    for n in range(ARRIVALS):
        count = 2 if n < WISHES - ARRIVALS else 1  # 200 guests with two wishes, 200 with one
        wishes = []
        for k in range(count):
            task_id += 1
            status = STATUSES[(n + k) % len(STATUSES)]
            wishes.append(
                WishLine(
                    task_id=task_id,
                    kind="wish",
                    code=f"code{k}",
                    label=LABELS[(n + k) % len(LABELS)],
                    status=status,
                    due_at=due + timedelta(minutes=n),
                    overdue=n % 17 == 0 and status == "open",
                    reason="Fully booked" if status == "not_possible" else None,
                    quantity=2 if n % 9 == 0 else None,
                    at_time="18:00" if n % 11 == 0 else None,
                    sensitive=False,
                    detail=DETAILS[(n + k) % len(DETAILS)],
                )
            )
        room = str(100 * (1 + n % 6) + n % 40) if n % 10 else None
        readiness = RoomChecklist(
            reservation_id=n,
            confirmation_number=f"PMS{n:06d}",
            guest_name=NAMES[n % len(NAMES)],
            expected_at=time(14, 0),
            room_id=n if room else None,
            room_number=room,
            floor=1 + n % 6 if room else None,
            housekeeping_status="clean",
            items=(
                ChecklistItem("cleaned", "Chambre nettoyée", "Room cleaned", True),
                ChecklistItem("inspected", "Chambre contrôlée", "Room inspected", n % 3 == 0),
            ),
        )
        guests.append(
            BriefingGuest(
                reservation_id=n,
                confirmation_number=f"PMS{n:06d}",
                guest_name=f"{NAMES[n % len(NAMES)]} {n}",
                vip_level=n % 4,
                returning=n % 5 == 0,
                remembered=("Feather-free bedding",) if n % 5 == 0 else (),
                arrival_date=DAY,
                expected_at=time(7 + n * 8 // ARRIVALS, n % 60),
                eta_given=n % 2 == 0,
                room_number=room,
                nights=1 + n % 5,
                adults=2,
                children=n % 3,
                status="booked",
                wish_text="",
                wishes=tuple(wishes),
                room_flags=("Twin beds",) if n % 13 == 0 else (),
                readiness=readiness,
            )
        )
    assert sum(len(g.wishes) for g in guests) == WISHES
    return Briefing(
        property_id=1,
        hotel_name="Hôtel Test",
        timezone="Europe/Paris",
        day=DAY,
        shift="morning",
        starts=datetime(2025, 3, 14, 6, 0, tzinfo=UTC),
        ends=datetime(2025, 3, 14, 14, 0, tzinfo=UTC),
        version="c0ffee12deadbeef",
        made_at=datetime(2025, 3, 14, 5, 45, tzinfo=UTC),
        arrivals=tuple(guests),
        in_house=(),
        content={},
    )


def baseline_pdf(briefing: Briefing) -> bytes:
    """The same rows as plain strings in a bare Table, default font, no header or footer."""
    rows = [["Time", "Guest", "Room", "Stay", "Wishes"]]
    for g in briefing.arrivals:
        wishes = []
        for w in g.wishes:
            wishes.append(f"{w.label} - {w.status}")
            if w.detail:
                wishes.append(short(w.detail)[0])
        rows.append(
            [
                g.expected_at.strftime("%H:%M"),
                g.guest_name,
                g.room_number or "-",
                f"{g.nights} nights, {g.adults}+{g.children}",
                "\n".join(wishes),
            ]
        )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    widths = (15 * mm, 40 * mm, 33 * mm, 17 * mm, 75 * mm)
    doc.build([Table(rows, colWidths=widths, repeatRows=1)])
    return buffer.getvalue()


def timed(make: Callable[[], bytes]) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds of one call (CPU time shows when other work shares the
    machine), and what it made."""
    wall, cpu = clock.perf_counter(), clock.process_time()
    data = make()
    return clock.perf_counter() - wall, clock.process_time() - cpu, data


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    briefing = build_briefing()
    signed = [Signature(1, "Alice Front", briefing.version, briefing.made_at, True)]
    first_wall, first_cpu, pdf = timed(lambda: briefing_pdf(briefing, signed, "en"))
    ours: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    for _ in range(RUNS):  # interleaved, so that a busy moment weighs on both alike
        wall, cpu, _pdf = timed(lambda: briefing_pdf(briefing, signed, "en"))
        ours.append((wall, cpu))
        wall, cpu, base = timed(lambda: baseline_pdf(briefing))
        bare.append((wall, cpu))
    ours_wall, ours_cpu = (statistics.median(x) for x in zip(*ours, strict=True))
    bare_wall, bare_cpu = (statistics.median(x) for x in zip(*bare, strict=True))
    print(
        f"briefing PDF, {ARRIVALS} arrivals, {WISHES} wishes: "
        f"{pages(pdf)} pages, {len(pdf) / 1024:.0f} KiB; baseline {pages(base)} pages"
    )
    print("                                   wall      cpu")
    print(f"  first call (registers fonts)  {first_wall:6.3f} s {first_cpu:6.3f} s")
    print(f"  briefing_pdf, median of {RUNS}     {ours_wall:6.3f} s {ours_cpu:6.3f} s")
    print(f"  baseline bare Table, median   {bare_wall:6.3f} s {bare_cpu:6.3f} s")
    ratios = f"{ours_wall / bare_wall:6.2f}x  {ours_cpu / bare_cpu:6.2f}x"
    print(f"  ratio briefing / baseline     {ratios}")
    verdict = "OK" if max(first_wall, ours_wall) < TARGET_SECONDS else "OVER TARGET"
    print(f"  target < {TARGET_SECONDS:.0f} s (wall): {verdict}")


if __name__ == "__main__":
    main()
