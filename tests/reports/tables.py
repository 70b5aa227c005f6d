"""Hand-made figure tables for the explanation's tests: a few half hours of one day (or the
days of a month), each row's figures written out, and the whole period's totals worked out
the way the figures divide their sums (counts add up, AHT weighted by conversations, the
work rate by scheduled hours)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from hotline.metrics import Query, Row, Table
from hotline.reports import Side

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 7, 15)
BEFORE = datetime.date(2026, 7, 14)


def halves(first: str, count: int) -> list[str]:
    """`count` half hours from `first` (HH:MM)."""
    start = datetime.datetime.combine(DAY, datetime.time.fromisoformat(first))
    return [(start + datetime.timedelta(minutes=30 * i)).strftime("%H:%M") for i in range(count)]


@dataclass
class Rows:
    """One period's rows: the same length everywhere; `outcomes` by figure key."""

    offered: Sequence[float]
    aht: Sequence[float | None]
    logged_in: Sequence[float]
    work_rate: Sequence[float | None] | None = None
    scheduled: Sequence[float] | None = None
    outcomes: dict[str, Sequence[float | None]] = field(default_factory=dict)
    totals: dict[str, float | None] = field(default_factory=dict)
    """The service figures over the whole period (given, as the engine would give them)."""


def _weighted(values: Sequence[float | None], weights: Sequence[float]) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None]
    bottom = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / bottom if bottom else None


def side(day: datetime.date, times: Sequence[str], rows: Rows, by: str = "interval") -> Side:
    """A `Side` of interval rows on `day` at `times` (or day rows when by="day": `times`
    are then ISO dates), over the whole local day (or the days given)."""
    handled = list(rows.offered)  # every offered call is handled: AHT weights
    found = []
    for i, moment in enumerate(times):
        key = f"{day.isoformat()} {moment}" if by == "interval" else moment
        values: dict[str, float | None] = {
            "offered": rows.offered[i],
            "handled": handled[i],
            "aht": rows.aht[i],
            "logged_in_hours": rows.logged_in[i],
            "work_rate": rows.work_rate[i] if rows.work_rate is not None else None,
        }
        for name, column in rows.outcomes.items():
            values[name] = column[i]
        found.append(Row(key, key, values))
    total: dict[str, float | None] = {
        "offered": sum(rows.offered),
        "handled": sum(handled),
        "aht": _weighted(rows.aht, handled),
        "logged_in_hours": sum(rows.logged_in),
        "work_rate": (
            _weighted(rows.work_rate, rows.scheduled)
            if rows.work_rate is not None and rows.scheduled is not None
            else None
        ),
        **rows.totals,
    }
    if by == "interval":
        start = datetime.datetime.combine(day, datetime.time(0), SH)
        end = start + datetime.timedelta(days=1)
    else:
        start = datetime.datetime.combine(
            datetime.date.fromisoformat(times[0]), datetime.time(0), SH
        )
        end = datetime.datetime.combine(
            datetime.date.fromisoformat(times[-1]) + datetime.timedelta(days=1),
            datetime.time(0),
            SH,
        )
    query = Query(start=start, end=end, by=by)  # type: ignore[arg-type]
    table = Table(query, found, Row("total", "total", total))
    return Side(table, rows.scheduled if rows.scheduled is not None else None)
