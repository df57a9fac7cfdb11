"""What is due, and running it: a run row per (job, scope, slot) is the claim.

The row is inserted in the same transaction as the job's work: a duplicate insert means
another process already ran that slot, so even two processes that both believe they hold the
lease never run a slot twice. If the process dies mid-job, its transaction rolls back and the
slot is free again. Only each job's latest slot is ever due: after downtime a missed run is
made up once, not once per missed slot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from core import audit, clock
from core.audit import Who
from core.auth import require
from core.db import Database
from core.errors import UserError
from core.job_result import JobResult
from core.lib import insert_unless_exists
from core.models import Property
from core.scheduling import registry
from core.scheduling.models import JobRun, JobSetting, scope_of
from core.scheduling.registry import JobContext, effective_setting, job_setting

log = logging.getLogger("hotel.scheduler")
HISTORY = timedelta(days=90)  # how long the runs of jobs are kept


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
    hotels = list(session.execute(select(Property.id, Property.timezone).order_by(Property.id)))
    stored = {(s.job, s.scope): s for s in session.scalars(select(JobSetting))}
    fallback_zone = hotels[0][1] if hotels else "UTC"
    candidates = []
    for job in registry.registered_jobs().values():
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
    job = registry.registered_jobs()[name]
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
    job = registry.registered_jobs().get(name)
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


def send_outboxes(database: Database) -> None:
    for sender in registry.SENDERS:
        try:
            sender(database)
        except Exception:  # one outbox failing must not stop the others or the scheduler
            log.exception("sending %s failed", getattr(sender, "__name__", sender))
