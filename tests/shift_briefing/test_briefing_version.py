"""briefing_version, what the dashboard and the signers' notices compare signatures with: the
version and the arrivals' count of build_briefing, without describing the guests."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.briefing import briefing_version, build_briefing

DAY = date(2026, 7, 14)


def both(database, who, hotel, shift):
    with database.read() as session:
        full = build_briefing(session, who, hotel.id, DAY, shift, "fr")
        quick = briefing_version(session, who, hotel.id, DAY, shift)
    return full, quick


@pytest.mark.parametrize("shift", ["morning", "afternoon", "night"])
def test_it_is_build_briefings_version_for_every_kind_of_guest(
    database, hotel, alice, maria, book, shift
):
    book(
        "A",
        "Anna Late",
        "Extra pillows. Severe nut allergy, please inform the restaurant.",
        room="101",
        eta=time(15),
    )
    book("B", "Bob Early", "twin beds and a late check-out", eta=time(10), vip=2)
    book("N", "Nina Night", "feather-free pillows", eta=time(1, 30))
    book("Y", "Yann Staying", "wake-up call at 7:30 please", arrival=DAY - timedelta(days=1))
    book("Z", "Zoe Tomorrow", "extra towels", arrival=DAY + timedelta(days=1))
    carl = book("C", "Carl Free", "we would love a bottle of champagne on arrival")
    with database.read() as session:
        task = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == carl)
        ).first()
    if task is not None:
        with database.write() as session:
            change_task_status(
                session,
                maria,
                task.id,
                task.version,
                "not_possible",
                "none left",
                alternative="sparkling wine",
            )
    full, quick = both(database, alice, hotel, shift)
    assert quick.version == full.version
    assert quick.arrivals == len(full.arrivals)
    assert (quick.property_id, quick.day, quick.shift) == (hotel.id, DAY, shift)


def test_it_moves_with_the_briefing(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna Late", "baby cot please", room="101")
    before, quick_before = both(database, alice, hotel, "afternoon")
    with database.read() as session:
        cot = session.scalars(select(Task).where(Task.reservation_id == reservation)).first()
    with database.write() as session:
        change_task_status(session, hugo, cot.id, cot.version, "done")
    after, quick_after = both(database, alice, hotel, "afternoon")
    assert after.version != before.version
    assert (quick_before.version, quick_after.version) == (before.version, after.version)
