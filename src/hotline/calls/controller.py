"""The call controller: listens to the switch and moves each call through its phases.

arrival → customer lookup → IVR flow → queue (ACD; hold music, and announcements
where the queue has them, `calls.announce`) → agent rings → conversation
→ post-call survey (IVR) → end. An outbound call (`originate`): customer lookup →
dialing → on answer, the queue (as above, without the survey) or a message
played to the end → end. It implements the switch's `SwitchListener` and the
ACD's `CallControl`, so the ACD and IVR never talk to telephony directly, and
the same controller runs on the simulated switch and on SIP.

Every call ends with exactly one `CallEnded` carrying its outcome and direction;
every outbound call has exactly one `CallOutboundAnswered` or `CallOutboundFailed`
before it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hotline.calls.announce import AnnouncementPlan, Announcer
from hotline.calls.config import CallbackOfferModel
from hotline.calls.events import (
    CallArrived,
    CallEnded,
    CallOriginated,
    CallOutboundAnswered,
    CallOutboundFailed,
    Direction,
    Outcome,
    Phase,
    VoicemailRecorded,
)
from hotline.calls.outbound import OnAnswer, OriginateError, ToQueue, check_number
from hotline.calls.outside import OutsideBusyError, OutsideCalls
from hotline.calls.ports import CallerInfo, CustomerDirectory
from hotline.calls.recovery import OpenCall
from hotline.calls.supervise import Supervision
from hotline.calls.voicemail import VoicemailModel
from hotline.core.clock import Clock, TimerHandle
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallbackId, CallId, QueueName
from hotline.ivr.context import CallContext, IvrExit
from hotline.ivr.interpreter import IvrRunner
from hotline.routing.acd import ACD
from hotline.routing.model import MaxWaitAction
from hotline.routing.queue import ContactState
from hotline.telephony.port import RecordedMessage, Switch

_UNKNOWN = CallerInfo()
_HANGUP_OUTCOMES = {"self_served": Outcome.SELF_SERVED, "callback": Outcome.CALLBACK}
_WITH_CONTACT = frozenset({Phase.QUEUE, Phase.RINGING, Phase.TALKING})


class CallStateError(HotlineError):
    """A desk command for a call that is not in the state it needs."""

    error_id = "call-not-in-conversation"


@dataclass(slots=True)
class _Call:
    ctx: CallContext
    phase: Phase
    outcome: Outcome | None = None  # set once: the first outcome a call reaches stands
    queue: QueueName | None = None
    offering: bool = False  # hearing the callback offer made at the queue's maximum wait
    closed_from: Phase | None = None  # the phase the system hung up in
    on_answer: OnAnswer | None = None  # set for an outbound call: what its answer leads to
    drop_timer: TimerHandle | None = None  # a dialer's call waiting for an agent (ToQueue)

    def settle(self, outcome: Outcome) -> Outcome:
        """Record `outcome` unless the call already has one; returns the call's outcome."""
        if self.outcome is None:
            self.outcome = outcome
        return self.outcome


