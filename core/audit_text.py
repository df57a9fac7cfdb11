"""The audit log in words, in the reader's language: "Marie Dupont checked in Ms Smith, room 303".

An event stores codes and ids (an action, a row, before/after values). Reading it, ids become
names: each domain registers a *namer* for the rows it owns (guests/audit_names.py: rooms,
reservations, guests; requests/audit_names.py: tasks, catalogue wishes), and a *finder* that
turns "guest Smith" or "room 303" into the rows to look for. Core never imports a domain: the
namer modules are imported by name, as the scheduler imports the jobs.

Each action has a template in the locale files (`audit.line_<action>`); an action without one
(a new one, or one of another helper's) reads as a generic line, never as a raw code alone.
An event's stored columns are read in one place, `fields_of`, so that how they are stored may
change (retention blanks personal fields) without touching the rendering.
"""

from __future__ import annotations

import importlib
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core.audit import Who, event_values
from core.i18n import PLURAL_COUNT, format_day, messages, plural_text, t
from core.models import AuditEvent, Staff

NAMER_MODULES = ("guests.audit_names", "requests.audit_names", "shift_briefing.audit_names")
LIMIT = 500

# The actions with a template of their own (the key audit.line_<action> exists for each).
ACTIONS = (
    "login",
    "login_failed",
    "staff_created",
    "staff_roles_set",
    "staff_password_reset",
    "staff_activated",
    "staff_deactivated",
    "staff_language_set",
    "notification_email_set",
    "property_created",
    "room_created",
    "room_status_set",
    "reservation_created",
    "reservation_updated",
    "reservations_imported",
    "guest_anonymised",
    "task_created",
    "task_open",
    "task_in_progress",
    "task_done",
    "task_not_possible",
    "task_cancelled",
    "task_assigned",
    "task_escalated",
    "department_owner_set",
    "catalogue_item_saved",
    "shift_updated",
    "briefing_signed",
    "checked_in",
    "check_in_override",
    "job_settings_saved",
    "job_run_now",
)
SYSTEM_NAMES = ("system", "scheduler")
ENTITIES = (
    "staff",
    "property",
    "room",
    "reservation",
    "guest",
    "task",
    "department_owner",
    "catalogue_item",
    "shift",
    "briefing_acknowledgement",
    "import_record",
    "job",
)
FIELDS = (  # a reservation's fields, as the "changed ..." line names them
    "arrival_date",
    "departure_date",
    "eta",
    "room_id",
    "room_type",
    "adults",
    "children",
    "wish_text",
    "status",
    "guest",
)
ROOM_STATES = ("dirty", "clean", "inspected", "out_of_order")


@dataclass(frozen=True)
class AuditFields:
    """What the rendering reads of an event: its public fields."""

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    entity: str
    entity_id: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str


def fields_of(event: AuditEvent) -> AuditFields:
    """The one place that reads an event's columns (through core.audit.event_values)."""
    values = event_values(event)
    return AuditFields(
        id=event.id,
        at=event.at,
        actor_id=event.actor_id,
        actor_name=event.actor_name or "",
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        # The personal values are stored apart, and retention may have erased them.
        before=dict(values.before or {}),
        after=dict(values.after or {}),
        note=values.note or "",
    )


# A namer: (session, property_id, ids of one entity) -> {id: values for the templates}.
# A value may be a dict per language ({"fr": ..., "en": ...}) for what is named in both.
Namer = Callable[[Session, int, list[str]], dict[str, dict[str, Any]]]
# A finder: (session, property_id, guest words, room number) -> {entity: ids of its rows}.
Finder = Callable[[Session, int, str | None, str | None], dict[str, set[str]]]
NAMERS: dict[str, Namer] = {}
FINDERS: list[Finder] = []


def namer(entity: str) -> Callable[[Namer], Namer]:
    def register(function: Namer) -> Namer:
        NAMERS[entity] = function
        return function

    return register


def finder(function: Finder) -> Finder:
    FINDERS.append(function)
    return function


def load_namers() -> None:
    for module in NAMER_MODULES:
        importlib.import_module(module)


