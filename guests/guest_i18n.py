"""Guest-facing text in the guest's language (fr, en, de, es, it; English otherwise).

Kept apart from core/locales, which hold the staff interface in French and English only.
A text may have plural forms ({"one": ..., "other": ...}), chosen by its `count` as in core.i18n.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from core.i18n import PLURAL_COUNT, Text, plural_text

GUEST_LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
}
FALLBACK = "en"
_FOLDER = Path(__file__).parent / "locales_guest"


@cache
def _messages(language: str) -> dict[str, Text]:
    return json.loads((_FOLDER / f"{language}.json").read_text(encoding="utf-8"))


def guest_language(wanted: str | None) -> str:
    """One of the five languages: 'de-CH' is German, anything unknown is English."""
    code = (wanted or "").strip().lower()[:2]
    return code if code in GUEST_LANGUAGES else FALLBACK


def gt(key: str, language: str, /, **values: Any) -> str:
    language = guest_language(language)
    text = _messages(language).get(key) or _messages(FALLBACK).get(key, key)
    text = plural_text(text, language, values.get(PLURAL_COUNT))
    return text.format(**values) if values else text


def wish_label(code: str, language: str, fallback: str) -> str:
    """The catalogue's own label when the guest texts have none (a hotel's own code)."""
    text = _messages(guest_language(language)).get(f"wish.{code}")
    return plural_text(text, language, None) if text else fallback


def wish_promise(code: str, language: str) -> str | None:
    """A catalogue wish's own promise ("we are booking your table"), when the guest texts
    have one; None for the generic promise of its timing."""
    text = _messages(guest_language(language)).get(f"promise_for.{code}")
    return plural_text(text, language, None) if text else None
