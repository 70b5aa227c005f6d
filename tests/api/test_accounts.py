"""Accounts (issue 12, finding 9): the password policy, the change at first log-in, one's own
change of password, and the administrator's reset, deactivation and change of role — each
in force at the user's next request and written to the audit log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.api.users import find_user
from hotline.live import DemoSettings, LiveHotline
from hotline.serve import first_admin
from hotline.store.db import Audit, Users
from tests.api.conftest import PASSWORD, SCENARIO, login

GOOD = "霜降 cabbage 42"  # a passphrase: Chinese, spaces and digits are all welcome


def _create(client: TestClient, admin: dict[str, str], username: str, password: str) -> object:
    body = {"username": username, "password": password, "role": "qa", "display_name": username}
    return client.post("/api/users", json=body, headers=admin)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short12", "too-short"),  # 7: allowed before (the minimum was 6)
        ("x" * 129, "too-long"),
        ("tab\there ok", "unprintable"),
        ("password", "common"),
        ("12345678", "common"),
        ("Qwerty123", "common"),
        ("aaaaaaaaaa", "common"),
        ("my-carol-2024", "contains-username"),
    ],
)
def test_the_policy_refuses_a_weak_password_naming_field_and_rule(
    client: TestClient, password: str, rule: str
) -> None:
    admin = login(client, "admin")
    refused = _create(client, admin, "carol", password)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert (body["error"], body["field"], body["rule"]) == ("weak-password", "body.password", rule)
    assert body["message"].startswith("body.password: ")  # then Chinese, then English
    assert "密码" in body["message"] or "用户名" in body["message"]
    assert client.get("/api/users", headers=admin).json()[-1]["username"] != "carol"


def test_a_long_passphrase_of_any_printable_characters_is_accepted(client: TestClient) -> None:
    admin = login(client, "admin")
    for username, password in (("dora", GOOD), ("eve", "xy" * 64), ("fay", "correct horse")):
        created = _create(client, admin, username, password)
        assert created.status_code == 201, (password, created.text)


def test_a_new_user_must_change_the_password_before_anything_else(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    assert _create(client, admin, "gina", GOOD).json()["must_change_password"] is True
    logged = client.post("/api/auth/login", json={"username": "gina", "password": GOOD})
    assert logged.json()["must_change_password"] is True
    gina = {"Authorization": f"Bearer {logged.json()['token']}"}
    client.cookies.clear()
    for path in ("/api/board", "/api/agents", "/api/calls", "/api/customers?phone=1"):
        refused = client.get(path, headers=gina)
        assert refused.status_code == 403, path
        assert refused.json()["error"] == "password-change-required"
    assert client.get("/api/auth/me", headers=gina).json()["must_change_password"] is True

    new = "雨水 turnip 7"
    changed = client.post(
        "/api/auth/password", json={"current_password": GOOD, "new_password": new}, headers=gina
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["must_change_password"] is False
    fresh = {"Authorization": f"Bearer {changed.json()['token']}"}
    assert client.get("/api/board", headers=fresh).status_code == 200
    assert client.get("/api/board", headers=gina).status_code == 401  # the old token ended
    again = client.post("/api/auth/login", json={"username": "gina", "password": new})
    assert again.json()["must_change_password"] is False
    assert Audit(runtime.db).list(action="auth.password_changed")[0].username == "gina"


def test_changing_ones_own_password(client: TestClient, runtime: LiveHotline) -> None:
    mine = login(client, "supervisor")
    elsewhere = login(client, "supervisor")  # the same user on another device
    wrong = client.post(
        "/api/auth/password", json={"current_password": "nope", "new_password": GOOD}, headers=mine
    )
    assert wrong.status_code == 422
    assert (wrong.json()["error"], wrong.json()["field"]) == (
        "wrong-password",
        "body.current_password",
    )
    weak = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "supervisor1"},
        headers=mine,
    )
    assert (weak.json()["field"], weak.json()["rule"]) == ("body.new_password", "contains-username")
    done = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": GOOD},
        headers=mine,
    )
    assert done.status_code == 200, done.text
    assert client.get("/api/auth/me", headers=elsewhere).status_code == 401
    assert client.get("/api/auth/me", headers=mine).status_code == 401  # replaced by:
    token = {"Authorization": f"Bearer {done.json()['token']}"}
    assert client.get("/api/auth/me", headers=token).status_code == 200
    same = client.post(
        "/api/auth/password", json={"current_password": GOOD, "new_password": GOOD}, headers=token
    )
    assert same.json()["rule"] == "unchanged"
    old = client.post("/api/auth/login", json={"username": "supervisor", "password": PASSWORD})
    assert old.status_code == 401


def test_a_password_is_normalised_so_full_width_digits_match(client: TestClient) -> None:
    admin = login(client, "admin")
    assert _create(client, admin, "hana", "春分 radish ４２").status_code == 201  # full-width 42
    typed = client.post("/api/auth/login", json={"username": "hana", "password": "春分 radish 42"})
    assert typed.status_code == 200


def test_wrong_current_passwords_lock_the_change_too(client: TestClient) -> None:
    mine = login(client, "qa")
    for _ in range(5):
        body = {"current_password": "guess", "new_password": GOOD}
        assert client.post("/api/auth/password", json=body, headers=mine).status_code == 422
    body = {"current_password": PASSWORD, "new_password": GOOD}
    locked = client.post("/api/auth/password", json=body, headers=mine)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


def test_the_admin_resets_a_password_and_the_user_must_change_it(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    admin = login(client, "admin")
    weak = client.post("/api/users/9001/password", json={"password": "123"}, headers=admin)
    assert (weak.status_code, weak.json()["rule"]) == (422, "too-short")
    reset = client.post("/api/users/9001/password", json={"password": GOOD}, headers=admin)
    assert reset.status_code == 200, reset.text
    assert reset.json()["must_change_password"] is True
    assert client.get("/api/desk", headers=agent).status_code == 401  # the session ended
    logged = client.post("/api/auth/login", json={"username": "9001", "password": GOOD})
    assert logged.json()["must_change_password"] is True
    (entry,) = Audit(runtime.db).list(action="user.password_reset")
    assert (entry.username, entry.subject_id, entry.client) == ("admin", "9001", "testclient")


def test_deactivation_takes_effect_at_once_and_is_audited(
    client: TestClient, runtime: LiveHotline
) -> None:
    qa = login(client, "qa")
    admin = login(client, "admin")
    off = client.post("/api/users/qa/deactivate", headers=admin)
    assert off.json()["active"] is False
    assert client.get("/api/board", headers=qa).status_code == 401
    refused = client.post("/api/auth/login", json={"username": "qa", "password": PASSWORD})
    assert refused.status_code == 401
    on = client.post("/api/users/qa/reactivate", headers=admin)
    assert on.json()["active"] is True
    back = client.post("/api/auth/login", json={"username": "qa", "password": PASSWORD})
    assert back.status_code == 200
    actions = [e.action for e in Audit(runtime.db).list(subject_type="user", subject_id="qa")]
    assert actions[:4] == [
        "auth.login",
        "user.reactivated",
        "auth.login_failed",
        "user.deactivated",
    ]


def test_a_role_change_takes_effect_at_the_next_request(
    client: TestClient, runtime: LiveHotline
) -> None:
    lead = login(client, "lead")
    admin = login(client, "admin")
    assert client.get("/api/customers/1", headers=lead).status_code in (200, 404)
    changed = client.post("/api/users/lead/role", json={"role": "agent"}, headers=admin)
    assert changed.json()["role"] == "agent"
    assert changed.json()["agent_id"] == "lead"
    assert client.get("/api/board", headers=lead).status_code == 403
    (entry,) = Audit(runtime.db).list(action="user.role_changed")
    assert entry.detail == {"from": "shift_lead", "to": "agent", "agent_id": "lead"}
    seat = client.post("/api/users/lead/role", json={"role": "qa", "agent_id": "x"}, headers=admin)
    assert seat.json()["field"] == "body.agent_id"


def test_the_admin_manages_others_only_and_only_the_admin_does(client: TestClient) -> None:
    admin = login(client, "admin")
    for action, body in (("password", {"password": GOOD}), ("deactivate", None)):
        own = client.post(f"/api/users/admin/{action}", json=body, headers=admin)
        assert (own.status_code, own.json()["error"]) == (409, "own-account")
    own_role = client.post("/api/users/admin/role", json={"role": "qa"}, headers=admin)
    assert own_role.status_code == 409
    missing = client.post("/api/users/nobody/deactivate", headers=admin)
    assert missing.status_code == 404
    supervisor = login(client, "supervisor")
    assert client.post("/api/users/9001/deactivate", headers=supervisor).status_code == 403


def test_the_first_admin_of_hotline_serve_must_change_the_printed_password(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db = tmp_path_factory.mktemp("serve") / "serve.db"
    runtime = LiveHotline.demo(
        DemoSettings(db_url=f"sqlite:///{db}", scenario=SCENARIO, speed=0.0, traffic=False)
    )
    password = first_admin(runtime)
    assert password is not None
    admin = find_user(runtime.services.users, "admin")
    assert admin is not None
    assert admin.must_change_password is True
    assert first_admin(runtime) is None  # once only
    assert Users(runtime.db).get("admin") is not None
