"""The customer directory and identity checks the engine calls, answered from a bounded cache.

`CachedDirectory` is the engine's `CustomerDirectory` (tier and list at call
arrival) and `CachedVerifier` the IVR's `IdentityVerifier` (bound phone, query
password). Both answer from an LRU cache in front of an `AccountLookup` (the
database, implemented in `hotline.store.db.crm`), so a busy hour's arrivals do
not each hit the database. Whatever changes a customer (an import, a list
change, a new password) must call `invalidate`: the store does this through
its change feed. A lookup that raced an invalidation is not cached, so a
stale answer never outlives the change that made it stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from hotline.calls.ports import CallerInfo
from hotline.crm.passwords import verify_query_password

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Credentials:
    """What identity checks of one account need: its phones and its password's hash."""

    account: str
    phones: frozenset[str]  # the contact phone and every bound phone
    password_hash: str | None


class AccountLookup(Protocol):
    """The directory's source (the database)."""

    def caller_info(self, phone: str) -> CallerInfo | None:
        """The customer whose contact or bound phone this is, or None."""
        ...

    def credentials(self, account: str) -> Credentials | None:
        """The account's phones and password hash, or None for an unknown account."""
        ...


class LruCache(Generic[K, V]):
    """A thread-safe LRU map of at most `size` entries, with a generation to detect races.

    `generation()` is read before a slow lookup and passed to `put`: when an
    invalidation happened in between, the looked-up value may be stale and is
    not stored.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the cache size must be at least 1")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self.hits = 0
        self.misses = 0

    def generation(self) -> int:
        with self._lock:
            return self._generation

    def get(self, key: K) -> tuple[V] | None:
        """``(value,)`` when cached (the value itself may be None), else None."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return (self._entries[key],)
            self.misses += 1
            return None

    def put(self, key: K, value: V, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def invalidate(self, keys: Iterable[K] | None = None) -> None:
        """Forget `keys` (every entry when None)."""
        with self._lock:
            self._generation += 1
            if keys is None:
                self._entries.clear()
            else:
                for key in keys:
                    self._entries.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class CachedDirectory:
    """`CustomerDirectory` over an `AccountLookup`; unknown numbers are cached too."""

    def __init__(self, lookup: AccountLookup, *, size: int = 10_000) -> None:
        self._lookup = lookup
        self.cache: LruCache[str, CallerInfo | None] = LruCache(size)

    def identify(self, caller: str) -> CallerInfo | None:
        """The tier, list and account of the customer behind `caller`, or None."""
        found = self.cache.get(caller)
        if found is not None:
            return found[0]
        generation = self.cache.generation()
        info = self._lookup.caller_info(caller)
        self.cache.put(caller, info, generation)
        return info

    def invalidate(self, phones: Iterable[str] | None = None) -> None:
        """Forget what is known about `phones` (about every number when None)."""
        self.cache.invalidate(phones)


class CachedVerifier:
    """`IdentityVerifier` over an `AccountLookup` (95598 第十三条: verify before reading out)."""

    def __init__(self, lookup: AccountLookup, *, size: int = 10_000) -> None:
        self._lookup = lookup
        self.cache: LruCache[str, Credentials | None] = LruCache(size)

    def _credentials(self, account: str) -> Credentials | None:
        found = self.cache.get(account)
        if found is not None:
            return found[0]
        generation = self.cache.generation()
        credentials = self._lookup.credentials(account)
        self.cache.put(account, credentials, generation)
        return credentials

    def is_bound_phone(self, account: str, phone: str) -> bool:
        """Whether `phone` is the account's contact phone or one bound to it."""
        credentials = self._credentials(account)
        return credentials is not None and phone in credentials.phones

    def check_password(self, account: str, password: str) -> bool:
        """Whether `password` is the account's query password (False when none is set)."""
        credentials = self._credentials(account)
        return credentials is not None and verify_query_password(
            credentials.password_hash, password
        )

    def invalidate(self, accounts: Iterable[str] | None = None) -> None:
        self.cache.invalidate(accounts)
