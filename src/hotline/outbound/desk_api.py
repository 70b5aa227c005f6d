"""外呼 at the agent's desk: the record a preview campaign shows the agent (预览式外呼: 下一条,
拨打, 跳过), and, on a campaign's call, which campaign and customer it is and who answered
(本人 / 非本人 / 答录机).

Only an agent at a seat uses these, for its own seat. The record's number is shown masked
(the dialer dials it; the agent needs the name and the reason for the call), and showing a
record is a read of customer data: each ``下一条`` writes an ``outbound.preview`` audit row.
Dialing, skipping and the party mark are audited too, and the dialer's own events
(``outbound.dialed``, ``outbound.preview_skipped``, ``outbound.party_marked``) are in the log.

Everything runs on the engine's thread (this loop), after `runtime.now()` has caught the
engine's clock up. On a hotline without outbound the desk is told there is nothing to show
(``serves: false``), never an error, so the desk page stays quiet.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ConflictError, ForbiddenError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.core.ids import AgentId
from hotline.core.masking import mask_phone
from hotline.live import LiveHotline
from hotline.outbound.campaign import CampaignError, CampaignSpec, Entry, EntryState
from hotline.outbound.dialer import MAY_DIAL, Dialer
from hotline.outbound.service import OutboundDesk

router = APIRouter(prefix="/api/desk/outbound", tags=["desk"])

Agent = Annotated[User, Depends(require(Role.AGENT))]
Desk = Annotated[OutboundDesk, Depends(feature_service("outbound", OutboundDesk))]


class RecordOut(BaseModel):
    campaign: str
    campaign_name: str
    entry: str
    name: str = Field(description="the customer's name as the list gives it")
    number: str = Field(description="masked: the dialer dials it")
    customer_class: str = Field(description="resident (居民) or business (企业)")
    important: bool
    tries: int = Field(description="calls made so far")
    max_tries: int
    last_result: str = Field(description="the last call's result; empty before the first")
    details: dict[str, str] = Field(description="the list's other columns (order, amount …)")


class PreviewOut(RecordOut):
    until: float = Field(description="held for this agent until then (engine time)")


class CallOut(RecordOut):
    call: str
    party: str = Field(description="who answered as the agent said: right, wrong, machine, ''")


class DialledOut(RecordOut):
    call: str
    state: Literal["ringing", "answered", "ended"]
    next_at: float | None = Field(description="when it is called again; null when closed")


class DeskOutboundOut(BaseModel):
    serves: bool = Field(description="the agent serves a running campaign's queue")
    waiting: int = Field(description="records due in the preview campaigns the agent serves")
    preview: PreviewOut | None
    call: CallOut | None
    dialled: DialledOut | None = Field(
        description="the record the agent dialled last, until it takes the next one"
    )


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entry: str = Field(min_length=1, max_length=64)


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party: Literal["right", "wrong", "machine"]


def _seat(user: User) -> AgentId:
    if user.agent_id is None:
        raise ForbiddenError("this user has no agent seat")
    return AgentId(user.agent_id)


def _record(spec: CampaignSpec, entry: Entry) -> dict[str, Any]:
    return {
        "campaign": spec.id,
        "campaign_name": spec.name,
        "entry": entry.id,
        "name": entry.name,
        "number": mask_phone(entry.number),
        "customer_class": entry.customer_class,
        "important": entry.important,
        "tries": entry.tries,
        "max_tries": spec.max_tries,
        "last_result": entry.result,
        "details": {k: str(v) for k, v in entry.variables.items()},
    }


def _view(dialer: Dialer | None, agent: AgentId) -> dict[str, Any]:
    """On the engine's thread: what the agent's desk shows of outbound now."""
    if dialer is None:
        return {"serves": False, "waiting": 0, "preview": None, "call": None, "dialled": None}
    shown = dialer.held_by(agent)
    on_call = dialer.call_of(agent)
    last = dialer.dialled(agent)
    dialled = None
    if last is not None:
        pending = last.entry.state is EntryState.PENDING
        dialled = {
            **_record(last.campaign, last.entry),
            "call": str(last.call),
            "state": "ringing" if last.ringing else "ended" if last.ended else "answered",
            "next_at": last.entry.due if last.ended and pending else None,
        }
    return {
        "dialled": dialled,
        "serves": dialer.serves(agent),
        "waiting": dialer.preview_waiting(agent),
        "preview": (
            {**_record(shown.campaign, shown.entry), "until": shown.until} if shown else None
        ),
        "call": (
            {
                **_record(on_call.campaign, on_call.entry),
                "call": str(on_call.call),
                "party": on_call.party,
            }
            if on_call
            else None
        ),
    }


def _dialer(desk: OutboundDesk) -> Dialer:
    if desk.dialer is None:
        raise ConflictError("本热线未开通外呼 (outbound calling is not running on this hotline)")
    return desk.dialer


STATE_WORDS = {
    "ringing": "振铃中",
    "talking": "在通话中",
    "hold": "在保持中",
    "wrap_up": "在话后处理",
    "away": "处于离开状态",
    "logged_out": "未签入",
}

READ = errors(401, 403)
ACT = errors(401, 403, 409, 422)


@router.get("", response_model=DeskOutboundOut, responses=READ)
async def desk_outbound(user: Agent, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """The record shown to the agent (if any), how many more wait, and the campaign call
    at the seat."""
    agent = _seat(user)
    runtime.now()
    return _view(desk.dialer, agent)


@router.post("/next", response_model=DeskOutboundOut, responses=ACT)
async def next_record(
    request: Request, user: Agent, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """下一条: hold the next due record of the preview campaigns the agent serves (the one it
    holds already, if any) — important customers first. ``preview`` is null when none is
    due."""
    agent = _seat(user)
    dialer = _dialer(desk)
    runtime.now()
    fresh = dialer.held_by(agent) is None
    shown = dialer.preview(agent)
    if shown is not None and fresh:
        await audit(
            request,
            user,
            "outbound.preview",
            subject_type="outbound_entry",
            subject_id=f"{shown.campaign.id}/{shown.entry.id}",
            detail={"agent": agent, "number": mask_phone(shown.entry.number)},
        )
    runtime.now()
    return _view(dialer, agent)


async def _act(
    request: Request,
    user: User,
    runtime: LiveHotline,
    desk: OutboundDesk,
    action: Literal["dial", "skip"],
    entry: str,
) -> dict[str, Any]:
    agent = _seat(user)
    dialer = _dialer(desk)
    runtime.now()
    verb = "不能拨打" if action == "dial" else "不能跳过"
    shown = dialer.held_by(agent)
    if shown is None or shown.entry.id != entry:
        raise ConflictError(
            f"{verb}：这条记录已不在您名下（超时收回、任务暂停或已办结），请点「下一条」"
            f" (record {entry!r} is not shown to you)"
        )
    state = runtime.engine.acd.agent(agent).state
    if action == "dial" and state not in MAY_DIAL:
        raise ConflictError(
            f"{verb}：您当前{STATE_WORDS.get(state.value, state.value)}，"
            f"请示闲或示忙后再拨打 (you are {state.value})"
        )
    campaign = shown.campaign.id
    try:
        if action == "dial":
            detail: dict[str, Any] = {"call": str(dialer.dial_preview(agent, entry))}
        else:
            detail = {"next_at": dialer.skip_preview(agent, entry)}
    except CampaignError as e:
        raise ConflictError(f"{verb}：{e}") from None
    await runtime.commit()
    await audit(
        request,
        user,
        f"outbound.preview_{action}",
        subject_type="outbound_entry",
        subject_id=f"{campaign}/{entry}",
        detail={"agent": agent, **detail},
    )
    runtime.now()
    return _view(dialer, agent)


@router.post("/dial", response_model=DeskOutboundOut, responses=ACT)
async def dial(
    body: EntryIn, request: Request, user: Agent, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """拨打: call the record the agent holds. The agent is 外呼拨号 (not ready) while the
    customer's phone rings; the answered customer rings the agent's phone. 409 when the
    record was taken back (held too long, the campaign paused) or the agent is on a call,
    in wrap-up or away."""
    return await _act(request, user, runtime, desk, "dial", body.entry)


@router.post("/skip", response_model=DeskOutboundOut, responses=ACT)
async def skip(
    body: EntryIn, request: Request, user: Agent, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """跳过: do not call this record now; it comes back in half an hour (not a try)."""
    return await _act(request, user, runtime, desk, "skip", body.entry)


@router.post("/party", response_model=DeskOutboundOut, responses=ACT)
async def party(
    body: PartyIn, request: Request, user: Agent, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Who answered the campaign call at the seat: ``right`` (本人), ``wrong`` (非本人) or
    ``machine`` (答录机). A wrong party or a machine is a failed try: the customer is called
    again after the campaign's delay for it. 409 when the seat has no campaign call."""
    agent = _seat(user)
    dialer = _dialer(desk)
    runtime.now()
    if dialer.call_of(agent) is None:
        raise ConflictError("不能标记接听人：您当前没有外呼通话 (no campaign call at your seat)")
    try:
        marked = dialer.mark_party(agent, body.party)
    except CampaignError as e:
        raise ConflictError(f"不能标记接听人：{e}") from None
    await runtime.commit()
    await audit(
        request,
        user,
        "outbound.party_marked",
        subject_type="call",
        subject_id=str(marked.call),
        detail={"agent": agent, "party": body.party, "entry": marked.entry.id},
    )
    runtime.now()
    return _view(dialer, agent)
