"""The supervisor's telephony on the engine and the simulated switch: 监听/耳语/强插 sessions,
强拆 and 拦截, what each publishes, and that monitoring leaves the figures alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.calls.config import load_hotline
from hotline.calls.engine import CallEngine, build_engine
from hotline.calls.events import (
    CallEnded,
    CallForceReleased,
    CallIntercepted,
    CallMonitorEnded,
    CallMonitorFailed,
    CallMonitorModeChanged,
    CallMonitorStarted,
    Outcome,
    Phase,
)
from hotline.calls.recovery import open_call
from hotline.calls.supervise import (
    CallMonitoredError,
    CallNotInterceptableError,
    CallNotTalkingError,
    InvalidMonitorModeError,
    NoMonitorError,
)
from hotline.core.clock import VirtualClock
from hotline.core.events import Event, EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.routing.events import ContactAnswered, ContactCompleted, ContactLeft
from hotline.routing.model import AgentState
from hotline.sip.serve import NobodyKnown
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
C = CallId("c1")
A = AgentId("9001")
LEAD = "lead"


@dataclass
class Script:
    """A caller who picks 3 at the main menu and talks `talk` seconds once answered (then
    the agent hangs up, or the caller with `caller_ends`); the agent answers after
    `answer_after` seconds (None: lets it ring)."""

    answer_after: float | None = 2.0
    talk: float | None = 60.0
    caller_ends: bool = False
    ended: list[CallId] = field(default_factory=list)

    def respond(self, call: CallId, prompt: str | None, max_digits: int) -> tuple[str, float]:
        return ("3", 1.0) if prompt == "menu_main" else ("5", 1.0)

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return self.answer_after

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return self.talk, self.caller_ends

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        self.ended.append(call)


@dataclass
class Rig:
    clock: VirtualClock
    switch: SimSwitch
    engine: CallEngine
    events: EventRecorder

    def until(self, seconds: float) -> None:
        self.clock.run(until=self.clock.now() + seconds)

    def of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]

    def talking(self) -> None:
        """Run until the call is in conversation with the agent."""
        for _ in range(600):
            if self.engine.controller.phase_of(C) is Phase.TALKING:
                return
            self.until(1.0)
        raise AssertionError("the call never reached the agent")

    @property
    def agent_state(self) -> AgentState:
        return self.engine.acd.agent(A).state


def rig(script: Script | None = None) -> Rig:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(1_780_000_000.0)
    bus = EventBus()
    switch = SimSwitch(clock, script or Script(), hotline.prompt_seconds())
    nobody = NobodyKnown()
    engine = build_engine(
        hotline,
        clock=clock,
        bus=bus,
        switch=switch,
        agents=hotline.agents,
        directory=nobody,
        verifier=nobody,
        lookups={"bill": _nothing, "outage": _nothing},
        calendar=_NoHolidays(),
    )
    events = EventRecorder(bus)
    engine.acd.login(A, ready=True)
    switch.place_call(C, "13800138000", "95598")
    return Rig(clock, switch, engine, events)


def test_listen_whisper_barge_then_the_supervisor_hangs_up() -> None:
    r = rig()
    r.talking()
    supervision = r.engine.controller.supervision
    session = supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    assert session.state == "ringing"
    r.until(0.5)
    assert session.state == "on"
    assert r.switch.monitoring(C) == (LEAD, "listen", True)
    supervision.set_mode(C, "whisper", by="lead")
    supervision.set_mode(C, "barge", by="lead")
    assert r.switch.monitoring(C) == (LEAD, "barge", True)
    r.until(5.0)
    assert r.switch.supervisor_hangs_up(C)
    r.until(0.5)
    (started,) = r.of(CallMonitorStarted)
    assert isinstance(started, CallMonitorStarted)
    assert (started.agent, started.extension, started.by, started.mode) == (
        A,
        LEAD,
        "lead",
        "listen",
    )
    changes = [(e.previous, e.mode) for e in r.of(CallMonitorModeChanged)]  # type: ignore[attr-defined]
    assert changes == [("listen", "whisper"), ("whisper", "barge")]
    (ended,) = r.of(CallMonitorEnded)
    assert isinstance(ended, CallMonitorEnded)
    assert ended.reason == "supervisor-hung-up"
    assert ended.duration == pytest.approx(5.5)  # answered at once, then 0.5 + 5 s
    assert supervision.session(C) is None
    assert r.engine.controller.phase_of(C) is Phase.TALKING  # the call goes on


def test_monitoring_ends_with_the_conversation_and_with_the_call() -> None:
    r = rig(Script(talk=20.0))
    r.talking()
    r.engine.controller.supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    r.until(60.0)  # the agent hangs up at 20 s: the survey follows, without the supervisor
    (ended,) = r.of(CallMonitorEnded)
    assert ended.reason == "conversation-ended"  # type: ignore[attr-defined]
    assert r.switch.monitoring(C) is None

    r = rig(Script(talk=20.0, caller_ends=True))
    r.talking()
    r.engine.controller.supervision.monitor(C, extension=LEAD, by="lead", mode="barge")
    r.until(60.0)
    (ended,) = r.of(CallMonitorEnded)
    assert ended.reason == "call-ended"  # type: ignore[attr-defined]


def test_commands_on_the_wrong_call_say_why() -> None:
    r = rig()
    supervision = r.engine.controller.supervision
    with pytest.raises(CallNotTalkingError):  # still in the IVR
        supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    with pytest.raises(CallNotTalkingError):
        supervision.force_release(C, by="lead")
    with pytest.raises(CallNotInterceptableError):
        supervision.intercept(C, extension=LEAD, by="lead")
    with pytest.raises(CallNotTalkingError):
        supervision.monitor(CallId("nope"), extension=LEAD, by="lead", mode="listen")
    r.talking()
    with pytest.raises(InvalidMonitorModeError, match="listen, whisper, barge"):
        supervision.monitor(C, extension=LEAD, by="lead", mode="spy")
    with pytest.raises(NoMonitorError):
        supervision.set_mode(C, "barge", by="lead")
    with pytest.raises(NoMonitorError):
        supervision.end(C, by="lead")
    supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    with pytest.raises(CallMonitoredError):
        supervision.monitor(C, extension="boss", by="boss", mode="listen")
    with pytest.raises(CallMonitoredError):
        supervision.intercept(C, extension="boss", by="boss")


def test_a_supervisor_phone_that_does_not_answer_fails_the_request() -> None:
    r = rig()
    r.talking()
    r.switch.monitor_answer_after = None
    supervision = r.engine.controller.supervision
    supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    r.until(supervision.ring_timeout + 1.0)
    (failed,) = r.of(CallMonitorFailed)
    assert failed.reason == "no-answer"  # type: ignore[attr-defined]
    assert not r.of(CallMonitorStarted)
    assert not r.of(CallMonitorEnded)
    supervision.monitor(C, extension="boss", by="boss", mode="listen")  # free again


def test_ending_from_the_console() -> None:
    r = rig()
    r.talking()
    supervision = r.engine.controller.supervision
    supervision.monitor(C, extension=LEAD, by="lead", mode="whisper")
    r.until(3.0)
    supervision.end(C, by="lead")
    assert r.switch.monitoring(C) is None
    (ended,) = r.of(CallMonitorEnded)
    assert (ended.reason, ended.by) == ("ended", "lead")  # type: ignore[attr-defined]


def test_force_release_ends_the_call_and_sends_the_agent_to_wrap_up() -> None:
    r = rig()
    r.talking()
    r.until(10.0)
    agent = r.engine.controller.supervision.force_release(C, by="boss")
    assert agent == A
    r.until(0.5)
    (released,) = r.of(CallForceReleased)
    assert (released.agent, released.by) == (A, "boss")  # type: ignore[attr-defined]
    (completed,) = r.of(ContactCompleted)
    assert completed.ended_by == "force-released"  # type: ignore[attr-defined]
    (ended,) = r.of(CallEnded)
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.ANSWERED, Phase.TALKING, "system")
    assert r.agent_state is AgentState.WRAP_UP


def test_intercepting_a_talking_call_releases_the_agent_and_keeps_the_caller() -> None:
    r = rig(Script(talk=None))
    r.talking()
    r.until(10.0)
    supervision = r.engine.controller.supervision
    supervision.intercept(C, extension=LEAD, by="lead")
    r.until(0.5)
    (intercepted,) = r.of(CallIntercepted)
    assert isinstance(intercepted, CallIntercepted)
    assert (intercepted.agent, intercepted.phase) == (A, "talking")
    (completed,) = r.of(ContactCompleted)
    assert completed.ended_by == "intercepted"  # type: ignore[attr-defined]
    assert r.agent_state is AgentState.WRAP_UP
    assert r.engine.controller.phase_of(C) is Phase.TAKEN_OVER
    assert r.switch.agent_hangs_up(C, A) is False  # the agent is off the call
    r.until(30.0)
    assert not r.of(CallEnded)  # the supervisor talks with the caller
    assert r.switch.supervisor_hangs_up(C)
    r.until(0.5)
    (ended,) = r.of(CallEnded)
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.phase) == (Outcome.ANSWERED, Phase.TAKEN_OVER)


def test_listening_in_then_taking_over_is_at_once() -> None:
    r = rig(Script(talk=None))
    r.talking()
    supervision = r.engine.controller.supervision
    supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
    r.until(1.0)
    supervision.intercept(C, extension=LEAD, by="lead")
    assert r.engine.controller.phase_of(C) is Phase.TAKEN_OVER
    assert supervision.session(C) is not None
    supervision.end(C, by="lead")  # the supervisor is done: the call ends
    r.until(0.5)
    (ended,) = r.of(CallEnded)
    assert ended.phase is Phase.TAKEN_OVER  # type: ignore[attr-defined]


def test_intercepting_a_ringing_call_cancels_the_ring_and_frees_the_agent() -> None:
    r = rig(Script(answer_after=None))
    for _ in range(600):
        if r.engine.controller.phase_of(C) is Phase.RINGING:
            break
        r.until(1.0)
    assert r.agent_state is AgentState.RINGING
    r.engine.controller.supervision.intercept(C, extension=LEAD, by="lead")
    r.until(0.5)
    (intercepted,) = r.of(CallIntercepted)
    assert (intercepted.agent, intercepted.phase) == (A, "ringing")  # type: ignore[attr-defined]
    (left,) = r.of(ContactLeft)
    assert left.reason == "intercepted"  # type: ignore[attr-defined]
    assert not r.of(ContactAnswered)  # no agent answered it
    assert r.agent_state is AgentState.READY
    r.switch.caller_hangs_up(C)
    r.until(0.5)
    (ended,) = r.of(CallEnded)
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.ANSWERED, Phase.TAKEN_OVER, "caller")


_SUPERVISION_KINDS = (
    CallMonitorStarted,
    CallMonitorModeChanged,
    CallMonitorEnded,
    CallMonitorFailed,
)


@settings(max_examples=40, deadline=None)
@given(
    talk=st.floats(min_value=5.0, max_value=300.0),
    caller_ends=st.booleans(),
    start=st.floats(min_value=0.0, max_value=400.0),
    changes=st.lists(
        st.tuples(
            st.floats(min_value=0.0, max_value=100.0),
            st.sampled_from(["listen", "whisper", "barge"]),
        ),
        max_size=4,
    ),
    hang_up_after=st.one_of(st.none(), st.floats(min_value=0.0, max_value=200.0)),
)
def test_a_monitored_call_has_the_figures_of_an_unmonitored_one(
    talk: float,
    caller_ends: bool,
    start: float,
    changes: list[tuple[float, str]],
    hang_up_after: float | None,
) -> None:
    def run(monitored: bool) -> list[Event]:
        r = rig(Script(talk=talk, caller_ends=caller_ends))
        r.talking()
        supervision = r.engine.controller.supervision
        r.until(min(start, talk + 1))
        if monitored and r.engine.controller.phase_of(C) is Phase.TALKING:
            supervision.monitor(C, extension=LEAD, by="lead", mode="listen")
            for after, mode in changes:
                r.until(after)
                if supervision.session(C) is not None:
                    supervision.set_mode(C, mode, by="lead")
            if hang_up_after is not None:
                r.until(hang_up_after)
                r.switch.supervisor_hangs_up(C)
        r.until(1000.0 - (r.clock.now() - 1_780_000_000.0))
        return [e for e in r.events if not isinstance(e, _SUPERVISION_KINDS)]

    assert run(monitored=True) == run(monitored=False)


class _NoHolidays:
    def is_holiday(self, day: object) -> bool:
        return False


def _nothing(ctx: object, args: object) -> None:
    return None


def test_a_call_taken_over_is_read_back_from_the_log_as_taken_over() -> None:
    r = rig(Script(talk=None))
    r.talking()
    r.engine.controller.supervision.intercept(C, extension=LEAD, by="lead")
    r.until(1.0)
    opened = open_call(e for e in r.events if getattr(e, "call", None) == C)
    assert opened is not None
    assert (opened.phase, opened.outcome) == (Phase.TAKEN_OVER, Outcome.ANSWERED)
