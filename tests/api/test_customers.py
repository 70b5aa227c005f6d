"""Customer reads: an agent only the customer on their current call; masking by role; audit."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit, Customers
from tests.api.conftest import login, ready, ring

CALLER = "13912345678"


def _other_customer(runtime: LiveHotline) -> int:
    other = Customers(runtime.db).upsert(
        account="0100000001",
        name="王芳",
        phone="13700000001",
        id_number="110101199001011234",
        address="北京市东城区东直门大街1号",
        tier="high",
    )
    return other.id


def test_an_agent_reads_only_the_customer_on_their_current_call(
    client: TestClient, runtime: LiveHotline
) -> None:
    other = _other_customer(runtime)
    agent = login(client, "9001")
    assert client.get(f"/api/customers/{other}", headers=agent).status_code == 403
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    mine = call["customer"]["id"]
    response = client.get(f"/api/customers/{mine}", headers=agent)
    assert response.status_code == 200
    assert response.json()["phone"] == CALLER
    assert response.json()["masked"] is False
    assert client.get(f"/api/customers/{other}", headers=agent).status_code == 403
    by_phone = client.get(f"/api/customers?phone={CALLER}", headers=agent)
    assert [c["id"] for c in by_phone.json()] == [mine]
    assert client.get("/api/customers?phone=13700000001", headers=agent).status_code == 403
    assert client.get("/api/customers?phone=13700009999", headers=agent).status_code == 403


def test_masking_per_role_and_one_audit_row_per_read(
    client: TestClient, runtime: LiveHotline
) -> None:
    customer = _other_customer(runtime)
    expected = {
        "supervisor": ("137****0001", True),
        "qa": ("137****0001", True),
        "admin": ("137****0001", True),
        "lead": ("13700000001", False),
    }
    for username, (phone, masked) in expected.items():
        body = client.get(f"/api/customers/{customer}", headers=login(client, username)).json()
        assert (body["phone"], body["masked"]) == (phone, masked), username
        assert body["id_number"] == "**************1234"  # the last four, for every role
        if masked:
            assert body["account"] == "01******01"
            assert body["address"] == "北京市东城区****"
        assert body["tier"] == "high"
    reads = Audit(runtime.db).list(action="customer.read", subject_id=str(customer))
    assert sorted((r.username, r.role, r.detail["masked"]) for r in reads) == [
        ("admin", "admin", True),
        ("lead", "shift_lead", False),
        ("qa", "qa", True),
        ("supervisor", "supervisor", True),
    ]
    assert all(r.subject_type == "customer" and r.client for r in reads)


def test_lookup_by_account_and_unknown_customer(client: TestClient, runtime: LiveHotline) -> None:
    customer = _other_customer(runtime)
    lead = login(client, "lead")
    found = client.get("/api/customers?account=0100000001", headers=lead).json()
    assert [c["id"] for c in found] == [customer]
    assert client.get("/api/customers?account=0199999999", headers=lead).json() == []
    missing = client.get("/api/customers/99999", headers=lead)
    assert missing.status_code == 404
    assert missing.json()["error"] == "not-found"
    neither = client.get("/api/customers", headers=lead)
    assert neither.status_code == 422
    assert neither.json()["field"] == "query.phone"
    assert Audit(runtime.db).list(action="customer.read", username="lead")[0].subject_id == str(
        customer
    )
