"""交接班 over HTTP: the shift lead's handover sheet and the agents' shift summaries.

The shift lead (or supervisor) sees the draft of the shift under way — unfinished
orders, orders to chase, outages, and the agents' summaries so far — hands it over
with the shift's incidents, system status and notes, and the incoming lead
acknowledges it. An agent summarizes their own shift (本班小结). QA reads the sheets.
Handing over, acknowledging and summarizing are written to the audit log
(``handover.submitted``, ``handover.acknowledged``, ``handover.summarized``).
The sheet's lists carry order numbers, types, departments and deadlines — no
customer's name or number — so they need no masking.

The shifts are the roster's (the demo's scenario; `hotline.handover.shifts`): the draft
is the sheet of the shift the lead hands over now, with its figures so far; an empty
sheet is refused (422, ``field: body.no_exceptions``) unless 无异常 is ticked.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.errors import ConflictError, InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.handover.service import HandoverDesk
from hotline.handover.sheet import HandoverSheet, SheetError, ShiftSummary
from hotline.handover.shifts import ShiftPlan, roster_plan
from hotline.live import LiveHotline
from hotline.planning.service import PlanningDesk

router = APIRouter(tags=["handover"])

LEADS = (Role.SHIFT_LEAD, Role.SUPERVISOR)
Lead = Annotated[User, Depends(require(*LEADS))]
Reader = Annotated[User, Depends(require(*LEADS, Role.QA))]
Agent = Annotated[User, Depends(require(Role.AGENT))]
SheetId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the sheet's number")]
Text = Annotated[str, Field(max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HandOverIn(_In):
    incidents: Text = Field(default="", description="事件: what happened in the shift")
    system_status: Text = Field(default="", description="系统状态")
    notes: Text = Field(default="", description="其他交代事项")
    no_exceptions: bool = Field(
        default=False, description="无异常: the lead confirms a sheet with nothing written"
    )


class AcknowledgeIn(_In):
    remark: Text = Field(default="", description="the incoming lead's remark")


class SummaryIn(_In):
    note: Text = Field(default="", description="本班小结: the agent's own words")


class OrderLineOut(BaseModel):
    order: int
    type: str
    label: str
    state: str
    department: str | None
    created_at: float
    deadline: str
    due: float | None
    status: str


class ChaseLineOut(BaseModel):
    order: int
    type: str
    label: str
    reason: str
    due: float | None
    department: str | None
    task: int | None
    kind: str = Field(description="task (催办), deadline, or expedited (督办, still open)")
    at: float | None = Field(description="the last 督办 of an expedited order")
    by: str


class OutageLineOut(BaseModel):
    order: int | None
    area: str
    cause: str
    restore_at: str
    faults: int


class ShiftOut(BaseModel):
    name: str = Field(description="the shift's key in the roster")
    label: str = Field(description="its name people use: 早班")
    hours: str = Field(description="07:00–16:00")
    day: datetime.date = Field(description="the local day it begins")
    start: float
    end: float


class FiguresOut(BaseModel):
    start: float
    end: float = Field(description="counted up to here: the shift's end, or now while it runs")
    offered: int = Field(description="呼入: calls offered to agents")
    answered: int = Field(description="接通: calls answered by agents")
    service_level: float | None = Field(description="服务水平, 0–1; none without calls")
    abandoned: int = Field(description="放弃: abandons in queue or ringing")
    orders_taken: int = Field(description="受理工单数: orders created")
    orders_overdue: int = Field(description="超时工单: orders whose deadline ran out")


class SnapshotOut(BaseModel):
    unfinished: list[OrderLineOut]
    to_chase: list[ChaseLineOut]
    outages: list[OutageLineOut]


class SummaryOut(BaseModel):
    id: int
    username: str
    agent: str | None
    shift_start: float
    created_at: float
    counts: dict[str, float]
    note: str


class SheetOut(BaseModel):
    id: int
    shift_start: float
    created_at: float
    outgoing: str
    snapshot: SnapshotOut
    incidents: str
    system_status: str
    notes: str
    status: str
    incoming: str | None
    acknowledged_at: float | None
    remark: str
    shift: ShiftOut | None = Field(description="none on sheets from before shifts were kept")
    figures: FiguresOut | None
    no_exceptions: bool


class DraftOut(BaseModel):
    shift: ShiftOut = Field(description="the shift the lead hands over now")
    shift_start: float
    now: float
    figures: FiguresOut
    snapshot: SnapshotOut
    summaries: list[SummaryOut]
    waiting: SheetOut | None = Field(description="a sheet still waiting for 接班, if any")


class MyShiftOut(BaseModel):
    shift: ShiftOut = Field(description="the agent's own shift in the roster")
    shift_start: float
    now: float
    counts: dict[str, float]
    summaries: list[SummaryOut]


def handover_desk(request: Request) -> HandoverDesk:
    """The site's handover desk; 409 when the hotline has no work orders."""
    runtime: LiveHotline = request.app.state.runtime
    desk = runtime.services.feature("handover", HandoverDesk)
    if desk is None:
        raise ConflictError(
            f"no work orders here: {runtime.hotline.path.with_name('orders.yaml')} "
            "was missing when the hotline started"
        )
    return desk


Desk = Annotated[HandoverDesk, Depends(handover_desk)]


