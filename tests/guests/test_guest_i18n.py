"""Guest-facing texts exist in the five languages, with their plural forms and dates in words."""

from __future__ import annotations

import json
import re
from datetime import date, time
from typing import Any

import pytest

from core.i18n import plural_category
from core.settings import ROOT
from guests.guest_i18n import GUEST_LANGUAGES, gt

FOLDER = ROOT / "guests" / "locales_guest"
TEMPLATES = ROOT / "requests" / "guest_templates"
FIELDS = re.compile(r"\{(\w+)\}")
# The guest texts the code asks for: t('key') in the templates, gt("key") / GuestRefusal("key")
# and page errors in the code.
USED = re.compile(
    r"""(?:\bt|\bgt|GuestRefusal|page\.error)\(?\s*=?\s*\(?['"]([a-z_]+\.[a-z_]+)['"]"""
)
CODE = ("requests/guest_page.py", "requests/guest_outbox.py", "requests/guest_view.py",
        "requests/guest_corrections.py", "requests/verdicts.py")


def _raw(language: str) -> dict[str, Any]:
    return json.loads((FOLDER / f"{language}.json").read_text(encoding="utf-8"))


def _forms(text: Any) -> list[str]:
    return list(text.values()) if isinstance(text, dict) else [text]


def _placeholders(text: Any) -> set[str]:
    return {name for form in _forms(text) for name in FIELDS.findall(form)}


def _used_keys() -> set[str]:
    sources = [p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.html")]
    sources += [(ROOT / p).read_text(encoding="utf-8") for p in CODE]  # a renamed file fails
    return {key for source in sources for key in USED.findall(source)}


@pytest.mark.parametrize("language", list(GUEST_LANGUAGES))
def test_each_language_has_the_same_keys_as_english(language):
    english, other = set(_raw("en")), set(_raw(language))
    assert sorted(english - other) == [], f"missing in {language}.json"
    assert sorted(other - english) == [], f"not in en.json but in {language}.json"


@pytest.mark.parametrize("language", list(GUEST_LANGUAGES))
def test_every_key_the_guest_page_and_mails_use_exists(language):
    used = _used_keys()
    assert {"page.dates", "mail.confirmation_intro", "form.bad_time"} <= used  # the scan works
    assert sorted(used - set(_raw(language))) == []


@pytest.mark.parametrize("language", list(GUEST_LANGUAGES))
def test_texts_are_not_empty_and_have_the_english_placeholders(language):
    english = _raw("en")
    texts = _raw(language)
    assert [k for k, v in texts.items() if not all(f.strip() for f in _forms(v))] == []
    assert [k for k, v in texts.items() if _placeholders(v) != _placeholders(english[k])] == []


@pytest.mark.parametrize("language", list(GUEST_LANGUAGES))
def test_plural_texts_have_the_forms_the_language_needs(language):
    needed = {plural_category(n, language) for n in range(10_001)} | {"other"}
    wrong = {
        key: sorted(set(text) ^ needed)
        for key, text in _raw(language).items()
        if isinstance(text, dict) and set(text) != needed
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("language", "one", "four"),
    [
        ("fr", "(1 nuit)", "(4 nuits)"),
        ("en", "(1 night)", "(4 nights)"),
        ("de", "(1 Nacht)", "(4 Nächte)"),
        ("es", "(1 noche)", "(4 noches)"),
        ("it", "(1 notte)", "(4 notti)"),
    ],
)
def test_one_night_is_singular_in_every_language(language, one, four):
    assert gt("page.dates", language, arrival="a", departure="b", count=1).endswith(one)
    assert gt("page.dates", language, arrival="a", departure="b", count=4).endswith(four)


def test_the_guest_page_says_dates_and_times_in_the_guests_language():
    from core.i18n import format_clock, format_day

    day = date(2026, 8, 1)
    assert format_day(day, "fr", "long") == "1 août 2026"
    assert format_day(day, "en", "long") == "1 August 2026"
    assert format_day(day, "de", "long") == "1. August 2026"
    assert format_day(day, "es", "long") == "1 de agosto de 2026"
    assert format_day(day, "it", "long") == "1 agosto 2026"
    assert {format_clock(time(21, 30), lang) for lang in GUEST_LANGUAGES} == {"21:30"}


def test_the_confirmation_state_hashes_the_dates_as_before_so_nothing_is_resent():
    """Confirmations already sent stored GuestView.state over the old wording of the dates
    ("14/07/2026", "14 Jul 2026", "14.07.2026"): a new wording must not change the hash."""
    import hashlib

    from requests.guest_view import GuestView

    old_words = {"fr": ("14/07/2026", "17/07/2026"), "en": ("14 Jul 2026", "17 Jul 2026"),
                 "de": ("14.07.2026", "17.07.2026")}
    for language, (arrival, departure) in old_words.items():
        view = GuestView(
            reservation_id=1, hotel="H", first_name="Anna", language=language,
            arrival=format_day_long(date(2026, 7, 14), language),
            departure=format_day_long(date(2026, 7, 17), language), nights=3, eta="21:30",
            check_in="15:00", status="booked", wishes=(),
            stay=(date(2026, 7, 14), date(2026, 7, 17), time(21, 30)),
        )
        before = json.dumps([arrival, departure, "21:30", []])
        assert view.state() == hashlib.sha256(before.encode()).hexdigest()[:32]


def format_day_long(day: date, language: str) -> str:
    from core.i18n import format_day

    return format_day(day, language, "long")
