"""Kill the live server in the middle of its day: every event it acknowledged survives.

`hotline demo` runs as a subprocess at 600× (a busy morning in seconds). The API
serves events only from the database, so every event read through it was
committed. The server is then killed with SIGKILL (no shutdown, no flush), the
database is opened directly, and a restarted server carries on with the same file.
"""

from __future__ import annotations

import datetime
import signal
import time
from pathlib import Path
from typing import Any

import httpx

from hotline.store.db import Database, EventLog
from tests.support.demo import DemoServer

PASSWORD = "demo123"


def _token(server: DemoServer) -> str:
    response = httpx.post(
        f"{server.url}/api/auth/login",
        json={"username": "admin", "password": PASSWORD},
        timeout=10.0,
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def _events(server: DemoServer, token: str, since: int) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/api/events",
        params={"since_id": since, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10.0,
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()
    return events


def test_a_killed_server_keeps_every_acknowledged_event_and_restarts(tmp_path: Path) -> None:
    server = DemoServer(tmp_path, speed=600, extra=[])
    seen: list[dict[str, Any]] = []
    try:
        server.wait_ready()
        token = _token(server)
        deadline = time.monotonic() + 60
        while len(seen) < 3000 and time.monotonic() < deadline:
            batch = _events(server, token, seen[-1]["id"] if seen else 0)
            seen += batch
            if not batch:
                time.sleep(0.1)
        assert len(seen) >= 3000, "the demo did not produce events"
        server.process.send_signal(signal.SIGKILL)  # no shutdown, no last flush
        server.process.wait(timeout=10)
    finally:
        server.stop()

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with Database.open(url) as db:
        log = EventLog(db)
        stored = log.read(since_id=0, limit=len(seen))
        assert [s.id for s in stored] == [e["id"] for e in seen]
        assert [(s.event.kind, s.event.at) for s in stored] == [(e["kind"], e["at"]) for e in seen]
        count = log.count()
        assert count >= len(seen)
        assert log.last_id() == count  # no gap: a batch is committed whole or not at all
        last_day = max(s.event.at for s in log.read(since_id=count - 1, limit=1))

    again = DemoServer(tmp_path, speed=600, extra=[])
    try:
        again.wait_ready()
        token = _token(again)
        deadline = time.monotonic() + 30
        new: list[dict[str, Any]] = []
        while not new and time.monotonic() < deadline:
            new = _events(again, token, count)
            time.sleep(0.1)
        assert new, "the restarted demo wrote nothing"
        assert new[0]["id"] == count + 1
        tz = datetime.timezone(datetime.timedelta(hours=8))  # the example hotline: Asia/Shanghai
        before = datetime.datetime.fromtimestamp(last_day, tz).date()
        assert datetime.datetime.fromtimestamp(new[0]["at"], tz).date() > before
    finally:
        again.stop()
