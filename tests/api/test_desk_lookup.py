"""客户查询 at the desk: an agent looks a customer up by phone or 户号 during a call only,
sees the caller's own record in clear and any other masked, and every look-up is audited."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import login, ready, ring

CUSTOMERS = Path(__file__).resolve().parents[2] / "examples/95598/customers.csv"
CALLER = "13912345678"
OTHER = {  # 王艳 of the example's customers: 户号, contact phone, bound phone
    "account": "4401000007",
    "phone": "17400000776",
    "bound": "15000017074",
}


def _customers(runtime: LiveHotline) -> None:
    report = runtime.services.crm.import_upload(
        CUSTOMERS.read_bytes(), "customers.csv", by="test"
    ).report
    assert report.rejected_rows == 0


def test_only_an_agent_during_a_call_looks_customers_up(
    client: TestClient, runtime: LiveHotline
) -> None:
    _customers(runtime)
    agent = login(client, "9001")
    refused = client.get("/api/desk/lookup", params={"account": OTHER["account"]}, headers=agent)
    assert refused.status_code == 403  # no call
    assert "通话中" in refused.json()["message"]
    for role in ("lead", "supervisor", "qa", "admin"):
        other = client.get(
            "/api/desk/lookup", params={"phone": CALLER}, headers=login(client, role)
        )
        assert other.status_code == 403, role
    ready(client, "9001", agent)
    ring(client, runtime, agent, CALLER)
    ringing = client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent)
    assert ringing.status_code == 403  # not before the call is answered
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    for bad in ({}, {"phone": CALLER, "account": "1"}, {"phone": "12ab"}, {"account": "户号"}):
        assert client.get("/api/desk/lookup", params=bad, headers=agent).status_code == 422, bad
    assert client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent).is_success
    assert client.post("/api/desk/hold", headers=agent).status_code == 200
    assert client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent).is_success
    assert client.post("/api/desk/retrieve", headers=agent).status_code == 200
    assert client.post("/api/desk/hangup", headers=agent).status_code == 200
    wrap = client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent)
    assert wrap.is_success  # wrap-up still belongs to the call
    done = client.post(
        "/api/desk/wrap-up", json={"disposition": "solved", "note": "已解答"}, headers=agent
    )
    assert done.status_code == 200, done.text
    after = client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent)
    assert after.status_code == 403
    denied = Audit(runtime.db).list(username="9001", action="access.denied")
    assert len(denied) == 3  # before the call, while ringing, after it


def test_the_caller_in_clear_another_customer_masked_every_look_up_audited(
    client: TestClient, runtime: LiveHotline
) -> None:
    _customers(runtime)
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    assert client.post("/api/desk/answer", headers=agent).status_code == 200

    own = client.get("/api/desk/lookup", params={"phone": CALLER}, headers=agent).json()
    assert [(c["id"], c["phone"], c["masked"], c["on_the_call"]) for c in own] == [
        (call["customer"]["id"], CALLER, False, True)
    ]

    by_account = client.get(
        "/api/desk/lookup", params={"account": OTHER["account"]}, headers=agent
    ).json()
    assert len(by_account) == 1
    other = by_account[0]
    assert other["name"] == "王艳"
    assert (other["phone"], other["account"]) == ("174****0776", "44******07")
    assert other["id_number"] == "**************3233"  # the last four, always
    assert other["address"] == "广州市天河区****"
    assert (other["masked"], other["on_the_call"], other["list_mark"]) == (True, False, "red")
    by_bound = client.get("/api/desk/lookup", params={"phone": OTHER["bound"]}, headers=agent)
    assert [c["id"] for c in by_bound.json()] == [other["id"]]
    by_contact = client.get("/api/desk/lookup", params={"phone": OTHER["phone"]}, headers=agent)
    assert [c["id"] for c in by_contact.json()] == [other["id"]]
    nobody = client.get("/api/desk/lookup", params={"phone": "13000000000"}, headers=agent)
    assert nobody.json() == []
    prefix = client.get("/api/desk/lookup", params={"account": "4401"}, headers=agent)
    assert prefix.json() == []  # exact numbers only: no browsing the customer file

    audit = Audit(runtime.db)
    lookups = audit.list(username="9001", action="customer.lookup")
    assert len(lookups) == 6
    assert all((r.subject_type, r.subject_id) == ("call", call["id"]) for r in lookups)
    assert [r.detail for r in reversed(lookups)][1:3] == [
        {"by": "account", "query": "44******07", "found": [other["id"]]},
        {"by": "phone", "query": "150****7074", "found": [other["id"]]},
    ]
    reads = audit.list(username="9001", action="customer.read", subject_id=str(other["id"]))
    assert len(reads) == 3
    assert all(
        r.detail == {"masked": True, "via": "desk.lookup", "call": call["id"]} for r in reads
    )
