"""Order accuracy (受理工单正确率) over a period: each order's key fields checked against its
call (the calls ledger) and the customer's record, with each type's own content field;
see `hotline.orders.accuracy`. A QA inspector overrules the automatic verdict of one item
of one order with a reason (质检改判, `hotline.orders.verdicts`): kept with its history,
written to the audit log (``order.accuracy_verdict``), counted by the figure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.errors import InvalidRequestError, NotFoundError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.routers.reports import DATE, recent_days
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.orders.accuracy import KEY_FIELDS, FieldCheck, OrderCheck, Verdict, accuracy
from hotline.orders.config import OrderType
from hotline.orders.errors import NoSuchOrderError
from hotline.orders.verdicts import REASON_MAX, VerdictError, overrule
from hotline.reports.order_checks import order_check, order_checks

router = APIRouter(prefix="/api/order-accuracy", tags=["orders"])

Inspector = Annotated[User, Depends(require(Role.QA, Role.SUPERVISOR, Role.SHIFT_LEAD))]
Reviewer = Annotated[User, Depends(require(Role.QA))]
OrderId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the order's number")]

ACTION = "order.accuracy_verdict"
"""The audit action of a QA verdict."""

ITEM_LABELS = {
    "calling_number": "来电号码",
    "call_time": "来电时间",
    "category": "业务类别",
    "name": "客户名称",
    "content": "受理内容",
}
"""The checked items in Chinese, for the error messages (the console has its own words)."""


class WrongOrder(BaseModel):
    order: int
    type: str
    type_label: str
    wrong: dict[str, str]
    """Each wrong item: the automatic check's problem id, or ``qa`` when a QA verdict
    made it wrong."""
    overridden: bool


class AccuracyOut(BaseModel):
    first: str = Field(serialization_alias="from")
    """The first local day of the period (YYYY-MM-DD)."""
    last: str = Field(serialization_alias="to")
    """The last local day, included."""
    orders: int
    correct: int
    rate: float | None
    query_key_field_rate: float | None
    query_goal: float = 0.95
    other_rate: float | None
    other_goal: float = 0.99
    wrong_fields: dict[str, int]
    wrong_orders: list[WrongOrder]
    reviewed_orders: list[WrongOrder]
    """Orders with a QA verdict on any item, right or wrong now."""


class VerdictOut(BaseModel):
    id: int | None
    field: str
    correct: bool
    was: bool
    reason: str
    by: str
    at: float


class ItemOut(BaseModel):
    field: str
    source: str | None
    """The order field the check read (e.g. ``symptom``), when it read one."""
    source_label: str | None
    """That field's label in the order type (故障现象)."""
    automatic: bool
    problem: str
    detail: str
    correct: bool
    """The verdict that counts: the QA inspector's latest, else the automatic one."""
    verdict: VerdictOut | None


class OrderAccuracyOut(BaseModel):
    order: int
    type: str
    type_label: str
    correct: bool
    items: list[ItemOut]
    history: list[VerdictOut]
    """Every QA verdict on this order, newest first."""


class VerdictIn(BaseModel):
    field: str = Field(max_length=32, description="the checked item: " + ", ".join(KEY_FIELDS))
    correct: bool = Field(description="the verdict: right (true) or wrong (false)")
    reason: str = Field(max_length=2000, description=f"why (required, ≤ {REASON_MAX} characters)")


def _types(runtime: LiveHotline) -> dict[str, OrderType]:
    desk = runtime.orders
    return dict(desk.config.types) if desk is not None else {}


def _checks(runtime: LiveHotline, start: float | None, end: float | None) -> list[OrderCheck]:
    types = _types(runtime)
    if not types:
        return []
    return [c for _, c in order_checks(runtime.db, types, start, end, limit=5000)]


def _label(types: dict[str, OrderType], name: str) -> str:
    kind = types.get(name)
    return kind.label if kind is not None else name


def _listed(check: OrderCheck, types: dict[str, OrderType]) -> WrongOrder:
    return WrongOrder(
        order=check.order,
        type=check.type,
        type_label=_label(types, check.type),
        wrong={
            f.field: f.problem if f.override is None else "qa" for f in check.fields if not f.ok
        },
        overridden=check.overridden,
    )


@router.get("", response_model=AccuracyOut, responses=errors(401, 403, 422))
async def order_accuracy(
    _: Inspector,
    runtime: Runtime,
    first: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
) -> AccuracyOut:
    """The accuracy of the orders accepted on local days `from`..`to` (both included;
    default: the last 30 days on the hotline's clock), the QA inspectors' verdicts counted
    in place of the automatic ones."""
    period = recent_days(runtime, first, last)
    start, end = period.start.timestamp(), period.end.timestamp()
    checks = await run_in_threadpool(_checks, runtime, start, end)
    types = _types(runtime)
    figure = accuracy(checks)
    return AccuracyOut(
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        orders=figure.orders,
        correct=figure.correct,
        rate=figure.rate,
        query_key_field_rate=figure.query_key_field_rate,
        other_rate=figure.other_rate,
        wrong_fields={f: figure.wrong_fields.get(f, 0) for f in KEY_FIELDS},
        wrong_orders=[_listed(c, types) for c in checks if not c.correct][:200],
        reviewed_orders=[_listed(c, types) for c in checks if c.overridden][:200],
    )


