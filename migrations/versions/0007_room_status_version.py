"""rooms: the housekeeping status carries its version and who changed it when

A tick on the housekeeping board saves the status the attendant saw: if someone changed it
meanwhile, the board says who and when instead of overwriting it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("status_changed_at", core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("status_changed_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_column("status_changed_by")
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("status_version")
