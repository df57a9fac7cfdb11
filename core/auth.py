"""Staff login, roles and the permission check every service makes before it acts."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.orm import Session

from core import audit
from core import sign_in_limits as limits
from core.audit import Who
from core.clock import now
from core.db import UTCDateTime
from core.errors import RefusedAndRecorded, UserError
from core.models import Staff

if TYPE_CHECKING:
    from core.db import Database

ROLES = ("reservations", "front_desk", "housekeeping", "manager")
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
HASHES_AT_ONCE = 2
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class PermissionDenied(PermissionError):
    """The acting staff member's roles do not allow this operation."""


@dataclass(frozen=True)
class Actor(Who):
    """The logged-in staff member, as plain data that services check and audit."""

    login: str = ""
    roles: tuple[str, ...] = field(default_factory=tuple)
    language: str = "fr"
    department: str | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


@dataclass(frozen=True)
class LoginOutcome:
    """Returned, not raised, so that the failure's count and audit event still commit.

    `failure` is what the person is told: "invalid" whatever the reason (an unknown login, a
    wrong password, a locked or a deactivated account all read the same, so the page does not
    tell an attacker which logins exist), or "limited" when too many attempts came from their
    address or in total. `reason` is what really happened, for the audit log and the tests.
    """

    actor: Actor | None = None
    failure: str | None = None
    reason: str | None = None  # unknown, wrong_password, locked, inactive, limited


def system_actor(property_id: int | None, name: str = "system") -> Who:
    return Who(id=None, name=name, property_id=property_id)


