"""What the jobs page shows and saves: each job's last and next run, a manager's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit, clock
from core.audit import Who
from core.auth import require
from core.errors import UserError
from core.lib import get_property
from core.models import Property
from core.scheduling.models import JobRun, JobSetting, scope_of
from core.scheduling.registry import (
    Setting,
    database_timezone,
    effective_setting,
    job_setting,
    registered_jobs,
)
from core.versions import changed, claim_version


@dataclass(frozen=True)
class JobStatus:
    name: str
    title: str  # translation keys
    help: str
    fields: tuple[Setting, ...]
    property_id: int | None
    enabled: bool
    settings: dict[str, int]
    schedule: tuple[str, dict[str, Any]]  # translation key and values
    last_run: JobRun | None
    next_run: datetime | None
    version: int = 0  # of the settings, for the manager's save (core/versions.py)


def job_board(session: Session, who: Who) -> list[JobStatus]:
    """Each job of the manager's hotel (and the database-wide ones): last run, next run."""
    require(who, "manager")
    if who.property_id is None:
        return []
    hotel = get_property(session, who.property_id)
    now = clock.now()
    board = []
    for job in sorted(registered_jobs().values(), key=lambda j: (j.position, j.name)):
        property_id = hotel.id if job.per_property else None
        zone = hotel.timezone if job.per_property else database_timezone(session)
        setting = job_setting(session, job, property_id)
        last = session.scalars(
            select(JobRun)
            .where(JobRun.job == job.name, JobRun.scope == scope_of(property_id))
            .order_by(JobRun.started_at.desc(), JobRun.id.desc())
            .limit(1)
        ).first()
        _, upcoming = job.schedule.slots(session, property_id, zone, setting.values, now)
        board.append(
            JobStatus(
                name=job.name,
                title=job.title,
                help=job.help,
                fields=job.settings,
                property_id=property_id,
                enabled=setting.enabled,
                settings=setting.values,
                schedule=job.schedule.describe(setting.values),
                last_run=last,
                next_run=upcoming if setting.enabled else None,
                version=setting.version,
            )
        )
    return board


def _timezone_of(session: Session, who: Who) -> str:
    hotel = session.get(Property, who.property_id) if who.property_id else None
    return hotel.timezone if hotel else database_timezone(session)


def recent_runs(session: Session, who: Who, name: str, limit: int = 20) -> list[JobRun]:
    require(who, "manager")
    job = registered_jobs()[name]
    scope = scope_of(who.property_id if job.per_property else None)
    return list(
        session.scalars(
            select(JobRun)
            .where(JobRun.job == name, JobRun.scope == scope)
            .order_by(JobRun.started_at.desc(), JobRun.id.desc())
            .limit(limit)
        )
    )


def save_job_setting(
    session: Session,
    who: Who,
    name: str,
    enabled: bool,
    values: Mapping[str, int],
    *,
    version: int | None = None,
) -> None:
    """`version`: the settings' version the manager loaded (0: nothing stored yet; None: the
    system, as stored). Someone else's save in between is refused with who, when and what."""
    require(who, "manager")
    job = registered_jobs().get(name)
    if job is None:
        raise UserError("jobs.error_unknown", job=name)
    cleaned = {}
    fields = {setting.name: setting for setting in job.settings}
    for key, value in values.items():
        if key not in fields:
            raise UserError("jobs.error_setting", setting=key)
        if not fields[key].low <= int(value) <= fields[key].high:
            raise UserError(
                "jobs.error_range", setting=key, low=fields[key].low, high=fields[key].high
            )
        cleaned[key] = int(value)
    property_id = who.property_id if job.per_property else None
    scope = scope_of(property_id)
    stored = session.scalar(
        select(JobSetting).where(JobSetting.job == name, JobSetting.scope == scope)
    )
    timezone = _timezone_of(session, who)
    language = getattr(who, "language", "en")
    if stored is not None and version == 0:
        raise changed(session, "job", name, timezone, language, key="jobs.error_changed")
    if stored is not None:
        claim_version(
            session,
            JobSetting,
            stored.id,
            version,
            entity="job",
            audit_id=name,
            timezone=timezone,
            language=language,
            key="jobs.error_changed",
        )
    before = effective_setting(job, stored)
    if stored is None:
        stored = JobSetting(job=name, scope=scope, property_id=property_id)
        try:
            with session.begin_nested():
                session.add(stored)
                session.flush()
        except IntegrityError:  # another manager saved this job's first settings meanwhile
            raise changed(
                session, "job", name, timezone, language, key="jobs.error_changed"
            ) from None
    stored.enabled = enabled
    stored.values = {**(stored.values or {}), **cleaned}
    stored.updated_at = clock.now()
    stored.updated_by_id = who.id
    session.flush()
    after = effective_setting(job, stored)
    if (before.enabled, before.values) == (after.enabled, after.values):
        return
    audit.record(
        session,
        who,
        "job_settings_saved",
        "job",
        name,
        before={"enabled": before.enabled, **before.values},
        after={"enabled": after.enabled, **after.values},
    )
