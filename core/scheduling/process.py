"""One process's scheduler: a ticker that wakes it up, and the lease that lets it act.

Every process (each app server, each `python -m core scheduler` worker) runs its own in-memory
APScheduler, which only wakes the process up once a tick (60 s): its job stores are never
shared between schedulers, and none is used; who acts is decided in the database (lease.py,
runner.py). APScheduler stays (the design names it) for what it does well here: its
IntervalTrigger with coalesce (ticks missed while the machine slept make one tick), one
instance at a time and no misfire drop, run on its BackgroundScheduler's daemon thread in the
app and its BlockingScheduler in the worker. The slots are not its triggers' (registry.py says
why).
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core import clock
from core.db import Database
from core.scheduling.lease import release_lease, take_lease
from core.scheduling.runner import (
    HISTORY,
    RunOutcome,
    due_runs,
    prune_job_runs,
    run_job,
    send_outboxes,
)
from core.settings import env_bool, env_int

log = logging.getLogger("hotel.scheduler")


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

    HOTEL_SCHEDULER_IN_APP=false leaves the work to `python -m core scheduler`.
    """
    if not env_bool("HOTEL_SCHEDULER_IN_APP", True):
        return
    with _processes_lock:
        if database.url in _processes:
            return
        process = SchedulerProcess(database, new_holder("app"))
        process.start_background()
        _processes[database.url] = process
    atexit.register(process.stop)


def run_worker(database: Database) -> None:
    """The scheduler as its own process (blocking); SIGTERM and Ctrl-C stop it cleanly."""
    process = SchedulerProcess(database, new_holder("worker"))

    def _stop(_signum: int, _frame: Any) -> None:
        process.stop()

    signal.signal(signal.SIGTERM, _stop)
    try:
        process.run_blocking()
    except (KeyboardInterrupt, SystemExit):
        process.stop()
