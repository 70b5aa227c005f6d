"""A call a killed engine left open, read back from its events, and ended as lost by the
next engine's controller (`open_call`, `CallController.adopt`, `reconcile`)."""

from __future__ import annotations

from pathlib import Path

from hotline.calls.config import load_hotline
from hotline.calls.events import (
    CallArrived,
    CallEnded,
    CallOriginated,
    CallOutboundFailed,
    Direction,
    Outcome,
    Phase,
)
from hotline.calls.outbound import ToQueue
from hotline.calls.recovery import open_call
from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event, EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.ivr.events import IvrEntered
from hotline.routing.events import ContactAnswered, ContactCompleted, ContactQueued
from hotline.sip.serve import SipHotline
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
C = CallId("c1")
Q = QueueName("query")
A = AgentId("9001")


def _talked(at: float = 100.0) -> list[Event]:
    return [
        CallArrived(at, C, "13800138000", "95598", Tier.ORDINARY, ListMark.NONE),
        IvrEntered(at, C, "main"),
        ContactQueued(at + 10, C, Q, "13800138000", Tier.ORDINARY, ListMark.NONE, 5),
        ContactAnswered(at + 20, C, Q, A, 10.0, 1.0),
        ContactCompleted(at + 80, C, Q, A, 60.0, 0.0, "agent"),
    ]


def test_a_call_that_ended_is_not_open() -> None:
    events = [*_talked(), CallEnded(190.0, C, Outcome.ANSWERED, Phase.SURVEY, "caller", 90.0)]
    assert open_call(events) is None
    assert open_call([]) is None


def test_after_the_conversation_the_call_is_in_the_survey_or_being_hung_up() -> None:
    in_survey = open_call([*_talked(), IvrEntered(181.0, C, "survey")])
    assert in_survey is not None
    assert (in_survey.phase, in_survey.outcome, in_survey.agent) == (
        Phase.SURVEY,
        Outcome.ANSWERED,
        A,
    )
    closing = open_call(_talked())
    assert closing is not None
    assert (closing.phase, closing.closed_from) == (Phase.CLOSING, Phase.TALKING)


def test_an_outbound_call_left_dialing_ends_not_reached_and_lost() -> None:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(1_000.0)
    engine = SipHotline(
        hotline, clock=clock, switch=SimSwitch(clock, _Nobody(), hotline.prompt_seconds())
    )
    found = open_call(
        [
            CallOriginated(
                990.0,
                CallId("o1"),
                "13900139000",
                "95598",
                "queue",
                "query",
                Tier.ORDINARY,
                ListMark.NONE,
            )
        ]
    )
    assert found is not None
    assert (found.phase, found.on_answer) == (Phase.DIALING, ToQueue(Q))
    recorder = EventRecorder(engine.bus)
    engine.controller.adopt(found)
    assert engine.controller.reconcile() == 1
    failed, ended = list(recorder)
    assert isinstance(failed, CallOutboundFailed)
    assert failed.reason == "lost"
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.phase, ended.by, ended.direction, ended.duration) == (
        Outcome.NOT_REACHED,
        Phase.DIALING,
        "lost",
        Direction.OUTBOUND,
        10.0,
    )


class _Nobody:
    def respond(self, call: CallId, prompt: str | None, max_digits: int) -> None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> None:
        return None

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return None, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass
