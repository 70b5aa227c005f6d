"""The agent's outside party from the desk (坐席工作台): 外线咨询, 三方通话, 转外线, 取消.

The signed-in agent acts on their own seat's call only (403 otherwise), while it is
talking or held (409 ``no-call``). The number is a phone number (422 otherwise: 3–20
digits, an optional +). 三方通话 and 完成转接 need the outside party to have answered
(409 ``outside-not-answered``); a second outside party or one during a consultation is
409 ``outside-in-progress``. Each command is written to the audit log
(``desk.outside_dial``, ``desk.outside_conference``, ``desk.outside_transfer``,
``desk.outside_cancel``) with the call, and each is an event (`calls.outside`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auditing import audit
from hotline.api.deps import CurrentUser, Runtime
from hotline.api.responses import errors
from hotline.api.routers.desk import own_seat
from hotline.api.users import User
from hotline.calls.outside import OutsideLeg
from hotline.live import LiveHotline
from hotline.live.outside import OutsideDesk

router = APIRouter(prefix="/api/desk/outside", tags=["desk"])

_ERRORS = errors(401, 403, 404, 409, 422)


class OutsideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Annotated[
        str, Field(pattern=r"^\+?[0-9]{3,20}$", description="外线号码: 3–20 digits, an optional +")
    ]


class OutsideOut(BaseModel):
    call: str
    number: str
    state: Literal["dialing", "talking", "conference", "transferred"]


async def _command(
    request: Request,
    user: User,
    runtime: LiveHotline,
    action: str,
    command: Callable[[OutsideDesk, str], OutsideLeg],
) -> dict[str, Any]:
    agent_id = own_seat(user)
    leg = command(OutsideDesk(runtime.desks), agent_id)
    await runtime.commit()
    await audit(
        request,
        user,
        f"desk.{action}",
        subject_type="call",
        subject_id=str(leg.call),
        detail={"agent": agent_id, "number": leg.number},
    )
    return {"call": leg.call, "number": leg.number, "state": leg.state.value}


@router.post("", response_model=OutsideOut, responses=_ERRORS)
async def dial(
    body: OutsideRequest, request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """外线咨询: the caller on hold (music), the number called through the trunk; the agent
    talks with it once it answers."""
    return await _command(
        request, user, runtime, "outside_dial", lambda desk, seat: desk.dial(seat, body.number)
    )


@router.post("/conference", response_model=OutsideOut, responses=_ERRORS)
async def conference(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """三方通话: the caller back from hold, talking with the agent and the outside party."""
    return await _command(
        request, user, runtime, "outside_conference", lambda desk, seat: desk.conference(seat)
    )


@router.post("/transfer", response_model=OutsideOut, responses=_ERRORS)
async def transfer(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """完成转接 to the outside party: the agent leaves (wrap-up); the caller stays with it."""
    return await _command(
        request, user, runtime, "outside_transfer", lambda desk, seat: desk.transfer(seat)
    )


@router.post("/cancel", response_model=OutsideOut, responses=_ERRORS)
async def cancel(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """Hang the outside party up; the caller stays with the agent (取回 after a 外线咨询)."""
    return await _command(
        request, user, runtime, "outside_cancel", lambda desk, seat: desk.cancel(seat)
    )