def shift_plan(request: Request) -> ShiftPlan:
    """The shifts: this week's published schedule (排班, `hotline.planning`) when there is
    one, else the roster's — the demo's scenario; on real calls, which have none, the day."""
    runtime: LiveHotline = request.app.state.runtime
    desk = runtime.services.feature("wfm", PlanningDesk)
    published = desk.handover_shifts(runtime.now()) if desk is not None else None
    if published is not None and published[0]:
        shifts, agents = published
        return ShiftPlan.of(shifts, runtime.hotline.timezone, agents)
    return roster_plan(runtime.scenario, runtime.hotline.timezone)


Plan = Annotated[ShiftPlan, Depends(shift_plan)]


def _sheet(sheet: HandoverSheet) -> dict[str, Any]:
    return dataclasses.asdict(sheet)


def _summary(summary: ShiftSummary) -> dict[str, Any]:
    return dataclasses.asdict(summary)


@router.get("/api/handover/draft", response_model=DraftOut, responses=errors(401, 403))
async def draft(user: Lead, runtime: Runtime, desk: Desk, plan: Plan) -> dict[str, Any]:
    """The sheet of the shift the lead hands over now: the shift, its figures so far, the
    lists, the agents' summaries."""
    found = await run_in_threadpool(desk.draft, runtime.now(), plan)
    return dataclasses.asdict(found)


@router.post(
    "/api/handover", response_model=SheetOut, status_code=201, responses=errors(401, 403, 409, 422)
)
async def hand_over(
    body: HandOverIn, request: Request, user: Lead, runtime: Runtime, desk: Desk, plan: Plan
) -> dict[str, Any]:
    """交班: the sheet of the shift under way, with its figures and a snapshot of the lists
    now; refused (422) when empty without 无异常, (409) when the shift already has its
    sheet or while an earlier sheet still waits for its incoming lead."""
    now = runtime.now()
    try:
        saved = await run_in_threadpool(
            lambda: desk.hand_over(
                now,
                plan=plan,
                outgoing=user.username,
                incidents=body.incidents,
                system_status=body.system_status,
                notes=body.notes,
                no_exceptions=body.no_exceptions,
            )
        )
    except SheetError as refused:
        raise InvalidRequestError(refused.message, field=f"body.{refused.field}") from None
    sheet = saved.record
    runtime.publish_stored(saved.events)  # committed with the sheet
    await audit(
        request, user, "handover.submitted", subject_type="handover", subject_id=str(sheet.id)
    )
    return _sheet(sheet)


@router.get("/api/handover", response_model=list[SheetOut], responses=errors(401, 403, 422))
async def recent(
    _: Reader, desk: Desk, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[dict[str, Any]]:
    """The latest sheets, newest first."""
    sheets = await run_in_threadpool(desk.recent, limit)
    return [_sheet(s) for s in sheets]


@router.get("/api/handover/{sheet_id}", response_model=SheetOut, responses=errors(401, 403, 404))
async def one(sheet_id: SheetId, _: Reader, desk: Desk) -> dict[str, Any]:
    return _sheet(await run_in_threadpool(desk.get, sheet_id))


@router.post(
    "/api/handover/{sheet_id}/acknowledge",
    response_model=SheetOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def acknowledge(
    sheet_id: SheetId,
    body: AcknowledgeIn,
    request: Request,
    user: Lead,
    runtime: Runtime,
    desk: Desk,
) -> dict[str, Any]:
    """接班: the incoming lead takes over (not the one who handed over; only once)."""
    now = runtime.now()
    saved = await run_in_threadpool(
        lambda: desk.acknowledge(sheet_id, by=user.username, at=now, remark=body.remark)
    )
    sheet = saved.record
    runtime.publish_stored(saved.events)  # committed with the sheet
    await audit(
        request,
        user,
        "handover.acknowledged",
        subject_type="handover",
        subject_id=str(sheet.id),
        detail={"outgoing": sheet.outgoing},
    )
    return _sheet(sheet)


@router.get("/api/shift-summary", response_model=MyShiftOut, responses=errors(401, 403))
async def my_shift(user: Agent, runtime: Runtime, desk: Desk, plan: Plan) -> dict[str, Any]:
    """The agent's own shift (their roster shift) so far: counts and the summaries given."""
    now = runtime.now()
    mine = await run_in_threadpool(
        lambda: desk.my_shift(now, plan=plan, username=user.username, agent=user.agent_id)
    )
    return dataclasses.asdict(mine)


@router.post(
    "/api/shift-summary",
    response_model=SummaryOut,
    status_code=201,
    responses=errors(401, 403, 422),
)
async def summarize(
    body: SummaryIn, request: Request, user: Agent, runtime: Runtime, desk: Desk, plan: Plan
) -> dict[str, Any]:
    """本班小结: the agent's counts over their own shift so far, with their note."""
    now = runtime.now()
    saved = await run_in_threadpool(
        lambda: desk.summarize(
            now, plan=plan, username=user.username, agent=user.agent_id, note=body.note
        )
    )
    summary = saved.record
    runtime.publish_stored(saved.events)  # committed with the summary
    await audit(
        request,
        user,
        "handover.summarized",
        subject_type="shift_summary",
        subject_id=str(summary.id),
    )
    return _summary(summary)
