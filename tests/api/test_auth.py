"""Logging in and out: cookie and bearer sessions, wrong passwords, throttling, forged tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.api.auth import COOKIE
from hotline.live import LiveHotline
from hotline.store.db import Audit, Users
from tests.api.conftest import PASSWORD, login


def test_login_sets_an_httponly_cookie_that_identifies_the_user(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "9001", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "9001"
    assert body["role"] == "agent"
    assert body["agent_id"] == "9001"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    me = client.get("/api/auth/me")  # the cookie from the jar
    assert me.json() == {
        "username": "9001",
        "role": "agent",
        "agent_id": "9001",
        "department": None,  # only a department's user (处理部门) belongs to one
        "display_name": "9001",
        "must_change_password": False,
    }


def test_the_token_in_the_login_body_works_as_a_bearer_token(client: TestClient) -> None:
    headers = login(client, "supervisor")
    assert client.get("/api/auth/me").status_code == 401  # no cookie left
    assert client.get("/api/auth/me", headers=headers).json()["role"] == "supervisor"


def test_login_accepts_an_html_form(client: TestClient) -> None:
    response = client.post("/api/auth/login", data={"username": "lead", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["role"] == "shift_lead"


def test_a_wrong_password_or_unknown_user_is_401_and_says_nothing_more(
    client: TestClient, runtime: LiveHotline
) -> None:
    wrong = client.post("/api/auth/login", json={"username": "9001", "password": "nope"})
    unknown = client.post("/api/auth/login", json={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "error": "not-authenticated",
            "message": "wrong username or password",
        }
    )
    assert COOKIE not in wrong.headers.get("set-cookie", "")
    failed = Audit(runtime.db).list(action="auth.login_failed")
    assert {entry.username for entry in failed} == {"9001", "nobody"}


def test_five_failures_throttle_the_username_even_with_the_right_password(
    client: TestClient,
) -> None:
    for _ in range(5):
        response = client.post("/api/auth/login", json={"username": "9002", "password": "x"})
        assert response.status_code == 401
    throttled = client.post("/api/auth/login", json={"username": "9002", "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "too-many-attempts"
    assert int(throttled.headers["retry-after"]) > 0
    other = client.post("/api/auth/login", json={"username": "9001", "password": PASSWORD})
    assert other.status_code == 200  # another user from the same client is not throttled


def test_logout_ends_the_session_for_cookie_and_token(client: TestClient) -> None:
    headers = login(client, "admin")
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_a_forged_or_malformed_token_is_401(client: TestClient) -> None:
    headers = login(client, "admin")
    token = headers["Authorization"].removeprefix("Bearer ")
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{'A' * len(signature)}"
    for value in (forged, "garbage", ""):
        response = client.get("/api/users", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401
        assert set(response.json()) == {"error", "message"}


def test_a_deactivated_user_loses_the_session_at_once(
    client: TestClient, runtime: LiveHotline
) -> None:
    headers = login(client, "qa")
    Users(runtime.db).update("qa", active=False)
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    response = client.post("/api/auth/login", json={"username": "qa", "password": PASSWORD})
    assert response.status_code == 401


def test_bad_login_input_is_422_naming_the_field(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "9001"})
    assert response.status_code == 422
    assert response.json()["field"] == "body.password"
    response = client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid-request"
