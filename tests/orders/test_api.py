"""The orders API on a real runtime (the example hotline, paused clock): roles, bad input,
the complainant's identity, the whole flow with its events in the event log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.routers import orders
from hotline.api.users import create_user
from hotline.live import DemoSettings, LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD, SCENARIO, USERS, advance, login, ready, ring

COMPLAINT = {
    "customer_name": "赵六",
    "phone": "13600136000",
    "customer_type": "resident",
    "cause": "attitude",
    "content": "营业员态度差",
}
FAULT = {
    "customer_name": "孙七",
    "phone": "13500135000",
    "address": "解放路8号3单元",
    "area": "解放路",
    "area_class": "urban",
    "symptom": "单户停电",
}


@pytest.fixture
def runtime(database_url: str) -> LiveHotline:
    """The API tests' runtime, on SQLite and on PostgreSQL."""
    runtime = LiveHotline.demo(
        DemoSettings(db_url=database_url, scenario=SCENARIO, speed=0.0, traffic=False)
    )
    for username, role in USERS.items():
        create_user(runtime.services.users, username, PASSWORD, role, display_name=username)
    return runtime


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    app = create_app(runtime, secret="test-secret")
    app.include_router(orders.router)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def agent(client: TestClient, runtime: LiveHotline) -> dict[str, str]:
    """Agent 9001 logged in, on a call from 13600136000."""
    headers = login(client, "9001")
    ready(client, "9001", headers)
    ring(client, runtime, headers, "13600136000")
    assert client.post("/api/desk/answer", headers=headers).status_code == 200
    return headers


def create(
    client: TestClient, headers: dict[str, str], type_: str, fields: dict[str, Any], **extra: Any
) -> Any:
    return client.post(
        "/api/orders", json={"type": type_, "fields": fields, **extra}, headers=headers
    )


def test_an_agent_without_a_call_cannot_create(client: TestClient) -> None:
    response = create(client, login(client, "9002"), "complaint", COMPLAINT)
    assert response.status_code == 409
    assert "no call on your desk" in response.json()["message"]


def test_bad_input_is_named(client: TestClient, agent: dict[str, str]) -> None:
    missing = create(client, agent, "complaint", {"cause": "price"})
    assert missing.status_code == 422
    assert missing.json()["field"] == "body.fields.content"
    assert missing.json()["problems"] == {
        "content": "投诉内容：必填",
        "customer_name": "投诉人：必填",
        "phone": "联系电话：必填",
    }
    assert "投诉人：必填" in missing.json()["message"]
    unknown = create(client, agent, "complaint", {**COMPLAINT, "colour": "red"})
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "body.fields.colour"
    assert unknown.json()["problems"] == {"colour": "未知字段「colour」：投诉工单没有这一项"}
    wrong = create(client, agent, "bill_notice", {"reading": "many", "read_date": "11/10"})
    assert wrong.json()["problems"]["reading"] == "表码：须为整数"
    assert wrong.json()["problems"]["read_date"].startswith("抄表日期：须为日期")
    no_type = create(client, agent, "complaints", COMPLAINT)
    assert no_type.status_code == 422
    assert no_type.json()["field"] == "body.type"
    assert create(client, agent, "query", COMPLAINT, anonymous=True).status_code in (409, 422)
    lead = login(client, "lead")
    assert client.get("/api/orders", headers=lead).json() == []  # nothing half-saved


