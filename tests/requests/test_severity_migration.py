"""Upgrading a hotel: the health wishes already stored are read again by migration 0010, so a
severe allergy booked before the upgrade is critical from the first page."""

from __future__ import annotations

import importlib.util

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from core.settings import ROOT
from guests.reservations import ReservationInput, save_reservation
from tests.shift_briefing.conftest import DAY


def _migration():
    path = ROOT / "migrations" / "versions" / "0010_request_severity.py"
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_reads_the_stored_health_wishes_again(database, hotel, rita):
    with database.write() as session:
        for number, words in (("A", "Severe nut allergy"), ("B", "nut allergy, baby cot")):
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name=f"Guest {number}",
                    arrival_date=DAY,
                    departure_date=DAY.replace(day=DAY.day + 1),
                    wish_text=words,
                ),
            )
    with database.engine.connect() as connection:
        transaction = connection.begin()  # rolled back: PostgreSQL's schema is shared
        try:
            connection.execute(text("ALTER TABLE requests DROP COLUMN severity"))
            context = MigrationContext.configure(
                connection, opts={"render_as_batch": connection.dialect.name == "sqlite"}
            )
            with Operations.context(context):
                _migration().upgrade()
            rows = connection.execute(
                text(
                    "SELECT r.confirmation_number, q.code, q.severity FROM requests q "
                    "JOIN reservations r ON r.id = q.reservation_id ORDER BY 1, 2"
                )
            ).all()
        finally:
            transaction.rollback()
    assert [tuple(row) for row in rows] == [
        ("A", "food_allergy", "critical"),
        ("B", "baby_cot", "normal"),
        ("B", "food_allergy", "normal"),
    ]
