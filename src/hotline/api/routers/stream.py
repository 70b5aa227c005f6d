"""The live stream (WebSocket ``/api/stream``): a snapshot, then events and fresh snapshots.

Protocol (JSON text messages, server to client):

1. first a snapshot: ``{"kind": "board", ...}`` (the wallboard) for the shift
   lead, supervisor, QA and admin; ``{"kind": "desk", ...}`` (the seat's desk,
   masked and audited as ``GET /api/desk``) for an agent;
2. then every event record the user may see, as it happens (``Event.to_record()``
   plus ``id``): all of them for watchers, and for an agent only those naming
   their seat or their current call. Callers' numbers are masked except for the
   shift lead. ``{"kind": "feed.lagged"}`` says records were skipped because the
   client read too slowly;
3. a new snapshot at most every `SNAPSHOT_EVERY` seconds after a change — an event, or
   for watchers the wallboard's counts recounted from the log — (and every
   `REFRESH_EVERY` seconds regardless, so times in state keep counting).

The client authenticates with the session cookie, a bearer header, or
``?token=``. Without a valid session the server closes with code 4401; a user
without a view (an agent account with no seat) or who must change their password
first gets 4403. The session is checked again with each snapshot at most every
`RECHECK_EVERY` seconds: a user deactivated, given another role, logged out or
whose password changed is closed with 4401 (and reconnects as whoever they now
are). Messages from the client are read and ignored (a keep-alive may be sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import authenticate, client_of
from hotline.api.errors import ApiError, NotAuthenticatedError
from hotline.api.masking import mask_numbers
from hotline.api.privacy import ReadsAudited, record_read
from hotline.api.roles import WATCHERS, Role, sees_unmasked
from hotline.api.routers.desk import desk_view
from hotline.api.users import User
from hotline.core.errors import HotlineError
from hotline.live import LiveFeed, LiveHotline
from hotline.live.runtime import COUNTED

router = APIRouter()

SNAPSHOT_EVERY = 0.5
REFRESH_EVERY = 5.0
RECHECK_EVERY = 2.0
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
_GONE = (WebSocketDisconnect, RuntimeError, OSError)


class _Stream:
    """One connected client: its filter, its masking, and when it last got a snapshot."""

    def __init__(self, socket: WebSocket, runtime: LiveHotline, user: User, client: str) -> None:
        self.socket = socket
        self.runtime = runtime
        self.user = user
        self.client = client
        self.agent_id = user.agent_id if user.role is Role.AGENT else None
        self.current_call: str | None = None
        self.changed = asyncio.Event()
        self.seen: ReadsAudited = socket.app.state.reads
        self.unmasked = sees_unmasked(user.role, on_the_call=False)
        self.checked = time.monotonic()

    async def still_valid(self) -> bool:
        """Whether the session still stands for the same user with the same role (checked
        at most every RECHECK_EVERY seconds)."""
        if time.monotonic() - self.checked < RECHECK_EVERY:
            return True
        self.checked = time.monotonic()
        try:
            user, _ = await authenticate(self.socket)
        except ApiError:
            return False
        return user.role is self.user.role and user.agent_id == self.user.agent_id

    async def snapshot(self) -> None:
        if not await self.still_valid():
            await self.socket.close(code=CLOSE_UNAUTHENTICATED, reason="the session has ended")
            raise WebSocketDisconnect(CLOSE_UNAUTHENTICATED)
        if self.agent_id is None:
            await self.socket.send_json(
                {"kind": "board", **dataclasses.asdict(self.runtime.board())}
            )
            return
        view, read = desk_view(self.runtime.desks.view(self.agent_id), self.user)
        call = view.get("call")
        self.current_call = str(call["id"]) if call else self.current_call
        if read is not None and call is not None:
            # one audit row per user and call: the snapshots that follow (and the desk's
            # refreshes, and a reconnection) show the same read, they do not make a new one
            await run_in_threadpool(
                record_read,
                self.runtime.services.audit,
                self.user,
                int(read["id"]),
                masked=bool(read["masked"]),
                via="stream",
                client=self.client,
                call=str(call["id"]),
                seen=self.seen,
            )
        await self.socket.send_json({"kind": "desk", **view})

    def wants(self, record: dict[str, Any]) -> bool:
        if self.agent_id is None or record["kind"] == "feed.lagged":
            return True
        call = record.get("call")
        if record.get("agent") == self.agent_id:
            if call is not None and record["kind"] in ("contact.offered", "contact.answered"):
                self.current_call = str(call)
            return True
        return call is not None and call == self.current_call

    async def pump(self, feed: LiveFeed) -> None:
        async for record in feed:
            if record["kind"] == COUNTED:  # new counts: a watcher's next snapshot has them
                if self.agent_id is None:
                    self.changed.set()
                continue
            if not self.wants(record):
                continue
            await self.socket.send_json(record if self.unmasked else mask_numbers(record))
            self.changed.set()

    async def refresh(self) -> None:
        last = time.monotonic()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.changed.wait(), timeout=max(0.0, REFRESH_EVERY - (time.monotonic() - last))
                )
            # at most one snapshot per SNAPSHOT_EVERY: changes meanwhile are in the next one
            await asyncio.sleep(max(0.0, SNAPSHOT_EVERY - (time.monotonic() - last)))
            self.changed.clear()
            await self.snapshot()
            last = time.monotonic()

    async def listen(self) -> None:
        while True:
            await self.socket.receive_text()


def _same_origin(socket: WebSocket) -> bool:
    """A browser page of another site may not open the stream with this site's cookie."""
    origin = socket.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == socket.headers.get("host")


@router.websocket("/api/stream")
async def stream(socket: WebSocket) -> None:
    await socket.accept()
    if not _same_origin(socket):
        await socket.close(code=CLOSE_FORBIDDEN, reason="cross-site stream refused")
        return
    try:
        user, _ = await authenticate(socket)
    except NotAuthenticatedError:
        await socket.close(code=CLOSE_UNAUTHENTICATED, reason="log in first")
        return
    except ApiError:  # the password must be changed first
        await socket.close(code=CLOSE_FORBIDDEN, reason="change your password first")
        return
    runtime: LiveHotline = socket.app.state.runtime
    if user.role is Role.AGENT:
        if user.agent_id is None:
            await socket.close(code=CLOSE_FORBIDDEN, reason="this user has no agent seat")
            return
    elif user.role not in WATCHERS:
        await socket.close(code=CLOSE_FORBIDDEN, reason="no live view for this role")
        return
    session = _Stream(socket, runtime, user, client_of(socket))
    feed = runtime.subscribe()
    try:
        try:
            await session.snapshot()
        except HotlineError as error:  # e.g. the user's seat is not in the roster
            await socket.close(code=CLOSE_FORBIDDEN, reason=error.message[:120])
            return
        async with anyio.create_task_group() as group:
            for part in (lambda: session.pump(feed), session.refresh, session.listen):
                group.start_soon(_until_gone, part, group.cancel_scope)
    finally:
        feed.close()


async def _until_gone(part: Callable[[], Awaitable[None]], scope: anyio.CancelScope) -> None:
    """Run one part of a stream; when it ends (the client left), end the others too."""
    try:
        await part()
    except _GONE:
        pass  # the client went away mid-receive or mid-send: the normal end of a stream
    finally:
        scope.cancel()
