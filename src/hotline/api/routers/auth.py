"""Log in, log out, who am I, change my password: sessions as a signed cookie or a bearer token.

Logins are throttled per username and client (`LoginThrottle`) and per username
from any client (`AccountLockout`); a lock that starts is written to the audit log
(``auth.locked``), as are logins, failures, log-outs and changes of password. The
cookie is ``Secure`` when the request came over HTTPS.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.auth import COOKIE, AccountLockout, LoginThrottle
from hotline.api.deps import CurrentSession, PendingUser, Runtime, client_of, get_sessions
from hotline.api.errors import NotAuthenticatedError, TooManyAttemptsError, WrongPasswordError
from hotline.api.responses import errors
from hotline.api.schemas import LoginOut, LoginRequest, Ok, PasswordChange, UserOut
from hotline.api.users import User, change_password, check_password

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
    runtime.services.audit.record(
        username=username,
        role=user.role.value if user else "",
        action=action,
        subject_type="user",
        subject_id=username,
        detail={},
        client=client,
    )


def _too_many(wait: float) -> TooManyAttemptsError:
    return TooManyAttemptsError(
        f"too many failed attempts; try again in {wait:.0f} s",
        headers={"Retry-After": str(int(wait + 0.999))},
    )


def _lockout(request: Request) -> AccountLockout:
    lockout: AccountLockout = request.app.state.lockout
    return lockout


async def _failed(request: Request, user: User | None, username: str) -> None:
    """Count a failed password for `username` everywhere; audit the lock it starts."""
    locked = _lockout(request).failed(username)
    if locked is not None:
        await audit(
            request,
            user,
            "auth.locked",
            subject_type="user",
            subject_id=username[:128],
            detail={"seconds": locked},
        )


def _set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(get_sessions(request).lifetime),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _user_out(user: User) -> UserOut:
    return UserOut(
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        display_name=user.display_name,
        department=user.department,
        must_change_password=user.must_change_password,
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
    if wait is None:
        wait = _lockout(request).retry_after(credentials.username)
    if wait is not None:
        raise _too_many(wait)
    user = await run_in_threadpool(
        check_password, runtime.services.users, credentials.username, credentials.password
    )
    if user is None:
        throttle.failed(credentials.username, client)
        await run_in_threadpool(
            _audit, runtime, None, credentials.username, "auth.login_failed", client
        )
        await _failed(request, None, credentials.username)
        raise NotAuthenticatedError("wrong username or password")
    throttle.succeeded(credentials.username, client)
    _lockout(request).succeeded(credentials.username)
    token, _ = get_sessions(request).issue(user.username)
    await run_in_threadpool(_audit, runtime, user, user.username, "auth.login", client)
    _set_cookie(request, response, token)
    return LoginOut(**_user_out(user).model_dump(), token=token)


@router.post("/logout", response_model=Ok, responses=errors(401))
async def logout(
    request: Request,
    response: Response,
    user: PendingUser,
    session: CurrentSession,
    runtime: Runtime,
) -> Ok:
    """End this session: its token (cookie or bearer) is refused from now on."""
    get_sessions(request).revoke(session)
    if runtime.softphones is not None:  # the browser softphone's SIP credential ends too
        runtime.softphones.revoke(session.nonce)
    response.delete_cookie(
        COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="lax"
    )
    await audit(request, user, "auth.logout", subject_type="user", subject_id=user.username)
    return Ok()


@router.get("/me", response_model=UserOut, responses=errors(401))
async def me(user: PendingUser) -> UserOut:
    """Who is signed in; `must_change_password` says the password must be changed first."""
    return _user_out(user)


@router.post(
    "/password",
    response_model=LoginOut,
    responses=errors(401, 422, 429),
    summary="Change my password",
)
async def password(
    body: PasswordChange,
    request: Request,
    response: Response,
    user: PendingUser,
    session: CurrentSession,
    runtime: Runtime,
) -> LoginOut:
    """Change one's own password: the current one, and a new one the policy accepts
    (422 ``wrong-password`` or ``weak-password`` naming the field). Every other session
    of the user ends; this one gets a new token (and cookie)."""
    wait = _lockout(request).retry_after(user.username)
    if wait is not None:
        raise _too_many(wait)
    try:
        saved = await run_in_threadpool(
            change_password,
            runtime.services.users,
            user.username,
            body.current_password,
            body.new_password,
        )
    except WrongPasswordError:
        await _failed(request, user, user.username)
        raise
    runtime.publish_stored(saved.events)
    changed = saved.record
    _lockout(request).succeeded(user.username)
    sessions = get_sessions(request)
    sessions.revoke(session)
    token, _ = sessions.issue(changed.username)
    await audit(
        request, changed, "auth.password_changed", subject_type="user", subject_id=user.username
    )
    _set_cookie(request, response, token)
    return LoginOut(**_user_out(changed).model_dump(), token=token)
