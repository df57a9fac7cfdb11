"""Deadlines are computed in the hotel's timezone, including on the days clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from requests.deadlines import StayTimes, arrival_moment, deadlines


def paris_stay(arrival: date, nights: int = 2, eta: time | None = None) -> StayTimes:
    departure = date.fromordinal(arrival.toordinal() + nights)
    return StayTimes(arrival, departure, eta, time(15, 0), time(11, 0), "Europe/Paris")


def test_cot_task_is_due_two_hours_before_check_in_in_paris_summer_time():
    [deadline] = deadlines(paris_stay(date(2026, 7, 14)), "before_arrival", 120, None)
    assert deadline.due_at == datetime(2026, 7, 14, 11, 0, tzinfo=UTC)  # 13:00 CEST


def test_cot_task_is_due_two_hours_before_an_eta_earlier_than_check_in():
    stay = paris_stay(date(2026, 1, 10), eta=time(12, 30))
    [deadline] = deadlines(stay, "before_arrival", 120, None)
    assert deadline.due_at == datetime(2026, 1, 10, 9, 30, tzinfo=UTC)  # 10:30 CET


def test_a_late_eta_does_not_push_the_deadline_past_check_in():
    stay = paris_stay(date(2026, 1, 10), eta=time(23, 0))
    assert arrival_moment(stay) == datetime(2026, 1, 10, 14, 0, tzinfo=UTC)


def test_an_eta_after_midnight_is_the_night_after_and_keeps_check_in():
    stay = paris_stay(date(2026, 1, 10), eta=time(1, 0))
    assert arrival_moment(stay) == datetime(2026, 1, 10, 14, 0, tzinfo=UTC)


def test_deadline_on_the_spring_forward_day_uses_summer_time():
    # 29 March 2026: Paris goes from 02:00 CET to 03:00 CEST.
    [deadline] = deadlines(paris_stay(date(2026, 3, 29)), "before_arrival", 60, None)
    assert deadline.due_at == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)  # 14:00 CEST


def test_deadline_on_the_fall_back_day_uses_winter_time():
    # 25 October 2026: Paris goes from 03:00 CEST back to 02:00 CET.
    [deadline] = deadlines(paris_stay(date(2026, 10, 25)), "before_arrival", 60, None)
    assert deadline.due_at == datetime(2026, 10, 25, 13, 0, tzinfo=UTC)  # 14:00 CET


def test_wake_up_call_in_the_spring_gap_rings_after_the_gap_not_before():
    stay = paris_stay(date(2026, 3, 28))
    [deadline] = deadlines(stay, "at_time", 0, "02:30")
    # 02:30 does not exist on 29 March in Paris; the call is due at 03:30 CEST = 01:30 UTC.
    assert deadline.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert deadline.service_date == date(2026, 3, 29)


def test_wake_up_call_at_six_thirty_is_for_the_first_morning():
    [deadline] = deadlines(paris_stay(date(2026, 5, 4)), "at_time", 0, "06:30")
    assert deadline.due_at == datetime(2026, 5, 5, 4, 30, tzinfo=UTC)


def test_dinner_table_at_eight_pm_is_on_the_arrival_day():
    [deadline] = deadlines(paris_stay(date(2026, 5, 4)), "at_time", 0, "20:00")
    assert deadline.due_at == datetime(2026, 5, 4, 18, 0, tzinfo=UTC)


def test_daily_wish_gives_one_task_per_night():
    result = deadlines(paris_stay(date(2026, 5, 4), nights=3), "daily", 0, None)
    assert [d.service_date for d in result] == [
        date(2026, 5, 4),
        date(2026, 5, 5),
        date(2026, 5, 6),
    ]


def test_departure_wish_is_due_before_check_out():
    [deadline] = deadlines(paris_stay(date(2026, 5, 4), nights=2), "at_departure", 30, None)
    assert deadline.due_at == datetime(2026, 5, 6, 8, 30, tzinfo=UTC)  # 10:30 CEST
