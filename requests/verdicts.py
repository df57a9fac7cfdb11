"""The guest's verdict after the stay: for each wish, was it ready when they arrived.

Asked from the morning of departure to 14 days after (as long as the link lives); stored with
the reservation, shown to managers, and erased with the rest of the guest's data by retention.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require, system_actor
from core.clock import local_to_utc, now
from core.lib import chunks, get_property
from core.models import Property
from guests.guest_links import VALID_AFTER_DEPARTURE
from guests.models import Reservation
from requests.guest_corrections import GuestRefusal
from requests.guest_models import GuestCorrection, GuestVerdict
from requests.models import Request, Task
from requests.tasks import TRIAGE

OPENS_AT = time(6, 0)  # the morning of departure
MAX_COMMENT = 1000


def verdict_window(reservation: Reservation, hotel: Property) -> tuple[datetime, datetime]:
    opens = local_to_utc(reservation.departure_date, OPENS_AT, hotel.timezone)
    closes = local_to_utc(
        reservation.departure_date + VALID_AFTER_DEPARTURE + timedelta(days=1),
        time(0, 0),
        hotel.timezone,
    )
    return opens, closes


def verdict_open(reservation: Reservation, hotel: Property) -> bool:
    if reservation.status in ("cancelled", "no_show"):
        return False
    opens, closes = verdict_window(reservation, hotel)
    return opens <= now() < closes


def asked_wishes(session: Session, reservation_id: int) -> list[Request]:
    return list(
        session.scalars(
            select(Request)
            .where(
                Request.reservation_id == reservation_id,
                Request.status == "active",
                Request.code != TRIAGE,
            )
            .order_by(Request.id)
        )
    )


@dataclass(frozen=True)
class Answer:
    ready: bool | None
    comment: str = ""


def save_verdict(
    session: Session,
    reservation_id: int,
    answers: Mapping[int, Answer],
    free_comment: str,
) -> int:
    """Stores the guest's answers (a second form replaces the first); returns how many."""
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise GuestRefusal("gone.title")
    hotel = get_property(session, reservation.property_id)
    if not verdict_open(reservation, hotel):
        raise GuestRefusal("gone.title")
    texts = [a.comment for a in answers.values()] + [free_comment]
    if any(len(text or "") > MAX_COMMENT for text in texts):
        raise GuestRefusal("form.too_long", limit=MAX_COMMENT)
    asked = {r.id for r in asked_wishes(session, reservation_id)}
    session.execute(delete(GuestVerdict).where(GuestVerdict.reservation_id == reservation_id))
    rows = [
        GuestVerdict(
            property_id=hotel.id,
            reservation_id=reservation_id,
            request_id=request_id,
            ready=answer.ready,
            comment=(answer.comment or "").strip(),
            at=now(),
        )
        for request_id, answer in answers.items()
        if request_id in asked and (answer.ready is not None or (answer.comment or "").strip())
    ]
    if (free_comment or "").strip():
        rows.append(
            GuestVerdict(
                property_id=hotel.id,
                reservation_id=reservation_id,
                request_id=None,
                ready=None,
                comment=free_comment.strip(),
                at=now(),
            )
        )
    session.add_all(rows)
    session.flush()
    audit.record(
        session,
        system_actor(hotel.id, "guest (own page)"),
        "guest_verdict_given",
        "reservation",
        reservation_id,
        after={"answers": len(rows)},
        property_id=hotel.id,
    )
    return len(rows)


@dataclass(frozen=True)
class VerdictRow:
    reservation_id: int
    confirmation_number: str
    departure_date: date
    code: str | None  # None: the free comment
    ready: bool | None
    comment: str
    at: datetime


def verdicts(session: Session, who: Who, property_id: int, since: date) -> list[VerdictRow]:
    """What guests answered, for managers (departures since `since`)."""
    require(who, "manager")
    rows = session.execute(
        select(GuestVerdict, Reservation, Request)
        .join(Reservation, Reservation.id == GuestVerdict.reservation_id)
        .outerjoin(Request, Request.id == GuestVerdict.request_id)
        .where(GuestVerdict.property_id == property_id, Reservation.departure_date >= since)
        .order_by(Reservation.departure_date.desc(), GuestVerdict.id)
    ).unique()
    return [
        VerdictRow(
            reservation_id=reservation.id,
            confirmation_number=reservation.confirmation_number,
            departure_date=reservation.departure_date,
            code=request.code if request else None,
            ready=verdict.ready,
            comment=verdict.comment,
            at=verdict.at,
        )
        for verdict, reservation, request in rows
    ]


# Retention (requests/listeners.py): the guest's own words on their page go with the rest of their
# data. The yes/no of each verdict stays (no words, no person), for "promises kept".
def erase_guest_words(
    session: Session, reservation_ids: Sequence[int], **_: object
) -> dict[str, int]:
    from guests.guest_models import GuestLink, GuestMessage  # the guests/ side of the loop

    ids = list(reservation_ids)
    counts = {"guest_verdict_comments": 0, "guest_corrections": 0, "guest_messages": 0}
    for chunk in chunks(ids):
        verdicts_ = GuestVerdict.__table__
        counts["guest_verdict_comments"] += session.execute(
            verdicts_.update()
            .where(verdicts_.c.reservation_id.in_(chunk), verdicts_.c.comment != "")
            .values(comment="")
        ).rowcount
        session.execute(
            verdicts_.delete().where(
                verdicts_.c.reservation_id.in_(chunk), verdicts_.c.request_id.is_(None)
            )
        )
        counts["guest_corrections"] += session.execute(
            delete(GuestCorrection).where(GuestCorrection.reservation_id.in_(chunk))
        ).rowcount
        messages = GuestMessage.__table__
        counts["guest_messages"] += session.execute(
            messages.update()
            .where(messages.c.reservation_id.in_(chunk))
            .values(to_address=None, subject="", body="", error=None)
        ).rowcount
        tasks = Task.__table__  # a call task's title holds the guest's name and phone
        session.execute(
            tasks.update()
            .where(tasks.c.reservation_id.in_(chunk), tasks.c.title != "")
            .values(title="", updated_at=tasks.c.updated_at)
        )
        links = GuestLink.__table__
        session.execute(
            links.update()
            .where(links.c.reservation_id.in_(chunk), links.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )
    return {name: count for name, count in counts.items() if count}  # the job's result says what
