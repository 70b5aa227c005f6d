"""回呼任务 through the API on a real runtime (SQLite and PostgreSQL): who sees which tasks,
masked how; recording an outcome closes the task in the engine, names who, and is
audited; a caller who gets through closes their task; a restart keeps the tasks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.core.customer import Tier
from hotline.core.ids import CallId, QueueName
from hotline.live import DemoSettings, LiveHotline
from hotline.routing.events import CallbackClosed
from tests.api.conftest import PASSWORD, SCENARIO, USERS, advance, login, ready, ring

FAULT_CALLER = "13800138001"
ENGLISH_CALLER = "13800138002"
ANY_CALLER = "13800138003"


def _runtime(database_url: str) -> LiveHotline:
    runtime = LiveHotline.demo(
        DemoSettings(db_url=database_url, scenario=SCENARIO, speed=0.0, traffic=False)
    )
    for username, role in USERS.items():
        if runtime.services.users.get(username) is None:
            create_user(runtime.services.users, username, PASSWORD, role, display_name=username)
    return runtime


@pytest.fixture
def runtime(database_url: str) -> LiveHotline:
    return _runtime(database_url)


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield client


def make_task(
    client: TestClient,
    runtime: LiveHotline,
    caller: str,
    queue: str | None,
    *,
    within: float = 3600.0,
    reason: str = "accepted_offer",
) -> str:
    """A task as the engine creates it (on the engine's thread), committed to the log."""

    def create() -> str:
        task = runtime.acd.callbacks.create(
            now=runtime.now(),
            call=CallId(f"c-{caller}"),
            caller=caller,
            queue=QueueName(queue) if queue else None,
            tier=Tier.MIDDLE,
            within=within,
            reason=reason,
        )
        return str(task.id)

    task: str = client.portal.call(create)  # type: ignore[union-attr]
    runtime.flush()
    return task


def tasks(client: TestClient, headers: dict[str, str], status: str = "open") -> Any:
    response = client.get("/api/callbacks", params={"status": status}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def by_caller(listed: Any) -> dict[str, Any]:
    return {t["call"].removeprefix("c-"): t for t in listed["tasks"]}


def test_each_role_sees_the_tasks_it_calls_back_masked_as_it_must(
    client: TestClient, runtime: LiveHotline
) -> None:
    make_task(client, runtime, FAULT_CALLER, "fault")
    make_task(client, runtime, ENGLISH_CALLER, "english", reason="abandoned")
    make_task(client, runtime, ANY_CALLER, None, reason="callback")

    agent = tasks(client, login(client, "9001"))  # query, fault, complaint, vip: no English
    assert set(by_caller(agent)) == {FAULT_CALLER, ANY_CALLER}
    assert agent["queues"] == ["complaint", "fault", "query", "vip"]
    assert agent["counts"] == {"open": 2, "overdue": 0, "closed": 0}
    task = by_caller(agent)[FAULT_CALLER]
    assert task["caller"] == "138****8001"
    assert task["masked"] is True
    assert (task["queue"], task["queue_title"], task["tier"]) == ("fault", "故障报修", "middle")
    assert (task["reason"], task["status"], task["result"]) == ("accepted_offer", "open", None)
    assert task["due"] - task["created_at"] == 3600.0
    assert task["can_close"] is True
    assert by_caller(agent)[ANY_CALLER]["queue"] is None

    lead = tasks(client, login(client, "lead"))
    assert set(by_caller(lead)) == {FAULT_CALLER, ENGLISH_CALLER, ANY_CALLER}
    assert lead["queues"] is None
    assert by_caller(lead)[FAULT_CALLER]["caller"] == FAULT_CALLER  # the lead calls back
    assert all(t["can_close"] for t in lead["tasks"])

    boss = tasks(client, login(client, "supervisor"))
    assert len(boss["tasks"]) == 3
    assert by_caller(boss)[ENGLISH_CALLER]["caller"] == "138****8002"
    assert not any(t["can_close"] for t in boss["tasks"])

    for refused in ("qa", "admin"):
        assert client.get("/api/callbacks", headers=login(client, refused)).status_code == 403
    assert client.get("/api/callbacks").status_code == 401
    bad = client.get("/api/callbacks", params={"status": "soon"}, headers=login(client, "lead"))
    assert bad.status_code == 422


def test_a_task_past_its_due_time_is_overdue(client: TestClient, runtime: LiveHotline) -> None:
    make_task(client, runtime, FAULT_CALLER, "fault", within=60.0)
    make_task(client, runtime, ANY_CALLER, None, within=7200.0)
    advance(client, runtime, 61.0)
    lead = login(client, "lead")
    overdue = tasks(client, lead, "overdue")
    assert [t["caller"] for t in overdue["tasks"]] == [FAULT_CALLER]
    assert overdue["tasks"][0]["status"] == "overdue"
    assert overdue["counts"] == {"open": 2, "overdue": 1, "closed": 0}
    pending = tasks(client, lead, "open")
    assert [t["caller"] for t in pending["tasks"]] == [FAULT_CALLER, ANY_CALLER]  # due first


def test_an_agent_records_the_outcome_and_the_task_closes(
    client: TestClient, runtime: LiveHotline
) -> None:
    make_task(client, runtime, FAULT_CALLER, "fault")
    agent = login(client, "9001")
    task = by_caller(tasks(client, agent))[FAULT_CALLER]
    answer = client.post(
        f"/api/callbacks/{task['id']}/outcome", json={"outcome": "done"}, headers=agent
    )
    assert answer.status_code == 200, answer.text
    closed = answer.json()
    assert (closed["status"], closed["result"], closed["closed_by"]) == ("closed", "done", "9001")
    assert closed["can_close"] is False
    assert runtime.acd.callbacks.pending() == []  # the engine closed it
    events = [e for e in runtime.log.events() if isinstance(e, CallbackClosed)]
    assert events[-1].result == "done"
    assert events[-1].by == "9001"
    assert events[-1].task == task["task"]
    row = runtime.services.audit.list(action="callback.closed")[0]
    assert (row.username, row.subject_type, row.subject_id) == ("9001", "callback", str(task["id"]))
    assert row.detail == {"task": task["task"], "outcome": "done", "queue": "fault"}

    assert tasks(client, agent)["tasks"] == []
    listed = tasks(client, agent, "closed")
    assert [(t["id"], t["result"]) for t in listed["tasks"]] == [(task["id"], "done")]
    again = client.post(
        f"/api/callbacks/{task['id']}/outcome", json={"outcome": "cancelled"}, headers=agent
    )
    assert again.status_code == 409
    assert "已关闭" in again.json()["message"]


def test_who_may_record_an_outcome(client: TestClient, runtime: LiveHotline) -> None:
    make_task(client, runtime, ENGLISH_CALLER, "english")
    lead = login(client, "lead")
    english = by_caller(tasks(client, lead))[ENGLISH_CALLER]["id"]
    agent = login(client, "9001")
    outcome = {"outcome": "no_answer"}
    not_theirs = client.post(f"/api/callbacks/{english}/outcome", json=outcome, headers=agent)
    assert not_theirs.status_code == 403
    unknown = client.post("/api/callbacks/999999/outcome", json=outcome, headers=agent)
    assert unknown.status_code == 403  # an agent learns nothing from an id
    assert (
        client.post("/api/callbacks/999999/outcome", json=outcome, headers=lead).status_code == 404
    )
    boss = login(client, "supervisor")
    assert (
        client.post(f"/api/callbacks/{english}/outcome", json=outcome, headers=boss).status_code
        == 403
    )
    wrong = client.post(
        f"/api/callbacks/{english}/outcome", json={"outcome": "later"}, headers=lead
    )
    assert wrong.status_code == 422
    done = client.post(
        f"/api/callbacks/{english}/outcome", json={"outcome": "wrong_number"}, headers=lead
    )
    assert done.status_code == 200
    assert (done.json()["result"], done.json()["closed_by"]) == ("wrong_number", "lead")
    denied = runtime.services.audit.list(username="9001", action="access.denied")
    assert denied  # every 403 is in the audit log


def test_a_caller_who_gets_through_closes_their_task(
    client: TestClient, runtime: LiveHotline
) -> None:
    make_task(client, runtime, FAULT_CALLER, "fault")
    agent = login(client, "9001")
    ready(client, "9001", agent)
    ring(client, runtime, agent, FAULT_CALLER)
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    runtime.flush()
    closed = tasks(client, login(client, "lead"), "closed")["tasks"]
    assert [(t["caller"], t["result"], t["closed_by"]) for t in closed] == [
        (FAULT_CALLER, "reached", None)
    ]


def test_the_tasks_outlive_a_restart(database_url: str) -> None:
    first = _runtime(database_url)
    with TestClient(create_app(first, secret="test-secret")) as client:
        make_task(client, first, FAULT_CALLER, "fault")
        done = make_task(client, first, ANY_CALLER, None)
        assert client.post(
            f"/api/callbacks/{tasks(client, login(client, 'lead'))['tasks'][1]['id']}/outcome",
            json={"outcome": "done"},
            headers=login(client, "lead"),
        ).is_success
    assert done == "cb2"

    second = _runtime(database_url)  # the demo goes on with the next day
    with TestClient(create_app(second, secret="test-secret")) as client:
        assert [t.caller for t in second.acd.callbacks.pending()] == [FAULT_CALLER]
        lead = login(client, "lead")
        listed = tasks(client, lead)
        assert [(t["caller"], t["status"]) for t in listed["tasks"]] == [(FAULT_CALLER, "overdue")]
        assert make_task(client, second, "13800138009", "query") == "cb3"  # numbered on
        answer = client.post(
            f"/api/callbacks/{listed['tasks'][0]['id']}/outcome",
            json={"outcome": "cancelled"},
            headers=lead,
        )
        assert answer.status_code == 200, answer.text
        assert second.acd.callbacks.pending()[0].caller == "13800138009"
