"""Agents: the roster with live states, and state commands (签入, 示闲, 示忙, 离开, 签出).

An agent reads and commands only their own seat. The shift lead and the
supervisor command any agent (a forced state, logged with their name in the
event and written to the audit log as ``agent.state_forced``); the watchers
(shift lead, supervisor, QA, admin) read every agent.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from hotline.api.auditing import audit
from hotline.api.deps import CurrentUser, Runtime
from hotline.api.errors import ForbiddenError, NotFoundError
from hotline.api.responses import errors
from hotline.api.roles import COMMANDERS, WATCHERS, Role
from hotline.api.schemas import AgentOut, StateCommand, StateRequest
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.routing.model import AgentState, NotReadyReason

router = APIRouter(prefix="/api/agents", tags=["agents"])

AgentPath = Annotated[
    str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", description="工号")
]


def agent_rows(runtime: LiveHotline) -> list[dict[str, Any]]:
    """Every agent of the board, marked `human` when a person takes that seat."""
    return [dataclasses.asdict(row) for row in runtime.board().agents]


def agent_row(runtime: LiveHotline, agent_id: str) -> dict[str, Any]:
    for row in agent_rows(runtime):
        if row["id"] == agent_id:
            return row
    raise NotFoundError(f"no agent {agent_id!r}")


def _may_read(user: User, agent_id: str) -> bool:
    return user.role in WATCHERS or user.agent_id == agent_id


@router.get("", response_model=list[AgentOut], responses=errors(401, 403))
async def list_agents(user: CurrentUser, runtime: Runtime) -> list[dict[str, Any]]:
    """Every agent with state and time in state (watchers only; an agent sees only self)."""
    if user.role not in WATCHERS:
        return [row for row in agent_rows(runtime) if row["id"] == user.agent_id]
    return agent_rows(runtime)


@router.get("/{agent_id}", response_model=AgentOut, responses=errors(401, 403, 404, 422))
async def get_agent(agent_id: AgentPath, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    if not _may_read(user, agent_id):
        raise ForbiddenError("an agent may read only their own seat")
    return agent_row(runtime, agent_id)


def apply_state(runtime: LiveHotline, user: User, agent_id: str, request: StateRequest) -> None:
    """Run the state command as the agent themself, or forced by a shift lead or supervisor."""
    own = user.role is Role.AGENT and user.agent_id == agent_id
    if not own and user.role not in COMMANDERS:
        raise ForbiddenError("an agent may change only their own state")
    by = user.username
    state = request.state
    if state is StateCommand.LOGGED_IN:
        runtime.desks.login(agent_id, by=by)
    elif own and state is StateCommand.READY:
        runtime.desks.ready(agent_id, by=by)
    elif own and state is StateCommand.NOT_READY:
        reason = request.reason.value if request.reason else NotReadyReason.BUSY.value
        runtime.desks.not_ready(agent_id, reason, by=by)
    elif own and state is StateCommand.AWAY:
        runtime.desks.away(agent_id, by=by)
    elif own:
        runtime.desks.logout(agent_id, by=by)
    else:
        reason = request.reason.value if request.reason else ""
        runtime.desks.force_state(agent_id, AgentState(state.value), supervisor=by, reason=reason)


@router.post(
    "/{agent_id}/state", response_model=AgentOut, responses=errors(401, 403, 404, 409, 422)
)
async def set_state(
    agent_id: AgentPath, body: StateRequest, request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """Set an agent's state; during a call the request waits until the call and wrap-up end."""
    if not _may_read(user, agent_id) and user.role not in COMMANDERS:
        raise ForbiddenError("an agent may change only their own state")
    agent_row(runtime, agent_id)  # 404 before anything else for an unknown agent
    apply_state(runtime, user, agent_id, body)
    await runtime.commit()  # acknowledged only once stored
    if not (user.role is Role.AGENT and user.agent_id == agent_id):
        detail = {"state": body.state.value, "reason": body.reason.value if body.reason else ""}
        await audit(
            request,
            user,
            "agent.state_forced",
            subject_type="agent",
            subject_id=agent_id,
            detail=detail,
        )
    return agent_row(runtime, agent_id)
