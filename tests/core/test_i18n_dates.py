"""Dates, times and counts in the reader's language, through Babel (core.i18n)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.i18n import (
    day_pattern,
    format_clock,
    format_day,
    format_moment,
    format_when,
    moment_js,
    moment_pattern,
    plural_text,
    when_value,
)
from core.job_result import render_result
from core.notifications import render

PARIS = ZoneInfo("Europe/Paris")
EVENING = datetime(2026, 8, 1, 21, 30, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("language", "day_month", "short", "moment"),
    [
        ("fr", "01/08", "01/08/2026", "01/08 21:30"),
        ("en", "01/08", "01/08/2026", "01/08, 21:30"),  # British English: day first, 24 h
        ("de", "01.08.", "01.08.26", "01.08., 21:30"),
    ],
)
def test_a_day_and_a_moment_read_as_the_language_writes_them(language, day_month, short, moment):
    assert format_day(EVENING.date(), language, "day_month") == day_month
    assert format_day(EVENING.date(), language) == short
    assert format_moment(EVENING, language) == moment
    assert format_clock(EVENING, language) == "21:30"
    assert format_clock(time(9, 5), language) == "09:05"


def test_the_moment_is_read_as_given_never_converted():
    """The caller converts to the hotel's time: a UTC moment reads as UTC."""
    assert format_moment(datetime(2026, 8, 1, 19, 30, tzinfo=UTC), "fr") == "01/08 19:30"


def test_the_day_sorts_apart_from_how_it_reads():
    """Why tables get dates, not text: as text 01/08 sorts before 31/07."""
    days = [date(2026, 7, 31), date(2026, 8, 1)]
    assert sorted(format_day(d, "fr", "day_month") for d in days) == ["01/08", "31/07"]
    assert [format_day(d, "fr", "day_month") for d in sorted(days)] == ["31/07", "01/08"]


def test_streamlit_columns_get_the_same_pattern_as_momentjs():
    assert moment_js(day_pattern("fr")) == "DD/MM/YYYY"
    assert moment_js(day_pattern("de", "day_month")) == "DD.MM."
    assert moment_js(moment_pattern("en")) == "DD/MM, HH:mm"
    assert moment_js(moment_pattern("fr", "short")) == "DD/MM/YYYY HH:mm"
    assert moment_js("d 'de' MMMM") == "D [de] MMMM"


def test_a_stored_day_or_time_is_worded_when_read():
    """A notification written at night is read the next morning, in each reader's language."""
    stored = {"date": when_value(date(2026, 8, 1)), "due": when_value(EVENING)}
    assert format_when(stored["date"], "de") == "01.08."
    assert format_when(stored["due"], "en") == "01/08, 21:30"
    assert format_when(when_value(time(7, 0)), "fr") == "07:00"
    assert format_when("01/08", "fr") is None  # an older notification's text stays as written
    text = render("notify.sign_briefing", {"shift": {"t": "shift.morning"}, **stored}, "en")
    assert "01/08" in text
    result = render_result(
        "jobs.result_archived_item",
        {"shift": {"t": "shift.morning"}, "date": stored["date"], "version": "abc"},
        "de",
    )
    assert "01.08." in result


def test_a_plural_text_falls_back_to_other_and_a_plain_text_stays():
    forms = {"one": "{count} nuit", "other": "{count} nuits"}
    assert plural_text(forms, "fr", 1) == "{count} nuit"
    assert plural_text(forms, "fr", 5) == "{count} nuits"
    assert plural_text(forms, "fr", None) == "{count} nuits"
    assert plural_text(forms, "fr", "many") == "{count} nuits"  # not a number
    assert plural_text("{count} nights", "en", 1) == "{count} nights"
