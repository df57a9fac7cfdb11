"""Saving a reservation with its wishes: the one door the form (and any future one) goes through.

The reservation is created or edited by guests.reservations (a new number that exists is refused,
an edit saves over the version opened); the wishes domain turns its text into requests and
tasks. Then the rule of the wish capture: the agent's picks override the parse, when they were
made on the very text being saved (a text changed after the picks is read afresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.audit import Who
from guests import reservations as guests
from guests.reservations import ReservationInput, Saved
from requests import catalogue, wishes
from requests.wishes import WishChoice


@dataclass(frozen=True)
class WishPicks:
    """The catalogue wishes the agent chose, and the text they were chosen on."""

    text: str
    codes: Sequence[str]


def save_reservation_with_wishes(
    session: Session,
    who: Who,
    property_id: int,
    data: ReservationInput,
    *,
    reservation_id: int | None = None,
    version: int | None = None,
    guest_version: int | None = None,
    picks: WishPicks | None = None,
) -> Saved:
    """Creates (reservation_id None) or edits the reservation, then applies the agent's picks.

    Raises guests.reservations.ReservationExists, ReservationChanged or RoomTaken, writing nothing.
    """
    if reservation_id is None:
        saved = guests.create_reservation(session, who, property_id, data)
    else:
        if version is None:
            raise ValueError("an edit saves over the version the agent opened")
        saved = guests.update_reservation(
            session, who, property_id, reservation_id, data,
            version=version, guest_version=guest_version,
        )
    apply_picks(session, who, property_id, saved.reservation.id, data.wish_text, picks)
    return saved


def apply_picks(
    session: Session,
    who: Who,
    property_id: int,
    reservation_id: int,
    wish_text: str,
    picks: WishPicks | None,
) -> None:
    """The agent's picks win over the parser, if they were made on this very text."""
    if picks is None or picks.text != wish_text:
        return
    known = {item.code for item in catalogue.catalogue_items(session, property_id,
                                                              active_only=False)}
    chosen = [code for code in dict.fromkeys(picks.codes) if code in known]
    saved = {r.code for r in wishes.active_wishes(session, reservation_id) if r.code in known}
    if set(chosen) == saved:
        return
    parsed = {w.code: w for w in wishes.preview_wishes(session, property_id, wish_text).requests}
    wishes.correct_wishes(
        session,
        who,
        reservation_id,
        [
            WishChoice(code, parsed[code].quantity, parsed[code].time)
            if code in parsed
            else WishChoice(code)
            for code in chosen
        ],
    )
