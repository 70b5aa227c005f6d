"""Order accuracy (受理工单正确率) over a period: each order's key fields checked against its
call (the calls ledger) and the customer's record; see `hotline.orders.accuracy`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import Runtime, require
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.orders.accuracy import KEY_FIELDS, OrderCheck, accuracy
from hotline.reports.order_checks import order_checks

router = APIRouter(prefix="/api/order-accuracy", tags=["orders"])

Inspector = Annotated[User, Depends(require(Role.QA, Role.SUPERVISOR, Role.SHIFT_LEAD))]


class WrongOrder(BaseModel):
    order: int
    type: str
    wrong: dict[str, str]


class AccuracyOut(BaseModel):
    orders: int
    correct: int
    rate: float | None
    query_key_field_rate: float | None
    query_goal: float = 0.95
    other_rate: float | None
    other_goal: float = 0.99
    wrong_fields: dict[str, int]
    wrong_orders: list[WrongOrder]


def _checks(runtime: LiveHotline, start: float | None, end: float | None) -> list[OrderCheck]:
    desk = runtime.orders
    if desk is None:
        return []
    return [c for _, c in order_checks(runtime.db, desk.config.types, start, end, limit=5000)]


@router.get("", response_model=AccuracyOut, responses=errors(401, 403, 422))
async def order_accuracy(
    _: Inspector,
    runtime: Runtime,
    start: Annotated[float | None, Query(alias="from", ge=0, le=4e9)] = None,
    end: Annotated[float | None, Query(alias="to", ge=0, le=4e9)] = None,
) -> AccuracyOut:
    """The accuracy of the orders accepted in [from, to) (epoch seconds; both optional)."""
    checks = await run_in_threadpool(_checks, runtime, start, end)
    figure = accuracy(checks)
    wrong = [
        WrongOrder(order=c.order, type=c.type, wrong={f.field: f.why for f in c.fields if not f.ok})
        for c in checks
        if not c.correct
    ]
    return AccuracyOut(
        orders=figure.orders,
        correct=figure.correct,
        rate=figure.rate,
        query_key_field_rate=figure.query_key_field_rate,
        other_rate=figure.other_rate,
        wrong_fields={f: figure.wrong_fields.get(f, 0) for f in KEY_FIELDS},
        wrong_orders=wrong[:200],
    )
