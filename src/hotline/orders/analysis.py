"""Complaint analysis (投诉分析): the figures of the complaint orders of a period.

Pure functions over `Order` objects: counts by cause, product (涉及业务), department and
customer group, the Pareto of the causes (bars by count with the cumulative share), the
complaints per local day, the time to resolve (受理 → first 答复, in working hours on the
business calendar and in calendar hours; median and 90th percentile) and the share of
complaints reopened after an unsatisfied return visit.

Only aggregates come out: no order id, caller, name or any other field of a complainant,
so the page built on these figures cannot show who complained.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline.core.calendar import BusinessCalendar
from hotline.orders.model import Order, StepKind

COMPLAINT = "complaint"
UNSPECIFIED = "unspecified"
"""The key of orders that leave the grouped field (or the department) empty."""


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class ParetoBar:
    """One cause of the Pareto chart: its count, its share and the cumulative share of it and
    every larger cause (the line)."""

    key: str
    count: int
    share: float
    cumulative: float


@dataclass(frozen=True, slots=True)
class DayCount:
    day: str  # local date, ISO (YYYY-MM-DD)
    count: int


@dataclass(frozen=True, slots=True)
class ResolveTime:
    """Hours from 受理 to the first 答复 of the orders answered at least once."""

    resolved: int
    median_working_h: float | None
    p90_working_h: float | None
    median_calendar_h: float | None
    p90_calendar_h: float | None


@dataclass(frozen=True, slots=True)
class ComplaintAnalysis:
    total: int
    by_cause: tuple[Count, ...]
    by_product: tuple[Count, ...]
    by_department: tuple[Count, ...]
    by_group: tuple[Count, ...]
    pareto: tuple[ParetoBar, ...]
    trend: tuple[DayCount, ...]
    resolve: ResolveTime
    reopened: int
    reopened_share: float | None


def counts(values: Iterable[str]) -> tuple[Count, ...]:
    """Counts of each value, the largest first (ties by key, so the order is stable)."""
    found = Counter(values)
    return tuple(Count(k, n) for k, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


def pareto(found: Sequence[Count]) -> tuple[ParetoBar, ...]:
    """The Pareto bars of `found` (already largest first, as `counts` gives them)."""
    total = sum(c.count for c in found)
    bars = []
    running = 0
    for c in found:
        running += c.count
        bars.append(ParetoBar(c.key, c.count, c.count / total, running / total))
    return tuple(bars)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `q` of them at or below
    it (`q` = 0.5 of 4 values is the 2nd)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The usual median (the mean of the two middle values of an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def first_answer(order: Order) -> float | None:
    for step in order.steps:
        if step.kind is StepKind.ANSWERED:
            return step.at
    return None


def was_reopened(order: Order) -> bool:
    return order.round > 1 or any(s.kind is StepKind.REOPENED for s in order.steps)


def _field(order: Order, name: str) -> str:
    value = order.fields.get(name)
    text = str(value).strip() if value is not None else ""
    return text or UNSPECIFIED


def _department(order: Order) -> str:
    """The department the complaint went to: the current one, else the last assigned."""
    if order.department:
        return order.department
    for step in reversed(order.steps):
        if step.kind is StepKind.ASSIGNED and step.department:
            return step.department
    return UNSPECIFIED


def trend(
    orders: Sequence[Order],
    calendar: BusinessCalendar,
    *,
    start: float | None = None,
    end: float | None = None,
    max_days: int = 366,
) -> tuple[DayCount, ...]:
    """Complaints per local day, every day from the first to the last (the period's bounds when
    given, `end` exclusive) with zeros for quiet days; at most `max_days` days (the latest)."""
    per_day: Counter[datetime.date] = Counter(calendar.local(o.created_at).date() for o in orders)
    days = list(per_day)
    if start is not None:
        days.append(calendar.local(start).date())
    if end is not None and end > (start if start is not None else -math.inf):
        days.append(calendar.local(end - 0.001).date())  # end is exclusive
    if not days:
        return ()
    first, last = min(days), max(days)
    first = max(first, last - datetime.timedelta(days=max_days - 1))
    out = []
    day = first
    while day <= last:
        out.append(DayCount(day.isoformat(), per_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    return tuple(out)


def resolve_time(orders: Iterable[Order], calendar: BusinessCalendar) -> ResolveTime:
    working: list[float] = []
    wall: list[float] = []
    for order in orders:
        answered = first_answer(order)
        if answered is None:
            continue
        working.append(calendar.working_seconds(order.created_at, answered) / 3600)
        wall.append(max(0.0, answered - order.created_at) / 3600)
    return ResolveTime(
        resolved=len(wall),
        median_working_h=median(working),
        p90_working_h=percentile(working, 0.9),
        median_calendar_h=median(wall),
        p90_calendar_h=percentile(wall, 0.9),
    )


def analyse(
    orders: Iterable[Order],
    calendar: BusinessCalendar,
    *,
    types: Iterable[str] = (COMPLAINT,),
    start: float | None = None,
    end: float | None = None,
) -> ComplaintAnalysis:
    """The figures of the orders of `types` created in [start, end) (both optional); keys
    are the configured names (cause, department), labels are the caller's business."""
    wanted = frozenset(types)
    chosen = [
        o
        for o in orders
        if o.type in wanted
        and (start is None or o.created_at >= start)
        and (end is None or o.created_at < end)
    ]
    by_cause = counts(_field(o, "cause") for o in chosen)
    reopened = sum(1 for o in chosen if was_reopened(o))
    return ComplaintAnalysis(
        total=len(chosen),
        by_cause=by_cause,
        by_product=counts(_field(o, "product") for o in chosen),
        by_department=counts(_department(o) for o in chosen),
        by_group=counts(_field(o, "customer_type") for o in chosen),
        pareto=pareto(by_cause),
        trend=trend(chosen, calendar, start=start, end=end),
        resolve=resolve_time(chosen, calendar),
        reopened=reopened,
        reopened_share=reopened / len(chosen) if chosen else None,
    )
