"""Departments (处理部门) follow up their orders over the API, and the shift lead records
orders without a call: least privilege, milestone times, the 45-minute arrival deadline
met by hand computation, the 来源 of an order."""

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
from tests.api.conftest import PASSWORD, SCENARIO, USERS, advance, login
from tests.orders.test_api import FAULT

DEPARTMENTS = {"qiangxiu": "repair", "yingxiao": "marketing"}
QUERY = {"customer_name": "李四", "phone": "13700137000", "content": "电费为何变高"}


@pytest.fixture
def runtime(database_url: str) -> LiveHotline:
    runtime = LiveHotline.demo(
        DemoSettings(db_url=database_url, scenario=SCENARIO, speed=0.0, traffic=False)
    )
    users = runtime.services.users
    for username, role in USERS.items():
        create_user(users, username, PASSWORD, role, display_name=username)
    for username, department in DEPARTMENTS.items():
        create_user(users, username, PASSWORD, "department", department=department)
    return runtime


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    app = create_app(runtime, secret="test-secret")
    app.include_router(orders.router)
    with TestClient(app) as client:
        yield client


def lead_order(
    client: TestClient, lead: dict[str, str], type_: str, fields: dict[str, Any], source: str
) -> Any:
    response = client.post(
        "/api/orders", json={"type": type_, "fields": fields, "source": source}, headers=lead
    )
    assert response.status_code == 201, response.text
    return response.json()


def assigned_fault(client: TestClient, lead: dict[str, str]) -> Any:
    order = lead_order(client, lead, "fault_report", FAULT, "letter")
    done = client.post(
        f"/api/orders/{order['id']}/assign", json={"department": "repair"}, headers=lead
    )
    assert done.status_code == 200, done.text
    return done.json()


def deadline(order: Any, name: str) -> Any:
    return next(d for d in order["deadlines"] if d["name"] == name)


