"""The agent's day over REST, and what others may see of it.

Flow: log in → 签入 → 示闲 → a call rings with the customer's tier → answer →
hang up → wrap-up (ACW) with a disposition → ready again. Around it: an agent
cannot read another agent's desk or calls; the customer on the desk is clear to
the agent on the call, masked to the supervisor, clear to the shift lead; every
desk view with a customer leaves a ``customer.read`` audit row.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit, EventLog
from tests.api.conftest import advance, login, ready, ring

CALLER = "13800138000"


def test_agent_flow_over_rest(client: TestClient, runtime: LiveHotline) -> None:
    agent = login(client, "9001")
    desk = client.get("/api/desk", headers=agent).json()
    assert desk["agent"]["state"] == "logged_out"
    assert desk["call"] is None
    assert {"greeting", "closing"} <= set(desk["scripts"])
    ready(client, "9001", agent)

    call = ring(client, runtime, agent, CALLER)
    assert call["phase"] == "ringing"
    assert call["tier"] == "middle"
    assert call["caller"] == CALLER
    assert call["customer"]["phone"] == CALLER
    assert call["customer"]["masked"] is False

    assert client.post("/api/desk/answer", headers=agent).json()["state"] == "talking"
    advance(client, runtime, 30)
    assert client.post("/api/desk/hold", headers=agent).json()["state"] == "hold"
    assert client.post("/api/desk/retrieve", headers=agent).json()["state"] == "talking"
    assert client.post("/api/desk/hangup", headers=agent).json()["state"] == "wrap_up"
    desk = client.get("/api/desk", headers=agent).json()
    assert desk["call"]["phase"] == "wrap_up"
    assert desk["call"]["wrap_up_ends"] > desk["call"]["since"]

    unknown = client.post("/api/desk/wrap-up", json={"disposition": "nope"}, headers=agent)
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "body.disposition"
    assert "没有这个处理结果「nope」" in unknown.json()["message"]
    offered = {d["code"]: d["note_required"] for d in desk["dispositions"]}
    assert offered["solved"]
    assert not offered["order_created"]  # desk.note_optional
    bare = client.post(
        "/api/desk/wrap-up", json={"disposition": "solved", "note": " "}, headers=agent
    )
    assert (bare.status_code, bare.json()["field"]) == (422, "body.note")
    assert bare.json()["message"] == "处理结果为「已解答」时须填写备注"
    assert client.get("/api/desk", headers=agent).json()["call"]["phase"] == "wrap_up"
    done = client.post(
        "/api/desk/wrap-up", json={"disposition": "solved", "note": "已解答"}, headers=agent
    )
    assert done.status_code == 200
    assert done.json()["state"] == "ready"
    assert client.get("/api/desk", headers=agent).json()["call"] is None
    # acknowledged means stored: the disposition is in the log and the ledger already
    stored = EventLog(runtime.db).read(call=call["id"], kinds=["call.disposition"])
    assert [s.event.disposition for s in stored] == ["solved"]  # type: ignore[attr-defined]
    calls = client.get("/api/calls", headers=agent).json()
    assert [c["call"] for c in calls] == [call["id"]]
    assert calls[0]["disposition"] == "solved"
    assert calls[0]["caller"] == "138****8000"  # the call is over: masked again


def test_commands_out_of_turn_are_409_with_the_engines_reason(client: TestClient) -> None:
    agent = login(client, "9001")
    response = client.post("/api/desk/answer", headers=agent)
    assert response.status_code == 409
    assert response.json()["error"] == "no-call"
    ready(client, "9001", agent)
    again = client.post("/api/agents/9001/state", json={"state": "logged_in"}, headers=agent)
    assert again.status_code == 409


def test_not_ready_with_a_reason_and_a_forced_state(client: TestClient) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    response = client.post(
        "/api/agents/9001/state", json={"state": "not_ready", "reason": "break"}, headers=agent
    )
    assert (response.json()["state"], response.json()["reason"]) == ("not_ready", "break")
    system_reason = {"state": "not_ready", "reason": "supervisor"}
    refused = client.post("/api/agents/9001/state", json=system_reason, headers=agent)
    assert refused.status_code == 422
    assert refused.json()["field"] == "body.reason"
    supervisor = login(client, "supervisor")
    forced = client.post("/api/agents/9001/state", json={"state": "logged_out"}, headers=supervisor)
    assert forced.json()["state"] == "logged_out"
    # a logged-out seat is not signed in behind the agent's back by forcing a state
    ready_again = client.post("/api/agents/9001/state", json={"state": "ready"}, headers=supervisor)
    assert ready_again.status_code == 409
    assert ready_again.json()["error"] == "agent-logged-out"
    assert "未签入" in ready_again.json()["message"]
    seat = client.get("/api/agents/9001", headers=supervisor).json()
    assert seat["state"] == "logged_out"


def test_transfer_to_an_unknown_queue_is_422_and_to_the_shift_lead_works(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, CALLER)
    client.post("/api/desk/answer", headers=agent)
    unknown = client.post("/api/desk/transfer", json={"queue": "nowhere"}, headers=agent)
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "body.queue"
    moved = client.post("/api/desk/transfer", json={"queue": "shift_lead"}, headers=agent)
    assert moved.json()["state"] == "wrap_up"


def test_an_agent_cannot_read_another_agents_desk_or_calls(
    client: TestClient, runtime: LiveHotline
) -> None:
    first = login(client, "9001")
    ready(client, "9001", first)
    call = ring(client, runtime, first, CALLER)
    client.post("/api/desk/answer", headers=first)
    runtime.flush()
    other = login(client, "9002")
    assert client.get("/api/desk?agent=9001", headers=other).status_code == 403
    assert client.get("/api/calls?agent=9001", headers=other).status_code == 403
    assert client.get(f"/api/calls/{call['id']}", headers=other).status_code == 403
    assert client.get("/api/calls", headers=other).json() == []
    assert client.get(f"/api/calls/{call['id']}", headers=first).status_code == 200


def test_the_desk_customer_is_masked_by_role_and_every_view_is_audited(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    customer_id = call["customer"]["id"]
    before = len(Audit(runtime.db).list(action="customer.read", limit=1000))

    supervisor = client.get("/api/desk?agent=9001", headers=login(client, "supervisor")).json()
    masked = supervisor["call"]["customer"]
    assert masked["masked"] is True
    assert masked["phone"] == "138****8000"
    assert masked["id_number"] == "*" * 14 + call["customer"]["id_number"][-4:]
    assert "*" in masked["account"]
    assert supervisor["call"]["caller"] == "138****8000"

    lead = client.get("/api/desk?agent=9001", headers=login(client, "lead")).json()
    assert lead["call"]["customer"]["masked"] is False
    assert lead["call"]["customer"]["phone"] == CALLER
    # the ID number: its last four for the agent on the call, the lead and the supervisor alike
    shown = {call["customer"]["id_number"], lead["call"]["customer"]["id_number"]}
    assert shown == {masked["id_number"]}

    reads = Audit(runtime.db).list(action="customer.read", limit=1000)
    assert len(reads) == before + 2
    latest = {entry.username: entry for entry in reads[:2]}
    assert latest["supervisor"].subject_id == str(customer_id)
    assert latest["supervisor"].detail["masked"] is True
    assert latest["lead"].detail["masked"] is False
    assert latest["lead"].detail["call"] == call["id"]


def test_consulting_a_queue_with_no_free_agent_is_refused_and_changes_nothing(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, CALLER)
    client.post("/api/desk/answer", headers=agent)
    refused = client.post("/api/desk/consult", json={"queue": "shift_lead"}, headers=agent)
    assert refused.status_code == 409
    assert refused.json()["error"] == "no-agent-free"
    unknown = client.post("/api/desk/consult", json={"queue": "nowhere"}, headers=agent)
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "body.queue"
    desk = client.get("/api/desk", headers=agent).json()
    assert desk["call"]["phase"] == "talking"
    assert desk["call"]["consult"] is None
    nothing = client.post("/api/desk/consult/complete", headers=agent)
    assert nothing.status_code == 409
