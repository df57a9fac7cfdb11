"""Reception signs the version it read; a change means reading and signing again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.auth import PermissionDenied
from core.errors import UserError
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.briefing import build_briefing
from shift_briefing.signing import changes_since, last_signature, sign_briefing, signatures

DAY = date(2026, 7, 14)


def current(database, who, hotel):
    with database.read() as session:
        return build_briefing(session, who, hotel.id, DAY, "afternoon", "en")


def finish_cot(database, hugo, reservation_id):
    with database.write() as session:
        cot = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == "baby_cot")
        ).one()
        change_task_status(session, hugo, cot.id, cot.version, "done")


def test_signing_an_old_briefing_version_does_not_count(database, hotel, alice, hugo, maria, book):
    reservation = book("A", "Anna Late", "baby cot please", room="101")
    read = current(database, alice, hotel)
    with database.write() as session:
        sign_briefing(session, alice, read, read.version)
    with database.read() as session:
        [signature] = signatures(session, maria, read)
    assert signature.current and signature.version == read.version

    finish_cot(database, hugo, reservation)
    now_reads = current(database, alice, hotel)
    with database.read() as session:
        [signature] = signatures(session, maria, now_reads)
        changes = changes_since(session, now_reads, signature.version)
    assert not signature.current
    assert [(c.key, c.values["before"], c.values["after"]) for c in changes] == [
        ("briefing.change_status", "open", "done")
    ]
    with database.write() as session:
        sign_briefing(session, alice, now_reads, now_reads.version)
    with database.read() as session:
        assert signatures(session, maria, now_reads)[0].current
        assert last_signature(session, alice.id, DAY, "afternoon").version == now_reads.version


def test_a_version_that_changed_while_reading_cannot_be_signed(database, hotel, alice, hugo, book):
    reservation = book("A", "Anna Late", "baby cot please", room="101")
    read = current(database, alice, hotel)
    finish_cot(database, hugo, reservation)
    with pytest.raises(UserError) as refused, database.write() as session:
        sign_briefing(session, alice, current(database, alice, hotel), read.version)
    assert refused.value.key == "briefing.error_changed_while_reading"


def test_only_the_front_desk_signs(database, hotel, hugo, book):
    book("A", "Anna Late", "baby cot please")
    read = current(database, hugo, hotel)
    with pytest.raises(PermissionDenied), database.write() as session:
        sign_briefing(session, hugo, read, read.version)


def test_the_manager_sees_who_has_not_signed(database, hotel, alice, maria, book, rita):
    book("A", "Anna Late")
    read = current(database, alice, hotel)
    with database.read() as session:
        board = signatures(session, maria, read)
    assert [(s.name, s.version) for s in board] == [("Alice Front", None)]


def test_a_new_arrival_is_told_as_a_change(database, hotel, alice, book):
    book("A", "Anna Late")
    read = current(database, alice, hotel)
    with database.write() as session:
        sign_briefing(session, alice, read, read.version)
    book("B", "Bruno New", eta=None)
    with database.read() as session:
        changes = changes_since(session, current(database, alice, hotel), read.version)
    assert [(c.key, c.values["guest"]) for c in changes] == [
        ("briefing.change_new_guest", "Bruno New")
    ]
