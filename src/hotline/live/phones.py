"""The agents' SIP phones' credentials: issued, rotated and revoked by the product.

An agent's phone registers at Kamailio as the agent's extension (工号) with a password
that Hotline generates (`issue`) and shows once; only its digest HA1 is kept
(`hotline.store.db.sip`). Issuing again rotates it (the old phone is unregistered
within one poll of `SipService`); `revoke` removes it; deactivating the agent's console
user revokes it too (`SipCredentials.active` lists only active agent users).
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


class NoAgentUserError(HotlineError):
    """Credentials are for an active agent user's extension only."""

    error_id = "no-such-agent-user"


def new_password() -> str:
    """A random phone password: 16 characters that read unambiguously (about 92 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def issue(db: Database, extension: str, realm: str, *, by: str) -> str:
    """A new SIP password for the phone of agent `extension` (rotating any old one);
    returns the password, which is not stored and cannot be shown again. Raises
    `NoAgentUserError` unless an active agent user has that extension."""
    user = Users(db).by_agent(extension)
    if user is None or not user.active or user.role != "agent":
        raise NoAgentUserError(
            f"no active agent user has the extension {extension!r}: create the user "
            "(系统管理 / hotline users) first"
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
