"""The ACD (automatic call distributor): matches waiting contacts with ready agents.

Rules, in the words users configure them with:
- a queue serves its contacts strictly in order: highest priority first (VIP at
  the head, red list above ordinary, black list last), first come first served
  within a priority; only the head of a queue is ever offered;
- a contact may be taken by the agents of every stage it has reached; agents of
  an earlier stage are preferred, and among them the queue's strategy chooses;
- an agent who becomes ready takes the best head among the queues it serves
  (highest priority, then earliest position);
- an offered agent who does not answer within the queue's ring timeout is set
  not ready ("missed") and the contact goes back to its place.

Agent states that depend on a call (ringing, talking, hold) change only with
that call: an agent cannot be left ringing for a contact that is gone, and one
agent has one wrap-up whatever the number of queues it serves.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Callable, Collection, Iterable

from hotline.core.clock import Clock, TimerHandle
from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.agents import AgentBook
from hotline.routing.callback import CallbackList
from hotline.routing.consult import Consult, ConsultDesk
from hotline.routing.errors import (
    InvalidContactTransitionError,
    RoutingError,
    UnknownContactError,
    UnknownQueueError,
)
from hotline.routing.events import (
    CallHeld,
    CallRetrieved,
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
    ContactStageReached,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import (
    CALL_STATES,
    AgentProfile,
    AgentState,
    MaxWaitAction,
    NotReadyReason,
    QueueSpec,
    TierPolicy,
)
from hotline.routing.ports import CallControl
from hotline.routing.queue import Agent, CallQueue, Contact, ContactState, IdleIndex
from hotline.routing.replay import AcdPicture

READY = AgentState.READY
_SETTABLE = {AgentState.READY, AgentState.NOT_READY, AgentState.AWAY, AgentState.LOGGED_OUT}


def _takes_preferred(agent: Agent) -> bool:
    """Whether a contact that names `agent` rings it at once: ready, or waiting for the
    customer it dialled itself (预览式外呼)."""
    if agent.state is READY:
        return True
    return agent.state is AgentState.NOT_READY and agent.reason == NotReadyReason.OUTBOUND


class _Unattached:
    """Stands in until `ACD.attach`: any use is a wiring mistake, reported as such."""

    def _fail(self, *args: object) -> None:
        raise RoutingError("the ACD has no call control attached (call ACD.attach first)")

    ring = cancel_ring = max_wait_reached = ring_consult = drop_consult = _fail


class ACD(AgentBook, ConsultDesk):
    """Queues, agents and the matching between them, on one clock."""

    def __init__(
        self,
        *,
        clock: Clock,
        publish: Callable[[Event], None],
        queues: Iterable[QueueSpec],
        agents: Iterable[AgentProfile],
        control: CallControl | None = None,
        tiers: TierPolicy | None = None,
        timezone: datetime.tzinfo | None = None,
    ) -> None:
        self._clock = clock
        self._publish = publish
        self._control: CallControl = control if control is not None else _Unattached()
        self.tiers = tiers or TierPolicy()
        self.queues: dict[QueueName, CallQueue] = {}
        self.agents: dict[AgentId, Agent] = {}
        self._contacts: dict[CallId, Contact] = {}
        self.consults: dict[CallId, Consult] = {}
        self._indexes: dict[tuple[object, ...], IdleIndex] = {}
        self.callbacks = CallbackList(publish)
        # caller and queue of recent abandons -> their place, for resuming it
        self._abandoned: dict[tuple[str, QueueName], tuple[float, float]] = {}
        self._abandoned_order: deque[tuple[float, tuple[str, QueueName]]] = deque()
        for spec in queues:
            queue = CallQueue(spec)
            for stage in spec.stages:
                key = (stage.selector, spec.strategy)
                index = self._indexes.get(key)
                if index is None:
                    index = self._indexes[key] = IdleIndex(stage.selector, spec.strategy)
                queue.indexes.append(index)
            self.queues[spec.name] = queue
        for queue in self.queues.values():
            target = queue.spec.overflow_to
            if target is not None and target not in self.queues:
                raise UnknownQueueError(
                    f"queue {queue.name!r} overflows to unknown queue {target!r}", queue=target
                )
        now = clock.now()
        for ordinal, profile in enumerate(agents):
            self._add_agent(profile, ordinal, now)
        self._timezone = timezone
        self._daily_timer: TimerHandle | None = None
        if timezone is not None:
            self._schedule_daily_reset()

    def attach(self, control: CallControl) -> None:
        """Give the ACD the call control it rings agents through (built after the ACD)."""
        self._control = control

    # ---- contacts -----------------------------------------------------------------------

    def queue(self, name: QueueName) -> CallQueue:
        queue = self.queues.get(name)
        if queue is None:
            raise UnknownQueueError(f"no queue named {name!r}", queue=name)
        return queue

    def contact(self, call: CallId) -> Contact:
        contact = self._contacts.get(call)
        if contact is None:
            raise UnknownContactError(f"call {call!r} is not in the ACD", call=call)
        return contact

    def has_contact(self, call: CallId) -> bool:
        return call in self._contacts

    def enqueue(
        self,
        call: CallId,
        queue_name: QueueName,
        *,
        caller: str,
        tier: Tier = Tier.ORDINARY,
        list_mark: ListMark = ListMark.NONE,
        position: float | None = None,
        prefer: AgentId | None = None,
    ) -> bool:
        """Put a contact in a queue; False when the queue refused it (a blocked contact).

        ``position`` keeps an earlier place of the same call (its wait counts from
        there); a caller who abandoned this queue within its resume window gets
        the old place back (and a wait counted from now: it is a new call).
        ``prefer`` names an agent rung at once if ready (a callback's own agent), or
        not ready because it dialled this customer itself (`NotReadyReason.OUTBOUND`, 预览式
        外呼); otherwise, or when that agent does not answer, the queue serves the contact.
        """
        if call in self._contacts:
            raise InvalidContactTransitionError(f"call {call} is already in queue", call=call)
        queue = self.queue(queue_name)
        spec = queue.spec
        now = self._clock.now()
        if spec.max_waiting is not None and queue.size >= spec.max_waiting:
            self._publish(ContactBlocked(now, call, queue.name, "queue-full"))
            return False
        if spec.fixed_priority is not None and list_mark is not ListMark.BLACK:
            priority = spec.fixed_priority
        else:
            priority = self.tiers.priority(tier, list_mark)
        resumed = False
        kept = position is not None
        if position is None:
            position = now
            if spec.resume_abandoned_within > 0:
                place = self._abandoned.pop((caller, queue.name), None)
                if place is not None and place[1] >= now:
                    position, resumed = place[0], True
        contact = Contact(call, caller, tier, list_mark, queue, priority, now, position)
        if kept:
            contact.first_queued_at = position  # the same caller, still waiting
        self._contacts[call] = contact
        queue.push(contact)
        self._publish(
            ContactQueued(now, call, queue.name, caller, tier, list_mark, priority, resumed)
        )
        agent = self.agents.get(prefer) if prefer is not None else None
        if agent is not None and agent.contact is None and _takes_preferred(agent):
            self._arm(contact)
            self._offer(contact, agent)
            return True
        self._take_place(contact)
        return True

    def abandon(self, call: CallId) -> None:
        """The caller hung up. Ends the conversation instead if an agent had answered."""
        contact = self._contacts.get(call)
        if contact is None:
            return
        if contact.state is ContactState.TALKING or contact.state is ContactState.HOLD:
            self.end_call(call, ended_by="caller")
            return
        now = self._clock.now()
        queue = contact.queue
        ringing = contact.state is ContactState.OFFERED
        agent = contact.agent.id if ringing and contact.agent is not None else None
        waited = now - contact.first_queued_at
        self._leave(contact, ContactAbandoned(now, call, queue.name, waited, ringing, agent))
        self._remember_abandon(contact, now)
        if contact.tier in self.tiers.callback_tiers:
            self.callbacks.create(
                now=now,
                call=call,
                caller=contact.caller,
                queue=queue.name,
                tier=contact.tier,
                within=self.tiers.callback_within,
                reason="abandoned",
            )

    def withdraw(self, call: CallId, reason: str) -> None:
        """Take a contact out of the ACD without an abandon: the call was lost, or the caller
        set aside at its maximum wait took a callback or left a voicemail (`reason` says which)."""
        contact = self._contacts.get(call)
        if contact is None:
            return
        if contact.state is ContactState.TALKING or contact.state is ContactState.HOLD:
            self.end_call(call, ended_by=reason)
            return
        now = self._clock.now()
        waited = now - contact.first_queued_at
        self._leave(contact, ContactLeft(now, call, contact.queue.name, waited, reason))

    def _leave(self, contact: Contact, event: Event) -> None:
        """Take a contact no agent talks to out of the ACD and publish `event`.

        A waiting contact leaves its line (the next head is served); an offered
        one stops ringing its agent, who is free again; one set aside just goes.
        """
        del self._contacts[contact.call]
        self._clock.cancel(contact.timer)
        queue = contact.queue
        state = contact.state
        was_head = False
        if state is ContactState.QUEUED:
            was_head = queue.head() is contact
            queue.take(contact)
        contact.state = ContactState.DONE
        agent = contact.agent if state is ContactState.OFFERED else None
        if agent is not None:
            self._clock.cancel(contact.ring_timer)
            self._control.cancel_ring(contact.call, agent.id)
        self._publish(event)
        if agent is not None:
            self._after_call(agent)
        elif was_head:
            self._serve_head(queue)

    def requeue(self, call: CallId) -> None:
        """Put a contact set aside at its maximum wait back in its place (offer declined).

        Its wait keeps counting from its first queueing; the stages and the
        maximum wait start again from now.
        """
        contact = self.contact(call)
        if contact.state is not ContactState.ASIDE:
            raise InvalidContactTransitionError(f"call {call} was not set aside", call=call)
        queue = contact.queue
        now = self._clock.now()
        contact.entered_at = now
        contact.stage = 0
        queue.push(contact)
        self._publish(
            ContactQueued(
                now,
                call,
                queue.name,
                contact.caller,
                contact.tier,
                contact.list_mark,
                contact.priority,
                False,
            )
        )
        self._take_place(contact)

    def answered(self, call: CallId) -> None:
        """The offered agent picked up: the conversation starts."""
        contact = self.contact(call)
        if contact.state is not ContactState.OFFERED:
            raise InvalidContactTransitionError(
                f"call {call} is {contact.state.name.lower()}, not ringing an agent", call=call
            )
        agent = contact.agent
        assert agent is not None
        now = self._clock.now()
        self._clock.cancel(contact.ring_timer)
        self._clock.cancel(contact.timer)
        contact.ring_timer = contact.timer = None
        contact.state = ContactState.TALKING
        contact.answered_at = now
        self._publish(
            ContactAnswered(
                now,
                call,
                contact.queue.name,
                agent.id,
                now - contact.first_queued_at,
                now - contact.offered_at,
            )
        )
        self._change(agent, AgentState.TALKING, call=call)
        self.callbacks.caller_reached(contact.caller, now=now)

    def offer_failed(self, call: CallId, reason: str) -> None:
        """The agent's phone could not be rung: the agent is set not ready, the contact requeued."""
        contact = self.contact(call)
        if contact.state is not ContactState.OFFERED:
            return  # a late report about an offer already withdrawn
        agent = contact.agent
        assert agent is not None
        self._clock.cancel(contact.ring_timer)
        now = self._clock.now()
        self._publish(ContactOfferFailed(now, call, contact.queue.name, agent.id, reason))
        self._missed(agent, contact, NotReadyReason.UNREACHABLE)

    def _ring_timeout(self, contact: Contact) -> None:
        contact.ring_timer = None
        if contact.state is not ContactState.OFFERED:
            return
        agent = contact.agent
        assert agent is not None
        now = self._clock.now()
        self._control.cancel_ring(contact.call, agent.id)
        self._publish(
            ContactRingNoAnswer(
                now, contact.call, contact.queue.name, agent.id, now - contact.offered_at
            )
        )
        self._missed(agent, contact, NotReadyReason.MISSED)

    def _missed(self, agent: Agent, contact: Contact, reason: NotReadyReason) -> None:
        agent.contact = None
        pending = agent.pending
        agent.pending = None
        if pending is not None and pending[0] is not READY:
            self._change(agent, pending[0], pending[1], by=pending[2])  # asked for meanwhile
        else:
            self._change(agent, AgentState.NOT_READY, reason.value, call=contact.call)
        contact.agent = None
        contact.queue.push(contact)  # same priority and position: its old place
        self._take_place(contact)

    def hold(self, call: CallId) -> None:
        contact = self.contact(call)
        if contact.state is not ContactState.TALKING:
            raise InvalidContactTransitionError(f"call {call} is not in conversation", call=call)
        agent = contact.agent
        assert agent is not None
        now = self._clock.now()
        contact.state = ContactState.HOLD
        contact.held_at = now
        self._publish(CallHeld(now, call, agent.id))
        self._change(agent, AgentState.HOLD, call=call)

    def retrieve(self, call: CallId) -> None:
        """Take the held caller back; a consultation in progress is cancelled."""
        contact = self.contact(call)
        if contact.state is not ContactState.HOLD:
            raise InvalidContactTransitionError(f"call {call} is not on hold", call=call)
        consult = self.consults.get(call)
        if consult is not None:
            self._end_consult(consult, "cancelled")
        agent = contact.agent
        assert agent is not None
        now = self._clock.now()
        held = now - contact.held_at
        contact.hold_total += held
        contact.state = ContactState.TALKING
        self._publish(CallRetrieved(now, call, agent.id, held))
        self._change(agent, AgentState.TALKING, call=call)

    def end_call(self, call: CallId, *, ended_by: str) -> None:
        """The conversation ended (either side hung up): the agent goes to wrap-up."""
        contact = self.contact(call)
        if contact.state is not ContactState.TALKING and contact.state is not ContactState.HOLD:
            raise InvalidContactTransitionError(f"call {call} is not in conversation", call=call)
        self._drop_consult(call)
        now = self._clock.now()
        agent = self._finish_talk(contact, now)
        self._publish(
            ContactCompleted(
                now,
                call,
                contact.queue.name,
                agent.id,
                now - contact.answered_at,
                contact.hold_total,
                ended_by,
            )
        )
        self._wrap_up(agent, contact)

    def transfer(self, call: CallId, to_queue: QueueName) -> bool:
        """Blind transfer (盲转) of a caller in conversation to another queue.

        The agent goes to wrap-up; the caller enters `to_queue` as a new contact.
        Returns False when that queue refused it (then the caller is blocked).
        """
        contact = self.contact(call)
        target = self.queue(to_queue)
        if contact.state is not ContactState.TALKING and contact.state is not ContactState.HOLD:
            raise InvalidContactTransitionError(f"call {call} is not in conversation", call=call)
        self._drop_consult(call)
        now = self._clock.now()
        agent = self._finish_talk(contact, now)
        self._publish(
            ContactTransferred(
                now, call, contact.queue.name, agent.id, target.name, now - contact.answered_at
            )
        )
        self._wrap_up(agent, contact)
        return self.enqueue(
            call, target.name, caller=contact.caller, tier=contact.tier, list_mark=contact.list_mark
        )

    def _finish_talk(self, contact: Contact, now: float) -> Agent:
        if contact.state is ContactState.HOLD:
            contact.hold_total += now - contact.held_at
        contact.state = ContactState.DONE
        del self._contacts[contact.call]
        agent = contact.agent
        assert agent is not None
        agent.contact = None
        agent.calls_today += 1
        agent.talk_today += now - contact.answered_at
        return agent

    def _wrap_up(self, agent: Agent, contact: Contact) -> None:
        wrap = contact.queue.spec.wrap_up
        if wrap > 0:
            self._change(agent, AgentState.WRAP_UP, call=contact.call)
            agent.timer = self._clock.call_later(wrap, self._wrap_up_done, agent)
        else:
            self._after_call(agent)

    # ---- matching -----------------------------------------------------------------------

    def _best_contact_for(self, agent: Agent) -> Contact | None:
        best: Contact | None = None
        for queue, stage in agent.serves:
            head = queue.head()
            if head is None or head.stage < stage:
                continue
            if best is None or (-head.priority, head.position) < (-best.priority, best.position):
                best = head
        return best

    def _serve_head(self, queue: CallQueue) -> None:
        """Offer the head of `queue`, then each new head, to the best ready agent of its
        open stages, until a head finds none (or the queue is empty)."""
        indexes = queue.indexes
        while (head := queue.head()) is not None:
            for stage in range(head.stage + 1):
                index = indexes[stage]
                agent = index.best()
                if agent is not None:
                    index.chosen(agent)
                    self._offer(head, agent)
                    break
            else:
                return

    def _offer(self, contact: Contact, agent: Agent) -> None:
        queue = contact.queue
        queue.take(contact)
        now = self._clock.now()
        contact.state = ContactState.OFFERED
        contact.agent = agent
        contact.offered_at = now
        agent.contact = contact
        self._publish(
            ContactOffered(now, contact.call, queue.name, agent.id, now - contact.first_queued_at)
        )
        self._change(agent, AgentState.RINGING, call=contact.call)
        timeout = queue.spec.ring_timeout
        contact.ring_timer = self._clock.call_later(timeout, self._ring_timeout, contact)
        self._control.ring(contact.call, agent.id, timeout)

    def _take_place(self, contact: Contact) -> None:
        """A contact just pushed into its queue: time its stages and serve it if it is head."""
        self._arm(contact)
        queue = contact.queue
        if queue.head() is contact:
            self._serve_head(queue)

    def _arm(self, contact: Contact) -> None:
        """Schedule the contact's next stage or its maximum wait, whichever comes first.

        The timer carries what it is for (a stage index, or -1 for the maximum
        wait): recomputing it from the clock would be at the mercy of rounding.
        """
        spec = contact.queue.spec
        stages = spec.stages
        due: float | None = None
        what = -1
        if contact.stage + 1 < len(stages):
            due = contact.entered_at + stages[contact.stage + 1].after
            what = contact.stage + 1
        if spec.max_wait is not None:
            limit = contact.entered_at + spec.max_wait
            if due is None or limit <= due:
                due, what = limit, -1
        self._clock.cancel(contact.timer)
        contact.timer = (
            None if due is None else self._clock.call_at(due, self._contact_due, contact, what)
        )

    def _contact_due(self, contact: Contact, what: int) -> None:
        contact.timer = None
        if contact.state is not ContactState.QUEUED:
            return  # offered: `_missed` re-arms it if the offer fails
        if what < 0:
            self._max_wait(contact, self._clock.now())
            return
        queue = contact.queue
        contact.stage = what
        self._publish(ContactStageReached(self._clock.now(), contact.call, queue.name, what))
        self._take_place(contact)

    def _max_wait(self, contact: Contact, now: float) -> None:
        queue = contact.queue
        spec = queue.spec
        was_head = queue.head() is contact
        queue.take(contact)
        waited = now - contact.first_queued_at
        action = spec.on_max_wait
        self._publish(ContactTimedOut(now, contact.call, queue.name, waited, action.value))
        if action is MaxWaitAction.OVERFLOW and spec.overflow_to is not None:
            target = self.queues[spec.overflow_to]
            self._publish(ContactOverflowed(now, contact.call, queue.name, target.name, waited))
            contact.entered_at = now
            contact.stage = 0
            if target.spec.fixed_priority is not None and contact.list_mark is not ListMark.BLACK:
                contact.priority = target.spec.fixed_priority
            target.push(contact)
            self._take_place(contact)
        else:
            contact.state = ContactState.ASIDE  # the call controller decides what follows
            self._control.max_wait_reached(contact.call, queue.name, action)
        if was_head:
            self._serve_head(queue)

    def _remember_abandon(self, contact: Contact, now: float) -> None:
        window = contact.queue.spec.resume_abandoned_within
        if window <= 0:
            return
        key = (contact.caller, contact.queue.name)
        self._abandoned[key] = (contact.position, now + window)
        order = self._abandoned_order
        order.append((now + window, key))
        while order and order[0][0] < now:
            _, old = order.popleft()
            place = self._abandoned.get(old)
            if place is not None and place[1] < now:
                del self._abandoned[old]

    # ---- recovery -----------------------------------------------------------------------

    def reconcile(self, live_calls: Collection[CallId]) -> None:
        """Bring the ACD in line with the calls the switch really holds (after a restart).

        A contact whose call is gone leaves its queue; an agent whose call is
        gone is released as if the call had ended (ringing: ready again;
        talking or on hold: wrap-up).
        """
        lost = [c for c in self._contacts.values() if c.call not in live_calls]
        # waiting contacts first, so agents freed next are not offered a lost call
        for contact in sorted(lost, key=lambda c: c.state.value):
            self.withdraw(contact.call, "lost")

    def restore(self, picture: AcdPicture, live_calls: Collection[CallId]) -> None:
        """Take up where a previous engine left off (a restart), then match the switch.

        `picture` is the replayed event log (`routing.replay.replay`): agents get
        the states the log gives them and contacts their places, without new
        events (the log already says so); then calls the switch no longer holds
        are withdrawn as in `reconcile`, with events, and timers are re-armed.
        """
        now = self._clock.now()
        for snap in sorted(picture.contacts.values(), key=lambda c: c.queued_at):
            queue = self.queues.get(snap.queue)
            if queue is None:
                continue
            contact = Contact(
                snap.call,
                snap.caller,
                snap.tier,
                snap.list_mark,
                queue,
                snap.priority,
                snap.queued_at,
                snap.queued_at,
            )
            self._contacts[snap.call] = contact
            agent = self.agents.get(snap.agent) if snap.agent is not None else None
            if snap.stage == "aside":
                contact.state = ContactState.ASIDE  # its caller hears the callback offer
                continue
            if agent is None:
                queue.push(contact)
                continue
            contact.agent = agent
            agent.contact = contact
            contact.offered_at = contact.answered_at = snap.answered_at or now
            contact.state = {"ringing": ContactState.OFFERED, "hold": ContactState.HOLD}.get(
                snap.stage, ContactState.TALKING
            )
            if contact.state is ContactState.HOLD:
                contact.held_at = now
        for agent_id, seen in picture.agents.items():
            agent = self.agents.get(agent_id)
            if agent is None:
                continue
            agent.state, agent.reason, agent.since = seen.state, seen.reason, seen.since
            if seen.state in CALL_STATES and agent.contact is None:
                self._change(agent, AgentState.WRAP_UP, call=seen.call)  # its call left no trace
        self.reconcile(live_calls)
        for contact in list(self._contacts.values()):
            if contact.state is ContactState.QUEUED:
                self._arm(contact)
            elif contact.state is ContactState.OFFERED:
                timeout = contact.queue.spec.ring_timeout
                contact.ring_timer = self._clock.call_later(timeout, self._ring_timeout, contact)
        for agent in self.agents.values():
            if agent.state is AgentState.WRAP_UP and agent.timer is None:
                last = picture.last_queue.get(agent.id)
                wrap = self.queues[last].spec.wrap_up if last in self.queues else 0.0
                remaining = max(0.0, agent.since + wrap - now)
                agent.timer = self._clock.call_later(remaining, self._wrap_up_done, agent)
        for agent in self.agents.values():
            if agent.state is READY and agent.contact is None:
                agent.idle_since = agent.since
                self._settle_ready(agent)

    def shutdown(self) -> None:
        """Stop every timer of this ACD (it is being replaced, e.g. by a restarted engine)."""
        cancel = self._clock.cancel
        for agent in self.agents.values():
            cancel(agent.timer)
        for contact in self._contacts.values():
            cancel(contact.timer)
            cancel(contact.ring_timer)
        for consult in self.consults.values():
            cancel(consult.ring_timer)
        cancel(self._daily_timer)

    # ---- views --------------------------------------------------------------------------

    def waiting(self, queue: QueueName) -> list[Contact]:
        return self.queue(queue).waiting()
