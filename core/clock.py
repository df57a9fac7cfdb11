"""The one clock of the app: `now()` is UTC and aware; tests set it instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (aware), or let it run again with None."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes an aware datetime")
    _frozen = moment.astimezone(UTC) if moment is not None else None


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    previous = _frozen
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)


def local_now(timezone: str) -> datetime:
    return now().astimezone(ZoneInfo(timezone))


def today(timezone: str) -> date:
    """The hotel's calendar date, which is not UTC's near midnight."""
    return local_now(timezone).date()


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """A wall-clock time at the property, as the UTC instant it means (DST-aware).

    A time that does not exist (spring forward) is moved forward by the gap; an ambiguous one
    (autumn back) takes its first occurrence, the earlier instant, which is the safe side for a
    deadline.
    """
    # fold=0 (the default) gives both behaviours: zoneinfo reads a time in the gap with the
    # offset from before it, which lands after the gap.
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def to_local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))
