"""the guest loop: private links, outbox to guests, guest corrections and verdicts,
and the alternative staff propose when a wish is not possible

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"  # rechained after merging main (was 0005)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("alternative", sa.Text(), nullable=True))
    op.create_table(
        "guest_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("property_id", sa.Integer(), sa.ForeignKey("properties.id"), nullable=False),
        sa.Column("reservation_id", sa.Integer(), sa.ForeignKey("reservations.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("last_used_at", UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_guest_links_reservation_id", "guest_links", ["reservation_id"])
    op.create_table(
        "guest_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("property_id", sa.Integer(), sa.ForeignKey("properties.id"), nullable=False),
        sa.Column("reservation_id", sa.Integer(), sa.ForeignKey("reservations.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("to_address", sa.String(300), nullable=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("printed_at", UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("reservation_id", "kind", "state"),
    )
    op.create_index("ix_guest_messages_status", "guest_messages", ["status"])
    op.create_index(
        "ix_guest_messages_property_created", "guest_messages", ["property_id", "created_at"]
    )
    op.create_table(
        "guest_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("property_id", sa.Integer(), sa.ForeignKey("properties.id"), nullable=False),
        sa.Column("reservation_id", sa.Integer(), sa.ForeignKey("reservations.id"), nullable=False),
        sa.Column("added_text", sa.Text(), nullable=False),
        sa.Column("removed_codes", sa.Text(), nullable=False),
        sa.Column("eta", sa.String(5), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_guest_corrections_reservation_id", "guest_corrections", ["reservation_id"])
    op.create_table(
        "guest_verdicts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("property_id", sa.Integer(), sa.ForeignKey("properties.id"), nullable=False),
        sa.Column("reservation_id", sa.Integer(), sa.ForeignKey("reservations.id"), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("requests.id"), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("reservation_id", "request_id"),
    )
    op.create_index("ix_guest_verdicts_reservation_id", "guest_verdicts", ["reservation_id"])


def downgrade() -> None:
    for table in ("guest_verdicts", "guest_corrections", "guest_messages", "guest_links"):
        op.drop_table(table)
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("alternative")
