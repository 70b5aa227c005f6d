"""The whole web application: the API and the console pages on it, one ASGI app.

The console (`hotline.web`) builds on the API's sessions and roles, so it sits
above it; this module, above both, puts them together.
"""

from __future__ import annotations

from fastapi import FastAPI

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.web import (
    calls_pages,
    complaints_pages,
    crm_pages,
    handover_pages,
    kb_pages,
    mount_static,
    orders_pages,
    pages,
    reports_pages,
)


def build_app(runtime: LiveHotline, *, secret: str | None = None) -> FastAPI:
    """The API and the console for `runtime`; its lifespan starts and stops the runtime."""
    app = create_app(runtime, secret=secret)
    app.include_router(pages.router)
    app.include_router(orders_pages.router)
    app.include_router(kb_pages.router)
    app.include_router(crm_pages.router)
    app.include_router(complaints_pages.router)
    app.include_router(handover_pages.router)
    app.include_router(reports_pages.router)
    app.include_router(calls_pages.router)
    mount_static(app)
    return app
