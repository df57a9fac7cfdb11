"""The one translation function: every string a person reads goes through `t`.

Dates, times and counts are worded by Babel (CLDR) in the reader's language: `format_day`,
`format_clock`, `format_moment`, and a text whose value is a dict of CLDR plural categories
({"one": "{count} nuit", "other": "{count} nuits"}) is chosen by its `count`.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import DateTimePattern, match_skeleton, parse_pattern

# The staff interface's languages (core/locales); guest-facing text has GUEST_LANGUAGES.
STAFF_LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"
_LOCALES = Path(__file__).parent / "locales"
log = logging.getLogger(__name__)


# The Babel locale of each language a person may read (staff: fr, en; guests: all five).
# English is British English: a European hotel's staff and guests read 01/08 as the 1st of
# August and 21:30 as a time, where US English would say 8/1 and 9:30 PM.
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE", "es": "es_ES", "it": "it_IT"}
PLURAL_COUNT = "count"  # the value that chooses a plural form

Text = str | dict[str, str]  # a plain text, or its forms by CLDR plural category
DayForm = Literal["day_month", "short", "medium", "long", "weekday"]
# How a day reads: "day_month" 01/08 (a day of this stay), "short" 01/08/2026, "medium"
# 1 août 2026, "long" 1 août 2026 (1. August 2026), "weekday" sam. 1 août.
_DAY_SKELETONS = {"day_month": "ddMM", "weekday": "MMMEd"}


@cache
def messages(language: str) -> dict[str, Text]:
    return json.loads((_LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def reader_language(who: object) -> str:
    """The language of whoever a service answers: a signed-in person's own, else French (a
    system actor, a script). Services word a time in it when the message is built there."""
    language = getattr(who, "language", None)
    return language if language in STAFF_LANGUAGES else DEFAULT_LANGUAGE


@cache
def babel_locale(language: str) -> Locale:
    """The Babel locale for one of our languages ('de-CH' reads as German; unknown: French)."""
    code = (language or "").strip().lower()[:2]
    return Locale.parse(BABEL_LOCALES.get(code, BABEL_LOCALES[DEFAULT_LANGUAGE]))


def plural_category(count: int | float | Decimal, language: str) -> str:
    """The CLDR plural category of `count` in `language`: 'one', 'many', 'other'..."""
    return babel_locale(language).plural_form(abs(count))


def plural_text(text: Text, language: str, count: Any) -> str:
    """A plain text as is; of a plural dict, the form `count` needs ('other' if none)."""
    if isinstance(text, str):
        return text
    try:  # a count escaped for markdown (core.ui.tr_md) arrives as text: "3"
        number = Decimal(count) if isinstance(count, str) else count
        category = plural_category(number, language) if number is not None else "other"
    except (TypeError, ValueError, ArithmeticError):
        category = "other"
    return text.get(category) or text.get("other") or next(iter(text.values()), "")


def format_day(day: date | datetime, language: str, form: DayForm = "short") -> str:
    """A day as the reader's language writes it, e.g. 01/08 (fr, en) or 01.08. (de)."""
    if isinstance(day, datetime):
        day = day.date()
    return _compiled(day_pattern(language, form)).apply(day, babel_locale(language))


class Term(str):
    """A value that is itself a translation key ("shift.morning"): a service raising a refusal
    does not know the reader's language, so `t` words it when the refusal is read."""


def worded(value: Any, language: str) -> Any:
    """A `date` (not a moment, whose day depends on the hotel's time) as format_day writes it,
    a `Term` as its translation; any other value as it is."""
    if type(value) is date:
        return format_day(value, language)
    if isinstance(value, Term):
        return t(value, language)
    return value


def format_clock(moment: time | datetime, language: str) -> str:
    """A time of day, 21:30 in all our languages (9:30 PM would be en_US)."""
    if isinstance(moment, datetime):
        moment = moment.timetz().replace(tzinfo=None)
    return _compiled(clock_pattern(language)).apply(moment, babel_locale(language))


@cache
def _compiled(pattern: str) -> DateTimePattern:
    """Babel's parsed pattern, parsed once: a PDF formats hundreds of times."""
    return parse_pattern(pattern)


