"""catalogue: the non-food allergy (pollen, wool, nickel, animals, medicines) for every hotel

Properties created before it get the default entry; a hotel that already has a code
`other_allergy` of its own keeps it.

Revision ID: 0014
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from requests.catalogue_defaults import DEFAULT_CATALOGUE

revision: str = "0014"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = "other_allergy"
_items = sa.table(
    "catalogue_items",
    sa.column("property_id", sa.Integer), sa.column("code", sa.String),
    sa.column("label_fr", sa.String), sa.column("label_en", sa.String),
    sa.column("department", sa.String), sa.column("timing", sa.String),
    sa.column("lead_minutes", sa.Integer), sa.column("readiness_items", sa.JSON),
    sa.column("sensitive", sa.Boolean), sa.column("constrains_room", sa.Boolean),
    sa.column("keywords", sa.JSON), sa.column("active", sa.Boolean),
)


def upgrade() -> None:
    [entry] = [e for e in DEFAULT_CATALOGUE if e.code == CODE]
    bind = op.get_bind()
    missing = bind.execute(sa.text(
        "SELECT id FROM properties WHERE id NOT IN "
        "(SELECT property_id FROM catalogue_items WHERE code = :code)"), {"code": CODE}
    ).scalars().all()
    if missing:
        op.bulk_insert(_items, [{
            "property_id": property_id, "code": entry.code, "label_fr": entry.label_fr,
            "label_en": entry.label_en, "department": entry.department,
            "timing": entry.timing, "lead_minutes": entry.lead_minutes,
            "readiness_items": [{"key": i.key, "label_fr": i.label_fr, "label_en": i.label_en}
                                for i in entry.readiness_items],
            "sensitive": entry.sensitive, "constrains_room": entry.constrains_room,
            "keywords": {lang: list(words) for lang, words in entry.keywords.items()},
            "active": True,
        } for property_id in missing])


def downgrade() -> None:
    pass  # the entry may hold the hotel's own edits and tasks refer to its code: it stays
