"""Every string a person reads goes through core.i18n.t, and exists in French and in English."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from core import audit_text
from core.auth import ROLES
from core.db import Base
from core.i18n import STAFF_LANGUAGES, messages, plural_category, t
from core.session_guard import IDLE, INACTIVE, NOT_ALLOWED, SIGNED_OUT
from core.settings import ROOT
from core.shifts import DEFAULT_SHIFTS, WEEKDAYS
from core.versions import FIELD_LABELS
from guests.models import HOUSEKEEPING_STATUSES
from guests.reservations import FORM_FIELDS
from requests.catalogue_defaults import DEPARTMENTS, TIMINGS
from requests.guest_outbox import MESSAGE_KINDS, NOT_EMAILED
from requests.models import ASSIGNMENT_RULES, TASK_STATUSES
from requests.ui import MINE
from shift_briefing.board import ROOM_STATES, STAY_FACTS

LOCALES = ROOT / "core" / "locales"
TRANSLATING_CALLS = {"t", "tr", "tr_md", "UserError"}
FIELDS = re.compile(r"\{(\w+)\}")
KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")
LOGIN_FAILURES = ("invalid", "limited")
SHIFT_NAMES = tuple(name for name, _, _ in DEFAULT_SHIFTS)
BOARD_MARKS = (*ROOM_STATES, *STAY_FACTS, "ready", "not_ready")

# Keys built at run time, f"prefix{value}": every value each family can take.
DYNAMIC_KEYS = {
    "role.": ROLES,
    "department.": DEPARTMENTS,
    "status.": TASK_STATUSES,
    "login.failed_": LOGIN_FAILURES,
    "session.refused_": (IDLE, INACTIVE, SIGNED_OUT, NOT_ALLOWED),
    "field.": FIELD_LABELS,
    "tasks.to_": TASK_STATUSES,
    "tasks.board_": ("all", MINE),
    "timing.": TIMINGS,
    "shift.": SHIFT_NAMES,
    "pdf.shift_": SHIFT_NAMES,
    # These two mirror tuples written inside the functions that build the keys.
    "pdf.col_": ("time", "guest", "room", "stay", "wishes", "arrives", "items", "state"),
    "board.": BOARD_MARKS,
    "board.help_": BOARD_MARKS,
    "room_status.": HOUSEKEEPING_STATUSES,
    "briefing.change_": ("expected", "room", "nights", "adults", "children", "vip", "text"),
    "reservation.field_": FORM_FIELDS,
    "assignment_rule.": ASSIGNMENT_RULES,
    "weekday.": tuple(str(day) for day in WEEKDAYS),
    # The audit log in words (core/audit_text.py); an action or field not listed falls back.
    "audit.line_": audit_text.ACTIONS,
    "audit.action_": audit_text.ACTIONS,
    "audit.actor_": audit_text.SYSTEM_NAMES,
    "audit.entity_": audit_text.ENTITIES,
    "audit.field_": audit_text.FIELDS,
    "audit.room_state_": audit_text.ROOM_STATES,
    # What the retention purge counts (guests/jobs.py); a count another domain adds falls back.
    "jobs.erased_": (
        "reservations",
        "sensitive_wishes",
        "wishes",
        "task_reasons",
        "briefing_versions",
        "briefing_pdfs",
        "guest_verdict_comments",
        "guest_corrections",
        "guest_messages",
    ),
    "jobs.result_guest_confirmations_": ("sent", "outbox", "not_yet"),
    "guest_ui.kind_": MESSAGE_KINDS,
    "guest_ui.status_": NOT_EMAILED,
}


def _source_files() -> list[Path]:
    """The app's code: what people read comes from here (not tests, migrations, benchmarks)."""
    skip = {".venv", "tests", "data", ".git", "migrations", "benchmarks"}
    return sorted(p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts))


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _names_something_else(text: str) -> bool:
    """'requests.tasks' names a module and 'staff.id' a column, not a translation."""
    first, _, rest = text.partition(".")
    table = Base.metadata.tables.get(first)
    if table is not None and rest in table.c:
        return True
    target = ROOT.joinpath(*text.split("."))
    return target.with_suffix(".py").exists() or target.is_dir()


@cache
def _keys_in_source() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Literal keys and f-string prefixes given to the translating calls, with where they are.

    Literals that look like keys of a known namespace count too, wherever they are: a page
    title key handed to a helper that translates it later (streamlit_app.py) must exist.
    """
    namespaces = {key.split(".")[0] for key in messages("en")}
    literal: dict[str, list[str]] = {}
    dynamic: dict[str, list[str]] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        f_string_parts = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and _call_name(node) in TRANSLATING_CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    literal.setdefault(first.value, []).append(where)
                elif isinstance(first, ast.JoinedStr):
                    dynamic.setdefault(_prefix(first), []).append(where)
            elif (isinstance(node, ast.Call) and _call_name(node) == "translator" and node.args
                  and isinstance(node.args[0], ast.Constant)):
                # translator("shift.") formats widget options as t("shift." + option)
                dynamic.setdefault(node.args[0].value, []).append(where)
                for keyword in node.keywords:
                    if keyword.arg == "empty" and isinstance(keyword.value, ast.Constant):
                        literal.setdefault(keyword.value.value, []).append(where)
            elif isinstance(node, ast.JoinedStr) and _prefix(node).split(".")[0] in namespaces:
                if "." in _prefix(node):  # f"briefing.change_{field}" handed on to be translated
                    dynamic.setdefault(_prefix(node), []).append(where)
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in f_string_parts and KEY.match(node.value)
                  and node.value.split(".")[0] in namespaces
                  and not _names_something_else(node.value)):
                literal.setdefault(node.value, []).append(where)
    return literal, dynamic


def _prefix(f_string: ast.JoinedStr) -> str:
    head = f_string.values[0] if f_string.values else None
    return head.value if isinstance(head, ast.Constant) else ""


def _raw(language: str) -> dict[str, Any]:
    return json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def _forms(text: Any) -> list[str]:
    """A text's forms: itself, or each of its plural forms."""
    return [f.strip() for f in (text.values() if isinstance(text, dict) else [text])]


