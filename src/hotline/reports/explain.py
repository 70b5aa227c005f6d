"""Why the service figures moved between two periods: the largest changes, each attributed
to **volume**, **handle time**, **staffing** and **adherence** (`docs/reports.md`).

Input: each period's figures grouped by time (`Table` by half hour for a day, by day for a
month; its `total` row is the whole period) and, when there is a schedule, the scheduled
agent hours of each row. Output: ranked `Finding`s with their numbers; `words.describe`
writes them out.

1. **What moved.** Service level, abandon rate, ASA and answered rate are compared over
   the whole period; a change of at least 1 percentage point (rates) or of 10% and 2 s
   (ASA) counts. Moves the same way (worse, or better) make one finding.
2. **Where.** The rows (half hours, days) where the finding's largest move happened, each
   row weighted by its calls: the run of rows with the largest sum, without the rows at
   its ends that carry little of it. A move spread over the whole period has no window.
3. **Why.** In that window, the load the agents carry is the work offered over the agent
   time available to do it,

       load = V · H / (S · A)

   V offered calls, H average handle time, S scheduled agent hours (logged-in hours when
   there is no schedule), A the actual work rate (available time over scheduled time).
   Between the two periods

       ln(load₁/load₀) = ln(V₁/V₀) + ln(H₁/H₀) − ln(S₁/S₀) − ln(A₁/A₀)

   holds exactly, so each term is that driver's share of the change in load. A service
   that got worse is explained by the drivers whose terms raised the load by 3% or more,
   the largest first; a better one by those that lowered it. Drivers whose terms are
   smaller are named as unchanged.

Rows are compared by position (the first half hour with the first half hour). Window
values are combined from the rows: counts and hours add up, AHT is weighted by the
conversations handled and the work rate by the scheduled hours, which is how the figures
divide their own sums. Whole periods of different lengths (months) compare calls and
hours per day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.metrics import FIGURES, Table
from hotline.reports.compare import better_way, has_data

Driver = Literal["volume", "handle_time", "staffing", "adherence"]
DRIVERS: tuple[Driver, ...] = ("volume", "handle_time", "staffing", "adherence")
Kind = Literal["worse", "better", "steady", "no_previous", "no_previous_data", "no_calls"]

OUTCOMES = ("service_level", "abandon_rate", "asa", "answered_rate")
"""The service figures whose changes are explained."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    points: float = 0.01
    """A rate moved when it changed by at least this much (1 percentage point)."""
    seconds: float = 2.0
    relative: float = 0.10
    """A time moved when it changed by at least `seconds` and `relative` (10%)."""
    share: float = 0.03
    """A driver counts when its term is at least this (3% of the load)."""
    window: float = 0.25
    """A window drops the rows at its ends that carry less than this share of its mean."""


@dataclass(frozen=True, slots=True)
class Side:
    """One period: its figures by time and, with a schedule, each row's scheduled hours."""

    table: Table
    scheduled: Sequence[float] | None = None

    @property
    def days(self) -> float:
        q = self.table.query
        return (q.end - q.start).total_seconds() / 86400.0


@dataclass(frozen=True, slots=True)
class Move:
    """A service figure that moved from `previous` to `current`; `severity` is the change
    in thresholds (2.0: twice the smallest change that counts)."""

    key: str
    previous: float
    current: float
    severity: float


@dataclass(frozen=True, slots=True)
class Window:
    """Rows `first`..`last` (keys of the current table's rows, grouped `by`)."""

    first: str
    last: str
    by: str


@dataclass(frozen=True, slots=True)
class Cause:
    """A driver in the finding's window (or the whole period): offered calls, AHT seconds,
    agent hours, or the work rate, before and now; `share` is its term in the change of
    the load (positive: it raised the load)."""

    driver: Driver
    previous: float
    current: float
    share: float
    scheduled: bool = True
    """Staffing measured by scheduled hours (False: by logged-in hours, no schedule)."""
    per_day: bool = False
    """Calls and hours per day (whole periods of different lengths)."""

    @property
    def relative(self) -> float:
        return self.current / self.previous - 1.0


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    moves: tuple[Move, ...] = ()
    """The service figures that moved this way, the largest move first."""
    window: Window | None = None
    """Where the largest move happened (None: over the whole period)."""
    causes: tuple[Cause, ...] = ()
    """Drivers that explain the moves, the largest first (for `steady`: drivers that
    changed although the service did not)."""
    steady: tuple[Cause, ...] = ()
    """Drivers that did not change materially."""
    unknown: tuple[Driver, ...] = ()
    """Drivers that could not be measured (adherence without a schedule)."""


