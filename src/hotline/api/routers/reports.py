"""The management figures over periods (`hotline.reports`): a period's figures against the
period before and the targets, as JSON, CSV or an Excel workbook, and an agent's
scorecard. Every value comes from the figures engine (`hotline.store.analytics`) over the
hotline's event log; the schedule and teams come from the hotline's metrics file or its
scenario's roster (`hotline.reports.schedule.hotline_data`).

Aggregates of calls only: no caller is named, so the figures are the same for every role
allowed to read them. An agent reads only their own scorecard.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime, require
from hotline.api.errors import ForbiddenError, InvalidRequestError, NotFoundError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.core.errors import UnknownAgentError
from hotline.live import LiveHotline
from hotline.metrics import FIGURES, ExternalData, SlVariant, Table
from hotline.metrics import Query as FiguresQuery
from hotline.metrics.render import to_csv, to_xlsx
from hotline.planning.service import PlanningDesk
from hotline.quality.service import QualityDesk
from hotline.reports import (
    Change,
    FiguresReport,
    Period,
    ReportError,
    Scorecard,
    Settings,
    figures_report,
    parse_day,
    scorecard,
    status,
)
from hotline.reports.compare import aligned
from hotline.reports.order_checks import checked_orders, order_checks
from hotline.reports.schedule import hotline_data, log_days, with_published

router = APIRouter(prefix="/api/reports", tags=["reports"])

ANALYSTS = frozenset({Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA, Role.ADMIN})
"""Who reads the figures of the whole hotline."""
COACHES = frozenset({Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA})
"""Who reads any agent's scorecard (an agent reads their own)."""

Analyst = Annotated[User, Depends(require(*ANALYSTS))]
Grouping = Literal["day", "interval", "hour", "week", "month", "agent", "team", "queue", "tier"]
Format = Literal["json", "csv", "xlsx"]
DATE = r"^\d{4}-\d{2}-\d{2}$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TargetOut(BaseModel):
    value: float
    better: Literal["higher", "lower"]


class FigureOut(BaseModel):
    key: str
    number: int | None
    zh: str
    en: str
    unit: str
    formula: str
    target: TargetOut | None
    needs: str | None


class RowOut(BaseModel):
    key: str
    label: str
    values: dict[str, float | None]
    status: dict[str, Literal["met", "missed"] | None]
    """Each value against its figure's target (None: no value or no target)."""


class TableOut(BaseModel):
    rows: list[RowOut]
    total: RowOut
    missing: dict[str, str]
    """Figure key -> why it has no value (never a zero in its place)."""


class ChangeOut(BaseModel):
    current: float | None
    previous: float | None
    delta: float | None
    relative: float | None
    trend: Literal["better", "worse", "same"] | None


class PeriodOut(BaseModel):
    first: datetime.date
    last: datetime.date
    start: float
    end: float
    """Epoch seconds: local midnight after `last`, or now for a period still running."""


class FiguresOut(BaseModel):
    period: PeriodOut
    previous_period: PeriodOut
    by: str
    sl_variant: SlVariant
    sl_threshold: float
    short_abandon: float
    figures: list[FigureOut]
    current: TableOut
    previous: TableOut
    previous_rows: list[str | None]
    """For each current row, the key of the previous period's row it is compared with."""
    changes: dict[str, ChangeOut]
    """Each figure's whole-period value against the period before's."""


class ScoreOut(BaseModel):
    key: str
    agent: float | None
    team: float | None
    """The team's figure; for counts and hours, the team's per logged-in agent."""
    center: float | None
    """The whole center's figure; for counts and hours, per logged-in agent."""
    status: Literal["met", "missed"] | None
    versus_team: Literal["better", "worse", "same"] | None


class ScorecardOut(BaseModel):
    agent: str
    name: str | None
    team: str | None
    period: PeriodOut
    figures: list[FigureOut]
    scores: list[ScoreOut]
    missing: dict[str, str]


# ---- building the answers ----------------------------------------------------------------


