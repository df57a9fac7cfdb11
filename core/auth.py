"""Staff login, roles and the permission check every service makes before it acts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.clock import now
from core.errors import UserError
from core.models import Staff

ROLES = ("reservations", "front_desk", "housekeeping", "manager")
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
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
    """Returned, not raised, so that the failure's count and audit event still commit."""

    actor: Actor | None = None
    failure: str | None = None  # "invalid", "locked" or "inactive": an i18n key suffix


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


def authenticate(session: Session, login: str, password: str) -> LoginOutcome:
    """Checks a login in a write session; failures count towards a 15-minute lock."""
    staff = find_staff_by_login(session, login)
    if staff is None:
        _verify(_DUMMY_HASH, password)  # same cost whether or not the login exists
        stranger = Who(None, login[:200], None)
        audit.record(session, stranger, "login_failed", "staff", note="unknown login")
        return LoginOutcome(failure="invalid")
    who = Who(staff.id, staff.name, staff.property_id)
    if staff.locked_until is not None and staff.locked_until > now():
        audit.record(session, who, "login_failed", "staff", staff.id, note="account locked")
        return LoginOutcome(failure="locked")
    if not _verify(staff.password_hash, password):
        staff.failed_logins += 1
        note = "wrong password"
        if staff.failed_logins >= MAX_FAILED_LOGINS:
            staff.locked_until = now() + timedelta(minutes=LOCK_MINUTES)
            staff.failed_logins = 0
            note = f"wrong password; locked for {LOCK_MINUTES} minutes"
        audit.record(session, who, "login_failed", "staff", staff.id, note=note)
        locked = staff.locked_until is not None and staff.locked_until > now()
        return LoginOutcome(failure="locked" if locked else "invalid")
    if not staff.active:
        audit.record(session, who, "login_failed", "staff", staff.id, note="account deactivated")
        return LoginOutcome(failure="inactive")
    staff.failed_logins = 0
    staff.locked_until = None
    if _hasher.check_needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    audit.record(session, who, "login", "staff", staff.id)
    return LoginOutcome(actor=actor_for(staff))


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
        raise UserError("staff.error_unknown_roles", roles=", ".join(unknown))
    if not roles:
        raise UserError("staff.error_no_role")
    return roles