# ---- reading the tables -----------------------------------------------------------------


def _total(table: Table, key: str) -> float | None:
    return table.total.values.get(key)


def _column(table: Table, key: str, n: int) -> list[float | None]:
    return [row.values.get(key) for row in table.rows[:n]]


def _scheduled(side: Side) -> list[float] | None:
    if side.scheduled is None or len(side.scheduled) != len(side.table.rows):
        return None
    if not any(side.scheduled):
        return None  # shifts known, but none on these days: no schedule for this period
    return [float(v) for v in side.scheduled]


def _sum(values: Sequence[float | None]) -> float:
    return sum(v for v in values if v is not None)


def _weighted(values: Sequence[float | None], weights: Sequence[float | None]) -> float | None:
    pairs = [(v, w or 0.0) for v, w in zip(values, weights, strict=True) if v is not None]
    bottom = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / bottom if bottom else None


# ---- what moved, and where ---------------------------------------------------------------


def _move(key: str, now: float | None, before: float | None, limits: Thresholds) -> Move | None:
    if now is None or before is None:
        return None
    delta = now - before
    if FIGURES[key].unit == "ratio":
        severity = abs(delta) / limits.points
    else:
        if abs(delta) < limits.seconds or not before:
            return None
        severity = abs(delta / before) / limits.relative
    return Move(key, before, now, severity) if severity >= 1.0 else None


def _worse(move: Move) -> bool:
    return (move.current > move.previous) == (better_way(move.key) == "lower")


def best_run(gains: Sequence[float], keep: float = 0.25) -> tuple[int, int] | None:
    """The run of rows with the largest sum of `gains` (Kadane's algorithm), without the
    rows at its ends that carry less than `keep` of the run's mean; None when no row
    gains."""
    best, span = 0.0, None
    running, begin = 0.0, 0
    for i, gain in enumerate(gains):
        if running <= 0.0:
            running, begin = gain, i
        else:
            running += gain
        if running > best:
            best, span = running, (begin, i)
    if span is None:
        return None
    first, last = span
    floor = keep * best / (last - first + 1)
    while first < last and gains[first] < floor:
        first += 1
    while last > first and gains[last] < floor:
        last -= 1
    return first, last


def _where(move: Move, worse: bool, now: Table, before: Table, n: int, keep: float) -> range:
    """The rows where `move` happened, weighted by each row's offered calls."""
    cur, old = _column(now, move.key, n), _column(before, move.key, n)
    calls = _column(now, "offered", n)
    up = better_way(move.key) == "lower"  # a rise is worse
    gains = []
    for a, b, c in zip(cur, old, calls, strict=True):
        if a is None or b is None:
            gains.append(0.0)
            continue
        change = (a - b) / (b or 1.0) if FIGURES[move.key].unit == "seconds" else a - b
        bad = change if up else -change
        gains.append((c or 0.0) * (bad if worse else -bad))
    span = best_run(gains, keep)
    return range(n) if span is None else range(span[0], span[1] + 1)


# ---- why: the drivers ---------------------------------------------------------------------


