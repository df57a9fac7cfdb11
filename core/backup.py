"""Nightly backup of the SQLite database with its online backup API; the last 7 copies kept.

The online backup copies a consistent snapshot page by page while the app keeps working (WAL
readers and writers are not stopped), into a single self-contained file. On PostgreSQL the
job does nothing and says so: back it up with pg_dump, as PostgreSQL intends.

Restore: stop the app and the workers, then
`restore_sqlite(<backup file>, <the DATABASE_URL file>)` (or copy the file in place).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core import settings
from core.db import Database
from core.job_result import JobResult, said
from core.scheduling import DailyAt, Job, JobContext, Setting, hour_setting, register

PAGES_PER_STEP = 1024  # copy a few MB at a time, letting writers in between


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


def backup_sqlite(database: Database, folder: Path, moment: datetime, keep: int = 7) -> Path:
    """Writes a consistent copy of the database into `folder`; keeps the newest `keep`."""
    source_path = sqlite_path(database)
    folder.mkdir(parents=True, exist_ok=True)
    stem = source_path.stem
    target = folder / f"{stem}-backup-{moment:%Y%m%d-%H%M%S}.db"
    partial = target.with_suffix(".partial")
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
    os.replace(partial, target)  # a backup is there whole, or not at all
    for old in backups(folder, stem)[:-keep]:
        old.unlink()
    return target


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
        return said("jobs.result_backup_skipped")
    target = backup_sqlite(job.database, backup_folder(), now, keep=job.settings["keep"])
    kept = len(backups(target.parent, sqlite_path(job.database).stem))
    return said("jobs.result_backup", file=target.name, kb=target.stat().st_size // 1024, kept=kept)


BACKUP = register(
    Job(
        name="backup_database",
        title="jobs.backup_title",
        help="jobs.backup_help",
        run=backup_database,
        schedule=DailyAt("hour"),
        settings=(Setting("keep", 7, "jobs.setting_keep", 1, 365), hour_setting(3)),
        per_property=False,
        position=70,
    )
)
