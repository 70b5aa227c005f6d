"""An outside party for the agent on the engine and the simulated switch: 外线咨询 (the caller
on hold while the agent talks with a duty phone), 三方通话, 转外线 (the agent leaves, the
caller stays with the outside party) and cancelling, with what each publishes."""

from __future__ import annotations

import pytest

from hotline.calls.events import (
    CallConferenceStarted,
    CallEnded,
    CallOutsideAnswered,
    CallOutsideDialed,
    CallOutsideEnded,
    CallOutsideFailed,
    CallOutsideTransferred,
    Outcome,
    Phase,
)
from hotline.calls.outside import (
    BadOutsideNumberError,
    NoOutsideCallError,
    OutsideBusyError,
    OutsideNotAnsweredError,
    OutsideNotTalkingError,
)
from hotline.calls.recovery import open_call
from hotline.core.ids import QueueName
from hotline.routing.events import CallHeld, CallRetrieved, ContactCompleted
from hotline.routing.model import AgentState
from hotline.routing.queue import ContactState
from tests.calls.test_supervise import C, Script, rig

DUTY = "02161234567"


def test_the_agent_dials_out_talks_then_transfers_and_leaves() -> None:
    r = rig(Script(talk=None))
    r.talking()
    outside = r.engine.controller.outside
    leg = outside.dial(C, DUTY)
    assert leg.state == "dialing"
    assert r.engine.acd.contact(C).state is ContactState.HOLD  # the caller hears music
    with pytest.raises(OutsideNotAnsweredError):
        outside.transfer(C)  # the agent stays on until the other side answers
    r.until(6.0)  # the simulated duty phone answers after 5 s
    assert leg.state == "talking"
    (answered,) = r.of(CallOutsideAnswered)
    assert answered.rang == pytest.approx(5.0)  # type: ignore[attr-defined]
    r.until(10.0)
    outside.transfer(C)
    r.until(0.5)
    assert r.agent_state is AgentState.WRAP_UP
    (completed,) = r.of(ContactCompleted)
    assert completed.ended_by == "transferred-out"  # type: ignore[attr-defined]
    assert r.engine.controller.phase_of(C) is Phase.OUTSIDE
    (transferred,) = r.of(CallOutsideTransferred)
    assert transferred.number == DUTY  # type: ignore[attr-defined]
    assert r.switch.outside_hangs_up(C)  # the duty officer is done: the call ends
    r.until(0.5)
    (ended,) = r.of(CallEnded)
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.phase) == (Outcome.ANSWERED, Phase.OUTSIDE)
    (gone,) = r.of(CallOutsideEnded)
    assert gone.reason == "call-ended"  # type: ignore[attr-defined]


def test_a_three_way_call_takes_the_caller_off_hold_and_cancel_keeps_the_agent() -> None:
    r = rig(Script(talk=None))
    r.talking()
    outside = r.engine.controller.outside
    outside.dial(C, "+8613912345678")
    r.until(6.0)
    outside.conference(C)
    assert r.engine.acd.contact(C).state is ContactState.TALKING
    assert [type(e) for e in r.events if isinstance(e, (CallHeld, CallRetrieved))] == [
        CallHeld,
        CallRetrieved,
    ]
    (conference,) = r.of(CallConferenceStarted)
    assert conference.number == "+8613912345678"  # type: ignore[attr-defined]
    r.until(30.0)
    outside.cancel(C)  # the outside party leaves; the caller and the agent talk on
    assert r.switch.outside_of(C) is None
    (ended,) = r.of(CallOutsideEnded)
    assert (ended.reason, ended.talk) == ("cancelled", pytest.approx(31.0))  # type: ignore[attr-defined]  # answered at 5 s
    assert r.agent_state is AgentState.TALKING
    assert outside.of(C) is None


def test_taking_the_caller_back_cancels_and_an_outside_hang_up_leaves_the_caller_held() -> None:
    r = rig(Script(talk=None))
    r.talking()
    controller = r.engine.controller
    controller.outside.dial(C, DUTY)
    r.until(1.0)
    controller.retrieve(C)  # 取回 while it rings
    (ended,) = r.of(CallOutsideEnded)
    assert (ended.reason, ended.talk) == ("cancelled", 0.0)  # type: ignore[attr-defined]
    controller.outside.dial(C, DUTY)
    r.until(6.0)
    assert r.switch.outside_hangs_up(C)
    r.until(0.5)
    assert [e.reason for e in r.of(CallOutsideEnded)] == ["cancelled", "outside-hung-up"]  # type: ignore[attr-defined]
    assert controller.on_hold(C)  # the agent takes the caller back with 取回
    controller.retrieve(C)
    assert r.agent_state is AgentState.TALKING


def test_no_answer_fails_and_bad_requests_say_why() -> None:
    r = rig(Script(talk=None))
    outside = r.engine.controller.outside
    with pytest.raises(OutsideNotTalkingError):
        outside.dial(C, DUTY)
    r.talking()
    for bad in ("", "12", "021-6123", "lead", "1" * 21):
        with pytest.raises(BadOutsideNumberError):
            outside.dial(C, bad)
    with pytest.raises(NoOutsideCallError):
        outside.conference(C)
    with pytest.raises(NoOutsideCallError):
        outside.cancel(C)
    r.switch.outside_answer_after = None
    outside.dial(C, DUTY)
    with pytest.raises(OutsideBusyError):
        outside.dial(C, DUTY)
    with pytest.raises(OutsideBusyError):
        r.engine.controller.consult(C, QueueName("query"))
    r.until(outside.ring_timeout + 1.0)
    (failed,) = r.of(CallOutsideFailed)
    assert failed.reason == "no-answer"  # type: ignore[attr-defined]
    assert r.engine.controller.on_hold(C)  # still with the agent, who takes the caller back
    assert len(r.of(CallOutsideDialed)) == 1


def test_the_agents_hang_up_ends_the_outside_party_and_a_transfer_is_read_back() -> None:
    r = rig(Script(talk=None))
    r.talking()
    controller = r.engine.controller
    controller.outside.dial(C, DUTY)
    r.until(6.0)
    controller.outside.conference(C)
    assert r.switch.agent_hangs_up(C, r.engine.acd.contact(C).agent.id)  # type: ignore[union-attr]
    r.until(0.5)
    assert [e.reason for e in r.of(CallOutsideEnded)] == ["conversation-ended"]  # type: ignore[attr-defined]
    assert r.switch.outside_of(C) is None

    r = rig(Script(talk=None))
    r.talking()
    r.engine.controller.outside.dial(C, DUTY)
    r.until(6.0)
    r.engine.controller.outside.transfer(C)
    opened = open_call(e for e in r.events if getattr(e, "call", None) == C)
    assert opened is not None
    assert opened.phase is Phase.OUTSIDE


def test_holding_and_taking_back_during_a_three_way_call_keeps_the_outside_party() -> None:
    r = rig(Script(talk=None))
    r.talking()
    controller = r.engine.controller
    controller.outside.dial(C, DUTY)
    r.until(6.0)
    controller.outside.conference(C)
    controller.hold(C)
    r.until(5.0)
    controller.retrieve(C)
    leg = controller.outside.of(C)
    assert leg is not None
    assert leg.state == "conference"
    assert not r.of(CallOutsideEnded)
