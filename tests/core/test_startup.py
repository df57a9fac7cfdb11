"""One registration path: core.startup registers every domain's listeners and jobs, in order.

Importing a domain's modules registers nothing (checked in a fresh interpreter); the two
command lines of the worker are one command.
"""

from __future__ import annotations

import os
import subprocess
import sys

from core import events
from core.scheduling import registered_jobs
from core.scheduling.registry import SENDERS
from core.settings import ROOT
from guests.jobs import GUESTS_ANONYMISED


def python(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


CORE, BRIEFING = "python -m core scheduler", "python -m shift_briefing scheduler"


def same(one: str, other: str) -> bool:
    return one.split() == other.split()


def names(event: str) -> list[str]:
    return [f"{f.__module__}.{f.__name__}" for f in events.listeners(event)]


def test_the_listeners_run_lower_domains_first_health_data_first():
    # conftest.py calls core.startup.register_domains(), as the app and the commands do.
    assert names(GUESTS_ANONYMISED) == [
        "requests.listeners.erase_wish_texts",
        "requests.verdicts.erase_guest_words",
        "shift_briefing.listeners.erase_briefings",
    ]
    assert names(events.PROPERTY_CREATED) == [
        "requests.listeners.seed_property",
        "shift_briefing.listeners.seed_property",
    ]
    assert names(events.DEMO_SEEDED) == [
        "requests.demo.finish_the_day_so_far",
        "shift_briefing.demo.sign_for_those_on_shift",
    ]


def test_every_job_is_registered_in_the_order_a_tick_runs_them():
    assert list(registered_jobs()) == [
        "backup_database",
        "purge_guest_data",
        "escalate_overdue",
        "guest_confirmations",
        "hand_over_tasks",
        "archive_briefings",
        "remind_unsigned",
        "room_not_ready",
        "briefing_changed",
        "tomorrow_digest",
    ]
    assert [s.__name__ for s in SENDERS] == ["deliver_pending_emails", "send_guest_messages"]


def test_importing_the_domains_registers_nothing_register_domains_does():
    script = (
        "import core.backup, guests.jobs, requests.jobs, shift_briefing.jobs\n"
        "import requests.listeners, shift_briefing.listeners\n"
        "from core import events, startup\n"
        "from core.scheduling import registered_jobs\n"
        "print(len(registered_jobs()), len(events.listeners('guests_anonymised')))\n"
        "startup.register_domains(); startup.register_domains()\n"
        "print(len(registered_jobs()), len(events.listeners('guests_anonymised')))\n"
    )
    done = python("-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["0 0", "10 3"]


def test_the_worker_is_one_command_under_core_and_shift_briefing(database_url):
    core = python("-m", "core", "scheduler", "--help", database_url=database_url)
    briefing = python("-m", "shift_briefing", "scheduler", "--help", database_url=database_url)
    assert core.returncode == briefing.returncode == 0, core.stderr + briefing.stderr
    assert "--once" in core.stdout and "--run JOB" in core.stdout
    # The same help, but for the name it was called by (argparse wraps the usage to its length).
    assert same(core.stdout.replace(CORE, BRIEFING), briefing.stdout)
    for args in (("scheduler", "--run", "no_such_job"), ("scheduler", "--bogus")):
        a = python("-m", "core", *args, database_url=database_url)
        b = python("-m", "shift_briefing", *args, database_url=database_url)
        assert a.returncode == b.returncode == 2
        assert same(a.stderr.replace(CORE, BRIEFING), b.stderr)
    assert python("-m", "core", database_url=database_url).returncode == 2
