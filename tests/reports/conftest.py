"""A real app (API and console pages) whose database holds the hand-made log of
`tests.metrics.handlog` on 2026-07-15, and the same log one day earlier on 2026-07-14
without call c3 (so the two days differ by one abandoned call); a paused, quiet runtime."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api.users import create_user
from hotline.app import build_app
from hotline.core.events import Event
from hotline.live import DemoSettings, LiveHotline
from hotline.store.db import Database, EventLog
from tests.metrics.handlog import day_log

QUIET = Path(__file__).with_name("quiet.yaml")
PASSWORD = "demo123"
USERS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "lead": "shift_lead",
    "qa": "qa",
    "1001": "agent",
    "1002": "agent",
}
DAY = 86400.0


def earlier(event: Event, seconds: float) -> Event:
    """`event` `seconds` earlier (its time, a callback's due time …), with its own calls,
    callback tasks and orders (ids `y`-prefixed, orders + 1000): another day's events."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if isinstance(value, float) and value > 1e9:
            changes[f.name] = value - seconds
        elif f.name in ("call", "task") and isinstance(value, str):
            changes[f.name] = "y" + value
        elif f.name == "order" and isinstance(value, int):
            changes[f.name] = value + 1000
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def day_before(events: Sequence[Event]) -> list[Event]:
    """The log one day earlier, without call c3 (its caller abandoned after 40 s)."""
    return [earlier(e, DAY) for e in events if getattr(e, "call", None) != "c3"]


def hand_events() -> list[Event]:
    today = day_log().events
    return sorted([*day_before(today), *today], key=lambda e: e.at)


def load(db: Database, events: Sequence[Event]) -> None:
    with EventLog(db).writer() as writer:
        for event in events:
            writer.append(event)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> LiveHotline:
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'reports.db'}"
    db = Database.open(url)
    load(db, hand_events())
    db.close()
    runtime = LiveHotline.demo(DemoSettings(db_url=url, scenario=QUIET, speed=0.0, traffic=False))
    for username, role in USERS.items():
        create_user(
            runtime.services.users, username, PASSWORD, role, display_name=f"{username} 用户"
        )
    return runtime


@pytest.fixture(scope="module")
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    with TestClient(build_app(runtime), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[str, str]:
    out = {}
    for username in USERS:
        response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[username] = response.json()["token"]
    client.cookies.clear()
    return out


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
