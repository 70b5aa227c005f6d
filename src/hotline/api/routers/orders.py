"""Work orders (工单) over HTTP: create from a call, list, the timeline, every transition.

Who may do what: an agent creates orders from the call on their desk and reads,
answers, pauses, resumes and records visits of the orders they created; a department
(处理部门, role ``department``) reads, follows up (到达现场, 已送电 …) and answers the orders
assigned to it, and nothing else; the shift lead and the supervisor do everything on
every order (assign, expedite, reopen, archive, the overdue scan, the outage sample,
orders without a call: 来信, 来访, 网站); QA and the administrator read.

Identities: on a confidential type (complaint, tip-off) the personal fields and the
calling number are replaced by ``***`` for every role but the complaint owner role
(``confidential_to`` in orders.yaml, the supervisor), and each unmasked read of such
an order is written to the audit log (``order.identity_read``). On other types the
numbers are masked as for customers (`roles.sees_unmasked`: the shift lead, and the
agent who took the call, see them in clear; a department sees the contact of an order
it is following up on the order's page, each such read audited as
``order.contact_read``).

Each command's events are committed to the event log with the order (the store's
outbox), then go on the runtime's bus (`publish_stored`) for the live stream and the
wallboard; the log's writer does not store them again.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import CurrentUser, Runtime, client_of, require
from hotline.api.errors import ConflictError, ForbiddenError, InvalidRequestError
from hotline.api.masking import mask_address, mask_phone
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.orders import lifecycle
from hotline.orders.config import NAME, OrderConfig, OrderType
from hotline.orders.errors import InvalidFieldsError, NoSuchOrderTypeError, ReportedTimeError
from hotline.orders.model import (
    HANDED_BACK,
    Deadline,
    DeadlineStatus,
    Expedite,
    ExpediteStatus,
    Order,
    OrderFilter,
    OrderSource,
    OrderState,
    ReturnVisit,
    StepKind,
    VisitStatus,
    VisitWindow,
)
from hotline.orders.service import (
    IdempotencyKeyReusedError,
    OrderDesk,
    OrderStore,
    Outcome,
    UnknownDepartmentError,
)
from hotline.users import AuditLog

router = APIRouter(prefix="/api/orders", tags=["orders"])

HIDDEN = "***"
MANAGERS = (Role.SHIFT_LEAD, Role.SUPERVISOR)
HANDLERS = (Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR)
Manager = Annotated[User, Depends(require(*MANAGERS))]
Handler = Annotated[User, Depends(require(*HANDLERS))]
Responder = Annotated[User, Depends(require(*HANDLERS, Role.DEPARTMENT))]
"""跟进 and 答复: the handlers, and a department on the orders assigned to it."""
FOLLOWING_UP = frozenset({OrderState.ASSIGNED, OrderState.WAITING_CUSTOMER})
"""States in which the order's department follows it up (and sees its contact)."""
OrderId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the order's number")]
NameStr = Annotated[str, Field(min_length=1, max_length=64, pattern=NAME)]
Note = Annotated[str, Field(max_length=1000)]
NOTE_MAX = 1000
MAX_FIELDS = 64
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")
"""An idempotency key: 1–128 visible ASCII characters (a UUID, as the console sends)."""


# --- models --------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderCreate(_In):
    """A new order. The fields are checked here against the type's configuration
    (required, type, the configured `max_length`), and each refusal is named per field
    in Chinese (`RefusedFieldsError`), so the values are not constrained by the schema."""

    type: str = Field(description="an order type of orders.yaml, e.g. `complaint`")
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="field name → text or whole number, as the type's `fields` say",
    )
    anonymous: bool = Field(default=False, description="匿名: only where the type allows it")
    note: str = Field(default="", description=f"at most {NOTE_MAX} characters")
    idempotency_key: str | None = Field(
        default=None,
        description="as the `Idempotency-Key` header, for clients that cannot set headers",
    )
    source: OrderSource = Field(
        default=OrderSource.PHONE,
        description="来源: `phone` (an agent's order always: from the call on the desk); "
        "the shift lead and the supervisor also record `letter` (来信), `visit` (来访), "
        "`web` (网站)",
    )


class AssignIn(_In):
    department: NameStr
    note: Note = ""


class NoteIn(_In):
    note: Note = ""


ReportedAt = Annotated[
    float | None,
    Field(
        default=None,
        ge=0,
        le=1e11,
        description="when it happened, epoch seconds (default: now); not in the future, "
        "not before the order came to its department or state",
    ),
]