def _drivers(
    current: Side, previous: Side, rows: range | None, limits: Thresholds
) -> tuple[list[Cause], list[Driver]]:
    """Every measurable driver over `rows` (None: the whole period, per day) with its term,
    and the drivers that cannot be measured."""
    now, before = current.table, previous.table
    sched_now, sched_before = _scheduled(current), _scheduled(previous)
    scheduled = sched_now is not None and sched_before is not None
    n = min(len(now.rows), len(before.rows))
    pick = range(n) if rows is None else rows
    days_now = current.days if rows is None else 1.0
    days_before = previous.days if rows is None else 1.0

    def window(table: Table, key: str) -> list[float | None]:
        column = _column(table, key, n)
        return [column[i] for i in pick]

    found: list[Cause] = []
    unknown: list[Driver] = []

    def add(driver: Driver, v_now: float | None, v_before: float | None, sign: float) -> None:
        if not v_now or not v_before or v_now < 0 or v_before < 0:
            unknown.append(driver)
            return
        share = sign * math.log(v_now / v_before)
        per_day = rows is None and driver in ("volume", "staffing") and current.days != 1.0
        found.append(Cause(driver, v_before, v_now, share, scheduled, per_day))

    if rows is None:
        offered = ((_total(now, "offered") or 0.0), (_total(before, "offered") or 0.0))
        aht = (_total(now, "aht"), _total(before, "aht"))
    else:
        offered = (_sum(window(now, "offered")), _sum(window(before, "offered")))
        aht = (
            _weighted(window(now, "aht"), window(now, "handled")),
            _weighted(window(before, "aht"), window(before, "handled")),
        )
    add("volume", offered[0] / days_now, offered[1] / days_before, 1.0)
    add("handle_time", aht[0], aht[1], 1.0)
    if sched_now is not None and sched_before is not None:
        if rows is None:
            hours = (sum(sched_now), sum(sched_before))
        else:
            hours = (sum(sched_now[i] for i in pick), sum(sched_before[i] for i in pick))
    elif rows is None:
        hours = (_total(now, "logged_in_hours") or 0.0, _total(before, "logged_in_hours") or 0.0)
    else:
        hours = (_sum(window(now, "logged_in_hours")), _sum(window(before, "logged_in_hours")))
    add("staffing", hours[0] / days_now, hours[1] / days_before, -1.0)
    if sched_now is not None and sched_before is not None:
        if rows is None:
            rate = (_total(now, "work_rate"), _total(before, "work_rate"))
        else:
            rate = (
                _weighted(window(now, "work_rate"), [sched_now[i] for i in pick]),
                _weighted(window(before, "work_rate"), [sched_before[i] for i in pick]),
            )
        add("adherence", rate[0], rate[1], -1.0)
    else:
        unknown.append("adherence")
    return found, unknown


# ---- findings --------------------------------------------------------------------------


def explain(current: Side, previous: Side, limits: Thresholds | None = None) -> list[Finding]:
    """The findings of `current` against `previous`, the most important first (see the
    module docstring). Both tables are grouped by the same unit of time and hold the
    figures offered, handled, aht, logged_in_hours, work_rate and the `OUTCOMES`."""
    limits = limits or Thresholds()
    now, before = current.table, previous.table
    if not _total(now, "offered"):
        return [Finding("no_calls")]
    if not has_data(before.total):  # nothing in the log: not even agents to compare
        return [Finding("no_previous_data")]
    if not _total(before, "offered"):
        return [Finding("no_previous")]
    moves = [
        m for key in OUTCOMES if (m := _move(key, _total(now, key), _total(before, key), limits))
    ]
    if not moves:
        drivers, unknown = _drivers(current, previous, None, limits)
        steady = tuple(c for c in drivers if abs(c.share) < limits.share)
        moving = sorted((c for c in drivers if abs(c.share) >= limits.share), key=_size)
        return [Finding("steady", (), None, tuple(moving), steady, tuple(unknown))]
    n = min(len(now.rows), len(before.rows))
    findings = []
    for worse in (True, False):
        these = sorted((m for m in moves if _worse(m) == worse), key=lambda m: -m.severity)
        if not these:
            continue
        rows = _where(these[0], worse, now, before, n, limits.window)
        whole = len(rows) == n or n < 2
        drivers, unknown = _drivers(current, previous, None if whole else rows, limits)
        window = (
            None if whole else Window(now.rows[rows[0]].key, now.rows[rows[-1]].key, now.query.by)
        )
        # a worse service is explained by drivers that raised the load, a better one by
        # drivers that lowered it
        causes = sorted(
            (c for c in drivers if abs(c.share) >= limits.share and (c.share > 0) == worse),
            key=_size,
        )
        steady = tuple(c for c in drivers if abs(c.share) < limits.share)
        kind: Kind = "worse" if worse else "better"
        findings.append(Finding(kind, tuple(these), window, tuple(causes), steady, tuple(unknown)))
    findings.sort(key=lambda f: -f.moves[0].severity)
    return findings


def _size(cause: Cause) -> float:
    return -abs(cause.share)
