"""scheduler and notifications: leases, job runs and settings, notifications, briefing archive

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 00:04:29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("acquired_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("renewed_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    op.create_table(
        "briefing_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("briefing_date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("arrivals", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("made_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("erased_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_briefing_archives_property_id_properties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_archives")),
        sa.UniqueConstraint(
            "property_id",
            "briefing_date",
            "shift",
            name=op.f("uq_briefing_archives_property_id_briefing_date_shift"),
        ),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=True),
        sa.Column("slot", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_job_runs_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["staff.id"], name=op.f("fk_job_runs_requested_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "scope", "slot", name=op.f("uq_job_runs_job_scope_slot")),
    )
    op.create_index(
        "ix_job_runs_scope_job_started", "job_runs", ["scope", "job", "started_at"], unique=False
    )
    op.create_table(
        "job_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_job_settings_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff.id"], name=op.f("fk_job_settings_updated_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_settings")),
        sa.UniqueConstraint("job", "scope", name=op.f("uq_job_settings_job_scope")),
    )
    op.create_table(
        "notification_addresses",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_notification_addresses_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_notification_addresses")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("link_page", sa.String(length=40), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=250), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("email_state", sa.String(length=12), nullable=False),
        sa.Column("emailed_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_notifications_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["staff.id"], name=op.f("fk_notifications_recipient_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notifications_dedupe_key")),
    )
    op.create_index("ix_notifications_email_state", "notifications", ["email_state"], unique=False)
    op.create_index(
        "ix_notifications_property_created",
        "notifications",
        ["property_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_notifications_recipient_created",
        "notifications",
        ["recipient_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "notification_reads",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("read_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_reads_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_notification_reads_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("notification_id", "staff_id", name=op.f("pk_notification_reads")),
    )


def downgrade() -> None:
    op.drop_table("notification_reads")
    op.drop_index("ix_notifications_recipient_created", table_name="notifications")
    op.drop_index("ix_notifications_property_created", table_name="notifications")
    op.drop_index("ix_notifications_email_state", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("notification_addresses")
    op.drop_table("job_settings")
    op.drop_index("ix_job_runs_scope_job_started", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("briefing_archives")
    op.drop_table("scheduler_leases")
