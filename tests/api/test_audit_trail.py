"""The audit log says what a person did, once (issue 12, finding 13).

Before: no row for logging out, for a 403, for a forced agent state, for order and
handover changes, for holding or hanging up a call — while a desk polled every second
wrote a ``customer.read`` row per poll. Now each of those acts is one row, and a customer
shown on a call is one read per user and call however often the desk refreshes.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import login, ready, ring

CALLER = "13800138000"

SOLVED = {"disposition": "solved", "note": "已解答"}


def _actions(runtime: LiveHotline, username: str) -> list[str]:
    return [entry.action for entry in Audit(runtime.db).list(username=username, limit=1000)]


def test_logging_out_is_audited(client: TestClient, runtime: LiveHotline) -> None:
    headers = login(client, "qa")
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    (entry,) = Audit(runtime.db).list(action="auth.logout")
    assert (entry.username, entry.role, entry.client) == ("qa", "qa", "testclient")


def test_a_refused_request_is_audited(client: TestClient, runtime: LiveHotline) -> None:
    agent = login(client, "9001")
    assert client.get("/api/board", headers=agent).status_code == 403
    assert client.get("/api/desk?agent=9002", headers=agent).status_code == 403
    denied = Audit(runtime.db).list(action="access.denied")
    assert [(e.username, e.subject_id) for e in denied] == [
        ("9001", "GET /api/desk"),
        ("9001", "GET /api/board"),
    ]
    assert all(e.detail == {"error": "forbidden"} for e in denied)


def test_a_forced_agent_state_is_audited_and_an_agents_own_is_not(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    lead = login(client, "lead")
    forced = client.post("/api/agents/9002/state", json={"state": "logged_in"}, headers=lead)
    assert forced.status_code == 200, forced.text
    (entry,) = Audit(runtime.db).list(action="agent.state_forced")
    assert (entry.username, entry.subject_type, entry.subject_id) == ("lead", "agent", "9002")
    assert entry.detail == {"state": "logged_in", "reason": ""}
    assert "agent.state_forced" not in _actions(runtime, "9001")


def test_holding_and_hanging_up_are_audited_with_the_call(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    for action in ("answer", "hold", "retrieve", "hangup"):
        assert client.post(f"/api/desk/{action}", headers=agent).status_code == 200
    done = client.post("/api/desk/wrap-up", json=SOLVED, headers=agent)
    assert done.status_code == 200, done.text
    desk = [e for e in Audit(runtime.db).list(username="9001") if e.action.startswith("desk.")]
    assert [e.action for e in reversed(desk)] == [
        "desk.answer",
        "desk.hold",
        "desk.retrieve",
        "desk.hangup",
        "desk.wrap_up",
    ]
    assert {e.subject_id for e in desk} == {call["id"]}
    assert desk[0].detail == {"agent": "9001", "disposition": "solved"}


def test_a_polled_desk_writes_one_customer_read_per_user_and_call(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)  # polls the desk until the call rings
    for _ in range(30):  # the page refreshing its desk while the caller talks
        assert client.get("/api/desk", headers=agent).json()["call"]["id"] == call["id"]
    supervisor = login(client, "supervisor")
    for _ in range(5):
        client.get("/api/desk?agent=9001", headers=supervisor)
    reads = Audit(runtime.db).list(action="customer.read", limit=1000)
    assert sorted((e.username, e.detail["call"]) for e in reads) == [
        ("9001", call["id"]),
        ("supervisor", call["id"]),
    ]


def test_order_and_handover_changes_are_audited(client: TestClient, runtime: LiveHotline) -> None:
    lead = login(client, "lead")
    body = {
        "type": "fault_report",
        "fields": {
            "customer_name": "孙七",
            "phone": "13500135000",
            "address": "解放路8号3单元",
            "area": "解放路",
            "area_class": "urban",
            "symptom": "单户停电",
        },
    }
    created = client.post("/api/orders", json=body, headers=lead)
    assert created.status_code == 201, created.text
    order = created.json()["id"]
    assigned = client.post(
        f"/api/orders/{order}/assign", json={"department": "repair"}, headers=lead
    )
    assert assigned.status_code == 200, assigned.text
    assert client.post("/api/orders/scan", headers=lead).status_code == 200
    handed = client.post("/api/handover", json={"notes": "平稳"}, headers=lead)
    assert handed.status_code == 201, handed.text
    rows = Audit(runtime.db).list(username="lead")
    assert [(e.action, e.subject_id) for e in reversed(rows) if e.action != "auth.login"] == [
        ("order.create", str(order)),
        ("order.assign", str(order)),
        ("order.scan", ""),
        ("handover.submitted", str(handed.json()["id"])),
    ]
    (create,) = Audit(runtime.db).list(action="order.create")
    assert create.detail == {"type": "fault_report", "state": "accepted"}
