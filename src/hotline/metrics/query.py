"""What a report asks for (`Query`) and what it gets back (`Table` of `Row`s).

A query covers the half-open period [start, end) of two aware datetimes; time buckets
(half hour, hour, day, week, month) follow the time zone of `start`, so give it the
hotline's zone (Asia/Shanghai for the example) to get local days and half hours.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

from hotline.metrics.catalog import FIGURES
from hotline.metrics.errors import MetricsError

Grouping = Literal[
    "total",
    "interval",
    "hour",
    "day",
    "week",
    "month",
    "agent",
    "team",
    "queue",
    "tier",
    "queue_tier",
    "call_type",
]
GROUPINGS: tuple[str, ...] = get_args(Grouping)
TIME_GROUPINGS = frozenset({"total", "interval", "hour", "day", "week", "month"})

BY_NAMES = {
    "total": "合计", "interval": "半小时", "hour": "小时", "day": "天", "week": "周",
    "month": "月", "agent": "坐席", "team": "班组", "queue": "队列", "tier": "客户等级",
    "queue_tier": "队列和客户等级", "call_type": "呼叫类型",
}  # fmt: skip
"""The groupings' names in the reasons a figure has no value."""


class SlVariant(StrEnum):
    """Which contacts a service level divides by (the numerator is always "answered
    within the threshold")."""

    ANSWERED = "answered"  # (a) answered contacts
    OFFERED = "offered"  # (b) answered + abandoned after the short-abandon threshold
    REMOVED = "removed"  # (c) (b) + contacts turned into a callback


@dataclass(frozen=True, slots=True)
class Query:
    start: datetime.datetime
    end: datetime.datetime
    by: Grouping = "day"
    sl_threshold: float = 20.0
    sl_variant: SlVariant = SlVariant.OFFERED
    short_abandon: float = 20.0
    figures: tuple[str, ...] | None = None
    ring_seconds: float = 3.0
    """One ring cycle (ring_timeout 12 s = 4 rings in the example)."""
    repeat_window: float = 86400.0
    """A caller who calls again within this many seconds was not resolved first time."""
    complaint_types: tuple[str, ...] = ("complaint",)
    """Order types counted by the complaint rate."""

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, datetime.datetime) or value.utcoffset() is None:
                raise MetricsError(
                    f"query {name}: needs a datetime with a time zone, got {value!r}"
                )
        if self.end <= self.start:
            raise MetricsError(f"query end {self.end.isoformat()} is not after start")
        if self.by not in GROUPINGS:
            raise MetricsError(f"query by: {self.by!r} is not one of {', '.join(GROUPINGS)}")
        for name in ("sl_threshold", "short_abandon", "repeat_window"):
            if not getattr(self, name) >= 0:
                raise MetricsError(f"query {name}: must be 0 or more, got {getattr(self, name)}")
        if not self.ring_seconds > 0:
            raise MetricsError(f"query ring_seconds: must be above 0, got {self.ring_seconds}")
        try:
            SlVariant(self.sl_variant)
        except ValueError:
            raise MetricsError(
                f"query sl_variant: {self.sl_variant!r} is not one of "
                f"{', '.join(v.value for v in SlVariant)}"
            ) from None
        if self.figures is not None:
            unknown = [f for f in self.figures if f not in FIGURES]
            if unknown:
                raise MetricsError(f"query figures: unknown figure {', '.join(unknown)}")

    @property
    def timezone(self) -> datetime.tzinfo:
        tz = self.start.tzinfo
        assert tz is not None  # checked above
        return tz

    @property
    def keys(self) -> tuple[str, ...]:
        """The figures asked for, in catalogue order."""
        wanted = FIGURES if self.figures is None else set(self.figures)
        return tuple(k for k in FIGURES if k in wanted)


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    values: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class Table:
    query: Query
    rows: list[Row]
    total: Row
    missing: Mapping[str, str] = field(default_factory=dict)
