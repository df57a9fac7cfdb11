"""The scheduler runtime: which job is due when, who runs it, and what it said.

The jobs belong to the domains (requests/jobs.py, guests/jobs.py, shift_briefing/jobs.py,
core/backup.py) and register here, as event listeners do in core/events.py. A job is a plain
function `(session, now, job) -> JobResult` (core/job_result.py: a translation key and values,
so the jobs page reads it in the manager's language; plain text is still accepted); it
re-checks the database before it acts, so running it twice does no harm.

Every process (each app server, each `python -m shift_briefing scheduler` worker) runs its own
in-memory APScheduler, which only wakes the process up once a minute: APScheduler's job stores
are never shared between schedulers, and none is used. Who acts is decided in the database:

- one lease row, taken and renewed with a single conditional UPDATE: the process holding it
  runs the due jobs; when it dies the lease expires and another process takes over;
- a run row per (job, scope, slot), inserted in the same transaction as the job's work: a
  duplicate insert means another process already ran that slot, so even two processes that
  both believe they hold the lease never run a slot twice. If the process dies mid-job, its
  transaction rolls back and the slot is free again.

A slot is the moment a run belongs to (10:05 for the 5-minute job, 06:45 for the briefing of
the 07:00 shift). Only each job's latest slot is ever due: after downtime a missed run is made
up once, not once per missed slot. Times are computed in the property's timezone.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit, clock
from core.audit import Who
from core.auth import require
from core.clock import local_to_utc, to_local
from core.db import Base, Database, UTCDateTime
from core.errors import UserError
from core.job_result import JobResult, render_result
from core.lib import insert_unless_exists
from core.models import Property
from core.notifications import deliver_pending_emails
from core.settings import env_bool, env_int
from core.versions import changed, claim_version

log = logging.getLogger("hotel.scheduler")

JOB_MODULES = (
    "core.backup",
    "guests.jobs",
    "requests.jobs",
    "requests.guest_jobs",
    "requests.handover",
    "shift_briefing.jobs",
)
LEASE = "scheduler"
HISTORY = timedelta(days=90)  # how long the runs of jobs are kept
DATABASE_SCOPE = "database"


# --- tables -----------------------------------------------------------------------------------


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


def register(job: Job) -> Job:
    JOBS[job.name] = job
    return job


def load_jobs() -> dict[str, Job]:
    """Imports the domains' job modules, which register their jobs (and their listeners)."""
    for module in JOB_MODULES:
        importlib.import_module(module)
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


# --- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    job: str
    property_id: int | None
    slot: datetime


def due_runs(session: Session, now: datetime) -> list[Due]:
    """The runs due at `now`: each enabled job's latest slot, unless it already ran.

    Only the latest slot counts, so a process back after a night's downtime makes up each
    missed job once; a slot later than its job's grace is not made up at all.
    """
    load_jobs()
    hotels = list(session.execute(select(Property.id, Property.timezone).order_by(Property.id)))
    stored = {(s.job, s.scope): s for s in session.scalars(select(JobSetting))}
    fallback_zone = hotels[0][1] if hotels else "UTC"
    candidates = []
    for job in JOBS.values():
        scopes = hotels if job.per_property else [(None, fallback_zone)]
        for property_id, zone in scopes:
            setting = effective_setting(job, stored.get((job.name, scope_of(property_id))))
            if not setting.enabled:
                continue
            latest, _ = job.schedule.slots(session, property_id, zone, setting.values, now)
            if latest is None or (job.grace is not None and now - latest > job.grace):
                continue
            candidates.append(Due(job.name, property_id, latest))
    if not candidates:
        return []
    ran = {
        (job, scope, slot)
        for job, scope, slot in session.execute(
            select(JobRun.job, JobRun.scope, JobRun.slot).where(
                or_(
                    *(
                        and_(
                            JobRun.job == c.job,
                            JobRun.scope == scope_of(c.property_id),
                            JobRun.slot == c.slot,
                        )
                        for c in candidates
                    )
                )
            )
        )
    }
    return [c for c in candidates if (c.job, scope_of(c.property_id), c.slot) not in ran]


