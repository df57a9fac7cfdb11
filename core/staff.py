"""Managing staff accounts: a manager's job, audited like every other change."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import (
    Actor,
    PermissionDenied,
    check_password_rules,
    find_staff_by_login,
    hash_password,
    require,
    roles_valid,
)
from core.errors import UserError
from core.i18n import STAFF_LANGUAGES
from core.models import Property, Staff
from core.versions import claim_version


def list_staff(session: Session, actor: Who) -> list[Staff]:
    require(actor, "manager")
    query = select(Staff).where(Staff.property_id == actor.property_id)
    return list(session.scalars(query.order_by(Staff.active.desc(), Staff.name)))


def create_staff(
    session: Session,
    actor: Who,
    *,
    name: str,
    login: str,
    password: str,
    roles: Iterable[str],
    department: str | None = None,
    language: str = "fr",
    property_id: int | None = None,
) -> Staff:
    require(actor, "manager")
    if isinstance(actor, Actor) and property_id not in (None, actor.property_id):
        raise PermissionDenied(f"{actor.login} manages hotel {actor.property_id} only")
    name, login = name.strip(), login.strip().lower()
    if not name or not login:
        raise UserError("staff.error_name_login_required")
    if find_staff_by_login(session, login) is not None:
        raise UserError("staff.error_login_taken", login=login)
    check_password_rules(password)
    staff = Staff(
        property_id=property_id if property_id is not None else actor.property_id,
        name=name,
        login=login,
        roles=roles_valid(roles),
        department=department or None,
        language=language if language in STAFF_LANGUAGES else "fr",
        password_hash=hash_password(password),
        active=True,
    )
    try:
        with session.begin_nested():  # two managers adding the same login at the same moment
            session.add(staff)
            session.flush()
    except IntegrityError:
        raise UserError("staff.error_login_taken", login=login) from None
    audit.record(session, actor, "staff_created", "staff", staff.id, after=audit.snapshot(staff))
    return staff


def _managed(session: Session, actor: Who, staff_id: int, version: int | None) -> Staff:
    """The person to change, at the version the manager loaded (None: as stored)."""
    require(actor, "manager")
    staff = session.get(Staff, staff_id)
    if staff is None or staff.property_id != actor.property_id:
        raise UserError("staff.error_not_found")
    hotel = session.get(Property, staff.property_id)
    claim_version(
        session,
        Staff,
        staff_id,
        version,
        entity="staff",
        timezone=hotel.timezone if hotel else "UTC",
        language=actor.language if isinstance(actor, Actor) else "en",
        key="staff.error_changed",
    )
    return staff


def set_roles(
    session: Session,
    actor: Who,
    staff_id: int,
    roles: Iterable[str],
    *,
    version: int | None = None,
) -> Staff:
    staff = _managed(session, actor, staff_id, version)
    before = {"roles": list(staff.roles)}
    staff.roles = roles_valid(roles)
    audit.record(
        session,
        actor,
        "staff_roles_set",
        "staff",
        staff.id,
        before=before,
        after={"roles": list(staff.roles)},
    )
    return staff


def reset_password(
    session: Session, actor: Who, staff_id: int, new_password: str, *, version: int | None = None
) -> Staff:
    check_password_rules(new_password)
    staff = _managed(session, actor, staff_id, version)
    staff.password_hash = hash_password(new_password)
    staff.failed_logins = 0
    staff.locked_until = None
    staff.override_failures = 0
    staff.override_locked_until = None
    audit.record(session, actor, "staff_password_reset", "staff", staff.id)
    return staff


def set_active(
    session: Session, actor: Who, staff_id: int, active: bool, *, version: int | None = None
) -> Staff:
    if isinstance(actor, Actor) and staff_id == actor.id and not active:
        raise UserError("staff.error_deactivate_self")
    staff = _managed(session, actor, staff_id, version)
    before = {"active": staff.active}
    staff.active = active
    action = "staff_activated" if active else "staff_deactivated"
    audit.record(session, actor, action, "staff", staff.id, before=before, after={"active": active})
    return staff


def set_language(session: Session, actor: Actor, language: str) -> None:
    """Anyone may choose their own language; it is remembered for their next login."""
    if language not in STAFF_LANGUAGES:
        raise UserError("error.unknown_language", language=language)
    staff = session.get(Staff, actor.id)
    if staff is None or staff.language == language:
        return
    before = {"language": staff.language}
    staff.language = language
    audit.record(
        session,
        actor,
        "staff_language_set",
        "staff",
        staff.id,
        before=before,
        after={"language": language},
    )
