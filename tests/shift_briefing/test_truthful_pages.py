"""The pages say who is where and what happened, in the reader's words (AppTest, in-process):
a checked-in guest leaves the arrivals expected; the audit log reads as French sentences."""

from __future__ import annotations

from datetime import time

from shift_briefing.checkin import check_in
from shift_briefing.readiness import tick


def checked_in(database, hotel, alice, hugo, book):
    anna = book("A", "Anna Arrived", eta=time(11, 0), room="101")
    book("B", "Bruno Expected", eta=time(12, 0), room="102")
    with database.write() as session:
        tick(session, hugo, hotel.id, anna, "cleaned", True)
        tick(session, hugo, hotel.id, anna, "inspected", True)
    with database.write() as session:
        check_in(session, alice, hotel.id, anna, wishes_reviewed=False)


def test_a_checked_in_guest_leaves_the_expected_arrivals(
    database, hotel, alice, hugo, book, signed_in
):
    checked_in(database, hotel, alice, hugo, book)
    app = signed_in("alice", "arrivals")
    assert any(c.value == "1 arrivée attendue" for c in app.caption)
    titles = [e.label for e in app.expander]
    assert [t for t in titles if "Bruno" in t or "Anna" in t] == [
        next(t for t in titles if "Bruno Expected" in t),
        next(t for t in titles if "Anna Arrived" in t),
    ]
    assert any(h.value == "Arrivées enregistrées (1)" for h in app.subheader)


def test_the_audit_page_reads_in_french_with_room_numbers(
    database, hotel, alice, hugo, maria, book, signed_in
):
    checked_in(database, hotel, alice, hugo, book)
    app = signed_in("maria", "audit")
    [frame] = app.dataframe
    said = list(frame.value["Ce qui s'est passé"])
    assert "Alice Front a enregistré l'arrivée de Anna Arrived, chambre 101" in said
    assert not any("reservation " in line or "checked_in" in line for line in said)