class CallController:
    """Runs every call of a hotline; one instance per switch."""

    def __init__(
        self,
        *,
        clock: Clock,
        publish: Callable[[Event], None],
        switch: Switch,
        acd: ACD,
        ivr: IvrRunner,
        directory: CustomerDirectory,
        entry_flows: Mapping[str, str],
        default_flow: str,
        survey_flow: str | None = None,
        callback_offer: CallbackOfferModel | None = None,
        outbound_prefix: str = "o",
        announcements: AnnouncementPlan | None = None,
        voicemail: VoicemailModel | None = None,
    ) -> None:
        """``entry_flows`` maps a dialed number to its IVR flow; others get ``default_flow``.
        Outbound calls get the ids ``outbound_prefix`` and a sequence number unless the
        caller of `originate` names one. ``announcements`` says which queues read their
        waiting callers' place and wait (none without it)."""
        self._clock = clock
        self._publish = publish
        self._switch = switch
        self._acd = acd
        self._ivr = ivr
        self._directory = directory
        self._entry_flows = dict(entry_flows)
        self._default_flow = default_flow
        self._survey_flow = survey_flow
        self._offer = callback_offer
        self._voicemail = voicemail
        self._outbound_prefix = outbound_prefix
        self._outbound_ids = itertools.count(1)
        self.calls: dict[CallId, _Call] = {}
        self._announcer = Announcer(
            clock=clock,
            publish=publish,
            switch=switch,
            acd=acd,
            plan=announcements or AnnouncementPlan(),
            hearing=self._hears_announcements,
        )
        self.supervision = Supervision(clock=clock, publish=publish, switch=switch, calls=self)
        self.outside = OutsideCalls(clock=clock, publish=publish, switch=switch, calls=self)
        """The agents' outside parties (外线咨询, 三方通话, 转外线: `calls.outside`)."""
        """The supervisors' phones on calls (监听/耳语/强插/强拆/拦截, `calls.supervise`)."""

    @property
    def directory(self) -> CustomerDirectory:
        """Who a number is (tier, 红/黑名单, account): the outbound dialer checks its black
        list before each call."""
        return self._directory

    # ---- outbound calls ----------------------------------------------------------------

    def originate(
        self,
        number: str,
        on_answer: OnAnswer,
        *,
        caller_id: str,
        timeout: float = 30.0,
        call: CallId | None = None,
    ) -> CallId:
        """Call the customer at `number`, showing `caller_id` (the hotline's number); once
        the customer answers, do `on_answer`. Returns the call's id.

        The customer is looked up first (tier and list decide the priority in queue).
        The switch gives up after `timeout` seconds of ringing. Raises `OriginateError`
        for an undialable number, a timeout not above 0 or a call id in use, and
        `UnknownQueueError` / `UnknownAgentError` for a queue or an agent the hotline does
        not have, before dialing.
        """
        check_number(number)
        check_number(caller_id, what="caller_id")
        if not timeout > 0:
            raise OriginateError(f"the ring timeout must be above 0 s, not {timeout}")
        if isinstance(on_answer, ToQueue):
            if on_answer.drop_after is not None and not on_answer.drop_after >= 0:
                raise OriginateError(f"drop_after must be 0 s or more, not {on_answer.drop_after}")
            self._acd.queue(on_answer.queue)
            if on_answer.agent is not None:
                self._acd.agent(on_answer.agent)  # an unknown agent is refused here
        if call is None:
            live = self._switch.live_calls()
            call = CallId(f"{self._outbound_prefix}{next(self._outbound_ids)}")
            while call in self.calls or call in live:
                call = CallId(f"{self._outbound_prefix}{next(self._outbound_ids)}")
        elif call in self.calls or call in self._switch.live_calls():
            raise OriginateError(f"call id {call!r} is in use", call=call)
        now = self._clock.now()
        info = self._directory.identify(number) or _UNKNOWN
        ctx = CallContext(call, number, caller_id, now, info.tier, info.list_mark, info.account)
        self.calls[call] = _Call(ctx, Phase.DIALING, on_answer=on_answer)
        if isinstance(on_answer, ToQueue):
            action, target, agent = "queue", str(on_answer.queue), on_answer.agent
        else:
            action, target, agent = "message", on_answer.prompt, None
        self._publish(
            CallOriginated(
                now, call, number, caller_id, action, target, info.tier, info.list_mark, agent
            )
        )
        self._switch.originate(call, number, caller_id, timeout)
        return call

    def outbound_answered(self, call: CallId) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.DIALING or record.on_answer is None:
            return
        ctx = record.ctx
        now = self._clock.now()
        self._publish(CallOutboundAnswered(now, call, ctx.caller, now - ctx.arrived_at))
        on_answer = record.on_answer
        if isinstance(on_answer, ToQueue):
            self._to_queue(record, on_answer.queue, prefer=on_answer.agent)
            if on_answer.drop_after is not None and self.phase_of(call) is Phase.QUEUE:
                record.drop_timer = self._clock.call_later(
                    on_answer.drop_after, self._drop_unserved, call
                )
        else:
            record.phase = Phase.MESSAGE
            self._switch.play(call, on_answer.prompt, lambda: self._message_played(call))

    def outbound_failed(self, call: CallId, reason: str) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.DIALING:
            return
        del self.calls[call]
        self._not_reached(call, record, reason)

    def cancel_outbound(self, call: CallId) -> bool:
        """Stop calling a customer who has not answered yet (a campaign paused): the call
        ends as not reached, reason ``cancelled``. False when the call is not dialing."""
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.DIALING:
            return False
        self._close(call, record, "cancelled")
        return True

    def _not_reached(self, call: CallId, record: _Call, reason: str) -> None:
        now = self._clock.now()
        rang = now - record.ctx.arrived_at
        self._publish(CallOutboundFailed(now, call, record.ctx.caller, reason, rang))
        outcome = record.settle(Outcome.NOT_REACHED)
        self._publish(
            CallEnded(now, call, outcome, Phase.DIALING, reason, rang, Direction.OUTBOUND)
        )

    def _drop_unserved(self, call: CallId) -> None:
        """A dialer's answered customer still waits for an agent (no phone rings for it):
        out of the queue, the apology, then the hotline hangs up."""
        record = self.calls.get(call)
        if record is None:
            return
        record.drop_timer = None
        if record.phase is not Phase.QUEUE:
            return  # an agent's phone rings, or the conversation began
        on_answer = record.on_answer
        assert isinstance(on_answer, ToQueue)
        self._announcer.stop(call)
        self._acd.withdraw(call, "dropped")
        record.settle(Outcome.DROPPED)
        if on_answer.drop_prompt is None:
            self._close(call, record, "dropped")
            return
        record.phase = Phase.MESSAGE
        self._switch.play(call, on_answer.drop_prompt, lambda: self._drop_told(call))

    def _drop_told(self, call: CallId) -> None:
        record = self.calls.get(call)
        if record is not None and record.phase is Phase.MESSAGE:
            self._close(call, record, "dropped")

    def _message_played(self, call: CallId) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.MESSAGE:
            return
        record.settle(Outcome.NOTIFIED)
        self._close(call, record, "system")

    # ---- SwitchListener -----------------------------------------------------------------

    def call_arrived(self, call: CallId, caller: str, dialed: str) -> None:
        now = self._clock.now()
        info = self._directory.identify(caller) or _UNKNOWN
        ctx = CallContext(call, caller, dialed, now, info.tier, info.list_mark, info.account)
        self.calls[call] = _Call(ctx, Phase.IVR)
        self._publish(CallArrived(now, call, caller, dialed, info.tier, info.list_mark))
        self._switch.answer(call)
        flow = self._entry_flows.get(dialed, self._default_flow)
        self._ivr.start(ctx, flow, self._ivr_exit)

    def agent_answered(self, call: CallId, agent: AgentId) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.RINGING:
            return  # the caller left, or the offer was withdrawn, while the answer was on its way
        self._acd.answered(call)
        self._announcer.stop(call)
        record.phase = Phase.TALKING
        record.ctx.agent = agent
        record.settle(Outcome.ANSWERED)
        self._switch.bridge(call, agent)

    def agent_ring_failed(self, call: CallId, agent: AgentId, reason: str) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.RINGING:
            return
        record.phase = Phase.QUEUE
        self._acd.offer_failed(call, reason)

    def consult_answered(self, call: CallId, agent: AgentId) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.TALKING:
            return
        self._acd.consult_answered(call)

    def agent_hung_up(self, call: CallId, agent: AgentId) -> None:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.TALKING:
            return
        self.supervision.conversation_ended(call)
        self.outside.conversation_ended(call)
        self._talk_ended(call)
        self._acd.end_call(call, ended_by="agent")
        if self._survey_flow is not None and record.on_answer is None:  # inbound calls only
            record.phase = Phase.SURVEY
            self._switch.unbridge(call)
            self._ivr.start(record.ctx, self._survey_flow, self._ivr_exit)
        else:
            self._close(call, record, "agent")

    def call_hung_up(self, call: CallId, by: str) -> None:
        record = self.calls.pop(call, None)
        if record is None:
            return
        self.supervision.call_ended(call)
        self.outside.call_ended(call)
        self._announcer.stop(call)
        phase = record.phase
        if phase is Phase.DIALING or record.closed_from is Phase.DIALING:
            # the hotline gave up before the customer answered (or the switch lost the call)
            self._not_reached(call, record, "cancelled" if by == "system" else by)
            return
        if phase is Phase.IVR or phase is Phase.SURVEY:
            self._ivr.stop(call)
        elif phase is Phase.QUEUE or phase is Phase.RINGING:
            if by == "caller":
                self._acd.abandon(call)
            else:
                self._acd.withdraw(call, by)
        elif phase is Phase.TALKING:
            self._talk_ended(call)
            self._acd.end_call(call, ended_by=by)
        outcome = record.settle(Outcome.ABANDONED if by == "caller" else Outcome.BLOCKED)
        if phase is Phase.CLOSING and record.closed_from is not None:
            phase = record.closed_from
        now = self._clock.now()
        direction = Direction.INBOUND if record.on_answer is None else Direction.OUTBOUND
        duration = now - record.ctx.arrived_at
        self._publish(CallEnded(now, call, outcome, phase, by, duration, direction))

    def monitor_answered(self, call: CallId, supervisor: str) -> None:
        self.supervision.answered(call, supervisor)

    def monitor_failed(self, call: CallId, supervisor: str, reason: str) -> None:
        self.supervision.failed(call, supervisor, reason)

    def monitor_ended(self, call: CallId, supervisor: str) -> None:
        self.supervision.hung_up(call, supervisor)

    def outside_answered(self, call: CallId) -> None:
        self.outside.answered(call)

    def outside_failed(self, call: CallId, reason: str) -> None:
        self.outside.failed(call, reason)

    def outside_hung_up(self, call: CallId) -> None:
        self.outside.hung_up(call)

    # ---- what supervision does to a call (`calls.supervise`) ----------------------------

    def phase_of(self, call: CallId) -> Phase | None:
        record = self.calls.get(call)
        return None if record is None else record.phase

    def agent_on(self, call: CallId) -> AgentId | None:
        record = self.calls.get(call)
        if record is None or not self._acd.has_contact(call):
            return None
        agent = self._acd.contact(call).agent
        return agent.id if agent is not None else None

    def take_over(self, call: CallId) -> None:
        """The supervisor's answered phone replaces the agent: a talking call's agent goes
        to wrap-up (their conversation ends ``intercepted``); a ringing or waiting caller
        leaves the queue (``intercepted``), the ring cancelled. The call is answered."""
        record = self.calls.get(call)
        if record is None:
            return
        self._announcer.stop(call)
        if record.phase is Phase.TALKING:
            self.outside.conversation_ended(call)
            self._talk_ended(call)
            self._acd.end_call(call, ended_by="intercepted")
        elif record.phase is Phase.QUEUE or record.phase is Phase.RINGING:
            record.offering = False
            self._acd.withdraw(call, "intercepted")
        record.settle(Outcome.ANSWERED)
        record.phase = Phase.TAKEN_OVER
        self._switch.take_over(call)

    def force_release(self, call: CallId) -> None:
        """强拆: the conversation ends now (the agent to wrap-up), the caller is hung up."""
        record = self._talking(call)
        self._talk_ended(call)
        self._acd.end_call(call, ended_by="force-released")
        self._close(call, record, "force-released")

    def end_taken_over(self, call: CallId) -> None:
        record = self.calls.get(call)
        if record is not None and record.phase is Phase.TAKEN_OVER:
            self._close(call, record, "supervisor")

    # ---- what an outside party does to a call (`calls.outside`) -------------------------

    def caller_id_of(self, call: CallId) -> str:
        return self._talking(call).ctx.dialed

    def hold_for_outside(self, call: CallId) -> None:
        if not self.on_hold(call):
            self._acd.hold(call)
            self._switch.hold(call)

    def join_outside(self, call: CallId) -> None:
        if self.on_hold(call):
            self._acd.retrieve(call)
        self._switch.join_outside(call)

    def transfer_out(self, call: CallId) -> None:
        """The agent leaves to wrap-up (``transferred-out``); the caller stays with the
        outside party (phase ``outside``) until either hangs up."""
        record = self._talking(call)
        self.supervision.conversation_ended(call)
        self._talk_ended(call)
        self._acd.end_call(call, ended_by="transferred-out")
        record.phase = Phase.OUTSIDE
        self._switch.transfer_outside(call)

    def end_outside_call(self, call: CallId) -> None:
        record = self.calls.get(call)
        if record is not None and record.phase is Phase.OUTSIDE:
            self._close(call, record, "outside")

    # ---- AgentDesk (what agents do to their call) ----------------------------------------

    def in_conversation(self, call: CallId) -> bool:
        record = self.calls.get(call)
        return record is not None and record.phase is Phase.TALKING

    def on_hold(self, call: CallId) -> bool:
        return self.in_conversation(call) and self._acd.contact(call).state is ContactState.HOLD

    def hold(self, call: CallId) -> None:
        self._talking(call)
        self._acd.hold(call)
        self._switch.hold(call)

    def retrieve(self, call: CallId) -> None:
        self._talking(call)
        if self.outside.consulting(call):  # taking the caller back ends 外线咨询
            self.outside.cancel(call)
        self._acd.retrieve(call)
        self._switch.retrieve(call)

    def transfer(self, call: CallId, queue: QueueName) -> None:
        record = self._talking(call)
        self._acd.queue(queue)  # an unknown queue is refused before anything changes
        self._switch.unbridge(call)
        record.phase = Phase.QUEUE
        record.queue = queue
        self.supervision.conversation_ended(call)
        self.outside.conversation_ended(call)
        self._switch.start_music(call)
        self._talk_ended(call)
        if not self._acd.transfer(call, queue):
            self._close(call, record, "queue-full")
        elif record.phase is Phase.QUEUE or record.phase is Phase.RINGING:
            self._announcer.start(call, queue)

    def agent_of(self, call: CallId) -> AgentId | None:
        if not self.in_conversation(call):
            return None
        agent = self._acd.contact(call).agent
        return agent.id if agent is not None else None

    def consulting(self, call: CallId) -> str | None:
        consult = self._acd.consults.get(call)
        if consult is None:
            return None
        return "talking" if consult.answered_at is not None else "ringing"

    def consult(self, call: CallId, queue: QueueName) -> AgentId:
        """Consult transfer, first step (咨询): the caller on hold, a colleague of `queue`
        rung; returns the colleague's 工号."""
        self._talking(call)
        if self.outside.of(call) is not None:
            raise OutsideBusyError(f"call {call} has an outside party", call=call)
        was_talking = not self.on_hold(call)
        target = self._acd.consult(call, queue)
        if was_talking:
            self._switch.hold(call)
        return target

    def complete_consult(self, call: CallId) -> AgentId:
        """Hand the caller over to the consulted colleague (完成转接)."""
        self._talking(call)
        target = self._acd.complete_consult(call)
        self._switch.end_consult(call, target)
        self._switch.unbridge(call)
        self._switch.bridge(call, target)
        record = self.calls[call]
        record.ctx.agent = target
        return target

    def cancel_consult(self, call: CallId) -> None:
        """End the consultation; the caller stays on hold with the asking agent."""
        self._talking(call)
        self._acd.cancel_consult(call)

    def _talking(self, call: CallId) -> _Call:
        record = self.calls.get(call)
        if record is None or record.phase is not Phase.TALKING:
            raise CallStateError(f"call {call} is not in conversation with an agent", call=call)
        return record

    # ---- recovery -----------------------------------------------------------------------

    def reconcile(self) -> int:
        """Align with the switch after it (or this engine) restarted; returns calls closed.

        A call the switch no longer holds is ended as lost (its `CallEnded`
        says so) and released in the ACD, so no agent stays bound to it.
        """
        live = self._switch.live_calls()
        lost = [call for call in self.calls if call not in live]
        for call in lost:
            self.call_hung_up(call, "lost")
        self._acd.reconcile(live)
        return len(lost)

    def adopt(self, open_call: OpenCall) -> None:
        """Take over a call a previous engine left open (read from the log after it was
        killed), publishing nothing; `reconcile` then ends it as lost unless the switch
        holds it. Its contact is the ACD's, from the same log (`ACD.restore`): when the
        ACD has already withdrawn it, the call is taken as closing from its phase, so
        that its end leaves the ACD alone and still says where the call was."""
        c = open_call
        ctx = CallContext(c.call, c.caller, c.dialed, c.arrived_at, c.tier, c.list_mark)
        ctx.agent = c.agent
        phase, closed_from = c.phase, c.closed_from
        if phase in _WITH_CONTACT and not self._acd.has_contact(c.call):
            phase, closed_from = Phase.CLOSING, phase
        self.calls[c.call] = _Call(
            ctx, phase, c.outcome, c.queue, closed_from=closed_from, on_answer=c.on_answer
        )

    def replace_acd(self, acd: ACD) -> None:
        """Use a new ACD (the routing engine restarted and restored itself from the log)."""
        self._acd = acd
        self._announcer.acd = acd

    # ---- CallControl (asked by the ACD) -------------------------------------------------

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> None:
        record = self.calls.get(call)
        if record is not None:
            record.phase = Phase.RINGING
        if self._announcer.interrupt(call):
            self._switch.start_music(call)  # the caller hears music while the agent's phone rings
        self._switch.ring_agent(call, agent, timeout)

    def ring_consult(self, call: CallId, agent: AgentId, timeout: float) -> None:
        self._switch.consult(call, agent, timeout)

    def drop_consult(self, call: CallId, agent: AgentId) -> None:
        self._switch.end_consult(call, agent)

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        record = self.calls.get(call)
        if record is not None and record.phase is Phase.RINGING:
            record.phase = Phase.QUEUE
        self._switch.cancel_ring(call, agent)

    def max_wait_reached(self, call: CallId, queue: QueueName, action: MaxWaitAction) -> None:
        record = self.calls.get(call)
        if record is None:
            return
        offer = self._offer
        if action is MaxWaitAction.CALLBACK and offer is not None:
            record.offering = True  # still in queue phase: hanging up now is an abandon
            self._announcer.interrupt(call)  # the offer's prompt replaces an announcement
            self._switch.collect(
                call,
                offer.prompt,
                max_digits=1,
                timeout=offer.timeout,
                terminator=None,
                on_digits=lambda digits: self._offer_answered(call, queue, digits),
            )
        elif action is MaxWaitAction.VOICEMAIL and self._voicemail is not None:
            self._take_message(call, record, queue, self._voicemail)
        elif action is MaxWaitAction.CALLBACK or action is MaxWaitAction.VOICEMAIL:
            self._acd.withdraw(call, action.value)
            self._register_callback(record, queue, action.value)
            self._close(call, record, "callback")
        else:
            self._acd.withdraw(call, "max-wait")
            record.settle(Outcome.BLOCKED)  # unless a transferred caller was answered already
            self._close(call, record, "max-wait")

    def _take_message(
        self, call: CallId, record: _Call, queue: QueueName, voicemail: VoicemailModel
    ) -> None:
        """Voicemail (`calls.voicemail`): out of the queue with a callback task at once, then
        the prompt and the caller's message, which `voicemail.recorded` links to the task."""
        self._acd.withdraw(call, "voicemail")
        task = self._register_callback(record, queue, "voicemail")
        self._announcer.stop(call)
        record.closed_from, record.phase = record.phase, Phase.CLOSING  # a hang-up ends it

        def recorded(message: RecordedMessage) -> None:
            now = self._clock.now()
            self._publish(
                VoicemailRecorded(
                    now,
                    call,
                    task,
                    message.file,
                    message.seconds,
                    message.ended_by,
                    message.simulated,
                )
            )
            if message.ended_by == "hangup":
                return  # the caller is gone: `call_hung_up` follows
            if voicemail.thanks_prompt is None:
                self._switch.hangup(call, "callback")
            else:
                self._switch.play(
                    call, voicemail.thanks_prompt, lambda: self._switch.hangup(call, "callback")
                )

        def speak() -> None:
            self._switch.record(
                call,
                max_seconds=voicemail.max_seconds,
                silence_timeout=voicemail.silence_timeout,
                terminator=voicemail.terminator,
                on_done=recorded,
            )

        self._switch.play(call, voicemail.prompt, speak)

    def _offer_answered(self, call: CallId, queue: QueueName, digits: str) -> None:
        record = self.calls.get(call)
        if record is None or not record.offering:
            return
        record.offering = False
        offer = self._offer
        assert offer is not None
        if digits != offer.accept_key:
            self._switch.start_music(call)
            self._acd.requeue(call)  # declined: back to its place, its wait still counting
            return
        self._acd.withdraw(call, "callback")
        self._register_callback(record, queue, "accepted_offer")
        if offer.thanks_prompt is not None:
            self._switch.play(
                call, offer.thanks_prompt, lambda: self._close(call, record, "callback")
            )
        else:
            self._close(call, record, "callback")

    # ---- IVR exits ----------------------------------------------------------------------

    def _ivr_exit(self, ctx: CallContext, exit: IvrExit) -> None:
        record = self.calls.get(ctx.call)
        if record is None:
            return
        if record.phase is Phase.SURVEY:
            self._close(ctx.call, record, "system")
        elif exit.kind == "queue":
            assert exit.queue is not None
            self._to_queue(record, QueueName(exit.queue))
        elif exit.kind == "callback":
            queue = QueueName(exit.queue) if exit.queue else record.queue
            self._register_callback(record, queue, "accepted_offer")
            self._close(ctx.call, record, "callback")
        else:
            record.settle(_HANGUP_OUTCOMES.get(exit.outcome, Outcome.BLOCKED))  # failed: blocked
            self._close(ctx.call, record, "system")

    def _to_queue(self, record: _Call, queue: QueueName, prefer: AgentId | None = None) -> None:
        ctx = record.ctx
        record.queue = queue
        record.phase = Phase.QUEUE
        self._switch.start_music(ctx.call)
        if not self._acd.enqueue(
            ctx.call,
            queue,
            caller=ctx.caller,
            tier=ctx.tier,
            list_mark=ctx.list_mark,
            prefer=prefer,
        ):
            record.settle(Outcome.BLOCKED)
            self._close(ctx.call, record, "queue-full")
        elif record.phase is Phase.QUEUE or record.phase is Phase.RINGING:
            self._announcer.start(ctx.call, queue)

    def _register_callback(self, record: _Call, queue: QueueName | None, reason: str) -> CallbackId:
        """The caller is to be called back (by `queue`'s agents if named): task and outcome."""
        ctx = record.ctx
        task = self._acd.callbacks.create(
            now=self._clock.now(),
            call=ctx.call,
            caller=ctx.caller,
            queue=queue,
            tier=ctx.tier,
            within=self._acd.tiers.callback_within,
            reason=reason,
        )
        record.settle(Outcome.CALLBACK)
        return task.id

    # ---- announcements ------------------------------------------------------------------

    def _hears_announcements(self, call: CallId) -> bool | None:
        """For the announcer: True while the caller waits with music, False while an agent
        is rung or the callback offer plays, None once the call has left the queue."""
        record = self.calls.get(call)
        if record is None:
            return None
        if record.phase is Phase.RINGING or (record.phase is Phase.QUEUE and record.offering):
            return False
        return True if record.phase is Phase.QUEUE else None

    def _talk_ended(self, call: CallId) -> None:
        """A conversation is ending now: its talk time feeds its queue's wait estimate."""
        if not self._acd.has_contact(call):
            return
        contact = self._acd.contact(call)
        talk = self._clock.now() - contact.answered_at
        self._announcer.conversation_ended(contact.queue.name, talk)

    def _close(self, call: CallId, record: _Call, cause: str) -> None:
        self._announcer.stop(call)
        record.closed_from = record.phase
        record.phase = Phase.CLOSING
        self._switch.hangup(call, cause)
