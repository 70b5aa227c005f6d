"""Guards around every request: cross-site requests refused, security headers on every answer.

`CrossSiteGuard` refuses a state-changing request (POST, PUT, PATCH, DELETE) that a
page of another site made a browser send with this site's cookie (CSRF). The browser
says where a request comes from: ``Sec-Fetch-Site`` (``same-origin`` and ``none`` — typed
or bookmarked — pass; ``same-site``, e.g. another port of the same host, and
``cross-site`` do not) and ``Origin`` (when present it must be this server's own
``scheme://host:port``). A request with a bearer token and no cookie passes: a page
of another site cannot make a browser add that header. A request with neither is
checked too, which covers the login form (login CSRF). Clients that send neither
header (curl, the test client) pass. A refusal is 403 ``cross-site-request``, written
to the audit log.

`SecurityHeaders` adds to every answer: a Content-Security-Policy allowing this
origin only (scripts from ``/static`` only; inline ``<style>`` only with the
response's nonce, ``request.state.csp_nonce``; no framing), ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``. The OpenAPI
pages (``/docs``, ``/redoc``) load their scripts from a CDN and keep a policy of their
own.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline.api.auditing import denied
from hotline.api.auth import COOKIE, Sessions
from hotline.api.errors import error_body
from hotline.api.users import User, find_user

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
CROSS_SITE = "cross-site-request"


def _origin_parts(scheme: str, netloc: str) -> tuple[str, str, int | None] | None:
    try:
        parsed = urlsplit(f"{scheme}://{netloc}")
        port = parsed.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if not parsed.hostname:
        return None
    return scheme, parsed.hostname.lower(), port


def same_origin(origin: str, scheme: str, host: str | None) -> bool:
    """Whether an ``Origin`` header names this server (`scheme`, ``Host`` header `host`)."""
    if not host or origin == "null":
        return False
    theirs = urlsplit(origin)
    mine = _origin_parts(scheme, host)
    return mine is not None and _origin_parts(theirs.scheme.lower(), theirs.netloc) == mine


def cross_site_reason(headers: Headers, scheme: str) -> str | None:
    """Why a state-changing request looks sent by another site's page, or None when not."""
    site = headers.get("sec-fetch-site")
    if site is not None and site.strip().lower() not in TRUSTED_FETCH_SITES:
        return f"Sec-Fetch-Site: {site[:40]}"
    origin = headers.get("origin")
    if origin is not None and not same_origin(origin.strip(), scheme, headers.get("host")):
        return f"Origin: {origin[:80]}"
    return None


def _bearer_only(headers: Headers) -> bool:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip()) and COOKIE not in _cookies(headers)


def _cookies(headers: Headers) -> set[str]:
    names = set()
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            name, _, _ = part.partition("=")
            names.add(name.strip())
    return names


def _cookie_user(connection: HTTPConnection) -> User | None:
    """The user of the request's session cookie (for the audit row), if it is valid."""
    token = connection.cookies.get(COOKIE)
    sessions: Sessions | None = getattr(connection.app.state, "sessions", None)
    session = sessions.check(token) if token and sessions is not None else None
    if session is None:
        return None
    return find_user(connection.app.state.runtime.services.users, session.username)


class CrossSiteGuard:
    """ASGI middleware: 403 ``cross-site-request`` for a state-changing request another
    site's page sent with this site's cookie (or to its login form)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        reason = None if _bearer_only(headers) else cross_site_reason(headers, scope["scheme"])
        if reason is None:
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        user = await run_in_threadpool(_cookie_user, connection)
        await denied(connection, user, CROSS_SITE)
        body = error_body(
            CROSS_SITE,
            f"refused: a request from another site ({reason}); use the console's own pages",
        )
        await JSONResponse(body, status_code=403)(scope, receive, send)


DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


_HOST = re.compile(r"^[A-Za-z0-9.:\[\]-]{1,255}$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.:\[\]-]{1,255}$")
WEBCALL_PATH = "/webcall"
_SOCKET_URL = re.compile(r"^wss?://[A-Za-z0-9.:\[\]-]{1,255}(/[A-Za-z0-9._~/-]*)?$")


def content_security_policy(
    nonce: str,
    host: str | None = None,
    connect: tuple[str, ...] = (),
    frame_ancestors: tuple[str, ...] = (),
) -> str:
    """The console's policy: this origin only; inline ``<style>`` with the nonce only.

    The live stream's ``ws:``/``wss:`` address of `host` is named as well, for browsers
    whose ``'self'`` does not cover WebSockets yet, and the `connect` addresses (the SIP
    websocket of the browser softphone, ``app.state.csp_connect``). `frame_ancestors`: the
    sites that may frame the page (the web call page's, ``app.state.webcall_frame``); none
    by default.
    """
    framers = " ".join(o for o in frame_ancestors if _ORIGIN.match(o)) or "'none'"
    sockets = f" ws://{host} wss://{host}" if host and _HOST.match(host) else ""
    sockets += "".join(f" {url}" for url in connect if _SOCKET_URL.match(url))
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; "
        f"connect-src 'self'{sockets}; "
        "font-src 'self'; "
        "media-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        f"frame-ancestors {framers}"
    )


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP answer, and a fresh CSP nonce
    per request in ``request.state.csp_nonce`` for the templates' ``<style>`` elements."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["csp_nonce"] = nonce
        host = Headers(scope=scope).get("host")
        app_state = getattr(scope.get("app"), "state", None)
        connect = tuple(getattr(app_state, "csp_connect", ()))
        # the web call page may be framed by the center's own sites (and only it)
        framers = (
            tuple(getattr(app_state, "webcall_frame", ())) if scope["path"] == WEBCALL_PATH else ()
        )
        policy = (
            _DOCS_POLICY
            if scope["path"] in DOCS_PATHS
            else content_security_policy(nonce, host, connect, framers)
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                if not framers:  # frame-ancestors names the framing sites otherwise
                    headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
            await send(message)

        await self.app(scope, receive, send_with_headers)
