"""The audit log: who changed what, on which row, from what to what, and when (UTC).

Services call `record` inside their unit of work, so the change and its audit event commit or
fail together. Nothing in the code updates or deletes an event, and the ORM and the database
both refuse to.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from core.clock import now
from core.models import AuditEvent


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit events are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`session.execute(update(AuditEvent))` skips the mapper events above: refuse it here."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("audit events are append-only")


def snapshot(row: Any, *, hide: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """A row's column values as JSON-safe data, secrets left out."""
    values = {}
    for attr in inspect(row).mapper.column_attrs:
        if attr.key in hide:
            continue
        values[attr.key] = json_safe(getattr(row, attr.key))
    return values


def json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only what changed, so an event says what it is about."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class Who:
    """Whoever acts: a staff member, or the system (an import, a scheduled job)."""

    id: int | None
    name: str
    property_id: int | None


def record(
    session: Session,
    who: Who,
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
    property_id: int | None = None,
) -> AuditEvent:
    audit_event = AuditEvent(
        property_id=property_id if property_id is not None else who.property_id,
        actor_id=who.id,
        actor_name=who.name,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        note=note,
        at=now(),
    )
    session.add(audit_event)
    return audit_event


def record_many(session: Session, who: Who, entries: list[dict[str, Any]]) -> None:
    """Many events in one statement, for bulk work (an import, thousands of tasks at once).

    Each entry has action, entity, entity_id and optionally before, after, property_id, note.
    """
    if not entries:
        return
    moment = now()
    session.execute(
        insert(AuditEvent).execution_options(render_nulls=True),
        [
            {
                "property_id": entry.get("property_id", who.property_id),
                "actor_id": who.id,
                "actor_name": who.name,
                "action": entry["action"],
                "entity": entry["entity"],
                "entity_id": None if entry.get("entity_id") is None else str(entry["entity_id"]),
                "before": entry.get("before"),
                "after": entry.get("after"),
                "note": entry.get("note"),
                "at": moment,
            }
            for entry in entries
        ],
    )


def audit_events(
    session: Session,
    property_id: int,
    *,
    action: str | None = None,
    actor_name: str | None = None,
    entity: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.property_id == property_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_name:
        query = query.where(AuditEvent.actor_name.ilike(f"%{actor_name}%"))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))


def audit_log(session: Session, reader: Who, **filters: Any) -> list[AuditEvent]:
    """The log as a manager reads and filters it: her own hotel's events, newest first."""
    from core.auth import require  # core.auth records its logins through this module

    require(reader, "manager")
    if reader.property_id is None:
        return []
    return audit_events(session, reader.property_id, **filters)
