"""培训与考核 through the API on a real runtime (the example site's training.yaml): an agent
takes the monthly exam once, sees only their own training; low QA scores in the log open a
training task that the retake closes; the lead ticks a checklist item once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.quality.events import EvaluationScored
from hotline.store.db.eventlog import EventLog
from hotline.training.service import TrainingDesk
from tests.api.conftest import login, make_runtime


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    """The app without the training job: these tests run the check themselves (the job
    is `test_the_job_opens_the_task_by_itself`'s)."""
    runtime = make_runtime(tmp_path)
    runtime.jobs = [job for job in runtime.jobs if job.name != "training-rounds"]
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


def write_scores(runtime: LiveHotline) -> None:
    """9001: (70 + 90) / 2 = 80, under the example's 85; 9002: 95 in the last 30 days."""
    now = runtime.now()
    day = 86_400.0
    with EventLog(runtime.db).writer() as writer:
        for n, (ago, agent, score) in enumerate(
            [(5, "9001", 70.0), (1, "9001", 90.0), (1, "9002", 95.0), (40, "9002", 10.0)]
        ):
            at = now - ago * day
            writer.append(
                EvaluationScored(at, n, f"c{n}", agent, "95598", 1, score, False, 0, "qa")
            )


def right_answers(runtime: LiveHotline, attempt_id: int, wrong: int = 0) -> dict[str, Any]:
    """The paper's right answers (read from the store: the page never gets them), the
    first `wrong` of them answered wrong."""
    desk = runtime.services.feature("training", TrainingDesk)
    assert desk is not None
    answers: dict[str, Any] = {}
    for n, q in enumerate(desk.store.attempt(attempt_id).questions):
        right = q["answer"]
        if q["type"] == "true_false":
            value: Any = right[0] == "true"
            answers[q["key"]] = (not value) if n < wrong else value
        elif q["type"] == "multiple":
            answers[q["key"]] = ["A"] if n < wrong and right != ["A"] else right
            if n < wrong and right == ["A"]:
                answers[q["key"]] = ["A", "B"]
        else:
            answers[q["key"]] = ("B" if right[0] == "A" else "A") if n < wrong else right[0]
    return answers


def test_an_agent_takes_the_monthly_exam_once(hotline) -> None:
    runtime, client = hotline
    agent = login(client, "9001")
    me = client.get("/api/training/me", headers=agent).json()
    assert me["progress"]["state"] == "independent"
    assert [(e["exam"], e["purpose"]) for e in me["exams"]] == [("monthly", "open")]
    assert me["checklists"][0]["role"] == "agent"
    assert me["checklists"][0]["ticked"] == 0

    started = client.post("/api/training/exams/monthly/attempts", headers=agent)
    assert started.status_code == 201, started.text
    paper = started.json()
    assert len(paper["questions"]) == 10
    assert paper["remaining"] == 30 * 60
    assert all("answer" not in q and "explanation" not in q for q in paper["questions"])
    reloaded = client.post("/api/training/exams/monthly/attempts", headers=agent)
    assert reloaded.status_code == 200
    assert reloaded.json()["questions"] == paper["questions"]

    url = f"/api/training/attempts/{paper['id']}"
    bad = client.post(f"{url}/submit", json={"answers": {"rules.r999": "A"}}, headers=agent)
    assert bad.status_code == 422
    assert bad.json()["field"] == "body.answers.rules.r999"
    answers = right_answers(runtime, paper["id"], wrong=3)  # 7 of 10 right: 70 < 80
    done = client.post(f"{url}/submit", json={"answers": answers}, headers=agent)
    assert done.status_code == 200, done.text
    result = done.json()
    assert (result["status"], result["score"], result["correct"], result["passed"]) == (
        "submitted",
        70.0,
        7,
        False,
    )
    assert result["wrong"] == [q["key"] for q in paper["questions"][:3]]
    assert all("explanation" in q and "answer" in q for q in result["questions"])
    again = client.post(f"{url}/submit", json={"answers": answers}, headers=agent)
    assert again.status_code == 409
    assert "handed in already" in again.json()["message"]
    logged = EventLog(runtime.db).read(kinds=["training.exam_submitted"])
    assert [(e.event.agent, e.event.exam, e.event.score, e.event.passed) for e in logged] == [
        ("9001", "monthly", 70.0, False)
    ]

    lead = login(client, "lead")
    results = client.get("/api/training/results", headers=lead).json()["exams"]
    monthly = next(e for e in results if e["exam"] == "monthly")
    assert (monthly["attempts"], monthly["passed"], monthly["pass_rate"], monthly["average"]) == (
        1,
        0,
        0.0,
        70.0,
    )


def test_roles_an_agent_sees_only_their_own_training(hotline) -> None:
    _runtime, client = hotline
    mine, other = login(client, "9001"), login(client, "9002")
    paper = client.post("/api/training/exams/monthly/attempts", headers=mine).json()
    url = f"/api/training/attempts/{paper['id']}"
    assert client.get(url, headers=other).status_code == 403
    assert client.post(f"{url}/submit", json={"answers": {}}, headers=other).status_code == 403
    assert client.get("/api/training/agents/9001", headers=other).status_code == 403
    assert client.get("/api/training/agents/9002", headers=other).status_code == 200
    assert (
        client.get("/api/training/checklists/agent?person=9001", headers=other).status_code == 403
    )
    for path in ("/api/training/agents", "/api/training/results", "/api/training/checklists"):
        assert client.get(path, headers=other).status_code == 403, path
    tick = {"role": "agent", "person": "9002", "item": "a03", "period": "2026-12-06"}
    assert client.post("/api/training/ticks", json=tick, headers=other).status_code == 403
    assert client.post("/api/training/agents/9002/enrol", headers=other).status_code == 403
    assert client.post("/api/training/tasks/check", headers=other).status_code == 403
    # leads read everyone's, do not take exams; QA reads but does not tick or enrol
    lead, qa = login(client, "lead"), login(client, "qa")
    assert client.get(url, headers=lead).status_code == 200
    assert client.get(url, headers=lead).json()["questions"][0].get("answer") is None
    assert client.post("/api/training/exams/monthly/attempts", headers=lead).status_code == 403
    assert client.post("/api/training/ticks", json=tick, headers=qa).status_code == 403
    assert client.post("/api/training/agents/9002/enrol", headers=qa).status_code == 403
    assert client.get("/api/training/agents", headers=qa).status_code == 200
    assert login(client, "admin")
    assert client.get("/api/training/agents", headers=login(client, "admin")).status_code == 403
    # an exam not open to the agent (a stage's, not enrolled)
    refused = client.post("/api/training/exams/theory/attempts", headers=mine)
    assert refused.status_code == 409


def test_low_scores_open_a_task_that_the_retake_closes(hotline) -> None:
    runtime, client = hotline
    write_scores(runtime)
    lead = login(client, "lead")
    checked = client.post("/api/training/tasks/check", headers=lead)
    assert checked.status_code == 200, checked.text
    opened = checked.json()["opened"]
    assert [(t["agent"], t["reason"], t["exam"], t["detail"]["average"]) for t in opened] == [
        ("9001", "low_score", "refresher", 80.0)
    ]
    assert opened[0]["study"]["kb"] == ["服务话术", "停电报修", "投诉举报"]
    assert client.post("/api/training/tasks/check", headers=lead).json()["opened"] == []

    agent = login(client, "9001")
    me = client.get("/api/training/me", headers=agent).json()
    assert [t["status"] for t in me["tasks"]] == ["open"]
    assert [(e["exam"], e["purpose"]) for e in me["exams"]] == [
        ("refresher", "task"),
        ("monthly", "open"),
    ]
    paper = client.post("/api/training/exams/refresher/attempts", headers=agent).json()
    assert paper["task"] == opened[0]["id"]
    assert len(paper["questions"]) == 8
    answers = right_answers(runtime, paper["id"], wrong=1)  # 7 of 8: 87.5 ≥ 80
    result = client.post(
        f"/api/training/attempts/{paper['id']}/submit", json={"answers": answers}, headers=agent
    ).json()
    assert (result["score"], result["passed"]) == (87.5, True)
    tasks = client.get("/api/training/tasks", headers=agent).json()["tasks"]
    assert [(t["status"], t["attempt"]) for t in tasks] == [("done", paper["id"])]
    wanted = ["training.task_assigned", "training.task_done"]
    assert [e.event.kind for e in EventLog(runtime.db).read(kinds=wanted)] == wanted
    # the scores that opened the task do not open another
    assert client.post("/api/training/tasks/check", headers=lead).json()["opened"] == []


def test_the_lead_ticks_a_checklist_item_once(hotline) -> None:
    runtime, client = hotline
    lead = login(client, "lead")
    lists = client.get("/api/training/checklists", headers=lead).json()
    people = {c["role"]: c["people"] for c in lists["checklists"]}
    assert {"9001", "9002"} <= set(people["agent"])
    assert people["team_lead"] == ["lead"]
    sheet = client.get(
        "/api/training/checklists/agent?person=9001&day=2026-12-06&shift=夜班", headers=lead
    ).json()
    periods = {i["id"]: i["period"] for i in sheet["items"]}
    assert (periods["a01"], periods["a03"], periods["a11"], periods["a12"]) == (
        "2026-12-06/夜班",
        "2026-12-06",
        "2026-W49",
        "2026-12",
    )
    tick = {
        "role": "agent",
        "person": "9001",
        "item": "a11",
        "period": "2026-W49",
        "note": "抽问合格",
    }
    first = client.post("/api/training/ticks", json=tick, headers=lead)
    assert first.status_code == 201
    assert first.json()["created"] is True
    second = client.post("/api/training/ticks", json=tick, headers=lead)
    assert second.status_code == 200
    assert (second.json()["created"], second.json()["id"]) == (False, first.json()["id"])
    assert len(EventLog(runtime.db).read(kinds=["training.checklist_ticked"])) == 1
    # the weekly tick shows on any day of that week
    later = client.get(
        "/api/training/checklists/agent?person=9001&day=2026-12-02", headers=lead
    ).json()
    assert [i["id"] for i in later["items"] if i["tick"]] == ["a11"]
    assert later["ticked"] == 1
    wrong = client.post("/api/training/ticks", json=tick | {"period": "2026-12-06"}, headers=lead)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "body.period"
    unknown = client.post("/api/training/ticks", json=tick | {"item": "zz"}, headers=lead)
    assert unknown.status_code == 404
    # the agent sees the tick on their own sheet
    agent = login(client, "9001")
    own = client.get("/api/training/checklists/agent?person=9001&day=2026-12-06", headers=agent)
    assert own.json()["items"][10]["tick"]["ticked_by"] == "lead"


def test_a_lead_enrols_a_new_hire(hotline) -> None:
    _runtime, client = hotline
    lead = login(client, "lead")
    enrolled = client.post("/api/training/agents/9002/enrol", headers=lead)
    assert enrolled.status_code == 201
    assert enrolled.json()["stage"] == "theory"
    assert client.post("/api/training/agents/9002/enrol", headers=lead).status_code == 409
    board = {
        a["agent"]: a for a in client.get("/api/training/agents", headers=lead).json()["agents"]
    }
    assert (board["9002"]["state"], board["9002"]["stage"]) == ("in_training", "theory")
    assert board["9001"]["state"] == "independent"
    agent = login(client, "9002")
    exams = client.get("/api/training/me", headers=agent).json()["exams"]
    assert [(e["exam"], e["pass_score"]) for e in exams] == [("theory", 80), ("monthly", 80)]


def test_the_job_opens_the_task_by_itself(tmp_path: Path) -> None:
    runtime = make_runtime(tmp_path)
    write_scores(runtime)
    assert "training-rounds" in [job.name for job in runtime.jobs]
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        lead = login(client, "lead")
        for _ in range(50):  # the job's first round runs as the app starts
            tasks = client.get("/api/training/tasks", headers=lead).json()["tasks"]
            if tasks:
                break
            time.sleep(0.1)
        assert [(t["agent"], t["created_by"]) for t in tasks] == [("9001", "training")]