# --- running a job ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    job: str
    property_id: int | None
    slot: datetime
    status: str  # ok or failed
    result: str  # in English
    said: JobResult | None = None  # the result as a key and values, when the job gave one

    def result_in(self, language: str) -> str:
        return self.said.text(language) if self.said is not None else self.result


def run_job(
    database: Database,
    name: str,
    property_id: int | None,
    slot: datetime,
    *,
    holder: str,
    trigger: str = "schedule",
    requested_by: int | None = None,
) -> RunOutcome | None:
    """Claims the slot and runs the job in one transaction; None if the slot was taken.

    A job that raises leaves no partial work (its savepoint rolls back) and its run is
    recorded as failed, so a failing slot is not retried every minute: the next slot is.
    """
    job = load_jobs()[name]
    moment = clock.now()
    with database.write() as session:
        claim = insert_unless_exists(
            session,
            JobRun,
            [
                {
                    "job": name,
                    "scope": scope_of(property_id),
                    "property_id": property_id,
                    "slot": slot,
                    "trigger": trigger,
                    "holder": holder[:200],
                    "requested_by_id": requested_by,
                    "started_at": moment,
                    "status": "running",
                    "result": "",
                }
            ],
            ["job", "scope", "slot"],
        )
        if not claim:
            return None
        run_id = claim[0]
        context = JobContext(
            database=database,
            property_id=property_id,
            settings=job_setting(session, job, property_id).values,
            slot=slot,
            trigger=trigger,
        )
        said: JobResult | None = None
        try:
            with session.begin_nested():
                answer, status, error = job.run(session, moment, context), "ok", None
            if isinstance(answer, JobResult):
                said = JobResult(answer.key, audit.json_safe(answer.values))
            result = str(answer)
        except Exception as exc:
            log.exception("job %s (%s) failed", name, scope_of(property_id))
            result, status, error = "", "failed", f"{type(exc).__name__}: {exc}"[:2000]
        session.execute(
            update(JobRun.__table__)
            .where(JobRun.__table__.c.id == run_id)
            .values(
                status=status,
                result=result[:2000],
                error=error,
                finished_at=clock.now(),
                result_key=said.key if said else None,
                result_values=said.values if said else None,
            )
        )
    log.info("job %s (%s) %s: %s", name, scope_of(property_id), status, result or error)
    return RunOutcome(name, property_id, slot, status, result or error or "", said)


def prune_job_runs(session: Session, before: datetime) -> int:
    """The history of runs is kept for a while (the jobs page shows it), not for ever."""
    table = JobRun.__table__
    return session.execute(delete(table).where(table.c.started_at < before)).rowcount or 0


def run_now(database: Database, who: Who, name: str) -> RunOutcome:
    """A manager's "run now": the job runs at once, in this process, for her hotel."""
    require(who, "manager")
    job = load_jobs().get(name)
    if job is None:
        raise UserError("jobs.error_unknown", job=name)
    property_id = who.property_id if job.per_property else None
    holder = f"manual:{who.name}"[:200]
    moment = clock.now()
    for attempt in range(5):  # the slot is "now": two clicks in the same microsecond differ
        outcome = run_job(
            database,
            name,
            property_id,
            moment + timedelta(microseconds=attempt),
            holder=holder,
            trigger="manual",
            requested_by=who.id,
        )
        if outcome is not None:
            with database.write() as session:
                audit.record(
                    session,
                    who,
                    "job_run_now",
                    "job",
                    name,
                    after={"status": outcome.status, "result": outcome.result[:500]},
                )
            send_outboxes(database)
            return outcome
    raise UserError("jobs.error_busy", job=name)


# --- after the jobs: e-mail --------------------------------------------------------------------

# What sends e-mail once the jobs' transactions have committed: the staff notifications, and
# each domain's own outbox (requests.guest_jobs adds the messages to guests).
SENDERS: list[Callable[[Database], object]] = [deliver_pending_emails]


def send_outboxes(database: Database) -> None:
    for sender in SENDERS:
        try:
            sender(database)
        except Exception:  # one outbox failing must not stop the others or the scheduler
            log.exception("sending %s failed", getattr(sender, "__name__", sender))


