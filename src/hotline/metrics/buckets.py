"""Time buckets of a query in local time: half hours, hours, days, ISO weeks, months.

Boundaries are local wall-clock times of the query's time zone turned into epoch
seconds here, so the SQL only compares numbers (SQLite knows no time zones) and a
day is a local day on every engine. Buckets are clipped to [start, end).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hotline.metrics.errors import MetricsError
from hotline.metrics.query import Query

MAX_BUCKETS = 100_000


@dataclass(frozen=True, slots=True)
class Bucket:
    index: int
    key: str
    label: str
    start: float
    end: float


def _floor(moment: datetime.datetime, by: str) -> datetime.datetime:
    if by == "interval":
        return moment.replace(minute=moment.minute - moment.minute % 30, second=0, microsecond=0)
    if by == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if by == "day":
        return day
    if by == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def _next(local: datetime.datetime, by: str) -> datetime.datetime:
    """The next boundary after `local` (naive local wall time)."""
    if by == "interval":
        return local + datetime.timedelta(minutes=30)
    if by == "hour":
        return local + datetime.timedelta(hours=1)
    if by == "day":
        return local + datetime.timedelta(days=1)
    if by == "week":
        return local + datetime.timedelta(days=7)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return local.replace(year=year, month=month, day=1)


def _names(local: datetime.datetime, by: str) -> tuple[str, str]:
    if by == "interval" or by == "hour":
        return local.strftime("%Y-%m-%d %H:%M"), local.strftime("%m-%d %H:%M")
    if by == "day":
        return local.strftime("%Y-%m-%d"), local.strftime("%m-%d %a")
    if by == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}", f"{year}-W{week:02d} ({local.strftime('%m-%d')})"
    return local.strftime("%Y-%m"), local.strftime("%Y-%m")


def buckets(query: Query) -> list[Bucket]:
    """The query's buckets in order: one for `total` and for the non-time groupings."""
    start, end = query.start.timestamp(), query.end.timestamp()
    if query.by not in ("interval", "hour", "day", "week", "month"):
        return [Bucket(0, "total", "合计 total", start, end)]
    tz = query.timezone
    local = _floor(query.start.astimezone(tz), query.by).replace(tzinfo=None)
    found: list[Bucket] = []
    while True:
        begin = local.replace(tzinfo=tz).timestamp()
        if begin >= end:
            break
        following = _next(local, query.by)
        finish = following.replace(tzinfo=tz).timestamp()
        key, label = _names(local, query.by)
        found.append(Bucket(len(found), key, label, max(begin, start), min(finish, end)))
        if len(found) > MAX_BUCKETS:
            raise MetricsError(
                f"query by {query.by}: more than {MAX_BUCKETS:,} buckets; ask for a coarser one"
            )
        local = following
    return found
