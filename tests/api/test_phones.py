"""The agents' phone passwords: issued by the administrator, shown once, stored as the
digest HA1 only, rotated, revoked, and revoked with the user (issue 12, finding 1)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.live.phones import provider
from hotline.sip.kamailio import ha1
from hotline.store.db import Audit, Users
from tests.api.conftest import login


def test_an_admin_issues_a_phone_password_that_is_kept_as_its_digest_only(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    issued = client.post("/api/phones/9001/password", headers=admin)
    assert issued.status_code == 201, issued.text
    password = issued.json()["password"]
    assert len(password) == 16
    assert issued.json()["realm"] == "hotline"
    kamailio_sees = provider(runtime.db, "hotline")()
    assert kamailio_sees == {"9001": ha1("9001", "hotline", password)}
    with runtime.db.engine.connect() as c:
        rows = [tuple(r) for r in c.exec_driver_sql("SELECT * FROM sip_credentials")]
    assert not any(password in str(value) for row in rows for value in row)
    seats = {s["extension"]: s for s in client.get("/api/phones", headers=admin).json()}
    assert seats["9001"]["has_password"] is True
    assert seats["9002"]["has_password"] is False
    actions = [row.action for row in Audit(runtime.db).list()]
    assert "phone.password_issued" in actions


def test_issuing_again_rotates_and_revoking_removes(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    first = client.post("/api/phones/9001/password", headers=admin).json()["password"]
    second = client.post("/api/phones/9001/password", headers=admin).json()["password"]
    assert first != second
    assert provider(runtime.db, "hotline")() == {"9001": ha1("9001", "hotline", second)}
    assert client.delete("/api/phones/9001/password", headers=admin).status_code == 204
    assert provider(runtime.db, "hotline")() == {}
    assert client.delete("/api/phones/9001/password", headers=admin).status_code == 404


def test_a_deactivated_agent_s_phone_is_revoked(client: TestClient, runtime: LiveHotline) -> None:
    admin = login(client, "admin")
    assert client.post("/api/phones/9002/password", headers=admin).status_code == 201
    assert set(provider(runtime.db, "hotline")()) == {"9002"}
    Users(runtime.db).update("9002", active=False)
    assert provider(runtime.db, "hotline")() == {}


def test_only_an_admin_issues_and_only_for_an_agent(client: TestClient) -> None:
    for username in ("9001", "supervisor", "lead"):
        headers = login(client, username)
        assert client.post("/api/phones/9001/password", headers=headers).status_code == 403
    admin = login(client, "admin")
    unknown = client.post("/api/phones/7777/password", headers=admin)
    assert unknown.status_code == 404
    assert "7777" in unknown.json()["message"]
    assert client.post("/api/phones/qa/password", headers=admin).status_code == 404
