"""Day types on China's calendar (调休, holidays, Spring Festival) and special days."""

from __future__ import annotations

import datetime
import itertools

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.wfm.calendar import (
    LUNAR_NEW_YEAR,
    ChinaCalendar,
    SpecialDay,
    WeekdayCalendar,
    special_factor,
)

D = datetime.date.fromisoformat
CHINA = ChinaCalendar()


def test_lunar_new_year_table_agrees_with_the_official_spring_festival_holidays():
    spring = sorted(d for d, name in chinese_calendar.holidays.items() if name == "Spring Festival")
    periods = {
        year: list(days)
        for year, days in itertools.groupby(spring, key=lambda d: d.year + (d.month > 6))
    }
    for year in range(2004, 2027):
        first = LUNAR_NEW_YEAR[year]
        # 初一 and 初二 are statutory holidays every year
        assert first in periods[year]
        assert first + datetime.timedelta(days=1) in periods[year]


@pytest.mark.parametrize(
    ("day", "key", "ordinary"),
    [
        ("2024-03-05", "weekday:1", True),  # a Tuesday
        ("2024-03-09", "weekday:5", True),  # a Saturday off
        ("2024-10-01", "holiday", False),  # National Day
        ("2024-10-05", "holiday", False),  # a Saturday inside the holiday
        ("2024-04-07", "weekday:0", False),  # 调休 Sunday right after Qingming: a Monday
        ("2024-09-29", "weekday:0", False),  # 调休 Sunday after a Saturday off: a Monday
        ("2024-10-12", "weekday:4", False),  # 调休 Saturday after a Friday at work: a Friday
        ("2024-05-11", "weekday:4", False),  # the same after Labour Day
        ("2024-02-01", "weekday:3", True),  # 除夕 − 8: before the window
        ("2024-02-02", "spring_festival-8", False),  # 除夕 − 7
        ("2024-02-09", "spring_festival-1", False),  # 除夕 (a workday in 2024)
        ("2024-02-10", "spring_festival+0", False),  # 正月初一
        ("2024-02-24", "spring_festival+14", False),  # 正月十五
        ("2024-02-25", "weekday:6", True),
    ],
)
def test_china_day_types(day, key, ordinary):
    kind = CHINA.day_type(D(day))
    assert (kind.key, kind.ordinary, kind.closed) == (key, ordinary, False)


def test_spring_festival_days_fall_back_to_their_official_status():
    assert CHINA.day_type(D("2024-02-10")).fallback == "holiday"  # 初一: a holiday
    assert CHINA.day_type(D("2024-02-09")).fallback == "weekday:4"  # 除夕 2024: a workday
    assert CHINA.day_type(D("2024-02-24")).fallback == "weekday:5"  # 十五: a Saturday off
    assert CHINA.day_type(D("2024-02-10")).label == "正月初一"


def test_a_year_the_package_does_not_know_is_typed_by_weekday_and_says_so():
    kind = CHINA.day_type(D("2027-03-02"))
    assert (kind.key, kind.ordinary) == ("weekday:1", True)
    assert "2027 unknown" in kind.label
    assert CHINA.day_type(D("2027-02-06")).key == "spring_festival+0"  # still known


def test_weekday_calendar_with_closed_days_and_holidays():
    cal = WeekdayCalendar(frozenset({5, 6}), {D("2003-07-04"): "Independence Day"}, True)
    assert cal.day_type(D("2003-07-05")).closed
    assert not cal.day_type(D("2003-07-03")).closed
    holiday = cal.day_type(D("2003-07-04"))
    assert (holiday.key, holiday.closed, holiday.label) == ("holiday", True, "Independence Day")


@given(st.dates(min_value=D("2004-01-01"), max_value=D("2026-12-31")))
def test_every_type_agrees_with_the_official_workday(day):
    kind = CHINA.day_type(day)
    workday = chinese_calendar.is_workday(day)
    if kind.key == "holiday":
        assert not workday
    elif kind.key.startswith("weekday:") and not kind.ordinary:  # 调休
        assert workday
        assert day.weekday() >= 5
        assert kind.key in ("weekday:0", "weekday:4")
    elif kind.key.startswith("weekday:"):
        assert kind.key == f"weekday:{day.weekday()}"
        assert workday == (day.weekday() < 5)


def test_special_factors_multiply_and_can_be_per_queue():
    heat = SpecialDay(D("2024-07-10"), D("2024-07-12"), 1.5, "heat wave")
    bill = SpecialDay(D("2024-07-12"), D("2024-07-12"), 2.0, "bill run", queue="billing")
    specials = [heat, bill]
    assert special_factor(specials, "billing", D("2024-07-12")) == 3.0
    assert special_factor(specials, "repair", D("2024-07-12")) == 1.5
    assert special_factor(specials, "billing", D("2024-07-13")) == 1.0
    with pytest.raises(ValueError, match="factor must be > 0"):
        SpecialDay(D("2024-07-10"), D("2024-07-10"), 0.0)
    with pytest.raises(ValueError, match="before"):
        SpecialDay(D("2024-07-10"), D("2024-07-09"), 1.2)
