"""Complaint analysis (投诉分析) over a period: counts by cause, product, department and
customer group, the Pareto of the causes, the daily trend, the time to resolve and the share
reopened; see `hotline.orders.analysis`.

Aggregates only: the response names no order, caller or complainant, so the figures are
the same for every role allowed to read them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import Runtime, require
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.routers.orders import Config
from hotline.api.routers.reports import DATE, recent_days
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.orders import analysis
from hotline.orders.config import OrderConfig
from hotline.orders.model import Order, OrderFilter
from hotline.reports import Period

router = APIRouter(prefix="/api/complaints", tags=["orders"])

Analyst = Annotated[User, Depends(require(Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA, Role.ADMIN))]

PAGE = 1000
MOST = 50_000
"""The most complaints one answer reads (the newest of the period)."""


class CountOut(BaseModel):
    key: str
    count: int


class ParetoOut(BaseModel):
    key: str
    count: int
    share: float
    cumulative: float


class DayOut(BaseModel):
    day: str
    count: int


class ResolveOut(BaseModel):
    resolved: int
    median_working_h: float | None
    p90_working_h: float | None
    median_calendar_h: float | None
    p90_calendar_h: float | None


class ComplaintAnalysisOut(BaseModel):
    first: str = Field(serialization_alias="from")
    """The first local day of the period (YYYY-MM-DD)."""
    last: str = Field(serialization_alias="to")
    """The last local day, included."""
    start: float
    end: float
    """The period as epoch seconds, [start, end)."""
    total: int
    by_cause: list[CountOut]
    by_product: list[CountOut]
    by_department: list[CountOut]
    by_group: list[CountOut]
    pareto: list[ParetoOut]
    trend: list[DayOut]
    resolve: ResolveOut
    reopened: int
    reopened_share: float | None
    departments: dict[str, str]
    """Department name → label (orders.yaml), for the page's captions."""


def _complaints(runtime: LiveHotline, start: float | None, end: float | None) -> list[Order]:
    store = runtime.services.order_store
    found: list[Order] = []
    while len(found) < MOST:
        page = store.list(
            OrderFilter(
                type=analysis.COMPLAINT,
                created_from=start,
                created_to=end,
                limit=PAGE,
                offset=len(found),
            )
        )
        found.extend(page)
        if len(page) < PAGE:
            break
    return found


def _counts(found: tuple[analysis.Count, ...]) -> list[CountOut]:
    return [CountOut(key=c.key, count=c.count) for c in found]


def _analyse(runtime: LiveHotline, config: OrderConfig, period: Period) -> ComplaintAnalysisOut:
    start, end = period.start.timestamp(), period.end.timestamp()
    calendar = config.calendar()
    figures = analysis.analyse(_complaints(runtime, start, end), calendar, start=start, end=end)
    r = figures.resolve
    return ComplaintAnalysisOut(
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        start=start,
        end=end,
        total=figures.total,
        by_cause=_counts(figures.by_cause),
        by_product=_counts(figures.by_product),
        by_department=_counts(figures.by_department),
        by_group=_counts(figures.by_group),
        pareto=[
            ParetoOut(key=b.key, count=b.count, share=b.share, cumulative=b.cumulative)
            for b in figures.pareto
        ],
        trend=[DayOut(day=d.day, count=d.count) for d in figures.trend],
        resolve=ResolveOut(
            resolved=r.resolved,
            median_working_h=r.median_working_h,
            p90_working_h=r.p90_working_h,
            median_calendar_h=r.median_calendar_h,
            p90_calendar_h=r.p90_calendar_h,
        ),
        reopened=figures.reopened,
        reopened_share=figures.reopened_share,
        departments=dict(config.departments),
    )


@router.get("/analysis", response_model=ComplaintAnalysisOut, responses=errors(401, 403, 422))
async def complaint_analysis(
    _: Analyst,
    runtime: Runtime,
    config: Config,
    first: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
) -> ComplaintAnalysisOut:
    """The complaint figures of the complaints accepted on local days `from`..`to` (both
    included; default: the last 30 days on the hotline's clock)."""
    period = recent_days(runtime, first, last)
    return await run_in_threadpool(_analyse, runtime, config, period)
