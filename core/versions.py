"""Optimistic saves: a person saves the version of a row they loaded, or is told who saved it
in between, when, and what they changed.

The check is one conditional UPDATE (`... SET version = version + 1 WHERE id = ? AND version
= ?`). On SQLite write transactions already run one at a time; on PostgreSQL (READ COMMITTED)
a second writer's UPDATE waits for the first to commit and then re-reads the row, finds the
version moved on and matches nothing. Either way the loser gets the same `Changed` message,
never a generic error. Who, when and what come from the audit log: every save writes an event
in the same transaction as its version bump.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.errors import UserError
from core.i18n import format_clock, t
from core.models import AuditEvent

BOOKKEEPING = {"version", "updated_at", "updated_by_id", "id", "property_id"}
# Events that say what they changed by their name only (a password is never in the log).
ACTION_FIELDS = {"staff_password_reset": ("password",)}
# The fields a lost race names in words (field.<name> in the locales); others by their name.
FIELD_LABELS = (
    "active",
    "department",
    "enabled",
    "ends_at",
    "keywords",
    "label_en",
    "label_fr",
    "lead_minutes",
    "owner_id",
    "password",
    "readiness_items",
    "reason",
    "roles",
    "sensitive",
    "starts_at",
    "status",
    "timing",
)


class Changed(UserError):
    """Someone else saved this row since the person loaded it; nothing of theirs was saved."""

    def __init__(self, key: str = "error.changed", *, by: str, at: str, what: str) -> None:
        super().__init__(key, by=by, at=at, what=what)
        self.by, self.at, self.what = by, at, what


def claim_version(
    session: Session,
    model: type[Any],
    row_id: int,
    expected: int | None,
    *,
    entity: str,
    timezone: str,
    language: str = "en",
    key: str = "error.changed",
    audit_id: Any = None,
) -> None:
    """Moves the row to its next version if it is still at `expected`; raises `Changed` if not.

    `expected=None` is for the system and scripts, which act on what is stored: the version
    still moves, so that a person who loaded the row before is told. Call it before reading
    the row to change it: afterwards the row is locked for this transaction (PostgreSQL) and
    the session's copy is refreshed. `audit_id`: the row's id in the audit log, when it is
    not its primary key (a job's settings are audited under the job's name).
    """
    condition = [model.id == row_id]
    if expected is not None:
        condition.append(model.version == expected)
    result = session.execute(
        update(model)
        .where(*condition)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        if session.get(model, row_id) is None:
            return  # not there at all: the caller says "not found" in its own words
        audit_id = row_id if audit_id is None else audit_id
        raise changed(session, entity, audit_id, timezone, language, key=key)
    session.get(model, row_id, populate_existing=True)


def changed(
    session: Session,
    entity: str,
    entity_id: Any,
    timezone: str,
    language: str = "en",
    *,
    key: str = "error.changed",
) -> Changed:
    """The message for a lost race: the latest saved change of the row, from the audit log."""
    event = latest_change(session, entity, entity_id)
    if event is None:
        return Changed(key, by=t("error.changed_someone", language), at="?", what="")
    at = format_clock(event.at.astimezone(ZoneInfo(timezone)), language)
    return Changed(key, by=event.actor_name, at=at, what=what_changed(event, language))


def latest_change(session: Session, entity: str, entity_id: Any) -> AuditEvent | None:
    """The newest audit event of a row that is an edit (sign-ins are not edits of a person)."""
    return session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == entity,
            AuditEvent.entity_id == str(entity_id),
            AuditEvent.action.not_like("login%"),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()


def what_changed(event: AuditEvent, language: str) -> str:
    """The fields an event changed, in words ("status, reason")."""
    after = audit.event_values(event).after or {}  # the personal half holds e.g. a reason
    fields = [name for name in after if name not in BOOKKEEPING]
    fields = fields or list(ACTION_FIELDS.get(event.action, ()))
    if not fields:
        return t("error.changed_see_audit", language)
    return ", ".join(_field_label(name, language) for name in fields)


def _field_label(name: str, language: str) -> str:
    if name in FIELD_LABELS:
        return t(f"field.{name}", language)
    return name.replace("_", " ")
