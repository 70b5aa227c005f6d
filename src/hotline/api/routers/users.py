"""Users of the console (administrator only): list, create, reset a password, deactivate or
reactivate, change a role.

Each change is written to the audit log (``user.create``, ``user.password_reset``,
``user.deactivated``, ``user.reactivated``, ``user.role_changed``) and counts from the
user's next request: the role and the active flag are read on every request, and a
reset ends the user's sessions. A password set here passes the policy
(`hotline.api.passwords`) and must be changed by its user at the next log-in. The
administrator manages others only (409 ``own-account``): their own password changes
through ``POST /api/auth/password``, and no administrator can lock themself out.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.errors import ConflictError, InvalidRequestError, NotFoundError
from hotline.api.passwords import validate_password
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import NAME_PATTERN, PasswordReset, RoleChange, UserCreate, UserRecord
from hotline.api.users import (
    User,
    create_user,
    find_user,
    list_users,
    reset_password,
    set_active,
    set_role,
)
from hotline.core.events import Saved
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/users", tags=["users"])

Admin = Annotated[User, Depends(require(Role.ADMIN))]
Username = Annotated[str, Path(min_length=1, max_length=64, pattern=NAME_PATTERN)]


class OwnAccountError(ConflictError):
    error_id = "own-account"


def _record(user: User) -> UserRecord:
    return UserRecord(
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        display_name=user.display_name,
        active=user.active,
        department=user.department,
        must_change_password=user.must_change_password,
    )


def _of(user: User) -> dict[str, Any]:
    """The audit detail of a 处理部门 user's department (nothing for the other roles)."""
    return {"department": user.department} if user.department is not None else {}


def _department(runtime: LiveHotline, role: Role, department: str | None) -> str | None:
    """The department of a 处理部门 user, checked against orders.yaml `departments`; a
    department for another role, or none for this one, is refused naming the field."""
    if role is not Role.DEPARTMENT:
        if department is not None:
            raise InvalidRequestError(
                "处理部门：只有「处理部门」角色的用户属于部门", field="body.department"
            )
        return None
    known = dict(runtime.orders.config.departments) if runtime.orders is not None else {}
    if department is None:
        raise InvalidRequestError("处理部门：请选择该用户所属的部门", field="body.department")
    if department not in known:
        names = "、".join(known.values()) or "（orders.yaml 未配置部门）"
        raise InvalidRequestError(
            f"处理部门：没有部门「{department}」（可选：{names}）", field="body.department"
        )
    return department


@router.get("", response_model=list[UserRecord], responses=errors(401, 403))
async def get_users(_: Admin, runtime: Runtime) -> list[UserRecord]:
    return [_record(user) for user in await run_in_threadpool(list_users, runtime.services.users)]


def _create(runtime: LiveHotline, body: UserCreate, by: str, department: str | None) -> Saved[User]:
    password = validate_password(body.password, username=body.username, field="body.password")
    return create_user(
        runtime.services.users,
        body.username,
        password,
        body.role,
        agent_id=body.agent_id,
        display_name=body.display_name,
        must_change_password=True,
        by=by,
        department=department,
    )


@router.post("", response_model=UserRecord, status_code=201, responses=errors(401, 403, 409, 422))
async def post_user(
    body: UserCreate, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """Create a user (an agent's username is their 工号; `agent_id` defaults to it; a
    处理部门 user names their orders.yaml `department`); the password passes the policy and
    is changed by the user at the first log-in."""
    if body.role is not Role.AGENT and body.agent_id is not None:
        raise InvalidRequestError("only agents have an agent seat", field="body.agent_id")
    department = _department(runtime, body.role, body.department)
    saved = await run_in_threadpool(_create, runtime, body, admin.username, department)
    runtime.publish_stored(saved.events)
    user = saved.record
    await audit(
        request,
        admin,
        "user.create",
        subject_type="user",
        subject_id=user.username,
        detail={"role": user.role.value, "agent_id": user.agent_id} | _of(user),
    )
    return _record(user)


def _published(runtime: LiveHotline, saved: Saved[User]) -> User:
    """The changed user, after its ``user.changed`` event (in the log already) went to
    the live subscribers."""
    runtime.publish_stored(saved.events)
    return saved.record


async def _other(runtime: LiveHotline, admin: User, username: str, what: str) -> User:
    """The user to manage: 404 when unknown, 409 ``own-account`` for the admin themself."""
    if username == admin.username:
        raise OwnAccountError(f"an administrator may not {what} their own account")
    user = await run_in_threadpool(find_user, runtime.services.users, username)
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


_MANAGE = errors(401, 403, 404, 409, 422)


@router.post("/{username}/password", response_model=UserRecord, responses=_MANAGE)
async def post_password(
    username: Username, body: PasswordReset, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """Reset the user's password (they change it at the next log-in; their sessions end)."""
    await _other(runtime, admin, username, "reset the password of")
    user = _published(
        runtime,
        await run_in_threadpool(
            reset_password, runtime.services.users, username, body.password, by=admin.username
        ),
    )
    await audit(request, admin, "user.password_reset", subject_type="user", subject_id=username)
    return _record(user)


async def _activate(
    request: Request, admin: User, runtime: LiveHotline, username: str, active: bool
) -> UserRecord:
    before = await _other(runtime, admin, username, "deactivate or reactivate")
    user = _published(
        runtime,
        await run_in_threadpool(
            set_active, runtime.services.users, username, active, by=admin.username
        ),
    )
    detail: dict[str, Any] = {"was_active": before.active}
    action = "user.reactivated" if active else "user.deactivated"
    await audit(request, admin, action, subject_type="user", subject_id=username, detail=detail)
    return _record(user)


@router.post("/{username}/deactivate", response_model=UserRecord, responses=_MANAGE)
async def deactivate(
    username: Username, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """The user can no longer log in; their sessions are refused from their next request."""
    return await _activate(request, admin, runtime, username, False)


@router.post("/{username}/reactivate", response_model=UserRecord, responses=_MANAGE)
async def reactivate(
    username: Username, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """The user may log in again (with their password as it was)."""
    return await _activate(request, admin, runtime, username, True)


@router.post("/{username}/role", response_model=UserRecord, responses=_MANAGE)
async def post_role(
    username: Username, body: RoleChange, request: Request, admin: Admin, runtime: Runtime
) -> UserRecord:
    """Give the user another role, in force from their next request (an agent's seat
    defaults to the username; a 处理部门 user's `department` is required)."""
    if body.role is not Role.AGENT and body.agent_id is not None:
        raise InvalidRequestError("only agents have an agent seat", field="body.agent_id")
    department = _department(runtime, body.role, body.department)
    before = await _other(runtime, admin, username, "change the role of")
    user = _published(
        runtime,
        await run_in_threadpool(
            set_role,
            runtime.services.users,
            username,
            body.role,
            body.agent_id,
            by=admin.username,
            department=department,
        ),
    )
    await audit(
        request,
        admin,
        "user.role_changed",
        subject_type="user",
        subject_id=username,
        detail={"from": before.role.value, "to": user.role.value, "agent_id": user.agent_id}
        | _of(user),
    )
    return _record(user)
