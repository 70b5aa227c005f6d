"""录音质检 through the API on a real runtime: the inspector opens an evaluation of an
answered call and scores it on the 95598 form; the agent reads and disputes their own;
the score is an event, and 监听分值 on the agent's scorecard comes from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.quality.forms import load_forms
from hotline.routing.events import ContactAnswered, ContactQueued
from hotline.store.db.eventlog import EventLog
from tests.api.conftest import advance, login, make_runtime

FORM = load_forms(Path(__file__).parents[2] / "examples" / "95598" / "qa.yaml").get("95598")


def best() -> dict[str, Any]:
    return {q.id: "yes" if q.kind == "yes_no" else q.steps for q in FORM.questions}


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = make_runtime(tmp_path)
    at = runtime.now() - 600.0
    with EventLog(runtime.db).writer() as writer:  # three calls: two answered, one not
        writer.append(ContactAnswered(at, "c1", "query", "9001", 8.0, 3.0))
        writer.append(ContactAnswered(at + 60, "c2", "query", "9002", 5.0, 2.0))
        writer.append(ContactQueued(at + 90, "c3", "query", "13800000000", "ordinary", "none", 0))
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


def test_the_inspector_scores_a_call_and_the_agent_disputes_it(hotline) -> None:
    runtime, client = hotline
    qa, agent = login(client, "qa"), login(client, "9001")
    forms = client.get("/api/qa/forms", headers=qa).json()["forms"]
    assert [(f["id"], f["version"]) for f in forms] == [("95598", 1)]

    opened = client.post("/api/qa/evaluations", json={"call": "c1"}, headers=qa)
    assert opened.status_code == 201, opened.text
    evaluation = opened.json()
    assert (evaluation["agent"], evaluation["form"], evaluation["status"]) == (
        "9001",
        "95598",
        "open",
    )
    again = client.post("/api/qa/evaluations", json={"call": "c1"}, headers=qa)
    assert again.status_code == 409
    unanswered = client.post("/api/qa/evaluations", json={"call": "c3"}, headers=qa)
    assert unanswered.status_code == 409
    assert "not answered" in unanswered.json()["message"]
    assert client.post("/api/qa/evaluations", json={"call": "c2"}, headers=agent).status_code == 403

    url = f"/api/qa/evaluations/{evaluation['id']}"
    missing = best()
    del missing["accuracy"]
    refused = client.post(f"{url}/score", json={"answers": missing}, headers=qa)
    assert refused.status_code == 422
    assert refused.json()["field"] == "body.answers.accuracy"
    # a 服务禁语: the whole evaluation scores 0, what was earned is kept
    answers = best() | {"forbidden": "no", "listening": 4}
    scored = client.post(
        f"{url}/score", json={"answers": answers, "comment": "说了“不知道”"}, headers=qa
    )
    assert scored.status_code == 200, scored.text
    body = scored.json()
    assert body["status"] == "scored"
    assert body["score"] == 0.0
    assert body["result"]["fatal"] == ["forbidden"]
    assert body["result"]["earned"] == 97.0  # listening 4 of 5: 12 × 3/4 = 9 of 12
    assert client.post(f"{url}/score", json={"answers": answers}, headers=qa).status_code == 409
    logged = EventLog(runtime.db).read(kinds=["qa.evaluation_scored"])
    assert [(e.event.agent, e.event.score, e.event.fatal, e.event.by) for e in logged] == [
        ("9001", 0.0, True, "qa")
    ]

    # the agent reads their own, not another's, and disputes once
    other = client.post("/api/qa/evaluations", json={"call": "c2"}, headers=qa).json()
    assert client.get(f"/api/qa/evaluations/{other['id']}", headers=agent).status_code == 403
    mine = client.get("/api/qa/evaluations", headers=agent).json()["evaluations"]
    assert [e["id"] for e in mine] == [evaluation["id"]]
    detail = client.get(url, headers=agent).json()
    assert detail["form_body"]["version"] == 1
    assert (
        client.post(
            f"/api/qa/evaluations/{other['id']}/dispute", json={"reason": "不是我"}, headers=agent
        ).status_code
        == 403
    )
    disputed = client.post(
        f"{url}/dispute", json={"reason": "客户先说的，我只是复述"}, headers=agent
    )
    assert disputed.status_code == 200, disputed.text
    assert disputed.json()["status"] == "disputed"
    assert (
        client.post(f"{url}/dispute", json={"reason": "再申诉"}, headers=agent).status_code == 409
    )
    assert [e.event.agent for e in EventLog(runtime.db).read(kinds=["qa.evaluation_disputed"])] == [
        "9001"
    ]


def test_the_scorecards_monitoring_score_is_the_mean_of_the_logged_scores(hotline) -> None:
    runtime, client = hotline
    qa = login(client, "qa")
    first = client.post("/api/qa/evaluations", json={"call": "c1"}, headers=qa).json()
    second_call = client.post("/api/qa/evaluations", json={"call": "c2"}, headers=qa).json()
    client.post(
        f"/api/qa/evaluations/{first['id']}/score", json={"answers": best()}, headers=qa
    ).raise_for_status()
    # 9002's: identity N/A (10 out), more_help no (0 of 4): 86 of 90 points
    answers = best() | {"identity": "na", "more_help": "no"}
    client.post(
        f"/api/qa/evaluations/{second_call['id']}/score", json={"answers": answers}, headers=qa
    ).raise_for_status()
    advance(client, runtime, 60)  # the test hotline's clock stands still; the scores are before now
    lead = login(client, "supervisor")
    card = client.get("/api/reports/scorecard/9002", headers=lead).json()
    score = next(s for s in card["scores"] if s["key"] == "qa_score")
    assert score["agent"] == pytest.approx(round(100 * 86 / 90, 2))
    assert score["center"] == pytest.approx((100 + round(100 * 86 / 90, 2)) / 2)
