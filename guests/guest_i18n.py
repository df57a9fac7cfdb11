"""Guest-facing text in the guest's language (fr, en, de, es, it; English otherwise).

Kept apart from core/locales, which hold the staff interface in French and English only.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

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
def _messages(language: str) -> dict[str, str]:
    return json.loads((_FOLDER / f"{language}.json").read_text(encoding="utf-8"))


def guest_language(wanted: str | None) -> str:
    """One of the five languages: 'de-CH' is German, anything unknown is English."""
    code = (wanted or "").strip().lower()[:2]
    return code if code in GUEST_LANGUAGES else FALLBACK


def gt(key: str, language: str, /, **values: Any) -> str:
    text = _messages(guest_language(language)).get(key) or _messages(FALLBACK).get(key, key)
    return text.format(**values) if values else text


def wish_label(code: str, language: str, fallback: str) -> str:
    """The catalogue's own label when the guest texts have none (a hotel's own code)."""
    text = _messages(guest_language(language)).get(f"wish.{code}")
    return text or fallback
