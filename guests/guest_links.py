"""A reservation's private page link: a random token the guest holds, of which the database
keeps only the SHA-256. A link works until 14 days after departure, unless front desk revokes
the reservation's links; a wrong, expired or revoked token all look the same to the outside.

The token cannot be recovered from its hash, so every e-mail or print of the link issues a new
one; earlier links keep working until they expire or are revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require
from core.clock import now, to_local
from core.errors import UserError
from core.lib import get_property
from core.settings import env_str
from guests.guest_models import GuestLink
from guests.models import Reservation

TOKEN_BYTES = 32  # 256 bits of randomness
VALID_AFTER_DEPARTURE = timedelta(days=14)
PAGE_PATH = "/guest"  # the only prefix a reverse proxy puts on the internet
DEFAULT_APP_URL = "http://localhost:8501"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def app_url() -> str:
    return env_str("HOTEL_APP_URL", DEFAULT_APP_URL).rstrip("/") or DEFAULT_APP_URL


def page_url(token: str) -> str:
    return f"{app_url()}{PAGE_PATH}/{token}"


def last_valid_day(reservation: Reservation) -> date:
    return reservation.departure_date + VALID_AFTER_DEPARTURE


def issue_link(session: Session, who: Who, reservation_id: int) -> str:
    """A new token for the reservation's page; returns the token (shown once, never stored)."""
    require(who, "front_desk", "reservations", "manager")
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise UserError("reservation.error_not_found")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = GuestLink(
        property_id=reservation.property_id,
        reservation_id=reservation.id,
        token_hash=token_hash(token),
        created_by_id=who.id,
        created_at=now(),
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        who,
        "guest_link_issued",
        "reservation",
        reservation.id,
        after={"link": link.id},
        property_id=reservation.property_id,
    )
    return token


def revoke_links(session: Session, who: Who, reservation_id: int) -> int:
    """Front desk withdraws every link of the reservation (a forwarded e-mail, a lost phone)."""
    require(who, "front_desk", "manager")
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise UserError("reservation.error_not_found")
    table = GuestLink.__table__
    revoked = session.execute(
        update(table)
        .where(table.c.reservation_id == reservation_id, table.c.revoked_at.is_(None))
        .values(revoked_at=now(), revoked_by_id=who.id)
    ).rowcount
    audit.record(
        session,
        who,
        "guest_links_revoked",
        "reservation",
        reservation_id,
        after={"links": revoked},
        property_id=reservation.property_id,
    )
    return revoked


@dataclass(frozen=True)
class LinkState:
    active: int
    revoked: int
    last_used_at: str | None


def link_state(session: Session, reservation_id: int) -> LinkState:
    links = list(
        session.scalars(select(GuestLink).where(GuestLink.reservation_id == reservation_id))
    )
    used = [link.last_used_at for link in links if link.last_used_at]
    return LinkState(
        active=sum(1 for link in links if link.revoked_at is None),
        revoked=sum(1 for link in links if link.revoked_at is not None),
        last_used_at=max(used).isoformat() if used else None,
    )


def reservation_for_token(
    session: Session, token: str, *, touch: bool = False
) -> Reservation | None:
    """The reservation a token opens, or None for any token that does not open one now.

    touch: note when the link was last used (a form sent; reading the page writes nothing)."""
    if not token or len(token) > 100:
        return None
    link = session.scalar(select(GuestLink).where(GuestLink.token_hash == token_hash(token)))
    if link is None or link.revoked_at is not None:
        return None
    reservation = session.get(Reservation, link.reservation_id)
    if reservation is None or reservation.guest.anonymised_at is not None:
        return None
    hotel = get_property(session, reservation.property_id)
    if to_local(now(), hotel.timezone).date() > last_valid_day(reservation):
        return None
    if touch:
        link.last_used_at = now()
    return reservation