class FollowUpIn(_In):
    milestone: NameStr = Field(description="a milestone of the type, e.g. `arrived`")
    note: Note = ""
    at: ReportedAt = None


class AnswerIn(_In):
    note: Note = ""
    at: ReportedAt = None


class VisitIn(_In):
    score: int = Field(ge=1, le=5, description="satisfaction 1 (worst) to 5")
    opinion: Note = Field(default="", description="the customer's words; 不满意 reopens")


class SampleIn(_In):
    outage: Annotated[str, Field(min_length=1, max_length=64)]
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)


class StepOut(BaseModel):
    seq: int
    at: float
    kind: StepKind
    state: OrderState
    by: str
    department: str | None
    note: str
    detail: dict[str, str | int | float | bool | None]


class DeadlineOut(BaseModel):
    name: str
    label: str
    duration: str
    status: DeadlineStatus
    start: float | None
    due: float | None
    stopped: float | None
    left_s: float = Field(description="seconds left in the time the rule counts (negative: late)")
    paused_s: float
    paused: bool


class VisitOut(BaseModel):
    id: int
    order: int
    round: int
    window: VisitWindow
    scheduled_at: float
    due_at: float
    status: VisitStatus
    sampled: bool
    done_at: float | None
    done_by: str | None
    opinion: str
    score: int | None
    satisfied: bool | None


class OrderOut(BaseModel):
    id: int
    type: str
    type_label: str
    state: OrderState
    department: str | None
    fields: dict[str, str | int]
    caller: str
    call: str | None
    source: OrderSource = Field(description="来源: phone, letter, visit, web")
    created_by: str
    created_at: float
    updated_at: float
    anonymous: bool
    round: int
    version: int
    identity_hidden: bool
    deadline: DeadlineStatus | None = Field(description="the most urgent deadline status")
    deadlines: list[DeadlineOut]


class AttemptsOut(BaseModel):
    limit: int = Field(description="failures in a row that hand the order back")
    then: Literal["paper_notice", "escalate"]
    channels: list[str]
    failed: int = Field(description="failures in a row so far in this round")


class OrderDetail(OrderOut):
    steps: list[StepOut]
    visits: list[VisitOut]
    attempts: AttemptsOut | None = Field(
        default=None, description="for notices delivered by calls (电费通知, 欠费催交)"
    )


class DueVisitOut(BaseModel):
    visit: VisitOut
    order: OrderOut


class ExpediteOut(BaseModel):
    id: int
    order: int
    round: int
    deadline: str = Field(description="the deadline that ran out, or paper_notice / escalate")
    type: str | None = Field(default=None, description="the order's type")
    reason: str = Field(default="", description="the deadline's label, or 转纸质通知 / 升级处理")
    due_at: float
    raised_at: float
    status: ExpediteStatus
    done_at: float | None
    done_by: str | None


class FieldOut(BaseModel):
    name: str
    label: str
    type: Literal["str", "int", "date", "choice"]
    required: bool
    choices: list[str] | None
    personal: bool
    max_length: int | None = Field(description="the most characters of a text field")


class DeadlineRuleOut(BaseModel):
    name: str
    label: str
    start: str = Field(description="the step the clock starts at (`from` in orders.yaml)")
    until: str
    duration: str


class TypeOut(BaseModel):
    name: str
    label: str
    department: str | None
    anonymous: bool
    confidential: bool
    return_visit: Literal["all", "sample", "none"]
    milestones: list[str]
    fields: list[FieldOut]
    deadlines: list[DeadlineRuleOut]


class TypesOut(BaseModel):
    types: list[TypeOut]
    departments: dict[str, str]


# --- wiring --------------------------------------------------------------------------


def order_config(request: Request) -> OrderConfig:
    """orders.yaml next to the hotline file, as the runtime loaded it at start."""
    runtime: LiveHotline = request.app.state.runtime
    if runtime.orders is None:
        raise ConflictError(
            f"no work orders here: {FilePath(runtime.hotline.path).with_name('orders.yaml')} "
            "was missing when the hotline started"
        )
    return runtime.orders.config


Config = Annotated[OrderConfig, Depends(order_config)]


def desk_of(runtime: LiveHotline, config: OrderConfig) -> OrderDesk:
    """A desk whose clock is the engine's time now (read on the loop, used in the thread)."""
    now = runtime.now()
    return OrderDesk(config, runtime.services.order_store, lambda: now)


