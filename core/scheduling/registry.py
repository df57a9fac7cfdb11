"""What a job is, when its slots fall, and the registry that core/startup.py fills.

A job is a plain function `(session, now, job) -> JobResult` (core/job_result.py: a translation
key and values, so the jobs page reads it in the manager's language; plain text is still
accepted); it re-checks the database before it acts, so running it twice does no harm.

The domains declare their jobs (and the senders of their outboxes) in their jobs modules;
nothing registers itself on import: core.startup.register_domains() calls `register` and
`register_sender` for each, in order, once per process.

Slot arithmetic is written by hand rather than taken from APScheduler's triggers: a slot here
is the *latest* moment at or before `now` (the one a run belongs to), which the triggers, that
only look forward, do not give; and APScheduler 3.11's CronTrigger(hour=0) in Europe/Paris
skips 30 March 2026, the day after the clocks go forward, where core.clock.local_to_utc is right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import local_to_utc, to_local
from core.db import Database
from core.models import Property
from core.notifications import deliver_pending_emails
from core.scheduling.models import JobSetting, scope_of

if TYPE_CHECKING:
    from core.job_result import JobResult


# --- schedules --------------------------------------------------------------------------------


class Schedule(Protocol):
    """When a job's slots fall: the latest one at or before `now`, and the next one after."""

    def slots(
        self,
        session: Session,
        property_id: int | None,
        timezone: str,
        settings: Mapping[str, int],
        now: datetime,
    ) -> tuple[datetime | None, datetime | None]: ...

    def describe(self, settings: Mapping[str, int]) -> tuple[str, dict[str, Any]]:
        """A translation key and its values, for the jobs page."""
        ...


@dataclass(frozen=True)
class Every:
    """Every `minutes` minutes, on the clock (10:00, 10:05, ...)."""

    minutes: int

    def slots(
        self,
        session: Session,
        property_id: int | None,
        timezone: str,
        settings: Mapping[str, int],
        now: datetime,
    ) -> tuple[datetime | None, datetime | None]:
        step = self.minutes * 60
        seconds = int(now.timestamp()) // step * step
        latest = datetime.fromtimestamp(seconds, UTC)
        return latest, latest + timedelta(seconds=step)

    def describe(self, settings: Mapping[str, int]) -> tuple[str, dict[str, Any]]:
        return "jobs.schedule_every", {"minutes": self.minutes}


@dataclass(frozen=True)
class DailyAt:
    """Once a day at the hour held by the `setting` (a number a manager may change)."""

    setting: str = "hour"

    def slots(
        self,
        session: Session,
        property_id: int | None,
        timezone: str,
        settings: Mapping[str, int],
        now: datetime,
    ) -> tuple[datetime | None, datetime | None]:
        at = time(int(settings[self.setting]) % 24, 0)
        today = to_local(now, timezone).date()
        moments = [local_to_utc(today + timedelta(days=d), at, timezone) for d in (-1, 0, 1)]
        return latest_and_next(moments, now)

    def describe(self, settings: Mapping[str, int]) -> tuple[str, dict[str, Any]]:
        return "jobs.schedule_daily", {"time": f"{int(settings[self.setting]) % 24:02d}:00"}


def latest_and_next(
    moments: list[datetime], now: datetime
) -> tuple[datetime | None, datetime | None]:
    past = [m for m in moments if m <= now]
    future = [m for m in moments if m > now]
    return (max(past) if past else None), (min(future) if future else None)


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class JobContext:
    """What a run knows besides the session and the time."""

    database: Database
    property_id: int | None  # None for a database-wide job (the backup)
    settings: Mapping[str, int]
    slot: datetime
    trigger: str  # schedule or manual


JobFunction = Callable[[Session, datetime, JobContext], "str | JobResult"]


@dataclass(frozen=True)
class Setting:
    """A number a manager may change on the jobs page, with its default and its bounds."""

    name: str
    default: int
    label: str  # translation key
    low: int = 0
    high: int = 1440


def hour_setting(default: int) -> Setting:
    return Setting("hour", default, "jobs.setting_hour", 0, 23)


@dataclass(frozen=True)
class Job:
    name: str
    title: str  # translation keys
    help: str
    run: JobFunction
    schedule: Schedule
    settings: tuple[Setting, ...] = ()
    per_property: bool = True
    grace: timedelta | None = None  # how late a missed slot is still made up; None: always
    position: int = 50  # where the jobs page lists it

    @property
    def defaults(self) -> dict[str, int]:
        return {setting.name: setting.default for setting in self.settings}


JOBS: dict[str, Job] = {}
# What sends e-mail once the jobs' transactions have committed: the staff notifications, and
# each domain's own outbox (requests.guest_jobs adds the messages to guests).
SENDERS: list[Callable[[Database], object]] = [deliver_pending_emails]


def register(job: Job) -> Job:
    JOBS[job.name] = job
    return job


def register_sender(sender: Callable[[Database], object]) -> None:
    if sender not in SENDERS:
        SENDERS.append(sender)


def registered_jobs() -> dict[str, Job]:
    """The jobs core.startup.register_domains() registered (read at call time: tests swap it)."""
    return JOBS


@dataclass(frozen=True)
class EffectiveSetting:
    enabled: bool
    values: dict[str, int]
    version: int = 0  # of the stored row; 0 while the defaults apply


def effective_setting(job: Job, stored: JobSetting | None) -> EffectiveSetting:
    values = dict(job.defaults)
    if stored is not None:
        values.update({k: int(v) for k, v in (stored.values or {}).items() if k in values})
        return EffectiveSetting(stored.enabled, values, stored.version or 0)
    return EffectiveSetting(True, values)


def job_setting(session: Session, job: Job, property_id: int | None) -> EffectiveSetting:
    stored = session.scalar(
        select(JobSetting).where(
            JobSetting.job == job.name, JobSetting.scope == scope_of(property_id)
        )
    )
    return effective_setting(job, stored)


def database_timezone(session: Session) -> str:
    """Database-wide jobs (the backup) keep the first hotel's hours."""
    zone = session.scalar(select(Property.timezone).order_by(Property.id).limit(1))
    return zone or "UTC"