def figure_out(key: str) -> FigureOut:
    f = FIGURES[key]
    target = None if f.target is None else TargetOut(value=f.target.value, better=f.target.better)
    return FigureOut(
        key=key, number=f.number, zh=f.zh, en=f.en, unit=f.unit, formula=f.formula,
        target=target, needs=f.needs,
    )  # fmt: skip


def period_out(period: Period, query: FiguresQuery | None = None) -> PeriodOut:
    end = query.end if query is not None else period.end
    return PeriodOut(
        first=period.first,
        last=period.last,
        start=period.start.timestamp(),
        end=end.timestamp(),
    )


def _row(row: Any) -> RowOut:
    values = dict(row.values)
    return RowOut(
        key=row.key,
        label=row.label,
        values=values,
        status={k: status(k, v) for k, v in values.items()},
    )


def table_out(table: Table) -> TableOut:
    return TableOut(
        rows=[_row(r) for r in table.rows], total=_row(table.total), missing=dict(table.missing)
    )


def _change(c: Change) -> ChangeOut:
    return ChangeOut(
        current=c.current, previous=c.previous, delta=c.delta, relative=c.relative, trend=c.trend
    )


def figures_out(report: FiguresReport) -> FiguresOut:
    q = report.current.query
    return FiguresOut(
        period=period_out(report.period, report.current.query),
        previous_period=period_out(report.previous_period, report.previous.query),
        by=q.by,
        sl_variant=SlVariant(q.sl_variant),
        sl_threshold=q.sl_threshold,
        short_abandon=q.short_abandon,
        figures=[figure_out(k) for k in q.keys],
        current=table_out(report.current),
        previous=table_out(report.previous),
        previous_rows=[
            None if match is None else match.key
            for _, match in aligned(report.current, report.previous)
        ],
        changes={k: _change(c) for k, c in report.changes.items()},
    )


def scorecard_out(card: Scorecard) -> ScorecardOut:
    return ScorecardOut(
        agent=card.agent,
        name=card.name,
        team=card.team,
        period=period_out(card.period),
        figures=[figure_out(line.key) for line in card.lines],
        scores=[
            ScoreOut(
                key=line.key,
                agent=line.agent,
                team=line.team,
                center=line.center,
                status=line.status,
                versus_team=line.versus_team,
            )
            for line in card.lines
        ],
        missing=card.missing,
    )


# ---- the request's period -----------------------------------------------------------------


def today(runtime: LiveHotline) -> datetime.date:
    """The hotline's local date on the engine's clock (the demo may run ahead of the wall)."""
    return datetime.datetime.fromtimestamp(runtime.now(), runtime.hotline.timezone).date()


def request_period(first: str | None, last: str | None, default: datetime.date, tz: Any) -> Period:
    """The local days asked for (each defaults to `default`); raises `InvalidRequestError`
    naming the parameter."""
    try:
        start = parse_day(first, "from") if first else None
        end = parse_day(last, "to") if last else None
        start = start or end or default
        return Period(start, end or start, tz)
    except ReportError as exc:
        raise InvalidRequestError(exc.message, field=f"query.{exc.field}") from None


RECENT_DAYS = 30
"""The period a page of orders opens on: the last 30 days, today included."""


def recent_days(runtime: LiveHotline, first: str | None, last: str | None) -> Period:
    """Local days `first`..`last` (both included) on the hotline's clock; `last` defaults to
    today and `first` to 29 days before `last`. Raises `InvalidRequestError` naming the
    parameter."""
    end = today(runtime)
    try:
        end = parse_day(last, "to") if last else end
    except ReportError as exc:
        raise InvalidRequestError(exc.message, field=f"query.{exc.field}") from None
    start = (end - datetime.timedelta(days=RECENT_DAYS - 1)).isoformat()
    return request_period(first or start, end.isoformat(), end, runtime.hotline.timezone)


