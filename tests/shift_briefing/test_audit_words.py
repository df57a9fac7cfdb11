"""The audit log reads in words in the reader's language, with names and room numbers instead
of ids, and filters by period, person, guest, room and action."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core import audit
from core.audit_text import AuditFilter, audit_lines
from guests.models import Room
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.checkin import check_in
from shift_briefing.readiness import day_checklists, tick

DAY = datetime(2026, 7, 14).date()


def lines(database, maria, language="en", **filters):
    with database.read() as session:
        return audit_lines(session, maria, AuditFilter(**filters), language)


def texts(database, maria, language="en", **filters):
    return [line.text for line in lines(database, maria, language, **filters)]


def checked_in_guest(database, hotel, alice, hugo, book):
    """Anna Smith in room 202 (whose id is not 202), checked in by Alice."""
    anna = book("A", "Anna Smith", "extra pillows please", eta=time(16, 0), room="202")
    with database.write() as session:
        tick(session, hugo, hotel.id, anna, "cleaned", True)
        tick(session, hugo, hotel.id, anna, "inspected", True)
    with database.read() as session:
        [room] = [
            c
            for c in day_checklists(session, hugo, hotel.id, DAY, hotel.check_in_time)
            if c.reservation_id == anna
        ]
    for item in room.open_items:
        with database.write() as session:
            tick(session, hugo, hotel.id, anna, item.key, True, item.task_version)
    with database.write() as session:
        check_in(session, alice, hotel.id, anna, wishes_reviewed=True)
    return anna


def test_a_check_in_reads_as_a_sentence_with_the_room_number(
    database, hotel, alice, hugo, maria, book
):
    checked_in_guest(database, hotel, alice, hugo, book)
    with database.read() as session:
        room_id = session.scalar(select(Room.id).where(Room.number == "202"))
    assert room_id != 202
    assert "Alice Front checked in Anna Smith, room 202" in texts(database, maria)
    assert "Alice Front a enregistré l'arrivée de Anna Smith, chambre 202" in texts(
        database, maria, "fr"
    )


def test_a_task_reads_with_its_wish_guest_and_room(database, hotel, hugo, maria, book):
    anna = book("A", "Anna Smith", "baby cot please", room="202")
    with database.write() as session:
        cot = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == anna, Request.code == "baby_cot")
        ).one()
        change_task_status(session, hugo, cot.id, cot.version, "not_possible", "no cot left")
    said = texts(database, maria, actions=("task_not_possible",))
    assert said == [
        "Hugo Housekeeping marked Baby cot for Anna Smith, room 202 as not possible: no cot left"
    ]


def test_filters_by_room_guest_person_action_and_period(database, hotel, alice, hugo, maria, book):
    checked_in_guest(database, hotel, alice, hugo, book)
    book("B", "Bruno Other", "baby cot please", room="101")
    by_room = texts(database, maria, room="202")
    assert by_room and all("Bruno" not in text for text in by_room)
    assert any("checked in Anna Smith" in text for text in by_room)
    assert any("Bruno Other" in text for text in texts(database, maria, guest="bruno"))
    assert all("Anna" not in text for text in texts(database, maria, guest="bruno"))
    by_alice = lines(database, maria, person="Alice")
    assert by_alice and {line.actor for line in by_alice} == {"Alice Front"}
    assert [line.action for line in lines(database, maria, actions=("checked_in",))] == ["Check-in"]
    later = datetime(2026, 7, 15, tzinfo=UTC)
    assert lines(database, maria, since=later, until=later + timedelta(days=1)) == []
    assert texts(database, maria, room="999") == []


def test_an_action_without_a_template_still_reads_in_words(database, hotel, maria, book):
    anna = book("A", "Anna Smith", room="202")
    with database.write() as session:
        audit.record(session, maria, "reservation_teleported", "reservation", anna)
    [line] = lines(database, maria, actions=("reservation_teleported",))
    assert line.text == "Maria Manager: reservation teleported — Anna Smith"
    assert line.action == "Reservation teleported"


def test_notes_the_code_writes_and_changes_read_in_the_readers_language(
    database, hotel, alice, maria, book
):
    from core.auth import authenticate

    with database.write() as session:
        authenticate(session, "alice", "not her password")
    [failed] = lines(database, maria, "fr", actions=("login_failed",))
    assert (failed.text, failed.note) == (
        "Échec de connexion sous le nom Alice Front",
        "mot de passe erroné",
    )
    anna = book("A", "Anna Smith", room="202")
    with database.write() as session:
        audit.record(
            session,
            maria,
            "reservation_updated",
            "reservation",
            anna,
            before={"adults": 1},
            after={"adults": 2},
        )
    [changed] = lines(database, maria, "fr", actions=("reservation_updated",))
    assert (
        changed.text
        == "Maria Manager a modifié la réservation A de Anna Smith, chambre 202 : adultes"
    )
    assert changed.changes == "adultes : 1 → 2"
