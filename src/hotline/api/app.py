"""The FastAPI application: routes, error handling, sessions, and the runtime's lifetime.

`create_app(runtime)` serves one `LiveHotline`. The app's lifespan starts the
runtime on the server's event loop and stops it at shutdown, so every engine
command and every route run on that one loop (the engine is single-threaded);
database work of the routes runs in the thread pool. Every request passes the
guards (`hotline.api.guards`: cross-site requests refused, security headers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hotline.api import auditing, errors
from hotline.api.auth import AccountLockout, LoginThrottle, Sessions
from hotline.api.guards import CrossSiteGuard, SecurityHeaders
from hotline.api.privacy import ReadsAudited
from hotline.api.routers import (
    agents,
    audit,
    auth,
    board,
    calls,
    complaints,
    config,
    crm,
    customers,
    demo,
    desk,
    events,
    kb,
    mobile,
    order_accuracy,
    orders,
    outside,
    phones,
    reports,
    softphone,
    stream,
    supervise,
    users,
)
from hotline.features import features, resolve
from hotline.live import LiveHotline

ROUTERS = (
    auth.router,
    agents.router,
    desk.router,
    outside.router,
    softphone.router,
    mobile.router,
    board.router,
    supervise.router,
    customers.router,
    crm.router,
    calls.router,
    events.router,
    orders.router,
    order_accuracy.router,
    complaints.router,
    reports.router,
    kb.router,
    audit.router,
    config.router,
    users.router,
    phones.router,
    demo.router,
    stream.router,
)


def create_app(runtime: LiveHotline, *, secret: str | None = None) -> FastAPI:
    """The API for `runtime` (`hotline.app.build_app` adds the console's pages).

    `secret` signs session tokens; without one a random secret is drawn, so
    sessions do not survive a restart.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title="Hotline API",
        version="0.1.0",
        summary="呼叫中心 — agents, desk, wallboard, customers, calls, events, configuration",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.sessions = Sessions(secret)
    app.state.throttle = LoginThrottle()
    app.state.lockout = AccountLockout()
    app.state.reads = ReadsAudited()
    softphones = runtime.softphones
    # the browser softphone's SIP websocket (another port or host): allowed to connect
    edge = softphones.edge if softphones is not None else None
    app.state.csp_connect = (edge.ws_url,) if edge is not None else ()
    app.state.webcall_frame = edge.frame_origins if edge is not None else ()
    errors.install(app)
    auditing.install(app)
    app.add_middleware(CrossSiteGuard)
    app.add_middleware(SecurityHeaders)  # added last: the outermost, so refusals get them too
    for router in ROUTERS:
        app.include_router(router)
    for feature in features():
        if feature.router is not None:
            app.include_router(resolve(feature.router))
    return app
