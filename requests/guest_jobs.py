"""The pre-arrival confirmation job (`guest_confirmations`) and the sending of guest e-mails.

Every five minutes from the manager's hour of the day (none by default; a hotel may set
9:00 to write no e-mail in the night), for each hotel: the guests arriving within the
manager's number of days (3 by default; a booking made later is confirmed at the next run)
whose promises are not yet confirmed in their current state get one message in their
language. The messages are sent after the job's transaction commits (send_guest_messages,
which requests/jobs.py lists in SENDERS), or wait in the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.clock import to_local
from core.db import Database
from core.job_result import JobResult, said
from core.lib import get_property
from core.notifications import smtp_config
from core.scheduling import Every, Job, JobContext, Setting
from requests.guest_outbox import deliver_guest_messages, queue_confirmations


def guest_confirmations(session: Session, now: datetime, job: JobContext) -> JobResult:
    assert job.property_id is not None
    hour = job.settings["from_hour"]
    if to_local(now, get_property(session, job.property_id).timezone).hour < hour:
        return said("jobs.result_guest_confirmations_not_yet", hour=f"{hour:02d}:00")
    written = queue_confirmations(session, job.property_id, job.settings["days_before"])
    where = "sent" if smtp_config() else "outbox"
    return said(f"jobs.result_guest_confirmations_{where}", count=written)


def send_guest_messages(database: Database) -> int:
    return deliver_guest_messages(database, smtp_config())


CONFIRMATIONS = Job(
    name="guest_confirmations",
    title="jobs.guest_confirmations_title",
    help="jobs.guest_confirmations_help",
    run=guest_confirmations,
    schedule=Every(5),
    settings=(
        Setting("days_before", 3, "jobs.setting_days_before", 0, 60),
        # A hotel may keep e-mails to guests out of the night: the first run after this hour
        # writes them. 0 by default: a booking made late is confirmed at once, as promised.
        Setting("from_hour", 0, "jobs.setting_from_hour", 0, 23),
    ),
    position=25,
)
