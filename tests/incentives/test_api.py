"""激励积分 through the API on a real runtime: the month's leaderboard per team (an agent
sees their own team's, and only their own item lines), and points given by hand — only
by a shift lead or the supervisor, never to their own 工号, a team lead only to their
team — written to the log with their event and to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.incentives.events import PointsGiven
from hotline.ivr.events import SurveyScored
from hotline.live import LiveHotline
from hotline.quality.events import EvaluationScored
from hotline.store.db.eventlog import EventLog
from hotline.store.db.repositories import Agents
from tests.api.conftest import PASSWORD, login, make_runtime


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = make_runtime(tmp_path)
    # a team lead whose own 工号 9003 is in 查询组
    create_user(runtime.services.users, "teamlead", PASSWORD, "shift_lead", agent_id="9003")
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        agents = Agents(runtime.db)  # after the start, which stores hotline.yaml's seats
        agents.upsert("9001", "张敏", team="查询组", human=True)
        agents.upsert("9003", "王芳", team="查询组", human=True)
        agents.upsert("9002", "李强", team="故障组", human=True)
        at = runtime.now() - 3600.0
        with EventLog(runtime.db).writer() as w:
            w.append(EvaluationScored(at, 1, "c1", "9001", "95598", 1, 96.0, False, 0, "qa"))
            w.append(SurveyScored(at + 60, "c1", "9001", 5))
            w.append(EvaluationScored(at + 120, 2, "c2", "9002", "95598", 1, 0.0, True, 1, "qa"))
            w.append(SurveyScored(at + 180, "c2", "9002", 4))
        yield runtime, client


def board(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    answer = client.get("/api/incentives/board", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def rows(body: dict[str, Any]) -> dict[str | None, list[tuple[int, str, int, int, Any]]]:
    return {
        t["team"]: [
            (s["rank"], s["agent"], s["points"], s["evaluations"], s["qa_average"])
            for s in t["standings"]
        ]
        for t in body["teams"]
    }


def test_the_leaderboard_per_team_and_what_an_agent_sees(hotline) -> None:
    _runtime, client = hotline
    supervisor, agent = login(client, "supervisor"), login(client, "9001")
    body = board(client, supervisor)
    assert body["final"] is False  # this month, still running
    assert rows(body) == {
        "故障组": [(1, "9002", -20 + 1, 1, 0.0)],
        "查询组": [(1, "9001", 10 + 2, 1, 96.0), (2, "9003", 0, 0, None)],
    }
    assert [a["id"] for a in body["rules"]["awards"]] == ["service_star", "quality_star"]
    # the agent: their own team only, no lines of the others
    mine = board(client, agent)
    assert rows(mine) == {"查询组": [(1, "9001", 12, 1, 96.0), (2, "9003", 0, 0, None)]}
    assert all("items" not in s for t in mine["teams"] for s in t["standings"])
    own = client.get("/api/incentives/agents/9001", headers=agent)
    assert own.status_code == 200, own.text
    standing = own.json()["standing"]
    assert [(i["source"], i["points"]) for i in standing["items"]] == [
        ("qa", 10),
        ("satisfaction", 2),
    ]
    assert standing["points"] == sum(i["points"] for i in standing["items"])
    assert client.get("/api/incentives/agents/9003", headers=agent).status_code == 403
    assert client.get("/api/incentives/agents/9003", headers=supervisor).status_code == 200
    # months: another one is empty, a wrong one is refused with its field
    empty = client.get("/api/incentives/board?month=2020-01", headers=supervisor).json()
    assert empty["final"] is True
    assert {s["points"] for t in empty["teams"] for s in t["standings"]} == {0}
    wrong = client.get("/api/incentives/board?month=2026-13", headers=supervisor)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "query.month"
    assert client.get("/api/incentives/board", headers=login(client, "qa")).status_code == 200


def test_points_given_by_hand_roles_self_team_and_audit(hotline) -> None:
    runtime, client = hotline
    agent, lead = login(client, "9001"), login(client, "teamlead")
    grant = {"agent": "9001", "points": 5, "reason": "客户来信表扬"}
    refused = client.post("/api/incentives/grants", json=grant, headers=agent)
    assert refused.status_code == 403
    own = client.post("/api/incentives/grants", json=grant | {"agent": "9003"}, headers=lead)
    assert own.status_code == 403
    assert "themselves" in own.json()["message"]
    other_team = client.post("/api/incentives/grants", json=grant | {"agent": "9002"}, headers=lead)
    assert other_team.status_code == 403
    too_many = client.post("/api/incentives/grants", json=grant | {"points": 21}, headers=lead)
    assert (too_many.status_code, too_many.json()["field"]) == (422, "body.points")
    zero = client.post("/api/incentives/grants", json=grant | {"points": 0}, headers=lead)
    assert zero.status_code == 422
    nobody = client.post("/api/incentives/grants", json=grant | {"agent": "7777"}, headers=lead)
    assert nobody.status_code == 404
    assert EventLog(runtime.db).read(kinds=[PointsGiven.kind]) == []

    given = client.post("/api/incentives/grants", json=grant, headers=lead)
    assert given.status_code == 201, given.text
    assert (given.json()["agent"], given.json()["points"], given.json()["by"]) == (
        "9001",
        5,
        "teamlead",
    )
    logged = [s.event for s in EventLog(runtime.db).read(kinds=[PointsGiven.kind])]
    assert [(e.agent, e.points, e.reason, e.by) for e in logged] == [  # type: ignore[attr-defined]
        ("9001", 5, "客户来信表扬", "teamlead")
    ]
    row = runtime.services.audit.list(action="incentives.points_given")[0]
    assert (row.username, row.subject_type, row.subject_id) == ("teamlead", "agent", "9001")
    assert row.detail == {"grant": given.json()["id"], "points": 5, "reason": "客户来信表扬"}
    denied = runtime.services.audit.list(action="access.denied", username="9001")
    assert any("/api/incentives/grants" in r.subject_id for r in denied)
    # the supervisor (no team) takes 3 points from 9002 in 故障组
    taken = client.post(
        "/api/incentives/grants",
        json={"agent": "9002", "points": -3, "reason": "有效投诉"},
        headers=login(client, "supervisor"),
    )
    assert taken.status_code == 201, taken.text

    body = board(client, login(client, "supervisor"))
    assert rows(body)["查询组"][0] == (1, "9001", 12 + 5, 1, 96.0)
    assert rows(body)["故障组"][0] == (1, "9002", -19 - 3, 1, 0.0)
    listed = client.get("/api/incentives/grants", headers=login(client, "lead")).json()
    assert [(g["agent"], g["points"]) for g in listed["grants"]] == [("9002", -3), ("9001", 5)]
    assert client.get("/api/incentives/grants", headers=agent).status_code == 403
