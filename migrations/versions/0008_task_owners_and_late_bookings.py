"""task owners and late bookings: roster, floor sections, assignment rules, booked-late tasks

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("shift", sa.String(length=20), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_staff_shifts_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_shifts_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_shifts")),
        sa.UniqueConstraint(
            "staff_id", "shift", "weekday", name=op.f("uq_staff_shifts_staff_id_shift_weekday")
        ),
    )
    op.create_index(
        op.f("ix_staff_shifts_property_id"), "staff_shifts", ["property_id"], unique=False
    )
    op.create_table(
        "floor_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_floor_sections_property_id_properties"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_floor_sections_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floor_sections")),
        sa.UniqueConstraint(
            "property_id", "floor", name=op.f("uq_floor_sections_property_id_floor")
        ),
    )
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(
            sa.Column("escalated_at", core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("booked_late", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("department_owners") as batch:
        batch.add_column(
            sa.Column("rule", sa.String(length=20), server_default="person", nullable=False)
        )
        batch.add_column(
            sa.Column("handling_minutes", sa.Integer(), server_default="30", nullable=False)
        )
    # A department whose rule said "nobody" (the queue) now gives its tasks to whoever is on shift.
    op.execute("UPDATE department_owners SET rule = 'on_shift' WHERE owner_id IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("department_owners") as batch:
        batch.drop_column("handling_minutes")
        batch.drop_column("rule")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("booked_late")
        batch.drop_column("escalated_at")
    op.drop_table("floor_sections")
    op.drop_index(op.f("ix_staff_shifts_property_id"), table_name="staff_shifts")
    op.drop_table("staff_shifts")
