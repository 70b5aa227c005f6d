"""The `Switch` port's contract (`hotline.telephony.port`), run against every adapter.

The same tests drive the simulated switch (`SimSwitch`, virtual time) and the SIP one
(`SipSwitch` on loopback, wall time: marked `realtime`) through a `Line`
(tests/contract/switches.py). Every test also holds each adapter to the rules the
referee checks on every report: never from inside a command, nothing about a call
after its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.core.ids import AgentId, CallId
from hotline.telephony.customers import Pickup
from hotline.telephony.port import OUTBOUND_FAILURES
from tests.contract.switches import PROMPT, PROMPT_SECONDS, Line, SimLine, SipLine

AGENT = AgentId("9001")
CALLER = "13900000001"
CUSTOMER = "13912345678"
OUT = CallId("o1")


@pytest.fixture(params=["simulated", pytest.param("sip", marks=pytest.mark.realtime)])
def line(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Line]:
    """A switch with callers, agents' phones and customers around it; its referee must
    have seen no violation by the end of the test."""
    made: Line = SimLine() if request.param == "simulated" else SipLine(tmp_path)
    try:
        yield made
    finally:
        made.close()
    assert made.referee.violations == []


def answered_call(line: Line) -> CallId:
    call = line.dial_in(CALLER)
    line.switch.answer(call)
    return call


def test_an_arriving_call_names_its_caller_and_the_dialed_number(line: Line) -> None:
    call = line.dial_in(CALLER, "95598")
    [arrived] = line.referee.of(call)
    assert (arrived.kind, arrived.args) == ("call_arrived", (CALLER, "95598"))
    assert call in line.switch.live_calls()
    line.switch.answer(call)
    line.caller_hangs_up(call)
    assert line.until(lambda: line.referee.of(call, "call_hung_up"), 5.0)
    assert [r.args for r in line.referee.of(call, "call_hung_up")] == [("caller",)]
    assert call not in line.switch.live_calls()


def test_a_prompt_calls_back_once_when_it_has_played(line: Line) -> None:
    call = answered_call(line)
    started = line.referee.now()
    line.switch.play(call)
    assert line.until(lambda: line.referee.of(call, "prompt-done"), 5.0)
    line.wait(0.5)
    [done] = line.referee.of(call, "prompt-done")
    assert PROMPT_SECONDS * 0.9 <= done.at - started < PROMPT_SECONDS + 2.0


def test_a_new_media_command_ends_the_pending_prompt_without_its_callback(line: Line) -> None:
    call = answered_call(line)
    line.switch.play(call)
    line.switch.start_music(call)  # the caller now waits for an agent
    line.wait(PROMPT_SECONDS + 0.3)
    assert line.referee.kinds(call) == ["call_arrived"]
    line.switch.play(call)
    line.switch.play(call)  # a prompt replaced by another: only the second calls back
    line.wait(PROMPT_SECONDS + 0.3)
    assert line.referee.kinds(call) == ["call_arrived", "prompt-done"]


def test_typed_keys_reach_the_collect_callback_once(line: Line) -> None:
    call = answered_call(line)
    line.caller_will_type(call, "12", after=0.3)
    line.switch.collect(call, max_digits=2, timeout=5.0)
    assert line.until(lambda: line.referee.of(call, "digits"), 5.0)
    line.wait(0.5)
    assert [r.args for r in line.referee.of(call, "digits")] == [("12",)]


def test_nothing_typed_is_an_empty_string_after_the_timeout(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)  # the caller's leg is up (SIP: the ACK is in)
    asked = line.referee.now()
    line.switch.collect(call, max_digits=1, timeout=1.0)
    assert line.until(lambda: line.referee.of(call, "digits"), 5.0)
    [typed] = line.referee.of(call, "digits")
    assert typed.args == ("",)
    assert 0.9 <= typed.at - asked < 3.0


def test_hanging_up_is_reported_later_as_the_systems_and_the_call_is_gone(line: Line) -> None:
    line.phone(AGENT, answers_after=0.1)  # would answer, were the ring below not ignored
    call = answered_call(line)
    line.switch.play(call)  # pending: its callback must never run
    line.switch.hangup(call)  # the referee checks nothing is reported inside the command
    assert line.until(lambda: line.referee.of(call, "call_hung_up"), 5.0)
    assert [r.args for r in line.referee.of(call, "call_hung_up")] == [("system",)]
    assert call not in line.switch.live_calls()
    # a hung-up call is gone, not an error: every command on it is ignored
    line.switch.play(call)
    line.switch.collect(call, max_digits=1, timeout=0.5)
    line.switch.start_music(call)
    line.switch.ring_agent(call, AGENT)
    line.switch.hangup(call)
    line.wait(PROMPT_SECONDS + 0.3)
    assert line.referee.kinds(call) == ["call_arrived", "call_hung_up"]


def test_the_callers_hang_up_ends_the_call_and_its_pending_prompt(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)
    line.switch.play(call)
    line.caller_hangs_up(call)
    assert line.until(lambda: line.referee.of(call, "call_hung_up"), 5.0)
    line.wait(PROMPT_SECONDS + 0.3)
    assert line.referee.kinds(call) == ["call_arrived", "call_hung_up"]
    assert call not in line.switch.live_calls()


def test_an_agent_who_picks_up_is_reported_once_and_the_bridge_ends_pending_media(
    line: Line,
) -> None:
    line.phone(AGENT, answers_after=0.3)
    call = answered_call(line)
    line.switch.start_music(call)
    line.switch.ring_agent(call, AGENT)
    assert line.until(lambda: line.referee.of(call, "agent_answered"), 5.0)
    line.switch.play(call)
    line.switch.bridge(call, AGENT)  # the prompt is over, its callback never runs
    line.wait(PROMPT_SECONDS + 0.3)
    assert line.referee.kinds(call) == ["call_arrived", "agent_answered"]
    assert line.referee.of(call, "agent_answered")[0].args == (AGENT,)
    line.switch.hangup(call)
    assert line.until(lambda: line.referee.of(call, "call_hung_up"), 5.0)


def test_a_cancelled_ring_is_never_answered(line: Line) -> None:
    line.phone(AGENT, answers_after=0.6)
    call = answered_call(line)
    line.switch.start_music(call)
    line.switch.ring_agent(call, AGENT)
    line.wait(0.3)
    line.switch.cancel_ring(call, AGENT)
    line.wait(0.8)  # past the moment the phone would have picked up
    assert line.referee.kinds(call) == ["call_arrived"]
    assert call in line.switch.live_calls()


def test_a_caller_who_leaves_while_the_agent_rings_ends_the_ring(line: Line) -> None:
    line.phone(AGENT, answers_after=0.6)
    call = answered_call(line)
    line.switch.start_music(call)
    line.switch.ring_agent(call, AGENT)
    line.wait(0.3)
    line.caller_hangs_up(call)
    line.wait(0.8)  # the referee would see an answer after the end
    assert line.referee.kinds(call) == ["call_arrived", "call_hung_up"]


def test_an_agent_who_hangs_up_leaves_the_caller_on_the_line(line: Line) -> None:
    line.phone(AGENT, answers_after=0.2)
    call = answered_call(line)
    line.switch.ring_agent(call, AGENT)
    assert line.until(lambda: line.referee.of(call, "agent_answered"), 5.0)
    line.switch.bridge(call, AGENT)
    line.wait(0.3)
    line.agent_hangs_up(call, AGENT)
    assert line.until(lambda: line.referee.of(call, "agent_hung_up"), 5.0)
    assert line.referee.of(call, "agent_hung_up")[0].args == (AGENT,)
    assert call in line.switch.live_calls()
    line.switch.play(call)  # the caller's leg goes on (a survey)
    assert line.until(lambda: line.referee.of(call, "prompt-done"), 5.0)
    assert line.referee.kinds(call) == [
        "call_arrived",
        "agent_answered",
        "agent_hung_up",
        "prompt-done",
    ]


def test_a_customer_who_answers_is_a_call_like_an_inbound_one(line: Line) -> None:
    line.customer(CUSTOMER, Pickup(0.3))
    line.switch.originate(OUT, CUSTOMER, timeout=5.0)
    assert OUT in line.switch.live_calls()  # while it rings, too
    assert line.until(lambda: line.referee.of(OUT), 5.0)
    assert line.referee.kinds(OUT) == ["outbound_answered"]
    assert OUT in line.switch.live_calls()
    line.switch.play(OUT)
    assert line.until(lambda: line.referee.of(OUT, "prompt-done"), 5.0)
    line.switch.hangup(OUT)
    assert line.until(lambda: line.referee.of(OUT, "call_hung_up"), 5.0)
    assert line.referee.kinds(OUT) == ["outbound_answered", "prompt-done", "call_hung_up"]
    assert line.referee.of(OUT, "call_hung_up")[0].args == ("system",)


@pytest.mark.parametrize("reason", [r for r in OUTBOUND_FAILURES if r != "no-answer"])
def test_a_failed_call_to_a_customer_is_gone_with_its_reason(line: Line, reason: str) -> None:
    line.customer(CUSTOMER, Pickup(0.2, fails=reason))
    line.switch.originate(OUT, CUSTOMER, timeout=5.0)
    assert line.until(lambda: line.referee.of(OUT), 5.0)
    line.wait(0.5)  # no call_hung_up follows
    assert [(r.kind, r.args) for r in line.referee.of(OUT)] == [("outbound_failed", (reason,))]
    assert OUT not in line.switch.live_calls()


def test_a_customer_who_lets_it_ring_fails_as_no_answer_at_the_timeout(line: Line) -> None:
    line.customer(CUSTOMER, None)
    line.switch.originate(OUT, CUSTOMER, timeout=1.0)
    asked = line.referee.of(OUT)  # nothing yet
    assert asked == []
    assert line.until(lambda: line.referee.of(OUT), 5.0)
    line.wait(0.5)
    [failed] = line.referee.of(OUT)
    assert (failed.kind, failed.args) == ("outbound_failed", ("no-answer",))
    assert OUT not in line.switch.live_calls()


def test_hanging_up_a_call_being_dialled_ends_it_without_an_outcome(line: Line) -> None:
    line.customer(CUSTOMER, Pickup(0.8))
    line.switch.originate(OUT, CUSTOMER, timeout=1.0)
    line.wait(0.3)
    line.switch.hangup(OUT)
    line.wait(1.0)  # past the answer and the timeout
    assert [(r.kind, r.args) for r in line.referee.of(OUT)] == [("call_hung_up", ("system",))]
    assert OUT not in line.switch.live_calls()


def test_a_call_id_in_use_cannot_be_originated(line: Line) -> None:
    line.customer(CUSTOMER, None)
    line.switch.originate(OUT, CUSTOMER, timeout=5.0)
    with pytest.raises(ValueError, match="in use"):
        line.switch.originate(OUT, CUSTOMER, timeout=5.0)
    inbound = answered_call(line)
    with pytest.raises(ValueError, match="in use"):
        line.switch.originate(inbound, CUSTOMER, timeout=5.0)
    assert {OUT, inbound} <= line.switch.live_calls()
    line.switch.hangup(OUT)
    line.switch.hangup(inbound)
    assert line.until(lambda: len(line.referee.of(OUT) + line.referee.of(inbound)) == 3, 5.0)


def test_keys_pressed_during_a_prompt_are_taken_by_the_next_collect_without_its_prompt(
    line: Line,
) -> None:
    call = answered_call(line)
    line.wait(0.2)  # the caller's leg is up (SIP: the ACK is in)
    line.switch.play(call)
    line.caller_presses(call, "3")  # while the prompt plays: no collect runs
    assert line.until(lambda: line.referee.of(call, "prompt-done"), 5.0)
    asked = line.referee.now()
    line.switch.collect(call, max_digits=1, timeout=5.0, prompt=PROMPT)
    assert line.until(lambda: line.referee.of(call, "digits"), 5.0)
    [typed] = line.referee.of(call, "digits")
    assert typed.args == ("3",)
    assert typed.at - asked < PROMPT_SECONDS / 2  # at once: the collect's prompt not played


def test_typed_ahead_keys_a_collect_does_not_take_wait_for_the_next(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)
    line.switch.start_music(call)  # waiting in a queue
    line.caller_presses(call, "1234")
    asked = line.referee.now()
    line.switch.collect(call, max_digits=3, timeout=5.0)
    assert line.until(lambda: line.referee.of(call, "digits"), 5.0)
    line.switch.collect(call, max_digits=3, timeout=1.0)
    assert line.until(lambda: len(line.referee.of(call, "digits")) == 2, 5.0)
    first, second = line.referee.of(call, "digits")
    assert (first.args, second.args) == (("123",), ("4",))
    assert first.at - asked < 0.5  # three keys: that collect is complete at once
    assert 0.9 <= second.at - first.at < 3.0  # one of three: the timeout ends it


def test_keys_pressed_while_talking_to_an_agent_are_not_kept(line: Line) -> None:
    call = answered_call(line)
    line.phone(AGENT, answers_after=0.2)
    line.switch.ring_agent(call, AGENT)
    assert line.until(lambda: line.referee.of(call, "agent_answered"), 5.0)
    line.switch.bridge(call, AGENT)
    line.caller_presses(call, "5")
    line.switch.unbridge(call)  # the post-call survey asks
    asked = line.referee.now()
    line.switch.collect(call, max_digits=1, timeout=1.0)
    assert line.until(lambda: line.referee.of(call, "digits"), 5.0)
    [typed] = line.referee.of(call, "digits")
    assert typed.args == ("",)
    assert typed.at - asked >= 0.9


def test_a_voicemail_ends_at_the_terminator_with_its_length(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)
    started = line.referee.now()
    line.switch.record(call, max_seconds=30.0)
    line.wait(1.0)
    line.caller_presses(call, "#")
    assert line.until(lambda: line.referee.of(call, "recorded"), 5.0)
    [recorded] = line.referee.of(call, "recorded")
    _, seconds, ended_by, _ = recorded.args
    assert ended_by == "terminator"
    assert 0.8 <= recorded.at - started < 3.0
    assert 0.0 <= float(seconds) <= recorded.at - started + 0.05
    assert call in line.switch.live_calls()  # the caller is still on: the engine hangs up


def test_a_voicemail_ended_by_hanging_up_is_reported_before_the_calls_end(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)
    line.switch.record(call, max_seconds=30.0)
    line.wait(0.5)
    line.caller_hangs_up(call)
    assert line.until(lambda: line.referee.of(call, "call_hung_up"), 5.0)
    assert line.referee.kinds(call) == ["call_arrived", "recorded", "call_hung_up"]
    [recorded] = line.referee.of(call, "recorded")
    assert recorded.args[2] == "hangup"


def test_a_voicemail_stops_at_its_maximum_and_a_new_command_drops_it(line: Line) -> None:
    call = answered_call(line)
    line.wait(0.2)
    line.switch.record(call, max_seconds=1.0)
    assert line.until(lambda: line.referee.of(call, "recorded"), 5.0)
    [recorded] = line.referee.of(call, "recorded")
    assert recorded.args[2] == "max"
    line.switch.record(call, max_seconds=1.0)
    line.switch.start_music(call)  # the recording is given up: no report
    line.wait(1.5)
    assert len(line.referee.of(call, "recorded")) == 1
