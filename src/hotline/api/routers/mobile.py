"""Where the signed-in agent's calls ring (接听方式): the extension's phone, or a mobile
through the trunk (移动坐席, 远程坐席; `hotline.live.mobiles`).

``GET /api/desk/reach`` says which, and whether a mobile can be chosen at all: only on
real calls with a trunk (`hotline serve --trunk`); the demo and a hotline without a trunk
answer ``available: false`` and ``PUT`` answers 409 ``mobile-off``. ``PUT`` with
``{"number": "138 0013 8000"}`` rings that number from the next call on, ``{"number":
null}`` the extension's phone again; a number the trunk may not call is refused (422
``body.number``). Each change is written to the audit log (``desk.reach``, the number
masked).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import CurrentUser, Runtime
from hotline.api.errors import ConflictError, ForbiddenError, InvalidRequestError
from hotline.api.masking import mask_phone
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live.mobiles import MobileNumberError

router = APIRouter(prefix="/api/desk", tags=["desk"])


class MobileOffError(ConflictError):
    error_id = "mobile-off"


class ReachOut(BaseModel):
    """Where the agent's calls ring: ``phone`` (the extension) or ``mobile`` (`number`)."""

    model_config = ConfigDict(extra="forbid")
    mode: str
    number: str | None
    available: bool
    """Whether a mobile can be chosen here (real calls through a trunk)."""


class ReachIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str | None = Field(
        max_length=32,
        description="the mobile or landline number to ring (null: the extension's phone)",
    )


def _agent(user: User) -> str:
    if user.role is not Role.AGENT or user.agent_id is None:
        raise ForbiddenError("只有坐席可以设置接听方式 (only an agent's seat has a reach)")
    return user.agent_id


def _out(runtime: Runtime, agent: str) -> ReachOut:
    mobiles = runtime.mobiles
    number = mobiles.of(agent) if mobiles is not None else None
    return ReachOut(
        mode="phone" if number is None else "mobile",
        number=number,
        available=mobiles is not None,
    )


@router.get("/reach", response_model=ReachOut, responses=errors(401, 403))
async def reach(user: CurrentUser, runtime: Runtime) -> ReachOut:
    """Where the signed-in agent's calls ring."""
    return _out(runtime, _agent(user))


@router.put("/reach", response_model=ReachOut, responses=errors(401, 403, 409, 422))
async def set_reach(
    body: ReachIn, request: Request, user: CurrentUser, runtime: Runtime
) -> ReachOut:
    """Ring the signed-in agent on `number` from the next call on (null: on the extension's
    phone)."""
    agent = _agent(user)
    mobiles = runtime.mobiles
    if mobiles is None:
        raise MobileOffError(
            "手机接听不可用：本热线没有连接运营商中继 (no trunk: hotline serve --trunk)"
        )
    number = None
    if body.number is not None:
        try:
            number = mobiles.check(body.number)
        except MobileNumberError as e:
            raise InvalidRequestError(str(e), field="body.number") from None
    before = mobiles.of(agent)
    await run_in_threadpool(mobiles.save, agent, number, by=user.username, at=runtime.now())
    mobiles.use(agent, number)
    await audit(
        request,
        user,
        "desk.reach",
        subject_type="agent",
        subject_id=agent,
        detail={
            "from": mask_phone(before) if before else "phone",
            "to": mask_phone(number) if number else "phone",
        },
    )
    return _out(runtime, agent)
