"""The arrival card and check-in: wishes reviewed with the guest, and the room ready.

A room that is not ready blocks check-in unless a manager overrides it with a reason; the
override is recorded and audited. A critical health wish whose task is still open (a severe
allergy the kitchen has not confirmed) needs the agent's explicit "kitchen informed", which is
audited too. An arrival without wishes on a ready room checks in in one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import Actor, authenticate_manager, require
from core.clock import now
from core.errors import UserError
from core.lib import get_property
from guests.models import Reservation
from requests.states import OPEN
from shift_briefing.booked import booked
from shift_briefing.briefing import BriefingGuest, GuestDescriber, WishLine, narrowed_guest
from shift_briefing.models import CheckIn
from shift_briefing.readiness import ARRIVAL_ORDER, arrivals_of_day, arriving_on

AGENTS = ("front_desk", "manager")


@dataclass(frozen=True)
class ArrivalCard:
    guest: BriefingGuest
    needs_review: bool  # there are wishes to go through with the guest
    room_ready: bool
    blockers: tuple[str, ...]  # translation keys of what stands in the way
    check_in: CheckIn | None
    critical_open: tuple[WishLine, ...] = ()  # critical wishes whose task is still open


def _reservation(session: Session, property_id: int, reservation_id: int) -> Reservation:
    reservation = session.get(Reservation, reservation_id)
    if reservation is None or reservation.property_id != property_id:
        raise UserError("reservation.error_not_found")
    return reservation


def arrival_card(
    session: Session, who: Who, property_id: int, reservation_id: int, language: str
) -> ArrivalCard:
    require(who, *AGENTS)
    reservation = _reservation(session, property_id, reservation_id)
    [card] = _cards(session, who, property_id, [reservation], language)
    return card


@dataclass(frozen=True)
class ArrivalLine:
    """An arrival as the list needs it before its card is described: whom, when, which room."""

    reservation_id: int
    confirmation_number: str
    guest_name: str
    room_number: str | None
    expected_at: time
    checked_in: bool


def arrival_lines(session: Session, who: Who, property_id: int, day: date) -> list[ArrivalLine]:
    """The day's arrivals in order of arrival time, undescribed: a page shows a few cards of a
    big hotel's hundreds, and describes only those (arrival_cards_for)."""
    require(who, *AGENTS)
    hotel = get_property(session, property_id)
    lines = [
        ArrivalLine(
            reservation_id=r.id,
            confirmation_number=r.confirmation_number,
            guest_name=r.guest.name,
            room_number=r.room.number if r.room else None,
            expected_at=r.eta or hotel.check_in_time,
            checked_in=r.status == "checked_in",
        )
        for r in booked(session, *arriving_on(property_id, day), order_by=ARRIVAL_ORDER)
    ]
    return sorted(lines, key=lambda line: (line.expected_at, line.guest_name))


def arrival_cards_for(
    session: Session, who: Who, property_id: int, reservation_ids: list[int], language: str
) -> dict[int, ArrivalCard]:
    """The cards of these reservations, described in one pass, by reservation id."""
    require(who, *AGENTS)
    if not reservation_ids:
        return {}
    reservations = list(
        session.scalars(
            select(Reservation).where(
                Reservation.property_id == property_id, Reservation.id.in_(reservation_ids)
            )
        ).unique()
    )
    cards = _cards(session, who, property_id, reservations, language)
    return {card.guest.reservation_id: card for card in cards}


def arrival_cards(
    session: Session, who: Who, property_id: int, day: date, language: str
) -> list[ArrivalCard]:
    """The day's arrival cards in order of arrival time, described in one pass."""
    require(who, *AGENTS)
    return sorted(
        _cards(session, who, property_id, arrivals_of_day(session, property_id, day), language),
        key=lambda card: (card.guest.expected_at, card.guest.guest_name),
    )


