"""A callback task's voicemail over REST: the task carries the message, whoever sees the
task plays its WAV (each playback audited as a call recording's), nobody else does, and a
simulated message is marked so, with nothing to play."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.calls.events import VoicemailRecorded
from hotline.core.customer import Tier
from hotline.core.ids import CallbackId, CallId, QueueName
from hotline.live import DemoSettings, LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD, SCENARIO, USERS, login


@pytest.fixture
def recordings(tmp_path: Path) -> Path:
    return tmp_path / "recordings"


@pytest.fixture
def runtime(tmp_path: Path, recordings: Path) -> LiveHotline:
    runtime = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{tmp_path / 'hotline.db'}",
            scenario=SCENARIO,
            speed=0.0,
            traffic=False,
            recordings=recordings,
        )
    )
    for username, role in USERS.items():
        create_user(runtime.services.users, username, PASSWORD, role, display_name=username)
    return runtime


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield client


def leave_message(
    client: TestClient,
    runtime: LiveHotline,
    call: str,
    queue: str,
    *,
    file: str | None,
    simulated: bool = False,
) -> None:
    """A voicemail task as the controller makes it: the task, then ``voicemail.recorded``."""

    def create() -> None:
        task = runtime.acd.callbacks.create(
            now=runtime.now(),
            call=CallId(call),
            caller="13800138009",
            queue=QueueName(queue),
            tier=Tier.ORDINARY,
            within=3600.0,
            reason="voicemail",
        )
        runtime.bus.publish(
            VoicemailRecorded(
                runtime.now(), CallId(call), CallbackId(task.id), file, 2.5, "silence", simulated
            )
        )

    client.portal.call(create)  # type: ignore[union-attr]
    runtime.flush()


def write_message(path: Path, seconds: float) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(i % 251 for i in range(int(8000 * seconds) * 2)))
    return path.read_bytes()


def the_task(client: TestClient, username: str) -> dict[str, object]:
    listed = client.get("/api/callbacks", headers=login(client, username))
    assert listed.status_code == 200, listed.text
    [task] = listed.json()["tasks"]
    return dict(task)


def test_the_task_links_the_message_for_those_who_see_it(
    client: TestClient, runtime: LiveHotline, recordings: Path
) -> None:
    audio = write_message(recordings / "s7-voicemail.wav", 2.5)
    leave_message(client, runtime, "s7", "fault", file="s7-voicemail.wav")
    task = the_task(client, "9001")
    assert task["reason"] == "voicemail"
    assert task["message"] == {
        "seconds": 2.5,
        "ended_by": "silence",
        "simulated": False,
        "url": f"/api/callbacks/{task['id']}/voicemail",
    }
    url = str(task["message"]["url"])  # type: ignore[index]
    for username in ("9001", "lead", "supervisor"):
        played = client.get(url, headers=login(client, username))
        assert played.status_code == 200, (username, played.text)
        assert played.headers["content-type"] == "audio/wav"
        assert played.content == audio
    later = client.get(url, headers={**login(client, "lead"), "range": "bytes=100-"})
    assert later.status_code == 206  # a later range of the same playback: not audited again
    for username in ("qa", "admin"):
        assert client.get(url, headers=login(client, username)).status_code == 403
    assert client.get(url).status_code == 401

    plays = [e for e in Audit(runtime.db).list(limit=1000) if e.action == "recording.play"]
    assert sorted(e.username for e in plays) == ["9001", "lead", "supervisor"]
    assert {(e.subject_type, e.subject_id) for e in plays} == {("call", "s7")}
    assert all(e.detail["name"] == "s7-voicemail.wav" for e in plays)


def test_an_agent_of_other_queues_may_not_hear_it(
    client: TestClient, runtime: LiveHotline, recordings: Path
) -> None:
    write_message(recordings / "s8-voicemail.wav", 1.0)
    leave_message(client, runtime, "s8", "english", file="s8-voicemail.wav")
    task = the_task(client, "lead")
    refused = client.get(f"/api/callbacks/{task['id']}/voicemail", headers=login(client, "9001"))
    assert refused.status_code == 403
    assert not [e for e in Audit(runtime.db).list(limit=1000) if e.action == "recording.play"]


def test_a_simulated_message_has_nothing_to_play(client: TestClient, runtime: LiveHotline) -> None:
    leave_message(client, runtime, "c9", "fault", file=None, simulated=True)
    task = the_task(client, "lead")
    assert task["message"] == {
        "seconds": 2.5,
        "ended_by": "silence",
        "simulated": True,
        "url": None,
    }
    gone = client.get(f"/api/callbacks/{task['id']}/voicemail", headers=login(client, "lead"))
    assert gone.status_code == 404
    assert "没有留言录音" in gone.json()["message"]


def test_a_task_without_a_message_has_none(client: TestClient, runtime: LiveHotline) -> None:
    def create() -> None:
        runtime.acd.callbacks.create(
            now=runtime.now(),
            call=CallId("c10"),
            caller="13800138010",
            queue=QueueName("fault"),
            tier=Tier.MIDDLE,
            within=3600.0,
            reason="abandoned",
        )

    client.portal.call(create)  # type: ignore[union-attr]
    runtime.flush()
    task = the_task(client, "lead")
    assert task["message"] is None
    missing = client.get(f"/api/callbacks/{task['id']}/voicemail", headers=login(client, "lead"))
    assert missing.status_code == 404
    assert (
        client.get("/api/callbacks/999/voicemail", headers=login(client, "lead")).status_code == 404
    )
