"""audit log: personal values stored apart (audit_personal), which retention alone may blank

The audit log stays append-only. The personal values of an event (names, contacts, the
guest's words, reasons typed by staff) move to audit_personal, one row per event; triggers on
both databases refuse every change to that table except the retention purge's: a row blanked
once (before, after and note NULL, erased_at set). Events written before this migration have
their personal values moved the same way, the one time the log's own triggers are lifted.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of core.audit.PERSONAL_FIELDS and GUEST_ENTITIES as they were at this revision.
PERSONAL_FIELDS = {
    "name",
    "guest_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferences",
    "wish_text",
    "original_text",
    "matched_text",
    "text",
    "reason",
    "override_reason",
    "title",
    "file_name",
    "comment",
    "message",
}
GUEST_ENTITIES = {"guest", "reservation", "request", "task", "check_in", "import_record"}
REFUSED = "audit events are append-only: retention may only blank personal values"
ERASE_ONLY = (
    "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.event_id = OLD.event_id "
    'AND NEW."before" IS NULL AND NEW."after" IS NULL AND NEW.note IS NULL'
)


def upgrade() -> None:
    op.create_table(
        "audit_personal",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("erased_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name=op.f("fk_audit_personal_event_id_audit_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_personal")),
    )
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(
            "CREATE TRIGGER audit_personal_no_delete BEFORE DELETE ON audit_personal "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_personal_erase_only BEFORE UPDATE ON audit_personal "
            f"WHEN NOT ({ERASE_ONLY}) BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )
    else:
        op.execute(
            "CREATE FUNCTION audit_personal_erase_only() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' AND {ERASE_ONLY} THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{REFUSED}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_personal_erase_only BEFORE UPDATE OR DELETE ON audit_personal "
            "FOR EACH ROW EXECUTE FUNCTION audit_personal_erase_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_personal_no_truncate BEFORE TRUNCATE ON audit_personal "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
    _move_existing_personal_values(sqlite)


def _split(values):
    if not values:
        return values, None
    kept, personal = {}, {}
    for key, value in values.items():
        if key in PERSONAL_FIELDS:
            personal[key] = value
        elif isinstance(value, dict):
            inner_kept, inner_personal = _split(value)
            kept[key] = inner_kept
            if inner_personal:
                personal[key] = inner_personal
        else:
            kept[key] = value
    return kept, personal or None


def _move_existing_personal_values(sqlite: bool) -> None:
    """The log's triggers are lifted for this one rewrite, inside the migration's transaction."""
    bind = op.get_bind()
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("entity", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("note", sa.Text),
    )
    personal = sa.table(
        "audit_personal",
        sa.column("event_id", sa.Integer),
        sa.column("before", sa.JSON(none_as_null=True)),
        sa.column("after", sa.JSON(none_as_null=True)),
        sa.column("note", sa.Text),
    )
    moves = []
    for row in bind.execute(sa.select(events)).mappings():
        before, personal_before = _split(row["before"])
        after, personal_after = _split(row["after"])
        note = row["note"] if row["entity"] in GUEST_ENTITIES else None
        if personal_before is None and personal_after is None and note is None:
            continue
        moves.append(
            (
                row["id"],
                before,
                after,
                row["note"] if note is None else None,
                personal_before,
                personal_after,
                note,
            )
        )
    if not moves:
        return
    if sqlite:
        op.execute("DROP TRIGGER audit_events_no_update")
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    for event_id, before, after, note, personal_before, personal_after, personal_note in moves:
        bind.execute(
            sa.update(events)
            .where(events.c.id == event_id)
            .values(before=before, after=after, note=note)
        )
        bind.execute(
            sa.insert(personal).values(
                event_id=event_id,
                before=personal_before,
                after=personal_after,
                note=personal_note,
            )
        )
    if sqlite:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_personal_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_personal_erase_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_personal_no_truncate ON audit_personal")
        op.execute("DROP TRIGGER IF EXISTS audit_personal_erase_only ON audit_personal")
        op.execute("DROP FUNCTION IF EXISTS audit_personal_erase_only()")
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
    op.drop_table("audit_personal")
