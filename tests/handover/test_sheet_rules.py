"""The sheet's rules through the API: an empty sheet needs 无异常, an order chased (督办)
and still open stays on the sheet's 需督办 for the next shift, the draft carries the
shift and its figures, and an agent's 本班小结 counts their own shift."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from tests.api.conftest import advance, login, ready, ring
from tests.handover.test_api import client, runtime
from tests.orders.test_api import COMPLAINT, create

__all__ = ["client", "runtime"]


def test_an_empty_sheet_needs_an_explicit_no_exceptions(client: TestClient) -> None:
    lead = login(client, "lead")
    empty = client.post("/api/handover", json={"notes": "  "}, headers=lead)
    assert empty.status_code == 422
    assert empty.json()["field"] == "body.no_exceptions"
    assert "无异常" in empty.json()["message"]
    both = client.post(
        "/api/handover", json={"incidents": "跳闸", "no_exceptions": True}, headers=lead
    )
    assert both.status_code == 422
    assert both.json()["field"] == "body.no_exceptions"
    sheet = client.post("/api/handover", json={"no_exceptions": True}, headers=lead)
    assert sheet.status_code == 201
    assert sheet.json()["no_exceptions"] is True
    assert (sheet.json()["incidents"], sheet.json()["notes"]) == ("", "")


def test_a_chased_open_order_is_handed_on_under_to_chase(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, "13600136000")
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    lead = login(client, "lead")
    chased = create(client, agent, "complaint", COMPLAINT).json()
    create(client, agent, "complaint", COMPLAINT)  # open, never chased
    client.post(
        f"/api/orders/{chased['id']}/assign", json={"department": "marketing"}, headers=lead
    )
    done = client.post(f"/api/orders/{chased['id']}/expedite", json={"note": "催"}, headers=lead)
    assert done.status_code == 200, done.text
    advance(client, runtime, 60)  # the figures count up to now, [start, now)

    draft = client.get("/api/handover/draft", headers=lead).json()
    assert draft["figures"]["orders_taken"] == 2
    assert draft["figures"]["offered"] == draft["figures"]["answered"] == 1
    chase = [(c["order"], c["kind"], c["by"]) for c in draft["snapshot"]["to_chase"]]
    assert chase == [(chased["id"], "expedited", "lead")]
    sheet = client.post("/api/handover", json={"notes": "投诉已督办"}, headers=lead).json()
    assert sheet["figures"] == draft["figures"] | {"end": sheet["figures"]["end"]}
    # the next shift's lead sees it on the waiting sheet, and takes it over
    supervisor = login(client, "supervisor")
    waiting = client.get("/api/handover/draft", headers=supervisor).json()["waiting"]
    assert [c["order"] for c in waiting["snapshot"]["to_chase"]] == [chased["id"]]
    assert waiting["shift"] == sheet["shift"]
    # answered: nothing is left to chase, though the order stays open for its return visit
    client.post(f"/api/orders/{chased['id']}/answer", json={}, headers=lead)
    draft = client.get("/api/handover/draft", headers=lead).json()
    assert chased["id"] in [o["order"] for o in draft["snapshot"]["unfinished"]]
    assert draft["snapshot"]["to_chase"] == []


def test_an_agents_summary_counts_their_own_shift_not_since_the_last_handover(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, "13600136000")
    client.post("/api/desk/answer", headers=agent)
    create(client, agent, "complaint", COMPLAINT)
    advance(client, runtime, 30)
    client.post("/api/desk/hangup", headers=agent)
    lead = login(client, "lead")
    assert client.post("/api/handover", json={"no_exceptions": True}, headers=lead).status_code
    mine = client.get("/api/shift-summary", headers=agent).json()
    # the handover did not start a new count: the shift (the whole day here) still holds it
    assert (mine["counts"]["calls_answered"], mine["counts"]["orders_created"]) == (1, 1)
    assert mine["shift"]["label"] == "全天"
    assert mine["shift_start"] == mine["shift"]["start"]
