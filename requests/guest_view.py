"""What the guest is told about their wishes, read from the same rows the staff use.

The guest page and the e-mails both render this: a wish, as the hotel understood it, with its
promise in plain words. Health-related wishes are named but their details are not repeated
("your information has been passed to the team concerned").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import local_to_utc
from core.i18n import format_clock, format_day
from core.lib import chunks, get_property
from core.models import Property
from guests.guest_i18n import gt, wish_label, wish_promise
from guests.models import Reservation
from requests.catalogue import catalogue_entries
from requests.catalogue_defaults import CatalogueEntry
from requests.deadlines import NIGHT_ENDS
from requests.models import Request, Task
from requests.tasks import TRIAGE


@dataclass(frozen=True)
class GuestWish:
    request_id: int
    code: str
    label: str
    promise: str  # the sentence after the label
    kind: str  # planned, done, not_possible, sensitive, triage
    alternative: str | None
    words: str | None  # the guest's own words (triage only: what nothing else explained)
    sensitive: bool


@dataclass(frozen=True)
class GuestView:
    reservation_id: int
    hotel: str
    first_name: str
    language: str
    arrival: str
    departure: str
    nights: int
    eta: str | None
    check_in: str
    status: str
    wishes: tuple[GuestWish, ...]
    stay: tuple[date, date, time | None] = (date.min, date.min, None)  # arrival, departure, eta

    def state(self) -> str:
        """A hash of the promises: a confirmation is written again only when it changes.

        Hashes the dates as they read before Babel worded them, so the hashes stored for the
        confirmations already sent still match, and a new wording resends nothing.
        """
        promised = [
            (
                w.code,
                "planned" if w.kind == "done" else w.kind,
                w.promise if w.kind == "not_possible" else "",
                w.alternative or "",
            )
            for w in self.wishes
        ]
        arrival, departure, eta = self.stay
        data = [
            _hashed_date(arrival, self.language),
            _hashed_date(departure, self.language),
            f"{eta:%H:%M}" if eta else None,
            sorted(promised),
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]


def first_name(full_name: str) -> str:
    """'Ms Anna Schmidt' -> 'Anna'; 'Dupont, Marie' -> 'Marie'; a lone name stays whole."""
    name = full_name.strip()
    if "," in name:
        name = name.split(",", 1)[1].strip() or name.split(",", 1)[0]
    words = [w for w in name.split() if w.rstrip(".").lower() not in _TITLES]
    return words[0] if words else name


_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "m",
    "mme",
    "mlle",
    "herr",
    "frau",
    "sr",
    "sra",
    "sig",
    "sig.ra",
    "signor",
    "signora",
    "don",
    "doña",
    "prof",
}


def guest_moment(reservation: Reservation, hotel: Property) -> datetime:
    """When the guest is expected (UTC): their arrival time, or the check-in time."""
    day = reservation.arrival_date
    if reservation.eta is not None and reservation.eta < NIGHT_ENDS:
        day += timedelta(days=1)
    return local_to_utc(day, reservation.eta or hotel.check_in_time, hotel.timezone)


def _hashed_date(day: date, language: str) -> str:
    """A date as GuestView.state has always hashed it (not shown to anyone)."""
    if language == "en":
        return f"{day:%d %b %Y}"
    return f"{day:%d.%m.%Y}" if language == "de" else f"{day:%d/%m/%Y}"


def catalogue_by_code(session: Session, property_id: int) -> dict[str, CatalogueEntry]:
    return {e.code: e for e in catalogue_entries(session, property_id)}


def guest_view(
    session: Session,
    reservation: Reservation,
    language: str,
    entries: dict[str, CatalogueEntry] | None = None,
) -> GuestView:
    """entries: the catalogue, when the caller already holds it."""
    return guest_views(session, [reservation], {reservation.id: language}, entries)[0]


def guest_views(
    session: Session,
    reservations: Sequence[Reservation],
    languages: Mapping[int, str],
    entries: dict[str, CatalogueEntry] | None = None,
) -> list[GuestView]:
    """Many reservations of one hotel at once (the confirmation job): two queries in all."""
    if not reservations:
        return []
    hotel = get_property(session, reservations[0].property_id)
    entries = entries if entries is not None else catalogue_by_code(session, hotel.id)
    ids = [r.id for r in reservations]
    wishes: dict[int, list[Request]] = {i: [] for i in ids}
    tasks: dict[int, list[Task]] = {}
    for chunk in chunks(ids):
        for request in session.scalars(
            select(Request)
            .where(Request.reservation_id.in_(chunk), Request.status == "active")
            .order_by(Request.id)
        ):
            wishes[request.reservation_id].append(request)
        for task in session.scalars(
            select(Task).where(
                Task.reservation_id.in_(chunk),
                Task.kind.in_(("wish", TRIAGE)),
                Task.status != "cancelled",
            )
        ):
            tasks.setdefault(task.request_id or 0, []).append(task)
    views = []
    for reservation in reservations:
        language = languages[reservation.id]
        eta = format_clock(reservation.eta, language) if reservation.eta else None
        views.append(
            GuestView(
                reservation_id=reservation.id,
                hotel=hotel.name,
                first_name=first_name(reservation.guest.name),
                language=language,
                arrival=format_day(reservation.arrival_date, language, "long"),
                departure=format_day(reservation.departure_date, language, "long"),
                nights=reservation.nights,
                eta=eta,
                check_in=format_clock(hotel.check_in_time, language),
                status=reservation.status,
                wishes=tuple(
                    _wish(request, tasks.get(request.id, []), entries, language, eta)
                    for request in wishes[reservation.id]
                ),
                stay=(reservation.arrival_date, reservation.departure_date, reservation.eta),
            )
        )
    return views


def _wish(
    request: Request,
    tasks: list[Task],
    entries: dict[str, CatalogueEntry],
    language: str,
    eta: str | None,
) -> GuestWish:
    entry = entries.get(request.code)
    fallback = (entry.label_fr if language == "fr" else entry.label_en) if entry else request.code
    label = wish_label(request.code, language, fallback)
    refused = next((t for t in tasks if t.status == "not_possible"), None)
    alternative = None
    words = None
    if refused is not None:
        kind = "not_possible"
        promise = gt("promise.not_possible", language, reason=refused.reason or "")
        alternative = refused.alternative
    elif request.code == TRIAGE:
        kind, promise, words = "triage", gt("promise.triage", language), request.matched_text
    elif request.sensitive:
        kind, promise = "sensitive", gt("promise.sensitive", language)
    elif (
        tasks
        and all(t.status == "done" for t in tasks)
        and entry
        and entry.timing == "before_arrival"
    ):
        kind, promise = "done", gt("promise.done", language)
    else:
        kind = "planned"
        timing = entry.timing if entry else "before_arrival"
        own = wish_promise(request.code, language)
        if request.code == "late_arrival":
            if eta:
                label = gt("wish.late_arrival_at", language, eta=eta)
            promise = gt("promise.room_kept", language)
        elif own:  # what this wish means ("Pet" is not "in your room when you arrive")
            promise = own
        elif timing == "at_time" and request.at_time:
            promise = gt("promise.at_time", language, time=request.at_time)
        elif timing in ("at_check_in", "at_departure", "daily"):
            promise = gt(f"promise.{timing}", language)
        elif entry and entry.constrains_room:  # which room the guest gets
            promise = gt("promise.room_choice", language)
        elif entry and entry.readiness_items:  # something placed in the room
            promise = gt("promise.ready_on_arrival", language)
        else:
            promise = gt("promise.ready", language)
    if request.quantity and request.quantity > 1:
        label = f"{label} × {request.quantity}"
    return GuestWish(
        request_id=request.id,
        code=request.code,
        label=label,
        promise=promise,
        kind=kind,
        alternative=alternative,
        words=words,
        sensitive=request.sensitive,
    )
