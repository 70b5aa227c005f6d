"""Every failure answers JSON: HotlineErrors mapped to 404/409, a real bug to a bare 500."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hotline.api import errors
from hotline.core.clock import ClockError, VirtualClock
from hotline.core.errors import HotlineError, UnknownAgentError
from hotline.routing.errors import InvalidAgentTransitionError


def test_status_of_domain_errors() -> None:
    assert errors.status_of(UnknownAgentError("no agent 7")) == 404
    assert errors.status_of(InvalidAgentTransitionError("already logged in")) == 409
    assert errors.status_of(HotlineError("anything else the engine refuses")) == 409
    assert errors.status_of(errors.ForbiddenError("no")) == 403


def test_a_bug_is_a_bare_500_and_unknown_routes_are_json_404() -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/bug")
    async def bug() -> None:
        raise ZeroDivisionError("secret detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/bug")
        assert response.status_code == 500
        assert response.json() == {"error": "internal-error", "message": "internal error"}
        missing = client.get("/nowhere")
        assert missing.status_code == 404
        assert missing.json()["error"] == "not-found"


def test_a_misused_clock_is_a_bug_though_a_hotline_error() -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/clock")
    async def clock() -> None:
        VirtualClock().call_later(-1, lambda: None)

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/clock")
        assert response.status_code == 500
        assert response.json() == {"error": "internal-error", "message": "internal error"}
    with TestClient(app) as client, pytest.raises(ClockError):
        client.get("/clock")  # re-raised past the 500, as any bug is
