"""The guest corrects and adds to their wishes on their page.

Their words are added to the reservation's wish text and parsed exactly as at booking, so new
wishes become tasks with owners and deadlines through the same sync; a wish they remove is
cancelled with its open tasks (a finished task is never reopened) and, like a staff correction,
wins over the parser from then on, until the guest's own words ask for it again. Each form is
stored (personal data, erased by retention), audited as the guest's, and shown on the briefing
as "changed by the guest".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, events
from core.audit import Who
from core.auth import system_actor
from core.clock import now, to_local
from core.errors import UserError
from core.lib import get_property
from core.models import Property
from guests.models import Reservation
from requests.guest_models import GuestCorrection
from requests.models import Request
from requests.tasks import TRIAGE
from requests.wishes import WishChoice, correct_wishes, preview_wishes

MAX_TEXT = 2000  # characters the guest may add in one form
GUEST = "guest (own page)"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:hH.]([0-5]\d)$")


class GuestRefusal(UserError):
    """A refusal the guest reads on their page: its key is in guests/locales_guest, not in the
    staff texts."""


def guest_who(property_id: int) -> Who:
    return system_actor(property_id, GUEST)


def parse_eta(value: str) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    match = _TIME.match(value)
    if match is None:
        raise GuestRefusal("form.bad_time")
    return time(int(match.group(1)), int(match.group(2)))


def may_correct(reservation: Reservation, hotel: Property) -> bool:
    """Until the arrival day is over and while the stay has not begun."""
    return reservation.status == "booked" and (
        to_local(now(), hotel.timezone).date() <= reservation.arrival_date
    )


@dataclass(frozen=True)
class CorrectionResult:
    changed: bool
    added: int
    removed: int


def apply_guest_correction(
    session: Session,
    reservation_id: int,
    *,
    added_text: str,
    removed_request_ids: Collection[int],
    eta: str,
) -> CorrectionResult:
    """One form from the guest's page; raises GuestRefusal (form.*) and changes nothing if bad."""
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise GuestRefusal("gone.title")
    hotel = get_property(session, reservation.property_id)
    if not may_correct(reservation, hotel):
        raise GuestRefusal("form.closed")
    text = _clean(added_text)
    if len(text) > MAX_TEXT:
        raise GuestRefusal("form.too_long", limit=MAX_TEXT)
    new_eta = parse_eta(eta)
    who = guest_who(hotel.id)
    active = {
        r.id: r
        for r in session.scalars(
            select(Request).where(
                Request.reservation_id == reservation.id, Request.status == "active"
            )
        )
    }
    removed = [active[i] for i in removed_request_ids if i in active and active[i].code != TRIAGE]
    eta_changed = new_eta is not None and new_eta != reservation.eta
    if not text and not removed and not eta_changed:  # not thanked for: nothing reached us
        raise GuestRefusal("form.nothing")

    asked_again = _asked_again(session, reservation, text, active, removed)
    if removed or asked_again:
        kept = [
            WishChoice(r.code, r.quantity, r.at_time)
            for r in active.values()
            if r not in removed and r.code != TRIAGE
        ]
        correct_wishes(session, who, reservation.id, kept + asked_again)
    before = {"eta": reservation.eta.isoformat() if reservation.eta else None}
    if eta_changed:
        reservation.eta = new_eta
    if text:
        reservation.wish_text = f"{reservation.wish_text.rstrip()}\n{text}".strip()
    count_before = len(active) - len(removed)
    session.add(
        GuestCorrection(
            property_id=hotel.id,
            reservation_id=reservation.id,
            added_text=text,
            removed_codes=",".join(r.code for r in removed),
            eta=new_eta.strftime("%H:%M") if eta_changed and new_eta else None,
            at=now(),
        )
    )
    session.flush()
    audit.record(
        session,
        who,
        "reservation_changed_by_guest",
        "reservation",
        reservation.id,
        before=before if eta_changed else None,
        after={
            "eta": new_eta.isoformat() if eta_changed and new_eta else None,
            "removed": sorted(r.code for r in removed),
            "added_characters": len(text),
        },
        property_id=hotel.id,
    )
    events.publish(
        events.RESERVATION_SAVED,
        session,
        reservation_id=reservation.id,
        who=who,
        changed=sorted({"wish_text"} if text else set()) + (["eta"] if eta_changed else []),
    )
    session.flush()
    count_after = session.scalar(
        select(func.count(Request.id)).where(
            Request.reservation_id == reservation.id, Request.status == "active"
        )
    )
    return CorrectionResult(
        changed=True, added=max(0, (count_after or 0) - count_before), removed=len(removed)
    )


def _asked_again(
    session: Session,
    reservation: Reservation,
    text: str,
    active: dict[int, Request],
    removed: list[Request],
) -> list[WishChoice]:
    """The wishes the guest's new words ask for that were removed before (by the guest or by
    staff). A removal wins over the parser from then on, so without this "we need a parking
    space after all" would be thanked for and then ignored: the guest's newest words win."""
    if not text:
        return []
    active_codes = {r.code for r in active.values()}
    removed_now = {r.code for r in removed}  # removed and asked for in one form: removed
    withdrawn = {
        r.code
        for r in reservation.requests
        if r.status == "cancelled" and r.corrected_by_staff
    } - active_codes - removed_now
    if not withdrawn:
        return []
    parsed = preview_wishes(session, reservation.property_id, text)
    return [WishChoice(w.code, w.quantity, w.time) for w in parsed.requests if w.code in withdrawn]


def _clean(text: str) -> str:
    """Control characters out (a guest's text is shown as text everywhere), newlines kept."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c == "\n" or c == "\t" or ord(c) >= 32).strip()


def changed_by_guest(session: Session, reservation_ids: Sequence[int]) -> dict[int, datetime]:
    """When each reservation was last changed by its guest, for the briefing."""
    if not reservation_ids:
        return {}
    rows = session.execute(
        select(GuestCorrection.reservation_id, func.max(GuestCorrection.at))
        .where(GuestCorrection.reservation_id.in_(list(reservation_ids)))
        .group_by(GuestCorrection.reservation_id)
    )
    return {reservation_id: at for reservation_id, at in rows}
