"""What a task is about, in words: the one label function for boards, jobs and briefings.

`task_label` gives a notification value (translated when read, in the reader's language);
`task_label_text` the same label as text in one language, for pages, PDFs and briefings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.notifications import render_value
from requests.models import CatalogueItem

Labels = Mapping[str, Mapping[str, str]]  # code -> language -> label


def catalogue_labels(session: Session, property_id: int) -> dict[str, dict[str, str]]:
    """Each wish code's label in both languages, for notifications read in either."""
    rows = session.execute(
        select(CatalogueItem.code, CatalogueItem.label_fr, CatalogueItem.label_en).where(
            CatalogueItem.property_id == property_id
        )
    )
    return {code: {"fr": fr, "en": en} for code, fr, en in rows}


def task_label(
    kind: str,
    code: str | None,
    labels: Labels,
    *,
    quantity: int | None = None,
    at_time: str | None = None,
) -> Any:
    """What a task is about, as a value translated when read (requests.labels' one rule)."""
    wish: Any = dict(labels[code]) if code in labels else (code or "")
    if kind == "triage":
        return {"t": "task.kind_triage"}
    if kind == "tell_guest":
        return {"t": "task.kind_tell_guest", "v": {"wish": wish}}
    extra = []
    if quantity and quantity > 1:
        extra.append(f"x{quantity}")
    if at_time:
        extra.append(at_time)
    if not extra:
        return wish
    return {"t": "task.label_with_details", "v": {"wish": wish, "details": " ".join(extra)}}


def task_label_text(
    kind: str,
    code: str | None,
    labels: Labels,
    language: str,
    *,
    quantity: int | None = None,
    at_time: str | None = None,
) -> str:
    """The same label as text in `language`."""
    value = task_label(kind, code, labels, quantity=quantity, at_time=at_time)
    return str(render_value(value, language))
