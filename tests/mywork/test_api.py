"""What 我的工单 reads, through the API: an agent's own orders with their deadlines, and the
return visits due on those orders only (another agent's stay out of both lists)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from tests.api.conftest import login, make_runtime, ready, ring
from tests.orders.test_api import COMPLAINT, FAULT, create


@pytest.fixture
def runtime(tmp_path: Path) -> LiveHotline:
    return make_runtime(tmp_path)


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield client


def _on_a_call(client: TestClient, runtime: LiveHotline, agent: str, caller: str) -> dict[str, str]:
    headers = login(client, agent)
    ready(client, agent, headers)
    ring(client, runtime, headers, caller)
    assert client.post("/api/desk/answer", headers=headers).status_code == 200
    return headers


def test_an_agent_reads_only_their_own_orders_and_visits(
    client: TestClient, runtime: LiveHotline
) -> None:
    mine = _on_a_call(client, runtime, "9001", "13600136000")
    complaint = create(client, mine, "complaint", COMPLAINT).json()
    fault = create(client, mine, "fault_report", FAULT).json()
    theirs = _on_a_call(client, runtime, "9002", "13500135000")
    other = create(client, theirs, "complaint", COMPLAINT).json()
    lead = login(client, "lead")
    for order in (complaint, other):
        url = f"/api/orders/{order['id']}"
        assigned = client.post(f"{url}/assign", json={"department": "marketing"}, headers=lead)
        assert assigned.status_code == 200
        assert client.post(f"{url}/answer", json={}, headers=lead).status_code == 200

    listed = client.get("/api/orders", params={"limit": 1000}, headers=mine).json()
    assert sorted(o["id"] for o in listed) == sorted([complaint["id"], fault["id"]])
    assert {o["created_by"] for o in listed} == {"9001"}
    assert {o["state"] for o in listed} == {"answered", "accepted"}
    running = [d for o in listed for d in o["deadlines"] if d["status"] in ("ok", "near")]
    assert running  # the page shows the nearest one with its time left
    assert all(d["due"] is not None and "left_s" in d for d in running)
    asked = client.get("/api/orders", params={"created_by": "9002"}, headers=mine)
    assert asked.status_code == 403

    due = client.get("/api/orders/visits/due", headers=mine).json()
    assert [d["order"]["id"] for d in due] == [complaint["id"]]
    theirs_due = client.get("/api/orders/visits/due", headers=theirs).json()
    assert [d["order"]["id"] for d in theirs_due] == [other["id"]]
    everyone = client.get("/api/orders/visits/due", headers=lead).json()
    assert sorted(d["order"]["id"] for d in everyone) == sorted([complaint["id"], other["id"]])
