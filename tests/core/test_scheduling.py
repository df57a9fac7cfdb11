"""The scheduler runtime: each slot runs once, whoever runs it; a dead holder is taken over.

Time is frozen and moved by hand; two schedulers are two lease holders with their own
Database (their own engine and connections) on the same database, as two processes would be.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.auth import PermissionDenied
from core.clock import set_now
from core.db import Database
from core.errors import UserError
from core.models import AuditEvent
from core.notifications import Notification, notify
from core.scheduling import (
    DailyAt,
    Every,
    Job,
    JobContext,
    JobRun,
    SchedulerProcess,
    due_runs,
    job_board,
    process,
    registry,
    run_job,
    run_now,
    save_job_setting,
    scheduler_command,
    start_in_background,
    take_lease,
)

TEN_O_TWO = datetime(2026, 7, 14, 8, 2, tzinfo=UTC)  # 10:02 in Paris
TEN = datetime(2026, 7, 14, 8, 0, tzinfo=UTC)


@pytest.fixture
def calls() -> list[tuple[int | None, datetime]]:
    return []


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch, calls) -> Callable[..., None]:
    """Replaces the registry with test jobs: the domains' jobs have their own tests."""

    def install(*extra: Job) -> None:
        def count(session, now, job: JobContext) -> str:
            calls.append((job.property_id, job.slot))
            notify(session, job.property_id, "notify.no_owner", role="manager")
            return f"call {len(calls)}"

        every_five = Job("count", "jobs.escalate_title", "jobs.escalate_help", count, Every(5))
        monkeypatch.setattr(registry, "JOBS", {j.name: j for j in (every_five, *extra)})

    return install


@pytest.fixture
def second(database: Database) -> Iterator[Database]:
    """The same database as another process sees it: its own engine and connections."""
    other = Database(database.url)
    yield other
    other.dispose()


def notifications(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Notification.id))) or 0


