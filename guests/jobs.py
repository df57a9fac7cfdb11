"""Guest data past its retention is anonymised every night.

A guest whose last departure is more than N days ago (30 by default, a manager's setting) and
who is neither in house nor arriving loses their name, contact details, preferences and the
words of their wishes; counts, codes, statuses and timings stay for the statistics. The later
domains erase what they hold about those stays (wish texts, task reasons, briefing contents,
archived briefing PDFs, check-in reasons) by listening to GUESTS_ANONYMISED, inside the same
transaction: the guest is anonymised everywhere or nowhere. Each domain also erases the
personal values of the audit events about its own rows (core.audit.erase_personal), the one
change the audit log accepts; that erasure is itself audited ("anonymised by retention").

Here: the guests and reservations, what the imports remembered of them (and the import
records' file names and quoted cells, which may name a guest), and the notifications that
quote them.

A domain that stores something new about a guest (a guest link, a verdict, an outbox message)
lists a reaction to GUESTS_ANONYMISED in its listeners.py that erases it, and registers its
audited personal fields and entities with core.audit.personal_fields / guest_entities;
tests/shift_briefing/test_erasure.py searches every text column of every table for what is left.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from core import audit, events
from core.auth import system_actor
from core.clock import to_local
from core.job_result import JobResult, said, words
from core.lib import chunks, get_property
from core.notifications import Notification, NotificationRead, delete_older_than
from core.scheduling import DailyAt, Job, JobContext, Setting, hour_setting
from guests.models import Guest, ImportedReservation, ImportRecord, Reservation

# payload: property_id, reservation_ids, dates (the briefing days those stays touched), moment
GUESTS_ANONYMISED = "guests_anonymised"
ANONYMOUS_NAME = "Anonymised guest"
LONGEST_STAY = 400  # days of briefings looked at per stay
CHUNK = 500


def anonymisable_guests(session: Session, property_id: int, today: date, days: int) -> list[int]:
    """Guests whose last departure is `days` days past, who are not in house or arriving."""
    cutoff = today - timedelta(days=days)
    departed = (
        select(Reservation.guest_id)
        .where(Reservation.property_id == property_id)
        .group_by(Reservation.guest_id)
        .having(func.max(Reservation.departure_date) <= cutoff)
    )
    staying_or_arriving = select(Reservation.guest_id).where(
        Reservation.property_id == property_id,
        or_(
            Reservation.status == "checked_in",
            and_(Reservation.status == "booked", Reservation.departure_date >= today),
        ),
    )
    return list(
        session.scalars(
            select(Guest.id)
            .where(
                Guest.property_id == property_id,
                Guest.anonymised_at.is_(None),
                Guest.id.in_(departed),
                Guest.id.not_in(staying_or_arriving),
            )
            .order_by(Guest.id)
        )
    )


def purge_guest_data(session: Session, now: datetime, job: JobContext) -> JobResult:
    property_id = job.property_id
    assert property_id is not None
    hotel = get_property(session, property_id)
    days = job.settings["retention_days"]
    today = to_local(now, hotel.timezone).date()
    notifications = delete_older_than(session, property_id, now - timedelta(days=days))
    guest_ids = anonymisable_guests(session, property_id, today, days)
    if not guest_ids:
        return said("jobs.result_purge_nothing", days=days, notifications=notifications)
    counts = anonymise(
        session,
        property_id,
        guest_ids,
        now,
        note=f"retention {days} days",
        imports_before=now - timedelta(days=days),
    )
    return said(
        "jobs.result_purged",
        count=len(guest_ids),
        details=[
            {
                "t": "jobs.result_erased_item",
                "v": {"what": words(f"jobs.erased_{name}", name.replace("_", " ")), "count": n},
            }
            for name, n in counts.items()
        ],
        notifications=notifications,
    )


def anonymise(
    session: Session,
    property_id: int,
    guest_ids: Sequence[int],
    now: datetime,
    note: str,
    *,
    imports_before: datetime | None = None,
) -> dict[str, int]:
    stays = list(
        session.execute(
            select(
                Reservation.id,
                Reservation.guest_id,
                Reservation.arrival_date,
                Reservation.departure_date,
            ).where(Reservation.property_id == property_id, Reservation.guest_id.in_(guest_ids))
        )
    )
    reservation_ids = [stay.id for stay in stays]
    dates: set[date] = set()
    for stay in stays:
        first = stay.arrival_date - timedelta(days=1)  # an early-morning ETA is the eve's night
        last = min(stay.departure_date, first + timedelta(days=LONGEST_STAY))
        dates.update(first + timedelta(days=n) for n in range((last - first).days + 1))

    # The later domains first: the wishes' words (health data first), briefings, PDFs.
    answers = events.publish(
        GUESTS_ANONYMISED,
        session,
        property_id=property_id,
        reservation_ids=reservation_ids,
        dates=sorted(dates),
        moment=now,
    )
    if not answers:  # erasing the guest but not their wishes' words must never happen quietly
        raise RuntimeError("nobody erased the wish texts: core.startup.register_domains() first")
    counts: dict[str, int] = {"reservations": len(reservation_ids)}
    for answer in answers:
        for name, count in answer.items():
            counts[name] = counts.get(name, 0) + count

    import_ids = _imports_of(session, property_id, reservation_ids, imports_before)
    known = list(
        session.execute(
            select(Guest.name, Guest.email, Guest.phone).where(Guest.id.in_(list(guest_ids)))
        )
    )
    reservations = Reservation.__table__
    imported = ImportedReservation.__table__
    guests = Guest.__table__
    for chunk in chunks(reservation_ids, CHUNK):
        session.execute(
            update(reservations)
            .where(reservations.c.id.in_(chunk))
            .values(wish_text="", updated_at=reservations.c.updated_at)
        )
        session.execute(
            update(imported)
            .where(imported.c.reservation_id.in_(chunk))
            .values(file_values={}, applied_values={})
        )
    for chunk in chunks(list(guest_ids), CHUNK):
        session.execute(
            update(guests)
            .where(guests.c.id.in_(chunk), guests.c.anonymised_at.is_(None))
            .values(name=ANONYMOUS_NAME, email=None, phone=None, preferences=[], anonymised_at=now)
        )
    counts["import_records"] = _erase_imports(session, import_ids)
    counts["notifications"] = _erase_notifications(session, property_id, known)
    audited = (
        counts.pop("audit_values", 0)
        + audit.erase_personal(session, property_id, "guest", guest_ids, now)
        + audit.erase_personal(session, property_id, "reservation", reservation_ids, now)
        + audit.erase_personal(session, property_id, "import_record", import_ids, now)
    )
    counts["audit_values"] = audited
    per_guest: dict[int, int] = {}
    for stay in stays:
        per_guest[stay.guest_id] = per_guest.get(stay.guest_id, 0) + 1
    entries: list[dict[str, Any]] = [
        {
            "action": "guest_anonymised",
            "entity": "guest",
            "entity_id": guest_id,
            "after": {"reservations": per_guest.get(guest_id, 0)},
            "note": note,
            "property_id": property_id,
        }
        for guest_id in guest_ids
    ]
    entries.append(
        {
            "action": "audit_anonymised",
            "entity": "audit_events",
            "after": {"events": audited, "guests": len(guest_ids)},
            "note": "anonymised by retention",
            "property_id": property_id,
        }
    )
    audit.record_many(session, system_actor(property_id, "scheduler"), entries)
    return counts


def _imports_of(
    session: Session, property_id: int, reservation_ids: Sequence[int], before: datetime | None
) -> list[int]:
    """The imports that brought these stays, and every import older than the retention."""
    found: set[int] = set()
    for chunk in chunks(reservation_ids, CHUNK):
        found.update(
            session.scalars(
                select(ImportedReservation.import_id).where(
                    ImportedReservation.reservation_id.in_(chunk)
                )
            )
        )
    if before is not None:
        found.update(
            session.scalars(
                select(ImportRecord.id).where(
                    ImportRecord.property_id == property_id, ImportRecord.started_at < before
                )
            )
        )
    return sorted(found)


def _erase_imports(session: Session, import_ids: Sequence[int]) -> int:
    """An import record keeps its counts and codes; its file name and quoted cells go."""
    erased = 0
    records = ImportRecord.__table__
    for chunk in chunks(import_ids, CHUNK):
        rows = session.execute(
            select(records.c.id, records.c.errors, records.c.conflicts).where(
                records.c.id.in_(chunk), records.c.file_name != ""
            )
        ).all()
        for row in rows:
            session.execute(
                update(records)
                .where(records.c.id == row.id)
                .values(
                    file_name="",
                    errors=[{**error, "values": {}} for error in row.errors or []],
                    conflicts=[{**conflict, "values": {}} for conflict in row.conflicts or []],
                )
            )
            erased += 1
    return erased


def _erase_notifications(session: Session, property_id: int, known: Sequence[Any]) -> int:
    """Notifications quote guests (a room not ready for Marie Dubois): those that do go."""
    needles = {
        value.casefold()
        for row in known
        for value in (row.name, row.email, row.phone)
        if value and len(value) >= 3 and value != ANONYMOUS_NAME
    }
    if not needles:
        return 0
    quoting = [
        notification_id
        for notification_id, values in session.execute(
            select(Notification.id, Notification.values).where(
                Notification.property_id == property_id
            )
        )
        if any(needle in json.dumps(values, ensure_ascii=False).casefold() for needle in needles)
    ]
    reads, notifications = NotificationRead.__table__, Notification.__table__
    for chunk in chunks(quoting, CHUNK):
        session.execute(delete(reads).where(reads.c.notification_id.in_(chunk)))
        session.execute(delete(notifications).where(notifications.c.id.in_(chunk)))
    return len(quoting)


RETENTION = Job(
    name="purge_guest_data",
    title="jobs.purge_title",
    help="jobs.purge_help",
    run=purge_guest_data,
    schedule=DailyAt("hour"),
    settings=(
        Setting("retention_days", 30, "jobs.setting_retention_days", 1, 3650),
        hour_setting(3),
    ),
    position=60,
)
JOBS = (RETENTION,)  # registered by core/startup.py
