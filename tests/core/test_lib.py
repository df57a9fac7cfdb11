"""core.lib: the helpers every domain shares, and the rule that no domain grows its own copy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest
from sqlalchemy.exc import IntegrityError

from core.auth import system_actor
from core.errors import UserError
from core.lib import (
    chunks,
    current_property,
    get_property,
    insert_unless_exists,
    insert_with_ids,
)
from core.models import AuditEvent, Property
from core.settings import ROOT
from core.shifts import Shift

DOMAINS = ("core", "guests", "requests", "shift_briefing")


def test_chunks_cover_the_items_in_order_in_slices_of_at_most_the_size():
    items = list(range(1203))
    parts = list(chunks(items, 500))
    assert [len(p) for p in parts] == [500, 500, 203]
    assert [i for p in parts for i in p] == items
    assert list(chunks([], 500)) == []
    assert list(chunks((1, 2), 5)) == [(1, 2)]
    assert [len(p) for p in chunks(list(range(1001)))] == [500, 500, 1]  # the default batch
    with pytest.raises(ValueError):
        list(chunks(items, 0))


def test_insert_unless_exists_inserts_a_key_once_and_returns_only_what_it_inserted(
    database, hotel
):
    row = {"property_id": hotel.id, "name": "late", "starts_at": time(22), "ends_at": time(6)}
    with database.write() as session:
        first = insert_unless_exists(session, Shift, [row], ["property_id", "name"])
        again = insert_unless_exists(session, Shift, [row], ["property_id", "name"])
        other = {**row, "name": "early"}
        both = insert_unless_exists(session, Shift, [row, other], ["property_id", "name"])
        assert insert_unless_exists(session, Shift, [], ["property_id", "name"]) == []
    assert len(first) == 1 and again == [] and len(both) == 1
    with database.read() as session:
        names = {s.name for s in session.query(Shift).filter_by(property_id=hotel.id)}
    assert {"late", "early"} <= names


def test_insert_with_ids_gives_each_row_a_new_id_and_the_defaults_an_insert_gives(
    database, hotel
):
    with database.write() as session:
        ours = Shift(property_id=hotel.id, name="ours", starts_at=time(7), ends_at=time(15))
        session.add(ours)  # pending in the ORM: it takes its id first
        rows = [{"property_id": hotel.id, "name": f"bulk {i}", "starts_at": time(6),
                 "ends_at": time(14)} for i in range(3)]
        insert_with_ids(session, Shift, rows)
        insert_with_ids(session, Shift, [])
        assert ours.id is not None
    ids = [row["id"] for row in rows]
    assert len({*ids, ours.id}) == 4
    with database.read() as session:
        stored = {s.id: s for s in session.query(Shift).filter(Shift.id.in_(ids))}
        assert [stored[i].name for i in ids] == ["bulk 0", "bulk 1", "bulk 2"]
        assert all(stored[i].version == 1 for i in ids)  # the column's default
    with database.write() as session:  # the next insert, by the database itself, follows
        later = Shift(property_id=hotel.id, name="later", starts_at=time(8), ends_at=time(9))
        session.add(later)
        session.flush()
        assert later.id > max(ids)


def test_insert_with_ids_keeps_json_and_moments_and_refuses_a_clash_as_an_insert_would(
    database, hotel
):
    with database.write() as session:
        rows = [{"property_id": hotel.id, "actor_id": None, "actor_name": "bulk",
                 "action": "bulk_test", "entity": "test", "entity_id": str(i),
                 "before": None, "after": {"n": i, "words": ["é", "<b>"]}, "note": None,
                 "at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC)} for i in range(2)]
        insert_with_ids(session, AuditEvent, rows)
    with database.read() as session:
        events = session.query(AuditEvent).filter_by(action="bulk_test").order_by(AuditEvent.id)
        assert [(e.after, e.at) for e in events] == [
            ({"n": 0, "words": ["é", "<b>"]}, datetime(2026, 12, 1, 9, 30, tzinfo=UTC)),
            ({"n": 1, "words": ["é", "<b>"]}, datetime(2026, 12, 1, 9, 30, tzinfo=UTC))]
    row = {"property_id": hotel.id, "name": "twice", "starts_at": time(6), "ends_at": time(7)}
    with pytest.raises(IntegrityError), database.write() as session:
        insert_with_ids(session, Shift, [dict(row), dict(row)])  # (property, name) is unique


def test_the_current_property_is_the_signed_in_person_s_hotel_or_a_readable_refusal(
    database, hotel, alice
):
    with database.read() as session:
        assert current_property(session, alice).id == hotel.id
        assert isinstance(get_property(session, hotel.id), Property)
        with pytest.raises(UserError) as gone:
            current_property(session, system_actor(hotel.id + 1000))
        assert gone.value.key == "error.no_property"
        with pytest.raises(UserError):
            current_property(session, system_actor(None))


def _sources():
    for domain in DOMAINS:
        yield from sorted((ROOT / domain).rglob("*.py"))


def test_no_domain_has_a_catch_all_service_module():
    assert [str(p.relative_to(ROOT)) for p in _sources() if p.name == "service.py"] == []


def test_batches_come_from_core_lib_not_from_hand_written_loops():
    hand_written = re.compile(r"range\(0, len\(")
    found = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if path.name != "lib.py" and hand_written.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_pages_take_the_hotel_from_current_property():
    pages = [p for p in _sources() if p.name == "ui.py" or p.name.endswith("_ui.py")]
    assert pages
    found = [
        str(path.relative_to(ROOT))
        for path in pages
        if "session.get(Property," in path.read_text(encoding="utf-8")
    ]
    assert found == []
