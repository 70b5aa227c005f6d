"""The whole web application: the API and the console pages on it, one ASGI app.

The console (`hotline.web`) builds on the API's sessions and roles, so it sits
above it; this module, above both, puts them together.
"""

from __future__ import annotations

import socket

from fastapi import FastAPI

from hotline.api import create_app
from hotline.core.errors import HotlineError
from hotline.features import features, resolve
from hotline.live import LiveHotline
from hotline.web import (
    calls_pages,
    complaints_pages,
    crm_pages,
    kb_pages,
    mount_static,
    orders_pages,
    pages,
    reports_pages,
    webcall_pages,
)


def build_app(runtime: LiveHotline, *, secret: str | None = None) -> FastAPI:
    """The API and the console for `runtime`; its lifespan starts and stops the runtime."""
    app = create_app(runtime, secret=secret)
    app.include_router(pages.router)
    app.include_router(orders_pages.router)
    app.include_router(kb_pages.router)
    app.include_router(crm_pages.router)
    app.include_router(complaints_pages.router)
    app.include_router(reports_pages.router)
    app.include_router(calls_pages.router)
    app.include_router(webcall_pages.router)
    for feature in features():
        if feature.pages is not None:
            app.include_router(resolve(feature.pages))
    pages.install(app)
    mount_static(app)
    return app


class PortInUseError(HotlineError):
    error_id = "port-in-use"


def check_port(host: str, port: int, *, what: str, hint: str) -> None:
    """Refuse at once, in words, when the app's address is taken (before anything starts):
    "`what` host:port: the reason (`hint`)"."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUseError(
                f"{what} {host}:{port}: {error.strerror} ({hint})", host=host, port=port
            ) from None
