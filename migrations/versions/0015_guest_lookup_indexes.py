"""guests: indexes for finding a returning guest by e-mail (lower-cased) or phone

An import looks up the guests of each batch by e-mail or phone; without an index every lookup
read all the hotel's guests, so that a 100,000-row import slowed down as it went.

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_guests_property_email", "guests", ["property_id", sa.text("lower(email)")])
    op.create_index("ix_guests_property_phone", "guests", ["property_id", "phone"])


def downgrade() -> None:
    op.drop_index("ix_guests_property_phone", table_name="guests")
    op.drop_index("ix_guests_property_email", table_name="guests")