def format_moment(moment: datetime, language: str, form: DayForm = "day_month") -> str:
    """A day and a time joined as the language joins them: '01/08 21:30', '01/08, 21:30'.

    `moment` is read as given: convert it to the hotel's time first (core.clock.to_local).
    """
    glue = babel_locale(language).datetime_formats["short"]
    return glue.format(format_clock(moment, language), format_day(moment, language, form))


def t(key: str, language: str, /, **values: Any) -> str:
    """The text for `key` in `language`; English, then the key itself, if it is missing.

    `key` and `language` are positional-only, so that a text may have a {language} or {key}
    placeholder of its own. A text with plural forms is chosen by `count`; a day (a `date`
    value) and a `Term` are written in the language, never as ISO or a code in French words.
    """
    language = language if language in STAFF_LANGUAGES else DEFAULT_LANGUAGE
    values = {name: worded(value, language) for name, value in values.items()}
    text = messages(language).get(key)
    if text is None:
        log.error("missing translation %r in %s", key, language)
        text = messages("en").get(key, key)
    text = plural_text(text, language, values.get(PLURAL_COUNT))
    return text.format(**values) if values else text


@cache
def day_pattern(language: str, form: DayForm = "short") -> str:
    """The CLDR pattern `format_day` uses, e.g. 'dd/MM/y' (for tables that format themselves)."""
    locale = babel_locale(language)
    skeleton = _DAY_SKELETONS.get(form)
    if skeleton:
        skeleton = match_skeleton(skeleton, locale.datetime_skeletons) or "yMd"
        return locale.datetime_skeletons[skeleton].pattern
    return locale.date_formats[form].pattern


@cache
def clock_pattern(language: str) -> str:
    """The CLDR pattern `format_clock` uses: 'HH:mm'."""
    return babel_locale(language).time_formats["short"].pattern


@cache
def moment_pattern(language: str, form: DayForm = "day_month") -> str:
    """The CLDR pattern `format_moment` uses, e.g. 'dd/MM HH:mm'."""
    glue = babel_locale(language).datetime_formats["short"]
    return glue.format(clock_pattern(language), day_pattern(language, form))


# CLDR pattern letters as momentJS (Streamlit's date columns) writes them.
_MOMENT_JS = {
    "d": "D", "dd": "DD", "y": "YYYY", "yy": "YY", "yyyy": "YYYY",
    "E": "ddd", "EE": "ddd", "EEE": "ddd", "EEEE": "dddd", "a": "A",
}  # fmt: skip


def moment_js(pattern: str) -> str:
    """A CLDR pattern ('dd/MM/y HH:mm') as momentJS ('DD/MM/YYYY HH:mm'); literals bracketed."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":  # a quoted literal, '' being a quote
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(f"[{pattern[i + 1 : end] or chr(39)}]")
            i = end + 1
            continue
        run = i
        while run < len(pattern) and pattern[run] == char:
            run += 1
        letters = pattern[i:run]
        if char.isalpha():
            out.append(_MOMENT_JS.get(letters, letters))
        else:
            out.append(letters)
        i = run
    return "".join(out)


# A stored text's values (notifications, job results) are worded when read, in the reader's
# language: a day, a moment or a time is stored as one of these dicts, not as words.
_WHEN_KINDS = ("day", "moment", "clock")


def when_value(value: date | datetime | time, form: DayForm = "day_month") -> dict[str, str]:
    """A day, moment (in the hotel's time) or time of day to store, worded by `format_when`."""
    if isinstance(value, datetime):
        return {"moment": value.isoformat(), "form": form}
    if isinstance(value, date):
        return {"day": value.isoformat(), "form": form}
    return {"clock": value.strftime("%H:%M")}


def format_when(value: Any, language: str) -> str | None:
    """The words of a `when_value` dict in `language`; None for any other value."""
    if not isinstance(value, dict) or not any(kind in value for kind in _WHEN_KINDS):
        return None
    form = value.get("form", "day_month")
    try:
        if "moment" in value:
            return format_moment(datetime.fromisoformat(value["moment"]), language, form)
        if "day" in value:
            return format_day(date.fromisoformat(value["day"]), language, form)
        return format_clock(time.fromisoformat(value["clock"]), language)
    except (TypeError, ValueError):
        return str(next(iter(value.values())))
