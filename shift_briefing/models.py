"""Shifts and the signatures that say a briefing version was read."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base, UTCDateTime


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("property_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    name: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)


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
