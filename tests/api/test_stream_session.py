"""An open stream follows its session (issue 12, finding 9: changes take effect at once).

The stream used to keep sending a deactivated or demoted user the wallboard until they
reconnected; now it checks the session again with its snapshots and closes with 4401.
A user who must change their password first gets no stream at all (4403).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from hotline.api.routers import stream
from hotline.api.users import create_user
from hotline.live import LiveHotline
from tests.api.conftest import login


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots and checks every tenth of a second instead of every few seconds."""
    monkeypatch.setattr(stream, "REFRESH_EVERY", 0.1)
    monkeypatch.setattr(stream, "RECHECK_EVERY", 0.05)


def _until_closed(socket: WebSocketTestSession) -> None:
    for _ in range(1000):
        socket.receive_json()


def _closed_after_change(client: TestClient, user: str, change: Any) -> int:
    headers = login(client, user)
    with client.websocket_connect("/api/stream", headers=headers) as socket:
        assert socket.receive_json()["kind"] == "board"
        change()
        with pytest.raises(WebSocketDisconnect) as closed:
            _until_closed(socket)
    return closed.value.code


@pytest.mark.parametrize("action", ["deactivate", "role"])
def test_a_deactivated_or_demoted_watcher_loses_the_open_stream(
    client: TestClient, action: str
) -> None:
    admin = login(client, "admin")
    body = {"role": "agent"} if action == "role" else None

    def change() -> None:
        response = client.post(f"/api/users/supervisor/{action}", json=body, headers=admin)
        assert response.status_code == 200, response.text

    assert _closed_after_change(client, "supervisor", change) == 4401


def test_logging_out_closes_the_open_stream(client: TestClient) -> None:
    headers = login(client, "qa")

    with client.websocket_connect("/api/stream", headers=headers) as socket:
        assert socket.receive_json()["kind"] == "board"
        assert client.post("/api/auth/logout", headers=headers).status_code == 200
        with pytest.raises(WebSocketDisconnect) as closed:
            _until_closed(socket)
    assert closed.value.code == 4401


def test_a_user_who_must_change_the_password_gets_no_stream(
    client: TestClient, runtime: LiveHotline
) -> None:
    create_user(runtime.services.users, "fresh", "谷雨 leek 8", "qa", must_change_password=True)
    headers = login(client, "fresh", "谷雨 leek 8")
    with (
        client.websocket_connect("/api/stream", headers=headers) as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 4403
