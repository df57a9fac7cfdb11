"""What requests/ does when other domains announce something (core/events.py).

A new property gets its request catalogue; a saved reservation gets its requests and tasks in
line with its wishes; anonymised guests lose the words of their wishes, task reasons and their
own words on their page; the demo's day so far has its due work done. core/startup.py
subscribes LISTENERS, in this order, once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core import audit, events
from core.audit import Who
from core.lib import chunks
from guests.jobs import GUESTS_ANONYMISED
from requests.catalogue import seed_catalogue
from requests.demo import finish_the_day_so_far
from requests.models import Request, Task
from requests.verdicts import erase_guest_words
from requests.wishes import SyncReport, sync_reservations


def seed_property(session: Session, property_id: int, **_: object) -> None:
    seed_catalogue(session, property_id)


def follow_reservation(session: Session, reservation_id: int, who: Who, **_: object) -> SyncReport:
    return sync_reservations(session, who, [reservation_id])


def follow_reservations(
    session: Session, reservation_ids: Sequence[int], who: Who, created: Sequence[Any] = (),
    **_: object,
) -> SyncReport:
    return sync_reservations(session, who, reservation_ids, created)


def _health_fields(sensitive: bool) -> dict[str, str]:
    """How severe a guest's allergy was is health data too: it goes with the words."""
    return {"severity": "normal"} if sensitive else {}


def erase_wish_texts(
    session: Session,
    property_id: int,
    reservation_ids: Sequence[int],
    moment: datetime,
    **_: object,
) -> dict[str, int]:
    """The guests' words go; the codes, statuses and timings of their wishes stay.

    Health data first: the sensitive wishes are erased before the others.
    """
    wishes = Request.__table__
    tasks = Task.__table__
    erased = {"sensitive_wishes": 0, "wishes": 0, "task_reasons": 0}
    for sensitive, counter in ((True, "sensitive_wishes"), (False, "wishes")):
        for chunk in chunks(reservation_ids):
            erased[counter] += session.execute(
                update(wishes)
                .where(
                    wishes.c.property_id == property_id,
                    wishes.c.reservation_id.in_(chunk),
                    wishes.c.sensitive.is_(sensitive),
                )
                .values(original_text="", matched_text="", **_health_fields(sensitive))
            ).rowcount
    for chunk in chunks(reservation_ids):
        # The reason a wish was not possible, and what staff proposed instead, name the guest
        # or their health as often as not.
        erased["task_reasons"] += session.execute(
            update(tasks)
            .where(
                tasks.c.reservation_id.in_(chunk),
                or_(tasks.c.reason.is_not(None), tasks.c.alternative.is_not(None)),
            )
            .values(reason=None, alternative=None, updated_at=tasks.c.updated_at)
        ).rowcount
        session.execute(
            update(tasks)
            .where(tasks.c.reservation_id.in_(chunk), tasks.c.title != "")
            .values(title="", updated_at=tasks.c.updated_at)
        )
    # What the audit log holds of those words: its personal values (core.audit).
    erased["audit_values"] = 0
    for chunk in chunks(reservation_ids):
        request_ids = session.scalars(
            select(wishes.c.id).where(wishes.c.reservation_id.in_(chunk))
        ).all()
        task_ids = session.scalars(
            select(tasks.c.id).where(tasks.c.reservation_id.in_(chunk))
        ).all()
        erased["audit_values"] += audit.erase_personal(
            session, property_id, "request", request_ids, moment
        ) + audit.erase_personal(session, property_id, "task", task_ids, moment)
    return erased


LISTENERS: tuple[tuple[str, events.Listener], ...] = (
    (events.PROPERTY_CREATED, seed_property),
    (events.RESERVATION_SAVED, follow_reservation),
    (events.RESERVATIONS_SAVED, follow_reservations),
    (GUESTS_ANONYMISED, erase_wish_texts),  # health data first: before anything else goes
    (GUESTS_ANONYMISED, erase_guest_words),
    (events.DEMO_SEEDED, finish_the_day_so_far),  # before shift_briefing/ signs the briefing
)
