"""Call-level events: a call arrived, and how it ended (its one outcome)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event, event
from hotline.core.ids import AgentId, CallId


class Outcome(enum.StrEnum):
    """The single outcome of every arriving contact."""

    ANSWERED = "answered"  # an agent picked up (at least once)
    ABANDONED = "abandoned"  # the caller hung up before an agent answered
    SELF_SERVED = "self_served"  # served by the IVR alone
    CALLBACK = "callback"  # turned into a callback task (offer accepted, voicemail)
    BLOCKED = "blocked"  # refused: queue full, maximum wait with hang-up, IVR failure


class Phase(enum.StrEnum):
    """Where a call is; `CallEnded.phase` says where it was when it ended."""

    IVR = "ivr"
    QUEUE = "queue"
    RINGING = "ringing"
    TALKING = "talking"
    SURVEY = "survey"
    CLOSING = "closing"  # the system is hanging up


@event
@dataclass(slots=True)
class CallArrived(Event):
    """An inbound call reached the hotline; tier and list come from the customer lookup."""

    kind: ClassVar[str] = "call.arrived"
    call: CallId
    caller: str
    dialed: str
    tier: Tier
    list_mark: ListMark


@event
@dataclass(slots=True)
class CallEnded(Event):
    """The call is over: its outcome, the phase it ended in, who hung up, total duration."""

    kind: ClassVar[str] = "call.ended"
    call: CallId
    outcome: Outcome
    phase: Phase
    by: str
    duration: float


@event
@dataclass(slots=True)
class CallDisposition(Event):
    """The agent closed the call in wrap-up (事后处理) with a disposition code and a note."""

    kind: ClassVar[str] = "call.disposition"
    call: CallId
    agent: AgentId
    disposition: str
    note: str
