"""The browser softphones' SIP credentials: one per console session, issued by the desk.

A console user with an extension (an agent's 工号; a supervisor's too, for listening in)
who opens the desk gets a SIP credential for that extension from `POST
/api/desk/softphone`: a random authentication user and password, valid as long as the
console session and revoked at its logout. Kamailio holds them apart from the desk
phones' (`hotline.sip.kamailio.sync_browser_credentials`: the ``sipws`` table, mapped to
the extension, registrations in ``location_ws``), so the desk phone's own password
(issued once, only its HA1 kept) keeps working beside it. Nothing is written to disk:
after a restart of `hotline serve` the desk asks again.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hotline.live.phones import new_password
from hotline.sip.kamailio import ha1


@dataclass(frozen=True, slots=True)
class SoftphoneEdge:
    """Where a browser's SIP goes: the websocket URL and the SIP domain of the hotline, its
    numbers (what the web call page dials: the first), and the sites that may embed the
    web call page."""

    ws_url: str
    domain: str
    numbers: tuple[str, ...] = ()
    frame_origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SoftphoneCredential:
    """One session's SIP credential (the password is shown to that session only)."""

    extension: str
    auth_user: str
    password: str
    realm: str
    expires: float
    session: str


class Softphones:
    """The live session credentials (thread-safe); `active` is what `SipService` syncs."""

    def __init__(self, realm: str, *, clock: Callable[[], float] = time.time) -> None:
        self.realm = realm
        self.edge: SoftphoneEdge | None = None
        """Set while browsers can register (WebRTC running); None otherwise."""
        self._clock = clock
        self._by_session: dict[str, SoftphoneCredential] = {}
        self._lock = threading.Lock()

    def issue(self, extension: str, *, session: str, expires: float) -> SoftphoneCredential:
        """A new credential for `extension`, for the console session `session` (its nonce)
        until `expires` (epoch seconds); replaces the session's earlier one."""
        credential = SoftphoneCredential(
            extension=extension,
            auth_user=f"ws{secrets.token_hex(8)}",
            password=new_password(),
            realm=self.realm,
            expires=expires,
            session=session,
        )
        with self._lock:
            self._by_session[session] = credential
        return credential

    def revoke(self, session: str) -> bool:
        """End the credential of `session` (logout); False when it had none."""
        with self._lock:
            return self._by_session.pop(session, None) is not None

    def active(self) -> Mapping[str, tuple[str, str]]:
        """auth user → (extension, HA1) of every unexpired credential."""
        now = self._clock()
        with self._lock:
            for session, credential in list(self._by_session.items()):
                if credential.expires <= now:
                    del self._by_session[session]
            return {
                c.auth_user: (c.extension, ha1(c.auth_user, c.realm, c.password))
                for c in self._by_session.values()
            }