@namer("staff")
def _staff_names(session: Session, property_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = session.execute(
        select(Staff.id, Staff.name).where(Staff.id.in_(numbers), Staff.property_id == property_id)
    )
    return {str(i): {"staff": name} for i, name in rows}


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None  # UTC
    until: datetime | None = None
    person: str | None = None  # words of the name of who acted
    guest: str | None = None  # words of a guest's name
    room: str | None = None  # a room number
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    action: str  # the action in words, for a column and the filter
    text: str  # the event in words
    note: str  # in the reader's language when it is one the code writes
    changes: str = ""  # what changed, "field: before → after", for who wants the detail


def audit_lines(
    session: Session,
    reader: Who,
    filters: AuditFilter,
    language: str,
    limit: int = LIMIT,
) -> list[AuditLine]:
    """The manager's own hotel's events in words, newest first, filtered."""
    from core.auth import require  # core.auth records its logins through core.audit

    require(reader, "manager")
    if reader.property_id is None:
        return []
    load_namers()
    query = select(AuditEvent).where(AuditEvent.property_id == reader.property_id)
    if filters.since:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.at < filters.until)
    if filters.actions:
        query = query.where(AuditEvent.action.in_(filters.actions))
    if filters.person and filters.person.strip():
        query = query.where(AuditEvent.actor_name.ilike(f"%{filters.person.strip()}%"))
    if (filters.guest and filters.guest.strip()) or (filters.room and filters.room.strip()):
        rows: dict[str, set[str]] = {}
        for find in FINDERS:
            for entity, ids in find(
                session,
                reader.property_id,
                (filters.guest or "").strip() or None,
                (filters.room or "").strip() or None,
            ).items():
                rows.setdefault(entity, set()).update(ids)
        conditions = [
            and_(AuditEvent.entity == entity, AuditEvent.entity_id.in_(sorted(ids)))
            for entity, ids in rows.items()
            if ids
        ]
        if not conditions:
            return []
        query = query.where(or_(*conditions))
    events = [
        fields_of(e) for e in session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))
    ]
    names = names_of(session, reader.property_id, events)
    return [
        AuditLine(
            id=e.id,
            at=e.at,
            actor=actor_words(e.actor_name, language),
            action=action_words(e.action, language),
            text=describe(e, names.get((e.entity, e.entity_id or ""), {}), language),
            note=note_words(e.note, language),
            changes=changes_words(e, language),
        )
        for e in events
    ]


