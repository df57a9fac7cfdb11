"""The audit log: who changed what, on which row, from what to what, when; never rewritten."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, exc, select, text, update

from core import audit, clock
from core.audit import AuditLogIsAppendOnly
from core.auth import PermissionDenied, system_actor
from core.models import AuditEvent, Property, Staff
from core.staff import set_roles
from guests.demo import seed_demo
from guests.models import Reservation, Room
from guests.properties import create_property
from guests.reservations import ReservationInput, save_reservation

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def events_of(database, action: str) -> list[AuditEvent]:
    with database.read() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.scalars(query))


def booking(**changes) -> ReservationInput:
    values = {"confirmation_number": "A-100", "guest_name": "Paul Martin",
              "arrival_date": date(2026, 6, 10), "departure_date": date(2026, 6, 12),
              "adults": 2, **changes}
    return ReservationInput(**values)


def test_a_change_records_who_what_which_row_before_after_and_when(database, maria, alice):
    clock.set_now(NOON)
    with database.write() as session:
        set_roles(session, maria, alice.id, ["front_desk", "reservations"])
    [event] = events_of(database, "staff_roles_set")
    assert (event.actor_id, event.actor_name) == (maria.id, "Maria Manager")
    assert (event.entity, event.entity_id) == ("staff", str(alice.id))
    assert event.before == {"roles": ["front_desk"]}
    assert event.after == {"roles": ["front_desk", "reservations"]}
    assert event.at == NOON
    assert event.at.tzinfo == UTC
    assert event.property_id == maria.property_id


def test_a_reservation_change_records_only_what_changed(database, hotel, rita):
    with database.write() as session:
        saved = save_reservation(session, rita, hotel.id, booking())
    with database.write() as session:
        save_reservation(session, rita, hotel.id, booking(adults=3))
    [created] = events_of(database, "reservation_created")
    [updated] = events_of(database, "reservation_updated")
    assert (created.actor_id, created.entity_id) == (rita.id, str(saved.reservation.id))
    assert created.after["confirmation_number"] == "A-100"
    bookkeeping = {"updated_at", "version"}
    assert set(updated.after) - bookkeeping == {"adults"}
    assert (updated.before["adults"], updated.after["adults"]) == (2, 3)


def test_the_orm_refuses_to_change_an_audit_event(database, maria, alice):
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"])
    with pytest.raises(AuditLogIsAppendOnly), database.write() as session:
        session.scalars(select(AuditEvent)).first().note = "nothing happened"
        session.flush()


def test_the_orm_refuses_to_delete_an_audit_event(database, maria, alice):
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"])
    with pytest.raises(AuditLogIsAppendOnly), database.write() as session:
        session.delete(session.scalars(select(AuditEvent)).first())
        session.flush()


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(note="nothing happened"),
    delete(AuditEvent),
], ids=["update", "delete"])
def test_the_orm_refuses_bulk_changes_to_the_audit_log(database, maria, alice, statement):
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"])
    with pytest.raises(AuditLogIsAppendOnly), database.write() as session:
        session.execute(statement)


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET note = 'nothing happened', actor_name = 'nobody'",
    "DELETE FROM audit_events",
], ids=["update", "delete"])
def test_the_database_refuses_raw_sql_that_rewrites_the_log(database, maria, alice, sql):
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"])
    with pytest.raises(exc.DBAPIError, match="append-only"), database.write_connection() as raw:
        raw.execute(text(sql))
    [event] = events_of(database, "staff_roles_set")
    assert (event.actor_name, event.note) == ("Maria Manager", None)


def test_emptying_the_log_at_once_is_refused_too(database, database_url, maria, alice):
    """PostgreSQL's TRUNCATE skips row triggers; SQLite has none and empties with DELETE."""
    # CASCADE: the personal values' table refers to the events, and would go with them.
    emptying = "TRUNCATE audit_events CASCADE" if database_url.startswith("postgresql") else (
        "DELETE FROM audit_events")
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"])
    with pytest.raises(exc.DBAPIError, match="append-only"), database.write_connection() as raw:
        raw.execute(text(emptying))
    assert events_of(database, "staff_roles_set")


def test_a_manager_filters_the_log(database, maria, alice, hugo):
    clock.set_now(NOON)
    with database.write() as session:
        set_roles(session, maria, alice.id, ["front_desk", "manager"])
    clock.set_now(NOON + timedelta(days=2))
    with database.write() as session:
        set_roles(session, maria, hugo.id, ["housekeeping", "front_desk"])
    with database.read() as session:
        def filtered(**filters) -> list[str | None]:
            return [e.entity_id for e in audit.audit_log(session, maria, **filters)]

        assert filtered(action="staff_roles_set") == [str(hugo.id), str(alice.id)]
        assert filtered(action="staff_roles_set", since=NOON + timedelta(days=1)) == [
            str(hugo.id)]
        assert filtered(action="staff_roles_set", until=NOON + timedelta(days=1)) == [
            str(alice.id)]
        assert filtered(actor_name="maria", entity="staff", action="staff_roles_set") == [
            str(hugo.id), str(alice.id)]
        assert filtered(actor_name="Camille") == []


def test_a_manager_reads_her_own_hotel_only(database, maria, alice):
    with database.write() as session:
        other = create_property(session, system_actor(None), code="OTHER", name="Autre hôtel")
        audit.record(session, system_actor(other.id), "room_created", "room", 1)
    with database.read() as session:
        assert audit.audit_log(session, maria, action="room_created") == []
        assert len(audit.audit_events(session, other.id, action="room_created")) == 1


def test_only_managers_read_the_audit_log(database, hugo, alice):
    with database.read() as session:
        for person in (hugo, alice):
            with pytest.raises(PermissionDenied):
                audit.audit_log(session, person)


def test_every_row_the_demo_seeding_wrote_has_its_audit_event(database):
    """The demo goes through the services like everyone else: each row it made is in the log."""
    with database.write() as session:
        hotel = seed_demo(session)
    with database.read() as session:
        audited = {
            (entity, entity_id) for entity, entity_id in session.execute(
                select(AuditEvent.entity, AuditEvent.entity_id)
                .where(AuditEvent.property_id == hotel.id))
        }
        for entity, model in (("property", Property), ("room", Room), ("staff", Staff),
                              ("reservation", Reservation)):
            ids = {(entity, str(i)) for i in session.scalars(select(model.id))}
            assert ids and ids <= audited, entity
