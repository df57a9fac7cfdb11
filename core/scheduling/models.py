"""The scheduler's tables: the lease, the managers' settings of each job, and the runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base, UTCDateTime
from core.job_result import render_result

DATABASE_SCOPE = "database"


class SchedulerLease(Base):
    """Which process runs the jobs, until when; renewed at every tick by its holder."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200))
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JobSetting(Base):
    """A manager's settings for one job: on or off, and its numbers (defaults from the job)."""

    __tablename__ = "job_settings"
    __table_args__ = (UniqueConstraint("job", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(30))  # "property:<id>" or "database"
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"))
    enabled: Mapped[bool] = mapped_column(default=True)
    values: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(default=1)  # a manager saves the one they loaded


class JobRun(Base):
    """One run of a job for a slot; inserting it is the claim, so a slot runs once."""

    __tablename__ = "job_runs"
    __table_args__ = (
        UniqueConstraint("job", "scope", "slot"),
        Index("ix_job_runs_scope_job_started", "scope", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(30))
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"))
    slot: Mapped[datetime] = mapped_column(UTCDateTime)
    trigger: Mapped[str] = mapped_column(String(10))  # schedule or manual
    holder: Mapped[str] = mapped_column(String(200))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="running")  # ok, failed
    result: Mapped[str] = mapped_column(Text, default="")  # in English, for logs and commands
    error: Mapped[str | None] = mapped_column(Text)
    # What the job said as a translation key and values (core/job_result.py); None for a job
    # that returned plain text.
    result_key: Mapped[str | None] = mapped_column(String(80))
    result_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def result_in(self, language: str) -> str:
        """The result in the reader's language (the English text for a plain-text result)."""
        if self.result_key:
            return render_result(self.result_key, self.result_values, language)
        return self.result or self.error or ""


def scope_of(property_id: int | None) -> str:
    return DATABASE_SCOPE if property_id is None else f"property:{property_id}"