def publish(runtime: LiveHotline, outcomes: list[Outcome]) -> None:
    """Tell the live subscribers; the events are in the log already (saved with the order)."""
    for outcome in outcomes:
        runtime.publish_stored(outcome.events)


class RefusedFieldsError(InvalidRequestError):
    """Fields of a new order refused: ``problems`` says for each field, in Chinese and by
    its label, what is wrong (the form shows each next to its field); `field` names the
    first."""

    error_id = "invalid-order-fields"

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(sorted(problems.items()))
        super().__init__(
            "工单内容有误：" + "；".join(self.problems.values()),
            field=f"body.fields.{next(iter(self.problems))}",
        )

    def body_extra(self) -> dict[str, Any]:
        return {"field": self.field, "problems": self.problems}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def field_problems(
    kind: OrderType, fields: Mapping[str, Any], refused: Mapping[str, str]
) -> dict[str, str]:
    """Each field the order rules refused (`InvalidFieldsError.problems`), said in Chinese
    with its label: the reason follows from the field's configuration and the value sent,
    by the same rules (`hotline.orders.lifecycle.check_fields`)."""
    out: dict[str, str] = {}
    for name in refused:
        spec = kind.field(name)
        value = fields.get(name)
        if spec is None:
            out[name] = f"未知字段「{name}」：{kind.label}工单没有这一项"
        elif _blank(value):
            out[name] = f"{spec.label}：必填"
        elif spec.type == "int":
            out[name] = f"{spec.label}：须为整数"
        elif not isinstance(value, str):
            out[name] = f"{spec.label}：须为文字"
        elif spec.type == "date":
            out[name] = f"{spec.label}：须为日期（年-月-日，如 2026-12-01）"
        elif spec.type == "choice":
            out[name] = f"{spec.label}：须从选项中选择"
        else:
            length = len(value.strip())
            out[name] = f"{spec.label}：最多 {spec.max_length} 字，现有 {length} 字"
    return out


def _request_key(header: str | None, body: str | None) -> str | None:
    """The create request's idempotency key, from the header or the body (not two)."""
    if header is not None and body is not None and header != body:
        raise InvalidRequestError(
            "幂等键不一致：Idempotency-Key 请求头与 idempotency_key 字段不同",
            field="body.idempotency_key",
        )
    key = header if header is not None else body
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidRequestError(
            "幂等键（Idempotency-Key）须为 1–128 个可见 ASCII 字符",
            field="header.idempotency-key" if header is not None else "body.idempotency_key",
        )
    return key


# --- views ---------------------------------------------------------------------------


def _deadline(d: Deadline) -> dict[str, Any]:
    return {
        "name": d.name,
        "label": d.label,
        "duration": d.duration,
        "status": d.status,
        "start": d.start,
        "due": d.due,
        "stopped": d.stopped,
        "left_s": round(d.left, 1),
        "paused_s": round(d.paused_for, 1),
        "paused": d.paused,
    }


_URGENCY = [DeadlineStatus.OVERDUE, DeadlineStatus.NEAR, DeadlineStatus.OK]


def _worst(found: list[Deadline]) -> DeadlineStatus | None:
    statuses = {d.status for d in found}
    return next((s for s in _URGENCY if s in statuses), None)


_MASKS = {"phone": mask_phone, "address": mask_address}
"""Personal fields masked on ordinary types for roles that do not see numbers in clear
(names are shown, as on customer records)."""


def identity_visible(order: Order, user: User, config: OrderConfig) -> bool:
    kind = config.types.get(order.type)
    return kind is None or not kind.confidential or user.role.value == config.confidential_to


def following_up(order: Order, user: User) -> bool:
    """Whether `user` is the department following the order up now (assigned to it, open)."""
    return (
        user.role is Role.DEPARTMENT
        and user.department is not None
        and order.department == user.department
        and order.state in FOLLOWING_UP
    )


