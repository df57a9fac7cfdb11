"""Table columns that hold real dates, times, numbers and yes/no, shown in the reader's language.

A table given "01/08" as text sorts it before "31/07"; given the date itself, with the column
told how to show it, it sorts by time and still reads 01/08 (or 01.08. in German). Streamlit
formats dates with momentJS, so the pattern is Babel's (core.i18n) written as momentJS; month
names are avoided, since momentJS would write them in English.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.i18n import DayForm, clock_pattern, day_pattern, moment_js, moment_pattern


def moment_column(
    language: str, timezone: str | None = None, form: DayForm = "day_month", **options: Any
) -> Any:
    """A day and time of day: 01/08 21:30 (fr), 01/08, 21:30 (en); form="short" adds the year."""
    return st.column_config.DatetimeColumn(
        format=moment_js(moment_pattern(language, form)), timezone=timezone, **options
    )


def day_column(language: str, form: DayForm = "short", **options: Any) -> Any:
    """A day: 01/08/2026, or 01/08 with form="day_month"."""
    return st.column_config.DateColumn(format=moment_js(day_pattern(language, form)), **options)


def clock_column(language: str, **options: Any) -> Any:
    """A time of day (a datetime.time): 21:30."""
    return st.column_config.TimeColumn(format=moment_js(clock_pattern(language)), **options)


def number_column(**options: Any) -> Any:
    """A count: right-aligned, sorted as a number."""
    return st.column_config.NumberColumn(format="%d", **options)


def yes_no_column(**options: Any) -> Any:
    """A yes/no as a tick box that sorts (read-only in a dataframe)."""
    return st.column_config.CheckboxColumn(**options)
