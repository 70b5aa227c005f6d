"""Users of the console: creating them (argon2 hashes) and reading them for sessions.

The users table belongs to the store (`hotline.store.db.Users`); this module
adds what the edge needs on top: the hash, the role as an enum, and a small
immutable `User` that routes pass around instead of a database row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline.api.auth import hash_password, verify_password
from hotline.api.errors import ConflictError
from hotline.api.roles import Role
from hotline.store.db import Database, Users


@dataclass(frozen=True, slots=True)
class User:
    """A user as the API sees one (no password hash)."""

    username: str
    role: Role
    agent_id: str | None = None
    display_name: str = ""
    active: bool = True


def _user(row: Any) -> User:
    return User(
        username=row.username,
        role=Role(row.role),
        agent_id=row.agent_id,
        display_name=row.display_name or "",
        active=bool(row.active),
    )


def create_user(
    db: Database,
    username: str,
    password: str,
    role: Role | str,
    *,
    agent_id: str | None = None,
    display_name: str = "",
) -> User:
    """Store a new user with an argon2id hash of `password`.

    An agent's username is their 工号 and `agent_id` defaults to it. Raises
    `ConflictError` when the username is taken, `ValueError` for an unknown role.
    """
    role = Role(role)
    if role is Role.AGENT and agent_id is None:
        agent_id = username
    users = Users(db)
    if users.get(username) is not None:
        raise ConflictError(f"user {username!r} already exists")
    row = users.create(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        agent_id=agent_id,
        display_name=display_name,
    )
    return _user(row)


def find_user(db: Database, username: str) -> User | None:
    row = Users(db).get(username)
    return None if row is None else _user(row)


def list_users(db: Database) -> list[User]:
    return [_user(row) for row in Users(db).list()]


def check_password(db: Database, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (same cost either way)."""
    row = Users(db).get(username)
    ok = verify_password(None if row is None else row.password_hash, password)
    if row is None or not ok or not row.active:
        return None
    return _user(row)
