"""The agents' SIP phones' credentials: issued, rotated and revoked by the product.

An agent's phone registers at Kamailio as the agent's extension (工号) with a password
that Hotline generates (`issue`) and shows once; only its digest HA1 is kept
(`hotline.store.db.sip`). Issuing again rotates it (the old phone is unregistered
within one poll of `SipService`); `revoke` removes it; deactivating the agent's console
user revokes it too (`SipCredentials.active` lists only active agent users).

A shift lead's or a supervisor's phone (班长席: 监听, 耳语, 强插, 拦截 ring it) is issued
the same way; its extension is the user's 工号 when the user has one, else the username
(`hotline.live.supervise.extension_of`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping

from hotline.core.errors import HotlineError
from hotline.sip.kamailio import ha1
from hotline.store.db import Database, Users
from hotline.store.db.sip import SipCredentials

PASSWORD_LENGTH = 16
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/l/I


SUPERVISING_ROLES = ("shift_lead", "supervisor")
"""Roles whose users get a phone of their own besides the agents (班长席)."""


class NoAgentUserError(HotlineError):
    """Credentials are for the extension of an active agent, shift lead or supervisor user."""

    error_id = "no-such-agent-user"


def new_password() -> str:
    """A random phone password: 16 characters that read unambiguously (about 92 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def issue(db: Database, extension: str, realm: str, *, by: str) -> str:
    """A new SIP password for the phone of `extension` (rotating any old one): an agent's
    工号, or a shift lead's or supervisor's extension; returns the password, which is not
    stored and cannot be shown again. Raises `NoAgentUserError` unless an active user of
    one of those roles has that extension."""
    users = Users(db)
    user = users.by_agent(extension)
    if user is None:  # a shift lead or supervisor without a 工号: the username
        user = users.get(extension)
        if user is not None and (user.agent_id or user.role not in SUPERVISING_ROLES):
            user = None
    if user is None or not user.active or user.role not in ("agent", *SUPERVISING_ROLES):
        raise NoAgentUserError(
            f"no active agent, shift lead or supervisor user has the extension {extension!r}: "
            "create the user (系统管理 / hotline users) first"
        )
    password = new_password()
    SipCredentials(db).issue(extension, realm, ha1(extension, realm, password), by=by)
    return password


def revoke(db: Database, extension: str) -> bool:
    """Remove the phone's credential (its registration is removed within one poll)."""
    return SipCredentials(db).revoke(extension)


def provider(db: Database, realm: str) -> Callable[[], Mapping[str, str]]:
    """What `SipService(credentials=...)` reads every poll: extension → HA1."""
    credentials = SipCredentials(db)
    return lambda: credentials.active(realm)


class Phones:
    """The phone credentials of one hotline's database, for the console (`Services.phones`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.credentials = SipCredentials(db)

    def issued(self) -> dict[str, float]:
        """Every extension with a password, and when it was issued (epoch seconds)."""
        return self.credentials.all()

    def issue(self, extension: str, realm: str, *, by: str) -> str:
        """`issue` on this database: the new password, shown once."""
        return issue(self.db, extension, realm, by=by)

    def revoke(self, extension: str) -> bool:
        """`revoke` on this database: False when the phone had no password."""
        return revoke(self.db, extension)