def _verdict(v: Verdict) -> VerdictOut:
    return VerdictOut(
        id=v.id, field=v.field, correct=v.ok, was=v.was, reason=v.reason, by=v.by, at=v.at
    )


def _item(f: FieldCheck, kind: OrderType | None) -> ItemOut:
    source = kind.field(f.source) if kind is not None and f.source else None
    confidential = kind is not None and kind.confidential
    return ItemOut(
        field=f.field,
        source=f.source,
        source_label=source.label if source is not None else None,
        automatic=f.automatic,
        problem=f.problem,
        detail="" if confidential else f.detail,  # a complainant's CRM name stays hidden
        correct=f.ok,
        verdict=_verdict(f.override) if f.override is not None else None,
    )


def _found(runtime: LiveHotline, order_id: int) -> tuple[OrderCheck, dict[str, OrderType]]:
    types = _types(runtime)
    check = order_check(runtime.db, types, order_id) if types else None
    if check is None:
        raise NotFoundError(f"没有工单 {order_id}")
    return check, types


def _detail(runtime: LiveHotline, order_id: int) -> OrderAccuracyOut:
    check, types = _found(runtime, order_id)
    kind = types.get(check.type)
    history = runtime.services.verdicts.history(order_id)
    return OrderAccuracyOut(
        order=check.order,
        type=check.type,
        type_label=_label(types, check.type),
        correct=check.correct,
        items=[_item(f, kind) for f in check.fields],
        history=[_verdict(v) for v in history],
    )


@router.get(
    "/orders/{order_id}", response_model=OrderAccuracyOut, responses=errors(401, 403, 404, 422)
)
async def order_items(order_id: OrderId, _: Inspector, runtime: Runtime) -> OrderAccuracyOut:
    """One order's checked items: the automatic verdict and why, the field of the order
    type it read, the QA inspector's latest verdict (who, when, why), and every verdict."""
    return await run_in_threadpool(_detail, runtime, order_id)


def _item_name(check: OrderCheck, types: dict[str, OrderType], item: str) -> str:
    """「受理内容（故障现象）」: the item and the order type's field it reads."""
    label = ITEM_LABELS.get(item, item)
    found = check.item(item)
    kind = types.get(check.type)
    source = kind.field(found.source) if kind is not None and found and found.source else None
    return f"{label}（{source.label}）" if source is not None else label


def _overrule(runtime: LiveHotline, order_id: int, body: VerdictIn, user: User) -> Verdict:
    check, types = _found(runtime, order_id)
    name = _item_name(check, types, body.field)
    try:
        verdict = overrule(
            check, body.field, body.correct, body.reason, by=user.username, at=runtime.now()
        )
    except VerdictError as exc:
        if exc.part == "field":
            checked = "、".join(ITEM_LABELS.get(f.field, f.field) for f in check.fields)
            message = f"工单 {order_id} 不检查「{name}」：可改判的项目为 {checked}"
            raise InvalidRequestError(message, field="body.field") from None
        if exc.part == "reason":
            if body.reason.strip():
                message = f"改判理由（{name}）：最多 {REASON_MAX} 字"
            else:
                message = f"改判理由（{name}）：必填，请写明为何改判"
            raise InvalidRequestError(message, field="body.reason") from None
        state = "正确" if body.correct else "错误"
        raise InvalidRequestError(
            f"「{name}」现已判定为{state}，无需改判", field="body.correct"
        ) from None
    try:
        return runtime.services.verdicts.add(verdict)
    except NoSuchOrderError:
        raise NotFoundError(f"没有工单 {order_id}") from None


@router.post(
    "/orders/{order_id}/verdicts",
    response_model=OrderAccuracyOut,
    status_code=201,
    responses=errors(401, 403, 404, 422),
)
async def add_verdict(
    order_id: OrderId, body: VerdictIn, request: Request, user: Reviewer, runtime: Runtime
) -> OrderAccuracyOut:
    """质检改判 (QA only): overrule the verdict of one checked item of the order — right ↔
    wrong — with a reason. Every verdict is kept (the latest counts) and written to the
    audit log as ``order.accuracy_verdict`` (the item, from → to, the reason)."""
    verdict = await run_in_threadpool(_overrule, runtime, order_id, body, user)
    await audit(
        request,
        user,
        ACTION,
        subject_type="order",
        subject_id=str(order_id),
        detail={
            "field": verdict.field,
            "from": verdict.was,
            "to": verdict.ok,
            "reason": verdict.reason,
            "verdict": verdict.id,
        },
    )
    return await run_in_threadpool(_detail, runtime, order_id)
