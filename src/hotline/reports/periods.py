"""Report periods in the hotline's local time: a run of days, one day, one month, and
the period each is compared with (the days just before, of equal length; the day
before; the month before)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from hotline.reports.errors import ReportError, label

Kind = Literal["days", "day", "month"]

FIRST_YEAR, LAST_YEAR = 1900, 9998
"""Dates a report may name (and the period before one must be nameable too)."""
MOST_DAYS = 400
"""The longest period a report covers (a year and a bit: a year against the one before)."""


@dataclass(frozen=True, slots=True)
class Period:
    """Local days `first`..`last` (both included) in time zone `tz`."""

    first: datetime.date
    last: datetime.date
    tz: datetime.tzinfo
    kind: Kind = "days"

    def __post_init__(self) -> None:
        for field, day in (("from", self.first), ("to", self.last)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ReportError(
                    f"{label(field)}：{day} 不在 {FIRST_YEAR}–{LAST_YEAR} 年之间", field=field
                )
        if self.last < self.first:
            raise ReportError(
                f"结束日期 {self.last} 早于开始日期 {self.first}：请交换两个日期", field="to"
            )
        if self.days > MOST_DAYS:
            raise ReportError(
                f"从 {self.first} 到 {self.last} 共 {self.days} 天：最多 {MOST_DAYS} 天",
                field="to",
            )

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first, datetime.time(0), self.tz)

    @property
    def end(self) -> datetime.datetime:
        """The local midnight after the last day (the period is [start, end))."""
        following = self.last + datetime.timedelta(days=1)
        return datetime.datetime.combine(following, datetime.time(0), self.tz)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period compared with: the month before a month, else the same number of
        days just before."""
        if self.kind == "month":
            last = self.first - datetime.timedelta(days=1)
            return month_of(last.year, last.month, self.tz)
        last = self.first - datetime.timedelta(days=1)
        return Period(last - datetime.timedelta(days=self.days - 1), last, self.tz, self.kind)

    def label(self) -> str:
        if self.kind == "month":
            return self.first.strftime("%Y-%m")
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def day_of(day: datetime.date, tz: datetime.tzinfo) -> Period:
    return Period(day, day, tz, "day")


def month_of(year: int, month: int, tz: datetime.tzinfo) -> Period:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - datetime.timedelta(days=1), tz, "month")


def parse_day(text: str, field: str) -> datetime.date:
    """A local date written YYYY-MM-DD; raises `ReportError` naming `field`."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ReportError(
            f"{label(field)}：不是日期（格式 YYYY-MM-DD）：{text!r}", field=field
        ) from None


def parse_month(text: str, field: str) -> tuple[int, int]:
    """A month written YYYY-MM; raises `ReportError` naming `field`."""
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError(text)
        year, month = int(text[:4]), int(text[5:])
        datetime.date(year, month, 1)
    except ValueError:
        raise ReportError(
            f"{label(field)}：不是月份（格式 YYYY-MM）：{text!r}", field=field
        ) from None
    return year, month