def _cards(
    session: Session, who: Who, property_id: int, reservations: list[Reservation], language: str
) -> list[ArrivalCard]:
    hotel = get_property(session, property_id)
    describe = GuestDescriber(session, hotel, reservations, language)
    done = {
        check.reservation_id: check
        for check in session.scalars(
            select(CheckIn).where(CheckIn.reservation_id.in_([r.id for r in reservations]))
        )
    }
    full_detail = not isinstance(who, Actor) or who.has("front_desk", "manager")
    cards = []
    for reservation in reservations:
        guest = describe(reservation)
        if not full_detail:
            guest = narrowed_guest(guest)
        room_ready = guest.readiness is not None and guest.readiness.ready
        blockers = []
        if reservation.room_id is None:
            blockers.append("checkin.blocker_no_room")
        elif not room_ready:
            blockers.append("checkin.blocker_room_not_ready")
        cards.append(
            ArrivalCard(
                guest=guest,
                needs_review=any(w.kind == "wish" for w in guest.wishes)
                or bool(guest.wish_text.strip()),
                room_ready=room_ready,
                blockers=tuple(blockers),
                check_in=done.get(reservation.id),
                critical_open=tuple(w for w in guest.wishes if w.critical and w.status in OPEN),
            )
        )
    return cards


def check_in(
    session: Session,
    who: Who,
    property_id: int,
    reservation_id: int,
    *,
    wishes_reviewed: bool,
    override_reason: str | None = None,
    manager_login: str | None = None,
    manager_password: str = "",
    language: str = "en",
    kitchen_informed: bool = False,
) -> CheckIn:
    """Checks a guest in. A room that is not ready needs a manager's override: the agent
    themself when they are a manager, or a manager's login and password typed here, which
    this service checks itself (auth.authenticate_manager: counted apart from the manager's
    own sign-in, and audited with both names). `kitchen_informed` is the agent's confirmation
    that the department of each open critical wish knows (the kitchen for an allergy):
    without it such a check-in is refused."""
    require(who, *AGENTS)
    # The row held until commit: an edit saved meanwhile waits, rather than making this
    # UPDATE miss its version (StaleDataError) on PostgreSQL.
    session.get(
        Reservation, reservation_id, with_for_update={"of": Reservation}, populate_existing=True
    )
    card = arrival_card(session, who, property_id, reservation_id, language)
    reservation = _reservation(session, property_id, reservation_id)
    if reservation.status != "booked" or card.check_in is not None:
        raise UserError("checkin.error_not_bookable", status=reservation.status)
    if reservation.room_id is None:
        raise UserError("checkin.blocker_no_room")
    if card.needs_review and not wishes_reviewed:
        raise UserError("checkin.error_review_wishes")
    if card.critical_open and not kitchen_informed:
        raise UserError(
            "checkin.error_kitchen_informed", wishes=", ".join(w.label for w in card.critical_open)
        )
    manager = who if isinstance(who, Actor) and who.has("manager") else None
    reason = (override_reason or "").strip()
    if not card.room_ready:
        if manager is None and not (manager_login or "").strip():
            raise UserError("checkin.blocker_room_not_ready")
        if not reason:
            raise UserError("checkin.error_override_reason")
        if manager is None:  # before anything is written: a refusal commits its count only
            manager = authenticate_manager(
                session, who, manager_login or "", manager_password, property_id
            )
    done = CheckIn(
        property_id=property_id,
        reservation_id=reservation.id,
        agent_id=who.id,
        wishes_reviewed=wishes_reviewed or not card.needs_review,
        room_ready=card.room_ready,
        override_by_id=None if card.room_ready else manager.id if manager else None,
        override_reason=None if card.room_ready else reason,
        at=now(),
    )
    session.add(done)
    before = {"status": reservation.status}
    reservation.status = "checked_in"
    reservation.checked_in_at = done.at
    reservation.wishes_reviewed_by_id = who.id if card.needs_review else None
    session.flush()
    audit.record(
        session,
        who,
        "checked_in",
        "reservation",
        reservation.id,
        before=before,
        after={
            "status": "checked_in",
            "wishes_reviewed": done.wishes_reviewed,
            "room_ready": card.room_ready,
            **({"kitchen_informed": True} if card.critical_open else {}),
        },
        property_id=property_id,
    )
    if card.critical_open:
        audit.record(
            session,
            who,
            "check_in_kitchen_informed",
            "reservation",
            reservation.id,
            after={
                "critical_wishes": [w.code for w in card.critical_open],
                "tasks": [w.task_id for w in card.critical_open],
            },
            property_id=property_id,
        )
    if not card.room_ready and manager is not None:
        audit.record(
            session,
            manager,
            "check_in_override",
            "reservation",
            reservation.id,
            after={
                "open_items": [i.key for i in card.guest.readiness.open_items]
                if card.guest.readiness
                else [],
                "manager": manager.name,
                "agent": who.name,
            },
            note=reason,
            property_id=property_id,
        )
    return done
