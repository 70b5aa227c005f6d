"""Data the event log does not hold, which some figures need: costs, schedules, staff
records (HR), QA scores, teams, and order checks.

A figure whose data is missing has no value, and the table says why (never a zero).
`load_metrics_config` reads them from a YAML file (see docs/metrics.md):

    timezone: Asia/Shanghai
    costs:   [{from: 2026-07-01, to: 2026-07-31, yuan: 1200000}]   # local dates, inclusive
    shifts:  [{agent: "1001", start: "2026-07-15 07:00", end: "2026-07-15 16:00"}]
    staff:   [{agent: "1001", hired: 2024-03-01, left: 2026-07-20}]
    qa:      [{agent: "1001", date: 2026-07-15, score: 92}]
    teams:   {"1001": 故障组}
"""

from __future__ import annotations

import datetime
import os
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.config import ConfigError, load_model
from hotline.metrics.errors import MetricsError


@dataclass(frozen=True, slots=True)
class Cost:
    """What the center cost over local days `first`..`last` (inclusive), in yuan."""

    first: datetime.date
    last: datetime.date
    yuan: float


@dataclass(frozen=True, slots=True)
class Shift:
    """One scheduled shift of an agent (排班), as epoch seconds [start, end)."""

    agent: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """An agent's employment (HR): hired on, left on (None: still here), full time or not."""

    agent: str
    hired: datetime.date
    left: datetime.date | None = None
    full_time: bool = True


@dataclass(frozen=True, slots=True)
class QaScore:
    """A QA inspector's score (监听分值) of one of the agent's calls, at epoch seconds."""

    agent: str
    at: float
    score: float


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """One accepted order checked for accuracy (see `hotline.orders.accuracy`)."""

    created_at: float
    correct: bool


def _frozen(mapping: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class ExternalData:
    """Everything besides the event log; each part is optional."""

    costs: tuple[Cost, ...] = ()
    shifts: tuple[Shift, ...] = ()
    staff: tuple[StaffRecord, ...] = ()
    qa: tuple[QaScore, ...] = ()
    teams: Mapping[str, str] = field(default_factory=_frozen)
    """Agent 工号 -> team (班组)."""
    names: Mapping[str, str] = field(default_factory=_frozen)
    """Agent 工号 -> display name."""
    order_checks: tuple[OrderCheck, ...] | None = None
    """None: accuracy not checked (the figure says so)."""

    def merged(self, other: ExternalData) -> ExternalData:
        """`other`'s parts where this one has none."""
        return ExternalData(
            costs=self.costs or other.costs,
            shifts=self.shifts or other.shifts,
            staff=self.staff or other.staff,
            qa=self.qa or other.qa,
            teams=self.teams or other.teams,
            names=self.names or other.names,
            order_checks=self.order_checks if self.order_checks is not None else other.order_checks,
        )


# ---- the configuration file -------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CostModel(_Model):
    first: datetime.date = Field(alias="from")
    last: datetime.date = Field(alias="to")
    yuan: float = Field(ge=0)

    @model_validator(mode="after")
    def _order(self) -> CostModel:
        if self.last < self.first:
            raise ValueError("'to' is before 'from'")
        return self


class ShiftModel(_Model):
    agent: str
    start: datetime.datetime
    end: datetime.datetime

    @model_validator(mode="after")
    def _order(self) -> ShiftModel:
        if self.end <= self.start:
            raise ValueError("end is not after start")
        return self


class StaffModel(_Model):
    agent: str
    hired: datetime.date
    left: datetime.date | None = None
    full_time: bool = True


class QaModel(_Model):
    agent: str
    date: datetime.date
    score: float = Field(ge=0, le=100)


class MetricsModel(_Model):
    timezone: str = "Asia/Shanghai"
    costs: list[CostModel] = []
    shifts: list[ShiftModel] = []
    staff: list[StaffModel] = []
    qa: list[QaModel] = []
    teams: dict[str, str] = {}
    names: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    timezone: datetime.tzinfo
    data: ExternalData


def _epoch(value: datetime.datetime, tz: datetime.tzinfo) -> float:
    return (value if value.tzinfo is not None else value.replace(tzinfo=tz)).timestamp()


def to_external(model: MetricsModel) -> MetricsConfig:
    """The validated file as `ExternalData`; naive times are in the file's `timezone`."""
    try:
        tz = zoneinfo.ZoneInfo(model.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MetricsError(f"timezone: unknown time zone {model.timezone!r}") from None
    noon = datetime.time(12)
    return MetricsConfig(
        timezone=tz,
        data=ExternalData(
            costs=tuple(Cost(c.first, c.last, c.yuan) for c in model.costs),
            shifts=tuple(
                Shift(s.agent, _epoch(s.start, tz), _epoch(s.end, tz)) for s in model.shifts
            ),
            staff=tuple(StaffRecord(s.agent, s.hired, s.left, s.full_time) for s in model.staff),
            qa=tuple(
                QaScore(q.agent, datetime.datetime.combine(q.date, noon, tz).timestamp(), q.score)
                for q in model.qa
            ),
            teams=_frozen(model.teams),
            names=_frozen(model.names),
        ),
    )


def load_metrics_config(path: str | os.PathLike[str]) -> MetricsConfig:
    """Read a metrics file; raises `ConfigError` (file:line: field: reason) when it is wrong."""
    model, document = load_model(path, MetricsModel)
    try:
        return to_external(model)
    except MetricsError as exc:
        raise ConfigError([document.problem(("timezone",), exc.message)]) from None


def shifts_of_days(
    agent: str,
    days: Sequence[datetime.date],
    start: datetime.time,
    end: datetime.time,
    tz: datetime.tzinfo,
) -> list[Shift]:
    """One shift a day from `start` to `end` local time (past midnight when end <= start)."""
    shifts = []
    for day in days:
        begin = datetime.datetime.combine(day, start, tz)
        end_day = day + datetime.timedelta(days=1) if end <= start else day
        shifts.append(
            Shift(agent, begin.timestamp(), datetime.datetime.combine(end_day, end, tz).timestamp())
        )
    return shifts
