"""A center's own system answering the IVR's look-ups over HTTP (JSON; docs/configuration.md).

`HttpLookup` is one blocking query: POST the request as JSON to the configured URL,
read ``{"found": true, "variables": {...}}`` or ``{"found": false}``. It runs in a
worker thread (`hotline.live.business.OffLoop`), never on the engine's loop. A
timeout, a connection error, a status other than 200, a body that is not that JSON, or
variables that are not text or numbers raise `LookupUnavailableError` (the caller hears the
flow's fallback); nothing here is retried, so a slow system costs one timeout per call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from hotline.interop.errors import InteropError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_VALUE = 500
"""Characters a variable may have (it is read out to the caller)."""


@dataclass(frozen=True, slots=True)
class LookupRequest:
    """What a look-up is asked: the call as it is when the node runs (a copy: the worker
    thread never touches the engine's objects)."""

    lookup: str
    call: str
    caller: str
    dialed: str
    account: str | None
    args: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lookup": self.lookup,
            "call": self.call,
            "caller": self.caller,
            "dialed": self.dialed,
            "account": self.account,
            "args": dict(self.args),
        }


class LookupUnavailableError(InteropError):
    """The system could not answer: `reason` ``timeout`` or ``error``."""

    error_id = "lookup-unavailable"

    def __init__(self, message: str, *, reason: str, **details: Any) -> None:
        super().__init__(message, reason=reason, **details)
        self.reason = reason


class HttpLookup:
    """POST look-ups to `url`, waiting at most `timeout` seconds (connect and read)."""

    def __init__(self, url: str, *, timeout: float, client: httpx.Client | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def __call__(self, request: LookupRequest) -> Mapping[str, str] | None:
        """The variables the system found, or None; raises `LookupUnavailableError`."""
        try:
            response = self._client.post(self.url, json=request.to_json(), timeout=self.timeout)
        except httpx.TimeoutException as e:
            raise LookupUnavailableError(
                f"{self.url}: no answer within {self.timeout} s", reason="timeout"
            ) from e
        except httpx.HTTPError as e:
            raise LookupUnavailableError(f"{self.url}: {e}", reason="error") from e
        if response.status_code != 200:
            raise LookupUnavailableError(
                f"{self.url}: status {response.status_code}",
                reason="error",
                status=response.status_code,
            )
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise LookupUnavailableError(
                f"{self.url}: the answer is not JSON", reason="error"
            ) from e
        return parse_answer(body, self.url)


def parse_answer(body: object, source: str) -> Mapping[str, str] | None:
    """The variables of a ``{"found": …, "variables": {…}}`` answer; raises
    `LookupUnavailableError` naming the field that is wrong."""
    if not isinstance(body, dict) or not isinstance(body.get("found"), bool):
        raise LookupUnavailableError(f"{source}: the answer has no boolean 'found'", reason="error")
    if not body["found"]:
        return None
    variables = body.get("variables", {})
    if not isinstance(variables, dict):
        raise LookupUnavailableError(f"{source}: 'variables' is not an object", reason="error")
    found: dict[str, str] = {}
    for name, value in variables.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise LookupUnavailableError(
                f"{source}: variable name {name!r} is invalid", reason="error"
            )
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise LookupUnavailableError(
                f"{source}: variables.{name} is not text or a number", reason="error"
            )
        text = str(value)
        if len(text) > MAX_VALUE:
            raise LookupUnavailableError(f"{source}: variables.{name} is too long", reason="error")
        found[name] = text
    return found
