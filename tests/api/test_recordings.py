"""Recordings (录音) over REST: who may list and play a call's conversations, and the audit.

The call is a real one of the demo runtime (9001 answers it at the desk); its
recordings are WAV files written into the runtime's recordings folder under the
names the SIP switch gives them (``<call>-<agent>.wav``): the API does not care
who wrote them. Supervisor, QA and shift lead hear any call; 9001 took the call
and hears it; 9002 and the administrator get 403; every listing and playback is
one audit row; names that are not the call's recordings are never served.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.live import DemoSettings, LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD, SCENARIO, USERS, login, ready, ring

CALLER = "13800138000"


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


def write_wav(path: Path, seconds: float) -> bytes:
    """A two-channel 8 kHz 16-bit WAV of `seconds` (a ramp, so files differ); its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(8000 * seconds)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(i % 251 for i in range(frames * 4)))
    return path.read_bytes()


def taken_call(client: TestClient, runtime: LiveHotline) -> str:
    """A call 9001 answered and hung up (its row in the calls table says 9001)."""
    agent = login(client, "9001")
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, CALLER)
    assert client.post("/api/desk/answer", headers=agent).status_code == 200
    assert client.post("/api/desk/hangup", headers=agent).status_code == 200
    runtime.flush()
    return str(call["id"])


def test_who_may_list_and_play_a_calls_recordings(
    client: TestClient, runtime: LiveHotline, recordings: Path
) -> None:
    call = taken_call(client, runtime)
    audio = write_wav(recordings / f"{call}-9001.wav", 2.5)
    write_wav(recordings / f"{call}9-9001.wav", 1.0)  # another call's id starts like this one's
    write_wav(recordings / "notes-9001.wav", 1.0)
    url = f"/api/calls/{call}/recordings"

    for username in ("supervisor", "qa", "lead", "9001"):
        listed = client.get(url, headers=login(client, username))
        assert listed.status_code == 200, (username, listed.text)
        assert listed.json() == [
            {"name": f"{call}-9001.wav", "agent": "9001", "seconds": 2.5, "size": len(audio)}
        ]
        played = client.get(f"{url}/{call}-9001.wav", headers=login(client, username))
        assert played.status_code == 200, (username, played.text)
        assert played.headers["content-type"] == "audio/wav"
        assert played.content == audio
        with wave.open(io.BytesIO(played.content)) as wav:
            assert wav.getnchannels() == 2
    for username in ("9002", "admin"):
        headers = login(client, username)
        assert client.get(url, headers=headers).status_code == 403
        assert client.get(f"{url}/{call}-9001.wav", headers=headers).status_code == 403

    supervisor = login(client, "supervisor")
    assert client.get("/api/calls/no-such-call/recordings", headers=supervisor).status_code == 404
    assert (
        client.get("/api/calls/no-such-call/recordings", headers=login(client, "9001")).status_code
        == 403
    )
    for name in (f"{call}9-9001.wav", "notes-9001.wav", f"{call}-9002.wav"):
        assert client.get(f"{url}/{name}", headers=supervisor).status_code == 404
    for name in ("..%2F..%2Fhotline.db", "..%2Fhotline.db.wav", f"{call}-9001.mp3"):
        refused = client.get(f"{url}/{name}", headers=supervisor)
        assert refused.status_code in (404, 422), (name, refused.status_code)
        assert refused.content != audio

    entries = Audit(runtime.db).list(limit=1000)
    lists = [e for e in entries if e.action == "recording.list"]
    plays = [e for e in entries if e.action == "recording.play"]
    assert sorted(e.username for e in lists) == ["9001", "lead", "qa", "supervisor"]
    assert sorted(e.username for e in plays) == ["9001", "lead", "qa", "supervisor"]
    assert {e.subject_id for e in lists + plays} == {call}
    assert all(e.detail["name"] == f"{call}-9001.wav" for e in plays)


def test_a_later_range_of_a_playback_is_not_audited_again(
    client: TestClient, runtime: LiveHotline, recordings: Path
) -> None:
    call = taken_call(client, runtime)
    audio = write_wav(recordings / f"{call}-9001.wav", 1.0)
    url = f"/api/calls/{call}/recordings/{call}-9001.wav"
    qa = login(client, "qa")
    first = client.get(url, headers={**qa, "Range": "bytes=0-"})
    later = client.get(url, headers={**qa, "Range": "bytes=1000-1999"})
    assert first.status_code in (200, 206)
    assert later.status_code == 206
    assert later.content == audio[1000:2000]
    plays = [e for e in Audit(runtime.db).list(limit=100) if e.action == "recording.play"]
    assert len(plays) == 1


def test_a_runtime_without_recordings_lists_none(client: TestClient, runtime: LiveHotline) -> None:
    call = taken_call(client, runtime)
    listed = client.get(f"/api/calls/{call}/recordings", headers=login(client, "supervisor"))
    assert listed.status_code == 200
    assert listed.json() == []
