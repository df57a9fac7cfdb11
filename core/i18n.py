"""The one translation function: every string a person reads goes through `t`."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

# The staff interface's languages (core/locales); guest-facing text has GUEST_LANGUAGES.
STAFF_LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"
_LOCALES = Path(__file__).parent / "locales"
log = logging.getLogger(__name__)


@cache
def messages(language: str) -> dict[str, str]:
    return json.loads((_LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def t(key: str, language: str, /, **values: Any) -> str:
    """The text for `key` in `language`; English, then the key itself, if it is missing.

    `key` and `language` are positional-only, so that a text may have a {language} or {key}
    placeholder of its own.
    """
    language = language if language in STAFF_LANGUAGES else DEFAULT_LANGUAGE
    text = messages(language).get(key)
    if text is None:
        log.error("missing translation %r in %s", key, language)
        text = messages("en").get(key, key)
    return text.format(**values) if values else text
