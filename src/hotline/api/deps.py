"""Dependencies of the routes: the runtime, the signed-in user, and role checks.

`CurrentUser` reads the session from the ``hotline_session`` cookie or an
``Authorization: Bearer`` header, checks its signature and expiry, and loads
the user from the users table (so a deactivated user, a changed role or a
changed password counts at once); no session or a bad one is 401. A user who
must change their password first gets 403 ``password-change-required`` from
every route but the three that `PendingUser` and `CurrentSession` serve (who am
I, log out, change my password). `require(...)` adds the role check: a user
without one of the roles gets 403 before any data is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from hotline.api.auth import COOKIE, Session, Sessions
from hotline.api.errors import (
    ConflictError,
    ForbiddenError,
    NotAuthenticatedError,
    PasswordChangeRequiredError,
)
from hotline.api.roles import Role
from hotline.api.users import User, find_user
from hotline.live import LiveHotline


def get_runtime(request: Request) -> LiveHotline:
    runtime: LiveHotline = request.app.state.runtime
    return runtime


def get_sessions(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.sessions
    return sessions


def token_of(connection: HTTPConnection) -> str | None:
    """The session token a request or WebSocket carries: bearer header, cookie, or ?token=."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    cookie = connection.cookies.get(COOKIE)
    if cookie:
        return cookie
    if connection.scope["type"] == "websocket":
        return connection.query_params.get("token") or None
    return None


async def authenticate(
    connection: HTTPConnection, *, pending: bool = False
) -> tuple[User, Session]:
    """The active user behind the connection's session; raises `NotAuthenticatedError`,
    or `PasswordChangeRequiredError` for a user who must change their password first
    (unless `pending`: the routes that let them do so)."""
    token = token_of(connection)
    if token is None:
        raise NotAuthenticatedError("log in first")
    sessions: Sessions = connection.app.state.sessions
    session = sessions.check(token)
    if session is None:
        raise NotAuthenticatedError("the session is invalid or has expired; log in again")
    runtime: LiveHotline = connection.app.state.runtime
    user = await run_in_threadpool(find_user, runtime.services.users, session.username)
    if user is None or not user.active:
        raise NotAuthenticatedError("the session's user no longer exists or is inactive")
    if session.issued_before(user.password_changed_at):
        raise NotAuthenticatedError("the password was changed since this log-in; log in again")
    connection.state.user = user  # for the audit row of a refusal
    if user.must_change_password and not pending:
        raise PasswordChangeRequiredError(
            "请先修改密码 (change your password first: POST /api/auth/password)"
        )
    return user, session


async def current_session(request: Request) -> Session:
    _, session = await authenticate(request, pending=True)
    return session


DEPARTMENT_APIS = ("/api/orders", "/api/auth/", "/api/kb")
"""The only APIs a department user (处理部门) calls: their orders (narrowed to their
department by the orders routes), their own account, the knowledge base. Calls, customers,
agents, events and reports are the center's: refused to them (least privilege)."""


async def current_user(request: Request) -> User:
    user, _ = await authenticate(request)
    if user.role is Role.DEPARTMENT and not request.url.path.startswith(DEPARTMENT_APIS):
        raise ForbiddenError("处理部门只能查看本部门的工单和知识库")
    return user


async def pending_user(request: Request) -> User:
    user, _ = await authenticate(request, pending=True)
    return user


Runtime = Annotated[LiveHotline, Depends(get_runtime)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentSession = Annotated[Session, Depends(current_session)]
PendingUser = Annotated[User, Depends(pending_user)]
"""The signed-in user even while they must change their password (who am I, change it)."""


def require(*roles: Role) -> Callable[[Request], Awaitable[User]]:
    """A dependency giving the signed-in user if their role is one of `roles`, else 403."""
    allowed = frozenset(roles)

    async def check(request: Request) -> User:
        user = await current_user(request)
        if user.role not in allowed:
            raise ForbiddenError(f"role {user.role.value!r} may not do this")
        return user

    return check


S = TypeVar("S")


def feature_service(name: str, kind: type[S]) -> Callable[[Request], S]:
    """A dependency giving feature `name`'s service from the runtime (checked to be a
    `kind`); 409 on a site where the feature has none."""

    def service(request: Request) -> S:
        found = get_runtime(request).services.feature(name, kind)
        if found is None:
            raise ConflictError(f"the {name} feature has no service on this hotline")
        return found

    return service


def client_of(connection: HTTPConnection) -> str:
    """The peer address, as recorded in the audit log and used by login throttling."""
    return connection.client.host if connection.client is not None else "unknown"
