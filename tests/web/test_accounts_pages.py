"""The console's account pages: 修改密码 for everyone, the only page of a user who must change
their password, and the administrator's user list in 系统管理 — Chinese first, English too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.api.passwords import PasswordRule
from hotline.api.users import create_user
from hotline.web.i18n import EN, ZH
from tests.web.conftest import PASSWORD

PENDING_PASSWORD = "立春 spinach 3"


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


@pytest.fixture(scope="module")
def pending(client: TestClient) -> str:
    """A user whose password an administrator set: they must change it first."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    create_user(runtime.services.users, "newbie", PENDING_PASSWORD, "qa", must_change_password=True)
    body = {"username": "newbie", "password": PENDING_PASSWORD}
    response = client.post("/api/auth/login", json=body)
    assert response.json()["must_change_password"] is True
    client.cookies.clear()
    token: str = response.json()["token"]
    return token


@pytest.mark.parametrize("path", ["/", "/board", "/calls", "/kb", "/orders"])
def test_every_page_sends_a_user_who_must_change_the_password_to_the_password_page(
    client: TestClient, pending: str, path: str
) -> None:
    response = client.get(path, headers={"Authorization": f"Bearer {pending}"})
    assert response.status_code == 303
    assert response.headers["location"] == "/password"


def test_the_password_page_says_why_and_shows_no_other_page(
    client: TestClient, pending: str
) -> None:
    page = client.get("/password", headers={"Authorization": f"Bearer {pending}"})
    assert page.status_code == 200
    assert ZH["password.must_change"] in page.text
    assert ZH["password.current"] in page.text
    assert 'id="nav-calls"' not in page.text  # no way round it
    english = client.get("/password?lang=en", headers={"Authorization": f"Bearer {pending}"})
    assert EN["password.must_change"] in english.text
    assert EN["password.rules"] in english.text
    assert '<script src="/static/js/password.js">' in page.text


def test_everyone_reaches_the_password_page_from_the_top_bar(
    client: TestClient, tokens: dict[str, str]
) -> None:
    board = client.get("/board", headers={"Authorization": f"Bearer {tokens['qa']}"})
    assert 'href="/password" id="nav-password"' in board.text
    page = client.get("/password", headers={"Authorization": f"Bearer {tokens['qa']}"})
    assert page.status_code == 200
    assert ZH["password.must_change"] not in page.text
    assert client.get("/password").headers["location"] == "/login"


def test_the_admin_page_lists_the_users_with_their_controls(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = client.get("/admin", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert 'id="admin-users" data-me="admin"' in page.text
    assert ZH["users.title"] in page.text
    for role in ("agent", "shift_lead", "supervisor", "qa", "admin"):
        assert f'<option value="{role}">{ZH["role." + role]}</option>' in page.text
    assert '<script src="/static/js/admin_users.js">' in page.text
    english = client.get("/admin?lang=en", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert EN["users.title"] in english.text
    script = client.get("/static/js/admin_users.js").text
    for action in ("password", "deactivate", "reactivate", "role"):
        assert f'"{action}"' in script


def test_every_password_rule_has_words_in_both_languages() -> None:
    for rule in PasswordRule:
        assert f"password.rule.{rule.value}" in ZH
        assert f"password.rule.{rule.value}" in EN


def test_a_form_login_of_the_console_still_works(client: TestClient) -> None:
    response = client.post("/api/auth/login", data={"username": "9001", "password": PASSWORD})
    assert response.status_code == 200
