"""The request catalogue, guests' wishes (requests) and the tasks they become."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from core.clock import now
from core.db import Base, UTCDateTime
from guests.models import Reservation

TASK_STATUSES = ("open", "in_progress", "done", "not_possible", "cancelled")
REQUEST_STATUSES = ("active", "cancelled")


class CatalogueItem(Base):
    """A kind of wish, as data a manager can edit; seeded from requests.catalogue_defaults."""

    __tablename__ = "catalogue_items"
    __table_args__ = (UniqueConstraint("property_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    code: Mapped[str] = mapped_column(String(40))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40))
    timing: Mapped[str] = mapped_column(String(20))
    lead_minutes: Mapped[int] = mapped_column(default=0)
    readiness_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sensitive: Mapped[bool] = mapped_column(default=False)
    constrains_room: Mapped[bool] = mapped_column(default=False)
    keywords: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)  # a manager saves the one they loaded


class Request(Base):
    """One wish of a reservation, with the guest's words kept as they wrote them."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    original_text: Mapped[str] = mapped_column(Text, default="")
    matched_text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(5))
    quantity: Mapped[int | None] = mapped_column()
    at_time: Mapped[str | None] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20), default="active")
    sensitive: Mapped[bool] = mapped_column(default=False)
    # "critical" when the guest's words say a health wish can hurt them (requests.severity)
    severity: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    source: Mapped[str] = mapped_column(String(20), default="parser")
    corrected_by_staff: Mapped[bool] = mapped_column(default=False)
    captured_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    tasks: Mapped[list[Task]] = relationship(back_populates="request", order_by="Task.id")
    # The backref gives Reservation.requests without guests/ knowing about this domain.
    reservation: Mapped[Reservation] = relationship(
        backref=backref("requests", order_by="Request.id")
    )


class Task(Base):
    """Work with a department, maybe an owner, and a deadline; versioned against lost updates."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_property_status_due", "property_id", "status", "due_at"),
        Index("ix_tasks_reservation", "reservation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="wish")
    title: Mapped[str] = mapped_column(String(300), default="")
    department: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    service_date: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    alternative: Mapped[str | None] = mapped_column(Text)  # what staff propose instead
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when level 1 fired
    # Created after its ideal deadline (a late booking): due at creation + handling time.
    booked_late: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(default=1)

    request: Mapped[Request | None] = relationship(back_populates="tasks")

    __mapper_args__ = {"version_id_col": version}


ASSIGNMENT_RULES = ("on_shift", "person", "sections")
DEFAULT_HANDLING_MINUTES = 30


class DepartmentOwner(Base):
    """A department's assignment rule: who owns its new tasks, and its handling time.

    rule: "person" (owner_id), "on_shift" (whoever of the department is on shift, least loaded
    first) or "sections" (housekeeping: the floor's attendant, else whoever is on shift).
    handling_minutes: how long the department needs for a task booked too late for its lead.
    """

    __tablename__ = "department_owners"
    __table_args__ = (UniqueConstraint("property_id", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    department: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rule: Mapped[str] = mapped_column(String(20), default="person", server_default="person")
    handling_minutes: Mapped[int] = mapped_column(
        default=DEFAULT_HANDLING_MINUTES, server_default=str(DEFAULT_HANDLING_MINUTES)
    )


from requests import guest_models as _guest_models  # noqa: E402,F401  (their tables)
