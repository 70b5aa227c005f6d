"""The engine as `build_engine` wires it: a call goes through IVR, queue and agent to its end."""

from __future__ import annotations

import datetime
from pathlib import Path

from hotline.calls.config import load_hotline
from hotline.calls.engine import build_engine
from hotline.calls.events import CallEnded, Outcome
from hotline.core.clock import VirtualClock
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.ivr.events import IvrEntered, MenuChosen
from hotline.routing.events import ContactAnswered
from hotline.sip.serve import NobodyKnown
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
C = CallId("c1")
A = AgentId("9001")


def test_a_call_reaches_an_agent_through_the_built_engine() -> None:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(1_780_000_000.0)
    bus = EventBus()
    switch = SimSwitch(clock, _PressesThree(), hotline.prompt_seconds())
    calendar = _EveryDayOff()
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
        calendar=calendar,
    )
    assert switch.listener is engine.controller
    recorder = EventRecorder(bus)
    engine.acd.login(A, ready=True)
    switch.place_call(C, "13800138000", "95598")
    clock.run(until=clock.now() + 600.0)
    kinds = [type(e) for e in recorder]
    assert kinds.index(IvrEntered) < kinds.index(MenuChosen) < kinds.index(ContactAnswered)
    answered = next(e for e in recorder if isinstance(e, ContactAnswered))
    assert answered.agent == A  # the ACD rang the agent through the controller
    ended = [e for e in recorder if isinstance(e, CallEnded)]
    assert [e.outcome for e in ended] == [Outcome.ANSWERED]
    assert calendar.asked  # the holiday branch asked the calendar it was given


class _EveryDayOff:
    def __init__(self) -> None:
        self.asked: list[datetime.date] = []

    def is_holiday(self, day: datetime.date) -> bool:
        self.asked.append(day)
        return True


def _nothing(ctx: object, args: object) -> None:
    return None


class _PressesThree:
    """A caller who picks 3 (query) at the main menu, and an agent who answers at once."""

    def respond(self, call: CallId, prompt: str | None, max_digits: int) -> tuple[str, float]:
        return ("3", 1.0) if prompt == "menu_main" else ("5", 1.0)

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float:
        return 2.0

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float, bool]:
        return 30.0, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass
