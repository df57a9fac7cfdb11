"""The signatures that say a briefing version was read (shifts themselves are core.shifts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base, UTCDateTime
from core.shifts import Shift  # noqa: F401  (the one list of shifts lives in core)


class BriefingAcknowledgement(Base):
    """Staff signed that they read this exact version (a content hash) of a shift's briefing."""

    __tablename__ = "briefing_acknowledgements"
    __table_args__ = (
        UniqueConstraint("staff_id", "briefing_date", "shift", "version"),
        Index("ix_briefing_ack_day_shift", "property_id", "briefing_date", "shift"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    briefing_date: Mapped[date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class BriefingVersion(Base):
    """The content of a briefing version someone signed, kept to tell them what changed since."""

    __tablename__ = "briefing_versions"
    __table_args__ = (UniqueConstraint("property_id", "briefing_date", "shift", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    briefing_date: Mapped[date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class CheckIn(Base):
    """How a guest was checked in: who, that the wishes were reviewed, any manager override."""

    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("reservation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    wishes_reviewed: Mapped[bool] = mapped_column(default=False)
    room_ready: Mapped[bool] = mapped_column(default=False)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class BriefingArchive(Base):
    """A shift's briefing frozen as a PDF before the shift: what was handed over, exactly.

    One per shift, made by the scheduler (shift_briefing/jobs.py); the PDF is erased (None)
    when the guest data of those days passes its retention.
    """

    __tablename__ = "briefing_archives"
    __table_args__ = (UniqueConstraint("property_id", "briefing_date", "shift"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    briefing_date: Mapped[date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    arrivals: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
