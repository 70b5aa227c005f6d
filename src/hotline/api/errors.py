"""Errors at the HTTP edge and how every failure becomes a JSON answer.

Every error answer is ``{"error": id, "message": text}``, plus ``"field"``
naming the offending parameter for a 422, and ``"problems"`` for a refused
configuration. Domain errors (`HotlineError`) carry no HTTP status; the
mapping lives here: an unknown agent, call, queue or customer is 404, any
other refusal by the engine (a command not allowed in the agent's state) is
409. Anything else is a bug: logged with its traceback and answered 500
without details; so is a `ClockError` (a clock misused), though a `HotlineError`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NoReturn

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hotline.core.clock import ClockError
from hotline.core.config import ConfigError
from hotline.core.errors import HotlineError, UnknownAgentError
from hotline.routing.errors import UnknownContactError, UnknownQueueError

log = logging.getLogger(__name__)


class ApiError(HotlineError):
    """A refusal decided at the edge (authentication, role, lookup); carries its status."""

    error_id = "api-error"
    status = 400

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.headers = headers

    def body_extra(self) -> dict[str, Any]:
        """Keys the error body carries besides ``error`` and ``message``."""
        return {}


class NotAuthenticatedError(ApiError):
    error_id = "not-authenticated"
    status = 401


class ForbiddenError(ApiError):
    error_id = "forbidden"
    status = 403


class CrossSiteRequestError(ForbiddenError):
    """A state-changing request sent by a page of another site with this site's cookie."""

    error_id = "cross-site-request"


class PasswordChangeRequiredError(ForbiddenError):
    """The user logged in with a password someone else set, and must replace it first."""

    error_id = "password-change-required"


class NotFoundError(ApiError):
    error_id = "not-found"
    status = 404


class ConflictError(ApiError):
    error_id = "conflict"
    status = 409


class TooManyAttemptsError(ApiError):
    error_id = "too-many-attempts"
    status = 429


class InvalidRequestError(ApiError):
    """A well-formed request whose value the app refuses; `field` names it (``body.queue``)."""

    error_id = "invalid-request"
    status = 422

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field

    def body_extra(self) -> dict[str, Any]:
        return {"field": self.field}


class WeakPasswordError(InvalidRequestError):
    """A new password the policy refuses; `rule` says which rule (``too-short`` …)."""

    error_id = "weak-password"

    def __init__(self, message: str, *, field: str, rule: str) -> None:
        super().__init__(message, field=field)
        self.rule = rule

    def body_extra(self) -> dict[str, Any]:
        return {"field": self.field, "rule": self.rule}


class WrongPasswordError(InvalidRequestError):
    """The current password given to change it is wrong."""

    error_id = "wrong-password"


NOT_FOUND_ERRORS: tuple[type[HotlineError], ...] = (
    UnknownAgentError,
    UnknownContactError,
    UnknownQueueError,
)


def status_of(error: HotlineError) -> int:
    """The HTTP status of a Hotline error: the edge's own, 404 for unknown things, else 409."""
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, ConfigError):
        return 422
    if isinstance(error, NOT_FOUND_ERRORS) or error.error_id.startswith("no-such-"):
        return 404
    return 409


def error_body(error_id: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": error_id, "message": message, **extra}


def field_name(loc: Sequence[int | str]) -> str:
    """``("body", "speed")`` → ``body.speed``; a JSON-decode error's position is dropped."""
    return ".".join(str(part) for part in loc)


def _validation_message(error: dict[str, Any]) -> str:
    field = field_name(error.get("loc", ()))
    message = str(error.get("msg", "invalid value"))
    return f"{field}: {message}" if field else message


def error_response(exc: HotlineError) -> JSONResponse:
    """The JSON answer of a Hotline error: its status, body and headers."""
    extra: dict[str, Any] = exc.body_extra() if isinstance(exc, ApiError) else {}
    if isinstance(exc, ConfigError):
        extra["problems"] = [str(problem) for problem in exc.problems]
    headers = exc.headers if isinstance(exc, ApiError) else None
    body = error_body(exc.error_id, exc.message, **extra)
    return JSONResponse(body, status_code=status_of(exc), headers=headers)


async def _hotline_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HotlineError)
    return error_response(exc)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {}
    body = error_body(
        "invalid-request",
        "; ".join(_validation_message(e) for e in errors[:5]) or "invalid request",
        field=field_name(first.get("loc", ())),
    )
    return JSONResponse(body, status_code=422)


_HTTP_IDS = {
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "too-large",
    415: "unsupported-media-type",
}


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it cannot decode (not UTF-8, truncated form): for the
        # client that is one more invalid request, so it gets the same 422 as the others
        body = error_body("invalid-request", f"body: {exc.detail}", field="body")
        return JSONResponse(body, status_code=422)
    error_id = _HTTP_IDS.get(exc.status_code, "http-error")
    return JSONResponse(
        error_body(error_id, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


http_error = _http_error
"""The JSON answer to an HTTP error (an unknown route, a wrong method): the console's page
handler answers API paths with it."""


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body("internal-error", "internal error"), status_code=500)


async def _pass_on(_: Request, exc: Exception) -> NoReturn:
    """Send a `ClockError` on to the bug handler, as when it was a bare `RuntimeError`: a
    clock misused is a bug, not a refusal (Starlette picks the most specific handler)."""
    raise exc


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the JSON error body."""
    app.add_exception_handler(HotlineError, _hotline_error)
    app.add_exception_handler(ClockError, _pass_on)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _bug)
