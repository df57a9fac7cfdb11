"""Guest data past its retention is anonymised every night.

A guest whose last departure is more than N days ago (30 by default, a manager's setting) and
who is neither in house nor arriving loses their name, contact details and the words of their
wishes; counts, codes, statuses and timings stay for the statistics. The later domains erase
what they hold about those stays (wish texts, briefing contents, archived briefing PDFs) by
listening to GUESTS_ANONYMISED, inside the same transaction: the guest is anonymised
everywhere or nowhere. The audit log records that it happened, never the erased values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from core import audit, events
from core.auth import system_actor
from core.clock import to_local
from core.job_result import JobResult, said, words
from core.models import Property
from core.notifications import delete_older_than
from core.scheduling import DailyAt, Job, JobContext, Setting, hour_setting, register
from guests.models import Guest, ImportedReservation, Reservation

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
    hotel = session.get(Property, property_id)
    assert hotel is not None
    days = job.settings["retention_days"]
    today = to_local(now, hotel.timezone).date()
    notifications = delete_older_than(session, property_id, now - timedelta(days=days))
    guest_ids = anonymisable_guests(session, property_id, today, days)
    if not guest_ids:
        return said("jobs.result_purge_nothing", days=days, notifications=notifications)
    counts = anonymise(session, property_id, guest_ids, now, note=f"retention {days} days")
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
    session: Session, property_id: int, guest_ids: Sequence[int], now: datetime, note: str
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
    if not answers:
        raise RuntimeError("nobody erased the wish texts: core.scheduling.load_jobs() first")
    counts: dict[str, int] = {"reservations": len(reservation_ids)}
    for answer in answers:
        for name, count in answer.items():
            counts[name] = counts.get(name, 0) + count

    reservations = Reservation.__table__
    imported = ImportedReservation.__table__
    guests = Guest.__table__
    for start in range(0, len(reservation_ids), CHUNK):
        chunk = reservation_ids[start : start + CHUNK]
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
    for start in range(0, len(guest_ids), CHUNK):
        chunk = list(guest_ids[start : start + CHUNK])
        session.execute(
            update(guests)
            .where(guests.c.id.in_(chunk), guests.c.anonymised_at.is_(None))
            .values(name=ANONYMOUS_NAME, email=None, phone=None, anonymised_at=now)
        )
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
    audit.record_many(session, system_actor(property_id, "scheduler"), entries)
    return counts


RETENTION = register(
    Job(
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
)
