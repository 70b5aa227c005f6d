"""The supervisor's telephony over REST (班长席): 监听/耳语/强插, 强拆 and 拦截 on an agent's
call in the demo runtime, who may (shift lead and supervisor only), what each answers
when the call is not in the state it needs, what is audited and what the log keeps."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.live.phones import provider
from hotline.sip.kamailio import ha1
from hotline.store.db import Audit, EventLog
from tests.api.conftest import advance, login, ready, ring

CALLER = "13800138000"


def talking(client: TestClient, runtime: LiveHotline) -> str:
    """Agent 9001 answers a call; returns its id."""
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    assert client.post("/api/desk/answer", headers=agent).json()["state"] == "talking"
    return str(call["id"])


def kinds(runtime: LiveHotline, call: str) -> list[str]:
    return [stored.event.kind for stored in EventLog(runtime.db).read(call=call)]


def tile(client: TestClient, headers: dict[str, str], agent: str) -> dict[str, object]:
    board = client.get("/api/board", headers=headers).json()
    return next(a for a in board["agents"] if a["id"] == agent)


def test_listen_whisper_barge_and_leave_are_audited_and_logged(
    client: TestClient, runtime: LiveHotline
) -> None:
    call = talking(client, runtime)
    lead = login(client, "lead")
    on = client.post("/api/supervise/agents/9001/monitor", json={"mode": "listen"}, headers=lead)
    assert on.status_code == 200, on.text
    assert on.json() == {
        "call": call,
        "agent": "9001",
        "extension": "lead",  # the lead has no 工号: the username is the phone's extension
        "by": "lead",
        "mode": "listen",
        "state": "on",  # the demo's console is the supervisor's phone: answered at once
    }
    for mode in ("whisper", "barge"):
        changed = client.post("/api/supervise/agents/9001/mode", json={"mode": mode}, headers=lead)
        assert changed.json()["mode"] == mode
    shown = tile(client, lead, "9001")["supervision"]
    assert shown == {
        "call": call,
        "extension": "lead",
        "by": "lead",
        "mode": "barge",
        "state": "on",
    }
    advance(client, runtime, 5)
    assert client.post("/api/supervise/agents/9001/end", headers=lead).status_code == 200
    assert tile(client, lead, "9001")["supervision"] is None
    logged = kinds(runtime, call)
    assert logged.count("call.monitor_mode_changed") == 2
    assert logged.index("call.monitor_started") < logged.index("call.monitor_ended")
    rows = [(r.action, r.subject_id, r.username) for r in Audit(runtime.db).list()]
    for action in ("call.monitor", "call.monitor_mode", "call.monitor_end"):
        assert (action, call, "lead") in rows
    # the conversation goes on without the supervisor
    assert client.get("/api/desk", headers=login(client, "9001")).json()["call"]["phase"] == (
        "talking"
    )


def test_only_the_shift_lead_and_the_supervisor_may(
    client: TestClient, runtime: LiveHotline
) -> None:
    talking(client, runtime)
    for username in ("9001", "9002", "qa", "admin"):
        headers = login(client, username)
        for path in ("monitor", "intercept", "release", "end"):
            response = client.post(f"/api/supervise/agents/9001/{path}", json={}, headers=headers)
            assert response.status_code == 403, (username, path)
    denied = [r for r in Audit(runtime.db).list() if r.action == "access.denied"]
    assert {r.username for r in denied} >= {"9001", "9002", "qa", "admin"}
    supervisor = login(client, "supervisor")
    response = client.post("/api/supervise/agents/9001/monitor", json={}, headers=supervisor)
    assert (response.status_code, response.json()["mode"]) == (200, "listen")


def test_wrong_states_are_409_unknown_agents_404_bad_modes_422(
    client: TestClient, runtime: LiveHotline
) -> None:
    lead = login(client, "lead")
    idle = client.post("/api/supervise/agents/9001/monitor", json={}, headers=lead)
    assert (idle.status_code, idle.json()["error"]) == (409, "no-call")
    assert "9001" in idle.json()["message"]
    unknown = client.post("/api/supervise/agents/4242/monitor", json={}, headers=lead)
    assert unknown.status_code == 404
    talking(client, runtime)
    bad = client.post("/api/supervise/agents/9001/monitor", json={"mode": "spy"}, headers=lead)
    assert (bad.status_code, bad.json()["field"]) == (422, "body.mode")
    nobody = client.post("/api/supervise/agents/9001/mode", json={"mode": "barge"}, headers=lead)
    assert (nobody.status_code, nobody.json()["error"]) == (409, "no-monitor")
    assert client.post("/api/supervise/agents/9001/monitor", json={}, headers=lead).status_code == (
        200
    )
    other = login(client, "supervisor")
    busy = client.post("/api/supervise/agents/9001/monitor", json={}, headers=other)
    assert (busy.status_code, busy.json()["error"]) == (409, "call-monitored")


def test_force_release_hangs_up_and_sends_the_agent_to_wrap_up(
    client: TestClient, runtime: LiveHotline
) -> None:
    call = talking(client, runtime)
    supervisor = login(client, "supervisor")
    released = client.post("/api/supervise/agents/9001/release", headers=supervisor)
    assert released.json() == {"call": call, "agent": "9001"}
    assert tile(client, supervisor, "9001")["state"] == "wrap_up"
    logged = kinds(runtime, call)
    assert logged.index("call.force_released") < logged.index("call.ended")
    completed = EventLog(runtime.db).read(call=call, kinds=["contact.completed"])
    assert [s.event.ended_by for s in completed] == ["force-released"]  # type: ignore[attr-defined]
    assert ("call.force_release", call) in [
        (r.action, r.subject_id) for r in Audit(runtime.db).list()
    ]
    again = client.post("/api/supervise/agents/9001/release", headers=supervisor)
    assert again.status_code == 409


def test_intercepting_a_ringing_call_frees_the_agent_and_the_supervisor_ends_it(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = str(ring(client, runtime, agent, CALLER)["id"])
    lead = login(client, "lead")
    taken = client.post("/api/supervise/agents/9001/intercept", headers=lead)
    assert taken.status_code == 200, taken.text
    assert taken.json()["state"] == "taken_over"
    shown = tile(client, lead, "9001")
    assert shown["state"] == "ready"  # the ring was cancelled: the agent takes the next call
    assert shown["supervision"]["state"] == "taken_over"  # type: ignore[index]
    advance(client, runtime, 20)
    assert "call.ended" not in kinds(runtime, call)  # the lead talks with the caller
    assert client.post("/api/supervise/agents/9001/end", headers=lead).status_code == 200
    advance(client, runtime, 1)
    logged = kinds(runtime, call)
    assert "call.intercepted" in logged
    assert "contact.answered" not in logged
    ended = EventLog(runtime.db).read(call=call, kinds=["call.ended"])
    assert [(s.event.outcome, s.event.phase) for s in ended] == [("answered", "taken_over")]  # type: ignore[attr-defined]
    assert ("call.intercept", call) in [(r.action, r.subject_id) for r in Audit(runtime.db).list()]


def test_a_shift_lead_and_a_supervisor_get_a_phone_of_their_own(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    issued = {}
    for extension in ("lead", "supervisor"):
        response = client.post(f"/api/phones/{extension}/password", headers=admin)
        assert response.status_code == 201, response.text
        issued[extension] = response.json()["password"]
    assert provider(runtime.db, "hotline")() == {
        extension: ha1(extension, "hotline", password) for extension, password in issued.items()
    }
    assert client.post("/api/phones/qa/password", headers=admin).status_code == 404
