"""A hotel created before a new default wish gets it when the app is upgraded."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from core.db import get_database
from core.migrations import alembic_config
from core.startup import ready_database


def test_a_hotel_from_before_gets_the_non_food_allergy_and_keeps_its_own_entries(
    empty_database_url,
):
    database = get_database(empty_database_url)
    config = alembic_config()
    with database.write_connection() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO properties (code, name, timezone, check_in_time, check_out_time, "
            "default_language, is_demo, created_at) VALUES ('OLD', 'Old Hotel', 'Europe/Paris', "
            "'15:00:00', '11:00:00', 'fr', false, '2026-01-01 00:00:00')"))
    ready_database(empty_database_url)
    with database.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT c.department, c.sensitive FROM catalogue_items c "
            "JOIN properties p ON p.id = c.property_id "
            "WHERE p.code = 'OLD' AND c.code = 'other_allergy'")).all()
    assert [(department, bool(sensitive)) for department, sensitive in rows] == [
        ("housekeeping", True)]