def extra_data(runtime: LiveHotline, period: Period) -> ExternalData:
    """The metrics file beside hotline.yaml, the scenario's roster as the schedule of the
    days the event log holds (`hotline.reports.schedule.hotline_data`) — the published
    schedule instead in the weeks it covers (`hotline.planning`) —, the QA scores of the
    log's scored evaluations instead of the file's (`hotline.quality`), and the checks of
    the orders stored for `period` and the one before (`hotline.reports.order_checks`)
    unless the metrics file gives its own."""
    ran = log_days(runtime.db, runtime.hotline.timezone)
    data = hotline_data(runtime.site.fresh(), runtime.scenario, ran)
    desk = runtime.services.feature("wfm", PlanningDesk)
    if desk is not None:  # the published schedule replaces the roster in its weeks
        first, last = period.previous().start.date(), period.end.date()
        data = with_published(data, desk.published_spans(first, last))
    qa = runtime.services.feature("qa", QualityDesk)
    if qa is not None:  # 监听分值 from the log's scored evaluations, where there are any
        start, end = period.previous().start.timestamp(), period.end.timestamp()
        scores = qa.scores(start, end)
        if scores:
            data = dataclasses.replace(data, qa=scores)
    if runtime.orders is not None and data.order_checks is None:
        # the orders of the period and of the one before it (the report compares them)
        start, end = period.previous().start.timestamp(), period.end.timestamp()
        checks = order_checks(runtime.db, runtime.orders.config.types, start, end)
        data = data.merged(ExternalData(order_checks=checked_orders(checks)))
    return data


def _report(
    runtime: LiveHotline, period: Period, by: str, settings: Settings, now: float
) -> FiguresReport:
    try:
        return figures_report(runtime.db, period, by, settings, extra_data(runtime, period), now)
    except ReportError as exc:
        raise InvalidRequestError(exc.message, field=f"query.{exc.field}") from None


def _download(report: FiguresReport, fmt: str) -> Response:
    name = f"hotline-figures-{report.period.first}-{report.period.last}-{report.current.query.by}"
    if fmt == "csv":
        # a byte-order mark so that Excel opens the Chinese labels as UTF-8
        body = ("\ufeff" + to_csv(report.current)).encode("utf-8")
        media = "text/csv; charset=utf-8"
    else:
        body, media = to_xlsx(report.current), XLSX
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the figures (JSON), or the current table as CSV or an Excel workbook",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **errors(401, 403, 422),
}


@router.get("/figures", response_model=FiguresOut, responses=DOWNLOADS)
async def report_figures(
    _: Analyst,
    runtime: Runtime,
    first: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
    by: Grouping = "day",
    sl_variant: SlVariant = SlVariant.OFFERED,
    format: Format = "json",
) -> Any:
    """The figures of local days `from`..`to` (both included; default: today on the
    hotline's clock) grouped `by`, and those of the same number of days just before, with
    each figure's target and whole-period change. `format=csv|xlsx` downloads the current
    table instead."""
    now = runtime.now()
    period = request_period(first, last, today(runtime), runtime.hotline.timezone)
    settings = Settings.of(runtime.hotline, sl_variant)
    await runtime.commit()
    report = await run_in_threadpool(lambda: _report(runtime, period, by, settings, now))
    if format != "json":
        return _download(report, format)
    return figures_out(report)


def may_see_scorecard(user: User, agent: str) -> bool:
    return user.role in COACHES or (user.role is Role.AGENT and user.agent_id == agent)


@router.get("/scorecard/{agent}", response_model=ScorecardOut, responses=errors(401, 403, 404, 422))
async def agent_scorecard(
    agent: str,
    user: CurrentUser,
    runtime: Runtime,
    first: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
) -> ScorecardOut:
    """`agent`'s figures over local days `from`..`to` (default: today) against their team
    and the whole center, with the targets. Agents read only their own."""
    if not may_see_scorecard(user, agent):
        raise ForbiddenError(f"role {user.role.value!r} may not read agent {agent!r}'s scorecard")
    now = runtime.now()
    period = request_period(first, last, today(runtime), runtime.hotline.timezone)
    settings = Settings.of(runtime.hotline)
    await runtime.commit()

    def build() -> Scorecard:
        try:
            return scorecard(runtime.db, agent, period, settings, extra_data(runtime, period), now)
        except UnknownAgentError as exc:
            raise NotFoundError(exc.message) from None

    return scorecard_out(await run_in_threadpool(build))
