"""The per-account lock (issue 12, finding 10): guesses spread over many client addresses.

`LoginThrottle` counts failures per username *and client address*, so an attacker who
changes address (or, before the fix, only claimed to, with ``X-Forwarded-For``) had five
more tries each time. `AccountLockout` counts per username from any address, and locks
for a time that doubles with each further failure. The end-to-end attack through the real
server is in tests/web/test_served.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.api.auth import AccountLockout, LoginThrottle, Sessions
from hotline.live import LiveHotline
from hotline.store.db import Audit
from tests.api.conftest import PASSWORD
from tests.api.test_privacy_rules import FakeClock


def test_five_failures_from_anywhere_lock_the_account_for_a_doubling_time() -> None:
    clock = FakeClock()
    lockout = AccountLockout(clock=clock)
    for attempt in range(4):
        assert lockout.retry_after("9001") is None, attempt
        assert lockout.failed("9001") is None  # no lock yet
    assert lockout.failed(" 9001 ") == 30.0  # the fifth: a lock starts (any spelling)
    assert lockout.retry_after("9001") == 30.0
    assert lockout.retry_after("9002") is None  # another account is not touched
    clock.now += 31
    assert lockout.retry_after("9001") is None  # one more try allowed...
    assert lockout.failed("9001") == 60.0  # ...and a wrong one doubles the lock
    clock.now += 30
    assert lockout.retry_after("9001") == 30.0
    clock.now += 31
    assert lockout.failed("9001") == 120.0
    lockout.succeeded("9001")
    assert lockout.retry_after("9001") is None


def test_the_lock_is_capped_and_forgotten_after_an_hour_without_failures() -> None:
    clock = FakeClock()
    lockout = AccountLockout(clock=clock)
    for _ in range(20):
        seconds = lockout.failed("admin")
        clock.now += seconds or 0
    assert seconds == 900.0  # capped at 15 minutes
    clock.now += 3601
    assert lockout.retry_after("admin") is None
    assert lockout.failed("admin") is None  # counting starts again


def test_a_lock_is_refused_with_retry_after_and_audited(
    client: TestClient, runtime: LiveHotline
) -> None:
    # as if every attempt came from another address: the per-client throttle never fires
    client.app.state.throttle = LoginThrottle(limit=1_000)  # type: ignore[attr-defined]
    for attempt in range(5):
        wrong = client.post("/api/auth/login", json={"username": "9002", "password": "x"})
        assert wrong.status_code == 401, attempt
    locked = client.post("/api/auth/login", json={"username": "9002", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["error"] == "too-many-attempts"
    assert 1 <= int(locked.headers["retry-after"]) <= 30
    (entry,) = Audit(runtime.db).list(action="auth.locked")
    assert (entry.subject_id, entry.detail, entry.client) == (
        "9002",
        {"seconds": 30.0},
        "testclient",
    )


def test_a_token_issued_before_the_password_changed_is_refused() -> None:
    clock = FakeClock()
    sessions = Sessions("secret", clock=clock)
    _, session = sessions.issue("9001")
    assert not session.issued_before(None)
    assert session.issued_before(clock.now + 1)
    assert not session.issued_before(clock.now)
