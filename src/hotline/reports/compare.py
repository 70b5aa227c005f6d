"""A figure against its target and against the period before: met or missed, and whether
the change is for the better. Only the catalogue's targets and directions are used; the
values come from `hotline.store.analytics.figures`, never from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hotline.metrics import FIGURES, Row, Table

Status = Literal["met", "missed"]
Trend = Literal["better", "worse", "same"]

DIRECTION: Mapping[str, Literal["higher", "lower"]] = {
    "abandon_rate": "lower",
    "asa": "lower",
    "queue_time": "lower",
    "hold_time": "lower",
    "abandon_time": "lower",
    "blocked_rate": "lower",
    "calls_blocked": "lower",
    "abandoned": "lower",
    "complaint_rate": "lower",
    "fcr": "higher",
    "fcr_orders": "higher",
    "qa_score": "higher",
    "attendance": "higher",
    "survey_score": "higher",
    "return_visit_rate": "higher",
    "order_accuracy": "higher",
    "connection_rate_auto": "higher",
}
"""Which way is better for the figures without a target (the others: their target's)."""

SAME = 1e-9
"""Changes smaller than this (relative) are rounding, not change."""


def better_way(key: str) -> Literal["higher", "lower"] | None:
    """Which way `key` is better, None where neither is (volumes, AHT, occupancy)."""
    target = FIGURES[key].target
    return target.better if target is not None else DIRECTION.get(key)


def status(key: str, value: float | None) -> Status | None:
    """Whether `value` meets the figure's target; None without a value or a target."""
    target = FIGURES[key].target
    if target is None or value is None:
        return None
    return "met" if target.met(value) else "missed"


@dataclass(frozen=True, slots=True)
class Change:
    current: float | None
    previous: float | None
    delta: float | None
    relative: float | None
    trend: Trend | None
    """None when either value is missing or neither way is better."""
    no_previous: bool = False
    """The period before has no data at all (no calls, no agent logged in): there is
    nothing to compare with, which the pages say ("无上期数据") instead of a change."""


def has_data(row: Row) -> bool:
    """Whether a period's row holds anything from the event log: a call, a conversation,
    an agent's logged-in time or a callback task. Every count comes from the log, so a
    period without events has all its counts at zero (and its rates None, except those
    set against outside data: the work rate against a schedule reads 0%)."""
    return any(
        (value or 0.0) > 0.0
        for key, value in row.values.items()
        if key in FIGURES and FIGURES[key].unit == "count"
    )


def change(
    key: str, current: float | None, previous: float | None, *, no_previous: bool = False
) -> Change:
    if no_previous:
        return Change(current, None, None, None, None, no_previous=True)
    if current is None or previous is None:
        return Change(current, previous, None, None, None)
    delta = current - previous
    relative = delta / previous if previous else None
    way = better_way(key)
    trend: Trend | None
    if abs(delta) <= SAME * max(abs(current), abs(previous), 1.0):
        trend = "same"
    elif way is None:
        trend = None
    else:
        trend = "better" if (delta > 0) == (way == "higher") else "worse"
    return Change(current, previous, delta, relative, trend)


def changes(current: Row, previous: Row, keys: tuple[str, ...]) -> dict[str, Change]:
    """Each figure's change; none at all when `previous` has no data (see `has_data`): a
    rate set against outside data (the work rate against a schedule) would otherwise
    read 0% before, and a "+101.6 个百分点" that compares with nothing."""
    empty = not has_data(previous)
    return {
        k: change(k, current.values.get(k), previous.values.get(k), no_previous=empty) for k in keys
    }


def aligned(current: Table, previous: Table) -> list[tuple[Row, Row | None]]:
    """Each row of `current` with the row of `previous` it is compared with: by position
    for time rows (the first half hour with the first half hour), by key otherwise
    (agent with agent, queue with queue)."""
    if current.query.by in ("interval", "hour", "day", "week", "month"):
        return [
            (row, previous.rows[i] if i < len(previous.rows) else None)
            for i, row in enumerate(current.rows)
        ]
    by_key = {row.key: row for row in previous.rows}
    return [(row, by_key.get(row.key)) for row in current.rows]
