"""Retention erases a guest from every table, the audit log included.

Marie Dubois stays two nights with a severe peanut allergy: she is booked, imported from a
file named after her, a wish of hers is "not possible" with a reason and an alternative
naming her, she is checked in with a manager's override, a notification quotes her, and the
briefing of her day is frozen as a PDF. 35 days after she left, the purge runs; then every
text column of every table (found by introspecting the tables, so a new table is searched
too) is read and holds nothing of her, on both databases. The audit log keeps every event,
with ids and codes.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import JSON, LargeBinary, String, Text, exc, func, select, text

import core.scheduling  # noqa: F401
from core.audit import audit_events, event_values
from core.clock import set_now
from core.db import Base
from core.models import AuditEvent
from core.notifications import notify
from core.scheduling import run_job
from guests.importer import read_file, run_import
from guests.models import Guest, Reservation
from guests.reservations import ReservationInput, save_reservation
from requests.models import Task
from requests.tasks import change_task_status
from shift_briefing.checkin import check_in
from shift_briefing.models import BriefingArchive, BriefingVersion
from tests.shift_briefing.conftest import DAY

NIGHT = datetime(2026, 8, 20, 1, 0, tzinfo=UTC)  # 03:00 in Paris, 35 days after she left
HER = (
    "Marie Dubois",
    "Dubois",
    "marie.dubois@example.com",
    "12 34 56 78",
    "severe peanut allergy",
    "for Marie",
    "arrived early",
)
FILE = (
    b"Conf. No;Guest Name;Arrival;Departure;Room;Email;Phone;Specials\n"
    b"M-1;Marie Dubois;14/07/2026;16/07/2026;101;marie.dubois@example.com;+33 6 12 34 56 78;"
    b"severe peanut allergy, baby cot please\n"
    b"M-2;Marie Dubois;Marie Dubois;16/07/2026;;;;\n"  # a bad row quoting her
)


def every_text(database) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every text, JSON and binary cell of every table."""
    found = []
    with database.read() as session:
        for name, table in sorted(Base.metadata.tables.items()):
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON | LargeBinary)]
            if not columns:
                continue
            for row in session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes):
                        shown = value.decode("latin-1")
                    elif isinstance(value, str):
                        shown = value
                    else:
                        shown = json.dumps(value, ensure_ascii=False)
                    found.append((name, column.name, shown))
    return found


def mentions_of_her(database) -> list[tuple[str, str, str]]:
    return [
        (table, column, value[:120])
        for table, column, value in every_text(database)
        if any(needle.casefold() in value.casefold() for needle in HER)
    ]


@pytest.fixture
def her_stay(database, hotel, rita, alice, maria, book) -> int:
    reservation_id = book(
        "M-1", "Marie Dubois", "severe peanut allergy, baby cot please", room="101"
    )
    with database.write() as session:
        summary = run_import(session, rita, hotel.id, read_file(FILE, "Marie Dubois.csv"))
    assert summary.updated == 1 and len(summary.errors) == 1
    with database.write() as session:
        allergy = session.scalars(
            select(Task)
            .where(Task.reservation_id == reservation_id, Task.kind == "wish")
            .order_by(Task.id)
        ).first()
        change_task_status(
            session,
            maria,
            allergy.id,
            allergy.version,
            "not_possible",
            "the kitchen cannot guarantee it for Marie",
            alternative="a nut-free tray for Marie Dubois, sealed",  # what staff propose
        )
        notify(
            session,
            hotel.id,
            "notify.no_owner",
            {"guest": "Marie Dubois", "room": "101"},
            role="front_desk",
        )
    with database.write() as session:
        check_in(
            session,
            alice,
            hotel.id,
            reservation_id,
            wishes_reviewed=True,
            manager_login="maria",
            manager_password="maria-password",
            override_reason="she arrived early, room 101 soon",
            kitchen_informed=True,
        )
    with database.write() as session:
        session.add(
            BriefingVersion(
                property_id=hotel.id,
                briefing_date=DAY,
                shift="afternoon",
                version="v1",
                content={"arrivals": [{"guest": "Marie Dubois"}]},
            )
        )
        session.add(
            BriefingArchive(
                property_id=hotel.id,
                briefing_date=DAY,
                shift="afternoon",
                version="v1",
                language="fr",
                arrivals=1,
                pdf=b"%PDF-1.4 Marie Dubois severe peanut allergy",
                made_at=datetime(2026, 7, 14, 12, 45, tzinfo=UTC),
            )
        )
        # Checked out: a stay that ended (the check-out itself is another helper's).
        session.get(Reservation, reservation_id).status = "checked_out"
    with database.write() as session:  # another guest, arriving after the purge: kept
        save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number="P-1",
                guest_name="Paul Present",
                arrival_date=date(2026, 8, 21),
                departure_date=date(2026, 8, 23),
                wish_text="quiet room",
                email="paul@example.com",
            ),
        )
    return reservation_id


