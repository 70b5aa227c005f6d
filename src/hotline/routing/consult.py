"""Consult transfer (咨询转接): ask a colleague first, then hand the caller over.

The agent in conversation puts the caller on hold and rings the best free agent
of a queue (the shift lead's, say: SPEC §2 sends hard cases to the 值班长). When
that agent answers, the two talk while the caller waits; the first agent then
either completes the transfer (the caller now talks with the colleague, the
first agent goes to wrap-up) or cancels it (the colleague is free again, the
caller stays on hold with the first agent, who takes the call back).

The consulted agent is taken only when free now (ready, in one of the queue's
open stages): a consultation is not queued. Its phone rings for the queue's
ring timeout; ringing out sets it not ready ("missed"), as an ordinary offer
does. If the caller or the first agent hangs up meanwhile, the consultation
ends and the colleague is free again.

`ConsultDesk` is the consult half of the ACD (`routing.acd.ACD` derives from
it), as `AgentBook` is its agent half.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hotline.core.clock import Clock, TimerHandle
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.errors import InvalidContactTransitionError, NoAgentFreeError
from hotline.routing.events import ConsultAnswered, ConsultEnded, ConsultStarted
from hotline.routing.model import AgentState, NotReadyReason
from hotline.routing.ports import CallControl
from hotline.routing.queue import Agent, CallQueue, Contact, ContactState


@dataclass(slots=True)
class Consult:
    """One consultation in progress: who asks, who is consulted, since when."""

    call: CallId
    agent: Agent
    target: Agent
    to_queue: QueueName
    started: float
    answered_at: float | None = None
    ring_timer: TimerHandle | None = None


class ConsultDesk:
    """Consultations of one ACD, keyed by the caller's call."""

    _clock: Clock
    _publish: Callable[[Event], None]
    _control: CallControl
    consults: dict[CallId, Consult]

    # provided by the ACD and its agent half
    def contact(self, call: CallId) -> Contact:
        raise NotImplementedError

    def queue(self, name: QueueName) -> CallQueue:
        raise NotImplementedError

    def hold(self, call: CallId) -> None:
        raise NotImplementedError

    def _change(
        self,
        agent: Agent,
        state: AgentState,
        reason: str = "",
        *,
        call: CallId | None = None,
        by: str | None = None,
    ) -> None:
        raise NotImplementedError

    def _after_call(self, agent: Agent) -> None:
        raise NotImplementedError

    def _wrap_up(self, agent: Agent, contact: Contact) -> None:
        raise NotImplementedError

    # ---- the agent's commands -------------------------------------------------------------

    def consult(self, call: CallId, to_queue: QueueName) -> AgentId:
        """Put the caller on hold and ring the best free agent of `to_queue`; its 工号."""
        contact = self.contact(call)
        queue = self.queue(to_queue)
        if contact.state is not ContactState.TALKING and contact.state is not ContactState.HOLD:
            raise InvalidContactTransitionError(f"call {call} is not in conversation", call=call)
        if call in self.consults:
            raise InvalidContactTransitionError(
                f"call {call} is already in a consultation", call=call
            )
        agent = contact.agent
        assert agent is not None
        target = None
        for index in queue.indexes:
            candidate = index.best()
            if candidate is not None and candidate is not agent:
                index.chosen(candidate)
                target = candidate
                break
        if target is None:
            raise NoAgentFreeError(
                f"no agent of queue {to_queue!r} is free to consult now", queue=to_queue
            )
        if contact.state is ContactState.TALKING:
            self.hold(call)
        now = self._clock.now()
        consult = Consult(call, agent, target, queue.name, now)
        self.consults[call] = consult
        self._publish(
            ConsultStarted(now, call, contact.queue.name, agent.id, queue.name, target.id)
        )
        self._change(target, AgentState.RINGING, call=call)
        timeout = queue.spec.ring_timeout
        consult.ring_timer = self._clock.call_later(timeout, self._consult_rang_out, consult)
        self._control.ring_consult(call, target.id, timeout)
        return target.id

    def consult_answered(self, call: CallId) -> None:
        """The consulted agent picked up (reported by the call side)."""
        consult = self.consults.get(call)
        if consult is None or consult.answered_at is not None:
            return  # the consultation ended while the answer was on its way
        now = self._clock.now()
        self._clock.cancel(consult.ring_timer)
        consult.ring_timer = None
        consult.answered_at = now
        self._publish(
            ConsultAnswered(now, call, consult.agent.id, consult.target.id, now - consult.started)
        )
        self._change(consult.target, AgentState.TALKING, call=call)

    def complete_consult(self, call: CallId) -> AgentId:
        """Hand the caller over to the consulted agent; the asking agent goes to wrap-up."""
        consult = self.consults.get(call)
        if consult is None or consult.answered_at is None:
            raise InvalidContactTransitionError(
                f"call {call} has no answered consultation to complete", call=call
            )
        contact = self.contact(call)
        del self.consults[call]
        now = self._clock.now()
        agent, target = consult.agent, consult.target
        if contact.state is ContactState.HOLD:
            contact.hold_total += now - contact.held_at
        talk = now - contact.answered_at
        agent.contact = None
        agent.calls_today += 1
        agent.talk_today += talk
        self._publish(
            ConsultEnded(now, call, contact.queue.name, agent.id, target.id, "transferred", talk)
        )
        self._wrap_up(agent, contact)
        contact.agent = target
        contact.state = ContactState.TALKING
        contact.answered_at = now
        contact.hold_total = 0.0
        target.contact = contact
        return target.id

    def cancel_consult(self, call: CallId) -> None:
        """End the consultation; the caller stays on hold with the asking agent."""
        consult = self.consults.get(call)
        if consult is None:
            raise InvalidContactTransitionError(f"call {call} has no consultation", call=call)
        self._end_consult(consult, "cancelled")

    # ---- the ACD's own ends ----------------------------------------------------------------

    def _consult_rang_out(self, consult: Consult) -> None:
        consult.ring_timer = None
        if self.consults.get(consult.call) is not consult or consult.answered_at is not None:
            return
        del self.consults[consult.call]
        target = consult.target
        self._control.drop_consult(consult.call, target.id)
        self._published_end(consult, "no_answer")
        pending = target.pending
        target.pending = None
        if pending is not None and pending[0] is not AgentState.READY:
            self._change(target, pending[0], pending[1], by=pending[2])
        else:
            self._change(target, AgentState.NOT_READY, NotReadyReason.MISSED.value, call=None)

    def _drop_consult(self, call: CallId) -> None:
        """The caller's conversation is ending (a hang-up, a blind transfer): free the colleague."""
        consult = self.consults.get(call)
        if consult is not None:
            self._end_consult(consult, "call_ended")

    def _end_consult(self, consult: Consult, outcome: str) -> None:
        del self.consults[consult.call]
        self._clock.cancel(consult.ring_timer)
        consult.ring_timer = None
        self._control.drop_consult(consult.call, consult.target.id)
        self._published_end(consult, outcome)
        self._after_call(consult.target)  # a consultation has no wrap-up of its own

    def _published_end(self, consult: Consult, outcome: str) -> None:
        now = self._clock.now()
        contact = consult.agent.contact
        queue = contact.queue.name if contact is not None else consult.to_queue
        self._publish(
            ConsultEnded(
                now, consult.call, queue, consult.agent.id, consult.target.id, outcome, 0.0
            )
        )