def test_agent_creates_from_the_call_and_sees_only_their_own(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    created = create(client, agent, "fault_report", FAULT)
    assert created.status_code == 201, created.text
    order = created.json()
    call = client.get("/api/desk", headers=agent).json()["call"]
    assert order["call"] == call["id"]
    assert order["caller"] == "13600136000"  # the agent who took the call sees it in clear
    assert [s["kind"] for s in order["steps"]] == ["accepted"]
    assert order["steps"][0]["by"] == "9001"
    other = login(client, "9002")
    assert client.get(f"/api/orders/{order['id']}", headers=other).status_code == 403
    assert client.get("/api/orders", headers=other).json() == []
    assert [o["id"] for o in client.get("/api/orders", headers=agent).json()] == [order["id"]]
    supervisor = client.get(f"/api/orders/{order['id']}", headers=login(client, "supervisor"))
    assert supervisor.json()["caller"] == "136****6000"
    assert supervisor.json()["fields"]["address"] == "解放路8号3****"
    assert client.get("/api/orders/99999", headers=agent).status_code == 404


def test_complainant_identity_is_for_the_complaint_owner_only(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    order = create(client, agent, "complaint", COMPLAINT).json()
    assert order["identity_hidden"] is True  # even for the agent who took it
    assert order["fields"]["customer_name"] == "***"
    assert order["caller"] == "***"
    lead = client.get(f"/api/orders/{order['id']}", headers=login(client, "lead")).json()
    assert lead["fields"]["phone"] == "***"
    assert lead["fields"]["cause"] == "attitude"
    owner = client.get(f"/api/orders/{order['id']}", headers=login(client, "supervisor")).json()
    assert owner["identity_hidden"] is False
    assert owner["fields"]["customer_name"] == "赵六"
    assert owner["caller"] == "13600136000"
    reads = [e for e in Audit(runtime.db).list() if e.action == "order.identity_read"]
    assert [(e.username, e.subject_id) for e in reads] == [("supervisor", str(order["id"]))]
    anonymous = create(
        client, agent, "complaint", {"cause": "price", "content": "x"}, anonymous=True
    )
    assert anonymous.status_code == 201
    assert anonymous.json()["caller"] == ""


def test_the_whole_flow_with_roles_and_events(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    order = create(client, agent, "complaint", COMPLAINT).json()
    url = f"/api/orders/{order['id']}"
    lead = login(client, "lead")
    assert client.post(f"{url}/assign", json={"department": "x"}, headers=agent).status_code == 403
    assert (
        client.post(
            f"{url}/assign", json={"department": "x"}, headers=login(client, "qa")
        ).status_code
        == 403
    )
    bad = client.post(f"{url}/assign", json={"department": "nowhere"}, headers=lead)
    assert bad.status_code == 422
    assert bad.json()["field"] == "body.department"
    assigned = client.post(f"{url}/assign", json={"department": "marketing"}, headers=lead)
    assert assigned.status_code == 200
    assert [d["name"] for d in assigned.json()["deadlines"]] == ["result", "reply"]
    assert assigned.json()["deadlines"][0]["status"] == "ok"
    wrong = client.post(f"{url}/visit", json={"score": 5}, headers=agent)
    assert wrong.status_code == 409
    assert "cannot record a return visit" in wrong.json()["message"]
    assert client.post(f"{url}/visit", json={"score": 9}, headers=agent).status_code == 422
    assert client.post(f"{url}/answer", json={"note": "已道歉"}, headers=agent).status_code == 200
    due = client.get("/api/orders/visits/due", headers=agent).json()
    assert [d["order"]["id"] for d in due] == [order["id"]]
    assert client.post(f"{url}/archive", json={}, headers=lead).status_code == 409
    reopened = client.post(f"{url}/visit", json={"score": 2, "opinion": "不满意"}, headers=agent)
    assert reopened.json()["state"] == "assigned"
    assert reopened.json()["round"] == 2
    client.post(f"{url}/answer", json={}, headers=lead)
    client.post(f"{url}/visit", json={"score": 5, "opinion": "满意"}, headers=agent)
    archived = client.post(f"{url}/archive", json={}, headers=lead).json()
    assert archived["state"] == "archived"
    kinds = [
        s.event.kind for s in runtime.log.read(limit=100_000) if s.event.kind.startswith("order.")
    ]
    assert kinds == [
        "order.created",
        "order.assigned",
        "order.answered",
        "order.visit_scheduled",
        "order.visited",
        "order.reopened",
        "order.answered",
        "order.visit_scheduled",
        "order.visited",
        "order.archived",
    ]


def test_overdue_fault_raises_an_expedite_for_the_shift_lead(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    order = create(client, agent, "fault_report", FAULT).json()
    lead = login(client, "lead")
    client.post(f"/api/orders/{order['id']}/assign", json={"department": "repair"}, headers=lead)
    advance(client, runtime, 40 * 60)
    near = client.get("/api/orders", params={"deadline": "near"}, headers=lead).json()
    assert [o["id"] for o in near] == [order["id"]]
    assert client.post("/api/orders/scan", headers=lead).json() == []
    advance(client, runtime, 6 * 60)
    raised = client.post("/api/orders/scan", headers=lead).json()
    assert [(t["order"], t["deadline"]) for t in raised] == [(order["id"], "arrival")]
    assert client.post("/api/orders/scan", headers=agent).status_code == 403
    overdue = client.get("/api/orders", params={"deadline": "overdue"}, headers=lead).json()
    assert [o["id"] for o in overdue] == [order["id"]]
    tasks = client.get("/api/orders/expedites", headers=lead).json()
    assert [(t["deadline"], t["reason"]) for t in tasks] == [("arrival", "到达现场")]
    client.post(f"/api/orders/{order['id']}/expedite", json={"note": "已催抢修班"}, headers=lead)
    assert client.get("/api/orders/expedites", headers=lead).json() == []


def test_three_failed_calls_hand_a_bill_notice_to_the_shift_lead(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    fields = {
        "account": "0102030405",
        "read_date": "2026-11-10",
        "reading": 4512,
        "usage": 230,
        "amount": "128.80",
        "amount_due": "128.80",
    }
    order = create(client, agent, "bill_notice", fields).json()
    url = f"/api/orders/{order['id']}/attempt"
    lead = login(client, "lead")
    bad = client.post(url, json={"reached": False, "channel": "fax"}, headers=agent)
    assert bad.status_code == 409
    assert "not delivered by 'fax'" in bad.json()["message"]
    for failed in (1, 2):
        body = client.post(url, json={"reached": False}, headers=agent).json()
        assert body["attempts"] == {
            "limit": 3,
            "then": "paper_notice",
            "channels": ["outbound", "auto_call"],
            "failed": failed,
        }
    assert client.get("/api/orders/expedites", headers=lead).json() == []
    client.post(url, json={"reached": False, "note": "无人接听"}, headers=agent)
    tasks = client.get("/api/orders/expedites", headers=lead).json()
    assert [(t["order"], t["deadline"], t["type"], t["reason"]) for t in tasks] == [
        (order["id"], "paper_notice", "bill_notice", "转纸质通知")
    ]
    attempts = [
        s.event
        for s in runtime.log.read(limit=100_000)
        if s.event.kind == "order.contact_attempted"
    ]
    assert [(e.failed, e.then) for e in attempts] == [  # type: ignore[attr-defined]
        (1, None),
        (2, None),
        (3, "paper_notice"),
    ]
    query = create(client, agent, "fault_report", FAULT).json()
    refused = client.post(
        f"/api/orders/{query['id']}/attempt", json={"reached": True}, headers=agent
    )
    assert refused.status_code == 409


def test_types_are_listed_for_the_form(client: TestClient) -> None:
    body = client.get("/api/orders/types", headers=login(client, "9002")).json()
    fault = next(t for t in body["types"] if t["name"] == "fault_report")
    assert fault["label"] == "故障报修"
    assert fault["deadlines"][0] == {
        "name": "arrival",
        "label": "到达现场",
        "start": "assigned",
        "until": "arrived",
        "duration": "45 minutes",
    }
    assert body["departments"]["repair"] == "抢修班"


def test_a_field_is_refused_at_its_configured_length_in_chinese(
    client: TestClient, agent: dict[str, str]
) -> None:
    """投诉内容 is configured at 2,000 characters: 2,000 pass, 2,001 and 5,000 are refused
    with the field's label and both numbers, never a schema message."""
    types = client.get("/api/orders/types", headers=agent).json()["types"]
    complaint = next(t for t in types if t["name"] == "complaint")
    limits = {f["name"]: f["max_length"] for f in complaint["fields"]}
    assert (limits["content"], limits["phone"], limits["cause"]) == (2000, 32, None)
    assert (
        create(client, agent, "complaint", {**COMPLAINT, "content": "字" * 2000}).status_code == 201
    )
    for length in (2001, 5000):
        refused = create(client, agent, "complaint", {**COMPLAINT, "content": "字" * length})
        assert refused.status_code == 422
        body = refused.json()
        assert body["field"] == "body.fields.content"
        assert body["problems"] == {"content": f"投诉内容：最多 2000 字，现有 {length} 字"}
        assert "constrained" not in body["message"]
    many = create(client, agent, "complaint", {f"f{i}": "x" for i in range(65)})
    assert (many.status_code, many.json()["message"]) == (422, "工单字段过多：最多 64 项")


def test_a_repeated_create_with_one_key_returns_the_first_order(
    client: TestClient, runtime: LiveHotline, agent: dict[str, str]
) -> None:
    """The double click on 提交工单, or a retry after a lost answer: one order."""
    key = {"Idempotency-Key": "form-7f3c"}
    first = create(client, {**agent, **key}, "fault_report", FAULT)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = create(client, {**agent, **key}, "fault_report", FAULT)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    body_key = create(client, agent, "fault_report", FAULT, idempotency_key="form-7f3c")
    assert body_key.json()["id"] == first.json()["id"]  # the console sends it in the body
    lead = login(client, "lead")
    assert [o["id"] for o in client.get("/api/orders", headers=lead).json()] == [first.json()["id"]]
    created = [s for s in runtime.log.read(limit=100_000) if s.event.kind == "order.created"]
    assert len(created) == 1
    audits = [e for e in Audit(runtime.db).list() if e.action == "order.create"]
    assert len(audits) == 1

    other = create(client, {**agent, **key}, "fault_report", {**FAULT, "symptom": "整栋停电"})
    assert other.status_code == 409  # the key was for another order
    assert "幂等键已用于工单" in other.json()["message"]
    new_key = create(client, {**agent, "Idempotency-Key": "form-8a1d"}, "fault_report", FAULT)
    assert new_key.json()["id"] != first.json()["id"]  # a new form, a new order
    bad = create(client, {**agent, "Idempotency-Key": "has space"}, "fault_report", FAULT)
    assert (bad.status_code, bad.json()["field"]) == (422, "header.idempotency-key")
    mismatch = create(client, {**agent, **key}, "fault_report", FAULT, idempotency_key="x")
    assert mismatch.status_code == 422

    # the call ends and wrap-up closes; the late retry still gets the same order
    assert client.post("/api/desk/hangup", headers=agent).status_code == 200
    done = {"disposition": "order_created", "then": "not_ready"}
    assert client.post("/api/desk/wrap-up", json=done, headers=agent).status_code == 200
    late = create(client, {**agent, **key}, "fault_report", FAULT)
    assert (late.status_code, late.json()["id"]) == (201, first.json()["id"])
    assert create(client, agent, "fault_report", FAULT).status_code == 409  # no call, no key
