"""The business calendar against hand computation (working hours 08:30–12:00, 13:30–17:30:
7.5 h a working day), across a weekend, lunch, the night and the 2026 National Day holiday
with its 调休 working Saturday."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from hotline.orders.config import Duration
from hotline.orders.errors import CalendarError
from tests.orders.support import calendar, local, ts

HOUR = 3600.0


def test_a_working_day_is_the_length_of_its_spans() -> None:
    assert calendar().day_length == 7.5 * HOUR


def test_one_working_day_over_a_weekend() -> None:
    # Fri 16:00 → 17:30 is 1.5 h; Sat, Sun off; Monday 08:30–12:00 3.5 h, then 13:30 + 2.5 h
    assert not chinese_calendar.is_workday(datetime.date(2026, 11, 14))
    assert local(calendar().add_working_days(ts("2026-11-13 16:00"), 1)) == "2026-11-16 16:00"


def test_working_hours_skip_lunch_and_the_night() -> None:
    cal = calendar()
    assert local(cal.add_working_hours(ts("2026-11-16 11:00"), 2)) == "2026-11-16 14:30"
    assert local(cal.add_working_hours(ts("2026-11-16 17:00"), 1)) == "2026-11-17 09:00"
    # starting in the lunch break counts from 13:30
    assert local(cal.add_working_hours(ts("2026-11-16 12:30"), 1)) == "2026-11-16 14:30"


def test_national_day_holiday_and_its_swapped_working_saturday() -> None:
    holiday = [datetime.date(2026, 10, d) for d in range(1, 8)]
    assert not any(chinese_calendar.is_workday(d) for d in holiday)
    assert chinese_calendar.is_workday(datetime.date(2026, 10, 10))  # Saturday, 调休
    assert not chinese_calendar.is_workday(datetime.date(2026, 10, 11))
    cal = calendar()
    start = ts("2026-09-30 15:00")
    # Wed 15:00–17:30 2.5 h; Oct 1–7 off; Thu Oct 8 7.5 h (10); Fri Oct 9 3.5 h (13.5), 13:30 + 1.5
    assert local(cal.add_working_days(start, 2)) == "2026-10-09 15:00"
    # one more working day lands on the swapped working Saturday, not on Monday
    assert local(cal.add_working_days(start, 3)) == "2026-10-10 15:00"
    # from inside the holiday: the clock starts on the first working day
    assert local(cal.add_working_hours(ts("2026-10-03 10:00"), 1)) == "2026-10-08 09:30"


def test_working_time_between_two_instants() -> None:
    cal = calendar()
    # Sep 30 13:30–17:30 4 h + Oct 8 7.5 + Oct 9 7.5 + Oct 10 08:30–12:00 3.5 = 22.5 h
    assert cal.working_seconds(ts("2026-09-30 12:00"), ts("2026-10-10 12:00")) == 22.5 * HOUR
    assert cal.working_seconds(ts("2026-10-02 09:00"), ts("2026-10-06 17:00")) == 0.0
    assert cal.working_seconds(ts("2026-11-16 12:00"), ts("2026-11-16 13:30")) == 0.0
    assert cal.working_seconds(ts("2026-11-16 17:00"), ts("2026-11-16 09:00")) == 0.0


def test_calendar_minutes_run_through_the_night_and_holidays() -> None:
    cal = calendar()
    assert local(cal.add(ts("2026-10-01 23:30"), Duration(minutes=45))) == "2026-10-02 00:15"
    assert local(cal.add(ts("2026-10-01 23:30"), Duration(days=2))) == "2026-10-03 23:30"
    assert cal.add_working_seconds(ts("2026-10-01 10:00"), 0) == ts("2026-10-01 10:00")


def test_negative_working_time_is_refused() -> None:
    with pytest.raises(CalendarError, match="negative"):
        calendar().add_working_seconds(ts("2026-11-16 10:00"), -1)