def names_of(
    session: Session, property_id: int, events: Iterable[AuditFields]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Names for the rows the events are about, one query per kind of row."""
    wanted: dict[str, set[str]] = {}
    for e in events:
        if e.entity_id is not None:
            wanted.setdefault(e.entity, set()).add(e.entity_id)
        for values in (e.before, e.after):  # an owner or a staff member named by id
            for key in ("owner_id",):
                if values.get(key) is not None:
                    wanted.setdefault("staff", set()).add(str(values[key]))
    names: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, ids in wanted.items():
        name = NAMERS.get(entity)
        if name is None:
            continue
        for row_id, values in name(session, property_id, sorted(ids)).items():
            names[(entity, row_id)] = values
    staff = {k[1]: v["staff"] for k, v in names.items() if k[0] == "staff"}
    for e in events:
        for values in (e.before, e.after):
            owner = values.get("owner_id")
            if owner is not None and str(owner) in staff:
                key = (e.entity, e.entity_id or "")
                names.setdefault(key, {})
                names[key] = {**names[key], "owner": staff[str(owner)]}
    return names


# Notes the code writes, read in the reader's language (a person's own note stays as typed).
NOTES = (
    (re.compile(r"^unknown login$"), "audit.note_unknown_login"),
    (re.compile(r"^account locked$"), "audit.note_account_locked"),
    (re.compile(r"^wrong password$"), "audit.note_wrong_password"),
    (re.compile(r"^wrong password; locked for (?P<minutes>\d+) minutes$"), "audit.note_locked_now"),
    (re.compile(r"^account deactivated$"), "audit.note_account_deactivated"),
    (re.compile(r"^retention (?P<days>\d+) days$"), "audit.note_retention"),
)


def note_words(note: str, language: str) -> str:
    for pattern, key in NOTES:
        found = pattern.match(note)
        if found:
            return t(key, language, **found.groupdict())
    return note


def changes_words(event: AuditFields, language: str, limit: int = 600) -> str:
    """Each stored field that changed: "field: before → after" (values as stored)."""
    parts = []
    for name in sorted(set(event.before) | set(event.after)):
        if name in ("guest", "id", "property_id", "version", "updated_at", "created_at"):
            continue
        old, new = event.before.get(name), event.after.get(name)
        words = _field_words(name, language)
        if name in event.before:
            parts.append(
                t("audit.change", language, field=words, before=_shown(old), after=_shown(new))
            )
        else:
            parts.append(t("audit.change_set", language, field=words, after=_shown(new)))
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def actor_words(name: str, language: str) -> str:
    if name in SYSTEM_NAMES:
        return t(f"audit.actor_{name}", language)
    return name or t("audit.actor_system", language)


def action_words(action: str, language: str) -> str:
    """The action's name in words: its label, or the code made readable."""
    key = f"audit.action_{action}"
    if key in messages(language):
        return t(key, language)
    return action.replace("_", " ").capitalize()


def describe(event: AuditFields, named: dict[str, Any], language: str) -> str:
    """One event as a sentence, in the reader's language."""
    values = _values(event, named, language)
    key = f"audit.line_{event.action}"
    template = messages(language).get(key) or messages("en").get(key)
    if template is None:
        return t("audit.line_generic", language, **values)
    text = plural_text(template, language, values.get(PLURAL_COUNT))
    return string.Formatter().vformat(text, (), _Blank(values))


class _Blank(dict):
    """A template's placeholder that this event has no value for reads as a dash."""

    def __missing__(self, key: str) -> str:
        return "—"


def _values(event: AuditFields, named: dict[str, Any], language: str) -> dict[str, Any]:
    before, after = event.before, event.after
    values: dict[str, Any] = {
        "actor": actor_words(event.actor_name, language),
        "action": action_words(event.action, language).lower(),
        "row": _row_words(event, named, language),
        "note": event.note,
    }
    for name, value in named.items():
        values[name] = _in(value, language)
    status = after.get("status")
    if event.entity == "task" and isinstance(status, str):
        values["status"] = _translated(f"status.{status}", status, language)
    if "housekeeping_status" in after:
        code = str(after["housekeeping_status"])
        values["status"] = _translated(f"audit.room_state_{code}", code.replace("_", " "), language)
    if after.get("reason"):
        values["reason"] = after["reason"]
    if "escalation_level" in after:
        values["level"] = after["escalation_level"]
    if "roles" in after:
        values["roles"] = (
            ", ".join(_translated(f"role.{r}", r, language) for r in after.get("roles") or [])
            or "—"
        )
    if "language" in after:
        values["language"] = str(after["language"])
    if "department" in after:
        code = str(after["department"])
        values["department"] = _translated(f"department.{code}", code, language)
    if event.action == "briefing_signed":
        values["date"] = _day(str(after.get("date", "")), language)
        values["shift"] = _translated(
            f"shift.{after.get('shift')}", str(after.get("shift")), language
        )
    if event.entity == "job" and event.entity_id:
        values["job"] = _job_title(event.entity_id, language)
    if event.entity == "shift":
        code = str(after.get("name") or before.get("name") or event.entity_id or "")
        values.setdefault("shift", _translated(f"shift.{code}", code, language))
    for count in ("created", "updated", "rejected", "cancelled", "reservations"):
        if count in after:
            values[count] = after[count]
    if "file_name" in after:
        values["file"] = after["file_name"]
    if event.action == "reservation_updated":
        values["fields"] = ", ".join(_field_words(k, language) for k in sorted(after)) or "—"
    for dates in ("arrival_date", "departure_date"):
        if after.get(dates):
            values[dates.split("_")[0]] = _day(str(after[dates]), language)
    if "guest" in after and isinstance(after["guest"], dict) and "guest" not in values:
        values["guest"] = after["guest"].get("name") or "—"
    if "confirmation_number" in after and "confirmation" not in values:
        values["confirmation"] = after["confirmation_number"]
    if "number" in after and event.entity == "room" and "room" not in values:
        values["room"] = after["number"]
    if "name" in after and event.entity in ("staff", "property") and "staff" not in values:
        values["staff"] = values["name"] = after["name"]
    return values


def _row_words(event: AuditFields, named: dict[str, Any], language: str) -> str:
    """What the generic line says the event is about: a name where one is known."""
    for key in ("guest", "room", "staff", "task", "wish"):
        if key in named:
            text = _in(named[key], language)
            if key == "room":
                return t("audit.room", language, room=text)
            return str(text)
    entity = _translated(f"audit.entity_{event.entity}", event.entity.replace("_", " "), language)
    return f"{entity} {event.entity_id}" if event.entity_id else entity


def _job_title(name: str, language: str) -> str:
    from core.scheduling import registered_jobs  # core/startup.py registered the domains' jobs

    job = registered_jobs().get(name)
    return t(job.title, language) if job else name


def _field_words(field_name: str, language: str) -> str:
    return _translated(f"audit.field_{field_name}", field_name.replace("_", " "), language)


def _translated(key: str, fallback: str, language: str) -> str:
    return t(key, language) if key in messages(language) else fallback


def _in(value: Any, language: str) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            inner = {k: _in(v, language) for k, v in (value.get("v") or {}).items()}
            return t(value["t"], language, **inner)
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    return value


def _day(iso: str, language: str) -> str:
    """2026-07-14 as the reader writes it: 14/07/2026; anything else as stored."""
    try:
        return format_day(date.fromisoformat(iso[:10]), language)
    except ValueError:
        return iso


@dataclass(frozen=True)
class ActionChoice:
    code: str
    label: str


def action_choices(session: Session, reader: Who, language: str) -> list[ActionChoice]:
    """The actions the hotel's log holds, for the filter, in words, alphabetically."""
    if reader.property_id is None:
        return []
    codes = set(
        session.scalars(
            select(AuditEvent.action).where(AuditEvent.property_id == reader.property_id).distinct()
        )
    ) | set(ACTIONS)
    return sorted(
        (ActionChoice(c, action_words(c, language)) for c in codes), key=lambda c: c.label
    )
