"""The agent's outside party over REST (外线咨询, 三方通话, 转外线) in the demo runtime: what
the desk shows, who may, the errors, what is audited and logged."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit, EventLog
from tests.api.conftest import advance, login, ready, ring

DUTY = "02161234567"


def answered(client: TestClient, runtime: LiveHotline) -> tuple[dict[str, str], str]:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, "13800138000")
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    return agent, str(call["id"])


def test_dial_out_conference_then_transfer_from_the_desk(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent, call = answered(client, runtime)
    dialed = client.post("/api/desk/outside", json={"number": DUTY}, headers=agent)
    assert dialed.status_code == 200, dialed.text
    assert dialed.json() == {"call": call, "number": DUTY, "state": "dialing"}
    desk = client.get("/api/desk", headers=agent).json()
    assert desk["call"]["outside"] == {"number": DUTY, "state": "dialing"}
    assert desk["call"]["phase"] == "held"  # the caller hears music meanwhile
    early = client.post("/api/desk/outside/transfer", headers=agent)
    assert (early.status_code, early.json()["error"]) == (409, "outside-not-answered")
    advance(client, runtime, 6)  # the simulated duty phone answers after 5 s
    assert client.get("/api/desk", headers=agent).json()["call"]["outside"]["state"] == "talking"
    three = client.post("/api/desk/outside/conference", headers=agent)
    assert three.json()["state"] == "conference"
    assert client.get("/api/desk", headers=agent).json()["call"]["phase"] == "talking"
    done = client.post("/api/desk/outside/transfer", headers=agent)
    assert done.json()["state"] == "transferred"
    desk = client.get("/api/desk", headers=agent).json()
    assert desk["agent"]["state"] == "wrap_up"
    assert desk["call"]["outside"] is None
    kinds = [s.event.kind for s in EventLog(runtime.db).read(call=call)]
    for kind in ("call.outside_dialed", "call.outside_answered", "call.conference_started"):
        assert kind in kinds
    assert kinds.index("call.outside_transferred") > kinds.index("call.conference_started")
    rows = [(r.action, r.subject_id) for r in Audit(runtime.db).list()]
    for action in ("desk.outside_dial", "desk.outside_conference", "desk.outside_transfer"):
        assert (action, call) in rows


def test_cancel_keeps_the_caller_held_and_errors_say_why(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    idle = client.post("/api/desk/outside", json={"number": DUTY}, headers=agent)
    assert (idle.status_code, idle.json()["error"]) == (409, "no-call")
    lead = login(client, "lead")
    assert client.post("/api/desk/outside", json={"number": DUTY}, headers=lead).status_code == 403
    agent, call = answered(client, runtime)
    for bad in ("12", "021-61234567", "lead", ""):
        response = client.post("/api/desk/outside", json={"number": bad}, headers=agent)
        assert (response.status_code, response.json()["field"]) == (422, "body.number"), bad
    nothing = client.post("/api/desk/outside/cancel", headers=agent)
    assert (nothing.status_code, nothing.json()["error"]) == (409, "no-outside-call")
    assert client.post("/api/desk/outside", json={"number": DUTY}, headers=agent).status_code == 200
    again = client.post("/api/desk/outside", json={"number": DUTY}, headers=agent)
    assert (again.status_code, again.json()["error"]) == (409, "outside-in-progress")
    cancelled = client.post("/api/desk/outside/cancel", headers=agent)
    assert cancelled.status_code == 200
    desk = client.get("/api/desk", headers=agent).json()
    assert (desk["call"]["phase"], desk["call"]["outside"]) == ("held", None)
    assert client.post("/api/desk/retrieve", headers=agent).json()["state"] == "talking"
    ended = EventLog(runtime.db).read(call=call, kinds=["call.outside_ended"])
    assert [s.event.reason for s in ended] == ["cancelled"]  # type: ignore[attr-defined]
