"""Sessions, passwords and login throttling.

A session is a signed token: ``v1.<payload>.<signature>``, the payload a
base64url JSON object (username, a random nonce, the expiry), the signature an
HMAC-SHA256 of it under the app's secret. The same token is set as the
HttpOnly ``hotline_session`` cookie and returned in the login body for
``Authorization: Bearer`` clients, so nothing about a session is stored on
the server except the nonces of sessions logged out before they expired.
The token names the user only: role and active flag are read from the users
table on every request, so a role change or a deactivation takes effect at
once.

Passwords are hashed with argon2id (argon2-cffi's defaults). Logins fail
slowly on purpose and are throttled: `LoginThrottle` refuses a username from a
client after 5 failures within 5 minutes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

COOKIE = "hotline_session"
SESSION_SECONDS = 12 * 3600.0  # one shift and a margin
_VERSION = "v1"

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong username costs as
# much time as a wrong password and timing does not tell which users exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, with its salt and parameters, for ``users.password_hash``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing or malformed hash never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Session:
    """A verified session token's content."""

    username: str
    nonce: str
    expires: float


class Sessions:
    """Issues and checks signed session tokens; remembers the ones logged out.

    `clock` is wall time (``time.time``): tokens outlive a restart of the
    process only when the same `secret` is given again.
    """

    def __init__(
        self,
        secret: str | None = None,
        *,
        lifetime: float = SESSION_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = (secret or secrets.token_hex(32)).encode("utf-8")
        self.lifetime = lifetime
        self._clock = clock
        self._revoked: dict[str, float] = {}  # nonce -> expiry (forgotten once expired)
        self._lock = threading.Lock()

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self._key, f"{_VERSION}.{payload}".encode("ascii"), hashlib.sha256)
        return _b64(digest.digest())

    def issue(self, username: str) -> tuple[str, Session]:
        """A new token for `username`, and what it holds."""
        session = Session(username, secrets.token_urlsafe(12), self._clock() + self.lifetime)
        body = {"u": session.username, "n": session.nonce, "e": session.expires}
        payload = _b64(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
        return f"{_VERSION}.{payload}.{self._sign(payload)}", session

    def check(self, token: str) -> Session | None:
        """The session a token stands for, or None: forged, malformed, expired or logged out."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _VERSION:
            return None
        payload, signature = parts[1], parts[2]
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            session = Session(str(body["u"]), str(body["n"]), float(body["e"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        now = self._clock()
        if session.expires <= now:
            return None
        with self._lock:
            if session.nonce in self._revoked:
                return None
        return session

    def revoke(self, session: Session) -> None:
        """Log a session out: its token is refused from now on, even before it expires."""
        now = self._clock()
        with self._lock:
            self._revoked = {n: e for n, e in self._revoked.items() if e > now}
            self._revoked[session.nonce] = session.expires


class LoginThrottle:
    """Refuses logins for a (username, client) after `limit` failures within `window` seconds.

    A success clears the count. Keys are bounded (`max_keys`, oldest dropped)
    so a flood of made-up usernames cannot grow memory without end.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        window: float = 300.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(username: str, client: str) -> tuple[str, str]:
        return username.strip().casefold(), client

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, username: str, client: str) -> float | None:
        """Seconds to wait before this login may be tried again, or None when it may be now."""
        key = self.key(username, client)
        now = self._clock()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.limit:
                return None
            return max(times[0] + self.window - now, 1.0)

    def failed(self, username: str, client: str) -> None:
        key = self.key(username, client)
        now = self._clock()
        with self._lock:
            times = self._recent(key, now)
            times.append(now)
            self._failures.pop(key, None)
            self._failures[key] = times  # re-inserted: dict order is least recently failed first
            while len(self._failures) > self.max_keys:
                del self._failures[next(iter(self._failures))]

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop(self.key(username, client), None)
