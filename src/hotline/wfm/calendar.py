"""Day types for call forecasting: which past days a day's calls resemble.

A forecast learns one profile per *day type* (a `DayType.key`) and predicts a day
from the days of the same type. `ChinaCalendar` types days on China's official
calendar (the ``chinesecalendar`` package):

- an ordinary workday or weekend day: its weekday (``weekday:0`` … ``weekday:6``);
- a 调休 working Saturday or Sunday: a workday, typed like the weekday it stands in
  for. China's 调休 day either follows a rest (a holiday or a Saturday off: the first
  day back, with the backlog a Monday has) or ends a run of workdays right before a
  holiday (the last day before a break, as a Friday is). So: Monday's profile when the
  day before it is a day off, else Friday's;
- a public holiday (法定节假日, weekends inside the holiday period included): ``holiday``;
- the days around Spring Festival, 除夕 − 7 … 正月十五 (whatever the official calendar
  says of them): their own type per day, ``spring_festival-8`` … ``spring_festival+14``
  counted from 正月初一, since the days before the eve, the eve, the first days of the
  year and the return to work each have their own volume.

Special days entered by hand (a heat wave, an outage, a bill run) are `SpecialDay`
factors on top of the type. `WeekdayCalendar` types days by weekday alone (with
optional holidays and closed days), for centres outside China and for tests.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import chinese_calendar

__all__ = [
    "LUNAR_NEW_YEAR",
    "Calendar",
    "ChinaCalendar",
    "DayType",
    "SpecialDay",
    "WeekdayCalendar",
    "special_factor",
]

LUNAR_NEW_YEAR: Mapping[int, datetime.date] = {
    year: datetime.date.fromisoformat(day)
    for year, day in {
        2004: "2004-01-22", 2005: "2005-02-09", 2006: "2006-01-29", 2007: "2007-02-18",
        2008: "2008-02-07", 2009: "2009-01-26", 2010: "2010-02-14", 2011: "2011-02-03",
        2012: "2012-01-23", 2013: "2013-02-10", 2014: "2014-01-31", 2015: "2015-02-19",
        2016: "2016-02-08", 2017: "2017-01-28", 2018: "2018-02-16", 2019: "2019-02-05",
        2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22",
        2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
        2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03", 2031: "2031-01-23",
        2032: "2032-02-11", 2033: "2033-01-31", 2034: "2034-02-19", 2035: "2035-02-08",
    }.items()
}  # fmt: skip
"""正月初一 (the first day of the lunar year) by Gregorian year; the tests check each
one against the Spring Festival holidays of ``chinesecalendar``."""

SPRING_FESTIVAL_FIRST = -8
"""The window starts on 除夕 − 7, eight days before 正月初一."""
SPRING_FESTIVAL_LAST = 14
"""… and ends on 正月十五, fourteen days after 正月初一."""


@dataclass(frozen=True, slots=True)
class DayType:
    """What kind of day a date is, for learning and predicting its calls.

    `key` names the profile (days with equal keys are averaged together); `fallback`
    the profile to use when no past day has `key`; `ordinary` says a weekly-seasonal
    model may learn from and predict the day as its weekday; `closed` that the centre
    takes no calls that day (its forecast is zero, its history is not a gap).
    """

    key: str
    label: str
    ordinary: bool = True
    fallback: str | None = None
    closed: bool = False


class Calendar(Protocol):
    """Gives each date its `DayType`; must be a pure function of the date."""

    def day_type(self, day: datetime.date) -> DayType:
        """The type of `day`."""
        ...


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday(day: datetime.date, *, closed: bool = False) -> DayType:
    wd = day.weekday()
    return DayType(f"weekday:{wd}", _WEEKDAYS[wd], closed=closed)


@dataclass(frozen=True, slots=True)
class WeekdayCalendar:
    """Days typed by weekday; `holidays` (date → name) share the ``holiday`` profile.

    `closed_weekdays` (0 = Monday) and, with `holidays_closed`, the holidays are days
    the centre is closed.
    """

    closed_weekdays: frozenset[int] = frozenset()
    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    holidays_closed: bool = False

    def day_type(self, day: datetime.date) -> DayType:
        name = self.holidays.get(day)
        if name is not None:
            return DayType("holiday", name, False, "weekday:6", self.holidays_closed)
        return _weekday(day, closed=day.weekday() in self.closed_weekdays)


@dataclass(frozen=True, slots=True)
class ChinaCalendar:
    """Days typed on China's official calendar; see the module docstring.

    For a year ``chinesecalendar`` does not know yet (it is updated each November
    when the State Council publishes the next year), days are typed by weekday and
    labelled so; Spring Festival is still known from `LUNAR_NEW_YEAR`.
    """

    spring_festival: bool = True

    def day_type(self, day: datetime.date) -> DayType:
        if self.spring_festival:
            offset = _spring_festival_offset(day)
            if offset is not None:
                return self._spring_festival(day, offset)
        try:
            workday = chinese_calendar.is_workday(day)
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            plain = _weekday(day)
            return DayType(plain.key, f"{plain.label} (calendar of {day.year} unknown)")
        wd = day.weekday()
        if workday and wd >= 5:
            after_rest = not _is_workday(day - datetime.timedelta(days=1))
            like = 0 if after_rest else 4
            return DayType(
                f"weekday:{like}",
                f"调休 workday ({_WEEKDAYS[wd]}, like a {_WEEKDAYS[like]})",
                ordinary=False,
            )
        if not workday and on_holiday and name is not None:
            return DayType("holiday", f"public holiday ({name})", False, "weekday:6")
        return _weekday(day)

    @staticmethod
    def _spring_festival(day: datetime.date, offset: int) -> DayType:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            on_holiday, name = False, None
        fallback = "holiday" if on_holiday and name else f"weekday:{day.weekday()}"
        names = {-1: "除夕", 0: "正月初一", 14: "正月十五"}
        label = names.get(offset, f"Spring Festival {offset:+d} days")
        return DayType(f"spring_festival{offset:+d}", label, False, fallback)


def _is_workday(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def _spring_festival_offset(day: datetime.date) -> int | None:
    """Days from 正月初一 when `day` is in the Spring Festival window, else None."""
    for year in (day.year, day.year + 1):
        new_year = LUNAR_NEW_YEAR.get(year)
        if new_year is None:
            continue
        offset = (day - new_year).days
        if SPRING_FESTIVAL_FIRST <= offset <= SPRING_FESTIVAL_LAST:
            return offset
    return None


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """A factor on the calls of `first` … `last` (inclusive): 1.4 for a heat wave's +40 %,
    0.5 for a day the lines were half down. `queue` None: every queue.

    Past special days are divided out of the history before it is learned from; future
    ones multiply the forecast.
    """

    first: datetime.date
    last: datetime.date
    factor: float
    label: str = ""
    queue: str | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"special day {self.label!r}: last {self.last} before {self.first}")
        if not math.isfinite(self.factor) or self.factor <= 0:
            raise ValueError(f"special day {self.label!r}: factor must be > 0, got {self.factor}")


def special_factor(specials: Iterable[SpecialDay], queue: str, day: datetime.date) -> float:
    """The product of the factors of every special day covering `day` for `queue` (1.0: none)."""
    factor = 1.0
    for special in specials:
        if special.first <= day <= special.last and special.queue in (None, queue):
            factor *= special.factor
    return factor