def order_view(
    order: Order, user: User, desk: OrderDesk, *, contact: bool = False
) -> dict[str, Any]:
    """The order as `user` may see it, with its deadlines now. With `contact` (the order's
    page), a department following the order up sees the contact in clear (the caller
    audits that read); lists show it masked."""
    config = desk.config
    kind = config.types.get(order.type)
    personal = {f.name for f in kind.fields if f.personal} if kind is not None else set()
    fields = dict(order.fields)
    caller = order.caller
    hidden = not identity_visible(order, user, config)
    if hidden:
        fields = {k: (HIDDEN if k in personal else v) for k, v in fields.items()}
        caller = HIDDEN if caller else ""
    elif not (kind is not None and kind.confidential) and not sees_unmasked(
        user.role,
        on_the_call=user.role is Role.AGENT and order.created_by == user.username,
        following_up=contact and following_up(order, user),
    ):
        caller = mask_phone(caller) if caller else ""
        for key, value in fields.items():
            mask = _MASKS.get(key)
            if key in personal and mask is not None and isinstance(value, str):
                fields[key] = mask(value)
    found = desk.deadlines(order) if kind is not None else []
    return {
        "id": order.id,
        "type": order.type,
        "type_label": kind.label if kind is not None else order.type,
        "state": order.state,
        "department": order.department,
        "fields": fields,
        "caller": caller,
        "call": order.call,
        "source": order.source,
        "created_by": order.created_by,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "anonymous": order.anonymous,
        "round": order.round,
        "version": order.version,
        "identity_hidden": hidden,
        "deadline": _worst(found),
        "deadlines": [_deadline(d) for d in found],
    }


def _visit(v: ReturnVisit) -> dict[str, Any]:
    return {
        "id": v.id,
        "order": v.order,
        "round": v.round,
        "window": v.window,
        "scheduled_at": v.scheduled_at,
        "due_at": v.due_at,
        "status": v.status,
        "sampled": v.sampled,
        "done_at": v.done_at,
        "done_by": v.done_by,
        "opinion": v.opinion,
        "score": v.score,
        "satisfied": v.satisfied,
    }


def _expedites(
    tasks: list[Expedite], store: OrderStore, config: OrderConfig
) -> list[dict[str, Any]]:
    """The tasks with their order's type and a readable reason (blocking)."""
    types: dict[int, str | None] = {}
    out = []
    for task in tasks:
        if task.order not in types:
            found = store.get(task.order)
            types[task.order] = found.type if found is not None else None
        type_name = types[task.order]
        kind = config.types.get(type_name or "")
        reason = HANDED_BACK.get(task.deadline) or next(
            (r.label for r in (kind.deadlines if kind else ()) if r.name == task.deadline),
            task.deadline,
        )
        out.append(_expedite(task) | {"type": type_name, "reason": reason})
    return out


def _expedite(e: Expedite) -> dict[str, Any]:
    return {
        "id": e.id,
        "order": e.order,
        "round": e.round,
        "deadline": e.deadline,
        "due_at": e.due_at,
        "raised_at": e.raised_at,
        "status": e.status,
        "done_at": e.done_at,
        "done_by": e.done_by,
    }


def detail_view(
    order: Order, user: User, desk: OrderDesk, *, audit_log: AuditLog, client: str
) -> dict[str, Any]:
    """The order with its timeline and visits; blocking (run in the thread pool). Reading a
    confidential order's identity writes an ``order.identity_read`` row to `audit_log`, a
    department reading the contact of an order it follows up ``order.contact_read``."""
    view = order_view(order, user, desk, contact=True)
    view["steps"] = [
        {
            "seq": s.seq,
            "at": s.at,
            "kind": s.kind,
            "state": s.state,
            "by": s.by,
            "department": s.department,
            "note": s.note,
            "detail": dict(s.detail),
        }
        for s in order.steps
    ]
    visits = desk.store.visits_of(order.id)
    view["visits"] = [_visit(v) for v in visits]
    kind = desk.config.types.get(order.type)
    if kind is not None and kind.attempts is not None:
        rule = kind.attempts
        view["attempts"] = {
            "limit": rule.limit,
            "then": rule.then,
            "channels": list(rule.channels),
            "failed": lifecycle.failed_attempts(order),
        }
    if kind is not None and kind.confidential and not view["identity_hidden"]:
        audit_log.record(
            username=user.username,
            role=user.role.value,
            action="order.identity_read",
            subject_type="order",
            subject_id=str(order.id),
            client=client,
        )
    elif kind is not None and not kind.confidential and following_up(order, user):
        audit_log.record(
            username=user.username,
            role=user.role.value,
            action="order.contact_read",
            subject_type="order",
            subject_id=str(order.id),
            detail={"department": order.department},
            client=client,
        )
    return view


def may_handle(order: Order, user: User) -> None:
    """Agents act on (and read) only the orders they created, a department only the orders
    assigned to it (an order reassigned elsewhere is no longer theirs)."""
    if user.role is Role.AGENT and order.created_by != user.username:
        raise ForbiddenError("工单不是本人受理的：坐席只能查看和处理自己受理的工单")
    if user.role is Role.DEPARTMENT and (
        user.department is None or order.department != user.department
    ):
        raise ForbiddenError("工单不属于本部门：部门只能查看和处理交办给本部门的工单")


