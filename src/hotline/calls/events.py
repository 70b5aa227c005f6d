"""Call-level events: a call arrived or was placed (outbound), how it ended (one outcome),
and what the call controller tells a caller waiting in a queue (announcements)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event, event
from hotline.core.ids import AgentId, CallId, QueueName


class Outcome(enum.StrEnum):
    """The single outcome of every arriving contact."""

    ANSWERED = "answered"  # an agent picked up (at least once)
    ABANDONED = "abandoned"  # the caller hung up before an agent answered
    SELF_SERVED = "self_served"  # served by the IVR alone
    CALLBACK = "callback"  # turned into a callback task (offer accepted, voicemail)
    BLOCKED = "blocked"  # refused: queue full, maximum wait with hang-up, IVR failure
    NOT_REACHED = "not_reached"  # outbound: the customer did not answer (busy, no answer …)
    NOTIFIED = "notified"  # outbound: the customer heard the whole message


class Phase(enum.StrEnum):
    """Where a call is; `CallEnded.phase` says where it was when it ended."""

    IVR = "ivr"
    QUEUE = "queue"
    RINGING = "ringing"
    TALKING = "talking"
    SURVEY = "survey"
    DIALING = "dialing"  # outbound: the customer's phone rings
    MESSAGE = "message"  # outbound: the customer hears a message (notice)
    CLOSING = "closing"  # the system is hanging up


class Direction(enum.StrEnum):
    """Who placed the call: the customer (`inbound`) or the hotline (`outbound`)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


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
    """The call is over: its outcome, the phase it ended in, who hung up, total duration
    (from arrival, or from the start of dialing for an outbound call), its direction."""

    kind: ClassVar[str] = "call.ended"
    call: CallId
    outcome: Outcome
    phase: Phase
    by: str
    duration: float
    direction: Direction = Direction.INBOUND


@event
@dataclass(slots=True)
class CallOriginated(Event):
    """The hotline started calling a customer: what happens once the customer answers
    (`action`: ``queue`` with the queue as `target` and maybe the `agent` rung first, or
    ``message`` with the prompt)."""

    kind: ClassVar[str] = "call.originated"
    call: CallId
    number: str
    caller_id: str
    action: str
    target: str
    tier: Tier
    list_mark: ListMark
    agent: AgentId | None = None


@event
@dataclass(slots=True)
class CallOutboundAnswered(Event):
    """The called customer picked up after ringing `rang` seconds."""

    kind: ClassVar[str] = "call.outbound_answered"
    call: CallId
    number: str
    rang: float


@event
@dataclass(slots=True)
class CallOutboundFailed(Event):
    """The called customer was not reached: `reason` is ``no-answer``, ``busy``,
    ``rejected``, ``unreachable``, or ``cancelled`` / ``lost`` when the hotline gave up."""

    kind: ClassVar[str] = "call.outbound_failed"
    call: CallId
    number: str
    reason: str
    rang: float


@event
@dataclass(slots=True)
class CallDisposition(Event):
    """The agent closed the call in wrap-up (事后处理) with a disposition code and a note."""

    kind: ClassVar[str] = "call.disposition"
    call: CallId
    agent: AgentId
    disposition: str
    note: str


@event
@dataclass(slots=True)
class ContactAnnounced(Event):
    """A caller waiting in `queue` heard an announcement (排队播报): `ahead`, the callers
    the queue serves before it (None when the queue does not announce the position), and
    `wait_minutes`, the estimated wait read (None when it does not announce the wait)."""

    kind: ClassVar[str] = "contact.announced"
    call: CallId
    queue: QueueName
    ahead: int | None
    wait_minutes: int | None
