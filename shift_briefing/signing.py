"""Read acknowledgements: each front-desk person signs the briefing version they read.

A signature counts for its version only. When the briefing changes, those who signed an older
version are shown what changed since, and sign again. Managers see who has signed what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require
from core.clock import now
from core.errors import UserError
from core.lib import insert_unless_exists
from core.models import Staff
from core.shifts import Roster
from shift_briefing.attention import mark_announcements_read
from shift_briefing.briefing import Briefing, BriefingOutline, ShiftVersion
from shift_briefing.models import BriefingAcknowledgement, BriefingVersion

SIGNERS = ("front_desk",)


def sign_briefing(
    session: Session, who: Who, briefing: Briefing | BriefingOutline, version_read: str
) -> None:
    """Signs `version_read`, which must still be the current version.

    Two people signing the same version at the same moment both succeed; the same person
    twice (a double click, two tabs) is told it is already signed. Both rows are claimed with
    INSERT ... ON CONFLICT DO NOTHING, so the race never ends in a unique-constraint error.
    """
    require(who, *SIGNERS)
    if version_read != briefing.version:
        raise UserError("briefing.error_changed_while_reading")
    keep_version(session, briefing)
    assert who.id is not None
    claimed = insert_unless_exists(
        session,
        BriefingAcknowledgement,
        [
            {
                "property_id": briefing.property_id,
                "staff_id": who.id,
                "briefing_date": briefing.day,
                "shift": briefing.shift,
                "version": briefing.version,
                "signed_at": now(),
            }
        ],
        keys=("staff_id", "briefing_date", "shift", "version"),
    )
    if not claimed:
        raise UserError("briefing.error_already_signed")
    audit.record(
        session,
        who,
        "briefing_signed",
        "briefing_acknowledgement",
        claimed[0],
        after={
            "date": briefing.day.isoformat(),
            "shift": briefing.shift,
            "version": briefing.version,
        },
        property_id=briefing.property_id,
    )
    mark_announcements_read(session, who.id, briefing.property_id, briefing.day, briefing.shift)


def keep_version(session: Session, briefing: Briefing | BriefingOutline) -> None:
    """Stores a version's content once, so a later reader can be told what changed since;
    whoever signs (or archives) it first stores it, the others find it there."""
    insert_unless_exists(
        session,
        BriefingVersion,
        [
            {
                "property_id": briefing.property_id,
                "briefing_date": briefing.day,
                "shift": briefing.shift,
                "version": briefing.version,
                "content": briefing.content,
                "created_at": now(),
            }
        ],
        keys=("property_id", "briefing_date", "shift", "version"),
    )


@dataclass(frozen=True)
class Signature:
    staff_id: int
    name: str
    version: str | None  # the latest version they signed, None if they have not
    signed_at: datetime | None
    current: bool


def last_signature(
    session: Session, staff_id: int, day: date, shift: str
) -> BriefingAcknowledgement | None:
    return session.scalars(
        select(BriefingAcknowledgement)
        .where(
            BriefingAcknowledgement.staff_id == staff_id,
            BriefingAcknowledgement.briefing_date == day,
            BriefingAcknowledgement.shift == shift,
        )
        .order_by(BriefingAcknowledgement.signed_at.desc(), BriefingAcknowledgement.id.desc())
    ).first()


def signatures(
    session: Session, who: Who, briefing: Briefing | BriefingOutline | ShiftVersion
) -> list[Signature]:
    """Every active front-desk person the roster puts on this shift (or who has no roster
    line), with the version they last signed for this shift."""
    require(who, "front_desk", "manager")
    roster = Roster(session, briefing.property_id)
    # Columns, not Staff objects (the dashboard asks on every run).
    people = [
        person
        for person in session.execute(
            select(Staff.id, Staff.name, Staff.roles)
            .where(Staff.property_id == briefing.property_id, Staff.active.is_(True))
            .order_by(Staff.name)
        )
        if "front_desk" in (person.roles or [])
        and roster.works(person.id, briefing.shift, briefing.day)
    ]
    # Everyone's last signature in one query (last_signature's order), not one query each.
    latest: dict[int, Row] = {}
    if people:
        for row in session.execute(
            select(
                BriefingAcknowledgement.staff_id,
                BriefingAcknowledgement.version,
                BriefingAcknowledgement.signed_at,
            )
            .where(
                BriefingAcknowledgement.staff_id.in_([p.id for p in people]),
                BriefingAcknowledgement.briefing_date == briefing.day,
                BriefingAcknowledgement.shift == briefing.shift,
            )
            .order_by(BriefingAcknowledgement.signed_at.desc(), BriefingAcknowledgement.id.desc())
        ):
            latest.setdefault(row.staff_id, row)
    result = []
    for person in people:
        last = latest.get(person.id)
        result.append(
            Signature(
                staff_id=person.id,
                name=person.name,
                version=last.version if last else None,
                signed_at=last.signed_at if last else None,
                current=last is not None and last.version == briefing.version,
            )
        )
    return result


def signed_current(session: Session, briefing: Briefing) -> list[Signature]:
    """Who signed this very version, and when (printed at the end of the briefing)."""
    rows = session.execute(
        select(Staff.id, Staff.name, BriefingAcknowledgement.signed_at)
        .join(Staff, Staff.id == BriefingAcknowledgement.staff_id)
        .where(
            BriefingAcknowledgement.property_id == briefing.property_id,
            BriefingAcknowledgement.briefing_date == briefing.day,
            BriefingAcknowledgement.shift == briefing.shift,
            BriefingAcknowledgement.version == briefing.version,
        )
        .order_by(BriefingAcknowledgement.signed_at)
    )
    return [Signature(i, name, briefing.version, at, True) for i, name, at in rows]


@dataclass(frozen=True)
class Change:
    """One thing that changed since a version: a translation key and its values."""

    key: str
    values: dict[str, Any]


def changes_since(
    session: Session, briefing: Briefing | BriefingOutline, old_version: str
) -> list[Change]:
    old = session.scalar(
        select(BriefingVersion.content).where(
            BriefingVersion.property_id == briefing.property_id,
            BriefingVersion.briefing_date == briefing.day,
            BriefingVersion.shift == briefing.shift,
            BriefingVersion.version == old_version,
        )
    )
    if old is None:
        return [Change("briefing.change_unknown", {})]
    return compare_contents(old, briefing.content)


def compare_contents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for section in ("arrivals", "in_house", "awaited"):
        before = {g["reservation"]: g for g in old.get(section, [])}
        after = {g["reservation"]: g for g in new.get(section, [])}
        for number in after.keys() - before.keys():
            changes.append(Change("briefing.change_new_guest", {"guest": after[number]["guest"]}))
        for number in before.keys() - after.keys():
            changes.append(Change("briefing.change_guest_gone", {"guest": before[number]["guest"]}))
        for number in sorted(before.keys() & after.keys()):
            changes += _guest_changes(before[number], after[number])
    return changes


def _guest_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    guest = new["guest"]
    changes = []
    for field in ("expected", "room", "nights", "adults", "children", "vip", "text"):
        if old.get(field) != new.get(field):
            changes.append(
                Change(
                    f"briefing.change_{field}",
                    {
                        "guest": guest,
                        "before": old.get(field) or "—",
                        "after": new.get(field) or "—",
                    },
                )
            )
    old_wishes = {w["task"]: w for w in old["wishes"]}
    new_wishes = {w["task"]: w for w in new["wishes"]}
    for task in new_wishes.keys() - old_wishes.keys():
        changes.append(
            Change(
                "briefing.change_new_wish",
                {
                    "guest": guest,
                    "code": new_wishes[task]["code"] or "",
                    "kind": new_wishes[task]["kind"],
                },
            )
        )
    for task in old_wishes.keys() - new_wishes.keys():
        changes.append(
            Change(
                "briefing.change_wish_gone",
                {
                    "guest": guest,
                    "code": old_wishes[task]["code"] or "",
                    "kind": old_wishes[task]["kind"],
                },
            )
        )
    for task in sorted(old_wishes.keys() & new_wishes.keys()):
        before, after = old_wishes[task], new_wishes[task]
        if before["status"] != after["status"]:
            changes.append(
                Change(
                    "briefing.change_status",
                    {
                        "guest": guest,
                        "code": after["code"] or "",
                        "kind": after["kind"],
                        "before": before["status"],
                        "after": after["status"],
                    },
                )
            )
        elif (
            before["due"],
            before["quantity"],
            before["time"],
            before["reason"],
            before["detail"],
        ) != (after["due"], after["quantity"], after["time"], after["reason"], after["detail"]):
            changes.append(
                Change(
                    "briefing.change_wish_details",
                    {"guest": guest, "code": after["code"] or "", "kind": after["kind"]},
                )
            )
        if before.get("severity", "normal") != after.get("severity", "normal"):
            changes.append(
                Change(
                    "briefing.change_severity_critical"
                    if after.get("severity") == "critical"
                    else "briefing.change_severity_normal",
                    {"guest": guest, "code": after["code"] or "", "kind": after["kind"]},
                )
            )
    return changes
