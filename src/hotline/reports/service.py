"""The reports over the figures engine: a period's figures against the period before, an
agent's scorecard against the team and the center, and the daily and monthly management
report. Every value comes from `hotline.store.analytics.figures`; this module chooses the
periods and groupings, and lines the answers up."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hotline.calls.config import Hotline
from hotline.core.customer import Tier
from hotline.core.errors import UnknownAgentError
from hotline.metrics import FIGURES, ExternalData, Query, SlVariant, Table
from hotline.metrics.query import GROUPINGS
from hotline.metrics.table import not_defined
from hotline.reports.compare import Change, Status, Trend, change, changes, status
from hotline.reports.errors import ReportError
from hotline.reports.explain import Finding, Side, explain
from hotline.reports.periods import Period, day_of, month_of
from hotline.reports.schedule import scheduled_hours
from hotline.store.analytics import ParquetSource, figure_tables, figures
from hotline.store.db import Agents, Database

Source = Database | ParquetSource

REPORT_GROUPINGS = ("day", "interval", "hour", "week", "month", "agent", "team", "queue", "tier")
"""The groupings the report pages offer (the engine also knows total and call_type)."""

MOST_DAYS_BY = {"interval": 31, "hour": 62}
"""The longest period each fine grouping may cover (48 rows a day add up fast)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """How the figures are counted: the hotline's time zone, the service-level threshold
    and variant, and the short-abandon limit."""

    timezone: datetime.tzinfo = field(default_factory=lambda: zoneinfo.ZoneInfo("Asia/Shanghai"))
    sl_threshold: float = 20.0
    sl_variant: SlVariant = SlVariant.OFFERED
    short_abandon: float = 20.0

    @classmethod
    def of(cls, hotline: Hotline, sl_variant: SlVariant = SlVariant.OFFERED) -> Settings:
        """The hotline's own: the ordinary tier's service-level threshold and the
        wallboard's short abandons (`hotline.yaml`)."""
        wallboard = hotline.model.wallboard
        goal = wallboard.service_level.get(Tier.ORDINARY)
        return cls(
            timezone=hotline.timezone,
            sl_threshold=goal.target if goal is not None else 20.0,
            sl_variant=sl_variant,
            short_abandon=wallboard.short_abandon,
        )

    def query(self, period: Period, by: str, until: float | None = None) -> Query:
        """The engine's query of `period` grouped `by`, ending at `until` (epoch seconds)
        when that is inside the period: a day still running ends now, not at midnight."""
        if by not in GROUPINGS:
            raise ReportError(
                f"分组（by）：没有 {by!r} 这种分组（可选：{'、'.join(GROUPINGS)}）", field="by"
            )
        most = MOST_DAYS_BY.get(by)
        if most is not None and period.days > most:
            raise ReportError(
                f"分组（by）{by} 最多 {most} 天（所选 {period.days} 天）：请选择更粗的分组",
                field="by",
            )
        end = period.end
        if until is not None and period.start.timestamp() < until < end.timestamp():
            end = datetime.datetime.fromtimestamp(until, self.timezone)
        return Query(
            start=period.start,
            end=end,
            by=by,  # type: ignore[arg-type]
            sl_threshold=self.sl_threshold,
            sl_variant=self.sl_variant,
            short_abandon=self.short_abandon,
        )

    def queries(self, period: Period, by: str, now: float | None) -> tuple[Query, Query]:
        """The queries of `period` and of the period before it. A period still running at
        `now` ends now, and the one before ends as far into it (today until 10:30 against
        yesterday until 10:30)."""
        before = period.previous()
        current = self.query(period, by, now)
        elapsed = (current.end - current.start).total_seconds()
        return current, self.query(before, by, before.start.timestamp() + elapsed)


# ---- a period against the one before ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class FiguresReport:
    period: Period
    previous_period: Period
    current: Table
    previous: Table

    @property
    def changes(self) -> dict[str, Change]:
        """Each figure's whole-period value against the period before's."""
        return changes(self.current.total, self.previous.total, self.current.query.keys)


def figures_report(
    source: Source,
    period: Period,
    by: str,
    settings: Settings,
    extra: ExternalData | None = None,
    now: float | None = None,
) -> FiguresReport:
    """The figures of `period` grouped `by`, and those of the period before it (both cut
    at `now` when the period is still running, see `Settings.queries`)."""
    current, previous = settings.queries(period, by, now)
    return FiguresReport(
        period, period.previous(), figures(source, current, extra), figures(source, previous, extra)
    )


# ---- the agent scorecard ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreLine:
    key: str
    agent: float | None
    team: float | None
    center: float | None
    status: Status | None
    """The agent's value against the figure's target."""
    versus_team: Trend | None
    """The agent's value against the team's: better, worse, the same (None: no way is better)."""


@dataclass(frozen=True, slots=True)
class Scorecard:
    agent: str
    name: str | None
    team: str | None
    period: Period
    lines: list[ScoreLine]
    missing: dict[str, str]
    """Figure key -> why it has no value (no QA scores, no schedule …)."""


