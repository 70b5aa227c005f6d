"""A real runtime (the example hotline, a quiet test day, paused clock, SQLite in tmp) and its app.

The clock is paused (`speed=0`): only `advance` moves engine time, through the
client's portal so the engine runs on the app's event loop as it does live.
The test scenario has no simulated agents, so a placed call rings a human seat.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.live import DemoSettings, LiveHotline

SCENARIO = Path(__file__).with_name("scenario.yaml")
PASSWORD = "demo123"
USERS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "lead": "shift_lead",
    "qa": "qa",
    "9001": "agent",
    "9002": "agent",
}
"""username -> role of the users every test app has."""


def make_runtime(directory: Path, *, scenario: Path = SCENARIO, users: bool = True) -> LiveHotline:
    """The runtime of `scenario` (this folder's quiet day unless another is given), its
    database in `directory`, with every test user (`users`)."""
    runtime = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{directory / 'hotline.db'}",
            scenario=scenario,
            speed=0.0,
            traffic=False,
        )
    )
    if users:
        for username, role in USERS.items():
            create_user(runtime.services.users, username, PASSWORD, role, display_name=username)
    return runtime


@pytest.fixture
def runtime(tmp_path: Path) -> LiveHotline:
    return make_runtime(tmp_path)


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield client


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in and return the bearer header; the client's cookie jar is left empty."""
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def advance(client: TestClient, runtime: LiveHotline, seconds: float) -> None:
    """Run engine time forward on the app's loop (where the engine lives)."""
    client.portal.call(runtime.advance, seconds)  # type: ignore[union-attr]


def ring(client: TestClient, runtime: LiveHotline, agent: dict[str, str], caller: str) -> Any:
    """Place a call and advance until it rings the (ready) agent; returns the desk's call."""
    client.portal.call(runtime.call_in, caller)  # type: ignore[union-attr]
    for _ in range(120):
        advance(client, runtime, 1.0)
        call = client.get("/api/desk", headers=agent).json()["call"]
        if call is not None:
            return call
    raise AssertionError("the call never rang the agent")


def ready(client: TestClient, agent_id: str, headers: dict[str, str]) -> None:
    for state in ("logged_in", "ready"):
        response = client.post(
            f"/api/agents/{agent_id}/state", json={"state": state}, headers=headers
        )
        assert response.status_code == 200, response.text
