"""Dependencies of the routes: the runtime, the signed-in user, and role checks.

`CurrentUser` reads the session from the ``hotline_session`` cookie or an
``Authorization: Bearer`` header, checks its signature and expiry, and loads
the user from the users table (so a deactivated user or a changed role counts
at once); no session or a bad one is 401. `require(...)` adds the role check:
a user without one of the roles gets 403 before any data is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from hotline.api.auth import COOKIE, Session, Sessions
from hotline.api.errors import ForbiddenError, NotAuthenticatedError
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


async def authenticate(connection: HTTPConnection) -> tuple[User, Session]:
    """The active user behind the connection's session; raises `NotAuthenticatedError`."""
    token = token_of(connection)
    if token is None:
        raise NotAuthenticatedError("log in first")
    sessions: Sessions = connection.app.state.sessions
    session = sessions.check(token)
    if session is None:
        raise NotAuthenticatedError("the session is invalid or has expired; log in again")
    runtime: LiveHotline = connection.app.state.runtime
    user = await run_in_threadpool(find_user, runtime.db, session.username)
    if user is None or not user.active:
        raise NotAuthenticatedError("the session's user no longer exists or is inactive")
    return user, session


async def current_session(request: Request) -> Session:
    _, session = await authenticate(request)
    return session


async def current_user(request: Request) -> User:
    user, _ = await authenticate(request)
    return user


Runtime = Annotated[LiveHotline, Depends(get_runtime)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentSession = Annotated[Session, Depends(current_session)]


def require(*roles: Role) -> Callable[[Request], Awaitable[User]]:
    """A dependency giving the signed-in user if their role is one of `roles`, else 403."""
    allowed = frozenset(roles)

    async def check(request: Request) -> User:
        user = await current_user(request)
        if user.role not in allowed:
            raise ForbiddenError(f"role {user.role.value!r} may not do this")
        return user

    return check


def client_of(connection: HTTPConnection) -> str:
    """The peer address, as recorded in the audit log and used by login throttling."""
    return connection.client.host if connection.client is not None else "unknown"