def test_each_jobs_latest_slot_is_due_once(database, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    with database.read() as session:
        [due] = due_runs(session, TEN_O_TWO)
    assert (due.job, due.property_id, due.slot) == ("count", hotel.id, TEN)
    outcome = run_job(database, "count", hotel.id, due.slot, holder="A")
    assert outcome is not None and outcome.status == "ok" and outcome.result == "call 1"
    with database.read() as session:
        assert due_runs(session, TEN_O_TWO + timedelta(minutes=2)) == []
        [next_one] = due_runs(session, TEN + timedelta(minutes=5))
    assert next_one.slot == TEN + timedelta(minutes=5)


def test_after_downtime_a_missed_run_is_made_up_once_not_once_per_slot(
    database, hotel, jobs, calls
):
    jobs()
    set_now(TEN_O_TWO)
    scheduler = SchedulerProcess(database, "A")
    scheduler.tick()
    back = TEN + timedelta(hours=3, minutes=17)  # 36 five-minute slots missed
    set_now(back)
    scheduler.tick()
    scheduler.tick()
    assert calls == [(hotel.id, TEN), (hotel.id, TEN + timedelta(hours=3, minutes=15))]


def test_a_slot_runs_once_however_many_schedulers(database, second, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    first, other = SchedulerProcess(database, "A"), SchedulerProcess(second, "B")
    assert [o.job for o in first.tick()] == ["count"]
    assert other.tick() == []  # the lease is A's: B does nothing
    # Even without the lease, a slot that ran cannot run again: its run row is the claim.
    assert run_job(second, "count", hotel.id, TEN, holder="B") is None
    assert len(calls) == 1 and notifications(database) == 1


def test_two_schedulers_racing_for_one_slot_run_it_once(database, second, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    start = threading.Barrier(2)
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def race(db: Database, holder: str) -> None:
        try:
            start.wait(timeout=30)
            outcomes.append(run_job(db, "count", hotel.id, TEN, holder=holder))
        except BaseException as error:  # reported below, from the test's own thread
            errors.append(error)

    threads = [
        threading.Thread(target=race, args=(database, "A")),
        threading.Thread(target=race, args=(second, "B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(o is not None for o in outcomes) == 1
    assert len(calls) == 1 and notifications(database) == 1


def test_two_takers_racing_for_the_lease_get_one_lease(database, second, hotel):
    set_now(TEN_O_TWO)
    start = threading.Barrier(2)
    taken: dict[str, bool] = {}

    def take(db: Database, holder: str) -> None:
        start.wait(timeout=30)
        with db.write() as session:
            taken[holder] = take_lease(session, holder, TEN_O_TWO, timedelta(minutes=3))

    threads = [
        threading.Thread(target=take, args=(database, "A")),
        threading.Thread(target=take, args=(second, "B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(taken.values()) == [False, True]


def test_the_lease_is_taken_over_when_its_holder_dies(database, second, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    first, other = SchedulerProcess(database, "A"), SchedulerProcess(second, "B")
    first.tick()  # A holds the lease for 3 minutes, then "dies": it never ticks again
    set_now(TEN + timedelta(minutes=4))
    assert other.tick() == []  # A's lease has not expired yet
    set_now(TEN + timedelta(minutes=5, seconds=30))
    assert [o.slot for o in other.tick()] == [TEN + timedelta(minutes=5)]
    assert first.tick() == []  # back from the dead, A finds B holding the lease
    set_now(TEN + timedelta(minutes=10, seconds=30))
    assert [o.slot for o in other.tick()] == [TEN + timedelta(minutes=10)]
    assert len(calls) == 3


def test_a_clean_shutdown_hands_the_lease_over_at_once(database, second, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    first, other = SchedulerProcess(database, "A"), SchedulerProcess(second, "B")
    first.tick()
    first.stop()
    set_now(TEN + timedelta(minutes=5, seconds=1))
    assert len(other.tick()) == 1


def test_a_failing_job_leaves_nothing_behind_and_its_run_says_why(database, hotel, jobs):
    def broken(session, now, job: JobContext) -> str:
        notify(session, job.property_id, "notify.no_owner", role="manager")
        raise RuntimeError("the printer is on fire")

    jobs(Job("broken", "jobs.escalate_title", "jobs.escalate_help", broken, Every(5)))
    set_now(TEN_O_TWO)
    outcomes = {o.job: o for o in SchedulerProcess(database, "A").tick()}
    assert outcomes["broken"].status == "failed"
    assert "the printer is on fire" in outcomes["broken"].result
    assert outcomes["count"].status == "ok"
    assert notifications(database) == 1  # the counting job's only
    with database.read() as session:
        run = session.scalars(select(JobRun).where(JobRun.job == "broken")).one()
        assert run.status == "failed" and run.finished_at is not None
        assert due_runs(session, TEN_O_TWO) == []  # not retried every minute: the next slot is


def test_a_disabled_job_is_not_due(database, hotel, maria, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    with database.write() as session:
        save_job_setting(session, maria, "count", False, {})
    assert SchedulerProcess(database, "A").tick() == []
    with database.read() as session:
        [status] = job_board(session, maria)
    assert not status.enabled and status.next_run is None


def test_settings_are_checked_and_audited(database, hotel, maria, alice):
    with database.write() as session:
        save_job_setting(session, maria, "purge_guest_data", True, {"retention_days": 60})
    with database.read() as session:
        purge = {s.name: s for s in job_board(session, maria)}["purge_guest_data"]
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "job_settings_saved")
        ).one()
    assert purge.settings == {"retention_days": 60, "hour": 3}
    assert event.before["retention_days"] == 30 and event.after["retention_days"] == 60
    with pytest.raises(UserError) as refused, database.write() as session:
        save_job_setting(session, maria, "purge_guest_data", True, {"retention_days": 0})
    assert refused.value.key == "jobs.error_range"
    with pytest.raises(PermissionDenied), database.write() as session:
        save_job_setting(session, alice, "purge_guest_data", False, {})


def test_a_manager_runs_a_job_now_for_her_hotel(database, hotel, maria, alice, jobs, calls):
    jobs()
    set_now(TEN_O_TWO)
    outcome = run_now(database, maria, "count")
    assert outcome.status == "ok" and calls == [(hotel.id, TEN_O_TWO)]
    again = run_now(database, maria, "count")  # twice in the same instant: two runs
    assert again.status == "ok" and len(calls) == 2
    with database.read() as session:
        runs = session.scalars(select(JobRun).order_by(JobRun.id)).all()
        assert [(r.trigger, r.requested_by_id) for r in runs] == [("manual", maria.id)] * 2
        assert (
            session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "job_run_now")
            )
            == 2
        )
        [status] = job_board(session, maria)
    assert status.last_run is not None and status.last_run.result == "call 2"
    assert status.next_run == TEN + timedelta(minutes=5)
    with pytest.raises(PermissionDenied):
        run_now(database, alice, "count")


def test_daily_slots_are_in_the_property_timezone_across_summer_time(database, hotel):
    daily = DailyAt("hour")
    with database.read() as session:
        winter = daily.slots(
            session, hotel.id, "Europe/Paris", {"hour": 17}, datetime(2026, 3, 28, 18, tzinfo=UTC)
        )
        summer = daily.slots(
            session, hotel.id, "Europe/Paris", {"hour": 17}, datetime(2026, 3, 29, 18, tzinfo=UTC)
        )
    # 17:00 in Paris is 16:00 UTC before the clocks change (29 March 2026), 15:00 after.
    assert winter == (datetime(2026, 3, 28, 16, tzinfo=UTC), datetime(2026, 3, 29, 15, tzinfo=UTC))
    assert summer == (datetime(2026, 3, 29, 15, tzinfo=UTC), datetime(2026, 3, 30, 15, tzinfo=UTC))


def test_the_app_starts_one_scheduler_per_process(database, monkeypatch):
    monkeypatch.setenv("HOTEL_SCHEDULER_IN_APP", "true")
    started: list[str] = []
    monkeypatch.setattr(process, "_processes", {})
    monkeypatch.setattr(
        SchedulerProcess, "start_background", lambda self: started.append(self.holder)
    )
    monkeypatch.setattr(process.atexit, "register", lambda _callback: None)
    for _ in range(3):  # three browser sessions
        start_in_background(database)
    assert len(started) == 1 and started[0].startswith("app@")


def test_an_app_beside_a_worker_starts_no_scheduler(database, monkeypatch):
    monkeypatch.setenv("HOTEL_SCHEDULER_IN_APP", "false")
    started: list[str] = []
    monkeypatch.setattr(process, "_processes", {})
    monkeypatch.setattr(
        SchedulerProcess, "start_background", lambda self: started.append(self.holder)
    )
    start_in_background(database)
    assert started == []


def test_apscheduler_only_wakes_the_process_up(database):
    """One in-memory interval job per process: coalesced, never two at once, never dropped."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    process = SchedulerProcess(database, "A", tick=60)
    scheduler = BackgroundScheduler(timezone=UTC)
    process._add_tick(scheduler)
    [tick] = scheduler.get_jobs()
    assert isinstance(tick.trigger, IntervalTrigger)
    assert tick.trigger.interval == timedelta(seconds=60)
    assert (tick.coalesce, tick.max_instances, tick.misfire_grace_time) == (True, 1, None)
    assert process.lease_ttl == timedelta(minutes=3)


def test_the_worker_command_runs_what_is_due_once(database, hotel, jobs, calls, capsys):
    jobs()
    set_now(TEN_O_TWO)
    assert scheduler_command(["--once"]) == 0
    assert scheduler_command(["--once"]) == 0
    assert len(calls) == 1
    assert "count (property:" in capsys.readouterr().out
    assert scheduler_command(["--run", "count"]) == 0
    assert len(calls) == 2


def test_the_history_of_runs_is_kept_ninety_days(database, hotel, jobs, calls):
    jobs()
    set_now(TEN_O_TWO - timedelta(days=91))
    run_job(database, "count", hotel.id, TEN_O_TWO - timedelta(days=91), holder="A")
    set_now(TEN_O_TWO - timedelta(days=89))
    run_job(database, "count", hotel.id, TEN_O_TWO - timedelta(days=89), holder="A")
    set_now(TEN_O_TWO)
    SchedulerProcess(database, "A").tick()
    with database.read() as session:
        started = session.scalars(select(JobRun.started_at).order_by(JobRun.started_at)).all()
    assert started == [TEN_O_TWO - timedelta(days=89), TEN_O_TWO]
