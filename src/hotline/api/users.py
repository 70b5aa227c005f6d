"""Users of the console: creating them (argon2 hashes), their passwords, roles and
active flag, and reading them for sessions.

The users table belongs to the store, behind the `hotline.users.UserStore` port
(``runtime.services.users``); this module adds what the edge needs on top: the
hash, the password policy (`hotline.api.passwords`), the role as an enum, and a
small immutable `User` that routes pass around instead of a database row. A
password set by someone else (an administrator's reset, the first start's
generated one) must be changed by its user at the next log-in
(`must_change_password`). Every change returns its ``user.*`` event, committed to
the log with the row (`Saved`): the caller publishes it, never appends it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from hotline.api.auth import hash_password, verify_password
from hotline.api.errors import ConflictError, NotFoundError, WrongPasswordError
from hotline.api.passwords import PasswordRule, normalized, refuse, validate_password
from hotline.api.roles import Role
from hotline.core.events import Saved
from hotline.users import UserRecord, UserStore
from hotline.users.events import UserChange, UserChanged, UserCreated


@dataclass(frozen=True, slots=True)
class User:
    """A user as the API sees one (no password hash)."""

    username: str
    role: Role
    agent_id: str | None = None
    display_name: str = ""
    active: bool = True
    must_change_password: bool = False
    password_changed_at: float | None = None
    department: str | None = None
    """The orders.yaml department of a 处理部门 user (role ``department``)."""


def _user(row: UserRecord) -> User:
    return User(
        username=row.username,
        role=Role(row.role),
        agent_id=row.agent_id,
        display_name=row.display_name or "",
        active=bool(row.active),
        must_change_password=bool(row.must_change_password),
        password_changed_at=row.password_changed_at,
        department=row.department,
    )


def create_user(
    users: UserStore,
    username: str,
    password: str,
    role: Role | str,
    *,
    agent_id: str | None = None,
    display_name: str = "",
    must_change_password: bool = False,
    by: str = "",
    department: str | None = None,
) -> Saved[User]:
    """Store a new user with an argon2id hash of `password`.

    An agent's username is their 工号 and `agent_id` defaults to it; a 处理部门 user
    (role ``department``) works for `department` (an orders.yaml key, checked by the
    caller against the configuration), and no other role has one. The password is
    taken as given (the demo's and the tests' users): the routes that take a password
    from a person check it with `hotline.api.passwords.validate_password` first. Raises
    `ConflictError` when the username is taken, `ValueError` for an unknown role.
    `by` is who creates it (empty: the system, e.g. the first start).
    """
    role = Role(role)
    if role is Role.AGENT and agent_id is None:
        agent_id = username
    if (role is Role.DEPARTMENT) != (department is not None):
        raise ValueError("a department user, and only one, has a department")
    if users.get(username) is not None:
        raise ConflictError(f"user {username!r} already exists")
    now = time.time()
    created = UserCreated(at=now, username=username, role=role.value, agent_id=agent_id, by=by)
    row = users.create(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        agent_id=agent_id,
        display_name=display_name,
        must_change_password=must_change_password,
        at=now,
        events=(created,),
        department=department,
    )
    return Saved(_user(row), (created,))


def find_user(users: UserStore, username: str) -> User | None:
    row = users.get(username)
    return None if row is None else _user(row)


def list_users(users: UserStore) -> list[User]:
    return [_user(row) for row in users.list()]


def check_password(users: UserStore, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (same cost either way)."""
    row = users.get(username)
    ok = verify_password(None if row is None else row.password_hash, password)
    if row is None or not ok or not row.active:
        return None
    return _user(row)


def _existing(users: UserStore, username: str) -> UserRecord:
    row = users.get(username)
    if row is None:
        raise NotFoundError(f"no user {username!r}")
    return row


def _change(
    users: UserStore,
    row: UserRecord,
    change: UserChange,
    by: str,
    at: float,
    **columns: object,
) -> Saved[User]:
    """Write `columns` of `row`'s user with the event of `change`, in one transaction."""
    role = str(columns.get("role", row.role))
    agent_id = columns.get("agent_id", row.agent_id)
    changed = UserChanged(
        at=at,
        username=row.username,
        change=change,
        role=role,
        previous_role=row.role,
        agent_id=agent_id if isinstance(agent_id, str) else None,
        by=by,
    )
    saved = users.update(row.username, events=(changed,), **columns)
    return Saved(_user(saved), (changed,))


def change_password(users: UserStore, username: str, current: str, new: str) -> Saved[User]:
    """The user's own change: `current` must match, `new` pass the policy and differ.

    Clears ``must_change_password`` and stamps the change, which ends the user's
    sessions issued before it. Raises `WrongPasswordError` (field
    ``body.current_password``), `WeakPasswordError` (field ``body.new_password``).
    """
    row = _existing(users, username)
    if not verify_password(row.password_hash, current):
        raise WrongPasswordError(
            "body.current_password: 当前密码不对 (the current password is wrong)",
            field="body.current_password",
        )
    text = validate_password(new, username=username, field="body.new_password")
    if normalized(current) == text:
        raise refuse(PasswordRule.UNCHANGED, "body.new_password")
    now = time.time()
    return _change(
        users,
        row,
        UserChange.PASSWORD_CHANGED,
        username,
        now,
        password_hash=hash_password(text),
        must_change_password=False,
        password_changed_at=now,
    )


def reset_password(users: UserStore, username: str, password: str, *, by: str) -> Saved[User]:
    """An administrator sets the user's password: it passes the policy, and the user must
    change it at the next log-in; the user's sessions end. Raises `NotFoundError`,
    `WeakPasswordError` (field ``body.password``)."""
    row = _existing(users, username)
    text = validate_password(password, username=username, field="body.password")
    now = time.time()
    return _change(
        users,
        row,
        UserChange.PASSWORD_RESET,
        by,
        now,
        password_hash=hash_password(text),
        must_change_password=True,
        password_changed_at=now,
    )


def set_active(users: UserStore, username: str, active: bool, *, by: str) -> Saved[User]:
    """Deactivate or reactivate; a deactivated user's sessions are refused from the next
    request on (the active flag is read on every request). Raises `NotFoundError`."""
    row = _existing(users, username)
    change = UserChange.REACTIVATED if active else UserChange.DEACTIVATED
    return _change(users, row, change, by, time.time(), active=active)


def set_role(
    users: UserStore,
    username: str,
    role: Role,
    agent_id: str | None,
    *,
    by: str,
    department: str | None = None,
) -> Saved[User]:
    """Give the user another role (in force from their next request). An agent's seat
    defaults to the username; other roles have none. A 处理部门 user's `department` is
    required (checked by the caller against orders.yaml); other roles have none. Raises
    `NotFoundError`, `ValueError` for a department given to another role or missing."""
    if (role is Role.DEPARTMENT) != (department is not None):
        raise ValueError("a department user, and only one, has a department")
    row = _existing(users, username)
    seat = (agent_id or username) if role is Role.AGENT else None
    return _change(
        users,
        row,
        UserChange.ROLE_CHANGED,
        by,
        time.time(),
        role=role.value,
        agent_id=seat,
        department=department,
    )
