"""The briefing tells the truth about who is where: a guest arriving tonight is an arrival of
the night, never "arrived"; a guest checked in says when and leaves the expected list; each
reservation (and so each room) appears once."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from pypdf import PdfReader

from core.clock import set_now
from shift_briefing.briefing import build_briefing
from shift_briefing.checkin import arrival_cards, check_in
from shift_briefing.pdf import briefing_pdf
from shift_briefing.readiness import day_checklists, tick

DAY = date(2026, 7, 14)


def briefing(database, who, hotel, shift, day=DAY):
    with database.read() as session:
        return build_briefing(session, who, hotel.id, day, shift, "en")


def pdf_text(briefing_) -> str:
    reader = PdfReader(io.BytesIO(briefing_pdf(briefing_, [], "en")))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def ready(database, hotel, hugo, reservation_id):
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation_id, "cleaned", True)
        tick(session, hugo, hotel.id, reservation_id, "inspected", True)
    with database.read() as session:
        [room] = [
            c
            for c in day_checklists(session, hugo, hotel.id, DAY, hotel.check_in_time)
            if c.reservation_id == reservation_id
        ]
    for item in room.open_items:
        with database.write() as session:
            tick(session, hugo, hotel.id, reservation_id, item.key, True, item.task_version)


def test_a_guest_arriving_tonight_is_awaited_before_never_in_house(
    database, hotel, alice, book
):
    # The cot is due before the check-in time (13:00, the morning); Dan walks in at 23:30.
    book("D", "Dan Night", "baby cot please", eta=time(23, 30), room="101")
    morning = briefing(database, alice, hotel, "morning")
    assert morning.in_house == () and morning.arrivals == ()
    assert [g.guest_name for g in morning.awaited] == ["Dan Night"]
    text = pdf_text(morning)
    assert "arrived" not in text and "checked in" not in text
    assert "expected 14/07, 23:30" in text
    night = briefing(database, alice, hotel, "night")
    assert [g.guest_name for g in night.expected] == ["Dan Night"]


def test_a_checked_in_guest_shows_when_and_leaves_the_expected_list(
    database, hotel, alice, hugo, book
):
    anna = book("A", "Anna Early", eta=time(16, 0), room="101")
    book("B", "Bruno Later", eta=time(18, 0), room="102")
    ready(database, hotel, hugo, anna)
    set_now(datetime(2026, 7, 14, 14, 10, tzinfo=UTC))  # 16:10 in Paris
    with database.write() as session:
        check_in(session, alice, hotel.id, anna, wishes_reviewed=False)
    afternoon = briefing(database, alice, hotel, "afternoon")
    assert [g.guest_name for g in afternoon.expected] == ["Bruno Later"]
    [anna_now] = afternoon.checked_in
    assert anna_now.checked_in_at == datetime(2026, 7, 14, 14, 10, tzinfo=UTC)
    text = pdf_text(afternoon)
    assert "Arrivals expected (1)" in text and "checked in 14/07, 16:10" in text
    with database.read() as session:
        cards = arrival_cards(session, alice, hotel.id, DAY, "en")
    assert [c.guest.guest_name for c in cards if c.check_in is None] == ["Bruno Later"]


def test_an_early_check_in_is_an_arrival_of_the_shift_it_happened_in(
    database, hotel, alice, hugo, book
):
    anna = book("A", "Anna Expected At Three", "extra pillows please", room="101")
    ready(database, hotel, hugo, anna)
    set_now(datetime(2026, 7, 14, 9, 0, tzinfo=UTC))  # 11:00, the morning shift
    with database.write() as session:
        check_in(session, alice, hotel.id, anna, wishes_reviewed=True)
    assert [g.guest_name for g in briefing(database, alice, hotel, "morning").checked_in] == [
        "Anna Expected At Three"
    ]
    assert briefing(database, alice, hotel, "afternoon").arrivals == ()


def test_each_reservation_and_room_appears_once_in_a_shift(database, hotel, alice, book):
    book("Y", "Yann Staying", "wake-up call at 7:30 please", arrival=DAY - timedelta(days=1))
    book("C", "Carla Morning", "baby cot please", eta=time(9, 0), room="101")
    book("T", "Tom Tomorrow Morning", "baby cot please", eta=time(8, 0), arrival=DAY + timedelta(1))
    book("D", "Dan Night", "baby cot please", eta=time(23, 30), room="102")
    for shift in ("morning", "afternoon", "night"):
        b = briefing(database, alice, hotel, shift)
        everyone = [*b.arrivals, *b.in_house, *b.awaited]
        ids = [g.reservation_id for g in everyone]
        assert len(ids) == len(set(ids)), shift
        rooms = [g.room_number for g in everyone if g.room_number]
        assert len(rooms) == len(set(rooms)), shift


def test_the_printed_briefing_explains_its_symbols(database, hotel, alice, book):
    book("V", "Vera Important", eta=time(16, 0), room="101", vip=2)
    text = pdf_text(briefing(database, alice, hotel, "afternoon"))
    assert "Vera Important ★★" in text
    assert "★ VIP level (one star per level)" in text
