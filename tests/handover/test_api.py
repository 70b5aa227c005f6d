"""交接班 through the API on a real runtime (SQLite and PostgreSQL): the sheet's lists,
handing over and taking over, who may do what, the agents' shift summaries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.live import DemoSettings, LiveHotline
from tests.api.conftest import PASSWORD, SCENARIO, USERS, advance, login, ready, ring
from tests.orders.test_api import COMPLAINT, FAULT, create

OUTAGE = {
    "area": "解放路",
    "cause": "10kV线路故障",
    "outage_kind": "fault",
    "restore_at": "18:00",
}


@pytest.fixture
def runtime(database_url: str) -> LiveHotline:
    runtime = LiveHotline.demo(
        DemoSettings(db_url=database_url, scenario=SCENARIO, speed=0.0, traffic=False)
    )
    for username, role in USERS.items():
        create_user(runtime.services.users, username, PASSWORD, role, display_name=username)
    return runtime


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    app = create_app(runtime, secret="test-secret")
    with TestClient(app) as client:
        yield client


def test_the_sheet_lists_what_the_next_shift_carries_on_with(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, "13600136000")
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    lead = login(client, "lead")
    complaint = create(client, agent, "complaint", COMPLAINT).json()
    fault = create(client, agent, "fault_report", {**FAULT, "outage": "解放路"}).json()
    outage = create(client, lead, "outage_notice", OUTAGE).json()
    done = create(client, agent, "complaint", COMPLAINT).json()
    client.post(f"/api/orders/{fault['id']}/assign", json={"department": "repair"}, headers=lead)
    client.post(f"/api/orders/{done['id']}/answer", json={}, headers=agent)
    client.post(f"/api/orders/{done['id']}/visit", json={"score": 5}, headers=agent)
    advance(client, runtime, 46 * 60)  # the repair team's 45 minutes ran out
    client.post("/api/orders/scan", headers=lead)

    draft = client.get("/api/handover/draft", headers=lead).json()
    snap = draft["snapshot"]
    assert [line["order"] for line in snap["unfinished"]] == [
        complaint["id"],
        fault["id"],
        outage["id"],
    ]
    chase = [(c["order"], c["reason"]) for c in snap["to_chase"]]
    # both raised expedite tasks at the scan, the outage's 30-minute call plan due first
    assert chase == [(outage["id"], "编制外呼计划"), (fault["id"], "到达现场")]
    assert all(c["task"] is not None for c in snap["to_chase"])
    assert snap["outages"] == [
        {
            "order": outage["id"],
            "area": "解放路",
            "cause": "10kV线路故障",
            "restore_at": "18:00",
            "faults": 1,
        }
    ]
    assert draft["waiting"] is None

    sheet = client.post(
        "/api/handover",
        json={"incidents": "14:10 解放路线路跳闸", "system_status": "正常", "notes": "跟进回访"},
        headers=lead,
    )
    assert sheet.status_code == 201
    body = sheet.json()
    assert body["status"] == "handed_over"
    assert body["snapshot"] == snap
    again = client.post("/api/handover", json={"no_exceptions": True}, headers=lead)
    assert again.status_code == 409
    assert "waits for 接班" in again.json()["message"]
    own = client.post(f"/api/handover/{body['id']}/acknowledge", json={}, headers=lead)
    assert own.status_code == 409
    supervisor = login(client, "supervisor")
    taken = client.post(
        f"/api/handover/{body['id']}/acknowledge", json={"remark": "已阅"}, headers=supervisor
    ).json()
    assert (taken["status"], taken["incoming"], taken["remark"]) == (
        "acknowledged",
        "supervisor",
        "已阅",
    )
    twice = client.post(f"/api/handover/{body['id']}/acknowledge", json={}, headers=lead)
    assert twice.status_code == 409
    assert client.post("/api/handover/999/acknowledge", json={}, headers=lead).status_code == 404
    qa = login(client, "qa")
    assert [s["id"] for s in client.get("/api/handover", headers=qa).json()] == [body["id"]]
    assert client.post("/api/handover", json={"notes": "x"}, headers=qa).status_code == 403
    assert client.get("/api/handover/draft", headers=agent).status_code == 403
    kinds = [
        s.event.kind for s in runtime.log.read(limit=100_000) if s.event.kind.startswith("handover")
    ]
    assert kinds == ["handover.submitted", "handover.acknowledged"]
    # the sheet belongs to its shift (this roster has none: the whole day), one sheet each
    assert body["shift"]["label"] == "全天"
    assert body["shift"]["hours"] == "00:00–24:00"
    once = client.post("/api/handover", json={"notes": "再交一次"}, headers=supervisor)
    assert once.status_code == 409
    assert "already has its sheet" in once.json()["message"]


def test_an_agent_summarizes_the_shift_for_the_lead(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, "13600136000")
    client.post("/api/desk/answer", headers=agent)
    create(client, agent, "complaint", COMPLAINT)
    advance(client, runtime, 90)
    client.post("/api/desk/hangup", headers=agent)
    mine = client.get("/api/shift-summary", headers=agent).json()
    assert mine["counts"]["calls_answered"] == 1
    assert mine["counts"]["orders_created"] == 1
    assert mine["counts"]["talk_seconds"] >= 90
    assert mine["summaries"] == []
    given = client.post("/api/shift-summary", json={"note": "一单投诉待回访"}, headers=agent)
    assert given.status_code == 201
    assert given.json()["counts"] == mine["counts"] | {
        "talk_seconds": mine["counts"]["talk_seconds"]
    }
    lead = login(client, "lead")
    assert client.post("/api/shift-summary", json={}, headers=lead).status_code == 403
    summaries = client.get("/api/handover/draft", headers=lead).json()["summaries"]
    assert [(s["username"], s["note"]) for s in summaries] == [("9001", "一单投诉待回访")]
    long = client.post("/api/shift-summary", json={"note": "x" * 5000}, headers=agent)
    assert long.status_code == 422
