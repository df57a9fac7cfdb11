"""The scheduler runtime: which job is due when, who runs it, and what it said.

The jobs belong to the domains (core/backup.py, guests/jobs.py, requests/jobs.py,
shift_briefing/jobs.py); core/startup.py registers them, once per process, with the event
listeners. Who acts is decided in the database, so any number of app servers and workers may
share it: a lease row says which process runs the due jobs, and a run row per (job, scope,
slot), inserted with the job's work, makes each slot run once.

A slot is the moment a run belongs to (10:05 for the 5-minute job, 06:45 for the briefing of
the 07:00 shift). Only each job's latest slot is ever due: after downtime a missed run is made
up once, not once per missed slot. Times are computed in the property's timezone.

- models.py   the tables: lease, job settings, job runs
- registry.py what a job and its schedule are, the registry, the outboxes' senders
- runner.py   what is due, running a job (the run row is the claim), a manager's "run now"
- lease.py    taking, renewing and handing over the lease
- process.py  one process's ticker (APScheduler) and the worker
- command.py  `python -m core scheduler` (also `python -m shift_briefing scheduler`)
- board.py    what the jobs page shows and saves
"""

from core.scheduling.board import JobStatus, job_board, recent_runs, save_job_setting
from core.scheduling.command import scheduler_command
from core.scheduling.lease import LEASE, lease_state, release_lease, take_lease
from core.scheduling.models import DATABASE_SCOPE, JobRun, JobSetting, SchedulerLease, scope_of
from core.scheduling.process import (
    SchedulerProcess,
    new_holder,
    run_worker,
    start_in_background,
    tick_seconds,
)
from core.scheduling.registry import (
    DailyAt,
    EffectiveSetting,
    Every,
    Job,
    JobContext,
    JobFunction,
    Schedule,
    Setting,
    database_timezone,
    effective_setting,
    hour_setting,
    job_setting,
    latest_and_next,
    register,
    register_sender,
    registered_jobs,
)
from core.scheduling.runner import (
    HISTORY,
    Due,
    RunOutcome,
    due_runs,
    prune_job_runs,
    run_job,
    run_now,
    send_outboxes,
)

__all__ = [
    "DATABASE_SCOPE",
    "HISTORY",
    "LEASE",
    "DailyAt",
    "Due",
    "EffectiveSetting",
    "Every",
    "Job",
    "JobContext",
    "JobFunction",
    "JobRun",
    "JobSetting",
    "JobStatus",
    "RunOutcome",
    "Schedule",
    "SchedulerLease",
    "SchedulerProcess",
    "Setting",
    "database_timezone",
    "due_runs",
    "effective_setting",
    "hour_setting",
    "job_board",
    "job_setting",
    "latest_and_next",
    "lease_state",
    "new_holder",
    "prune_job_runs",
    "recent_runs",
    "register",
    "register_sender",
    "registered_jobs",
    "release_lease",
    "run_job",
    "run_now",
    "run_worker",
    "save_job_setting",
    "scheduler_command",
    "scope_of",
    "send_outboxes",
    "start_in_background",
    "take_lease",
    "tick_seconds",
]
