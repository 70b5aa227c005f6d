"""The live stream: who may connect, the first snapshot, and what each role is sent."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from hotline.api.users import create_user
from hotline.live import LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD, advance, login, ready

CALLER = "13912345678"


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def _until(socket: WebSocketTestSession, kind: str, limit: int = 200) -> list[dict[str, Any]]:
    """Messages up to and including the first of `kind`."""
    seen = []
    for _ in range(limit):
        message: dict[str, Any] = socket.receive_json()
        seen.append(message)
        if message["kind"] == kind:
            return seen
    raise AssertionError(f"no {kind} in {len(seen)} messages")


def test_without_a_session_the_stream_closes_with_4401(client: TestClient) -> None:
    for path in ("/api/stream", "/api/stream?token=v1.forged.token"):
        with client.websocket_connect(path) as socket, pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert closed.value.code == 4401


def test_a_page_of_another_site_may_not_open_the_stream(client: TestClient) -> None:
    headers = {**login(client, "supervisor"), "origin": "https://evil.example"}
    with (
        client.websocket_connect("/api/stream", headers=headers) as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 4403


def test_an_agent_account_without_a_seat_gets_4403(
    client: TestClient, runtime: LiveHotline
) -> None:
    create_user(runtime.services.users, "9999", PASSWORD, "agent")  # 工号 not in the roster
    headers = login(client, "9999")
    with (
        client.websocket_connect("/api/stream", headers=headers) as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 4403


@pytest.mark.timeout(60)
def test_a_supervisor_gets_the_board_then_every_event_with_numbers_masked(
    client: TestClient, runtime: LiveHotline
) -> None:
    supervisor = login(client, "supervisor")
    with client.websocket_connect(f"/api/stream?token={_token(supervisor)}") as socket:
        first = socket.receive_json()
        assert first["kind"] == "board"
        assert {q["name"] for q in first["queues"]} >= {"query", "shift_lead"}
        client.portal.call(runtime.call_in, CALLER)  # type: ignore[union-attr]
        arrived = _until(socket, "call.arrived")[-1]
        assert arrived["caller"] == "139****5678"
        assert isinstance(arrived["id"], int)
        advance(client, runtime, 20)
        queued = _until(socket, "contact.queued")[-1]
        assert queued["queue"] == "query"
        board = _until(socket, "board")[-1]
        assert next(q for q in board["queues"] if q["name"] == "query")["waiting"] == 1
        # the counts come from the log, recounted by themselves: a snapshot follows with
        # the call offered to the queue, though nothing else happens meanwhile
        for _ in range(20):
            board = _until(socket, "board")[-1]
            query = next(q for q in board["queues"] if q["name"] == "query")
            if query["offered"] == 1:
                break
        else:
            raise AssertionError("the board never counted the queued call")
        assert board["counted_to"] is not None
        assert board["figures_at"]


@pytest.mark.timeout(60)
def test_the_shift_lead_sees_numbers_in_clear(client: TestClient, runtime: LiveHotline) -> None:
    lead = login(client, "lead")
    with client.websocket_connect("/api/stream", headers=lead) as socket:
        assert socket.receive_json()["kind"] == "board"
        client.portal.call(runtime.call_in, CALLER)  # type: ignore[union-attr]
        assert _until(socket, "call.arrived")[-1]["caller"] == CALLER


@pytest.mark.timeout(60)
def test_an_agent_gets_the_desk_then_only_events_of_their_seat_and_call(
    client: TestClient, runtime: LiveHotline
) -> None:
    agent = login(client, "9001")
    ready(client, "9001", agent)
    supervisor = login(client, "supervisor")
    client.cookies.clear()
    with client.websocket_connect(f"/api/stream?token={_token(agent)}") as socket:
        first = socket.receive_json()
        assert first["kind"] == "desk"
        assert first["agent"]["id"] == "9001"
        assert first["agent"]["state"] == "ready"
        # another seat's change is not sent to this agent
        client.post("/api/agents/9003/state", json={"state": "logged_in"}, headers=supervisor)
        client.portal.call(runtime.call_in, CALLER)  # type: ignore[union-attr]
        advance(client, runtime, 20)
        seen = _until(socket, "contact.offered")
        offered = seen[-1]
        assert offered["agent"] == "9001"
        records = [m for m in seen if m["kind"] not in ("desk", "feed.lagged")]
        assert all(m.get("agent") == "9001" or m.get("call") == offered["call"] for m in records)
        assert not any(m.get("agent") == "9003" for m in records)
        assert not any(m["kind"] == "call.arrived" for m in records)  # before it was theirs
        desk = _until(socket, "desk")[-1]
        assert desk["call"]["phase"] == "ringing"
        assert desk["call"]["customer"]["phone"] == CALLER  # the agent on the call: in clear
        client.post("/api/desk/answer", headers=agent)
        answered = _until(socket, "contact.answered")[-1]
        assert answered["call"] == offered["call"]
    streamed = Audit(runtime.db).list(action="customer.read", username="9001")
    assert [entry.detail["via"] for entry in streamed].count("stream") == 1  # once per call
