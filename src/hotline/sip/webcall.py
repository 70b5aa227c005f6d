"""The web call page's caller identity: a token the center's website signs, Hotline verifies.

A customer logged in on the center's website or app calls the hotline from the web call page
(网页呼叫, ``/webcall``); the site gives the page a token naming the customer, signed with a
secret the site and Hotline share (``hotline serve --webcall-secret-file``):

    token   = base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))
    payload = {"phone": "13800138000", "account": "1101000099", "exp": 1767225600}

(base64url without padding; ``exp`` in epoch seconds; ``account`` optional). The page sends
it in the INVITE's ``X-Hotline-Token`` header; Hotline's endpoint takes ``phone`` as the
caller's number (so the desk shows the CRM's customer) when the signature is right and the
token unexpired, and treats the caller as anonymous otherwise (one log line saying why).
A caller's number asserted by the trunk (P-Asserted-Identity) always comes first.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from hotline.core.errors import HotlineError

HEADER = "x-hotline-token"
_PHONE = re.compile(r"^\+?[0-9]{3,20}$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9-]{1,32}$")
MAX_TOKEN = 2048


class WebcallTokenError(HotlineError):
    """A web call token that does not name a caller (bad form, signature or expiry)."""

    error_id = "webcall-token"


@dataclass(frozen=True, slots=True)
class WebCaller:
    phone: str
    account: str
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, *, phone: str, expires: float, account: str = "") -> str:
    """A token for `phone` (and `account`) until `expires`: what a center's site computes."""
    body = {"phone": phone, "exp": int(expires)} | ({"account": account} if account else {})
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    signature = hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(signature)}"


class WebcallTokens:
    """Verifies web call tokens against the shared `secret` (at least 16 bytes)."""

    def __init__(self, secret: bytes, *, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise WebcallTokenError("the web call secret must be at least 16 bytes long")
        self._secret = secret
        self._clock = clock

    def verify(self, token: str) -> WebCaller:
        """The caller `token` names; raises `WebcallTokenError` saying what is wrong."""
        if len(token) > MAX_TOKEN or token.count(".") != 1:
            raise WebcallTokenError("not a token (payload.signature)")
        payload, signature = token.split(".")
        expected = hmac.new(self._secret, payload.encode("ascii", "replace"), hashlib.sha256)
        try:
            given = _unb64(signature)
        except (binascii.Error, ValueError) as e:
            raise WebcallTokenError(f"not a token ({e})") from e
        if not hmac.compare_digest(expected.digest(), given):
            raise WebcallTokenError("wrong signature")
        try:  # read only once the site's signature is right
            body = json.loads(_unb64(payload))
        except (binascii.Error, ValueError) as e:
            raise WebcallTokenError(f"not a token ({e})") from e
        if not isinstance(body, dict):
            raise WebcallTokenError("the payload is not an object")
        phone, account, expires = body.get("phone"), body.get("account", ""), body.get("exp")
        if not isinstance(phone, str) or not _PHONE.match(phone):
            raise WebcallTokenError("phone: not a phone number")
        if not isinstance(account, str) or (account and not _ACCOUNT.match(account)):
            raise WebcallTokenError("account: not an account number")
        if isinstance(expires, bool) or not isinstance(expires, int | float):
            raise WebcallTokenError("exp: not a time")
        if expires <= self._clock():
            raise WebcallTokenError("expired")
        return WebCaller(phone=phone, account=account, expires=float(expires))
