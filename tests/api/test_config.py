"""Configuration documents: read, refuse an invalid text with located problems, store versions."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hotline.live import LiveHotline
from hotline.store.db import Audit, ConfigDocuments
from tests.api.conftest import login

LOCATED = re.compile(r"^(?P<file>[\w/.]+):(?P<line>\d+):(?P<col>\d+): (?P<path>[\w.]+): .+")


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_get_returns_the_shipped_file_until_a_version_is_stored(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    document = client.get("/api/config/hotline.yaml", headers=admin).json()
    assert document["version"] is None
    assert document["text"] == runtime.hotline.path.read_text(encoding="utf-8")
    names = [item["name"] for item in client.get("/api/config", headers=admin).json()]
    assert {"hotline.yaml", "ivr/main.yaml", "ivr/survey.yaml"} <= set(names)
    assert client.get("/api/config/ivr/nothing.yaml", headers=admin).status_code == 404
    assert client.get("/api/config/secrets.txt", headers=admin).status_code == 422


def test_an_invalid_hotline_file_is_422_with_line_numbers_and_nothing_is_saved(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    text = client.get("/api/config/hotline.yaml", headers=admin).json()["text"]
    broken = text.replace("strategy: fewest_calls", "strategy: fastest_agent", 1)
    response = client.put("/api/config/hotline.yaml", json={"text": broken}, headers=admin)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid-config"
    [problem] = body["problems"]
    where = LOCATED.match(problem)
    assert where is not None, problem
    assert where["file"] == "hotline.yaml"
    assert int(where["line"]) == _line_of(broken, "fastest_agent")
    assert where["path"] == "queues.query.strategy"
    assert ConfigDocuments(runtime.db).get("hotline.yaml") is None
    assert client.get("/api/config/hotline.yaml", headers=admin).json()["version"] is None


def test_a_flow_naming_an_unknown_queue_is_refused_with_its_line(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    text = client.get("/api/config/ivr/main.yaml", headers=admin).json()["text"]
    broken = text.replace("queue: complaint,", "queue: complaints,", 1)
    assert broken != text
    response = client.put("/api/config/ivr/main.yaml", json={"text": broken}, headers=admin)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(
        p.startswith(f"ivr/main.yaml:{_line_of(broken, 'complaints')}:") and "complaints" in p
        for p in problems
    ), problems
    syntax = client.put("/api/config/ivr/main.yaml", json={"text": "a: [1"}, headers=admin)
    assert syntax.status_code == 422
    assert syntax.json()["problems"][0].startswith("ivr/main.yaml:")
    assert ConfigDocuments(runtime.db).names() == []


def test_a_valid_text_is_stored_as_a_new_version_applied_at_next_start(
    client: TestClient, runtime: LiveHotline
) -> None:
    admin = login(client, "admin")
    text = client.get("/api/config/hotline.yaml", headers=admin).json()["text"]
    changed = text.replace("wrap_up: 45", "wrap_up: 50", 1)
    first = client.put("/api/config/hotline.yaml", json={"text": changed}, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1
    assert "next start" in first.json()["message"]
    second = client.put("/api/config/hotline.yaml", json={"text": text}, headers=admin)
    assert second.json()["version"] == 2
    stored = client.get("/api/config/hotline.yaml", headers=admin).json()
    assert (stored["version"], stored["text"], stored["updated_by"]) == (2, text, "admin")
    assert [d.version for d in ConfigDocuments(runtime.db).history("hotline.yaml")] == [2, 1]
    assert len(Audit(runtime.db).list(action="config.put")) == 2
    # the running hotline is unchanged until the next start
    assert next(q for q in runtime.hotline.queues if q.name == "query").wrap_up == 45


def test_a_new_flow_file_is_validated_with_the_others(client: TestClient) -> None:
    admin = login(client, "admin")
    flow = (
        "flow: extra\nstart: hello\nprompts:\n  hello: {text: 你好, duration: 1}\n"
        "nodes:\n  hello: {type: queue, queue: query, prompt: hello}\n"
    )
    response = client.put("/api/config/ivr/extra.yaml", json={"text": flow}, headers=admin)
    assert response.status_code == 200, response.text
    assert client.get("/api/config/ivr/extra.yaml", headers=admin).json()["version"] == 1