# --- reading -------------------------------------------------------------------------


@router.get("/types", response_model=TypesOut, responses=errors(401, 422))
async def list_types(_: CurrentUser, config: Config) -> dict[str, Any]:
    """The configured order types: fields for the create form, deadlines, visit rule."""
    types = []
    for name, kind in config.types.items():
        types.append(
            {
                "name": name,
                "label": kind.label,
                "department": kind.department,
                "anonymous": kind.anonymous,
                "confidential": kind.confidential,
                "return_visit": kind.return_visit,
                "milestones": list(kind.milestones),
                "fields": [
                    f.model_dump() | {"max_length": f.max_length if f.type == "str" else None}
                    for f in kind.fields
                ],
                "deadlines": [
                    {
                        "name": r.name,
                        "label": r.label,
                        "start": r.start,
                        "until": r.until,
                        "duration": str(r.duration),
                    }
                    for r in kind.deadlines
                ],
            }
        )
    return {"types": types, "departments": dict(config.departments)}


@router.get("/visits/due", response_model=list[DueVisitOut], responses=errors(401, 403, 422))
async def due_visits(
    user: Handler,
    runtime: Runtime,
    config: Config,
    until: Annotated[
        float | None, Query(ge=0, le=1e11, description="scheduled before (default: all)")
    ] = None,
) -> list[dict[str, Any]]:
    """The return-visit work list (回访), earliest first; agents get their own orders'."""
    desk = desk_of(runtime, config)

    def load() -> list[dict[str, Any]]:
        store = runtime.services.order_store
        found = []
        for v in store.due_visits(until=until):
            order = store.get(v.order)
            if order is None or (user.role is Role.AGENT and order.created_by != user.username):
                continue
            found.append({"visit": _visit(v), "order": order_view(order, user, desk)})
        return found

    return await run_in_threadpool(load)


@router.get("/expedites", response_model=list[ExpediteOut], responses=errors(401, 403, 422))
async def expedites(
    _: Manager,
    runtime: Runtime,
    config: Config,
    status: Annotated[ExpediteStatus | None, Query()] = ExpediteStatus.OPEN,
) -> list[dict[str, Any]]:
    """Expedite tasks (催办) for the shift lead: raised by overdue deadlines, or by the
    third failed notice call (转纸质通知 / 升级处理)."""
    store = runtime.services.order_store
    return await run_in_threadpool(
        lambda: _expedites(store.expedites(status=status), store, config)
    )


@router.get("", response_model=list[OrderOut], responses=errors(401, 403, 422))
async def list_orders(
    user: CurrentUser,
    runtime: Runtime,
    config: Config,
    state: Annotated[OrderState | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=64, pattern=NAME)] = None,
    department: Annotated[str | None, Query(max_length=64, pattern=NAME)] = None,
    deadline: Annotated[
        Literal["ok", "near", "overdue"] | None, Query(description="the most urgent deadline")
    ] = None,
    created_from: Annotated[float | None, Query(ge=0, le=1e11)] = None,
    created_to: Annotated[float | None, Query(ge=0, le=1e11)] = None,
    call: Annotated[str | None, Query(max_length=64)] = None,
    caller: Annotated[str | None, Query(max_length=32)] = None,
    created_by: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Orders, newest first; an agent sees only the orders they created, a department only
    the orders assigned to it (numbers masked in the list)."""
    if user.role is Role.AGENT:
        if created_by is not None and created_by != user.username:
            raise ForbiddenError("an agent may list only the orders they created")
        created_by = user.username
    if user.role is Role.DEPARTMENT:
        if department is not None and department != user.department:
            raise ForbiddenError("部门只能查看交办给本部门的工单")
        department = user.department or "-"  # a department user without one sees nothing
    if caller is not None and user.role is not Role.SHIFT_LEAD and user.role is not Role.AGENT:
        raise ForbiddenError("only the shift lead and agents search orders by calling number")
    where = OrderFilter(
        states=[state] if state is not None else None,
        type=type,
        department=department,
        created_by=created_by,
        caller=caller,
        call=call,
        created_from=created_from,
        created_to=created_to,
        limit=5000 if deadline is not None else limit,
        offset=0 if deadline is not None else offset,
    )
    desk = desk_of(runtime, config)

    def load() -> list[dict[str, Any]]:
        views = [order_view(o, user, desk) for o in runtime.services.order_store.list(where)]
        if deadline is not None:
            views = [v for v in views if v["deadline"] == deadline][offset : offset + limit]
        return views

    return await run_in_threadpool(load)


@router.get("/{order_id}", response_model=OrderDetail, responses=errors(401, 403, 404, 422))
async def get_order(
    order_id: OrderId, request: Request, user: CurrentUser, runtime: Runtime, config: Config
) -> dict[str, Any]:
    """One order: fields, timeline (who and when), deadlines with their status, visits."""
    desk = desk_of(runtime, config)

    def load() -> dict[str, Any]:
        order = desk.get(order_id)
        may_handle(order, user)
        return detail_view(
            order, user, desk, audit_log=runtime.services.audit, client=client_of(request)
        )

    return await run_in_threadpool(load)


# --- commands ------------------------------------------------------------------------

_WRITE = errors(401, 403, 404, 409, 422)


async def _command(
    request: Request, runtime: Runtime, config: OrderConfig, user: User, action: Any, *, verb: str
) -> dict[str, Any]:
    """Run `action(desk)` (returns an Outcome) off the loop, publish its events, write
    ``order.<verb>`` to the audit log, answer the order's detail."""
    desk = desk_of(runtime, config)

    def run() -> Outcome:
        outcome: Outcome = action(desk)
        return outcome

    outcome = await run_in_threadpool(run)
    publish(runtime, [outcome])
    order = outcome.order
    await audit(
        request,
        user,
        f"order.{verb.replace('-', '_')}",
        subject_type="order",
        subject_id=str(order.id),
        detail={"type": order.type, "state": order.state.value},
    )
    return await run_in_threadpool(
        detail_view,
        order,
        user,
        desk,
        audit_log=runtime.services.audit,
        client=client_of(request),
    )


