"""Cross-site request forgery: another site's page makes the agent's browser send a form.

The attack of the security review (issue 12, finding 8): a page served on another port of
the same host auto-submits a plain HTML form to ``/api/desk/hold`` then ``/api/desk/hangup``;
the browser adds the ``hotline_session`` cookie (SameSite=Lax lets a same-site request
carry it) and says where the request comes from (``Origin``, ``Sec-Fetch-Site``). Each test
sends what such a browser sends, and the console's own requests (same origin, or no such
headers at all: the test client, curl) keep working.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.api.auth import COOKIE
from hotline.live import LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD, login, ready, ring

CALLER = "13800138000"
FORM = {"content-type": "application/x-www-form-urlencoded"}
# a page on another port of the same host (e.g. http://testserver:8080/evil.html)
SAME_SITE = {**FORM, "origin": "http://testserver:8080", "sec-fetch-site": "same-site"}
CROSS_SITE = {**FORM, "origin": "https://evil.example", "sec-fetch-site": "cross-site"}
OWN_PAGE = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}


def _cookie_login(client: TestClient, username: str) -> None:
    """Log in as the console does: the session stays in the client's cookie jar."""
    client.cookies.clear()
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert client.cookies.get(COOKIE)


def _talking(client: TestClient, runtime: LiveHotline) -> dict[str, object]:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    assert client.post("/api/desk/answer", headers=agent).json()["state"] == "talking"
    return call


@pytest.mark.parametrize("attacker", [SAME_SITE, CROSS_SITE], ids=["same-site", "cross-site"])
def test_a_forged_form_cannot_hold_or_hang_up_the_agents_live_call(
    client: TestClient, runtime: LiveHotline, attacker: dict[str, str]
) -> None:
    call = _talking(client, runtime)
    _cookie_login(client, "9001")
    for action in ("hold", "hangup"):
        forged = client.post(f"/api/desk/{action}", content=b"", headers=attacker)
        assert forged.status_code == 403, forged.text
        assert forged.json()["error"] == "cross-site-request"
        assert set(forged.json()) == {"error", "message"}
    desk = client.get("/api/desk").json()
    assert desk["agent"]["state"] == "talking"
    assert desk["call"]["id"] == call["id"]
    refused = Audit(runtime.db).list(action="access.denied", username="9001")
    assert [entry.subject_id for entry in refused] == [
        "POST /api/desk/hangup",
        "POST /api/desk/hold",
    ]
    assert all(entry.detail == {"error": "cross-site-request"} for entry in refused)


def test_the_consoles_own_requests_still_work(client: TestClient, runtime: LiveHotline) -> None:
    _talking(client, runtime)
    _cookie_login(client, "9001")
    held = client.post("/api/desk/hold", headers=OWN_PAGE)
    assert held.status_code == 200, held.text
    assert held.json()["state"] == "hold"
    typed = client.post("/api/desk/retrieve", headers={"sec-fetch-site": "none"})
    assert typed.json()["state"] == "talking"
    plain = client.post("/api/desk/hangup")  # no Origin, no Sec-Fetch-Site: not a browser
    assert plain.json()["state"] == "wrap_up"


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("POST", "/api/orders/scan", "lead"),
        ("POST", "/api/crm/tiers/recompute", "admin"),
        ("POST", "/api/auth/logout", "admin"),
        ("POST", "/api/demo/speed", "admin"),
        ("PUT", "/api/config/hotline.yaml", "admin"),
    ],
)
def test_every_unsafe_method_with_the_cookie_is_checked(
    client: TestClient, method: str, path: str, role: str
) -> None:
    _cookie_login(client, role)
    forged = client.request(method, path, content=b"", headers=SAME_SITE)
    assert forged.status_code == 403
    assert forged.json()["error"] == "cross-site-request"
    assert client.get("/api/auth/me").status_code == 200  # the forged log-out did nothing


def test_an_origin_header_alone_is_enough_to_refuse(client: TestClient) -> None:
    _cookie_login(client, "lead")
    for origin in ("http://testserver:8080", "https://testserver", "null", "http://evil.example"):
        forged = client.post("/api/orders/scan", headers={"origin": origin})
        assert forged.status_code == 403, origin
    same = client.post("/api/orders/scan", headers={"origin": "http://testserver:80"})
    assert same.status_code == 200, same.text


def test_a_cross_site_login_form_is_refused(client: TestClient, runtime: LiveHotline) -> None:
    client.cookies.clear()
    forged = client.post(
        "/api/auth/login",
        data={"username": "9001", "password": PASSWORD},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
    )
    assert forged.status_code == 403
    assert forged.json()["error"] == "cross-site-request"
    assert COOKIE not in forged.headers.get("set-cookie", "")
    assert Audit(runtime.db).list(action="auth.login") == []


def test_a_bearer_token_without_a_cookie_is_not_forgeable_and_passes(
    client: TestClient, runtime: LiveHotline
) -> None:
    headers = login(client, "lead")  # no cookie left in the jar
    response = client.post("/api/orders/scan", headers={**headers, **CROSS_SITE})
    assert response.status_code == 200, response.text
