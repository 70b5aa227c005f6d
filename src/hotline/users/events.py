"""User events: an account created (``user.created``) or changed (``user.changed``).

They carry the username, the role and seat, and who did it, never a password or
its hash: the event log is read by roles that manage no accounts. The audit log
keeps the same facts with the client address; the events make a user's history
part of the log that every figure is computed from (who held which seat when).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import ClassVar

from hotline.core.events import Event, event


class UserChange(enum.StrEnum):
    """What happened to an existing account."""

    PASSWORD_CHANGED = "password_changed"
    """The user changed their own password."""
    PASSWORD_RESET = "password_reset"
    """An administrator set it; the user must change it at the next log-in."""
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    ROLE_CHANGED = "role_changed"


@event
@dataclasses.dataclass(slots=True)
class UserCreated(Event):
    """`by` created the account `username` with `role` (an agent's seat: `agent_id`)."""

    kind: ClassVar[str] = "user.created"
    username: str
    role: str
    agent_id: str | None
    by: str


@event
@dataclasses.dataclass(slots=True)
class UserChanged(Event):
    """`by` changed the account `username` (`change`); `role` and `agent_id` are as
    after the change, `previous_role` as before (equal unless the role changed)."""

    kind: ClassVar[str] = "user.changed"
    username: str
    change: UserChange
    role: str
    previous_role: str
    agent_id: str | None
    by: str


__all__ = ["UserChange", "UserChanged", "UserCreated"]
