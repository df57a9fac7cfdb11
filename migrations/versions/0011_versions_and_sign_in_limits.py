"""versions on catalogue entries, shifts, staff and job settings; sign-in limits

Every manager save is a version check (issue 10, point 1): the row carries the version the
person loaded. Staff also get a separate count of wrong manager passwords typed at check-in,
so that an agent's typos cannot lock the manager out of their own sign-in, and sign-in
attempts are counted per client address and in total per minute (point 2).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("catalogue_items", "shifts", "staff", "job_settings")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column(
        "staff",
        sa.Column("override_failures", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "staff",
        sa.Column("override_locked_until", core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "sign_in_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("window_start", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_windows")),
        sa.UniqueConstraint(
            "key", "window_start", name=op.f("uq_sign_in_windows_key_window_start")
        ),
    )


def downgrade() -> None:
    op.drop_table("sign_in_windows")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("override_locked_until")
        batch.drop_column("override_failures")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