def purge(database, hotel) -> str:
    set_now(NIGHT)
    outcome = run_job(database, "purge_guest_data", hotel.id, NIGHT, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    return outcome.result


def test_after_the_purge_no_table_holds_anything_of_her(database, hotel, her_stay):
    before = {table for table, _, _ in mentions_of_her(database)}
    # She is everywhere first, the audit log's personal values included.
    assert {
        "guests",
        "reservations",
        "requests",
        "tasks",
        "check_ins",
        "import_records",
        "imported_reservations",
        "notifications",
        "briefing_versions",
        "briefing_archives",
        "audit_personal",
    } <= before
    with database.read() as session:
        events = session.scalar(select(func.count(AuditEvent.id)))
    purge(database, hotel)
    assert mentions_of_her(database) == []
    with database.read() as session:
        paul = session.scalars(select(Guest).where(Guest.name == "Paul Present")).one()
        assert paul.email == "paul@example.com"
        kept = session.scalar(select(func.count(AuditEvent.id)))
        [erasure] = audit_events(session, hotel.id, action="audit_anonymised")
        [created] = audit_events(
            session, hotel.id, action="reservation_created", entity="reservation"
        )[-1:]
        shown = event_values(created)
    assert kept > events  # nothing was deleted: the purge's own events were added
    assert erasure.note == "anonymised by retention" and erasure.after["events"] > 0
    assert shown.erased and shown.after["confirmation_number"] == "M-1"
    assert "wish_text" not in shown.after and "name" not in shown.after["guest"]


def test_the_audit_log_is_still_append_only_apart_from_that_one_erasure(database, hotel, her_stay):
    with database.read() as session:
        event_id = session.scalar(
            text("SELECT event_id FROM audit_personal WHERE erased_at IS NULL LIMIT 1")
        )
    refused = (
        "UPDATE audit_personal SET note = 'rewritten' WHERE event_id = :id",
        'UPDATE audit_personal SET "after" = NULL, note = NULL WHERE event_id = :id',
        "DELETE FROM audit_personal WHERE event_id = :id",
        "UPDATE audit_events SET note = 'rewritten' WHERE id = :id",
    )
    for statement in refused:
        with (
            pytest.raises(exc.DBAPIError, match="append-only"),
            database.write_connection() as raw,
        ):
            raw.execute(text(statement), {"id": event_id})
    blank = (
        'UPDATE audit_personal SET "before" = NULL, "after" = NULL, note = NULL, '
        "erased_at = :at WHERE event_id = :id"
    )
    with database.write_connection() as raw:
        raw.execute(text(blank), {"id": event_id, "at": NIGHT})
    with (  # once: it stays erased
        pytest.raises(exc.DBAPIError, match="append-only"),
        database.write_connection() as raw,
    ):
        raw.execute(
            text(blank.replace("note = NULL", "note = 'back'")), {"id": event_id, "at": NIGHT}
        )