def require(actor: Who, *roles: str) -> None:
    if not isinstance(actor, Actor):
        return  # the system (imports, scheduled jobs) acts on the hotel's behalf
    if not actor.has(*roles):
        raise PermissionDenied(
            f"{actor.login} ({', '.join(actor.roles)}) may not do this: needs {' or '.join(roles)}"
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("staff.error_password_short", length=MIN_PASSWORD_LENGTH)


def actor_for(staff: Staff) -> Actor:
    return Actor(
        id=staff.id,
        name=staff.name,
        property_id=staff.property_id,
        login=staff.login,
        roles=tuple(r for r in ROLES if r in staff.roles),
        language=staff.language,
        department=staff.department,
    )


def find_staff_by_login(session: Session, login: str) -> Staff | None:
    return session.scalar(select(Staff).where(func.lower(Staff.login) == login.strip().lower()))


def authenticate(
    session: Session, login: str, password: str, address: str | None = None
) -> LoginOutcome:
    """Checks a login in one write session (the tests, and any door without a network).

    `address`: the client's address, whose attempts are limited per minute; None for a door
    that is not on the network. The page uses `sign_in`, which keeps the hashing out of any
    transaction.
    """
    if address is not None:
        refused = limits.admit(session, address)
        if refused is not None:
            return refused
    attempt = claim_attempt(session, login)
    return settle_attempt(session, attempt, password, check_password(attempt, password))


def sign_in(database: Database, login: str, password: str, address: str) -> LoginOutcome:
    """The sign-in page's door: limits and the attempt's claim in one short transaction, the
    argon2 check outside any transaction, the outcome in a second one. So a flood of sign-ins
    never holds SQLite's write lock while it hashes, and staff saves do not wait for it."""
    with database.read() as session:  # a flood is turned away here, without a write
        refused = limits.refused(session, address)
    if refused is not None:
        return refused
    with database.write() as session:
        refused = limits.admit(session, address)
        if refused is not None:
            return refused
        attempt = claim_attempt(session, login)
    right = check_password(attempt, password)
    with database.write() as session:
        return settle_attempt(session, attempt, password, right)


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt that got (or did not get) one of the account's five checks."""

    login: str
    staff_id: int | None
    password_hash: str  # what the password is checked against: the dummy when not checkable
    checkable: bool  # the account exists and this attempt holds one of its checks
    failures: int  # the attempts counted so far, this one included
    reason: str | None  # decided before any hashing: "unknown" or "locked"


def claim_attempt(session: Session, login: str, channel: str = "sign_in") -> Attempt:
    """Counts the attempt before its password is checked, in one conditional UPDATE.

    The UPDATE matches only an account that is not locked, adds one to its count, and locks
    it when the count reaches five; PostgreSQL runs concurrent UPDATEs of one row one after
    the other (each re-reads the row the previous one committed), SQLite runs write
    transactions one at a time. However many attackers try at once, exactly five passwords
    are checked before the lock. A right password then clears the count (`settle_attempt`).

    channel "override": a manager's password typed at check-in counts apart (its own five
    and lock), and is refused while the manager's own sign-in is locked.
    """
    staff = find_staff_by_login(session, login)
    if staff is None:
        return Attempt(login, None, _DUMMY_HASH, False, 0, "unknown")
    moment = now()
    count, lock = _counters(channel)
    expired = and_(lock.is_not(None), lock <= moment)
    failures = case((expired, 1), else_=count + 1)
    until = literal(moment + timedelta(minutes=LOCK_MINUTES), UTCDateTime())
    conditions = [Staff.id == staff.id, or_(lock.is_(None), lock <= moment)]
    if channel == "override":
        conditions.append(or_(Staff.locked_until.is_(None), Staff.locked_until <= moment))
    counted = session.execute(
        update(Staff)
        .where(*conditions)
        .values({count: failures, lock: case((failures >= MAX_FAILED_LOGINS, until), else_=None)})
        .returning(count)
        .execution_options(synchronize_session=False)
    ).scalar()
    if counted is None:
        return Attempt(login, staff.id, _DUMMY_HASH, False, MAX_FAILED_LOGINS, "locked")
    return Attempt(login, staff.id, staff.password_hash, True, counted, None)


def _counters(channel: str) -> tuple[Any, Any]:
    if channel == "override":
        return Staff.override_failures, Staff.override_locked_until
    return Staff.failed_logins, Staff.locked_until


def check_password(attempt: Attempt, password: str) -> bool:
    """The argon2 check; an attempt without a real check hashes the dummy, so that an unknown
    or a locked login takes as long to refuse as a wrong password. At most HASHES_AT_ONCE run
    at a time in a server process, so that a burst of sign-ins leaves CPU to the staff."""
    with _hashing:
        right = _verify(attempt.password_hash, password)
    return right and attempt.checkable


def settle_attempt(
    session: Session, attempt: Attempt, password: str, right: bool, channel: str = "sign_in"
) -> LoginOutcome:
    """Audits the attempt with its real reason; a right password on an active account clears
    the count and signs in. Every refusal reads the same to the person ("invalid")."""
    staff = session.get(Staff, attempt.staff_id) if attempt.staff_id is not None else None
    action = "login_failed" if channel == "sign_in" else "override_password_failed"
    if staff is None:
        stranger = Who(None, attempt.login[:200], None)
        audit.record(session, stranger, action, "staff", note="unknown login")
        return LoginOutcome(failure="invalid", reason="unknown")
    who = Who(staff.id, staff.name, staff.property_id)
    if attempt.reason == "locked":
        audit.record(session, who, action, "staff", staff.id, note="account locked")
        return LoginOutcome(failure="invalid", reason="locked")
    if not right:
        note = "wrong password"
        if attempt.failures >= MAX_FAILED_LOGINS:
            note = f"wrong password; locked for {LOCK_MINUTES} minutes"
        audit.record(session, who, action, "staff", staff.id, note=note)
        return LoginOutcome(failure="invalid", reason="wrong_password")
    if not staff.active:
        audit.record(session, who, action, "staff", staff.id, note="account deactivated")
        return LoginOutcome(failure="invalid", reason="inactive")
    count, lock = _counters(channel)
    session.execute(
        update(Staff)
        .where(Staff.id == staff.id)
        .values({count: 0, lock: None})
        .execution_options(synchronize_session=False)
    )
    if channel == "sign_in" and _hasher.check_needs_rehash(staff.password_hash):
        session.execute(
            update(Staff)
            .where(Staff.id == staff.id)
            .values(password_hash=hash_password(password))
            .execution_options(synchronize_session=False)
        )
    session.refresh(staff)
    if channel == "sign_in":
        audit.record(session, who, "login", "staff", staff.id)
    return LoginOutcome(actor=actor_for(staff))


def authenticate_manager(
    session: Session, agent: Who, login: str, password: str, property_id: int
) -> Actor:
    """A manager's login and password typed at check-in to override a room that is not
    ready. Counted apart from the manager's own sign-in (so an agent's typos never lock the
    manager out) but with the same rule: five wrong passwords lock the override for fifteen
    minutes, and a manager whose sign-in is locked cannot be used either. A refusal is raised
    as `RefusedAndRecorded`: the count and its audit line commit, nothing else does."""
    attempt = claim_attempt(session, login, channel="override")
    outcome = settle_attempt(
        session, attempt, password, check_password(attempt, password), channel="override"
    )
    manager = outcome.actor
    if manager is None or not manager.has("manager") or manager.property_id != property_id:
        audit.record(
            session,
            agent,
            "check_in_override_refused",
            "staff",
            attempt.staff_id,
            note=f"{outcome.reason or 'not a manager'}: login {login.strip()[:100]}",
            property_id=property_id,
        )
        raise RefusedAndRecorded("checkin.error_manager_credentials")
    return manager


def current_actor(session: Session, staff_id: int) -> Actor | None:
    """The actor as the database says now; None when the account was deactivated or removed."""
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        return None
    return actor_for(staff)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def roles_valid(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UserError("staff.error_unknown_roles", roles=", ".join(unknown), count=len(unknown))
    if not roles:
        raise UserError("staff.error_no_role")
    return roles