# --- the lease --------------------------------------------------------------------------------


def take_lease(
    session: Session, holder: str, now: datetime, ttl: timedelta, name: str = LEASE
) -> bool:
    """Takes or renews the lease: one conditional UPDATE, true when `holder` now holds it.

    It succeeds only for the holder itself or once the previous holder's lease expired, and
    the database serialises two takers (SQLite's write lock, PostgreSQL's row lock).
    """
    insert_unless_exists(
        session,
        SchedulerLease,
        [{"name": name, "holder": None, "expires_at": datetime(2000, 1, 1, tzinfo=UTC)}],
        ["name"],
    )
    table = SchedulerLease.__table__
    fresh = or_(table.c.holder.is_(None), table.c.holder != holder)
    taken = session.execute(
        update(table)
        .where(
            table.c.name == name,
            or_(table.c.holder == holder, table.c.expires_at <= now),
        )
        .values(
            holder=holder,
            expires_at=now + ttl,
            renewed_at=now,
            acquired_at=case((fresh, now), else_=table.c.acquired_at),
        )
    )
    return taken.rowcount == 1


def release_lease(session: Session, holder: str, name: str = LEASE) -> None:
    """Hands the lease over at once (a clean shutdown), instead of letting it expire."""
    table = SchedulerLease.__table__
    session.execute(
        update(table)
        .where(table.c.name == name, table.c.holder == holder)
        .values(expires_at=clock.now())
    )


def lease_state(session: Session, name: str = LEASE) -> SchedulerLease | None:
    return session.get(SchedulerLease, name)


# --- the process wiring -----------------------------------------------------------------------


def tick_seconds() -> int:
    return max(env_int("HOTEL_SCHEDULER_TICK_SECONDS", 60), 1)


