"""When a wish's task is due, in the property's timezone, stored as UTC.

The arrival moment is the arrival date at the check-in time, or at the guest's ETA when that is
earlier. An ETA before 06:00 means the night after the arrival date (a guest "arriving at 1am"
on the 14th walks in on the 15th), so it never pulls a deadline earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.clock import local_to_utc

NIGHT_ENDS = time(6, 0)


@dataclass(frozen=True)
class StayTimes:
    arrival_date: date
    departure_date: date
    eta: time | None
    check_in: time
    check_out: time
    timezone: str


@dataclass(frozen=True)
class Deadline:
    due_at: datetime  # UTC
    service_date: date


def arrival_moment(stay: StayTimes) -> datetime:
    check_in = local_to_utc(stay.arrival_date, stay.check_in, stay.timezone)
    if stay.eta is None:
        return check_in
    eta_day = stay.arrival_date + timedelta(days=1) if stay.eta < NIGHT_ENDS else stay.arrival_date
    return min(check_in, local_to_utc(eta_day, stay.eta, stay.timezone))


def deadlines(stay: StayTimes, timing: str, lead_minutes: int, at: str | None) -> list[Deadline]:
    """One deadline per task the wish needs: several for a daily wish, one otherwise."""
    lead = timedelta(minutes=lead_minutes)
    arrival = arrival_moment(stay)
    if timing == "before_arrival":
        return [Deadline(arrival - lead, stay.arrival_date)]
    if timing == "at_time" and at:
        wanted = time.fromisoformat(at)
        day = stay.arrival_date
        if local_to_utc(day, wanted, stay.timezone) < arrival:
            day += timedelta(days=1)  # a 06:30 wake-up call is for the first morning
        return [Deadline(local_to_utc(day, wanted, stay.timezone), day)]
    if timing == "daily":
        nights = max((stay.departure_date - stay.arrival_date).days, 1)
        result = [Deadline(arrival - lead, stay.arrival_date)]
        for offset in range(1, nights):
            day = stay.arrival_date + timedelta(days=offset)
            result.append(Deadline(local_to_utc(day, stay.check_in, stay.timezone) - lead, day))
        return result
    if timing == "at_departure":
        moment = local_to_utc(stay.departure_date, stay.check_out, stay.timezone)
        return [Deadline(moment - lead, stay.departure_date)]
    # at_check_in, and a timed wish whose time the guest did not give
    return [Deadline(arrival, stay.arrival_date)]


def not_born_late(
    ideal: Deadline, created: datetime, handling: timedelta, arrival: datetime
) -> tuple[Deadline, bool]:
    """The deadline a task gets when it is created (or its dates change) at `created`.

    A task created after its ideal deadline (a booking made today for today, a late import, an
    edit on the day) is due `handling` after its creation, and never after the guest's arrival
    when the guest has yet to arrive: it is "booked late", not overdue. Returns the deadline
    and whether it was booked late.
    """
    if ideal.due_at >= created:
        return ideal, False
    due = created + handling
    if arrival > created:
        due = min(due, arrival)
    return Deadline(due, ideal.service_date), True
