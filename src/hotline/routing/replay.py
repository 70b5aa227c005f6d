"""Rebuild the ACD's picture from its event log alone: agents' states and live contacts.

The log is the truth: folding `AgentStateChanged` gives every agent's state,
reason and call at any point; folding the contact events gives which calls
wait in which queue and which are with which agent. This serves the
wallboard after a restart, audits (is the log consistent?) and the engine's
own recovery (`ACD.restore`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.errors import RoutingError
from hotline.routing.events import (
    AgentStateChanged,
    CallHeld,
    CallRetrieved,
    ConsultEnded,
    ContactAbandoned,
    ContactAnswered,
    ContactBlocked,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import AgentState


class InconsistentLogError(RoutingError):
    """The log contradicts itself (an agent leaves a state it was not in)."""

    error_id = "inconsistent-event-log"


@dataclass(slots=True)
class AgentSnapshot:
    state: AgentState
    reason: str
    call: CallId | None
    since: float


@dataclass(slots=True)
class ContactSnapshot:
    """A contact still in the ACD: waiting (agent None), ringing, talking or on hold."""

    call: CallId
    queue: QueueName
    caller: str
    tier: Tier
    list_mark: ListMark
    priority: int
    queued_at: float  # first time queued: its place in line
    stage: str = "waiting"  # waiting | ringing | talking | hold | aside (at its maximum wait)
    agent: AgentId | None = None
    answered_at: float = 0.0


@dataclass
class AcdPicture:
    agents: dict[AgentId, AgentSnapshot]
    contacts: dict[CallId, ContactSnapshot]
    last_queue: dict[AgentId, QueueName]  # queue of each agent's last call (its wrap-up time)


_GONE = (ContactAbandoned, ContactCompleted, ContactTransferred, ContactLeft)


def replay(events: Iterable[Event], *, strict: bool = True) -> AcdPicture:
    """Fold events into agents' states and live contacts.

    With ``strict``, an `AgentStateChanged` whose `previous` is not the state
    the log last gave that agent raises `InconsistentLogError`.
    """
    agents: dict[AgentId, AgentSnapshot] = {}
    contacts: dict[CallId, ContactSnapshot] = {}
    last_queue: dict[AgentId, QueueName] = {}
    for e in events:
        if isinstance(e, AgentStateChanged):
            known = agents.get(e.agent)
            before = known.state if known is not None else AgentState.LOGGED_OUT
            if strict and before is not e.previous:
                raise InconsistentLogError(
                    f"at {e.at}: agent {e.agent} leaves {e.previous.value} but the log has it "
                    f"{before.value}",
                    agent=e.agent,
                )
            agents[e.agent] = AgentSnapshot(e.state, e.reason, e.call, e.at)
        elif isinstance(e, ContactQueued):
            old = contacts.get(e.call)
            queued_at = e.at if old is None else min(old.queued_at, e.at)
            contacts[e.call] = ContactSnapshot(
                e.call, e.queue, e.caller, e.tier, e.list_mark, e.priority, queued_at
            )
        elif isinstance(e, ContactOffered):
            c = contacts[e.call]
            c.stage, c.agent = "ringing", e.agent
        elif isinstance(e, (ContactRingNoAnswer, ContactOfferFailed)):
            c = contacts[e.call]
            c.stage, c.agent = "waiting", None
        elif isinstance(e, ContactAnswered):
            c = contacts[e.call]
            c.stage, c.answered_at = "talking", e.at
        elif isinstance(e, CallHeld):
            contacts[e.call].stage = "hold"
        elif isinstance(e, CallRetrieved):
            contacts[e.call].stage = "talking"
        elif isinstance(e, ContactOverflowed):
            contacts[e.call].queue = e.to_queue
        elif isinstance(e, ContactTimedOut):
            if e.action != "overflow":
                contacts[e.call].stage = "aside"
        elif isinstance(e, _GONE):
            if isinstance(e, (ContactCompleted, ContactTransferred)):
                last_queue[e.agent] = e.queue
            contacts.pop(e.call, None)
        elif isinstance(e, ContactBlocked):
            contacts.pop(e.call, None)
        elif isinstance(e, ConsultEnded) and e.outcome == "transferred":
            c = contacts[e.call]  # the caller now talks with the consulted agent
            c.agent, c.stage, c.answered_at = e.target, "talking", e.at
            last_queue[e.agent] = e.queue
    return AcdPicture(agents, contacts, last_queue)