def new_holder(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SchedulerProcess:
    """One process's scheduler: wakes up every tick, and acts only while it holds the lease."""

    def __init__(
        self,
        database: Database,
        holder: str | None = None,
        *,
        tick: int | None = None,
        lease_ttl: timedelta | None = None,
    ) -> None:
        self.database = database
        self.holder = holder or new_holder("scheduler")
        self.tick_seconds = tick or tick_seconds()
        self.lease_ttl = lease_ttl or timedelta(seconds=max(3 * self.tick_seconds, 90))
        self._scheduler: Any = None
        self._tick_lock = threading.Lock()
        self._pruned_on: date | None = None

    def holds_lease(self, now: datetime) -> bool:
        with self.database.write() as session:
            return take_lease(session, self.holder, now, self.lease_ttl)

    def tick(self) -> list[RunOutcome]:
        """Takes or renews the lease; if held, runs every due job once, then sends e-mail."""
        with self._tick_lock:
            now = clock.now()
            if not self.holds_lease(now):
                return []
            with self.database.read() as session:
                due = due_runs(session, now)
            outcomes = []
            for run in due:
                if not self.holds_lease(clock.now()):
                    break  # another process took over while we worked
                outcome = run_job(
                    self.database, run.job, run.property_id, run.slot, holder=self.holder
                )
                if outcome is not None:
                    outcomes.append(outcome)
            send_outboxes(self.database)
            today = now.date()
            if self._pruned_on != today:
                with self.database.write() as session:
                    prune_job_runs(session, now - HISTORY)
                self._pruned_on = today
            return outcomes

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:
            log.exception("scheduler tick failed; the next tick tries again")

    def _add_tick(self, scheduler: Any) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        # APScheduler logs every wake-up at INFO; the runs that did something are logged here.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        scheduler.add_job(
            self._safe_tick,
            IntervalTrigger(seconds=self.tick_seconds, timezone=UTC),
            id="tick",
            name="hotel scheduler tick",
            coalesce=True,  # ticks missed while the machine slept: one tick, not many
            max_instances=1,
            misfire_grace_time=None,  # a late tick still runs
            next_run_time=datetime.now(UTC),  # at start: make up what was missed
        )

    def start_background(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._scheduler = BackgroundScheduler(timezone=UTC, daemon=True)
        self._add_tick(self._scheduler)
        self._scheduler.start()
        log.info("scheduler started in the background as %s", self.holder)

    def run_blocking(self) -> None:
        from apscheduler.schedulers.blocking import BlockingScheduler

        self._scheduler = BlockingScheduler(timezone=UTC)
        self._add_tick(self._scheduler)
        log.info("scheduler worker %s started (tick %ss)", self.holder, self.tick_seconds)
        try:
            self._scheduler.start()
        finally:
            self.release()

    def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self.release()

    def release(self) -> None:
        try:
            with self.database.write() as session:
                release_lease(session, self.holder)
        except Exception:
            log.warning("could not release the scheduler lease", exc_info=True)


_processes: dict[str, SchedulerProcess] = {}
_processes_lock = threading.Lock()


def start_in_background(database: Database) -> None:
    """Starts this process's scheduler once, however often it is called (browser sessions).

    HOTEL_SCHEDULER_IN_APP=false leaves the work to `python -m shift_briefing scheduler`.
    """
    if not env_bool("HOTEL_SCHEDULER_IN_APP", True):
        return
    with _processes_lock:
        if database.url in _processes:
            return
        load_jobs()
        process = SchedulerProcess(database, new_holder("app"))
        process.start_background()
        _processes[database.url] = process
    atexit.register(process.stop)


def run_worker(database: Database) -> None:
    """The scheduler as its own process (blocking); SIGTERM and Ctrl-C stop it cleanly."""
    load_jobs()
    process = SchedulerProcess(database, new_holder("worker"))

    def _stop(_signum: int, _frame: Any) -> None:
        process.stop()

    signal.signal(signal.SIGTERM, _stop)
    try:
        process.run_blocking()
    except (KeyboardInterrupt, SystemExit):
        process.stop()


def scheduler_command(argv: list[str] | None = None) -> int:
    """python -m shift_briefing scheduler [--once | --run JOB [--property CODE]]"""
    from core.startup import ready_database

    parser = argparse.ArgumentParser(
        prog="python -m shift_briefing scheduler",
        description="Runs the scheduled jobs (escalations, reminders, briefings, retention, "
        "backups). Any number of workers and app servers may run: a lease in the database "
        "decides which one acts.",
    )
    parser.add_argument("--once", action="store_true", help="one tick: run what is due, exit")
    parser.add_argument("--run", metavar="JOB", help="run one job now and exit")
    parser.add_argument("--property", help="property code for --run (default: the first)")
    args = parser.parse_args(argv)
    database = ready_database()
    jobs = load_jobs()
    if args.run:
        job = jobs.get(args.run)
        if job is None:
            parser.error(f"unknown job {args.run!r}; jobs: {', '.join(sorted(jobs))}")
        property_id = None
        if job.per_property:
            with database.read() as session:
                query = select(Property.id).order_by(Property.id).limit(1)
                if args.property:
                    query = select(Property.id).where(Property.code == args.property)
                property_id = session.scalar(query)
            if property_id is None:
                print("No such property.")
                return 2
        outcome = run_job(
            database,
            job.name,
            property_id,
            clock.now(),
            holder=new_holder("command line"),
            trigger="manual",
        )
        send_outboxes(database)
        if outcome is None:
            return 1
        print(f"{outcome.job}: {outcome.status}: {outcome.result}")
        return 0 if outcome.status == "ok" else 1
    if args.once:
        process = SchedulerProcess(database, new_holder("once"))
        outcomes = process.tick()
        process.release()
        for outcome in outcomes:
            print(
                f"{outcome.job} ({scope_of(outcome.property_id)}): {outcome.status}: "
                f"{outcome.result}"
            )
        return 0
    run_worker(database)
    return 0


# --- what the jobs page shows -----------------------------------------------------------------


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
    hotel = session.get(Property, who.property_id)
    assert hotel is not None
    now = clock.now()
    board = []
    for job in sorted(load_jobs().values(), key=lambda j: (j.position, j.name)):
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
    job = load_jobs()[name]
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
    job = load_jobs().get(name)
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
