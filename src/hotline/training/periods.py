"""The period a checklist tick counts for, by the item's time limit (工作时限).

A tick is kept per person, item and period, so "done today" and "done this week" are
the same question: is there a tick for the period the day falls in? Keys are written
so a person reads them and they sort in time order:

- ``daily`` → the day, ``2026-12-06``;
- ``weekly`` → the ISO week, ``2026-W49`` (Monday to Sunday);
- ``monthly`` → the month, ``2026-12``;
- ``per_shift`` → the day and the shift, ``2026-12-06/夜班`` (the shifts named in
  ``training.yaml``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from hotline.core.errors import HotlineError

__all__ = ["PeriodError", "check_period", "period_key"]


class PeriodError(HotlineError):
    """A period that does not fit the item's time limit."""

    error_id = "invalid-period"


def period_key(limit: str, day: datetime.date, shift: str | None = None) -> str:
    """The key of the period of `limit` that `day` (and `shift`) falls in."""
    if limit == "daily":
        return day.isoformat()
    if limit == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if limit == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    if limit == "per_shift":
        if not shift:
            raise PeriodError("a per-shift item needs the shift", limit=limit)
        return f"{day.isoformat()}/{shift}"
    raise PeriodError(f"unknown time limit {limit!r}", limit=limit)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_period(limit: str, key: str, shifts: Sequence[str]) -> str:
    """`key` if it is a period of `limit` (a real day, week or month; a shift named in
    `shifts`); raises `PeriodError` saying what is expected."""
    expected = {
        "daily": "a day such as 2026-12-06",
        "weekly": "an ISO week such as 2026-W49",
        "monthly": "a month such as 2026-12",
        "per_shift": f"a day and a shift such as 2026-12-06/{shifts[0] if shifts else '白班'}",
    }.get(limit)
    if expected is None:
        raise PeriodError(f"unknown time limit {limit!r}", limit=limit)
    try:
        if limit == "daily" and _DAY.match(key):
            datetime.date.fromisoformat(key)
            return key
        if limit == "weekly" and re.match(r"^\d{4}-W\d{2}$", key):
            year, week = int(key[:4]), int(key[6:])
            datetime.date.fromisocalendar(year, week, 1)
            return key
        if limit == "monthly" and re.match(r"^\d{4}-\d{2}$", key):
            datetime.date(int(key[:4]), int(key[5:]), 1)
            return key
        if limit == "per_shift":
            day, _, shift = key.partition("/")
            if _DAY.match(day) and shift in shifts:
                datetime.date.fromisoformat(day)
                return key
    except ValueError:
        pass
    raise PeriodError(f"{key!r} is not {expected}", period=key, limit=limit)
