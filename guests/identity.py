"""Who a guest is: the one rule that says two reservations are the same person.

A guest is a person, not an e-mail address: the same name (case and spaces aside) with the same
e-mail, or, when no e-mail is given, the same name with the same phone. Two people who share an
address (a couple, an assistant who books for the whole team) are two guests. Every door uses
this rule: the reservation form, the import, the demo.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.lib import chunks
from guests.models import Guest

GuestKey = tuple[str, str, str]  # ("email" or "phone", name, e-mail or phone)


def same_name(first: str, second: str) -> bool:
    return _name(first) == _name(second)


def _name(name: str) -> str:
    return " ".join(name.split()).casefold()


def guest_key(name: str, email: str | None, phone: str | None) -> GuestKey | None:
    """What identifies the person; None when nothing does (a name alone is not enough)."""
    if email and email.strip():
        return ("email", _name(name), email.strip().lower())
    if phone and phone.strip():
        return ("phone", _name(name), phone.strip())
    return None


def stored_key(guest: Guest) -> GuestKey | None:
    return guest_key(guest.name, guest.email, guest.phone)


def returning_guests(
    session: Session, property_id: int, keys: Iterable[GuestKey], *, lock: bool = False
) -> dict[GuestKey, Guest]:
    """The guests already known for these keys (the first one stored wins); anonymised
    guests are nobody. `lock` holds the rows until the end of the transaction."""
    wanted = set(keys)
    emails = sorted({value for kind, _, value in wanted if kind == "email"})
    phones = sorted({value for kind, _, value in wanted if kind == "phone"})
    known = select(Guest).where(Guest.property_id == property_id, Guest.anonymised_at.is_(None))
    found: dict[GuestKey, Guest] = {}
    queries: list[Any] = [
        known.where(func.lower(Guest.email).in_(chunk)) for chunk in chunks(emails)
    ] + [known.where(Guest.phone.in_(chunk)) for chunk in chunks(phones)]
    stored: list[Guest] = []
    for query in queries:
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        stored += session.scalars(query)  # no ORDER BY: it would trade the index for a scan
    for guest in sorted(stored, key=lambda g: g.id):
        key = stored_key(guest)
        if key is not None and key in wanted:
            found.setdefault(key, guest)
        elif guest.email and guest.phone:  # stored with both: found by phone too
            by_phone = ("phone", _name(guest.name), guest.phone.strip())
            if by_phone in wanted:
                found.setdefault(by_phone, guest)
    return found


def returning_guest(
    session: Session, property_id: int, name: str, email: str | None, phone: str | None,
    *, lock: bool = False,
) -> Guest | None:
    """The same person on an earlier stay, by `guest_key`."""
    key = guest_key(name, email, phone)
    if key is None:
        return None
    return returning_guests(session, property_id, [key], lock=lock).get(key)
