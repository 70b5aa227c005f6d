"""Writing the audit log from the edge: what a person did, and what they were refused.

`audit` writes one row for the signed-in user of a request (off the event loop).
Refusals are written too: every 403 the API answers (`install` wraps the error
answer) and every cross-site request the guard refuses, as ``access.denied`` with
the method and path as subject and the error id in the detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from hotline.api.deps import client_of
from hotline.api.errors import ForbiddenError, error_response
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.users import AuditLog

DENIED = "access.denied"


def _log(connection: HTTPConnection) -> AuditLog:
    runtime: LiveHotline = connection.app.state.runtime
    return runtime.services.audit


async def audit(
    connection: HTTPConnection,
    user: User | None,
    action: str,
    *,
    subject_type: str = "",
    subject_id: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """One audit row for `user` (None: unknown) from the connection's client address."""
    await run_in_threadpool(
        _log(connection).record,
        username=user.username if user else "",
        role=user.role.value if user else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=dict(detail or {}),
        client=client_of(connection),
    )


def signed_in(connection: HTTPConnection) -> User | None:
    """The user `deps.authenticate` found for this request, if it got that far."""
    user: User | None = getattr(connection.state, "user", None)
    return user


async def denied(connection: HTTPConnection, user: User | None, error_id: str) -> None:
    """The ``access.denied`` row of a refused request (403)."""
    await audit(
        connection,
        user,
        DENIED,
        subject_type="request",
        subject_id=f"{connection.scope.get('method', 'GET')} {connection.url.path}"[:128],
        detail={"error": error_id},
    )


async def _forbidden(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ForbiddenError)
    await denied(request, signed_in(request), exc.error_id)
    return error_response(exc)


def install(app: FastAPI) -> None:
    """Write every 403 answer (`ForbiddenError` and its kinds) to the audit log."""
    app.add_exception_handler(ForbiddenError, _forbidden)
