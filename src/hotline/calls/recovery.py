"""A call a stopped engine left open, read back from its events (for a restart).

A run that was killed (SIGKILL, a crash, a power cut) leaves calls with no
`call.ended`. The next start reads each one's events (`open_call`) and hands the
result to `CallController.adopt`; `CallController.reconcile` then ends it as lost,
the same way it ends a call a restarted switch no longer holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hotline.calls.events import (
    CallArrived,
    CallEnded,
    CallIntercepted,
    CallOriginated,
    CallOutboundAnswered,
    CallOutsideTransferred,
    Outcome,
    Phase,
)
from hotline.calls.outbound import OnAnswer, PlayMessage, ToQueue
from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.ivr.events import IvrEntered, IvrExited
from hotline.routing.events import (
    ConsultEnded,
    ContactAnswered,
    ContactCompleted,
    ContactOffered,
    ContactOfferFailed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTransferred,
)

_IVR_OUTCOMES = {"self_served": Outcome.SELF_SERVED, "callback": Outcome.CALLBACK}


@dataclass(frozen=True, slots=True)
class OpenCall:
    """Where the log last saw a call that never ended: the phase it was in (a phase the
    controller hangs up from: `Phase.CLOSING` with `closed_from` once the hotline had
    finished with it), the outcome it had reached (None: not yet), and for an outbound
    call what its answer led to."""

    call: CallId
    caller: str
    dialed: str
    arrived_at: float
    tier: Tier
    list_mark: ListMark
    phase: Phase
    outcome: Outcome | None = None
    queue: QueueName | None = None
    agent: AgentId | None = None
    closed_from: Phase | None = None
    on_answer: OnAnswer | None = None


def open_call(events: Iterable[Event]) -> OpenCall | None:
    """Fold one call's events (in log order) into its `OpenCall`; None when the call
    ended or its first event (`call.arrived` or `call.originated`) is missing."""
    start: CallArrived | CallOriginated | None = None
    phase = Phase.IVR
    outcome: Outcome | None = None
    queue: QueueName | None = None
    agent: AgentId | None = None
    talked = False  # a conversation ended and no other began (survey or hang-up next)
    for e in events:
        if isinstance(e, CallEnded):
            return None
        if isinstance(e, CallArrived):
            start, phase = e, Phase.IVR
        elif isinstance(e, CallOriginated):
            start, phase = e, Phase.DIALING
        elif isinstance(e, CallOutboundAnswered):
            phase = Phase.MESSAGE
        elif isinstance(e, ContactQueued):
            phase, queue, talked = Phase.QUEUE, e.queue, False
        elif isinstance(e, ContactOffered):
            phase = Phase.RINGING
        elif isinstance(e, (ContactRingNoAnswer, ContactOfferFailed)):
            phase = Phase.QUEUE
        elif isinstance(e, ContactAnswered):
            phase, agent, outcome = Phase.TALKING, e.agent, Outcome.ANSWERED
        elif isinstance(e, ConsultEnded) and e.outcome == "transferred":
            agent = e.target
        elif isinstance(e, (ContactCompleted, ContactTransferred)):
            talked = True
        elif isinstance(e, CallIntercepted):  # a supervisor took the call over (拦截)
            phase, outcome, talked = Phase.TAKEN_OVER, Outcome.ANSWERED, False
        elif isinstance(e, CallOutsideTransferred):  # the caller with an outside party
            phase, talked = Phase.OUTSIDE, False
        elif isinstance(e, IvrEntered) and talked:
            phase = Phase.SURVEY
        elif isinstance(e, IvrExited) and outcome is None:
            outcome = _IVR_OUTCOMES.get(e.outcome)
    if start is None:
        return None
    closed_from: Phase | None = None
    if talked and phase is Phase.TALKING:
        # the agent hung up and no survey followed: the hotline was hanging up
        phase, closed_from = Phase.CLOSING, Phase.TALKING
    if isinstance(start, CallArrived):
        return OpenCall(
            start.call, start.caller, start.dialed, start.at, start.tier, start.list_mark,
            phase, outcome, queue, agent, closed_from,
        )  # fmt: skip
    on_answer: OnAnswer = (
        ToQueue(QueueName(start.target), start.agent)
        if start.action == "queue"
        else PlayMessage(start.target)
    )
    return OpenCall(
        start.call, start.number, start.caller_id, start.at, start.tier, start.list_mark,
        phase, outcome, queue, agent, closed_from, on_answer,
    )  # fmt: skip
