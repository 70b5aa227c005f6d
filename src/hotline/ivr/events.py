"""Events of calls in the IVR: entered, chose, failed input, identity, lookups, exits, surveys.

Stable names (`kind`) are part of the stored log: never rename one. Fields
after `at` (inherited) start with the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hotline.core.events import Event, event
from hotline.core.ids import AgentId, CallId


@event
@dataclass(slots=True)
class IvrEntered(Event):
    """A call started flow `flow`."""

    kind: ClassVar[str] = "ivr.entered"
    call: CallId
    flow: str


@event
@dataclass(slots=True)
class MenuChosen(Event):
    """The caller pressed `choice`, a key of menu `node`."""

    kind: ClassVar[str] = "ivr.menu_chosen"
    call: CallId
    node: str
    choice: str


@event
@dataclass(slots=True)
class InputFailed(Event):
    """Node `node` got no valid input in `attempts` attempts; the flow goes to its failure path."""

    kind: ClassVar[str] = "ivr.input_failed"
    call: CallId
    node: str
    attempts: int


@event
@dataclass(slots=True)
class IdentityChecked(Event):
    """The caller's identity was checked by `method` (``bound_phone`` or ``password``)."""

    kind: ClassVar[str] = "ivr.identity_checked"
    call: CallId
    method: str
    ok: bool


@event
@dataclass(slots=True)
class LookupDone(Event):
    """Lookup `lookup` ran for the call; `found` is False when it returned nothing."""

    kind: ClassVar[str] = "ivr.lookup_done"
    call: CallId
    lookup: str
    found: bool


@event
@dataclass(slots=True)
class LookupFailed(Event):
    """Lookup `lookup` could not answer for the call: `reason` ``timeout`` (no answer in
    its time) or ``error`` (its system failed); the flow took the node's `failed` branch."""

    kind: ClassVar[str] = "ivr.lookup_failed"
    call: CallId
    lookup: str
    reason: str


@event
@dataclass(slots=True)
class CallbackOffered(Event):
    """A callback was offered at `node`; `accepted` says whether the caller took it."""

    kind: ClassVar[str] = "ivr.callback_offered"
    call: CallId
    node: str
    accepted: bool


@event
@dataclass(slots=True)
class IvrAborted(Event):
    """The interpreter gave up on the call's flow at `node` (`reason`); an exit follows."""

    kind: ClassVar[str] = "ivr.aborted"
    call: CallId
    flow: str
    node: str
    reason: str


@event
@dataclass(slots=True)
class IvrStopped(Event):
    """The flow was stopped at `node` from outside (caller hung up, call taken away)."""

    kind: ClassVar[str] = "ivr.stopped"
    call: CallId
    flow: str
    node: str


@event
@dataclass(slots=True)
class IvrExited(Event):
    """The flow ended at `node`: `exit_kind` queue/callback/hangup, with its outcome."""

    kind: ClassVar[str] = "ivr.exited"
    call: CallId
    flow: str
    node: str
    exit_kind: str
    outcome: str
    queue: str | None = None


@event
@dataclass(slots=True)
class SurveyScored(Event):
    """The caller scored the service 1 (very unsatisfied) to 5 (very satisfied)."""

    kind: ClassVar[str] = "survey.scored"
    call: CallId
    agent: AgentId | None
    score: int
