"""The worker's command line: `python -m core scheduler` (and `python -m shift_briefing
scheduler`, which scripts use): the same flags, output and exit codes from both."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from core import clock
from core.models import Property
from core.scheduling.models import scope_of
from core.scheduling.process import SchedulerProcess, new_holder, run_worker
from core.scheduling.registry import registered_jobs
from core.scheduling.runner import run_job, send_outboxes

PROG = "python -m core scheduler"


def scheduler_command(argv: list[str] | None = None, prog: str = PROG) -> int:
    """[--once | --run JOB [--property CODE]]; exit 0 done, 1 the job failed, 2 no property."""
    from core.startup import ready_database

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Runs the scheduled jobs (escalations, reminders, briefings, retention, "
        "backups). Any number of workers and app servers may run: a lease in the database "
        "decides which one acts.",
    )
    parser.add_argument("--once", action="store_true", help="one tick: run what is due, exit")
    parser.add_argument("--run", metavar="JOB", help="run one job now and exit")
    parser.add_argument("--property", help="property code for --run (default: the first)")
    args = parser.parse_args(argv)
    database = ready_database()
    jobs = registered_jobs()
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
