"""room nights (one reservation per room and night), guest versions, who saved a reservation

Revision ID: 0006
Revises: 0014
Create Date: 2026-12-01

Existing reservations fill the room nights in order of creation. Should two of them already
hold the same room on the same night, the later one keeps its dates and loses the room (the
earlier booking wins); the migration says so in its log, and the front desk assigns a room again.
"""

import logging
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
HOLDING = ("booked", "checked_in")


def upgrade() -> None:
    with op.batch_alter_table("guests") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=200), nullable=True))
    op.create_table(
        "room_nights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_room_nights_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_room_nights_reservation_id_reservations"),
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_room_nights_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_nights")),
        sa.UniqueConstraint("room_id", "night", name=op.f("uq_room_nights_room_id_night")),
    )
    op.create_index(
        op.f("ix_room_nights_property_id"), "room_nights", ["property_id"], unique=False
    )
    op.create_index(
        op.f("ix_room_nights_reservation_id"), "room_nights", ["reservation_id"], unique=False
    )
    _fill_room_nights()


def _fill_room_nights() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, property_id, room_id, arrival_date, departure_date FROM reservations "
            "WHERE room_id IS NOT NULL AND status IN ('booked', 'checked_in') ORDER BY id"
        )
    ).all()
    taken: set[tuple[int, object]] = set()
    nights: list[dict] = []
    for reservation_id, property_id, room_id, arrival, departure in rows:
        if isinstance(arrival, str):  # SQLite hands dates back as text here
            arrival, departure = date.fromisoformat(arrival), date.fromisoformat(departure)
        wanted = [arrival + timedelta(days=n) for n in range((departure - arrival).days)]
        if any((room_id, night) in taken for night in wanted):
            log.warning("reservation %s lost its room %s: the room was already booked",
                        reservation_id, room_id)
            bind.execute(sa.text("UPDATE reservations SET room_id = NULL WHERE id = :id"),
                         {"id": reservation_id})
            continue
        for night in wanted:
            taken.add((room_id, night))
            nights.append({"property_id": property_id, "room_id": room_id, "night": night,
                           "reservation_id": reservation_id})
    if nights:
        table = sa.table("room_nights", sa.column("property_id"), sa.column("room_id"),
                         sa.column("night", sa.Date()), sa.column("reservation_id"))
        bind.execute(table.insert(), nights)


def downgrade() -> None:
    op.drop_index(op.f("ix_room_nights_reservation_id"), table_name="room_nights")
    op.drop_index(op.f("ix_room_nights_property_id"), table_name="room_nights")
    op.drop_table("room_nights")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("updated_by")
        batch.drop_column("checked_out_at")
    with op.batch_alter_table("guests") as batch:
        batch.drop_column("version")
        batch.drop_column("updated_by")
        batch.drop_column("updated_at")
