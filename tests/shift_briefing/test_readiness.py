"""The room checklist and the wish tasks are one truth; a room is ready when all is ticked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.errors import UserError
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.readiness import day_checklists, tick

DAY = date(2026, 7, 14)


def checklist(database, who, hotel, reservation_id):
    with database.read() as session:
        lists = day_checklists(session, who, hotel.id, DAY, hotel.check_in_time)
    return next(c for c in lists if c.reservation_id == reservation_id)


def cot_task(database, reservation_id):
    with database.read() as session:
        return session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == "baby_cot")
        ).one()


def test_a_cot_wish_adds_its_item_to_the_standard_ones(database, hotel, hugo, book):
    reservation = book("A", "Anna", "baby cot please", room="101")
    room = checklist(database, hugo, hotel, reservation)
    assert [i.key for i in room.items][:2] == ["cleaned", "inspected"]
    assert [(i.label("en"), i.code) for i in room.items[2:]] == [
        ("Cot installed and made up", "baby_cot")
    ]
    assert not room.ready


def test_ticking_the_cot_item_finishes_its_task(database, hotel, hugo, book):
    reservation = book("A", "Anna", "baby cot please", room="101")
    item = checklist(database, hugo, hotel, reservation).items[2]
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation, item.key, True, item.task_version)
    task = cot_task(database, reservation)
    assert (task.status, task.completed_by_id) == ("done", hugo.id)


def test_finishing_the_task_ticks_the_item(database, hotel, hugo, book):
    reservation = book("A", "Anna", "baby cot please", room="101")
    task = cot_task(database, reservation)
    with database.write() as session:
        change_task_status(session, hugo, task.id, task.version, "done")
    assert checklist(database, hugo, hotel, reservation).items[2].done


def test_a_room_is_ready_when_inspected_and_every_wish_item_is_done(database, hotel, hugo, book):
    reservation = book("A", "Anna", "baby cot please", room="101")
    for key in ("cleaned", "inspected"):
        with database.write() as session:
            tick(session, hugo, hotel.id, reservation, key, True)
    assert not checklist(database, hugo, hotel, reservation).ready
    item = checklist(database, hugo, hotel, reservation).items[2]
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation, item.key, True, item.task_version)
    assert checklist(database, hugo, hotel, reservation).ready


def test_a_room_cannot_be_inspected_before_it_is_cleaned(database, hotel, hugo, book):
    reservation = book("A", "Anna", room="101")
    with pytest.raises(UserError) as refused, database.write() as session:
        tick(session, hugo, hotel.id, reservation, "inspected", True)
    assert refused.value.key == "room.error_inspect_before_clean"


def test_housekeeping_ticks_an_item_whose_task_is_the_front_desks(database, hotel, hugo, book):
    reservation = book("A", "Anna", "wheelchair accessible room please", room="201")
    [item] = checklist(database, hugo, hotel, reservation).items[2:]
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation, item.key, True, item.task_version)
    assert checklist(database, hugo, hotel, reservation).items[2].done
