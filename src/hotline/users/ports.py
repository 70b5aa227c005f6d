"""What the users' edge needs from storage (`hotline.store.db.Users` implements it).

A write takes the events that announce it and commits them to the log in the
same transaction as the row (the outbox): both or neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from hotline.core.events import Event


class UserRecord(Protocol):
    """A stored account as the store returns it."""

    @property
    def username(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def password_hash(self) -> str: ...
    @property
    def agent_id(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def must_change_password(self) -> bool: ...
    @property
    def password_changed_at(self) -> float | None: ...
    @property
    def department(self) -> str | None:
        """The orders.yaml department of a 处理部门 user; None for other roles."""
        ...


class UserStore(Protocol):
    """The accounts table; every write is one transaction with its events."""

    def get(self, username: str) -> UserRecord | None: ...

    def by_agent(self, agent_id: str) -> UserRecord | None: ...

    def list(self) -> Sequence[UserRecord]: ...

    def create(
        self,
        username: str,
        password_hash: str,
        role: str,
        *,
        display_name: str = "",
        agent_id: str | None = None,
        active: bool = True,
        must_change_password: bool = False,
        at: float | None = None,
        events: Sequence[Event] = (),
        department: str | None = None,
    ) -> UserRecord:
        """Add the account and append `events` to the log with it; raises
        `DuplicateError` (a `StoreError`) when the username is taken."""
        ...

    def update(self, username: str, *, events: Sequence[Event] = (), **changes: Any) -> UserRecord:
        """Change some columns and append `events` with them, in one transaction."""
        ...


class AuditLog(Protocol):
    """The audit log (`hotline.store.db.Audit`): who read or changed what, from where."""

    def record(
        self,
        username: str,
        role: str,
        action: str,
        *,
        subject_type: str = "",
        subject_id: str = "",
        detail: Mapping[str, Any] | None = None,
        client: str = "",
        at: float | None = None,
    ) -> int:
        """Append one entry; returns its id."""
        ...

    def list(
        self,
        *,
        username: str | None = None,
        action: str | None = None,
        subject_type: str | None = None,
        subject_id: str | None = None,
        limit: int = 100,
    ) -> Sequence[Any]:
        """The newest entries first, filtered by any of the given fields."""
        ...


__all__ = ["AuditLog", "UserRecord", "UserStore"]
