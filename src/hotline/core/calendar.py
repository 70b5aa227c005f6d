"""The business calendar: working days on China's calendar (holidays and 调休 from
`chinesecalendar`), working hours, named windows of local time, and arithmetic on
working time — one implementation of "is this a working day?", "when is the next
working moment?" and "does this moment fall in a window?" for the whole product.

Time is epoch seconds (as the engine's clock); days and hours of the day are read in
the calendar's time zone. Working time is the union of the working-hour spans of
every working day. A working day counts as the length of one day's spans (7.5 h for
08:30–12:00 and 13:30–17:30), so "2 working days" from Monday 10:00 ends Wednesday
10:00, and from a Saturday it ends at the close of the second working day after it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Annotated, Literal, Protocol

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigPath, ConfigProblem, YamlDocument
from hotline.core.errors import HotlineError
from hotline.core.windows import (
    NAME,
    IsWorkday,
    Span,
    TimeSpan,
    Window,
    WindowModel,
    check_spans,
)

MAX_DAYS = 800
"""How far a search for working time or a window goes before it gives up (a calendar with
no working day in sight is a configuration mistake, not a reason to loop forever)."""

Unit = Literal["working_days", "working_hours", "minutes", "days"]
"""What a duration counts: working days or hours (on the calendar), or calendar minutes or
days (the clock runs at night and on holidays too)."""

CALENDAR_UNITS: frozenset[Unit] = frozenset({"minutes", "days"})

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEFAULT_WORKING_HOURS: tuple[TimeSpan, ...] = (
    (datetime.time(8, 30), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
)


class CalendarError(HotlineError):
    """A business-calendar computation cannot be done (no working time or window within
    `MAX_DAYS` days, a window nobody configured, working hours that make no day)."""

    error_id = "calendar-error"


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


class Duration(Protocol):
    """A configured duration: an amount of one `Unit` (``2 working_days``)."""

    @property
    def unit(self) -> Unit: ...

    @property
    def amount(self) -> float: ...


class BusinessCalendar:
    """Working time (`working_hours` spans on the days `is_workday` says are working days)
    and named `windows` in one time zone.

    Without arguments: China's working days, 08:30–12:00 and 13:30–17:30 in Shanghai.
    Working hours are spans within a day, in order, not overlapping (a night shift is a
    window, not working hours); raises `CalendarError` otherwise.
    """

    def __init__(
        self,
        timezone: datetime.tzinfo = SHANGHAI,
        working_hours: Sequence[TimeSpan] = DEFAULT_WORKING_HOURS,
        is_workday: IsWorkday = china_workday,
        windows: Iterable[Window] = (),
    ) -> None:
        if not working_hours:
            raise CalendarError("a business calendar needs working hours")
        for (start, end), following in zip(working_hours, (*working_hours[1:], None), strict=True):
            if not start < end or (following is not None and following[0] < end):
                raise CalendarError(f"working hours out of order: {list(working_hours)}")
        self.timezone = timezone
        self.working_hours = tuple(working_hours)
        self.is_workday = is_workday
        self.working = Window("working_hours", self.working_hours, days="working")
        self.windows = {window.name: window for window in windows}
        today = datetime.date(2001, 1, 1)
        self.day_length = sum(
            self.at(today, end) - self.at(today, start) for start, end in self.working_hours
        )

    # -- days ----------------------------------------------------------------------------

    def local(self, t: float) -> datetime.datetime:
        """`t` as a local date and time."""
        return datetime.datetime.fromtimestamp(t, self.timezone)

    def at(self, day: datetime.date, moment: datetime.time) -> float:
        """Epoch seconds of `moment` on local `day`; `datetime.time.max` is 24:00."""
        if moment == datetime.time.max:
            day, moment = day + datetime.timedelta(days=1), datetime.time(0)
        return datetime.datetime.combine(day, moment, tzinfo=self.timezone).timestamp()

    def is_holiday(self, day: datetime.date) -> bool:
        """Whether `day` is a day off (a holiday or a weekend that is not 调休); the IVR's
        `HolidayCalendar` port."""
        return not self.is_workday(day)

    # -- working time --------------------------------------------------------------------

    def spans(self, day: datetime.date) -> list[tuple[float, float]]:
        """The working spans of one local day as epoch seconds (none on a day off)."""
        return self.working.occurrences(day, self.timezone, self.is_workday)

    def is_working_time(self, t: float) -> bool:
        """Whether `t` is in the working hours of a working day."""
        return self.working.contains(self.local(t), self.is_workday)

    def next_working_moment(self, t: float) -> float:
        """The earliest working moment at or after `t` (`t` itself in working time)."""
        return self.next_in_window(self.working, t)

    # -- windows -------------------------------------------------------------------------

    def window(self, name: str) -> Window:
        """The window configured as `name`; raises `CalendarError` for an unknown name."""
        found = self.windows.get(name)
        if found is None:
            known = ", ".join(sorted(self.windows)) or "none"
            raise CalendarError(f"no window {name!r} (windows: {known})", window=name)
        return found

    def in_window(self, window: Window | str, t: float) -> bool:
        """Whether `t` falls in `window` (a `Window` or the name of a configured one)."""
        found = self.window(window) if isinstance(window, str) else window
        return found.contains(self.local(t), self.is_workday)

    def next_in_window(self, window: Window | str, t: float) -> float:
        """The earliest moment at or after `t` inside `window` (`t` itself when inside).

        A moment at or after a span's end or the cut-off moves to the next span the
        window opens. Raises `CalendarError` when the window does not open within
        `MAX_DAYS` days.
        """
        found = self.window(window) if isinstance(window, str) else window
        # from the day before: a span that wraps midnight may still be open
        day = self.local(t).date() - datetime.timedelta(days=1)
        for _ in range(MAX_DAYS + 1):
            for opens, closes in found.occurrences(day, self.timezone, self.is_workday):
                if t < closes:
                    return max(t, opens)
            day += datetime.timedelta(days=1)
        raise CalendarError(
            f"window {found.name!r} does not open within {MAX_DAYS} days of {t}",
            window=found.name,
        )

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

        Zero gives `start` itself. Raises `CalendarError` for a negative amount, or when
        no working time is found within `MAX_DAYS` days.
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


class CalendarModel(BaseModel):
    """The ``calendar:`` section of a configuration file: time zone, working hours and
    named windows (outbound calling windows, shifts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Asia/Shanghai"
    working_hours: list[Span] = ["08:30-12:00", "13:30-17:30"]
    windows: dict[Annotated[str, Field(pattern=NAME, max_length=64)], WindowModel] = {}


def read_calendar(
    document: YamlDocument, model: CalendarModel, at: ConfigPath = ("calendar",)
) -> tuple[BusinessCalendar | None, list[ConfigProblem]]:
    """The calendar a validated ``calendar:`` section describes, or None with every
    problem found (an unknown time zone, spans out of order, no working hours), each
    located under `at`."""
    problems: list[ConfigProblem] = []
    try:
        timezone: datetime.tzinfo = zoneinfo.ZoneInfo(model.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        message = f"unknown time zone {model.timezone!r}"
        problems.append(document.problem((*at, "timezone"), message))
        timezone = datetime.UTC
    working, found = check_spans(model.working_hours)
    problems += [document.problem((*at, "working_hours", i), m) for i, m in found]
    if not model.working_hours:
        problems.append(document.problem((*at, "working_hours"), "no working hours"))
    windows: list[Window] = []
    for name, window in model.windows.items():
        spans, found = check_spans(window.hours, wrap=True)
        problems += [document.problem((*at, "windows", name, "hours", i), m) for i, m in found]
        windows.append(window.window(name, spans))
    if problems:
        return None, problems
    return BusinessCalendar(timezone, working, windows=windows), []
