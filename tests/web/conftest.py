"""One real app (API and console pages) over a paused, quiet live hotline, shared by a module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api.users import create_user
from hotline.app import build_app
from hotline.live import DemoSettings, LiveHotline

QUIET = Path(__file__).with_name("quiet.yaml")
PASSWORD = "demo123"
USERS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "lead": "shift_lead",
    "qa": "qa",
    "9001": "agent",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    runtime = LiveHotline.demo(
        DemoSettings(db_url=f"sqlite:///{db}", scenario=QUIET, speed=0.0, traffic=False)
    )
    for username, role in USERS.items():
        create_user(
            runtime.services.users, username, PASSWORD, role, display_name=f"{username} 用户"
        )
    with TestClient(build_app(runtime), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[str, str]:
    """A bearer token per demo user (so one client serves every role without cookies)."""
    out = {}
    for username in USERS:
        response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[username] = response.json()["token"]
    client.cookies.clear()
    return out
