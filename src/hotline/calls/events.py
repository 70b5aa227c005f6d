"""Call-level events: a call arrived or was placed (outbound), how it ended (one outcome),
and what the call controller tells a caller waiting in a queue (announcements)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event, event
from hotline.core.ids import AgentId, CallbackId, CallId, QueueName


class Outcome(enum.StrEnum):
    """The single outcome of every arriving contact."""

    ANSWERED = "answered"  # an agent picked up (at least once)
    ABANDONED = "abandoned"  # the caller hung up before an agent answered
    SELF_SERVED = "self_served"  # served by the IVR alone
    CALLBACK = "callback"  # turned into a callback task (offer accepted, voicemail)
    BLOCKED = "blocked"  # refused: queue full, maximum wait with hang-up, IVR failure
    NOT_REACHED = "not_reached"  # outbound: the customer did not answer (busy, no answer …)
    NOTIFIED = "notified"  # outbound: the customer heard the whole message
    DROPPED = "dropped"  # outbound: answered, no agent free in time: a message, then hung up


class Phase(enum.StrEnum):
    """Where a call is; `CallEnded.phase` says where it was when it ended."""

    IVR = "ivr"
    QUEUE = "queue"
    RINGING = "ringing"
    TALKING = "talking"
    SURVEY = "survey"
    DIALING = "dialing"  # outbound: the customer's phone rings
    MESSAGE = "message"  # outbound: the customer hears a message (notice)
    TAKEN_OVER = "taken_over"  # a supervisor took the call over (拦截) and talks with the caller
    OUTSIDE = "outside"  # the agent transferred the caller to an outside number (转外线)
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


# ---- the supervisor's telephony (班长席: `hotline.calls.supervise`) ---------------------


@event
@dataclass(slots=True)
class CallMonitorStarted(Event):
    """A supervisor's phone (`extension`, the console user `by`) answered and joined the
    call of `agent` in `mode`: ``listen`` (监听), ``whisper`` (耳语) or ``barge`` (强插)."""

    kind: ClassVar[str] = "call.monitor_started"
    call: CallId
    agent: AgentId | None
    extension: str
    by: str
    mode: str


@event
@dataclass(slots=True)
class CallMonitorModeChanged(Event):
    """The supervisor on the call switched from `previous` to `mode` (e.g. 监听 → 强插)."""

    kind: ClassVar[str] = "call.monitor_mode_changed"
    call: CallId
    extension: str
    by: str
    mode: str
    previous: str


@event
@dataclass(slots=True)
class CallMonitorEnded(Event):
    """The supervisor left the call after `duration` seconds on it: `reason` is
    ``supervisor-hung-up``, ``ended`` (from the console, by `by`), ``conversation-ended``
    (the agent hung up or transferred) or ``call-ended`` (the caller's side ended)."""

    kind: ClassVar[str] = "call.monitor_ended"
    call: CallId
    extension: str
    by: str
    reason: str
    duration: float


@event
@dataclass(slots=True)
class CallMonitorFailed(Event):
    """The supervisor's phone rung to listen in or take over was not reached (`reason`:
    ``no-answer``, ``busy``, ``rejected``, ``unreachable``), or the call had moved on
    when it answered (``call-moved-on``)."""

    kind: ClassVar[str] = "call.monitor_failed"
    call: CallId
    extension: str
    by: str
    reason: str


@event
@dataclass(slots=True)
class CallForceReleased(Event):
    """强拆: the supervisor `by` ended the conversation of `agent`; the caller is hung up and
    the agent goes to wrap-up (`contact.completed` says ``force-released``)."""

    kind: ClassVar[str] = "call.force_released"
    call: CallId
    agent: AgentId | None
    by: str


@event
@dataclass(slots=True)
class CallIntercepted(Event):
    """拦截/代答: the supervisor's phone (`extension`, user `by`) took the caller over from
    `agent` (None: nobody was rung) in `phase` ``ringing`` (the ring was cancelled:
    `contact.left` with reason ``intercepted``; queue waiting counts as ringing) or
    ``talking`` (the agent was released to wrap-up: `contact.completed` says
    ``intercepted``)."""

    kind: ClassVar[str] = "call.intercepted"
    call: CallId
    agent: AgentId | None
    extension: str
    by: str
    phase: str


@event
@dataclass(slots=True)
class VoicemailRecorded(Event):
    """The caller of `call` left a message for callback task `task`.

    `file` is the WAV's name in the recordings folder (None when no audio was kept: the
    simulated switch, or no recordings folder); `simulated` says the message is a length
    on the simulator's clock, not audio."""

    kind: ClassVar[str] = "voicemail.recorded"
    call: CallId
    task: CallbackId
    file: str | None
    seconds: float
    ended_by: str
    simulated: bool


# ---- an outside party for the agent (`hotline.calls.outside`) ---------------------------


@event
@dataclass(slots=True)
class CallOutsideDialed(Event):
    """The agent on the call dialed the outside `number` (a department's duty phone); the
    caller is on hold."""

    kind: ClassVar[str] = "call.outside_dialed"
    call: CallId
    agent: AgentId | None
    number: str


@event
@dataclass(slots=True)
class CallOutsideAnswered(Event):
    """The outside number answered after ringing `rang` seconds; the agent talks with it."""

    kind: ClassVar[str] = "call.outside_answered"
    call: CallId
    number: str
    rang: float


@event
@dataclass(slots=True)
class CallOutsideFailed(Event):
    """The outside number was not reached: `reason` is ``no-answer``, ``busy``,
    ``rejected`` or ``unreachable``; the caller stays on hold with the agent."""

    kind: ClassVar[str] = "call.outside_failed"
    call: CallId
    number: str
    reason: str


@event
@dataclass(slots=True)
class CallConferenceStarted(Event):
    """三方通话: the caller, the agent and the outside party talk together."""

    kind: ClassVar[str] = "call.conference_started"
    call: CallId
    agent: AgentId | None
    number: str


@event
@dataclass(slots=True)
class CallOutsideTransferred(Event):
    """转外线 completed: the agent left (to wrap-up, `contact.completed` ``transferred-out``);
    the caller talks with the outside party (phase ``outside``)."""

    kind: ClassVar[str] = "call.outside_transferred"
    call: CallId
    agent: AgentId | None
    number: str


@event
@dataclass(slots=True)
class CallOutsideEnded(Event):
    """The outside party left the call: `reason` is ``cancelled`` (by the agent),
    ``outside-hung-up``, ``conversation-ended`` (the agent's conversation ended) or
    ``call-ended``; `talk` is the seconds since it answered (0 if it never did)."""

    kind: ClassVar[str] = "call.outside_ended"
    call: CallId
    number: str
    reason: str
    talk: float
