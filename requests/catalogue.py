"""The property's request catalogue: seeded from the defaults, edited by managers, parsed with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import Actor, require
from core.errors import UserError
from core.models import Property
from core.versions import changed, claim_version
from requests.catalogue_defaults import (
    DEFAULT_CATALOGUE,
    DEPARTMENTS,
    TIMINGS,
    WISH_LANGUAGES,
    CatalogueEntry,
    ReadinessItem,
)
from requests.models import CatalogueItem

CHANGED = "catalogue.error_changed"


def seed_catalogue(session: Session, property_id: int) -> None:
    existing = set(
        session.scalars(select(CatalogueItem.code).where(CatalogueItem.property_id == property_id))
    )
    for entry in DEFAULT_CATALOGUE:
        if entry.code not in existing:
            session.add(_item_from_entry(property_id, entry))


def _item_from_entry(property_id: int, entry: CatalogueEntry) -> CatalogueItem:
    return CatalogueItem(
        property_id=property_id,
        code=entry.code,
        label_fr=entry.label_fr,
        label_en=entry.label_en,
        department=entry.department,
        timing=entry.timing,
        lead_minutes=entry.lead_minutes,
        readiness_items=[
            {"key": i.key, "label_fr": i.label_fr, "label_en": i.label_en}
            for i in entry.readiness_items
        ],
        sensitive=entry.sensitive,
        constrains_room=entry.constrains_room,
        keywords={lang: list(words) for lang, words in entry.keywords.items()},
        active=True,
    )


def entry_from_item(item: CatalogueItem) -> CatalogueEntry:
    return CatalogueEntry(
        code=item.code,
        label_fr=item.label_fr,
        label_en=item.label_en,
        department=item.department,
        timing=item.timing,
        lead_minutes=item.lead_minutes,
        readiness_items=tuple(
            ReadinessItem(i["key"], i.get("label_fr", i["key"]), i.get("label_en", i["key"]))
            for i in item.readiness_items
        ),
        sensitive=item.sensitive,
        keywords={lang: tuple(words) for lang, words in (item.keywords or {}).items()},
        constrains_room=item.constrains_room,
    )


def catalogue_items(
    session: Session, property_id: int, *, active_only: bool = True
) -> list[CatalogueItem]:
    query = select(CatalogueItem).where(CatalogueItem.property_id == property_id)
    if active_only:
        query = query.where(CatalogueItem.active.is_(True))
    return list(session.scalars(query.order_by(CatalogueItem.code)))


def catalogue_entries(session: Session, property_id: int) -> tuple[CatalogueEntry, ...]:
    """What the parser reads for this property (the defaults when none is stored)."""
    items = catalogue_items(session, property_id)
    return tuple(entry_from_item(i) for i in items) if items else DEFAULT_CATALOGUE


@dataclass
class CatalogueChange:
    code: str
    label_fr: str
    label_en: str
    department: str
    timing: str
    lead_minutes: int
    sensitive: bool
    constrains_room: bool
    readiness_items: list[dict[str, str]]
    keywords: dict[str, list[str]]
    active: bool = True

    def check(self) -> None:
        if not self.code or not self.code.replace("_", "").isalnum() or not self.code.islower():
            raise UserError("catalogue.error_code")
        if not self.label_fr.strip() or not self.label_en.strip():
            raise UserError("catalogue.error_labels")
        if self.department not in DEPARTMENTS:
            raise UserError("catalogue.error_department")
        if self.timing not in TIMINGS:
            raise UserError("catalogue.error_timing")
        if not 0 <= self.lead_minutes <= 14 * 24 * 60:
            raise UserError("catalogue.error_lead")
        unknown = set(self.keywords) - set(WISH_LANGUAGES)
        if unknown:
            raise UserError(
                "catalogue.error_language",
                languages=", ".join(sorted(unknown)),
                count=len(unknown),
            )


def save_catalogue_item(
    session: Session,
    who: Who,
    property_id: int,
    change: CatalogueChange,
    *,
    version: int | None = None,
) -> CatalogueItem:
    """A manager edits a code, or adds the property's own.

    `version` is the version of the entry the manager loaded, 0 for a new entry (the code must
    still be free), None for the system (as stored).
    """
    require(who, "manager")
    change.check()
    hotel = session.get(Property, property_id)
    timezone = hotel.timezone if hotel else "UTC"
    language = who.language if isinstance(who, Actor) else "en"
    item = session.scalar(
        select(CatalogueItem).where(
            CatalogueItem.property_id == property_id, CatalogueItem.code == change.code
        )
    )
    if item is not None and version == 0:
        raise changed(session, "catalogue_item", item.id, timezone, language, key=CHANGED)
    if item is not None:
        claim_version(
            session,
            CatalogueItem,
            item.id,
            version,
            entity="catalogue_item",
            timezone=timezone,
            language=language,
            key=CHANGED,
        )
    before: dict[str, Any] = audit.snapshot(item) if item else {}
    if item is None:
        item = _new_item(session, property_id, change.code, timezone, language)
    for name in (
        "label_fr",
        "label_en",
        "department",
        "timing",
        "lead_minutes",
        "sensitive",
        "constrains_room",
        "readiness_items",
        "keywords",
        "active",
    ):
        setattr(item, name, getattr(change, name))
    session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(item))
    new.pop("version", None)
    old.pop("version", None)
    if new:
        audit.record(
            session,
            who,
            "catalogue_item_saved",
            "catalogue_item",
            item.id,
            before=old or None,
            after=new,
            property_id=property_id,
        )
    return item


def _new_item(
    session: Session, property_id: int, code: str, timezone: str, language: str
) -> CatalogueItem:
    """Two managers adding the same code at once: the second is told, not shown an error."""
    item = CatalogueItem(
        property_id=property_id,
        code=code,
        label_fr=code,
        label_en=code,
        department=DEPARTMENTS[0],
        timing=TIMINGS[0],
    )
    try:
        with session.begin_nested():
            session.add(item)
            session.flush()
    except IntegrityError:
        other = session.scalar(
            select(CatalogueItem.id).where(
                CatalogueItem.property_id == property_id, CatalogueItem.code == code
            )
        )
        raise changed(session, "catalogue_item", other, timezone, language, key=CHANGED) from None
    return item
