"""What a scheduled job says it did, as a translation key and values, not as English text.

A job returns a `JobResult`; the run stores its key and values (and, for the log and the
command line, its English text), and the jobs page renders it in the reader's language. A value
may itself be translated ({"t": key, "v": {...}}), given per language ({"fr": ..., "en": ...}),
or be a list, whose items (values of their own) are joined with ", " ({"join": [...], "sep":
"; "} to join them otherwise). A day or time is stored as core.i18n.when_value, worded when read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.i18n import STAFF_LANGUAGES, format_when, messages, t


@dataclass(frozen=True)
class JobResult:
    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str) -> str:
        return render_result(self.key, self.values, language)

    def __str__(self) -> str:
        return self.text("en")


def said(key: str, /, **values: Any) -> JobResult:
    return JobResult(key, values)


def render_result(key: str, values: dict[str, Any] | None, language: str) -> str:
    return t(key, language, **{name: _value(v, language) for name, v in (values or {}).items()})


def _value(value: Any, language: str) -> Any:
    if (when := format_when(value, language)) is not None:  # core.i18n.when_value
        return when
    if isinstance(value, dict):
        if "join" in value:
            return str(value.get("sep", ", ")).join(str(_value(v, language)) for v in value["join"])
        if "t" in value:
            return render_result(value["t"], value.get("v"), language)
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    if isinstance(value, list):
        return ", ".join(str(_value(v, language)) for v in value)
    return value


def words(key: str, fallback: str) -> dict[str, str]:
    """A value in each language: the key's text where it exists, else the fallback (a count
    name another domain added, say)."""
    return {lang: messages(lang).get(key, fallback) for lang in STAFF_LANGUAGES}
