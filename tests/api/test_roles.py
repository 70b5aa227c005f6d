"""Who may call what: every endpoint for every role (and for no session), 200 / 401 / 403.

A refused request gets only the error body, never data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from tests.api.conftest import login, make_runtime

ROLES = ["9001", "lead", "supervisor", "qa", "admin"]  # agent, shift_lead, supervisor, qa, admin
EVERYONE = set(ROLES)
WATCHERS = {"lead", "supervisor", "qa", "admin"}

# (method, path, body, usernames allowed: 2xx; every other role: 403; no session: 401)
MATRIX: list[tuple[str, str, dict[str, object] | None, set[str]]] = [
    ("GET", "/api/auth/me", None, EVERYONE),
    ("GET", "/api/agents", None, EVERYONE),
    ("GET", "/api/agents/9001", None, {"9001"} | WATCHERS),
    ("GET", "/api/agents/9002", None, WATCHERS),
    ("POST", "/api/agents/9003/state", {"state": "logged_in"}, {"lead", "supervisor"}),
    ("GET", "/api/desk", None, {"9001"}),
    ("GET", "/api/desk?agent=9001", None, {"9001", "lead", "supervisor"}),
    ("GET", "/api/desk?agent=9002", None, {"lead", "supervisor"}),
    ("GET", "/api/board", None, WATCHERS),
    ("GET", "/api/queues", None, EVERYONE),
    ("GET", "/api/skills", None, EVERYONE),
    ("GET", "/api/calls", None, EVERYONE),
    ("GET", "/api/calls?agent=9002", None, WATCHERS),
    ("GET", "/api/events?limit=5", None, EVERYONE),
    ("GET", "/api/audit", None, {"supervisor", "admin"}),
    ("GET", "/api/config", None, {"admin"}),
    ("GET", "/api/config/hotline.yaml", None, {"admin"}),
    ("GET", "/api/config/ivr/main.yaml", None, {"admin"}),
    ("GET", "/api/users", None, {"admin"}),
    ("POST", "/api/demo/speed", {"speed": 0}, {"supervisor", "admin"}),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    runtime = make_runtime(Path(tmp_path_factory.mktemp("roles")))
    with TestClient(create_app(runtime, secret="roles")) as client:
        yield client


@pytest.fixture(scope="module")
def headers(client: TestClient) -> dict[str, dict[str, str]]:
    return {username: login(client, username) for username in ROLES}


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_role_matrix(
    client: TestClient,
    headers: dict[str, dict[str, str]],
    method: str,
    path: str,
    body: dict[str, object] | None,
    allowed: set[str],
) -> None:
    client.cookies.clear()
    anonymous = client.request(method, path, json=body)
    assert anonymous.status_code == 401, anonymous.text
    assert set(anonymous.json()) == {"error", "message"}
    for username in ROLES:
        response = client.request(method, path, json=body, headers=headers[username])
        if username in allowed:
            # a second command may be refused by the engine (409), never by the role check
            ok = {200, 409} if method == "POST" else {200}
            assert response.status_code in ok, (username, response.text)
        else:
            assert response.status_code == 403, (username, response.text)
            assert response.json()["error"] == "forbidden"
            assert set(response.json()) == {"error", "message"}


def test_only_the_admin_creates_users(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    for username in ROLES:
        body = {"username": f"new-{username}", "password": "Hold music 42", "role": "qa"}
        response = client.post("/api/users", json=body, headers=headers[username])
        assert response.status_code == (201 if username == "admin" else 403), response.text
    again = {"username": "new-admin", "password": "Hold music 42", "role": "qa"}
    assert client.post("/api/users", json=again, headers=headers["admin"]).status_code == 409
    created = client.post(
        "/api/auth/login", json={"username": "new-admin", "password": "Hold music 42"}
    )
    assert created.json()["role"] == "qa"


def test_an_agent_sees_only_their_own_row_in_the_agent_list(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    rows = client.get("/api/agents", headers=headers["9001"]).json()
    assert [row["id"] for row in rows] == ["9001"]
    everyone = client.get("/api/agents", headers=headers["supervisor"]).json()
    assert {"9001", "9002", "9003"} <= {row["id"] for row in everyone}
    assert all(row["human"] for row in everyone if row["id"] in {"9001", "9002", "9003"})


def test_an_agent_may_not_change_another_agents_state(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    response = client.post(
        "/api/agents/9002/state", json={"state": "ready"}, headers=headers["9001"]
    )
    assert response.status_code == 403


def test_unknown_agent_is_404_for_those_who_may_look(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    response = client.get("/api/agents/7777", headers=headers["supervisor"])
    assert response.status_code == 404
    assert response.json()["error"] == "not-found"
    assert client.get("/api/agents/7777", headers=headers["9001"]).status_code == 403
