"""Calls (通话记录): one row per call; an agent sees only their own calls.

Callers' numbers are masked except for the shift lead and for the agent on
that very call while it lasts (the same rule as for customers).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime
from hotline.api.errors import ForbiddenError, NotFoundError
from hotline.api.masking import mask_numbers, plain
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.schemas import AgentIdStr, CallOut
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.store.db import Calls

router = APIRouter(prefix="/api/calls", tags=["calls"])

CallPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


def _current_call(runtime: LiveHotline, user: User) -> str | None:
    if user.role is not Role.AGENT or user.agent_id is None:
        return None
    call = runtime.desk(user.agent_id).get("call")
    return str(call["id"]) if call else None


def call_view(row: dict[str, Any], user: User, current: str | None) -> dict[str, Any]:
    on_the_call = current is not None and row.get("call") == current
    return dict(row) if sees_unmasked(user.role, on_the_call=on_the_call) else mask_numbers(row)


@router.get("", response_model=list[CallOut], responses=errors(401, 403, 422))
async def list_calls(
    user: CurrentUser,
    runtime: Runtime,
    agent: Annotated[AgentIdStr | None, Query(description="only this agent's calls")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The latest calls, newest first; agents get their own (asking for another's is 403)."""
    if user.role is Role.AGENT:
        if agent is not None and agent != user.agent_id:
            raise ForbiddenError("an agent may read only their own calls")
        agent = user.agent_id
        if agent is None:
            raise ForbiddenError("this user has no agent seat")
    records = await run_in_threadpool(Calls(runtime.db).list, agent=agent, limit=limit)
    rows = [plain(record) for record in records]
    current = _current_call(runtime, user)
    return [call_view(row, user, current) for row in rows]


@router.get("/{call_id}", response_model=CallOut, responses=errors(401, 403, 404, 422))
async def get_call(call_id: CallPath, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    record = await run_in_threadpool(Calls(runtime.db).get, call_id)
    row = None if record is None else plain(record)
    if row is None:
        if user.role is Role.AGENT:
            raise ForbiddenError("an agent may read only their own calls")
        raise NotFoundError(f"no call {call_id!r}")
    if user.role is Role.AGENT and row.get("agent") != user.agent_id:
        raise ForbiddenError("an agent may read only their own calls")
    return call_view(row, user, _current_call(runtime, user))
