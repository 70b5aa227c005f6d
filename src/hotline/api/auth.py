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

A token also says when it was issued: a session issued before its user's
password last changed is refused (`issued_before`), so a reset or a change of
password ends every other session of that user.

Passwords are hashed with argon2id (argon2-cffi's defaults), after the NFKC
normalisation of `hotline.api.passwords`. Logins fail slowly on purpose and are
throttled twice: `LoginThrottle` refuses a username from a client after 5
failures within 5 minutes, and `AccountLockout` locks a username whatever the
client's address after 5 failures in a row, for a time that doubles with each
further failure — so changing addresses (or claiming to, with a made-up
``X-Forwarded-For``) gains nothing.
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

from hotline.api.passwords import normalized

COOKIE = "hotline_session"
SESSION_SECONDS = 12 * 3600.0  # one shift and a margin
_VERSION = "v1"

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong username costs as
# much time as a wrong password and timing does not tell which users exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (normalised), with its salt and parameters, for
    ``users.password_hash``."""
    return _hasher.hash(normalized(password))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing or malformed hash never matches.

    The password is normalised as when it was hashed; a hash made before passwords were
    normalised is tried with the text as typed too.
    """
    text = normalized(password)
    ok = _verify(password_hash or _DUMMY_HASH, text)
    if not ok and text != password:
        ok = _verify(password_hash or _DUMMY_HASH, password)
    return ok and password_hash is not None


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
    issued: float

    def issued_before(self, moment: float | None) -> bool:
        """Whether the session is older than `moment` (a change of password), if any."""
        return moment is not None and self.issued < moment


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
        now = self._clock()
        session = Session(username, secrets.token_urlsafe(12), now + self.lifetime, now)
        body = {"u": session.username, "n": session.nonce, "e": session.expires, "i": now}
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
            expires = float(body["e"])
            session = Session(
                str(body["u"]),
                str(body["n"]),
                expires,
                float(body.get("i", expires - self.lifetime)),
            )
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


class AccountLockout:
    """Locks a username, from any client, after `limit` failed logins in a row.

    The lock lasts `base` seconds after the `limit`-th failure and doubles with each
    further failure (capped at `cap`); a success clears the count, and so does
    `forget` seconds without a failure. It costs a real user a wait when someone
    guesses at their account — the price of refusing guesses spread over many
    addresses. `failed` says when a new lock starts, for the audit log.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        base: float = 30.0,
        cap: float = 900.0,
        forget: float = 3600.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.base = base
        self.cap = cap
        self.forget = forget
        self.max_keys = max_keys
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, last failure)
        self._lock = threading.Lock()

    @staticmethod
    def key(username: str) -> str:
        return username.strip().casefold()

    def _lock_seconds(self, count: int) -> float:
        if count < self.limit:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (count - self.limit)))

    def _current(self, key: str, now: float) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, now))
        if count and now - last > max(self.forget, self._lock_seconds(count)):
            self._failures.pop(key, None)
            return 0, now
        return count, last

    def retry_after(self, username: str) -> float | None:
        """Seconds until this username may be tried again, or None when it may be now."""
        now = self._clock()
        with self._lock:
            count, last = self._current(self.key(username), now)
        left = last + self._lock_seconds(count) - now
        return max(left, 1.0) if count >= self.limit and left > 0 else None

    def failed(self, username: str) -> float | None:
        """Count a failure; the seconds of the lock it starts, or None when none starts."""
        key = self.key(username)
        now = self._clock()
        with self._lock:
            count, _ = self._current(key, now)
            self._failures.pop(key, None)
            self._failures[key] = (count + 1, now)  # re-inserted: oldest failure first
            while len(self._failures) > self.max_keys:
                del self._failures[next(iter(self._failures))]
        seconds = self._lock_seconds(count + 1)
        return seconds if seconds > 0 else None

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(self.key(username), None)