NOT_PER_AGENT = not_defined("agent")
LEFT_OUT = frozenset({"agents_logged_in", "connection_rate_outbound"})
"""Figures a scorecard leaves out: one agent is one agent; no outbound calls yet."""
PER_AGENT_UNITS = frozenset({"count"})
"""Figures that add up over agents: the team's and the center's are shown per agent."""


def _roster(source: Source, extra: ExternalData) -> tuple[dict[str, str], dict[str, str]]:
    """Teams and names: the database's agents table, where `extra` does not say otherwise."""
    teams: dict[str, str] = {}
    names: dict[str, str] = {}
    if isinstance(source, Database):
        for agent in Agents(source).list():
            if agent.team:
                teams[agent.id] = agent.team
            names[agent.id] = agent.name
    return teams | dict(extra.teams), names | dict(extra.names)


def scorecard(
    source: Source,
    agent: str,
    period: Period,
    settings: Settings,
    extra: ExternalData | None = None,
    now: float | None = None,
) -> Scorecard:
    """`agent`'s figures over `period` against their team's and the whole center's, and
    the targets. Figures that add up over agents (calls handled, logged-in hours) are
    compared with the team's and the center's per logged-in agent. Figures that have no
    meaning per agent (abandons, blocked calls) are left out; raises `UnknownAgentError` for
    an agent neither the roster nor the log knows."""
    extra = extra or ExternalData()
    teams, names = _roster(source, extra)
    extra = dataclasses.replace(extra, teams=teams, names=names)
    by_agent, by_team = figure_tables(
        source, [settings.query(period, "agent", now), settings.query(period, "team", now)], extra
    )
    row = next((r for r in by_agent.rows if r.key == agent), None)
    if row is None and agent not in teams and agent not in names:
        raise UnknownAgentError(f"no agent {agent!r} in the roster or the event log", agent=agent)
    team = teams.get(agent)
    team_row = next((r for r in by_team.rows if team is not None and r.key == team), None)
    team_values = team_row.values if team_row is not None else {}
    center_values = by_agent.total.values

    def per_agent(values: Mapping[str, float | None], key: str) -> float | None:
        value = values.get(key)
        if value is None or FIGURES[key].unit not in PER_AGENT_UNITS:
            return value
        agents = values.get("agents_logged_in")
        return value / agents if agents else None

    lines = []
    for key in by_agent.query.keys:
        if key in LEFT_OUT or by_agent.missing.get(key, "").startswith(NOT_PER_AGENT):
            continue
        own = row.values.get(key) if row is not None else None
        team_value, center = per_agent(team_values, key), per_agent(center_values, key)
        versus = change(key, own, team_value).trend
        lines.append(ScoreLine(key, own, team_value, center, status(key, own), versus))
    missing = {
        k: v
        for k, v in by_agent.missing.items()
        if k not in LEFT_OUT and not v.startswith(NOT_PER_AGENT)
    }
    return Scorecard(agent, names.get(agent), team, period, lines, missing)


# ---- the management report --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManagementReport:
    """A day by half hour, or a month by day, against the day or month before, with the
    explanation of what moved."""

    kind: Literal["day", "month"]
    period: Period
    previous_period: Period
    current: Table
    previous: Table
    scheduled: list[float] | None
    previous_scheduled: list[float] | None
    findings: list[Finding]

    @property
    def changes(self) -> dict[str, Change]:
        return changes(self.current.total, self.previous.total, self.current.query.keys)


def management_report(
    source: Source,
    period: Period,
    settings: Settings,
    extra: ExternalData | None = None,
    now: float | None = None,
) -> ManagementReport:
    """The daily report (`period` of kind day: rows by half hour) or the monthly one (kind
    month: rows by day); a day or month still running at `now` is compared with the day
    or month before as far into it."""
    if period.kind not in ("day", "month"):
        raise ReportError("管理报表只覆盖一天或一个月", field="period")
    extra = extra or ExternalData()
    by = "interval" if period.kind == "day" else "day"
    before = period.previous()
    current_query, previous_query = settings.queries(period, by, now)
    current = figures(source, current_query, extra)
    previous = figures(source, previous_query, extra)
    scheduled = scheduled_hours(extra.shifts, current.query)
    previous_scheduled = scheduled_hours(extra.shifts, previous.query)
    findings = explain(Side(current, scheduled), Side(previous, previous_scheduled))
    return ManagementReport(
        "day" if period.kind == "day" else "month",
        period,
        before,
        current,
        previous,
        scheduled,
        previous_scheduled,
        findings,
    )


def daily(
    source: Source,
    day: datetime.date,
    settings: Settings,
    extra: ExternalData | None = None,
    now: float | None = None,
) -> ManagementReport:
    return management_report(source, day_of(day, settings.timezone), settings, extra, now)


def monthly(
    source: Source,
    year: int,
    month: int,
    settings: Settings,
    extra: ExternalData | None = None,
    now: float | None = None,
) -> ManagementReport:
    period = month_of(year, month, settings.timezone)
    return management_report(source, period, settings, extra, now)
