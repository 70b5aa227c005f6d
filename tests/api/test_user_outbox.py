"""The users' outbox: an account change and its ``user.*`` event commit together.

A child process creates a user, or changes one's role, the way the API does and is
SIGKILLed inside the store's transaction, right after the store call, or after
publishing; the database then holds the change and its event, once each, or
neither. And the event never carries a password or its hash.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.api.roles import Role
from hotline.api.users import change_password, create_user, reset_password, set_active, set_role
from hotline.store.db import Database, EventLog, Users
from hotline.users.events import UserChange, UserChanged, UserCreated
from tests.support.postgres import database_url, postgres

__all__ = ["database_url", "postgres"]  # the fixtures: SQLite and a real PostgreSQL

ROOT = Path(__file__).parents[2]
PASSWORD = "谷雨 leek 8 长密码"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def killed(url: str, operation: str, point: str) -> str:
    """Run the child until it kills itself; what it printed last."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.api.user_outbox_child", url, operation, point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return child.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("operation", ["create", "role"])
@pytest.mark.parametrize(
    ("point", "stored"),
    [("before_commit", False), ("after_save", True), ("after_publish", True)],
)
def test_a_kill_leaves_the_account_change_and_its_event_or_neither(
    database_url: str, operation: str, point: str, stored: bool
) -> None:
    assert killed(database_url, operation, point) == f"reached {point}"
    with Database.open(database_url) as db:
        user = Users(db).get("qa1")
        events = [s.event for s in EventLog(db).read() if s.event.kind.startswith("user.")]
    if operation == "create":
        assert ((user is not None), len(events)) == ((True, 1) if stored else (False, 0))
        if stored:
            assert events == [UserCreated(events[0].at, "qa1", "qa", None, "admin")]
    else:
        assert user is not None
        assert (user.role, len(events)) == (("shift_lead", 1) if stored else ("qa", 0))
        if stored:
            (event,) = events
            assert isinstance(event, UserChanged)
            assert (event.change, event.previous_role, event.role, event.by) == (
                UserChange.ROLE_CHANGED,
                "qa",
                "shift_lead",
                "admin",
            )


def test_each_account_change_is_one_event_without_the_password(db: Database) -> None:
    users = Users(db)
    created = create_user(users, "9001", PASSWORD, "agent", by="admin")
    assert created.record.agent_id == "9001"
    reset = reset_password(users, "9001", "另一个 leek 9 长密码", by="admin")
    own = change_password(users, "9001", "另一个 leek 9 长密码", "第三个 leek 10 长密码")
    off = set_active(users, "9001", False, by="admin")
    lead = set_role(users, "9001", Role.SHIFT_LEAD, None, by="admin")
    logged = [s.event for s in EventLog(db).read()]
    returned = [e for saved in (created, reset, own, off, lead) for e in saved.events]
    assert logged == returned
    assert [getattr(e, "change", "created") for e in logged] == [
        "created",
        UserChange.PASSWORD_RESET,
        UserChange.PASSWORD_CHANGED,
        UserChange.DEACTIVATED,
        UserChange.ROLE_CHANGED,
    ]
    assert [e.by for e in logged] == ["admin", "admin", "9001", "admin", "admin"]  # type: ignore[attr-defined]
    assert (lead.record.role, lead.record.agent_id, lead.record.active) == (
        Role.SHIFT_LEAD,
        None,
        False,
    )
    hash_ = users.get("9001").password_hash  # type: ignore[union-attr]
    for event in logged:
        record = str(event.to_record())
        assert "leek" not in record
        assert hash_ not in record
