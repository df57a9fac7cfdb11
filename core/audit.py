"""The audit log: who changed what, on which row, from what to what, and when (UTC).

Services call `record` inside their unit of work, so the change and its audit event commit or
fail together. Nothing in the code updates or deletes an event, and the ORM and the database
both refuse to.

Personal values are stored apart: `record` moves every field named in PERSONAL_FIELDS (at any
depth of the snapshots) and the note of an event about guest data (GUEST_ENTITIES) into the
event's AuditPersonal row. The event keeps ids, codes, counts and statuses for ever; retention
blanks the personal row (`erase_personal`), the one change the database lets through. Read an
event with `event_values`, which puts the two halves back together. A domain that audits new
personal fields or entities registers them with `personal_fields` / `guest_entities`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, inspect, null, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from core.clock import now
from core.lib import chunks, insert_rows, insert_with_ids
from core.models import AuditEvent, AuditPersonal

# Fields whose values say who a guest is or what they told us; staff names too (harmless).
PERSONAL_FIELDS: set[str] = {
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
    "alternative",
    "override_reason",
    "title",
    "file_name",
    "comment",
    "message",
}
# Entities whose events are about a guest: their free-text note is personal as well.
GUEST_ENTITIES: set[str] = {
    "guest",
    "reservation",
    "request",
    "task",
    "check_in",
    "import_record",
}


def personal_fields(*names: str) -> None:
    """A domain that audits a new personal field (a guest's comment...) names it here."""
    PERSONAL_FIELDS.update(names)


def guest_entities(*names: str) -> None:
    """A domain whose audited rows are about a guest (a guest link, a verdict) names them."""
    GUEST_ENTITIES.update(names)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
@event.listens_for(AuditPersonal, "before_update")
@event.listens_for(AuditPersonal, "before_delete")
def _refuse_change(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit events are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`session.execute(update(AuditEvent))` skips the mapper events above: refuse it here."""
    if state.execution_options.get("retention_erasure"):
        return  # erase_personal: the one change allowed, which the database checks too
    if (state.is_update or state.is_delete) and any(
        mapper.class_ in (AuditEvent, AuditPersonal) for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("audit events are append-only")


def split_personal(values: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """(what the event keeps, the personal values) of a snapshot, nested dicts included."""
    if not values:
        return values, None
    kept: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    for key, value in values.items():
        if key in PERSONAL_FIELDS:
            personal[key] = value
        elif isinstance(value, dict):
            inner_kept, inner_personal = split_personal(value)
            kept[key] = inner_kept
            if inner_personal:
                personal[key] = inner_personal
        else:
            kept[key] = value
    return kept, personal or None


def _merged(kept: dict[str, Any] | None, personal: dict[str, Any] | None) -> dict | None:
    if not personal:
        return kept
    merged = dict(kept or {})
    for key, value in personal.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _parts(
    entity: str, before: dict | None, after: dict | None, note: str | None
) -> tuple[dict | None, dict | None, str | None, dict[str, Any] | None]:
    """The event's own before/after/note, and its personal row's values (None: no row)."""
    before, personal_before = split_personal(before)
    after, personal_after = split_personal(after)
    personal_note = note if entity in GUEST_ENTITIES else None
    if personal_note is not None:
        note = None
    if personal_before is None and personal_after is None and personal_note is None:
        return before, after, note, None
    return (
        before,
        after,
        note,
        {
            "before": personal_before,
            "after": personal_after,
            "note": personal_note,
        },
    )


@dataclass(frozen=True)
class EventValues:
    """An event as people read it: its snapshots with the personal values, unless erased."""

    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None
    erased: bool  # the personal values were erased by retention


def event_values(audit_event: AuditEvent) -> EventValues:
    """The one way to read an event's before/after/note: both halves put back together."""
    personal = audit_event.personal
    if personal is None:
        return EventValues(audit_event.before, audit_event.after, audit_event.note, False)
    return EventValues(
        _merged(audit_event.before, personal.before),
        _merged(audit_event.after, personal.after),
        personal.note if personal.note is not None else audit_event.note,
        personal.erased_at is not None,
    )


def snapshot(row: Any, *, hide: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """A row's column values as JSON-safe data, secrets left out."""
    values = {}
    for attr in inspect(row).mapper.column_attrs:
        if attr.key in hide:
            continue
        values[attr.key] = json_safe(getattr(row, attr.key))
    return values


_PLAIN = frozenset((str, int, float, bool, type(None)))


def json_safe(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: an import audits hundreds of thousands
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [v if type(v) in _PLAIN else json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k if type(k) is str else str(k): v if type(v) in _PLAIN else json_safe(v)
                for k, v in value.items()}
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
    before, after, note, personal = _parts(entity, before, after, note)
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
    if personal is not None:
        audit_event.personal = AuditPersonal(**personal)
    session.add(audit_event)
    return audit_event


def record_many(session: Session, who: Who, entries: list[dict[str, Any]]) -> None:
    """Many events in one statement, for bulk work (an import, thousands of tasks at once).

    Each entry has action, entity, entity_id and optionally before, after, property_id, note.
    """
    if not entries:
        return
    moment = now()
    rows, personal = [], []
    for entry in entries:
        before, after, note, apart = _parts(
            entry["entity"], entry.get("before"), entry.get("after"), entry.get("note")
        )
        rows.append(
            {
                "property_id": entry.get("property_id", who.property_id),
                "actor_id": who.id,
                "actor_name": who.name,
                "action": entry["action"],
                "entity": entry["entity"],
                "entity_id": None if entry.get("entity_id") is None else str(entry["entity_id"]),
                "before": before,
                "after": after,
                "note": note,
                "at": moment,
            }
        )
        personal.append(apart)
    if not any(apart is not None for apart in personal):
        insert_rows(session, AuditEvent.__table__, rows)
        return
    insert_with_ids(session, AuditEvent, rows)  # each event's id, to hang its personal values on
    insert_rows(
        session,
        AuditPersonal.__table__,
        [
            {"event_id": row["id"], "erased_at": None, **apart}
            for row, apart in zip(rows, personal, strict=True)
            if apart is not None
        ],
    )


def erase_personal(
    session: Session, property_id: int, entity: str, entity_ids: Iterable[Any], moment: datetime
) -> int:
    """Retention: blanks the personal values of every event about these rows; returns how many.

    The only change the audit log accepts (the database checks it is exactly this: every value
    NULL, erased_at set, once). The events themselves, with their ids and codes, stay.
    """
    ids = [str(i) for i in entity_ids]
    personal, events = AuditPersonal.__table__, AuditEvent.__table__
    erased = 0
    for chunk in chunks(ids):
        events_of = select(events.c.id).where(
            events.c.property_id == property_id,
            events.c.entity == entity,
            events.c.entity_id.in_(chunk),
        )
        erased += session.execute(
            update(personal)
            .where(personal.c.event_id.in_(events_of), personal.c.erased_at.is_(None))
            .values(before=null(), after=null(), note=null(), erased_at=moment)
            .execution_options(retention_erasure=True)
        ).rowcount
    return erased


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
