"""Nightly backup of the SQLite database with its online backup API; the last 7 copies kept.

The online backup copies a consistent snapshot page by page while the app keeps working (WAL
readers and writers are not stopped), into a single self-contained file. A backup holds every
guest's data: the folder is readable by its owner only (0700), each copy too (0600), and a
copy older than the guest-data retention period (the shortest of the hotels') is deleted, so
that what the purge erased does not live on in a backup. On PostgreSQL the job does nothing
and says so: back it up with pg_dump, as PostgreSQL intends (README, "Backups").

Restore: stop the app and the workers, then
`restore_sqlite(<backup file>, <the DATABASE_URL file>)` (or copy the file in place).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import settings
from core.db import Database
from core.job_result import JobResult, said
from core.models import Property
from core.scheduling import (
    DailyAt,
    Job,
    JobContext,
    Setting,
    hour_setting,
    job_setting,
    registered_jobs,
)

PAGES_PER_STEP = 1024  # copy a few MB at a time, letting writers in between
RETENTION_JOB = "purge_guest_data"  # whose retention_days bounds a backup's age
DEFAULT_RETENTION_DAYS = 30
PG_DUMP = "jobs.result_backup_skipped"  # PostgreSQL: use pg_dump (the README says how)


def backup_folder() -> Path:
    return Path(settings.env_str("HOTEL_BACKUP_DIR", str(settings.DATA_DIR / "backups")))


def sqlite_path(database: Database) -> Path:
    if not database.is_sqlite:
        raise ValueError("not a SQLite database")
    path = database.url.split("///", 1)[1] if "///" in database.url else ""
    if not path or path == ":memory:":
        raise ValueError("an in-memory database has no file to back up")
    return Path(path)


def backups(folder: Path, stem: str) -> list[Path]:
    """The backups of the database named `stem`, oldest first (their names sort by time)."""
    return sorted(folder.glob(f"{stem}-backup-*.db"))


def private_folder(folder: Path) -> None:
    """The backups' folder, made or tightened to its owner alone, with every copy in it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    for copy in folder.glob("*-backup-*"):
        os.chmod(copy, 0o600)


def taken_at(backup: Path) -> datetime | None:
    """The moment in a backup's name (UTC), or None for a name that is not ours."""
    stamp = backup.stem.rsplit("-backup-", 1)[-1]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def backup_sqlite(
    database: Database,
    folder: Path,
    moment: datetime,
    keep: int = 7,
    max_age: timedelta | None = None,
) -> Path:
    """Writes a consistent copy of the database into `folder`, readable by its owner only;
    keeps the newest `keep`, and none older than `max_age`."""
    source_path = sqlite_path(database)
    private_folder(folder)
    stem = source_path.stem
    target = folder / f"{stem}-backup-{moment:%Y%m%d-%H%M%S}.db"
    partial = target.with_suffix(".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    source = sqlite3.connect(source_path, timeout=30)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination, pages=PAGES_PER_STEP)
            destination.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
        finally:
            destination.close()
    finally:
        source.close()
    os.chmod(partial, 0o600)
    os.replace(partial, target)  # a backup is there whole, or not at all
    for old in backups(folder, stem)[:-keep]:
        old.unlink()
    if max_age is not None:
        for old in backups(folder, stem):
            made = taken_at(old)
            if made is not None and made < moment - max_age:
                old.unlink()
    return target


def retention_days(session: Session) -> int:
    """The shortest guest-data retention of the hotels: no backup may outlive it."""
    job = registered_jobs().get(RETENTION_JOB)
    if job is None:
        return DEFAULT_RETENTION_DAYS
    days = [
        job_setting(session, job, hotel_id).values["retention_days"]
        for hotel_id in session.scalars(select(Property.id))
    ]
    return min(days, default=job.defaults["retention_days"])


def restore_sqlite(backup: Path, target: Path) -> None:
    """Copies a backup into `target` (a new file, or the database of a stopped app)."""
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def backup_database(session: Session, now: datetime, job: JobContext) -> JobResult:
    if not job.database.is_sqlite:
        return said(PG_DUMP)
    days = retention_days(session)
    target = backup_sqlite(
        job.database, backup_folder(), now, keep=job.settings["keep"], max_age=timedelta(days=days)
    )
    kept = len(backups(target.parent, sqlite_path(job.database).stem))
    return said(
        "jobs.result_backup", file=target.name, kb=target.stat().st_size // 1024, days=days,
        kept=kept,
    )


BACKUP = Job(
    name="backup_database",
    title="jobs.backup_title",
    help="jobs.backup_help",
    run=backup_database,
    schedule=DailyAt("hour"),
    settings=(Setting("keep", 7, "jobs.setting_keep", 1, 365), hour_setting(3)),
    per_property=False,
    position=70,
)
JOBS = (BACKUP,)  # registered by core/startup.py
