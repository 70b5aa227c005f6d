"""The business calendar: working days (China's holidays and 调休 from `chinesecalendar`)
and working hours, and deadline arithmetic on them.

Time is epoch seconds (as the engine's clock); days and hours of the day are read in
the calendar's time zone. Working time is the union of the working-hour spans of
every working day. A working day counts as the length of one day's spans (7.5 h for
08:30–12:00 and 13:30–17:30), so "2 working days" from Monday 10:00 ends Wednesday
10:00, and from a Saturday it ends at the close of the second working day after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import lru_cache

import chinese_calendar

from hotline.orders.config import Duration, TimeSpan, Unit
from hotline.orders.errors import CalendarError

MAX_DAYS = 800
"""How far arithmetic searches for working time before it gives up (a calendar with no
working day in sight is a configuration mistake, not a reason to loop forever)."""

CALENDAR_UNITS: frozenset[Unit] = frozenset({"minutes", "days"})


@lru_cache(maxsize=8192)
def china_workday(day: datetime.date) -> bool:
    """Whether mainland China works on `day`: weekdays minus statutory holidays, plus the
    weekend days made working days (调休). For a year the package has no data for, only
    weekends are days off (the package is updated each year after the State Council's
    notice; upgrade it to get the next year's holidays)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.isoweekday() < 6


class BusinessCalendar:
    """Working time: `working_hours` spans on the days `is_workday` says are working days."""

    def __init__(
        self,
        timezone: datetime.tzinfo,
        working_hours: Sequence[TimeSpan],
        is_workday: Callable[[datetime.date], bool] = china_workday,
    ) -> None:
        if not working_hours:
            raise CalendarError("a business calendar needs working hours")
        self.timezone = timezone
        self.working_hours = tuple(working_hours)
        self.is_workday = is_workday
        today = datetime.date(2001, 1, 1)
        self.day_length = sum(
            self._at(today, end) - self._at(today, start) for start, end in self.working_hours
        )

    # -- days and spans ------------------------------------------------------------------

    def local(self, t: float) -> datetime.datetime:
        """`t` as a local date and time."""
        return datetime.datetime.fromtimestamp(t, self.timezone)

    def _at(self, day: datetime.date, moment: datetime.time) -> float:
        if moment == datetime.time.max:  # 24:00
            day, moment = day + datetime.timedelta(days=1), datetime.time(0)
        return datetime.datetime.combine(day, moment, tzinfo=self.timezone).timestamp()

    def spans(self, day: datetime.date) -> list[tuple[float, float]]:
        """The working spans of one local day as epoch seconds (none on a day off)."""
        if not self.is_workday(day):
            return []
        return [(self._at(day, a), self._at(day, b)) for a, b in self.working_hours]

    def is_working_time(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.spans(self.local(t).date()))

    # -- measuring and adding ------------------------------------------------------------

    def working_seconds(self, start: float, end: float) -> float:
        """Working time between two instants (0 when `end` is not after `start`)."""
        if end <= start:
            return 0.0
        total = 0.0
        day = self.local(start).date()
        last = self.local(end).date()
        while day <= last:
            for a, b in self.spans(day):
                total += max(0.0, min(b, end) - max(a, start))
            day += datetime.timedelta(days=1)
        return total

    def add_working_seconds(self, start: float, seconds: float) -> float:
        """The instant when `seconds` of working time have passed since `start`.

        Zero gives `start` itself. Raises `CalendarError` when no working time is found
        within `MAX_DAYS` days.
        """
        if seconds < 0:
            raise CalendarError(f"cannot add negative working time ({seconds} s)")
        if seconds == 0:
            return start
        left = seconds
        day = self.local(start).date()
        for _ in range(MAX_DAYS):
            for a, b in self.spans(day):
                a = max(a, start)
                if b <= a:
                    continue
                if b - a >= left:
                    return a + left
                left -= b - a
            day += datetime.timedelta(days=1)
        raise CalendarError(f"no working time found within {MAX_DAYS} days of {start}")

    def add_working_days(self, start: float, days: float) -> float:
        return self.add_working_seconds(start, days * self.day_length)

    def add_working_hours(self, start: float, hours: float) -> float:
        return self.add_working_seconds(start, hours * 3600.0)

    @staticmethod
    def add_minutes(start: float, minutes: float) -> float:
        """Calendar minutes: the clock runs at night and on holidays too."""
        return start + minutes * 60.0

    # -- in a duration's own unit ----------------------------------------------------------

    def budget(self, duration: Duration) -> float:
        """A duration as seconds of the time it counts (working or calendar)."""
        unit, amount = duration.unit, duration.amount
        if unit == "working_days":
            return amount * self.day_length
        if unit == "working_hours":
            return amount * 3600.0
        if unit == "minutes":
            return amount * 60.0
        return amount * 86400.0

    def measure(self, unit: Unit, start: float, end: float) -> float:
        """Seconds that count for `unit` between two instants."""
        if unit in CALENDAR_UNITS:
            return max(0.0, end - start)
        return self.working_seconds(start, end)

    def advance(self, unit: Unit, start: float, seconds: float) -> float:
        """The instant when `seconds` that count for `unit` have passed since `start`."""
        if unit in CALENDAR_UNITS:
            return start + seconds
        return self.add_working_seconds(start, seconds)

    def add(self, start: float, duration: Duration) -> float:
        """`start` plus a configured duration (e.g. the due time of a deadline)."""
        return self.advance(duration.unit, start, self.budget(duration))
