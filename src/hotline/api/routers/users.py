"""Users of the console (administrator only): list and create."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import Runtime, client_of, require
from hotline.api.errors import InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import UserCreate, UserRecord
from hotline.api.users import User, create_user, list_users
from hotline.live import LiveHotline
from hotline.store.db import Audit

router = APIRouter(prefix="/api/users", tags=["users"])

Admin = Annotated[User, Depends(require(Role.ADMIN))]


def _record(user: User) -> UserRecord:
    return UserRecord(
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        display_name=user.display_name,
        active=user.active,
    )


@router.get("", response_model=list[UserRecord], responses=errors(401, 403))
async def get_users(_: Admin, runtime: Runtime) -> list[UserRecord]:
    return [_record(user) for user in await run_in_threadpool(list_users, runtime.db)]


def _create(runtime: LiveHotline, admin: User, body: UserCreate, client: str) -> User:
    user = create_user(
        runtime.db,
        body.username,
        body.password,
        body.role,
        agent_id=body.agent_id,
        display_name=body.display_name,
    )
    Audit(runtime.db).record(
        username=admin.username,
        role=admin.role.value,
        action="user.create",
        subject_type="user",
        subject_id=user.username,
        detail={"role": user.role.value, "agent_id": user.agent_id},
        client=client,
    )
    return user


@router.post("", response_model=UserRecord, status_code=201, responses=errors(401, 403, 409, 422))
async def post_user(
    body: UserCreate, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """Create a user (an agent's username is their 工号; `agent_id` defaults to it)."""
    if body.role is not Role.AGENT and body.agent_id is not None:
        raise InvalidRequestError("only agents have an agent seat", field="body.agent_id")
    user = await run_in_threadpool(_create, runtime, admin, body, client_of(request))
    return _record(user)
