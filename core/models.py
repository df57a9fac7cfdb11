"""Tables every domain leans on: the property, its staff and the audit log.

Property lives here rather than in guests/ because staff and audit events carry their property
too, and core may not import the domains.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now
from core.db import Base, UTCDateTime


class Property(Base):
    __tablename__ = "properties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    check_in_time: Mapped[time] = mapped_column(Time, default=time(15, 0))
    check_out_time: Mapped[time] = mapped_column(Time, default=time(11, 0))
    default_language: Mapped[str] = mapped_column(String(5), default="fr")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    login: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    department: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong passwords typed for this manager in a check-in override: counted apart, so that an
    # agent's typos never lock the manager out of their own sign-in (core/signin.py).
    override_failures: Mapped[int] = mapped_column(default=0)
    override_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Bumped by a manager's edit (roles, password, active), not by signing in: core/versions.py
    version: Mapped[int] = mapped_column(default=1)


class AuditEvent(Base):
    """Append-only: the ORM refuses to update or delete one, and so do database triggers.

    Its snapshots keep ids, codes, counts and statuses; the personal values (names, contacts,
    the guest's words, reasons typed by staff) are in its AuditPersonal row, which retention
    blanks. Read both together through core.audit.event_values.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_property_at", "property_id", "at"),
        Index("ix_audit_events_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    personal: Mapped[AuditPersonal | None] = relationship(lazy="selectin", passive_deletes="all")


class AuditPersonal(Base):
    """The personal values of one audit event, stored apart so that retention can erase them.

    Append-only too, with one exception the database itself checks (migration 0012): the
    retention purge may blank a row once (every value NULL, erased_at set), and nothing else.
    """

    __tablename__ = "audit_personal"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    note: Mapped[str | None] = mapped_column(Text)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

class SignInWindow(Base):
    """Sign-in attempts in one minute for one key ("address:<ip>" or "all"), counted before any
    password is hashed so that a flood is refused cheaply (core/signin.py)."""

    __tablename__ = "sign_in_windows"
    __table_args__ = (UniqueConstraint("key", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
