"""预览式外呼 at the agent's desk through the API, on a real runtime (the example hotline, a
quiet test day, a paused clock, SQLite in tmp, called customers who all answer): the lead
imports a preview list for the agents of 业务咨询; agent 9001 is shown the next record
(masked, audited), dials it, is not ready while it rings, talks with the customer, says who
answered; skipping and the refusals a person would meet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from tests.api.conftest import SCENARIO, advance, login, make_runtime, ready
from tests.outbound.test_api import _until, campaigns, upload

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "hotline.yaml"
LIST = (
    "电话,姓名,客户类别,重要客户,户号\n"
    "13912345678,张三,企业,否,0102030405\n"
    "13912345679,李四,企业,是,0102030406\n"
).encode()


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    scenario = tmp_path / "scenario.yaml"
    text = SCENARIO.read_text("utf-8").replace("../../examples/95598/hotline.yaml", str(EXAMPLE))
    scenario.write_text(text + "called: {answer: 1.0, busy: 0.0, answer_after: [3, 3]}\n")
    runtime = make_runtime(tmp_path, scenario=scenario)
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


def started(client: TestClient, runtime: LiveHotline) -> str:
    """A preview campaign of two business customers for 业务咨询, started, at 08:31."""
    lead = login(client, "lead")
    campaigns(client, lead)
    response = upload(
        client, lead, LIST, name="回访预约", prompt="", queue="query", pacing="preview"
    )
    assert response.status_code == 201, response.text
    created = str(response.json()["campaign"]["id"])
    assert client.post(f"/api/outbound/campaigns/{created}/start", headers=lead).status_code == 200
    advance(client, runtime, _until(client, runtime, "08:31"))
    return created


def seat(client: TestClient, agent: dict[str, str]) -> dict[str, Any]:
    return dict(client.get("/api/desk", headers=agent).json()["agent"])


def test_the_agent_sees_the_next_record_dials_it_talks_and_says_who_answered(hotline) -> None:
    runtime, client = hotline
    created = started(client, runtime)
    agent = login(client, "9001")
    ready(client, "9001", agent)
    view = client.get("/api/desk/outbound", headers=agent).json()
    assert (view["serves"], view["waiting"], view["preview"], view["call"]) == (True, 2, None, None)

    shown = client.post("/api/desk/outbound/next", headers=agent).json()["preview"]
    assert shown["campaign_name"] == "回访预约"
    assert (shown["name"], shown["important"]) == ("李四", True)  # important first
    assert shown["number"] != "13912345679"
    assert shown["number"].endswith("5679")
    assert shown["details"]["account"] == "0102030406"
    assert (shown["tries"], shown["max_tries"], shown["last_result"]) == (0, 3, "")
    again = client.post("/api/desk/outbound/next", headers=agent).json()["preview"]
    assert again["entry"] == shown["entry"]  # the same record until decided
    [read] = runtime.services.audit.list(action="outbound.preview")  # written once
    assert (read.username, read.subject_id) == ("9001", f"{created}/{shown['entry']}")

    dialled = client.post("/api/desk/outbound/dial", json={"entry": shown["entry"]}, headers=agent)
    assert dialled.status_code == 200, dialled.text
    assert (seat(client, agent)["state"], seat(client, agent)["reason"]) == (
        "not_ready",
        "outbound",
    )
    advance(client, runtime, 5)  # the customer answers after 3 s: the agent's phone rings
    assert seat(client, agent)["state"] == "ringing"
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    # the desk's call is the customer the agent dialled: the number in clear to the agent on
    # the call, no made-up customer record for a number the CRM does not know
    on_desk = client.get("/api/desk", headers=agent).json()["call"]
    assert (on_desk["caller"], on_desk["customer"], on_desk["outbound"]) == (
        "13912345679",
        None,
        True,
    )
    call = client.get("/api/desk/outbound", headers=agent).json()["call"]
    assert (call["name"], call["campaign_name"], call["tries"], call["party"]) == (
        "李四",
        "回访预约",
        1,
        "",
    )
    marked = client.post("/api/desk/outbound/party", json={"party": "right"}, headers=agent)
    assert marked.json()["call"]["party"] == "right"
    assert (
        client.post("/api/desk/outbound/party", json={"party": "她"}, headers=agent).status_code
        == 422
    )
    assert client.post("/api/desk/hangup", headers=agent).status_code == 200
    advance(client, runtime, 2)
    progress = campaigns(client, login(client, "lead"))[created]["progress"]
    assert (progress["reached"], progress["right_party"], progress["calls"]) == (1, 1, 1)
    after = client.get("/api/desk/outbound", headers=agent).json()
    assert after["call"] is None
    assert (after["dialled"]["state"], after["dialled"]["last_result"]) == ("ended", "reached")
    assert after["dialled"]["next_at"] is None  # closed: reached


def test_skipping_and_what_the_desk_refuses(hotline) -> None:
    runtime, client = hotline
    started(client, runtime)
    agent = login(client, "9001")
    ready(client, "9001", agent)
    # nothing shown yet: dialing or skipping an entry is a clear 409, a party mark too
    for path, body in (
        ("dial", {"entry": "r2"}),
        ("skip", {"entry": "r2"}),
        ("party", {"party": "right"}),
    ):
        response = client.post(f"/api/desk/outbound/{path}", json=body, headers=agent)
        assert response.status_code == 409, response.text
        assert "不能" in response.json()["message"]
    first = client.post("/api/desk/outbound/next", headers=agent).json()["preview"]
    skipped = client.post("/api/desk/outbound/skip", json={"entry": first["entry"]}, headers=agent)
    assert skipped.status_code == 200
    assert skipped.json()["preview"] is None
    second = client.post("/api/desk/outbound/next", headers=agent).json()["preview"]
    assert second["entry"] != first["entry"]
    assert (
        client.post(
            "/api/desk/outbound/skip", json={"entry": second["entry"]}, headers=agent
        ).status_code
        == 200
    )
    assert client.post("/api/desk/outbound/next", headers=agent).json()["preview"] is None
    # an agent away from the seat may look, but not dial
    advance(client, runtime, 1801)
    third = client.post("/api/desk/outbound/next", headers=agent).json()["preview"]
    client.post("/api/agents/9001/state", json={"state": "away"}, headers=agent)
    refused = client.post("/api/desk/outbound/dial", json={"entry": third["entry"]}, headers=agent)
    assert refused.status_code == 409
    assert "离开" in refused.json()["message"]
    # only agents use the desk's outbound; others are refused
    lead = login(client, "lead")
    assert client.post("/api/desk/outbound/next", headers=lead).status_code == 403
    assert client.get("/api/desk/outbound").status_code == 401
