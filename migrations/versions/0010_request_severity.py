"""requests: the severity of a health wish (critical / normal), read from the guest's words

Revision ID: 0010
Revises: 0013
Create Date: 2026-12-01

Existing health wishes are read again so that a hotel upgrading sees its guests' severe
allergies as critical from the first page, not after each reservation is next saved.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(
            sa.Column("severity", sa.String(length=10), nullable=False, server_default="normal")
        )
    from requests.severity import read_severity  # the reader of the version being installed

    bind = op.get_bind()
    requests = sa.table(
        "requests",
        sa.column("id", sa.Integer),
        sa.column("matched_text", sa.Text),
        sa.column("sensitive", sa.Boolean),
        sa.column("severity", sa.String),
    )
    critical = [
        row.id
        for row in bind.execute(
            sa.select(requests.c.id, requests.c.matched_text).where(requests.c.sensitive.is_(True))
        )
        if read_severity(row.matched_text or "").critical
    ]
    for start in range(0, len(critical), 500):
        bind.execute(
            requests.update()
            .where(requests.c.id.in_(critical[start : start + 500]))
            .values(severity="critical")
        )


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("severity")
