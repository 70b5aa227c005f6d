"""The default holiday calendar: mainland China's official days off, from `chinesecalendar`."""

from __future__ import annotations

import datetime
from functools import lru_cache

import chinese_calendar


class ChineseHolidayCalendar:
    """Days off by the State Council's yearly notice: holidays and weekends, minus 调休.

    A weekend day made a working day (调休, e.g. Sunday 2025-09-28) is not a
    holiday; a statutory holiday (2025-10-01) is. For a year the package has no
    data for (it covers 2004 to the year of its release), it falls back to
    weekends only: Saturday and Sunday are days off, nothing else is.
    """

    __slots__ = ()

    def is_holiday(self, day: datetime.date) -> bool:
        return _is_holiday(day)


@lru_cache(maxsize=4096)
def _is_holiday(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_holiday(day))
    except NotImplementedError:  # a year outside the package's data
        return day.isoweekday() >= 6
