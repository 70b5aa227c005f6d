"""The shift lead's and the supervisor's telephony on an agent's call (班长席): 监听, 耳语,
强插, 强拆, 拦截/代答 — from the wallboard's agent tile.

Only the shift lead and the supervisor (`roles.COMMANDERS`) may; anyone else is refused
(403, written to the audit log as ``access.denied``). Each command is written to the
audit log (``call.monitor``, ``call.monitor_mode``, ``call.monitor_end``,
``call.force_release``, ``call.intercept``) with the call it acted on, and each is an
event once it happens (`calls.supervise`). An unknown agent is a 404; an agent with no
call ringing or talking (``no-call``), a call not in conversation (``call-not-talking``)
or one another supervisor is on (``call-monitored``) a 409.

The supervisor's phone is the extension of their user (`live.supervise.extension_of`):
it rings, and the session starts when it is answered (at once in the demo, where the
console is the phone).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.responses import errors
from hotline.api.roles import COMMANDERS
from hotline.api.users import User
from hotline.calls.supervise import Session
from hotline.live.supervise import extension_of

router = APIRouter(prefix="/api/supervise", tags=["supervise"])

Commander = Annotated[User, Depends(require(*COMMANDERS))]
AgentPath = Annotated[
    str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", description="工号")
]
Mode = Literal["listen", "whisper", "barge"]

_ERRORS = errors(401, 403, 404, 409, 422)


class MonitorRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Mode = "listen"


class SessionOut(BaseModel):
    """The supervisor's phone on the call: ``ringing`` (its phone), ``on``, ``taken_over``."""

    call: str
    agent: str | None
    extension: str
    by: str
    mode: Mode
    state: Literal["ringing", "on", "taken_over"]


class ReleasedOut(BaseModel):
    call: str
    agent: str


def _out(session: Session) -> dict[str, Any]:
    return {
        "call": session.call,
        "agent": session.agent,
        "extension": session.extension,
        "by": session.by,
        "mode": session.mode.value,
        "state": session.state,
    }


async def _audited(
    request: Request, user: User, action: str, out: dict[str, Any], agent: str, **detail: Any
) -> dict[str, Any]:
    await audit(
        request,
        user,
        action,
        subject_type="call",
        subject_id=str(out["call"]),
        detail={"agent": agent, **detail},
    )
    return out


@router.post("/agents/{agent_id}/monitor", response_model=SessionOut, responses=_ERRORS)
async def monitor(
    agent_id: AgentPath, body: MonitorRequest, request: Request, user: Commander, runtime: Runtime
) -> dict[str, Any]:
    """监听 (``listen``), 耳语 (``whisper``) or 强插 (``barge``) on the agent's call: the
    supervisor's phone rings and joins the call when answered. With the supervisor's phone
    already on the call, the mode changes instead."""
    extension = extension_of(user.username, user.agent_id)
    session = runtime.supervisors.monitor(
        agent_id, extension=extension, by=user.username, mode=body.mode
    )
    await runtime.commit()
    return await _audited(
        request, user, "call.monitor", _out(session), agent_id, mode=body.mode, extension=extension
    )


@router.post("/agents/{agent_id}/mode", response_model=SessionOut, responses=_ERRORS)
async def set_mode(
    agent_id: AgentPath, body: MonitorRequest, request: Request, user: Commander, runtime: Runtime
) -> dict[str, Any]:
    """Switch the supervisor's phone on the agent's call to another mode (监听 → 耳语 → 强插)."""
    session = runtime.supervisors.set_mode(agent_id, by=user.username, mode=body.mode)
    await runtime.commit()
    return await _audited(
        request, user, "call.monitor_mode", _out(session), agent_id, mode=body.mode
    )


@router.post("/agents/{agent_id}/end", response_model=SessionOut, responses=_ERRORS)
async def end(
    agent_id: AgentPath, request: Request, user: Commander, runtime: Runtime
) -> dict[str, Any]:
    """The supervisor leaves the call (their phone is hung up); a call the supervisor took
    over ends."""
    session = runtime.supervisors.end(agent_id, by=user.username)
    await runtime.commit()
    return await _audited(request, user, "call.monitor_end", _out(session), agent_id)


@router.post("/agents/{agent_id}/release", response_model=ReleasedOut, responses=_ERRORS)
async def force_release(
    agent_id: AgentPath, request: Request, user: Commander, runtime: Runtime
) -> dict[str, Any]:
    """强拆: end the agent's conversation now; the caller is hung up, the agent goes to
    wrap-up."""
    call = runtime.supervisors.force_release(agent_id, by=user.username)
    await runtime.commit()
    out = {"call": call, "agent": agent_id}
    return await _audited(request, user, "call.force_release", out, agent_id)


@router.post("/agents/{agent_id}/intercept", response_model=SessionOut, responses=_ERRORS)
async def intercept(
    agent_id: AgentPath, request: Request, user: Commander, runtime: Runtime
) -> dict[str, Any]:
    """拦截/代答: the supervisor's phone rings and, once answered, takes the caller from the
    agent (a ringing call's ring is cancelled; a talking agent goes to wrap-up)."""
    extension = extension_of(user.username, user.agent_id)
    session = runtime.supervisors.intercept(agent_id, extension=extension, by=user.username)
    await runtime.commit()
    return await _audited(
        request, user, "call.intercept", _out(session), agent_id, extension=extension
    )
