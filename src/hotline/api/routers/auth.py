"""Log in, log out, who am I: sessions as a signed cookie or a bearer token."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from hotline.api.auth import COOKIE, LoginThrottle
from hotline.api.deps import CurrentSession, CurrentUser, Runtime, client_of, get_sessions
from hotline.api.errors import NotAuthenticatedError, TooManyAttemptsError
from hotline.api.responses import errors
from hotline.api.schemas import LoginOut, LoginRequest, Ok, UserOut
from hotline.api.users import User, check_password
from hotline.store.db import Audit

router = APIRouter(prefix="/api/auth", tags=["auth"])

_LOGIN_SCHEMA = LoginRequest.model_json_schema()
_LOGIN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _LOGIN_SCHEMA},
            "application/x-www-form-urlencoded": {"schema": _LOGIN_SCHEMA},
        },
    }
}


async def _login_request(request: Request) -> LoginRequest:
    """The credentials from a JSON body or an HTML form; 422 naming the field otherwise."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data: Any
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        data = {key: value for key, value in form.items() if isinstance(value, str)}
    else:
        try:
            data = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError):
            raise RequestValidationError(
                [{"type": "json_invalid", "loc": ("body",), "msg": "the body is not JSON"}]
            ) from None
    try:
        return LoginRequest.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None


def _audit(runtime: Runtime, user: User | None, username: str, action: str, client: str) -> None:
    Audit(runtime.db).record(
        username=username,
        role=user.role.value if user else "",
        action=action,
        subject_type="user",
        subject_id=username,
        detail={},
        client=client,
    )


@router.post(
    "/login",
    response_model=LoginOut,
    openapi_extra=_LOGIN_BODY,
    responses=errors(401, 422, 429),
    summary="Log in (JSON or form); sets the session cookie and returns a bearer token",
)
async def login(request: Request, response: Response, runtime: Runtime) -> LoginOut:
    credentials = await _login_request(request)
    throttle: LoginThrottle = request.app.state.throttle
    client = client_of(request)
    wait = throttle.retry_after(credentials.username, client)
    if wait is not None:
        raise TooManyAttemptsError(
            f"too many failed logins; try again in {wait:.0f} s",
            headers={"Retry-After": str(int(wait + 0.999))},
        )
    user = await run_in_threadpool(
        check_password, runtime.db, credentials.username, credentials.password
    )
    if user is None:
        throttle.failed(credentials.username, client)
        await run_in_threadpool(
            _audit, runtime, None, credentials.username, "auth.login_failed", client
        )
        raise NotAuthenticatedError("wrong username or password")
    throttle.succeeded(credentials.username, client)
    token, _ = get_sessions(request).issue(user.username)
    await run_in_threadpool(_audit, runtime, user, user.username, "auth.login", client)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(get_sessions(request).lifetime),
        httponly=True,
        samesite="lax",
        path="/",
    )
    return LoginOut(
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        display_name=user.display_name,
        token=token,
    )


@router.post("/logout", response_model=Ok, responses=errors(401))
async def logout(request: Request, response: Response, session: CurrentSession) -> Ok:
    """End this session: its token (cookie or bearer) is refused from now on."""
    get_sessions(request).revoke(session)
    response.delete_cookie(COOKIE, path="/")
    return Ok()


@router.get("/me", response_model=UserOut, responses=errors(401))
async def me(user: CurrentUser) -> UserOut:
    return UserOut(
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        display_name=user.display_name,
    )