def test_the_lead_records_a_letter_without_a_call(client: TestClient) -> None:
    lead = login(client, "lead")
    order = lead_order(client, lead, "query", QUERY, "letter")
    assert (order["source"], order["call"], order["caller"]) == ("letter", None, "")
    assert client.get(f"/api/orders/{order['id']}", headers=lead).json()["source"] == "letter"
    wrong = client.post(
        "/api/orders", json={"type": "query", "fields": QUERY, "source": "fax"}, headers=lead
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "body.source"
    agent = client.post(
        "/api/orders",
        json={"type": "query", "fields": QUERY, "source": "visit"},
        headers=login(client, "9001"),
    )
    assert agent.status_code == 422
    assert agent.json()["field"] == "body.source"
    assert "值班长" in agent.json()["message"]


def test_a_department_sees_only_its_orders(client: TestClient, runtime: LiveHotline) -> None:
    lead = login(client, "lead")
    fault = assigned_fault(client, lead)
    unassigned = lead_order(client, lead, "query", QUERY, "visit")
    repair, marketing = login(client, "qiangxiu"), login(client, "yingxiao")

    listed = client.get("/api/orders", headers=repair).json()
    assert [o["id"] for o in listed] == [fault["id"]]
    assert listed[0]["fields"]["phone"] == "135****5000"  # the list stays masked
    assert client.get("/api/orders", headers=marketing).json() == []
    assert client.get("/api/orders?department=marketing", headers=repair).status_code == 403
    for headers, order_id in ((marketing, fault["id"]), (repair, unassigned["id"])):
        assert client.get(f"/api/orders/{order_id}", headers=headers).status_code == 403
        follow = {"milestone": "arrived"}
        url = f"/api/orders/{order_id}/follow-up"
        assert client.post(url, json=follow, headers=headers).status_code == 403
    assign = {"department": "marketing"}
    url = f"/api/orders/{fault['id']}/assign"
    assert client.post(url, json=assign, headers=repair).status_code == 403

    # the crew going to the site reads the address and phone on the order's page, audited
    page = client.get(f"/api/orders/{fault['id']}", headers=repair).json()
    assert page["fields"]["phone"] == FAULT["phone"]
    assert page["fields"]["address"] == FAULT["address"]
    reads = [e for e in Audit(runtime.db).list() if e.action == "order.contact_read"]
    assert [(e.username, e.subject_id) for e in reads] == [("qiangxiu", str(fault["id"]))]


def test_arrival_within_45_minutes_meets_the_deadline(
    client: TestClient, runtime: LiveHotline
) -> None:
    lead = login(client, "lead")
    fault = assigned_fault(client, lead)
    assigned_at = next(s["at"] for s in fault["steps"] if s["kind"] == "assigned")
    repair = login(client, "qiangxiu")
    advance(client, runtime, 50 * 60)  # reported 50 minutes after the assignment …
    arrived_at = assigned_at + 40 * 60  # … that the crew arrived after 40 (urban: 45)
    url = f"/api/orders/{fault['id']}/follow-up"
    body = {"milestone": "arrived", "note": "已到现场", "at": arrived_at}
    response = client.post(url, json=body, headers=repair)
    assert response.status_code == 200, response.text
    order = response.json()
    step = order["steps"][-1]
    assert (step["kind"], step["at"], step["by"]) == ("followed_up", arrived_at, "qiangxiu")
    assert step["detail"]["milestone"] == "arrived"
    assert step["detail"]["recorded_at"] > arrived_at
    arrival = deadline(order, "arrival")
    assert arrival["due"] == assigned_at + 45 * 60  # by hand: assigned + 45 minutes
    assert arrival["stopped"] == arrived_at
    assert arrival["status"] == "met"
    feedback = deadline(order, "site_feedback")  # runs from the arrival: 30 minutes
    assert feedback["start"] == arrived_at
    assert feedback["due"] == arrived_at + 30 * 60

    late = assigned_fault(client, lead)
    advance(client, runtime, 50 * 60)
    body = {"milestone": "arrived"}
    missed = client.post(f"/api/orders/{late['id']}/follow-up", json=body, headers=repair)
    assert deadline(missed.json(), "arrival")["status"] == "missed"


def test_a_report_time_is_neither_future_nor_before_the_assignment(
    client: TestClient, runtime: LiveHotline
) -> None:
    lead = login(client, "lead")
    fault = assigned_fault(client, lead)
    assigned_at = next(s["at"] for s in fault["steps"] if s["kind"] == "assigned")
    repair = login(client, "qiangxiu")
    url = f"/api/orders/{fault['id']}/follow-up"
    future = client.post(
        url, json={"milestone": "arrived", "at": runtime.now() + 600}, headers=repair
    )
    assert future.status_code == 422
    assert future.json()["field"] == "body.at"
    assert future.json()["message"] == "发生时间：不能晚于现在"
    early = client.post(url, json={"milestone": "arrived", "at": assigned_at - 60}, headers=repair)
    assert early.status_code == 422
    assert early.json()["field"] == "body.at"
    assert "不能早于工单交办" in early.json()["message"]
    unknown = client.post(url, json={"milestone": "visited_moon"}, headers=repair)
    assert unknown.status_code == 409
    assert len(client.get(f"/api/orders/{fault['id']}", headers=repair).json()["steps"]) == 2


def test_the_department_answers_at_a_time(client: TestClient, runtime: LiveHotline) -> None:
    lead = login(client, "lead")
    fault = assigned_fault(client, lead)
    repair = login(client, "qiangxiu")
    advance(client, runtime, 20 * 60)
    restored_at = runtime.now() - 5 * 60
    url = f"/api/orders/{fault['id']}"
    body = {"milestone": "restored", "at": restored_at}
    assert client.post(url + "/follow-up", json=body, headers=repair).status_code == 200
    answer = {"note": "已恢复送电", "at": restored_at}
    answered = client.post(url + "/answer", json=answer, headers=repair)
    assert answered.status_code == 200, answered.text
    order = answered.json()
    assert order["state"] == "answered"
    assert (order["steps"][-1]["at"], order["steps"][-1]["note"]) == (restored_at, "已恢复送电")
    # answered: no longer theirs to follow up, the contact masked again
    again = client.get(url, headers=repair).json()
    assert again["fields"]["phone"] == "135****5000"
    assert client.post(url + "/pause", json={}, headers=repair).status_code == 403


def test_the_administrator_gives_a_department_user_their_department(
    client: TestClient,
) -> None:
    admin = login(client, "admin")
    user = {"username": "diaodu", "password": "Dispatch-2026!", "role": "department"}
    missing = client.post("/api/users", json=user, headers=admin)
    assert (missing.status_code, missing.json()["field"]) == (422, "body.department")
    unknown = client.post("/api/users", json={**user, "department": "moon"}, headers=admin)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "body.department")
    assert "调度中心" in unknown.json()["message"]
    qa = {**user, "role": "qa", "department": "dispatch"}
    assert client.post("/api/users", json=qa, headers=admin).status_code == 422
    made = client.post("/api/users", json={**user, "department": "dispatch"}, headers=admin)
    assert made.status_code == 201, made.text
    assert (made.json()["role"], made.json()["department"]) == ("department", "dispatch")
    body = {"role": "qa"}
    changed = client.post("/api/users/diaodu/role", json=body, headers=admin).json()
    assert (changed["role"], changed["department"]) == ("qa", None)
    body = {"role": "department", "department": "repair"}
    back = client.post("/api/users/diaodu/role", json=body, headers=admin).json()
    assert back["department"] == "repair"
