"""The shift briefing: the right arrivals, every wish with its status, and a version that moves
exactly when something a reader needs changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core.clock import set_now
from guests.reservations import ReservationInput, save_reservation
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.briefing import build_briefing

DAY = date(2026, 7, 14)


def briefing(database, who, hotel, shift="afternoon", day=DAY, language="en"):
    with database.read() as session:
        return build_briefing(session, who, hotel.id, day, shift, language)


def task_of(database, reservation_id, code):
    with database.read() as session:
        return session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == code)
        ).one()


def test_each_shift_lists_its_arrivals_in_order_of_eta(database, hotel, alice, book):
    book("A", "Anna Late", "baby cot please", eta=time(16, 30))
    book("B", "Bruno Standard")  # no ETA: the 15:00 check-in
    book("C", "Carla Early", eta=time(9, 0))
    book("D", "Dan Night", eta=time(23, 30))
    book("E", "Eve After Midnight", eta=time(1, 15))  # walks in on the 15th at 01:15
    names = lambda shift: [g.guest_name for g in briefing(database, alice, hotel, shift).arrivals]  # noqa: E731
    assert names("morning") == ["Carla Early"]
    assert names("afternoon") == ["Bruno Standard", "Anna Late"]
    assert names("night") == ["Dan Night", "Eve After Midnight"]


def test_every_wish_shows_with_its_status_deadline_and_reason(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna Late", "baby cot and extra pillows please", room="101")
    cot = task_of(database, reservation, "baby_cot")
    with database.write() as session:
        change_task_status(session, hugo, cot.id, cot.version, "not_possible", "no cot left")
    [guest] = briefing(database, alice, hotel).arrivals
    by_code = {w.code: w for w in guest.wishes if w.kind == "wish"}
    assert by_code["baby_cot"].status == "not_possible"
    assert by_code["baby_cot"].reason == "no cot left"
    assert by_code["extra_pillows"].status == "open"
    assert by_code["extra_pillows"].due_at == datetime(2026, 7, 14, 11, 0, tzinfo=UTC)
    assert any(w.kind == "tell_guest" for w in guest.wishes)
    assert guest.room_number == "101" and guest.nights == 2


def test_the_version_stays_when_nothing_changed_even_as_time_passes(database, hotel, alice, book):
    book("A", "Anna Late", "baby cot please", room="101")
    first = briefing(database, alice, hotel)
    set_now(datetime(2026, 7, 14, 13, 0, tzinfo=UTC))  # the cot is overdue now
    later = briefing(database, alice, hotel)
    assert later.version == first.version
    assert later.arrivals[0].wishes[0].overdue and not first.arrivals[0].wishes[0].overdue


def test_the_version_changes_when_a_task_status_changes(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna Late", "baby cot please", room="101")
    before = briefing(database, alice, hotel).version
    cot = task_of(database, reservation, "baby_cot")
    with database.write() as session:
        change_task_status(session, hugo, cot.id, cot.version, "done")
    assert briefing(database, alice, hotel).version != before


def test_the_version_changes_with_an_eta_or_a_room(database, hotel, alice, rita, book):
    book("A", "Anna Late", "baby cot please", room="101")
    versions = {briefing(database, alice, hotel).version}
    for change in ({"eta": time(17, 0)}, {"eta": time(17, 0), "room_number": "202"}):
        with database.write() as session:
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number="A",
                    guest_name="Anna Late",
                    arrival_date=DAY,
                    departure_date=DAY + timedelta(days=2),
                    wish_text="baby cot please",
                    **({"room_number": "101"} | change),
                ),
            )
        versions.add(briefing(database, alice, hotel).version)
    assert len(versions) == 3


def test_the_version_does_not_depend_on_the_readers_language(database, hotel, alice, book):
    book("A", "Anna Late", "baby cot please")
    assert (
        briefing(database, alice, hotel, language="fr").version
        == briefing(database, alice, hotel, language="en").version
    )


def test_health_details_reach_the_front_desk_but_not_housekeeping(
    database, hotel, alice, hugo, book
):
    book("A", "Hannah Schmidt", "Allergie gegen Federn, bitte keine Daunenkissen", room="101")
    [for_alice] = briefing(database, alice, hotel).arrivals
    [for_hugo] = briefing(database, hugo, hotel).arrivals
    wish = lambda guest: next(w for w in guest.wishes if w.code == "feather_free")  # noqa: E731
    assert wish(for_alice).detail and "Federn" in for_alice.wish_text
    assert wish(for_hugo).detail is None and for_hugo.wish_text == ""
    assert wish(for_hugo).label == wish(for_alice).label  # the practical instruction stays
    assert for_hugo.wishes and for_alice.wishes


def test_room_wishes_are_flagged_when_the_room_does_not_meet_them(database, hotel, alice, book):
    book("A", "Twin No Room", "twin beds please")
    book("B", "Twin In Double", "twin beds please", room="101")
    book("C", "Twin In Twin", "twin beds please", room="102")
    book("D", "Bath In 201", "a room with a bathtub please", room="201")
    flags = {g.guest_name: g.room_flags for g in briefing(database, alice, hotel).arrivals}
    assert flags["Twin No Room"] and flags["Twin In Double"]
    assert flags["Twin In Twin"] == () and flags["Bath In 201"] == ()


def test_a_guest_already_in_house_appears_with_the_wish_due_in_the_shift(
    database, hotel, alice, book
):
    book("Y", "Yann Staying", "wake-up call at 7:30 please", arrival=DAY - timedelta(days=1))
    morning = briefing(database, alice, hotel, "morning")
    assert [g.guest_name for g in morning.in_house] == ["Yann Staying"]
    assert [w.code for w in morning.in_house[0].wishes] == ["wake_up_call"]
    assert briefing(database, alice, hotel, "afternoon").in_house == ()


def test_a_returning_guest_is_marked_with_remembered_wishes(database, hotel, alice, rita, book):
    with database.write() as session:
        for number, arrival, text in (
            ("OLD", date(2026, 1, 5), "feather-free pillows please"),
            ("NEW", DAY, ""),
        ):
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name="Marie Dubois",
                    arrival_date=arrival,
                    departure_date=arrival + timedelta(days=1),
                    wish_text=text,
                    email="marie@example.com",
                ),
            )
    [guest] = briefing(database, alice, hotel).arrivals
    assert guest.returning
    assert guest.remembered == ("Feather-free bedding",)
