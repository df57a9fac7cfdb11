"""A briefing that changed after you signed it finds you where you are.

The briefing's content is derived (reservations, wishes, tasks), so there is no "briefing saved"
moment to hook on. A change is detected when a signer next loads any page: the briefings they
signed whose shift has not ended are built again and their versions compared with the one
signed. A change is announced once per person and version (the notification's dedupe key), so
reloading never notifies twice; signing the new version marks those notifications read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import Actor, system_actor
from core.clock import now, to_local
from core.i18n import when_value
from core.lib import insert_unless_exists
from core.models import Property, Staff
from core.notifications import Link, Notification, NotificationRead, notify
from shift_briefing.briefing import briefing_version, shift_of, shift_window
from shift_briefing.models import BriefingAcknowledgement

NOTICE_KEY = "notify.briefing_changed"


@dataclass(frozen=True)
class ChangedBriefing:
    """A briefing the person signed, whose content changed since."""

    day: date
    shift: str
    signed_version: str
    current_version: str
    signed_at: datetime


def _once(property_id: int, day: date, shift: str, version: str) -> str:
    return f"briefing-changed:{property_id}:{day.isoformat()}:{shift}:{version}"


def changed_since_signed(session: Session, who: Actor) -> list[ChangedBriefing]:
    """The briefings `who` signed, of shifts not yet over, whose version is no longer theirs."""
    if not who.has("front_desk") or who.property_id is None:
        return []
    hotel = session.get(Property, who.property_id)
    if hotel is None:
        return []
    moment = now()
    since = to_local(moment, hotel.timezone).date() - timedelta(days=1)
    latest: dict[tuple[date, str], BriefingAcknowledgement] = {}
    for signature in session.scalars(
        select(BriefingAcknowledgement)
        .where(
            BriefingAcknowledgement.staff_id == who.id,
            BriefingAcknowledgement.briefing_date >= since,
        )
        .order_by(BriefingAcknowledgement.signed_at, BriefingAcknowledgement.id)
    ):
        latest[(signature.briefing_date, signature.shift)] = signature
    changed = []
    for (day, shift_name), signature in sorted(latest.items()):
        _start, end = shift_window(hotel, shift_of(session, hotel.id, shift_name), day)
        if end <= moment:
            continue  # a shift that is over: its briefing is history, not news
        briefing = briefing_version(session, who, hotel.id, day, shift_name)
        if briefing.version != signature.version:
            changed.append(
                ChangedBriefing(
                    day, shift_name, signature.version, briefing.version, signature.signed_at
                )
            )
    return changed


def unannounced(
    session: Session, who: Actor, changed: list[ChangedBriefing]
) -> list[ChangedBriefing]:
    """Those changes the person has not been notified of yet (a read, no write)."""
    assert who.property_id is not None
    keys = {
        f"{_once(who.property_id, c.day, c.shift, c.current_version)}|staff:{who.id}"[:250]: c
        for c in changed
    }
    if not keys:
        return []
    said = set(
        session.scalars(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys)))
    )
    return [c for key, c in keys.items() if key not in said]


def announce(session: Session, who: Actor, changed: list[ChangedBriefing]) -> int:
    """Notifies `who` of each change, once per version; returns how many were new."""
    assert who.property_id is not None
    new = 0
    for change in changed:
        new += notify(
            session,
            who.property_id,
            NOTICE_KEY,
            {"shift": {"t": f"shift.{change.shift}"}, "date": when_value(change.day)},
            staff_id=who.id,
            link=Link("briefing"),
            once=_once(who.property_id, change.day, change.shift, change.current_version),
        )
    return new


def mark_announcements_read(
    session: Session, staff_id: int, property_id: int, day: date, shift: str
) -> None:
    """Signing the new version answers the notices about that shift's changes."""
    prefix = f"briefing-changed:{property_id}:{day.isoformat()}:{shift}:"
    ids = list(
        session.scalars(
            select(Notification.id).where(
                Notification.recipient_id == staff_id,
                Notification.dedupe_key.like(prefix + "%"),
            )
        )
    )
    rows = [{"notification_id": i, "staff_id": staff_id, "read_at": now()} for i in ids]
    if rows:
        insert_unless_exists(session, NotificationRead, rows, ["notification_id", "staff_id"])


@dataclass(frozen=True)
class Announced:
    shifts: int  # briefings of shifts not yet over that someone signed
    told: int  # people newly told that theirs changed


def announce_changes(session: Session, hotel: Property, moment: datetime) -> Announced:
    """For the scheduler: each active front-desk signer of a shift not yet over whose signed
    version is no longer current is told, once per version."""
    since = to_local(moment, hotel.timezone).date() - timedelta(days=1)
    latest: dict[tuple[date, str], dict[int, BriefingAcknowledgement]] = {}
    for signature in session.scalars(
        select(BriefingAcknowledgement)
        .join(Staff, Staff.id == BriefingAcknowledgement.staff_id)
        .where(
            BriefingAcknowledgement.property_id == hotel.id,
            BriefingAcknowledgement.briefing_date >= since,
            Staff.active.is_(True),
        )
        .order_by(BriefingAcknowledgement.signed_at, BriefingAcknowledgement.id)
    ):
        latest.setdefault((signature.briefing_date, signature.shift), {})[signature.staff_id] = (
            signature
        )
    system = system_actor(hotel.id, "scheduler")
    shifts = told = 0
    for (day, shift_name), people in sorted(latest.items()):
        _start, end = shift_window(hotel, shift_of(session, hotel.id, shift_name), day)
        if end <= moment:
            continue
        shifts += 1
        version = briefing_version(session, system, hotel.id, day, shift_name).version
        for staff_id, signature in people.items():
            if signature.version == version:
                continue
            told += notify(
                session,
                hotel.id,
                NOTICE_KEY,
                {"shift": {"t": f"shift.{shift_name}"}, "date": when_value(day)},
                staff_id=staff_id,
                link=Link("briefing"),
                once=_once(hotel.id, day, shift_name, version),
            )
    return Announced(shifts, told)
