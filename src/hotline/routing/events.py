"""Events of the ACD: contacts in queues, agents' states, callback tasks.

Field conventions: `call` is the call id, `queue` the queue name, `agent` the
agent's 工号; durations are seconds as floats. Every agent state change is an
`AgentStateChanged`, so the log alone reconstructs every agent's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event, event
from hotline.core.ids import AgentId, CallbackId, CallId, QueueName
from hotline.routing.model import AgentState


@event
@dataclass(slots=True)
class AgentStateChanged(Event):
    """An agent moved from `previous` to `state`; `by` names a supervisor who forced it."""

    kind: ClassVar[str] = "agent.state_changed"
    agent: AgentId
    state: AgentState
    previous: AgentState
    reason: str = ""
    call: CallId | None = None
    by: str | None = None


@event
@dataclass(slots=True)
class ContactQueued(Event):
    """A contact entered a queue; `resumed` when it took back the place it abandoned."""

    kind: ClassVar[str] = "contact.queued"
    call: CallId
    queue: QueueName
    caller: str
    tier: Tier
    list_mark: ListMark
    priority: int
    resumed: bool = False


@event
@dataclass(slots=True)
class ContactStageReached(Event):
    """A waiting contact reached an overflow stage: more agents may now take it."""

    kind: ClassVar[str] = "contact.stage_reached"
    call: CallId
    queue: QueueName
    stage: int


@event
@dataclass(slots=True)
class ContactOffered(Event):
    """The contact was offered to an agent, whose phone now rings."""

    kind: ClassVar[str] = "contact.offered"
    call: CallId
    queue: QueueName
    agent: AgentId
    waited: float


@event
@dataclass(slots=True)
class ContactRingNoAnswer(Event):
    """The offered agent did not answer in time; the contact went back to its place."""

    kind: ClassVar[str] = "contact.ring_no_answer"
    call: CallId
    queue: QueueName
    agent: AgentId
    rang: float


@event
@dataclass(slots=True)
class ContactOfferFailed(Event):
    """The agent's phone could not be rung; the contact went back to its place."""

    kind: ClassVar[str] = "contact.offer_failed"
    call: CallId
    queue: QueueName
    agent: AgentId
    reason: str


@event
@dataclass(slots=True)
class ContactAnswered(Event):
    """An agent answered: `waited` is queue time up to the answer, ringing included."""

    kind: ClassVar[str] = "contact.answered"
    call: CallId
    queue: QueueName
    agent: AgentId
    waited: float
    rang: float


@event
@dataclass(slots=True)
class ContactAbandoned(Event):
    """The caller hung up while waiting (`ringing` when an agent's phone was ringing)."""

    kind: ClassVar[str] = "contact.abandoned"
    call: CallId
    queue: QueueName
    waited: float
    ringing: bool = False
    agent: AgentId | None = None


@event
@dataclass(slots=True)
class ContactTimedOut(Event):
    """The contact waited the queue's maximum; `action` is what happens next."""

    kind: ClassVar[str] = "contact.timed_out"
    call: CallId
    queue: QueueName
    waited: float
    action: str


@event
@dataclass(slots=True)
class ContactOverflowed(Event):
    """The contact moved to another queue (maximum wait reached), keeping its arrival time."""

    kind: ClassVar[str] = "contact.overflowed"
    call: CallId
    queue: QueueName
    to_queue: QueueName
    waited: float


@event
@dataclass(slots=True)
class ContactBlocked(Event):
    """The contact was refused: the queue already held its `max_waiting` contacts."""

    kind: ClassVar[str] = "contact.blocked"
    call: CallId
    queue: QueueName
    reason: str


@event
@dataclass(slots=True)
class ContactLeft(Event):
    """The contact left the ACD without answer or abandon; `reason` says why.

    Reasons: ``lost`` (the switch no longer holds the call), ``callback`` (a
    callback accepted at the maximum wait), ``voicemail``, ``max-wait`` (hung up
    by the system at the maximum wait), or a failure the switch reported.
    """

    kind: ClassVar[str] = "contact.left"
    call: CallId
    queue: QueueName
    waited: float
    reason: str


@event
@dataclass(slots=True)
class CallHeld(Event):
    kind: ClassVar[str] = "call.held"
    call: CallId
    agent: AgentId


@event
@dataclass(slots=True)
class CallRetrieved(Event):
    kind: ClassVar[str] = "call.retrieved"
    call: CallId
    agent: AgentId
    held: float


@event
@dataclass(slots=True)
class ContactTransferred(Event):
    """The agent transferred the caller (blind) to another queue; the agent goes to wrap-up."""

    kind: ClassVar[str] = "contact.transferred"
    call: CallId
    queue: QueueName
    agent: AgentId
    to_queue: QueueName
    talk: float


@event
@dataclass(slots=True)
class ContactCompleted(Event):
    """The conversation with the agent ended: talk time and hold time (hold is within talk)."""

    kind: ClassVar[str] = "contact.completed"
    call: CallId
    queue: QueueName
    agent: AgentId
    talk: float
    hold: float
    ended_by: str


@event
@dataclass(slots=True)
class CallbackCreated(Event):
    """A callback task: the caller is to be called back by `due`."""

    kind: ClassVar[str] = "callback.created"
    task: CallbackId
    call: CallId
    caller: str
    queue: QueueName | None
    tier: Tier
    due: float
    reason: str


@event
@dataclass(slots=True)
class CallbackClosed(Event):
    """A callback task ended: `result` is reached, done, cancelled or expired, or the
    outcome a person recorded (`by`: who; None when the engine closed it)."""

    kind: ClassVar[str] = "callback.closed"
    task: CallbackId
    result: str
    by: str | None = None


@event
@dataclass(slots=True)
class ConsultStarted(Event):
    """Consult transfer (咨询转接), first step: the agent put the caller on hold and rings
    `target`, the best free agent of `to_queue` (the shift lead's queue, say)."""

    kind: ClassVar[str] = "consult.started"
    call: CallId
    queue: QueueName  # the queue the caller was answered from
    agent: AgentId  # the agent who asks
    to_queue: QueueName
    target: AgentId


@event
@dataclass(slots=True)
class ConsultAnswered(Event):
    """The consulted agent picked up: the two agents talk, the caller waits on hold."""

    kind: ClassVar[str] = "consult.answered"
    call: CallId
    agent: AgentId
    target: AgentId
    rang: float


@event
@dataclass(slots=True)
class ConsultEnded(Event):
    """The consultation is over. `outcome`: ``transferred`` (the caller now talks with
    `target`; `agent` goes to wrap-up, `talk` is its part of the conversation),
    ``cancelled`` (the agent takes the caller back), ``no_answer`` (the target's phone
    rang out) or ``call_ended`` (the caller or the agent hung up meanwhile)."""

    kind: ClassVar[str] = "consult.ended"
    call: CallId
    queue: QueueName
    agent: AgentId
    target: AgentId
    outcome: str
    talk: float
