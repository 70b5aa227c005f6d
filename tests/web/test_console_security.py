"""The console's answers protect the browser (issue 12, finding 13): security headers on
every answer, no inline script a Content-Security-Policy would have to allow, inline CSS only
with the answer's nonce, and a ``Secure`` session cookie over HTTPS."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hotline.api.auth import COOKIE
from tests.web.conftest import PASSWORD

PAGES = {
    "/login": None,
    "/desk": "9001",
    "/board": "supervisor",
    "/admin": "admin",
    "/password": "qa",
    "/calls": "lead",
    "/orders": "lead",
    "/visits": "lead",
    "/handover": "lead",
    "/order-accuracy": "qa",
    "/complaints": "qa",
    "/customers": "lead",
    "/kb": "9001",
    "/reports": "supervisor",
    "/reports/daily": "supervisor",
    "/reports/agent/9001": "9001",
}
OTHER_ANSWERS = [
    ("GET", "/api/health", None),
    ("GET", "/api/board", "qa"),
    ("GET", "/api/auth/me", None),  # 401
    ("GET", "/board", "9001"),  # the 403 page
    ("GET", "/static/js/console.js", None),
    ("GET", "/no/such/page", None),  # 404
    ("POST", "/api/orders/scan", "cookie"),  # refused as cross-site
]


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _headers(tokens: dict[str, str], user: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"} if user else {}


def _policy(response: object) -> dict[str, str]:
    header = response.headers["content-security-policy"]  # type: ignore[attr-defined]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def _assert_protected(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"  # no inline script, no eval, no CDN
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in headers["content-security-policy"]


@pytest.mark.parametrize(("path", "user"), PAGES.items(), ids=list(PAGES))
def test_every_page_carries_the_headers_and_nothing_inline_but_nonced_css(
    client: TestClient, tokens: dict[str, str], path: str, user: str | None
) -> None:
    response = client.get(path, headers=_headers(tokens, user))
    assert response.status_code == 200, (path, response.text[:300])
    _assert_protected(response)
    html = response.text
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["style-src"])
    assert nonce is not None
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    for tag in re.findall(r"<style\b[^>]*>", html):
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert re.findall(r"\son[a-z]+\s*=", html) == []  # no inline event handlers
    assert re.findall(r"<[^>]+\sstyle\s*=", html) == []  # no style attributes


def test_each_answer_gets_its_own_nonce(client: TestClient) -> None:
    first, second = client.get("/login"), client.get("/login")
    assert _policy(first)["style-src"] != _policy(second)["style-src"]


@pytest.mark.parametrize(("method", "path", "user"), OTHER_ANSWERS)
def test_every_other_answer_carries_the_headers_too(
    client: TestClient, tokens: dict[str, str], method: str, path: str, user: str | None
) -> None:
    if user == "cookie":
        client.post("/api/auth/login", json={"username": "lead", "password": PASSWORD})
        response = client.request(method, path, headers={"sec-fetch-site": "cross-site"})
        assert response.status_code == 403
    else:
        response = client.request(method, path, headers=_headers(tokens, user))
    _assert_protected(response)


def test_the_session_cookie_is_secure_over_https(client: TestClient) -> None:
    body = {"username": "qa", "password": PASSWORD}
    plain = client.post("/api/auth/login", json=body)
    assert "secure" not in plain.headers["set-cookie"].lower()
    # the same app reached over HTTPS (its lifespan runs in the module's client already)
    https = TestClient(client.app, base_url="https://testserver")
    secure = https.post("/api/auth/login", json=body)
    cookie = secure.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "; secure" in cookie.lower()
    assert "httponly" in cookie.lower()
    logout = https.post("/api/auth/logout")
    assert "; secure" in logout.headers["set-cookie"].lower()
