"""Migration 0006 fills the room nights from the reservations already stored; of two that
already shared a room on a night, the earlier keeps it and the later keeps its dates only."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from core.db import Database
from core.migrations import alembic_config, upgrade_to_head


def test_existing_double_bookings_keep_the_first_in_the_room(empty_database_url):
    database = Database(empty_database_url)
    config = alembic_config()
    with database.write_connection() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, ScriptDirectory.from_config(config).get_revision("0006")
                        .down_revision)  # just before 0006, wherever it is chained
    with database.write_connection() as connection:
        for statement in (
            "INSERT INTO properties (id, code, name, timezone, check_in_time, check_out_time, "
            "default_language, is_demo, created_at) VALUES (1, 'H', 'H', 'Europe/Paris', "
            "'15:00:00', '11:00:00', 'fr', false, '2026-07-01 08:00:00')",
            "INSERT INTO rooms (id, property_id, number, room_type, floor, features, "
            "housekeeping_status) VALUES (1, 1, '101', '', 1, '[]', 'dirty')",
            "INSERT INTO guests (id, property_id, name, vip_level, preferences, created_at) "
            "VALUES (1, 1, 'Marie Dubois', 0, '[]', '2026-07-01 08:00:00'), "
            "(2, 1, 'John Smith', 0, '[]', '2026-07-01 08:00:00')",
        ):
            connection.execute(text(statement))
        for rid, guest, arrival, departure in ((1, 1, "2026-07-10", "2026-07-12"),
                                               (2, 2, "2026-07-11", "2026-07-13")):
            connection.execute(text(
                "INSERT INTO reservations (id, property_id, confirmation_number, guest_id, "
                "arrival_date, departure_date, room_id, adults, children, status, source, "
                "wish_text, created_at, updated_at, version) VALUES (:id, 1, :number, :guest, "
                ":arrival, :departure, 1, 1, 0, 'booked', 'manual', '', '2026-07-01 08:00:00', "
                "'2026-07-01 08:00:00', 1)"),
                {"id": rid, "number": f"R{rid}", "guest": guest, "arrival": arrival,
                 "departure": departure})
    upgrade_to_head(database)
    with database.engine.connect() as connection:
        nights = connection.execute(text(
            "SELECT reservation_id, night FROM room_nights ORDER BY night")).all()
        rooms = dict(connection.execute(text("SELECT id, room_id FROM reservations")).all())
    assert [(r, str(n)) for r, n in nights] == [(1, "2026-07-10"), (1, "2026-07-11")]
    assert rooms == {1: 1, 2: None}
    database.dispose()
