"""The error answers a route documents in the OpenAPI schema, all with the `ErrorBody` shape."""

from __future__ import annotations

from typing import Any

from hotline.api.schemas import ErrorBody

_DESCRIPTIONS = {
    401: "not logged in, or the session is invalid",
    403: "the user's role may not do this, the user must change their password first "
    "(`password-change-required`), or a cross-site request (`cross-site-request`)",
    404: "no such agent, call, customer or document",
    409: "not allowed in the present state",
    422: "invalid request: `field` names the parameter",
    429: "too many failed logins",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with the error body and what it means.

    A route that needs a session (401) may also answer 403: the user must change their
    password first, or the request came from another site.
    """
    wanted = sorted({*statuses, 403} if 401 in statuses else set(statuses))
    return {status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in wanted}