@router.post("", response_model=OrderDetail, status_code=201, responses=_WRITE)
async def create_order(
    body: OrderCreate,
    request: Request,
    response: Response,
    user: Handler,
    runtime: Runtime,
    config: Config,
    idempotency_key: Annotated[
        str | None,
        Header(
            description="one key per order the client means to create (the console sends "
            "one per form): a request repeated with the same key by the same user answers "
            "the order the first one created (same id, 201, `Idempotent-Replayed: true`) "
            "instead of creating another; the key is stored with the order"
        ),
    ] = None,
) -> dict[str, Any]:
    """受理: an agent records an order from the call on their desk (the call and the
    calling number are taken from it); the shift lead and supervisor may record one
    without a call. Every refused field is named, in Chinese, in ``problems``."""
    key = _request_key(idempotency_key, body.idempotency_key)
    if len(body.fields) > MAX_FIELDS:
        raise InvalidRequestError(f"工单字段过多：最多 {MAX_FIELDS} 项", field="body.fields")
    if len(body.note) > NOTE_MAX:
        raise InvalidRequestError(f"备注：最多 {NOTE_MAX} 字", field="body.note")
    kind = config.types.get(body.type)
    if kind is None:
        raise InvalidRequestError(f"没有这种工单类型「{body.type}」", field="body.type")
    call_id: str | None = None
    caller = ""
    if user.role is Role.AGENT and body.source is not OrderSource.PHONE:
        raise InvalidRequestError(
            "来源：坐席的工单来自当前来电，只能是「电话」；来信、来访、网站工单由值班长新建",
            field="body.source",
        )
    if user.role is Role.AGENT:
        call = runtime.desks.current(user.agent_id) if user.agent_id else None
        if call is None:
            if key is not None:  # a retry after the call ended: the order it made, if any
                first = await run_in_threadpool(
                    lambda: desk_of(runtime, config).replay(user.username, key)
                )
                if first is not None:
                    return await _replayed(request, response, runtime, user, config, first)
            raise ConflictError("no call on your desk: an order is recorded from a call")
        call_id, caller = str(call.id), call.caller

    def action(desk: OrderDesk) -> Outcome:
        try:
            return desk.create(
                body.type,
                body.fields,
                by=user.username,
                caller=caller,
                call=call_id,
                anonymous=body.anonymous,
                note=body.note,
                idempotency_key=key,
                source=body.source,
            )
        except NoSuchOrderTypeError:
            raise InvalidRequestError(
                f"没有这种工单类型「{body.type}」", field="body.type"
            ) from None
        except InvalidFieldsError as exc:
            raise RefusedFieldsError(field_problems(kind, body.fields, exc.problems)) from None
        except IdempotencyKeyReusedError as exc:
            raise ConflictError(
                f"幂等键已用于工单 {exc.details['order']}，且内容不同：新工单请用新的幂等键"
            ) from None

    if key is None:
        return await _command(request, runtime, config, user, action, verb="create")
    outcome = await run_in_threadpool(action, desk_of(runtime, config))
    if outcome.replayed:
        return await _replayed(request, response, runtime, user, config, outcome)
    return await _command(request, runtime, config, user, lambda _: outcome, verb="create")


