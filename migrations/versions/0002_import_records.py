"""import records: each arrivals import, and what the last import said about each reservation

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:40:08.647619
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("file_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("replace_range", sa.Boolean(), nullable=False),
        sa.Column("started_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("requests_created", sa.Integer(), nullable=False),
        sa.Column("tasks_created", sa.Integer(), nullable=False),
        sa.Column("tasks_cancelled", sa.Integer(), nullable=False),
        sa.Column("unknown_columns", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff.id"], name=op.f("fk_import_records_actor_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_import_records_property_id_properties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
    )
    op.create_index(
        op.f("ix_import_records_file_hash"), "import_records", ["file_hash"], unique=False
    )
    op.create_index(
        "ix_import_records_property_started",
        "import_records",
        ["property_id", "started_at"],
        unique=False,
    )

    op.create_table(
        "imported_reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file_values", sa.JSON(), nullable=False),
        sa.Column("applied_values", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_records.id"],
            name=op.f("fk_imported_reservations_import_id_import_records"),
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_imported_reservations_property_id_properties"),
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_imported_reservations_reservation_id_reservations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_reservations")),
        sa.UniqueConstraint(
            "reservation_id", name=op.f("uq_imported_reservations_reservation_id")
        ),
    )
    op.create_index(
        op.f("ix_imported_reservations_import_id"),
        "imported_reservations",
        ["import_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_imported_reservations_property_id"),
        "imported_reservations",
        ["property_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_reservations_property_id"), table_name="imported_reservations")
    op.drop_index(op.f("ix_imported_reservations_import_id"), table_name="imported_reservations")
    op.drop_table("imported_reservations")
    op.drop_index("ix_import_records_property_started", table_name="import_records")
    op.drop_index(op.f("ix_import_records_file_hash"), table_name="import_records")
    op.drop_table("import_records")