def _placeholders(text: Any) -> set[str]:
    return {name for form in _forms(text) for name in FIELDS.findall(form)}


def plural_categories(language: str) -> set[str]:
    """The CLDR categories a count of things a hotel has (0 to 10,000) takes in `language`."""
    return {plural_category(n, language) for n in range(10_001)} | {"other"}


def plural_problems(texts: dict[str, Any], language: str) -> dict[str, str]:
    needed = plural_categories(language)
    problems = {}
    for key, text in texts.items():
        if not isinstance(text, dict):
            continue
        missing, extra = sorted(needed - set(text)), sorted(set(text) - needed)
        if missing or extra:
            problems[key] = f"missing {missing}" if missing else f"not needed {extra}"
        elif not all(isinstance(form, str) for form in text.values()):
            problems[key] = "a form is not a text"
    return problems


def test_french_and_english_have_the_same_keys():
    french, english = set(_raw("fr")), set(_raw("en"))
    assert sorted(english - french) == [], "missing in fr.json"
    assert sorted(french - english) == [], "missing in en.json"


@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
def test_no_translation_is_empty(language):
    empty = [key for key, text in _raw(language).items() if not all(_forms(text))]
    assert empty == []


@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
def test_placeholders_are_the_same_in_both_languages(language):
    english = _raw("en")
    different = [
        key for key, text in _raw(language).items()
        if _placeholders(text) != _placeholders(english.get(key, ""))
    ]
    assert different == []


@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
def test_plural_texts_have_the_forms_the_language_needs(language):
    """A text with plural forms has each CLDR category a count can take in its language
    ("one" and "other" in French and English), and none it cannot."""
    wrong = plural_problems(_raw(language), language)
    assert wrong == {}


def test_the_plural_check_finds_a_missing_form():
    """Guards the guard: a French text without its 'other' form, or with a 'few', is caught."""
    assert plural_problems({"x.nights": {"one": "{count} nuit"}}, "fr") == {
        "x.nights": "missing ['other']"
    }
    assert "x.nights" in plural_problems(
        {"x.nights": {"one": "{count} nuit", "few": "-", "other": "{count} nuits"}}, "fr"
    )


def test_a_plural_text_is_chosen_by_its_count():
    assert t("arrivals.nights", "fr", count=1) == "1 nuit"
    assert t("arrivals.nights", "fr", count=0) == "0 nuit"  # French: 0 is singular
    assert t("arrivals.nights", "en", count=0) == "0 nights"
    assert t("arrivals.nights", "en", count=2) == "2 nights"
    assert t("arrivals.nights", "en", count="1") == "1 night"  # escaped for markdown


@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
def test_every_key_the_code_uses_exists(language):
    literal, _ = _keys_in_source()
    known = _raw(language)
    missing = {key: where for key, where in literal.items() if key not in known}
    assert missing == {}


def test_every_key_built_at_run_time_is_checked():
    """A new f"prefix.{x}" key family must be added to DYNAMIC_KEYS with its values."""
    _, dynamic = _keys_in_source()
    unchecked = {prefix: where for prefix, where in dynamic.items()
                 if prefix not in DYNAMIC_KEYS}
    assert unchecked == {}


@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
@pytest.mark.parametrize("prefix", list(DYNAMIC_KEYS))
def test_every_key_built_at_run_time_exists(language, prefix):
    known = _raw(language)
    missing = [prefix + value for value in DYNAMIC_KEYS[prefix] if prefix + value not in known]
    assert missing == []


def test_the_source_scan_sees_the_keys_it_should():
    """Guards the guard: the scan really finds keys in the code."""
    literal, dynamic = _keys_in_source()
    assert "login.submit" in literal
    assert "nav.arrivals" in literal  # passed to a helper in streamlit_app.py
    assert "staff.error_password_short" in literal  # a UserError
    assert {"role.", "login.failed_"} <= set(dynamic)


def test_t_fills_in_values_and_falls_back_to_english_then_to_the_key():
    assert t("staff.added", "en", name="Nadia") == "Nadia was added."
    assert t("staff.added", "de", name="Nadia") == t("staff.added", "fr", name="Nadia")
    assert t("no.such_key", "fr") == "no.such_key"


def test_a_text_may_have_a_language_placeholder():
    """error.unknown_language says which language: t's own parameters must not get in the way."""
    assert t("error.unknown_language", "en", language="de") == "Unknown language: de."
