"""Windows of local time: spans of the day (``"18:00-21:00"``, ``"22:00-08:00"``) on the
days a rule selects, with an optional cut-off — the data behind return-visit windows,
outbound calling windows, shifts and the IVR's time branches.

A window is data: `WindowModel` is its configuration, `Window` the checked value.
Whether a moment falls in a window is answered here (`Window.contains`, on a local
date and time); epoch-second questions (the next moment in a window) are the business
calendar's (`hotline.core.calendar.BusinessCalendar`), which knows the time zone and
the working days.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

TimeSpan = tuple[datetime.time, datetime.time]
"""(start, end) of a span of the day; end `datetime.time.max` is 24:00, the end of the day.
An end before its start wraps midnight (22:00-08:00)."""

DayKind = Literal["every", "working", "off"]
"""Which days a window opens on: every day, working days (holidays and weekends off,
调休 days on), or days off."""

IsWorkday = Callable[[datetime.date], bool]

NAME = r"^[a-z][a-z0-9_]*$"
SPAN = r"^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Span = Annotated[str, Field(pattern=SPAN)]
"""``"HH:MM-HH:MM"`` as written in configuration files; the end may be ``24:00``."""
Clock = Annotated[str, Field(pattern=CLOCK)]
"""``"HH:MM"``, 00:00 to 23:59."""


def parse_time(text: str) -> datetime.time:
    """``"08:30"`` → 08:30; ``"24:00"`` → `datetime.time.max` (the end of the day)."""
    hour, minute = (int(p) for p in text.split(":"))
    return datetime.time.max if hour == 24 else datetime.time(hour, minute)


def parse_span(text: str) -> TimeSpan:
    """``"08:30-12:00"`` → (08:30, 12:00); ``24:00`` is the end of the day."""
    start, end = text.split("-")
    return parse_time(start), parse_time(end)


def check_spans(
    texts: Sequence[str], *, wrap: bool = False
) -> tuple[list[TimeSpan], list[tuple[int, str]]]:
    """The spans of `texts` and what is wrong with them, as (index, message).

    Spans must come in order and must not overlap. With `wrap`, the last span may wrap
    midnight (22:00-08:00) as long as it ends before the first span of the next day
    starts; without, a span ending before it starts is refused. An empty span
    (08:00-08:00) is always refused.
    """
    spans: list[TimeSpan] = []
    problems: list[tuple[int, str]] = []
    for index, text in enumerate(texts):
        start, end = parse_span(text)
        if start == end or (start > end and not wrap):
            problems.append((index, f"{text!r} ends before it starts"))
        elif spans and (start < spans[-1][1] or (wrap and spans[-1][0] > spans[-1][1])):
            problems.append((index, f"{text!r} overlaps or precedes the span before"))
        spans.append((start, end))
    if not problems and spans and spans[-1][0] > spans[-1][1] > spans[0][0]:
        problems.append((len(spans) - 1, f"{texts[-1]!r} runs into the next day's first span"))
    return spans, problems


def _at(day: datetime.date, moment: datetime.time, tz: datetime.tzinfo) -> float:
    """Epoch seconds of `moment` on local `day`; `datetime.time.max` is 24:00."""
    if moment == datetime.time.max:
        day, moment = day + datetime.timedelta(days=1), datetime.time(0)
    return datetime.datetime.combine(day, moment, tzinfo=tz).timestamp()


def _before(moment: datetime.time, end: datetime.time) -> bool:
    """`moment` < `end`, where an end of `datetime.time.max` (24:00) is after every moment."""
    return end == datetime.time.max or moment < end


@dataclass(frozen=True, slots=True)
class Window:
    """A named set of moments: the local `spans` of each day that `days` and `weekdays`
    select, never at or after `cutoff`.

    A span that wraps midnight (22:00-08:00) belongs to the day it starts on: with
    ``weekdays=[5]`` Friday 22:00-08:00 holds on Saturday at 02:00, not on Saturday
    night. The cut-off ends every span on the day it starts on ("nothing at or after
    22:00"): 18:00-23:00 becomes 18:00-22:00, 20:00-02:00 becomes 20:00-22:00 and a span
    starting at or after the cut-off is empty. Spans are kept in order of their start.
    """

    name: str
    spans: tuple[TimeSpan, ...]
    days: DayKind = "every"
    weekdays: frozenset[int] | None = None
    cutoff: datetime.time | None = None
    _open: tuple[TimeSpan, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cut: list[TimeSpan] = []
        for start, end in sorted(self.spans):
            if self.cutoff is not None:
                if start >= self.cutoff:
                    continue
                if end < start or end > self.cutoff:
                    end = self.cutoff
            if start != end:
                cut.append((start, end))
        object.__setattr__(self, "_open", tuple(cut))

    def opens_on(self, day: datetime.date, is_workday: IsWorkday) -> bool:
        """Whether the window's spans start on `day` (`is_workday` is asked only for
        ``working`` and ``off`` windows)."""
        if self.weekdays is not None and day.isoweekday() not in self.weekdays:
            return False
        if self.days == "every":
            return True
        return is_workday(day) is (self.days == "working")

    def contains(self, moment: datetime.datetime, is_workday: IsWorkday) -> bool:
        """Whether the local date and time `moment` falls in the window."""
        day, now = moment.date(), moment.time()
        for start, end in self._open:
            if start < end:
                if start <= now and _before(now, end) and self.opens_on(day, is_workday):
                    return True
            elif now >= start:
                if self.opens_on(day, is_workday):
                    return True
            elif now < end and self.opens_on(day - datetime.timedelta(days=1), is_workday):
                return True
        return False

    def occurrences(
        self, day: datetime.date, tz: datetime.tzinfo, is_workday: IsWorkday
    ) -> list[tuple[float, float]]:
        """The spans that start on local `day` as (opens, closes) epoch seconds, in order
        (closes on the next day for a span that wraps midnight); none on a day the window
        does not open."""
        if not self.opens_on(day, is_workday):
            return []
        tomorrow = day + datetime.timedelta(days=1)
        return [
            (_at(day, start, tz), _at(day if start < end else tomorrow, end, tz))
            for start, end in self._open
        ]


class WindowModel(BaseModel):
    """A window in a configuration file (``calendar.windows.<name>``)::

    after_work: {hours: ["18:00-21:00"], days: every, cutoff: "22:00"}
    night_shift: {hours: ["22:00-08:00"], weekdays: [1, 2, 3, 4, 5]}
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: list[Span] = Field(min_length=1)
    days: DayKind = "every"
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] | None = None
    cutoff: Clock | None = None

    def window(self, name: str, spans: Sequence[TimeSpan]) -> Window:
        """The checked window, given the spans `check_spans` parsed from `hours`."""
        return Window(
            name=name,
            spans=tuple(spans),
            days=self.days,
            weekdays=frozenset(self.weekdays) if self.weekdays is not None else None,
            cutoff=parse_time(self.cutoff) if self.cutoff is not None else None,
        )