async def _replayed(
    request: Request,
    response: Response,
    runtime: LiveHotline,
    user: User,
    config: OrderConfig,
    outcome: Outcome,
) -> dict[str, Any]:
    """The answer to a repeated create request: the first order, nothing saved or
    published again (the first request's audit row stands)."""
    response.headers["Idempotent-Replayed"] = "true"
    may_handle(outcome.order, user)
    return await run_in_threadpool(
        detail_view,
        outcome.order,
        user,
        desk_of(runtime, config),
        audit_log=runtime.services.audit,
        client=client_of(request),
    )


def _own(desk: OrderDesk, order_id: int, user: User) -> None:
    may_handle(desk.get(order_id), user)


@router.post("/{order_id}/assign", response_model=OrderDetail, responses=_WRITE)
async def assign(
    order_id: OrderId,
    body: AssignIn,
    request: Request,
    user: Manager,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """交办 (or reassign) to a department."""

    def action(desk: OrderDesk) -> Outcome:
        try:
            return desk.assign(order_id, body.department, by=user.username, note=body.note)
        except UnknownDepartmentError as exc:
            raise InvalidRequestError(exc.message, field="body.department") from None

    return await _command(request, runtime, config, user, action, verb="assign")


@router.post("/{order_id}/expedite", response_model=OrderDetail, responses=_WRITE)
async def expedite(
    order_id: OrderId,
    body: NoteIn,
    request: Request,
    user: Manager,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """督办/催办: the department is chased; the order's open expedite tasks are done."""
    return await _command(
        request,
        runtime,
        config,
        user,
        lambda desk: desk.expedite(order_id, by=user.username, note=body.note),
        verb="expedite",
    )


def _reported_time(exc: ReportedTimeError, config: OrderConfig) -> InvalidRequestError:
    """A refused report time, said in Chinese with the bound it broke (local time)."""

    def local(value: Any) -> str:
        moment = datetime.datetime.fromtimestamp(float(value), config.timezone)
        return moment.strftime("%Y-%m-%d %H:%M")

    if exc.details.get("bound") == "future":
        message = "发生时间：不能晚于现在"
    else:
        since = local(exc.details["limit"])
        message = f"发生时间：不能早于工单交办（或进入当前状态）的时间 {since}"
    return InvalidRequestError(message, field="body.at")


@router.post("/{order_id}/follow-up", response_model=OrderDetail, responses=_WRITE)
async def follow_up(
    order_id: OrderId,
    body: FollowUpIn,
    request: Request,
    user: Responder,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """跟进: a milestone of the type reported by the department (the repair team
    ``arrived``, 到达现场), at the time it happened (`at`, default now). A department
    follows up only the orders assigned to it; an agent only their own."""

    def action(desk: OrderDesk) -> Outcome:
        _own(desk, order_id, user)
        try:
            return desk.follow_up(
                order_id, body.milestone, by=user.username, note=body.note, at=body.at
            )
        except ReportedTimeError as exc:
            raise _reported_time(exc, config) from None

    return await _command(request, runtime, config, user, action, verb="follow_up")


@router.post("/{order_id}/answer", response_model=OrderDetail, responses=_WRITE)
async def answer_order(
    order_id: OrderId,
    body: AnswerIn,
    request: Request,
    user: Responder,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """答复: the department's answer or result is back, at `at` (default now; as for
    跟进). A department answers only the orders assigned to it; an agent only their own."""

    def action(desk: OrderDesk) -> Outcome:
        _own(desk, order_id, user)
        try:
            return desk.answer(order_id, by=user.username, note=body.note, at=body.at)
        except ReportedTimeError as exc:
            raise _reported_time(exc, config) from None

    return await _command(request, runtime, config, user, action, verb="answer")


def _handler_route(verb: str, summary: str) -> None:
    """POST /{id}/<verb> with a note, for agents (own orders), shift lead and supervisor."""

    async def route(
        order_id: OrderId,
        body: NoteIn,
        request: Request,
        user: Handler,
        runtime: Runtime,
        config: Config,
    ) -> dict[str, Any]:
        def action(desk: OrderDesk) -> Outcome:
            _own(desk, order_id, user)
            command = getattr(desk, verb)
            outcome: Outcome = command(order_id, by=user.username, note=body.note)
            return outcome

        return await _command(request, runtime, config, user, action, verb=verb)

    route.__name__ = f"{verb}_order"
    route.__doc__ = summary
    router.post(f"/{{order_id}}/{verb}", response_model=OrderDetail, responses=_WRITE)(route)


def _manager_route(verb: str, summary: str) -> None:
    """POST /{id}/<verb> with a note, for the shift lead and the supervisor."""

    async def route(
        order_id: OrderId,
        body: NoteIn,
        request: Request,
        user: Manager,
        runtime: Runtime,
        config: Config,
    ) -> dict[str, Any]:
        def action(desk: OrderDesk) -> Outcome:
            outcome: Outcome = getattr(desk, verb)(order_id, by=user.username, note=body.note)
            return outcome

        return await _command(request, runtime, config, user, action, verb=verb)

    route.__name__ = f"{verb}_order"
    route.__doc__ = summary
    router.post(f"/{{order_id}}/{verb}", response_model=OrderDetail, responses=_WRITE)(route)


_handler_route("pause", "等待客户资料: the deadline clocks stop until resumed.")
_handler_route("resume", "The customer's documents arrived: the clocks run again.")
_manager_route("reopen", "重新办理: a new round with the department that answered.")
_manager_route("archive", "归档 (an order waiting for its return visit is refused, 409).")


@router.post("/{order_id}/visit", response_model=OrderDetail, responses=_WRITE)
async def visit(
    order_id: OrderId,
    body: VisitIn,
    request: Request,
    user: Handler,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """回访: the customer's opinion and score; score ≤ 2 or 不满意 reopens the order."""

    def action(desk: OrderDesk) -> Outcome:
        _own(desk, order_id, user)
        return desk.visit(order_id, score=body.score, opinion=body.opinion, by=user.username)

    return await _command(request, runtime, config, user, action, verb="visit")


class AttemptIn(_In):
    reached: bool = Field(description="the customer was reached and told")
    channel: NameStr = "outbound"
    note: Note = ""


@router.post("/{order_id}/attempt", response_model=OrderDetail, responses=_WRITE)
async def attempt(
    order_id: OrderId,
    body: AttemptIn,
    request: Request,
    user: Handler,
    runtime: Runtime,
    config: Config,
) -> dict[str, Any]:
    """外呼通知: one call to deliver a notice (电费通知, 欠费催交). The third failure in a row
    (``attempts.limit``) hands the order to the shift lead as a task: 转纸质通知 or 升级处理."""

    def action(desk: OrderDesk) -> Outcome:
        _own(desk, order_id, user)
        return desk.attempt(
            order_id, reached=body.reached, channel=body.channel, by=user.username, note=body.note
        )

    return await _command(request, runtime, config, user, action, verb="attempt")


@router.post("/scan", response_model=list[ExpediteOut], responses=errors(401, 403, 422))
async def scan(
    request: Request, user: Manager, runtime: Runtime, config: Config
) -> list[dict[str, Any]]:
    """Raise an expedite task for every deadline overdue now (the runtime runs this too)."""
    desk = desk_of(runtime, config)
    outcomes = await run_in_threadpool(desk.scan)
    publish(runtime, outcomes)
    raised = {o.order.id for o in outcomes}
    await audit(request, user, "order.scan", detail={"orders": sorted(raised)})
    tasks = await run_in_threadpool(runtime.services.order_store.expedites)
    return [_expedite(t) for t in tasks if t.order in raised]


@router.post("/visits/sample", response_model=list[VisitOut], responses=errors(401, 403, 422))
async def sample(
    body: SampleIn, request: Request, user: Manager, runtime: Runtime, config: Config
) -> list[dict[str, Any]]:
    """The shift lead's fault sample after an outage is restored: ≥ 5 % of its answered
    reports, spread over the area, each given a return visit."""
    desk = desk_of(runtime, config)
    outcomes = await run_in_threadpool(desk.sample_outage, body.outage, seed=body.seed)
    publish(runtime, outcomes)
    store = runtime.services.order_store
    ids = {o.order.id for o in outcomes}
    await audit(
        request,
        user,
        "order.visits_sampled",
        subject_type="outage",
        subject_id=str(body.outage),
        detail={"orders": sorted(ids)},
    )
    planned = await run_in_threadpool(store.due_visits, orders=ids)
    return [_visit(v) for v in planned]
